// The `AssessmentStore` trait for the including backend, delegating to the shared SQL functions.

#[async_trait::async_trait]
impl crate::store::AssessmentStore for StoreImpl {
    async fn run_assessment(
        &self,
        by: Option<&Account>,
        trigger: asmt::Trigger,
        evaluation: crate::domain::conformance::Evaluation,
    ) -> StoreResult<asmt::Assessment> {
        insert_assessment(&self.pool, by, trigger, evaluation).await
    }

    async fn get_assessment(&self, id: Uuid) -> StoreResult<asmt::Assessment> {
        get_assessment(&self.pool, id).await
    }

    async fn list_assessments(
        &self,
        page: PageRequest,
    ) -> StoreResult<Page<asmt::AssessmentSummary>> {
        list_assessments(&self.pool, page).await
    }

    async fn latest_assessment(&self) -> StoreResult<Option<asmt::Assessment>> {
        latest_assessment(&self.pool).await
    }

    async fn previous_assessment(&self, id: Uuid) -> StoreResult<Option<asmt::AssessmentSummary>> {
        previous_assessment(&self.pool, id).await
    }

    async fn requirement_trend(
        &self,
        requirement_id: &str,
        limit: i64,
    ) -> StoreResult<Vec<asmt::VerdictPoint>> {
        requirement_trend(&self.pool, requirement_id, limit).await
    }

    async fn conformance_thresholds(&self) -> StoreResult<crate::domain::conformance::Thresholds> {
        load_thresholds(&self.pool).await
    }

    async fn set_thresholds(
        &self,
        by: &Account,
        thresholds: crate::domain::conformance::Thresholds,
    ) -> StoreResult<crate::domain::conformance::Thresholds> {
        set_thresholds(&self.pool, by, thresholds).await
    }

    async fn request_justification(
        &self,
        by: &Account,
        input: asmt::JustificationInput,
        today: Date,
    ) -> StoreResult<asmt::JustificationRecord> {
        request_justification(&self.pool, by, input, today).await
    }

    async fn decide_justification(
        &self,
        by: &Account,
        id: Uuid,
        decision: asmt::JustificationDecision,
        today: Date,
    ) -> StoreResult<asmt::JustificationRecord> {
        decide_justification(&self.pool, by, id, decision, today).await
    }

    async fn withdraw_justification(
        &self,
        by: &Account,
        id: Uuid,
        today: Date,
    ) -> StoreResult<asmt::JustificationRecord> {
        withdraw_justification(&self.pool, by, id, today).await
    }

    async fn get_justification(
        &self,
        id: Uuid,
        today: Date,
    ) -> StoreResult<asmt::JustificationRecord> {
        get_justification_in(&self.pool, id, today).await
    }

    async fn list_justifications(
        &self,
        today: Date,
    ) -> StoreResult<Vec<asmt::JustificationRecord>> {
        list_justifications(&self.pool, today).await
    }

    async fn approved_justifications(
        &self,
        today: Date,
    ) -> StoreResult<Vec<crate::domain::conformance::Justification>> {
        approved_justifications(&self.pool, today).await
    }
}
