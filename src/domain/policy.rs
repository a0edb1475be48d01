//! Policies (5.2, A.5.1): the one top-level information security policy and the topic-specific
//! ones, with who owns and approves each, whom it addresses, how often it is reviewed, and who
//! outside the organization may read it.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::FieldErrors;
use super::access::Role;
use super::person::iso_date;
use super::policy_version::{VersionNumber, VersionStatus};

/// The top-level information security policy, or a topic-specific one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    TopLevel,
    TopicSpecific,
}

text_enum!(PolicyKind, "policy kind", TopLevel => "top_level", TopicSpecific => "topic_specific");

impl PolicyKind {
    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::TopLevel => "Information security policy",
            PolicyKind::TopicSpecific => "Topic-specific policy",
        }
    }
}

/// Who outside the organization may read the published policy (5.2.g).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Never shown outside.
    Internal,
    /// On the trust page for anyone.
    Public,
    /// Through a share link with an expiry.
    Restricted,
}

text_enum!(Visibility, "visibility", Internal => "internal", Public => "public", Restricted => "restricted");

/// Whom the policy addresses; communication campaigns read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    Everyone,
    Units { unit_ids: Vec<Uuid> },
    Roles { roles: Vec<String> },
}

impl Audience {
    pub fn describe(&self) -> String {
        match self {
            Audience::Everyone => "Everyone".into(),
            Audience::Units { unit_ids } => format!("{} unit(s)", unit_ids.len()),
            Audience::Roles { roles } => format!("Holders of: {}", roles.join(", ")),
        }
    }
}

/// Where a policy stands against its review interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Nothing published yet, so nothing to review.
    NotPublished,
    /// Reviewed within its interval.
    Current,
    /// Due within 30 days.
    Due,
    Overdue,
}

/// A policy as stored, with its owner's name.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Policy {
    pub id: Uuid,
    pub title: String,
    pub kind: PolicyKind,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub approver_role: Role,
    pub audience: Audience,
    pub review_interval_months: u32,
    pub visibility: Visibility,
    /// Why it is (not) shared outside: the decision 5.2.g asks for.
    pub visibility_rationale: String,
    /// How many approvers must sign a version off.
    pub quorum: u32,
    /// The last publication or "reviewed, no change".
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub last_reviewed_on: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Months after which a due review counts as "due" rather than "current".
const DUE_SOON_DAYS: i64 = 30;

impl Policy {
    /// The last review plus the interval; none before the first publication.
    pub fn next_review_due(&self) -> Option<Date> {
        self.last_reviewed_on
            .map(|on| add_months(on, self.review_interval_months))
    }

    pub fn review_state(&self, today: Date) -> ReviewState {
        match self.next_review_due() {
            None => ReviewState::NotPublished,
            Some(due) if due < today => ReviewState::Overdue,
            Some(due) if (due - today).whole_days() <= DUE_SOON_DAYS => ReviewState::Due,
            Some(_) => ReviewState::Current,
        }
    }
}

/// The same day `months` later, or the month's last day when it is shorter.
pub fn add_months(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::December);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// A policy in a list: its version in force and its open version, if any.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PolicySummary {
    #[serde(flatten)]
    pub policy: Policy,
    pub published_version: Option<VersionNumber>,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub published_on: Option<Date>,
    pub open_version: Option<VersionNumber>,
    pub open_status: Option<VersionStatus>,
    pub versions: i64,
    pub active_exceptions: i64,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub next_review_due: Option<Date>,
    pub review_state: ReviewState,
}

/// What a policy is created or edited with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct PolicyInput {
    pub title: String,
    pub kind: PolicyKind,
    pub owner_id: Uuid,
    /// Defaults to top management, the only choice for the top-level policy.
    #[serde(default = "default_approver")]
    pub approver_role: Role,
    #[serde(default = "default_audience")]
    pub audience: Audience,
    #[serde(default = "default_interval")]
    pub review_interval_months: u32,
    #[serde(default = "default_visibility")]
    pub visibility: Visibility,
    #[serde(default)]
    pub visibility_rationale: String,
    #[serde(default = "default_quorum")]
    pub quorum: u32,
}

