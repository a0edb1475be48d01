// The `PolicyStore` trait for the including backend, delegating to the shared SQL functions.

#[async_trait::async_trait]
impl PolicyStore for StoreImpl {
    async fn list_policies(
        &self,
        filter: &PolicyFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<PolicySummary>> {
        list_policies(&self.pool, filter, today, page).await
    }

    async fn get_policy(&self, id: Uuid) -> StoreResult<Policy> {
        get_policy_in(&self.pool, id).await
    }

    async fn top_level_policy(&self) -> StoreResult<Option<Policy>> {
        top_level_policy(&self.pool).await
    }

    async fn create_policy(
        &self,
        by: &Account,
        input: PolicyInput,
        draft: DraftInput,
    ) -> StoreResult<(Policy, PolicyVersion)> {
        create_policy(&self.pool, by, input, draft).await
    }

    async fn update_policy(
        &self,
        by: &Account,
        id: Uuid,
        input: PolicyInput,
    ) -> StoreResult<Policy> {
        update_policy(&self.pool, by, id, input).await
    }

    async fn list_versions(&self, policy_id: Uuid) -> StoreResult<Vec<PolicyVersion>> {
        list_versions(&self.pool, policy_id).await
    }

    async fn get_version(&self, id: Uuid) -> StoreResult<PolicyVersion> {
        get_version_in(&self.pool, id).await
    }

    async fn published_version(&self, policy_id: Uuid) -> StoreResult<Option<PolicyVersion>> {
        published_version(&self.pool, policy_id).await
    }

    async fn create_draft(
        &self,
        by: &Account,
        policy_id: Uuid,
        draft: DraftInput,
    ) -> StoreResult<PolicyVersion> {
        create_draft(&self.pool, by, policy_id, draft).await
    }

    async fn update_draft(
        &self,
        by: &Account,
        version_id: Uuid,
        draft: DraftInput,
    ) -> StoreResult<PolicyVersion> {
        update_draft(&self.pool, by, version_id, draft).await
    }

    async fn transition_version(
        &self,
        by: &Account,
        version_id: Uuid,
        step: Transition,
        statement: &str,
        today: Date,
    ) -> StoreResult<PolicyVersion> {
        transition_version(&self.pool, by, version_id, step, statement, today).await
    }

    async fn version_decisions(&self, version_id: Uuid) -> StoreResult<Vec<Decision>> {
        version_decisions(&self.pool, version_id).await
    }

    async fn version_contributors(&self, version_id: Uuid) -> StoreResult<Vec<Uuid>> {
        version_contributors(&self.pool, version_id).await
    }

    async fn add_comment(
        &self,
        by: &Account,
        version_id: Uuid,
        body: &str,
    ) -> StoreResult<Comment> {
        add_comment(&self.pool, by, version_id, body).await
    }

    async fn version_comments(&self, version_id: Uuid) -> StoreResult<Vec<Comment>> {
        version_comments(&self.pool, version_id).await
    }

    async fn record_review(
        &self,
        by: &Account,
        policy_id: Uuid,
        note: &str,
        today: Date,
    ) -> StoreResult<PolicyReview> {
        record_review(&self.pool, by, policy_id, note, today).await
    }

    async fn list_reviews(&self, policy_id: Uuid) -> StoreResult<Vec<PolicyReview>> {
        list_reviews(&self.pool, policy_id).await
    }

    async fn request_exception(
        &self,
        by: &Account,
        policy_id: Uuid,
        input: ExceptionInput,
        today: Date,
    ) -> StoreResult<PolicyException> {
        request_exception(&self.pool, by, policy_id, input, today).await
    }

    async fn decide_exception(
        &self,
        by: &Account,
        id: Uuid,
        decision: ExceptionDecisionInput,
        today: Date,
    ) -> StoreResult<PolicyException> {
        decide_exception(&self.pool, by, id, decision, today).await
    }

    async fn withdraw_exception(
        &self,
        by: &Account,
        id: Uuid,
        today: Date,
    ) -> StoreResult<PolicyException> {
        withdraw_exception(&self.pool, by, id, today).await
    }

    async fn list_exceptions(
        &self,
        filter: &ExceptionFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<PolicyException>> {
        list_exceptions(&self.pool, filter, today, page).await
    }

    async fn get_exception(&self, id: Uuid, today: Date) -> StoreResult<PolicyException> {
        get_exception_in(&self.pool, id, today).await
    }

    async fn create_share_link(
        &self,
        by: &Account,
        policy_id: Uuid,
        label: &str,
        expires_at: OffsetDateTime,
        token_hash: &str,
    ) -> StoreResult<ShareLink> {
        create_share_link(&self.pool, by, policy_id, label, expires_at, token_hash).await
    }

    async fn revoke_share_link(&self, by: &Account, id: Uuid) -> StoreResult<ShareLink> {
        revoke_share_link(&self.pool, by, id).await
    }

    async fn list_share_links(&self, policy_id: Uuid) -> StoreResult<Vec<ShareLink>> {
        list_share_links(&self.pool, policy_id).await
    }

    async fn open_share_link(
        &self,
        token_hash: &str,
        address: &str,
    ) -> StoreResult<Option<PublishedPolicy>> {
        open_share_link(&self.pool, token_hash, address).await
    }

    async fn public_policies(&self) -> StoreResult<Vec<PublishedPolicy>> {
        public_policies(&self.pool).await
    }

    async fn public_policy(&self, id: Uuid) -> StoreResult<Option<PublishedPolicy>> {
        public_policy(&self.pool, id).await
    }
}
