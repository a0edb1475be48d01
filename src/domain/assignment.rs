//! Role assignments: who holds a role of the catalog, where, from when to when, who assigned them
//! and why; the holder's acknowledgment (how the role is communicated), their evidence of
//! competence, and the tasks they delegate while keeping the accountability.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::person::iso_date;

/// Where an assignment applies: the whole organization, one unit (with its sub-units), or a named
/// asset or process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssignmentScope {
    Organization,
    Unit { unit_id: Uuid },
    Asset { name: String },
    Process { name: String },
}

impl AssignmentScope {
    pub fn kind(&self) -> &'static str {
        match self {
            AssignmentScope::Organization => "organization",
            AssignmentScope::Unit { .. } => "unit",
            AssignmentScope::Asset { .. } => "asset",
            AssignmentScope::Process { .. } => "process",
        }
    }

    pub fn unit_id(&self) -> Option<Uuid> {
        match self {
            AssignmentScope::Unit { unit_id } => Some(*unit_id),
            _ => None,
        }
    }

    pub fn name(&self) -> Option<&str> {
        match self {
            AssignmentScope::Asset { name } | AssignmentScope::Process { name } => Some(name),
            _ => None,
        }
    }

    /// Rebuilds a scope from its stored columns.
    pub fn from_columns(kind: &str, unit_id: Option<Uuid>, name: Option<String>) -> Option<Self> {
        match (kind, unit_id, name) {
            ("organization", _, _) => Some(AssignmentScope::Organization),
            ("unit", Some(unit_id), _) => Some(AssignmentScope::Unit { unit_id }),
            ("asset", _, Some(name)) => Some(AssignmentScope::Asset { name }),
            ("process", _, Some(name)) => Some(AssignmentScope::Process { name }),
            _ => None,
        }
    }

    fn validate(&mut self, errors: &mut FieldErrors) {
        if let AssignmentScope::Asset { name } | AssignmentScope::Process { name } = self {
            *name = name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 200 {
                errors.add(
                    "scope.name",
                    "name the asset or process (at most 200 characters)",
                );
            }
        }
    }
}

/// Where an assignment stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenureState {
    /// Starts later.
    Upcoming,
    Current,
    Ended,
}

impl TenureState {
    pub fn on(starts_on: Date, ends_on: Option<Date>, day: Date) -> Self {
        if starts_on > day {
            TenureState::Upcoming
        } else if ends_on.is_some_and(|end| end < day) {
            TenureState::Ended
        } else {
            TenureState::Current
        }
    }
}

/// A person's tenure of a role.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Assignment {
    pub id: Uuid,
    pub role_id: Uuid,
    pub role_name: String,
    pub person_id: Uuid,
    pub person_name: String,
    /// The person's status now (`active`, `on_leave`, `departed`).
    pub person_status: String,
    pub scope: AssignmentScope,
    /// The holder stands in for the main holder (critical roles need one).
    pub deputy: bool,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Date>,
    pub reason: String,
    /// The account that assigned it.
    pub assigned_by: Uuid,
    pub assigned_by_name: String,
    pub state: TenureState,
    #[serde(with = "time::serde::rfc3339::option")]
    pub acknowledged_at: Option<OffsetDateTime>,
    /// The responsibilities and authorities the holder acknowledged, as shown to them.
    pub acknowledged_statement: Option<String>,
    /// When the holder's departure flagged it for handover.
    #[serde(with = "time::serde::rfc3339::option")]
    pub handover_flagged_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What an assignment is made with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct AssignmentInput {
    pub role_id: Uuid,
    pub person_id: Uuid,
    #[serde(default = "organization_scope")]
    pub scope: AssignmentScope,
    #[serde(default)]
    pub deputy: bool,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Date>,
    /// Why this person holds the role.
    #[serde(default)]
    pub reason: String,
    /// An approved segregation-of-duties exception that covers this assignment, if it needs one.
    #[serde(default)]
    pub sod_exception_id: Option<Uuid>,
}

fn organization_scope() -> AssignmentScope {
    AssignmentScope::Organization
}

impl AssignmentInput {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.scope.validate(&mut errors);
        self.reason = self.reason.trim().to_owned();
        if self.reason.is_empty() || self.reason.chars().count() > 2000 {
            errors.add(
                "reason",
                "say why this person holds the role (at most 2000 characters)",
            );
        }
        if self.ends_on.is_some_and(|end| end < self.starts_on) {
            errors.add("ends_on", "is before the start date");
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// Ending an assignment: the last day it is held, and why.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct AssignmentEnd {
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub ends_on: Date,
    #[serde(default)]
    pub reason: String,
}

/// Filter for assignment lists.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
pub struct AssignmentFilter {
    pub role_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    /// Held on this day (default: any time).
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub on: Option<Date>,
    /// Only those the holder has not acknowledged yet.
    #[serde(default)]
    pub unacknowledged: bool,
}

/// The kind of competence evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Training,
    Certification,
    Experience,
}

