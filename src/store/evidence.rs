//! The part of the store auditors read evidence through: reproducible samples of
//! acknowledgments, assignments and policy approvals, the audit events of one record, the
//! holders of every role, and the one event an audit pack's export writes.

use std::collections::HashMap;

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::audit_pack::{Manifest, PackParty};
use crate::domain::briefing::Briefing;
use crate::domain::{Actor, AuditEvent};

/// What a sample is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamplePopulation {
    /// Given acknowledgments (of one campaign, or of every campaign).
    Acknowledgments { campaign_id: Option<Uuid> },
    /// Every role assignment ever recorded.
    Assignments,
    /// Every approving sign-off of a policy version.
    PolicyApprovals,
}

/// The key of one drawn record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleKey {
    Acknowledgment { campaign_id: Uuid, person_id: Uuid },
    Assignment(Uuid),
    PolicyApproval { decision_id: Uuid, version_id: Uuid },
}

/// A drawn sample: how many records the population had, and the keys drawn with their 1-based
/// positions, in the population's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnSample {
    pub population: i64,
    pub keys: Vec<(i64, SampleKey)>,
}

/// The holders of one role today: how many, and the first of them by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleHoldersToday {
    pub count: i64,
    pub first: Vec<PackParty>,
}

#[async_trait]
pub trait EvidenceStore: Send + Sync {
    /// Counts the population and reads the records at the positions `seed` picks
    /// (`domain::audit_pack::sample_positions`), in one snapshot: the same seed on the same
    /// records draws the same sample. Reads only keys, with one window query.
    async fn draw_sample(
        &self,
        population: SamplePopulation,
        seed: &str,
        size: usize,
    ) -> StoreResult<DrawnSample>;
    /// The last `limit` audit events of one record (`record_type`, `record_id` as the events
    /// name it), only those of `action` when given, oldest first.
    async fn record_events(
        &self,
        record_type: &str,
        record_id: &str,
        action: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>>;
    /// The JSON text an assessment's evaluation was stored as, exactly (its SHA-256 is the
    /// assessment's content hash).
    async fn stored_evaluation(&self, assessment_id: Uuid) -> StoreResult<String>;
    /// One briefing with the people briefed.
    async fn get_briefing(&self, id: Uuid) -> StoreResult<Briefing>;
    /// For every role held today by someone who has not left: how many hold it and the first
    /// `per_role` of them by name. One query over the current assignments.
    async fn role_holders_today(
        &self,
        today: Date,
        per_role: i64,
    ) -> StoreResult<HashMap<Uuid, RoleHoldersToday>>;
    /// Writes the `audit_pack.exported` event of an assessment's pack, whose record digest is
    /// the SHA-256 of the manifest's JSON, and returns it sealed.
    async fn record_pack_export(
        &self,
        actor: &Actor,
        assessment_id: Uuid,
        manifest: &Manifest,
    ) -> StoreResult<AuditEvent>;
}
