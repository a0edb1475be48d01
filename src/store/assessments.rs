//! The part of the store that keeps assessments (immutable snapshots of every verdict), the
//! organization's thresholds and the "not applicable" justifications.

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::account::Account;
use crate::domain::assessment::{
    Assessment, AssessmentSummary, JustificationDecision, JustificationInput, JustificationRecord,
    Trigger, VerdictPoint,
};
use crate::domain::conformance::{Evaluation, Justification, Thresholds};
use crate::domain::{Page, PageRequest};

#[async_trait]
pub trait AssessmentStore: Send + Sync {
    /// Stores `evaluation` as a new, immutable assessment with the SHA-256 of its JSON text, and
    /// its audit event (`assessment.run`, whose record digest is that hash), in one transaction.
    /// `by` is the account that ran it (none for the schedule and the command line).
    async fn run_assessment(
        &self,
        by: Option<&Account>,
        trigger: Trigger,
        evaluation: Evaluation,
    ) -> StoreResult<Assessment>;
    /// One assessment with its snapshot; `intact` says whether the stored text still has its hash.
    async fn get_assessment(&self, id: Uuid) -> StoreResult<Assessment>;
    /// The history, newest first, without snapshots.
    async fn list_assessments(&self, page: PageRequest) -> StoreResult<Page<AssessmentSummary>>;
    /// The newest assessment, if any.
    async fn latest_assessment(&self) -> StoreResult<Option<Assessment>>;
    /// The assessment stored just before `id` (404 when `id` is unknown; none when it is the
    /// first).
    async fn previous_assessment(&self, id: Uuid) -> StoreResult<Option<AssessmentSummary>>;
    /// The verdicts of one requirement in the latest `limit` assessments, oldest first.
    async fn requirement_trend(
        &self,
        requirement_id: &str,
        limit: i64,
    ) -> StoreResult<Vec<VerdictPoint>>;

    /// The organization's thresholds (the catalog's defaults until one is changed).
    async fn conformance_thresholds(&self) -> StoreResult<Thresholds>;
    /// Sets the thresholds (days 1 to 3650, percents 0 to 100; 422 otherwise) with the audit
    /// event `conformance_thresholds.changed` carrying before and after; nothing is written when
    /// nothing changes.
    async fn set_thresholds(&self, by: &Account, thresholds: Thresholds)
    -> StoreResult<Thresholds>;

    /// Asks that a requirement of the catalog be judged not applicable (409 while another request
    /// for it awaits a decision).
    async fn request_justification(
        &self,
        by: &Account,
        input: JustificationInput,
        today: Date,
    ) -> StoreResult<JustificationRecord>;
    /// Approves or rejects a request: the decider holds top management today (read again in the
    /// transaction) and did not ask for it (403); one already decided or withdrawn is a 409.
    async fn decide_justification(
        &self,
        by: &Account,
        id: Uuid,
        decision: JustificationDecision,
        today: Date,
    ) -> StoreResult<JustificationRecord>;
    /// Withdraws a request or an approved justification (409 once rejected or withdrawn).
    async fn withdraw_justification(
        &self,
        by: &Account,
        id: Uuid,
        today: Date,
    ) -> StoreResult<JustificationRecord>;
    async fn get_justification(&self, id: Uuid, today: Date) -> StoreResult<JustificationRecord>;
    /// Every justification, awaiting a decision first, then newest first.
    async fn list_justifications(&self, today: Date) -> StoreResult<Vec<JustificationRecord>>;
    /// The justifications approved by top management and in force on `today`.
    async fn approved_justifications(&self, today: Date) -> StoreResult<Vec<Justification>>;
}
