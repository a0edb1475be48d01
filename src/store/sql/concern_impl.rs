// The `ConcernStore` trait for the including backend, delegating to the shared SQL functions.
// Every moment is taken to the whole second first (see `concern_second`).

#[async_trait::async_trait]
impl ConcernStore for StoreImpl {
    async fn concern_counts(
        &self,
        now: OffsetDateTime,
        period_start: Date,
    ) -> StoreResult<ConcernCounts> {
        concern_counts(&self.pool, concern_second(now), period_start).await
    }

    async fn concern_settings(&self) -> StoreResult<ConcernSettings> {
        concern_settings(&self.pool).await
    }

    async fn update_concern_settings(
        &self,
        by: &Account,
        input: ConcernSettingsInput,
    ) -> StoreResult<ConcernSettings> {
        update_concern_settings(&self.pool, by, input).await
    }

    async fn report_concern(
        &self,
        input: ConcernInput,
        at: OffsetDateTime,
    ) -> Result<ConcernReceipt, ConcernError> {
        report_concern(&self.pool, input, concern_second(at)).await
    }

    async fn follow_up_concern(&self, code: &str, at: OffsetDateTime) -> StoreResult<FollowUp> {
        follow_up_concern(&self.pool, code, concern_second(at)).await
    }

    async fn reply_to_concern(
        &self,
        code: &str,
        message: &str,
        at: OffsetDateTime,
    ) -> Result<FollowUp, ConcernError> {
        reply_to_concern(&self.pool, code, message, concern_second(at)).await
    }

    async fn list_concerns(
        &self,
        by: &Account,
        filter: ConcernFilter,
        at: OffsetDateTime,
        page: PageRequest,
    ) -> StoreResult<Page<ConcernSummary>> {
        list_concerns(&self.pool, by, filter, concern_second(at), page).await
    }

    async fn get_concern(
        &self,
        by: &Account,
        id: Uuid,
        at: OffsetDateTime,
    ) -> StoreResult<Concern> {
        get_concern(&self.pool, by, id, concern_second(at)).await
    }

    async fn answer_concern(
        &self,
        by: &Account,
        id: Uuid,
        message: &str,
        at: OffsetDateTime,
    ) -> StoreResult<Concern> {
        answer_concern(&self.pool, by, id, message, concern_second(at)).await
    }

    async fn set_concern_status(
        &self,
        by: &Account,
        id: Uuid,
        status: ConcernStatus,
        at: OffsetDateTime,
    ) -> StoreResult<Concern> {
        set_concern_status(&self.pool, by, id, status, concern_second(at)).await
    }
}
