// The `EvidenceStore` trait for the including backend, delegating to the shared SQL functions.

#[async_trait::async_trait]
impl crate::store::evidence::EvidenceStore for StoreImpl {
    async fn draw_sample(
        &self,
        population: SamplePopulation,
        seed: &str,
        size: usize,
    ) -> StoreResult<DrawnSample> {
        draw_sample(&self.pool, population, seed, size).await
    }

    async fn record_events(
        &self,
        record_type: &str,
        record_id: &str,
        action: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>> {
        record_events(&self.pool, record_type, record_id, action, limit).await
    }

    async fn stored_evaluation(&self, assessment_id: Uuid) -> StoreResult<String> {
        stored_evaluation(&self.pool, assessment_id).await
    }

    async fn get_briefing(&self, id: Uuid) -> StoreResult<Briefing> {
        get_briefing(&self.pool, id).await
    }

    async fn role_holders_today(
        &self,
        today: Date,
        per_role: i64,
    ) -> StoreResult<HashMap<Uuid, RoleHoldersToday>> {
        role_holders_today(&self.pool, today, per_role).await
    }

    async fn record_pack_export(
        &self,
        actor: &Actor,
        assessment_id: Uuid,
        manifest: &Manifest,
    ) -> StoreResult<AuditEvent> {
        record_pack_export(&self.pool, actor, assessment_id, manifest).await
    }
}
