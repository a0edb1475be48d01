// The `CampaignStore` and `MailStore` traits for the including backend, delegating to the shared
// SQL functions.

#[async_trait::async_trait]
impl CampaignStore for StoreImpl {
    async fn launch_campaign(
        &self,
        by: &Account,
        input: CampaignInput,
        today: Date,
    ) -> StoreResult<Campaign> {
        launch_campaign(&self.pool, by, input, today).await
    }

    async fn list_campaigns(
        &self,
        filter: &CampaignFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<Campaign>> {
        list_campaigns(&self.pool, filter, today, page).await
    }

    async fn get_campaign(&self, id: Uuid, today: Date) -> StoreResult<Campaign> {
        get_campaign_in(&self.pool, id, today).await
    }

    async fn close_campaign(&self, by: &Account, id: Uuid, today: Date) -> StoreResult<Campaign> {
        close_campaign(&self.pool, by, id, today).await
    }

    async fn sync_audiences(&self, actor: &Actor, today: Date) -> StoreResult<u64> {
        sync_audiences(&self.pool, actor, today).await
    }

    async fn audience_size(&self, audience: &CampaignAudience) -> StoreResult<i64> {
        audience_size(&self.pool, audience).await
    }

    async fn acknowledge(&self, requests: &[AckRequest]) -> Vec<StoreResult<AckReceipt>> {
        acknowledge(&self.pool, requests).await
    }

    async fn my_acknowledgments(
        &self,
        person_id: Uuid,
        today: Date,
    ) -> StoreResult<Vec<MyAcknowledgment>> {
        my_acknowledgments(&self.pool, person_id, today).await
    }

    async fn get_acknowledgment(
        &self,
        campaign_id: Uuid,
        person_id: Uuid,
        today: Date,
    ) -> StoreResult<Acknowledgment> {
        get_acknowledgment(&self.pool, campaign_id, person_id, today).await
    }

    async fn list_acknowledgments(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<Acknowledgment>> {
        list_acknowledgments(&self.pool, campaign_id, filter, today, page).await
    }

    async fn all_acknowledgments(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
        today: Date,
    ) -> StoreResult<Vec<Acknowledgment>> {
        all_acknowledgments(&self.pool, campaign_id, filter, today).await
    }

    async fn coverage_counts(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
        today: Date,
    ) -> StoreResult<CoverageCounts> {
        coverage_counts(&self.pool, campaign_id, filter, today).await
    }

    async fn coverage_by_unit(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
        today: Date,
    ) -> StoreResult<HashMap<Uuid, CoverageCounts>> {
        coverage_by_unit(&self.pool, campaign_id, filter, today).await
    }

    async fn acknowledgments_per_day(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
    ) -> StoreResult<Vec<(Date, i64)>> {
        acknowledgments_per_day(&self.pool, campaign_id, filter).await
    }

    async fn pending_people(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
    ) -> StoreResult<Vec<PendingPerson>> {
        pending_people(&self.pool, campaign_id, filter).await
    }

    async fn campaigns_to_remind(&self, today: Date) -> StoreResult<Vec<Campaign>> {
        campaigns_to_remind(&self.pool, today).await
    }
}

#[async_trait::async_trait]
impl MailStore for StoreImpl {
    async fn queue_mail(
        &self,
        actor: &Actor,
        mails: &[NewMail],
        reminded: Option<(Uuid, Date)>,
    ) -> StoreResult<u64> {
        queue_mail(&self.pool, actor, mails, reminded).await
    }

    async fn due_mail(&self, now: OffsetDateTime, limit: i64) -> StoreResult<Vec<OutboxMessage>> {
        due_mail(&self.pool, now, limit).await
    }

    async fn record_delivery(&self, id: Uuid, outcome: &DeliveryOutcome) -> StoreResult<()> {
        record_delivery(&self.pool, id, outcome).await
    }

    async fn list_outbox(
        &self,
        filter: &OutboxFilter,
        page: PageRequest,
    ) -> StoreResult<Page<OutboxMessage>> {
        list_outbox(&self.pool, filter, page).await
    }

    async fn get_mail(&self, id: Uuid) -> StoreResult<OutboxMessage> {
        get_mail_in(&self.pool, id).await
    }

    async fn retry_mail(&self, by: &Account, id: Uuid) -> StoreResult<OutboxMessage> {
        retry_mail(&self.pool, by, id).await
    }

    async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: OffsetDateTime,
        ttl: time::Duration,
    ) -> StoreResult<bool> {
        take_lease(&self.pool, name, holder, now, ttl).await
    }

    async fn record_communication(
        &self,
        by: &Account,
        input: CommunicationInput,
        today: Date,
    ) -> StoreResult<Communication> {
        record_communication(&self.pool, by, input, today).await
    }

    async fn record_exception_expiries(&self, today: Date) -> StoreResult<Vec<PolicyException>> {
        record_exception_expiries(&self.pool, today).await
    }

    async fn list_communications(&self, page: PageRequest) -> StoreResult<Page<Communication>> {
        list_communications(&self.pool, page).await
    }

    async fn get_communication(&self, id: Uuid) -> StoreResult<Communication> {
        get_communication_in(&self.pool, id).await
    }
}
