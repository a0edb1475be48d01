//! The part of the store that loads what the conformance rules read: the facts of each area of
//! the catalog and the liveness signs, through aggregate queries.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};

use super::StoreResult;
use crate::domain::conformance::{
    LeadershipFigures, Liveness, policy::PolicyFacts, roles::RoleFacts,
};

#[async_trait]
pub trait ConformanceStore: Send + Sync {
    /// What the policy rules read (5.1.a, 5.2.a–g, A.5.1) on `today`.
    async fn policy_facts(&self, today: Date) -> StoreResult<PolicyFacts>;
    /// What the role and coverage rules read (5.1.f, 5.1.h, 5.3.*, A.5.2–A.5.4, A.6.3).
    async fn role_facts(&self, today: Date) -> StoreResult<RoleFacts>;
    /// What the leadership rules read (5.1.b–e, 5.1.g, 5.3.b, A.6.8).
    async fn leadership_facts(&self, today: Date) -> StoreResult<LeadershipFigures>;
    /// The liveness signs at `now`, with the governance period in days.
    async fn liveness(&self, now: OffsetDateTime, period_days: i64) -> StoreResult<Liveness>;
}
