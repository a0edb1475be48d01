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
