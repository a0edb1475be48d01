//! What the policy rules read, as the store loads it: the top-level policy and its versions,
//! approvals, review clock, campaign and visibility; every policy in force; objectives;
//! exceptions past their expiry.

use time::Date;
use uuid::Uuid;

use crate::domain::access::Role;
use crate::domain::policy::{PolicyKind, Visibility};

/// What the policy rules read, loaded by the store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyFacts {
    /// The organization's name, which the purpose and scope should name (empty: not recorded).
    pub organization_name: String,
    /// The strategic themes of the organization profile.
    pub strategic_themes: Vec<String>,
    /// The top-level information security policy; none while it is not created.
    pub top: Option<TopPolicy>,
    /// Every active (not retired) objective.
    pub objectives: Vec<ObjectiveFact>,
    /// Every policy with a version in force, the top-level one first.
    pub published: Vec<PublishedPolicy>,
    /// Policy exceptions approved and not yet expired.
    pub exceptions_active: i64,
    /// Approved exceptions past their expiry whose lapse was never recorded (no event, nobody
    /// told), the earliest first, at most 20.
    pub exceptions_lapsed_unrecorded: Vec<ExceptionFact>,
    /// How many there are in all.
    pub exceptions_lapsed_unrecorded_total: i64,
    /// People whose status is active: the base of acknowledgment coverage (5.1.f, 5.2.f).
    pub active_people: i64,
}

/// The top-level policy as the rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct TopPolicy {
    pub id: Uuid,
    pub title: String,
    pub review_interval_months: u32,
    /// The last publication or "reviewed, no change" plus the interval; none before the first
    /// publication.
    pub next_review_due: Option<Date>,
    pub visibility: Visibility,
    /// Why it is (not) shared outside.
    pub visibility_rationale: String,
    /// Share links neither revoked nor expired (restricted policies).
    pub active_share_links: i64,
    /// The published version.
    pub in_force: Option<VersionInForce>,
    /// Every version ever published (in force, superseded or retired), oldest first.
    pub published_versions: Vec<VersionApproval>,
    /// The campaigns on the version in force; none when none was launched for it.
    pub campaign: Option<CampaignFact>,
}

impl TopPolicy {
    /// "Information security policy v3.1".
    pub fn version_label(&self, version: &VersionInForce) -> String {
        format!("{} v{}", self.title, version.number)
    }
}

/// The version in force of the top-level policy.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionInForce {
    pub id: Uuid,
    /// "3.1".
    pub number: String,
    /// The published text (canonical Markdown or plain text).
    pub body: String,
    pub published_on: Date,
}

/// Who signed off a version that was published: only approvals of its last review round on the
/// very content published count.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionApproval {
    pub version_id: Uuid,
    pub number: String,
    /// Sign-offs by people holding a role of the catalog's `top_management` category that day.
    pub by_top_management: i64,
    /// Names of those who signed off with the tool role `top_management` while holding no such
    /// catalog role that day.
    pub by_tool_role_only: Vec<String>,
}

/// The campaigns that communicate the version in force, and the coverage of the latest one (as
/// the review packs and reports count it).
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignFact {
    /// Every campaign on the version in force, the latest first (never empty).
    pub campaigns: Vec<CampaignRef>,
    /// People the latest campaign asked.
    pub asked: i64,
    /// People whose status is active and who acknowledged in the latest campaign.
    pub acknowledged_by_active: i64,
}

/// A campaign cited by name.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignRef {
    pub id: Uuid,
    pub title: String,
}

/// An active objective.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveFact {
    pub id: Uuid,
    pub statement: String,
    /// The strategic theme it names.
    pub theme: String,
    /// Linked to the top-level policy.
    pub linked_to_top: bool,
}

/// A policy with a version in force.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedPolicy {
    pub policy_id: Uuid,
    pub version_id: Uuid,
    pub title: String,
    pub kind: PolicyKind,
    pub number: String,
    pub approver_role: Role,
    /// The version in force was signed off (last round, same content) by its approver role.
    pub approved_by_approver_role: bool,
    pub next_review_due: Option<Date>,
}

impl PublishedPolicy {
    /// "Access control v1.2".
    pub fn label(&self) -> String {
        format!("{} v{}", self.title, self.number)
    }
}

/// An exception to a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptionFact {
    pub id: Uuid,
    pub policy_title: String,
    pub scope: String,
    pub expires_on: Date,
}