fn default_approver() -> Role {
    Role::TopManagement
}
fn default_audience() -> Audience {
    Audience::Everyone
}
fn default_interval() -> u32 {
    12
}
fn default_visibility() -> Visibility {
    Visibility::Internal
}
fn default_quorum() -> u32 {
    1
}

/// Roles that may be a policy's approver: those that sign off in Charter.
pub const APPROVER_ROLES: [Role; 2] = [Role::TopManagement, Role::IsmsManager];

impl PolicyInput {
    pub fn from_policy(policy: &Policy) -> Self {
        Self {
            title: policy.title.clone(),
            kind: policy.kind,
            owner_id: policy.owner_id,
            approver_role: policy.approver_role,
            audience: policy.audience.clone(),
            review_interval_months: policy.review_interval_months,
            visibility: policy.visibility,
            visibility_rationale: policy.visibility_rationale.clone(),
            quorum: policy.quorum,
        }
    }

    /// Checks what needs no database; the store checks the owner and the one top-level policy.
    pub fn validate(self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.check_name("title", &self.title);
        if !APPROVER_ROLES.contains(&self.approver_role) {
            errors.add("approver_role", "must be top_management or isms_manager");
        } else if self.kind == PolicyKind::TopLevel && self.approver_role != Role::TopManagement {
            errors.add(
                "approver_role",
                "must be top_management for the information security policy (5.2)",
            );
        }
        if !(1..=36).contains(&self.review_interval_months) {
            errors.add("review_interval_months", "must be between 1 and 36 months");
        }
        if !(1..=5).contains(&self.quorum) {
            errors.add("quorum", "must be between 1 and 5 approvers");
        }
        match &self.audience {
            Audience::Units { unit_ids } if unit_ids.is_empty() => {
                errors.add("audience", "name at least one unit")
            }
            Audience::Roles { roles } if roles.iter().all(|r| r.trim().is_empty()) => {
                errors.add("audience", "name at least one role")
            }
            _ => {}
        }
        let rationale = self.visibility_rationale.trim().to_owned();
        if rationale.chars().count() > 2000 {
            errors.add("visibility_rationale", "must be at most 2000 characters");
        }
        errors.into_result()?;
        Ok(Self {
            title,
            visibility_rationale: rationale,
            ..self
        })
    }
}

/// Narrows a policy list; every field is optional.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PolicyFilter {
    /// Words of the title.
    pub q: Option<String>,
    pub kind: Option<PolicyKind>,
    pub visibility: Option<Visibility>,
    /// Only policies overdue for review on this date (the server's today).
    #[serde(default)]
    pub overdue: bool,
    /// Only policies with a version awaiting a decision.
    #[serde(default)]
    pub in_review: bool,
    #[param(value_type = Option<String>)]
    pub owner_id: Option<Uuid>,
    /// Only policies with a version in force (what staff see).
    #[serde(default)]
    pub published_only: bool,
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn input() -> PolicyInput {
        PolicyInput {
            title: " Access control ".into(),
            kind: PolicyKind::TopicSpecific,
            owner_id: Uuid::nil(),
            approver_role: Role::IsmsManager,
            audience: Audience::Everyone,
            review_interval_months: 12,
            visibility: Visibility::Internal,
            visibility_rationale: String::new(),
            quorum: 1,
        }
    }

    #[test]
    fn months_are_added_to_the_calendar() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 11 - 15), 12), date!(2027 - 11 - 15));
        assert_eq!(add_months(date!(2026 - 11 - 15), 2), date!(2027 - 01 - 15));
    }

    #[test]
    fn the_top_level_policy_is_approved_by_top_management() {
        let wrong = PolicyInput {
            kind: PolicyKind::TopLevel,
            ..input()
        };
        let errors = wrong.validate().expect_err("refused");
        assert!(errors.get("approver_role").is_some());
        assert_eq!(input().validate().expect("valid").title, "Access control");
    }

    #[test]
    fn staff_cannot_be_an_approver_role_and_intervals_are_bounded() {
        let wrong = PolicyInput {
            approver_role: Role::Staff,
            review_interval_months: 0,
            quorum: 9,
            ..input()
        };
        let errors = wrong.validate().expect_err("refused");
        for field in ["approver_role", "review_interval_months", "quorum"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
