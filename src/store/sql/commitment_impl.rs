// The `CommitmentStore` trait for the including backend, delegating to the shared SQL functions.

#[async_trait::async_trait]
impl CommitmentStore for StoreImpl {
    async fn request_resources(
        &self,
        by: &Account,
        input: ResourceCommitmentInput,
    ) -> StoreResult<ResourceCommitment> {
        request_resources(&self.pool, by, input).await
    }

    async fn decide_resources(
        &self,
        by: &Account,
        id: Uuid,
        decision: ResourceDecisionInput,
    ) -> StoreResult<ResourceCommitment> {
        decide_resources(&self.pool, by, id, decision).await
    }

    async fn withdraw_resources(&self, by: &Account, id: Uuid) -> StoreResult<ResourceCommitment> {
        withdraw_resources(&self.pool, by, id).await
    }

    async fn get_resource_commitment(&self, id: Uuid) -> StoreResult<ResourceCommitment> {
        get_resource_commitment(&self.pool, id).await
    }

    async fn list_resource_commitments(
        &self,
        filter: &ResourceFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ResourceCommitment>> {
        list_resource_commitments(&self.pool, filter, page).await
    }

    async fn resource_summary(
        &self,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<ResourceTypeSummary>> {
        resource_summary(&self.pool, from, to).await
    }

    async fn list_processes(&self, today: Date) -> StoreResult<Vec<Process>> {
        list_processes_where(&self.pool, None, today).await
    }

    async fn processes_owned_by(&self, person_id: Uuid, today: Date) -> StoreResult<Vec<Process>> {
        list_processes_where(&self.pool, Some(person_id), today).await
    }

    async fn get_process(&self, id: Uuid, today: Date) -> StoreResult<Process> {
        get_process(&self.pool, id, today).await
    }

    async fn create_process(
        &self,
        actor: &Actor,
        input: ProcessInput,
        today: Date,
    ) -> StoreResult<Process> {
        create_process(&self.pool, actor, input, today).await
    }

    async fn update_process(
        &self,
        actor: &Actor,
        id: Uuid,
        input: ProcessInput,
        today: Date,
    ) -> StoreResult<Process> {
        update_process(&self.pool, actor, id, input, today).await
    }

    async fn verify_process(
        &self,
        by: &Account,
        id: Uuid,
        input: VerificationInput,
        today: Date,
    ) -> StoreResult<Process> {
        verify_process(&self.pool, by, id, input, today).await
    }

    async fn record_briefing(
        &self,
        by: &Account,
        input: BriefingInput,
        today: Date,
    ) -> StoreResult<Briefing> {
        record_briefing(&self.pool, by, input, today).await
    }

    async fn list_briefings(
        &self,
        filter: &BriefingFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Briefing>> {
        list_briefings(&self.pool, filter, page).await
    }

    async fn briefings_by_unit(&self, since: Date) -> StoreResult<Vec<UnitBriefings>> {
        briefings_by_unit(&self.pool, since).await
    }

    async fn units_awaiting_briefing(
        &self,
        head_id: Uuid,
        since: Date,
    ) -> StoreResult<Vec<UnitBriefings>> {
        units_awaiting_briefing(&self.pool, head_id, since).await
    }
}
