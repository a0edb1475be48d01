//! The part of the store that keeps policies: versions and their lifecycle, sign-offs, comments,
//! reviews, exceptions and share links. Every change writes its audit event in its transaction.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::StoreResult;
use crate::domain::account::Account;
use crate::domain::policy::{Policy, PolicyFilter, PolicyInput, PolicySummary};
use crate::domain::policy_exception::{
    ExceptionDecisionInput, ExceptionFilter, ExceptionInput, PolicyException, ShareLink,
};
use crate::domain::policy_version::{Comment, Decision, DraftInput, PolicyVersion, Transition};
use crate::domain::{Page, PageRequest};

/// A "reviewed, no change" record: the policy was looked at and its version stays in force.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct PolicyReview {
    pub id: Uuid,
    pub policy_id: Uuid,
    pub version_id: Uuid,
    pub account_id: Uuid,
    pub account_name: String,
    pub note: String,
    #[serde(with = "crate::domain::person::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub reviewed_on: Date,
}

/// A published policy with the version in force, as the trust page and share links show it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedPolicy {
    pub policy: Policy,
    pub version: PolicyVersion,
    /// Names of those who signed the version off.
    pub approvers: Vec<String>,
}

#[async_trait]
pub trait PolicyStore: Send + Sync {
    async fn list_policies(
        &self,
        filter: &PolicyFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<PolicySummary>>;
    async fn get_policy(&self, id: Uuid) -> StoreResult<Policy>;
    async fn top_level_policy(&self) -> StoreResult<Option<Policy>>;
    /// Creates the policy and its first draft (version 1.0) written by `by`.
    async fn create_policy(
        &self,
        by: &Account,
        input: PolicyInput,
        draft: DraftInput,
    ) -> StoreResult<(Policy, PolicyVersion)>;
    async fn update_policy(
        &self,
        by: &Account,
        id: Uuid,
        input: PolicyInput,
    ) -> StoreResult<Policy>;

    /// Every version of the policy, newest first.
    async fn list_versions(&self, policy_id: Uuid) -> StoreResult<Vec<PolicyVersion>>;
    async fn get_version(&self, id: Uuid) -> StoreResult<PolicyVersion>;
    async fn published_version(&self, policy_id: Uuid) -> StoreResult<Option<PolicyVersion>>;
    /// Starts the policy's next version; refused while another is in preparation.
    async fn create_draft(
        &self,
        by: &Account,
        policy_id: Uuid,
        draft: DraftInput,
    ) -> StoreResult<PolicyVersion>;
    /// Changes a draft; any other status is refused (approved and later are immutable).
    async fn update_draft(
        &self,
        by: &Account,
        version_id: Uuid,
        draft: DraftInput,
    ) -> StoreResult<PolicyVersion>;
    /// One step of the lifecycle. Approve and reject are sign-off decisions: the approver's roles
    /// are read again inside the transaction and the sign-off rule is checked and recorded.
    /// `statement` is the approval statement or the reason for rejecting.
    async fn transition_version(
        &self,
        by: &Account,
        version_id: Uuid,
        step: Transition,
        statement: &str,
        today: Date,
    ) -> StoreResult<PolicyVersion>;
    async fn version_decisions(&self, version_id: Uuid) -> StoreResult<Vec<Decision>>;
    /// The accounts that wrote or edited the version.
    async fn version_contributors(&self, version_id: Uuid) -> StoreResult<Vec<Uuid>>;
    async fn add_comment(&self, by: &Account, version_id: Uuid, body: &str)
    -> StoreResult<Comment>;
    async fn version_comments(&self, version_id: Uuid) -> StoreResult<Vec<Comment>>;
    /// "Reviewed, no change": the published version stays in force and the next review moves on.
    async fn record_review(
        &self,
        by: &Account,
        policy_id: Uuid,
        note: &str,
        today: Date,
    ) -> StoreResult<PolicyReview>;
    async fn list_reviews(&self, policy_id: Uuid) -> StoreResult<Vec<PolicyReview>>;

    async fn request_exception(
        &self,
        by: &Account,
        policy_id: Uuid,
        input: ExceptionInput,
        today: Date,
    ) -> StoreResult<PolicyException>;
    /// Approves or rejects: only a holder of the policy's approver role who did not request it.
    async fn decide_exception(
        &self,
        by: &Account,
        id: Uuid,
        decision: ExceptionDecisionInput,
        today: Date,
    ) -> StoreResult<PolicyException>;
    /// The requester takes back a request not yet decided.
    async fn withdraw_exception(
        &self,
        by: &Account,
        id: Uuid,
        today: Date,
    ) -> StoreResult<PolicyException>;
    async fn list_exceptions(
        &self,
        filter: &ExceptionFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<PolicyException>>;
    async fn get_exception(&self, id: Uuid, today: Date) -> StoreResult<PolicyException>;

    async fn create_share_link(
        &self,
        by: &Account,
        policy_id: Uuid,
        label: &str,
        expires_at: OffsetDateTime,
        token_hash: &str,
    ) -> StoreResult<ShareLink>;
    async fn revoke_share_link(&self, by: &Account, id: Uuid) -> StoreResult<ShareLink>;
    async fn list_share_links(&self, policy_id: Uuid) -> StoreResult<Vec<ShareLink>>;
    /// The restricted policy behind an active link, counting and logging the access (with the
    /// reader's address) in the audit chain; none when the link is unknown, expired or revoked.
    async fn open_share_link(
        &self,
        token_hash: &str,
        address: &str,
    ) -> StoreResult<Option<PublishedPolicy>>;
    /// Published policies marked public, the top-level one first.
    async fn public_policies(&self) -> StoreResult<Vec<PublishedPolicy>>;
    async fn public_policy(&self, id: Uuid) -> StoreResult<Option<PublishedPolicy>>;
}
