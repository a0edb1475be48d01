//! Policy versions: numbers, the lifecycle draft → in review → approved → published → retired,
//! and the sign-off rule (the approver holds the approver role and wrote none of the version).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::access::Role;
use super::account::Account;

/// `major.minor`; the author says whether a change is major.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VersionNumber {
    pub major: u32,
    pub minor: u32,
}

/// Described as the text it is sent as.
impl utoipa::PartialSchema for VersionNumber {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("major.minor"))
            .examples(["2.1"])
            .into()
    }
}

impl ToSchema for VersionNumber {}

/// Sent as its text, "2.1".
impl Serialize for VersionNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl VersionNumber {
    pub const FIRST: VersionNumber = VersionNumber { major: 1, minor: 0 };

    /// The number after `self`: a major change starts the next major number.
    pub fn next(self, is_major: bool) -> Self {
        if is_major {
            Self {
                major: self.major + 1,
                minor: 0,
            }
        } else {
            Self {
                major: self.major,
                minor: self.minor + 1,
            }
        }
    }

    /// The number of a new version given the highest number so far (none: the first version).
    pub fn after(latest: Option<VersionNumber>, is_major: bool) -> Self {
        latest.map_or(Self::FIRST, |n| n.next(is_major))
    }
}

impl fmt::Display for VersionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Where a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Draft,
    InReview,
    Approved,
    Published,
    /// Was published; a newer version replaced it.
    Superseded,
    Retired,
}

text_enum!(VersionStatus, "version status", Draft => "draft", InReview => "in_review",
    Approved => "approved", Published => "published", Superseded => "superseded", Retired => "retired");

impl VersionStatus {
    pub fn label(self) -> &'static str {
        match self {
            VersionStatus::Draft => "Draft",
            VersionStatus::InReview => "In review",
            VersionStatus::Approved => "Approved",
            VersionStatus::Published => "Published",
            VersionStatus::Superseded => "Superseded",
            VersionStatus::Retired => "Retired",
        }
    }

    /// Only a draft's text may change; approved and later versions are immutable.
    pub fn is_editable(self) -> bool {
        self == VersionStatus::Draft
    }

    /// Draft, in review or approved: the one version a policy may have in preparation.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            VersionStatus::Draft | VersionStatus::InReview | VersionStatus::Approved
        )
    }
}

/// A step of the lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    Submit,
    Withdraw,
    Approve,
    Reject,
    Publish,
    Retire,
}

text_enum!(Transition, "transition", Submit => "submit", Withdraw => "withdraw",
    Approve => "approve", Reject => "reject", Publish => "publish", Retire => "retire");

impl Transition {
    /// The status a version must be in for this step.
    pub fn from_status(self) -> VersionStatus {
        match self {
            Transition::Submit => VersionStatus::Draft,
            Transition::Withdraw | Transition::Approve | Transition::Reject => {
                VersionStatus::InReview
            }
            Transition::Publish => VersionStatus::Approved,
            Transition::Retire => VersionStatus::Published,
        }
    }

    /// Refuses a step from the wrong status, saying why in words.
    pub fn check(self, status: VersionStatus) -> Result<(), String> {
        if status == self.from_status() {
            return Ok(());
        }
        Err(format!(
            "a version that is {} cannot be {}; only a version that is {} can",
            status.label().to_lowercase(),
            self.past_tense(),
            self.from_status().label().to_lowercase()
        ))
    }

    pub fn past_tense(self) -> &'static str {
        match self {
            Transition::Submit => "submitted for review",
            Transition::Withdraw => "withdrawn from review",
            Transition::Approve => "approved",
            Transition::Reject => "rejected",
            Transition::Publish => "published",
            Transition::Retire => "retired",
        }
    }
}

/// A version as stored (with its body).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PolicyVersion {
    pub id: Uuid,
    pub policy_id: Uuid,
    pub number: VersionNumber,
    pub is_major: bool,
    pub status: VersionStatus,
    /// The canonical Markdown body.
    pub body: String,
    /// SHA-256 of the canonical body, hex.
    pub content_hash: String,
    pub change_summary: String,
    pub author_id: Uuid,
    pub submitted_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    /// Which submission this is (a rejected version submitted again needs fresh approvals).
    pub review_round: u32,
    #[serde(with = "time::serde::rfc3339::option")]
    pub approved_at: Option<OffsetDateTime>,
    pub published_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub retired_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl PolicyVersion {
    /// Whether publishing it asks the policy's audience to acknowledge again: a major version
    /// after the first (acknowledgments carry over minor versions; the first version is sent by
    /// launching a campaign).
    pub fn asks_reacknowledgment(&self) -> bool {
        self.number.minor == 0 && self.number.major > 1
    }
}

/// A version without its body, for lists.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VersionHeader {
    pub id: Uuid,
    pub number: VersionNumber,
    pub is_major: bool,
    pub status: VersionStatus,
    pub content_hash: String,
    pub change_summary: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub approved_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub retired_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<&PolicyVersion> for VersionHeader {
    fn from(v: &PolicyVersion) -> Self {
        Self {
            id: v.id,
            number: v.number,
            is_major: v.is_major,
            status: v.status,
            content_hash: v.content_hash.clone(),
            change_summary: v.change_summary.clone(),
            submitted_at: v.submitted_at,
            approved_at: v.approved_at,
            published_at: v.published_at,
            retired_at: v.retired_at,
            updated_at: v.updated_at,
        }
    }
}

