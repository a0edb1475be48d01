// The `Store` trait for the including backend, delegating to the shared SQL functions.

#[async_trait::async_trait]
impl Store for StoreImpl {
    fn backend(&self) -> Backend {
        BACKEND
    }

    fn pool_stats(&self) -> PoolStats {
        PoolStats {
            size: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        }
    }

    async fn migrate(&self) -> StoreResult<Vec<i64>> {
        run_migrations(&self.pool).await
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn organization(&self) -> StoreResult<OrgProfile> {
        organization(&self.pool).await
    }

    async fn update_organization(
        &self,
        actor: &Actor,
        input: OrgProfileInput,
    ) -> StoreResult<OrgProfile> {
        let input = input.validate().map_err(StoreError::Invalid)?;
        update_organization(&self.pool, actor, input).await
    }

    async fn org_counts(&self) -> StoreResult<OrgCounts> {
        org_counts(&self.pool).await
    }

    async fn list_units(&self, filter: &UnitFilter, page: PageRequest) -> StoreResult<Page<Unit>> {
        list_units(&self.pool, filter, page).await
    }

    async fn all_units(&self) -> StoreResult<Vec<Unit>> {
        all_units(&self.pool).await
    }

    async fn get_unit(&self, id: Uuid) -> StoreResult<Unit> {
        get_unit(&self.pool, id).await
    }

    async fn create_unit(&self, actor: &Actor, input: UnitInput) -> StoreResult<Unit> {
        save_unit(
            &self.pool,
            actor,
            None,
            input.validate().map_err(StoreError::Invalid)?,
        )
        .await
    }

    async fn update_unit(&self, actor: &Actor, id: Uuid, input: UnitInput) -> StoreResult<Unit> {
        save_unit(
            &self.pool,
            actor,
            Some(id),
            input.validate().map_err(StoreError::Invalid)?,
        )
        .await
    }

    async fn list_people(
        &self,
        filter: &PersonFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Person>> {
        list_people(&self.pool, filter, page).await
    }

    async fn all_people(&self) -> StoreResult<Vec<Person>> {
        all_people(&self.pool).await
    }

    async fn get_person(&self, id: Uuid) -> StoreResult<Person> {
        get_person(&self.pool, id).await
    }

    async fn person_names(&self, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, String>> {
        person_names(&self.pool, ids).await
    }

    async fn person_by_email(&self, email: &str) -> StoreResult<Option<Person>> {
        person_by_email(&self.pool, email).await
    }

    async fn create_person(
        &self,
        actor: &Actor,
        input: PersonInput,
        today: Date,
    ) -> StoreResult<Person> {
        save_person(&self.pool, actor, None, input, today).await
    }

    async fn update_person(
        &self,
        actor: &Actor,
        id: Uuid,
        input: PersonInput,
        today: Date,
    ) -> StoreResult<Person> {
        save_person(&self.pool, actor, Some(id), input, today).await
    }

    async fn write_people(&self, actor: &Actor, batch: &[PersonWrite]) -> StoreResult<()> {
        write_people(&self.pool, actor, batch).await
    }

    async fn create_account(
        &self,
        actor: &Actor,
        person_id: Uuid,
        password_hash: Option<String>,
        roles: &[Role],
    ) -> StoreResult<Account> {
        create_account(&self.pool, actor, person_id, password_hash, roles).await
    }

    async fn account(&self, id: Uuid) -> StoreResult<Account> {
        get_account(&self.pool, id).await
    }

    async fn account_credentials(
        &self,
        email: &str,
    ) -> StoreResult<Option<(Account, Option<String>)>> {
        find_account(
            &self.pool,
            "lower(p.email) = lower($1)",
            Arg::Text(email.trim().to_owned()),
        )
        .await
    }

    async fn list_accounts(&self) -> StoreResult<Vec<Account>> {
        list_accounts(&self.pool).await
    }

    async fn set_account_roles(
        &self,
        actor: &Actor,
        id: Uuid,
        roles: &[Role],
    ) -> StoreResult<Account> {
        change_account(&self.pool, actor, id, Some(roles), None).await
    }

    async fn set_account_disabled(
        &self,
        actor: &Actor,
        id: Uuid,
        disabled: bool,
    ) -> StoreResult<Account> {
        change_account(&self.pool, actor, id, None, Some(disabled)).await
    }

    async fn set_password(
        &self,
        actor: &Actor,
        id: Uuid,
        hash: &str,
        keep_session: Option<&str>,
    ) -> StoreResult<()> {
        set_password(&self.pool, actor, id, hash, keep_session).await
    }

    async fn session_with_account(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<(SessionRecord, Account)>> {
        session_with_account(&self.pool, token_hash).await
    }

    async fn api_token_with_account(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<(ApiToken, Account)>> {
        token_with_account(&self.pool, token_hash).await
    }

    async fn start_session(&self, session: &SessionRecord) -> StoreResult<()> {
        start_session(&self.pool, session).await
    }

    async fn touch_session(&self, token_hash: &str, at: OffsetDateTime) -> StoreResult<()> {
        touch_session(&self.pool, token_hash, at).await
    }

    async fn end_session(&self, token_hash: &str) -> StoreResult<()> {
        end_session(&self.pool, token_hash).await
    }

    async fn create_api_token(
        &self,
        actor: &Actor,
        token: &ApiToken,
        token_hash: &str,
    ) -> StoreResult<()> {
        create_api_token(&self.pool, actor, token, token_hash).await
    }

    async fn list_api_tokens(&self, account_id: Uuid) -> StoreResult<Vec<ApiToken>> {
        list_api_tokens(&self.pool, account_id).await
    }

    async fn revoke_api_token(&self, actor: &Actor, account_id: Uuid, id: Uuid) -> StoreResult<()> {
        revoke_api_token(&self.pool, actor, account_id, id).await
    }

    async fn touch_api_token(&self, id: Uuid, at: OffsetDateTime) -> StoreResult<()> {
        touch_api_token(&self.pool, id, at).await
    }

    async fn create_setup_token(
        &self,
        token_hash: &str,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        create_setup_token(&self.pool, token_hash, expires_at).await
    }

    async fn check_setup_token(&self, token_hash: &str, consume: bool) -> StoreResult<bool> {
        check_setup_token(&self.pool, token_hash, consume).await
    }

    async fn sign_in_failures(&self, key: &str) -> StoreResult<Option<(i64, OffsetDateTime)>> {
        sign_in_failures(&self.pool, key).await
    }

    async fn record_sign_in_failure(&self, key: &str, at: OffsetDateTime) -> StoreResult<()> {
        record_sign_in_failure(&self.pool, key, at).await
    }

    async fn clear_sign_in_failures(&self, key: &str) -> StoreResult<()> {
        clear_sign_in_failures(&self.pool, key).await
    }

    async fn list_audit_events(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> StoreResult<Page<AuditEvent>> {
        list_audit_events(&self.pool, filter, page).await
    }

    async fn verify_audit_chain(&self) -> StoreResult<ChainReport> {
        verify_audit_chain(&self.pool).await
    }
}