text_enum!(EvidenceKind, "kind of evidence", Training => "training",
    Certification => "certification", Experience => "experience");

/// The holder's evidence of the competence a role needs.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CompetenceEvidence {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub kind: EvidenceKind,
    pub description: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub obtained_on: Date,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
    pub recorded_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

impl CompetenceEvidence {
    pub fn is_valid_on(&self, day: Date) -> bool {
        self.obtained_on <= day && self.expires_on.is_none_or(|end| end >= day)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct CompetenceEvidenceInput {
    pub kind: EvidenceKind,
    pub description: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub obtained_on: Date,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
}

impl CompetenceEvidenceInput {
    pub fn validate(mut self, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.description = errors.check_name("description", &self.description);
        if self.obtained_on > today {
            errors.add("obtained_on", "is in the future");
        }
        if self.expires_on.is_some_and(|end| end < self.obtained_on) {
            errors.add("expires_on", "is before the date it was obtained");
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// To whom a task is delegated: a person of the organization or a named external provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Delegate {
    Person { person_id: Uuid },
    External { provider: String },
}

/// A task delegated by the holder of an assignment for a period; the accountability stays with
/// the delegator.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Delegation {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub role_id: Uuid,
    pub role_name: String,
    /// The holder who delegated and who stays accountable.
    pub delegator_id: Uuid,
    pub delegator_name: String,
    pub delegate: Delegate,
    /// The delegate's name (the person's, or the provider's).
    pub delegate_name: String,
    pub task: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub ends_on: Date,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    /// Derived from today's date: a delegation ends by itself after its end date.
    pub state: TenureState,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct DelegationInput {
    pub assignment_id: Uuid,
    pub delegate: Delegate,
    pub task: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub ends_on: Date,
}

/// The longest a delegation may run before it must be delegated again.
pub const MAX_DELEGATION_DAYS: i64 = 366;

impl DelegationInput {
    pub fn validate(mut self, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.task = self.task.trim().to_owned();
        if self.task.is_empty() || self.task.chars().count() > 1000 {
            errors.add(
                "task",
                "describe the task delegated (at most 1000 characters)",
            );
        }
        if let Delegate::External { provider } = &mut self.delegate {
            *provider = errors.check_name("delegate.provider", provider);
        }
        if self.ends_on < self.starts_on {
            errors.add("ends_on", "is before the start date");
        } else if (self.ends_on - self.starts_on).whole_days() > MAX_DELEGATION_DAYS {
            errors.add("ends_on", "a delegation runs at most a year");
        }
        if self.ends_on < today {
            errors.add("ends_on", "is in the past");
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// Who held a role on a day (the answer to "who held role R on date D").
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RoleHolders {
    pub role_id: Uuid,
    pub role_name: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    pub holders: Vec<Assignment>,
}

/// The text a holder acknowledges: the role's responsibilities and authorities as they stand.
pub fn role_statement(
    role_name: &str,
    responsibilities: &[String],
    authorities: &[String],
) -> String {
    let mut text = format!(
        "I accept the role \"{role_name}\" with these responsibilities and authorities.\n\nResponsibilities:\n"
    );
    for item in responsibilities {
        text.push_str("- ");
        text.push_str(item);
        text.push('\n');
    }
    text.push_str("\nAuthorities:\n");
    for item in authorities {
        text.push_str("- ");
        text.push_str(item);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn tenure_is_current_from_its_first_to_its_last_day() {
        let start = date!(2026 - 01 - 01);
        let end = Some(date!(2026 - 06 - 30));
        assert_eq!(
            TenureState::on(start, end, date!(2025 - 12 - 31)),
            TenureState::Upcoming
        );
        assert_eq!(TenureState::on(start, end, start), TenureState::Current);
        assert_eq!(
            TenureState::on(start, end, date!(2026 - 06 - 30)),
            TenureState::Current
        );
        assert_eq!(
            TenureState::on(start, end, date!(2026 - 07 - 01)),
            TenureState::Ended
        );
        assert_eq!(
            TenureState::on(start, None, date!(2099 - 01 - 01)),
            TenureState::Current
        );
    }

    #[test]
    fn a_delegation_has_a_task_and_a_bounded_period() {
        let today = date!(2026 - 03 - 01);
        let input = DelegationInput {
            assignment_id: Uuid::nil(),
            delegate: Delegate::External {
                provider: " ".into(),
            },
            task: " ".into(),
            starts_on: today,
            ends_on: date!(2027 - 06 - 01),
        };
        let errors = input.validate(today).expect_err("refused");
        assert!(errors.get("task").is_some());
        assert!(errors.get("delegate.provider").is_some());
        assert!(errors.get("ends_on").is_some());
    }

    #[test]
    fn the_statement_lists_what_the_holder_accepts() {
        let text = role_statement("Risk owner", &["Own risks".into()], &["Accept risk".into()]);
        assert!(text.contains("\"Risk owner\""));
        assert!(text.contains("- Own risks\n"));
        assert!(text.contains("Authorities:\n- Accept risk\n"));
    }
}