/// What a draft is written with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct DraftInput {
    pub body: String,
    /// Whether this is a major change (the next major number) or a minor one.
    #[serde(default)]
    pub is_major: bool,
    #[serde(default)]
    pub change_summary: String,
}

/// The largest body Charter accepts: 1 MiB of text.
pub const MAX_BODY_BYTES: usize = 1 << 20;

impl DraftInput {
    pub fn validate(self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let body = crate::document::canonical::canonical_body(&self.body);
        if body.is_empty() {
            errors.add("body", "is required");
        } else if body.len() > MAX_BODY_BYTES {
            errors.add("body", "must be at most 1 MiB");
        }
        let summary = self.change_summary.trim().to_owned();
        if summary.chars().count() > 500 {
            errors.add("change_summary", "must be at most 500 characters");
        }
        errors.into_result()?;
        Ok(Self {
            body,
            change_summary: summary,
            ..self
        })
    }
}

/// A sign-off or a rejection, with what was checked at that moment.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Decision {
    pub id: Uuid,
    pub version_id: Uuid,
    pub account_id: Uuid,
    pub account_name: String,
    pub approved: bool,
    /// The approval statement, or the reason for rejecting.
    pub statement: String,
    /// The approver role the account held when deciding.
    pub held_role: Role,
    /// The content hash that was signed.
    pub content_hash: String,
    pub review_round: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub decided_at: OffsetDateTime,
}

/// A reviewer's comment on a version.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Comment {
    pub id: Uuid,
    pub version_id: Uuid,
    pub account_id: Uuid,
    pub account_name: String,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Why an account may not sign a version off.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignoffRefusal {
    #[error("only a holder of the {0} role may decide on this policy")]
    MissingRole(Role),
    #[error("you wrote or edited this version, so you cannot approve or reject it")]
    Author,
    #[error("you submitted this version for review, so you cannot approve or reject it")]
    Submitter,
    #[error("you have already decided on this version in this review round")]
    AlreadyDecided,
}

/// The sign-off rule, checked (and recorded) when an approver decides: they hold the approver
/// role, they wrote no part of the version, they did not submit it, and they decide once a round.
pub fn check_signoff(
    approver: &Account,
    approver_role: Role,
    contributors: &[Uuid],
    submitted_by: Option<Uuid>,
    already_decided: bool,
) -> Result<(), SignoffRefusal> {
    if !approver.has_role(approver_role) {
        return Err(SignoffRefusal::MissingRole(approver_role));
    }
    if contributors.contains(&approver.id) {
        return Err(SignoffRefusal::Author);
    }
    if submitted_by == Some(approver.id) {
        return Err(SignoffRefusal::Submitter);
    }
    if already_decided {
        return Err(SignoffRefusal::AlreadyDecided);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(roles: Vec<Role>) -> Account {
        Account {
            id: Uuid::now_v7(),
            person_id: Uuid::now_v7(),
            name: "Ada".into(),
            email: "ada@example.test".into(),
            roles,
            granted_roles: Vec::new(),
            has_password: true,
            disabled_at: None,
            expires_on: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn numbers_follow_the_authors_choice() {
        assert_eq!(VersionNumber::after(None, false).to_string(), "1.0");
        let v = VersionNumber { major: 1, minor: 3 };
        assert_eq!(v.next(false).to_string(), "1.4");
        assert_eq!(v.next(true).to_string(), "2.0");
    }

    #[test]
    fn each_step_starts_from_one_status() {
        assert!(Transition::Submit.check(VersionStatus::Draft).is_ok());
        let err = Transition::Publish
            .check(VersionStatus::Retired)
            .expect_err("refused");
        assert!(err.contains("retired cannot be published"), "{err}");
        assert!(Transition::Approve.check(VersionStatus::Draft).is_err());
        assert!(Transition::Retire.check(VersionStatus::Superseded).is_err());
        assert!(!VersionStatus::Approved.is_editable());
    }

    #[test]
    fn the_sign_off_rule() {
        let boss = account(vec![Role::TopManagement]);
        assert_eq!(
            check_signoff(&boss, Role::TopManagement, &[Uuid::nil()], None, false),
            Ok(())
        );
        assert_eq!(
            check_signoff(&boss, Role::TopManagement, &[boss.id], None, false),
            Err(SignoffRefusal::Author)
        );
        assert_eq!(
            check_signoff(&boss, Role::TopManagement, &[], Some(boss.id), false),
            Err(SignoffRefusal::Submitter)
        );
        assert_eq!(
            check_signoff(&boss, Role::TopManagement, &[], None, true),
            Err(SignoffRefusal::AlreadyDecided)
        );
        let staff = account(vec![Role::Staff]);
        assert_eq!(
            check_signoff(&staff, Role::TopManagement, &[], None, false),
            Err(SignoffRefusal::MissingRole(Role::TopManagement))
        );
    }

    #[test]
    fn drafts_are_stored_canonical() {
        let draft = DraftInput {
            body: "# Policy  \r\n\r\nText\r\n\r\n".into(),
            is_major: false,
            change_summary: "  typo ".into(),
        }
        .validate()
        .expect("valid");
        assert_eq!(draft.body, "# Policy\n\nText\n");
        assert_eq!(draft.change_summary, "typo");
        let empty = DraftInput {
            body: " \n ".into(),
            is_major: false,
            change_summary: String::new(),
        };
        assert!(empty.validate().expect_err("refused").get("body").is_some());
    }
}
