//! The part of the store that keeps resource commitments, process integration and managers'
//! briefings (5.1.b, 5.1.c, 5.1.h, A.5.4). Who may decide, verify or record is checked here,
//! inside the transaction that writes, with the caller's roles read again.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::account::Account;
use crate::domain::briefing::{Briefing, BriefingFilter, BriefingInput, UnitBriefings};
use crate::domain::process::{Process, ProcessInput, VerificationInput};
use crate::domain::resource::{
    ResourceCommitment, ResourceCommitmentInput, ResourceDecisionInput, ResourceFilter,
    ResourceTypeSummary,
};
use crate::domain::{Actor, Page, PageRequest};

#[async_trait]
pub trait CommitmentStore: Send + Sync {
    // Resource commitments.

    /// A request by the caller's person, awaiting top management's decision. With `none_needed`
    /// it is instead top management's decision that none are needed, approved as it is recorded
    /// (403 unless the caller holds top management today).
    async fn request_resources(
        &self,
        by: &Account,
        input: ResourceCommitmentInput,
    ) -> StoreResult<ResourceCommitment>;
    /// Approves or rejects a request: only a member of top management today, never the person who
    /// asked (403, even in top management); 409 once decided or withdrawn.
    async fn decide_resources(
        &self,
        by: &Account,
        id: Uuid,
        decision: ResourceDecisionInput,
    ) -> StoreResult<ResourceCommitment>;
    /// The requester takes back a request still awaiting a decision (403 for anyone else, 409
    /// once decided).
    async fn withdraw_resources(&self, by: &Account, id: Uuid) -> StoreResult<ResourceCommitment>;
    async fn get_resource_commitment(&self, id: Uuid) -> StoreResult<ResourceCommitment>;
    /// Requests awaiting a decision first (oldest first), then the newest.
    async fn list_resource_commitments(
        &self,
        filter: &ResourceFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ResourceCommitment>>;
    /// Every resource type over the period `from..=to` (commitments whose period overlaps it):
    /// approved totals per currency and FTE, whether "none needed" was decided, requests waiting.
    async fn resource_summary(&self, from: Date, to: Date)
    -> StoreResult<Vec<ResourceTypeSummary>>;

    // Process integration.

    /// Every process, stale first. The first call on a store records `process_catalog.installed`
    /// for the key processes the migration seeded.
    async fn list_processes(&self, today: Date) -> StoreResult<Vec<Process>>;
    /// The processes a person owns, stale first.
    async fn processes_owned_by(&self, person_id: Uuid, today: Date) -> StoreResult<Vec<Process>>;
    async fn get_process(&self, id: Uuid, today: Date) -> StoreResult<Process>;
    /// 422 on a duplicate name or an unknown owner.
    async fn create_process(
        &self,
        actor: &Actor,
        input: ProcessInput,
        today: Date,
    ) -> StoreResult<Process>;
    async fn update_process(
        &self,
        actor: &Actor,
        id: Uuid,
        input: ProcessInput,
        today: Date,
    ) -> StoreResult<Process>;
    /// Records that the integration was verified (and new evidence): the owner or an ISMS manager
    /// only (403); 422 for a day earlier than the verification already recorded.
    async fn verify_process(
        &self,
        by: &Account,
        id: Uuid,
        input: VerificationInput,
        today: Date,
    ) -> StoreResult<Process>;

    // Briefings.

    /// Records a briefing the manager gave. A manager records their own, for a unit they head or
    /// one their direct reports work in (403 otherwise); an ISMS manager may record for another
    /// manager (422 when that manager neither heads the unit nor has staff in it).
    async fn record_briefing(
        &self,
        by: &Account,
        input: BriefingInput,
        today: Date,
    ) -> StoreResult<Briefing>;
    /// Newest first.
    async fn list_briefings(
        &self,
        filter: &BriefingFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Briefing>>;
    /// Every unit with the day of its last briefing and how many since `since`; units never
    /// briefed first, then the longest ago.
    async fn briefings_by_unit(&self, since: Date) -> StoreResult<Vec<UnitBriefings>>;
    /// The units `head_id` heads with no briefing on or after `since`.
    async fn units_awaiting_briefing(
        &self,
        head_id: Uuid,
        since: Date,
    ) -> StoreResult<Vec<UnitBriefings>>;
}
