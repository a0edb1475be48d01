// The `ConformanceStore` trait for the including backend, delegating to the loaders of each area.

#[async_trait::async_trait]
impl ConformanceStore for StoreImpl {
    async fn policy_facts(
        &self,
        today: Date,
    ) -> StoreResult<crate::domain::conformance::policy::PolicyFacts> {
        load_policy_facts(self, today).await
    }

    async fn role_facts(
        &self,
        today: Date,
    ) -> StoreResult<crate::domain::conformance::roles::RoleFacts> {
        load_role_facts(self, today).await
    }

    async fn leadership_facts(
        &self,
        today: Date,
    ) -> StoreResult<crate::domain::conformance::LeadershipFigures> {
        load_leadership_facts(self, today).await
    }

    async fn liveness(
        &self,
        now: OffsetDateTime,
        period_days: i64,
    ) -> StoreResult<crate::domain::conformance::Liveness> {
        load_liveness(self, now, period_days).await
    }
}
