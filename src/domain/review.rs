//! Management reviews (5.1.g): who met when, chaired by top management, the minutes, the typed
//! decisions, and the inputs Charter assembled; the chair's sign-off locks the record.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::improvement_action::{ActionStatus, NewActionFields};
use super::isms_status::{ActionLine, IsmsStatus};
use super::person::iso_date;
use checks::{check_attendees, check_held_on, check_minutes};

mod checks;

/// Where a review stands: a draft changes, a signed review never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Draft,
    Signed,
}

text_enum!(ReviewStatus, "review status", Draft => "draft", Signed => "signed");

/// What a decision of the review is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Resources,
    Improvement,
    PolicyChange,
    ObjectiveChange,
    RiskAcceptance,
}

text_enum!(DecisionKind, "decision kind", Resources => "resources",
    Improvement => "improvement", PolicyChange => "policy_change",
    ObjectiveChange => "objective_change", RiskAcceptance => "risk_acceptance");

impl DecisionKind {
    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::Resources => "Resources",
            DecisionKind::Improvement => "Improvement",
            DecisionKind::PolicyChange => "Policy change",
            DecisionKind::ObjectiveChange => "Objective change",
            DecisionKind::RiskAcceptance => "Risk acceptance",
        }
    }
}

/// Someone who attended, and whether they were top management on the day of the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attendee {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    /// Held a role of the `top_management` category on the day of the review.
    pub top_management: bool,
}

/// A decision recorded in a review, with the improvement actions it started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewDecision {
    pub id: Uuid,
    pub review_id: Uuid,
    pub kind: DecisionKind,
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    pub actions: Vec<ActionLine>,
}

/// A management review as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ManagementReview {
    pub id: Uuid,
    pub title: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    /// A member of top management on `held_on`; the only one who signs the review.
    pub chair_id: Uuid,
    pub chair_name: String,
    pub attendees: Vec<Attendee>,
    /// At least one attendee was top management on the day (needed to sign).
    pub top_management_present: bool,
    /// Markdown; pages render it sanitized.
    pub minutes: String,
    pub status: ReviewStatus,
    pub prepared_by: Uuid,
    pub prepared_by_name: String,
    pub decisions: Vec<ReviewDecision>,
    pub signed_by: Option<Uuid>,
    pub signed_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub signed_at: Option<OffsetDateTime>,
    /// SHA-256 of the inputs frozen at sign-off.
    pub pack_sha256: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

/// A review in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewSummary {
    pub id: Uuid,
    pub title: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    pub chair_id: Uuid,
    pub chair_name: String,
    pub status: ReviewStatus,
    pub decisions: i64,
    pub actions: i64,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub signed_at: Option<OffsetDateTime>,
}

/// Which reviews to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewFilter {
    pub status: Option<ReviewStatus>,
    pub chair_id: Option<Uuid>,
}

/// What a review is prepared with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct ReviewInput {
    pub title: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    pub chair_id: Uuid,
    #[serde(default)]
    pub attendee_ids: Vec<Uuid>,
    #[serde(default)]
    pub minutes: String,
}

/// A change to a draft: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
pub struct ReviewPatch {
    pub title: Option<String>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub held_on: Option<Date>,
    pub chair_id: Option<Uuid>,
    /// Replaces the whole list.
    pub attendee_ids: Option<Vec<Uuid>>,
    pub minutes: Option<String>,
}

/// How many people a review may list as attending.
pub const MAX_ATTENDEES: usize = 500;
const MAX_MINUTES: usize = 200_000;

impl ReviewInput {
    /// Checks the fields, the date within two years of today (UTC) either way.
    pub fn validate(self) -> Result<Self, FieldErrors> {
        self.checked(Some(OffsetDateTime::now_utc().date()))
    }

    /// The draft with `patch` applied, checked again; the date is checked when it changes (a
    /// draft kept from long ago still takes its minutes).
    pub fn patched(self, patch: ReviewPatch) -> Result<Self, FieldErrors> {
        let held_on = patch.held_on.unwrap_or(self.held_on);
        let today = (held_on != self.held_on).then(|| OffsetDateTime::now_utc().date());
        ReviewInput {
            title: patch.title.unwrap_or(self.title),
            held_on,
            chair_id: patch.chair_id.unwrap_or(self.chair_id),
            attendee_ids: patch.attendee_ids.unwrap_or(self.attendee_ids),
            minutes: patch.minutes.unwrap_or(self.minutes),
        }
        .checked(today)
    }

    /// Checks the fields, and the date against `today` when given.
    fn checked(mut self, today: Option<Date>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.title = errors.check_name("title", &self.title);
        if let Some(today) = today {
            check_held_on(self.held_on, today, &mut errors);
        }
        check_attendees(&mut self.attendee_ids, &mut errors);
        check_minutes(&mut self.minutes, &mut errors);
        errors.into_result()?;
        Ok(self)
    }
}

/// A decision added to a draft review, with the improvement actions it starts.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct DecisionInput {
    pub kind: DecisionKind,
    pub text: String,
    #[serde(default)]
    pub actions: Vec<NewActionFields>,
}

impl DecisionInput {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.text = self.text.trim().to_owned();
        if self.text.is_empty() || self.text.chars().count() > 10_000 {
            errors.add("text", "is required, at most 10000 characters");
        }
        if self.actions.len() > 50 {
            errors.add("actions", "must be at most 50 per decision");
        }
        for (i, action) in self.actions.iter_mut().enumerate() {
            action.check(&mut errors, &format!("actions[{i}]."));
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// An action raised by an earlier review, as the next review's pack shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PreviousAction {
    pub id: Uuid,
    pub title: String,
    pub owner_name: Option<String>,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    pub status: ActionStatus,
    pub overdue: bool,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_on: Option<Date>,
    pub review_id: Uuid,
    pub review_title: String,
}

/// The status of the actions earlier reviews raised: counts, and the first 100 (overdue first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PreviousActions {
    pub total: i64,
    /// Open or in progress (overdue ones included).
    pub open: i64,
    pub overdue: i64,
    pub done: i64,
    pub cancelled: i64,
    pub items: Vec<PreviousAction>,
}

/// Everything the review looks at: the state of the ISMS and what became of earlier decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewInputs {
    pub isms: IsmsStatus,
    pub previous_actions: PreviousActions,
}

/// The inputs of a review: read live while it is a draft, frozen at the chair's sign-off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewPack {
    pub review_id: Uuid,
    pub frozen: bool,
    /// SHA-256 of the frozen JSON (none while live).
    pub sha256: Option<String>,
    /// The frozen JSON, read now, still has the SHA-256 recorded at the sign-off (false: it was
    /// changed afterwards); true while live, nothing being frozen yet.
    pub intact: bool,
    pub inputs: ReviewInputs,
}

#[cfg(test)]
mod tests;
