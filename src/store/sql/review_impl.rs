// The `ReviewStore` trait for the including backend, delegating to the shared SQL functions.

#[async_trait::async_trait]
impl ReviewStore for StoreImpl {
    async fn action_counts(&self, today: Date, period_start: Date) -> StoreResult<ActionCounts> {
        improvement_action_counts(&self.pool, today, period_start).await
    }

    async fn list_management_reviews(
        &self,
        filter: &ReviewFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ReviewSummary>> {
        list_management_reviews(&self.pool, filter, page).await
    }

    async fn get_management_review(&self, id: Uuid) -> StoreResult<ManagementReview> {
        get_management_review(&self.pool, id).await
    }

    async fn create_management_review(
        &self,
        by: &Account,
        input: ReviewInput,
    ) -> StoreResult<ManagementReview> {
        create_management_review(&self.pool, by, input).await
    }

    async fn update_management_review(
        &self,
        by: &Account,
        id: Uuid,
        patch: ReviewPatch,
    ) -> StoreResult<ManagementReview> {
        update_management_review(&self.pool, by, id, patch).await
    }

    async fn add_review_decision(
        &self,
        by: &Account,
        review_id: Uuid,
        input: DecisionInput,
        today: Date,
    ) -> StoreResult<ReviewDecision> {
        add_review_decision(&self.pool, by, review_id, input, today).await
    }

    async fn previous_review_actions(
        &self,
        review_id: Uuid,
        today: Date,
    ) -> StoreResult<PreviousActions> {
        previous_review_actions(&self.pool, review_id, today).await
    }

    async fn sign_management_review(
        &self,
        by: &Account,
        id: Uuid,
        inputs: &ReviewInputs,
    ) -> StoreResult<ManagementReview> {
        sign_management_review(&self.pool, by, id, inputs).await
    }

    async fn frozen_review_pack(&self, id: Uuid) -> StoreResult<Option<FrozenPack>> {
        frozen_review_pack(&self.pool, id).await
    }

    async fn top_management_on(&self, day: Date) -> StoreResult<Vec<TopManager>> {
        people_in_top_management_on(&self.pool, day).await
    }

    async fn people_ids_by_email(&self, emails: &[String]) -> StoreResult<HashMap<String, Uuid>> {
        people_ids_by_email(&self.pool, emails).await
    }

    async fn list_improvement_actions(
        &self,
        filter: &ActionFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<ImprovementAction>> {
        list_improvement_actions(&self.pool, filter, today, page).await
    }

    async fn get_improvement_action(
        &self,
        id: Uuid,
        today: Date,
    ) -> StoreResult<ImprovementAction> {
        get_improvement_action_in(&self.pool, id, today).await
    }

    async fn create_improvement_action(
        &self,
        by: &Account,
        input: ImprovementActionInput,
        today: Date,
    ) -> StoreResult<ImprovementAction> {
        create_improvement_action(&self.pool, by, input, today).await
    }

    async fn update_improvement_action(
        &self,
        by: &Account,
        id: Uuid,
        progress: ActionProgress,
        today: Date,
    ) -> StoreResult<ImprovementAction> {
        update_improvement_action(&self.pool, by, id, progress, today).await
    }
}
