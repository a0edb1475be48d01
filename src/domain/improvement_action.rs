//! Improvement actions (5.1.g, 10.1): what is to be done, by whom and by when, where it came from
//! (a management review's decision, an audit finding, an incident, a concern), and the evidence
//! that it was done. Overdue is read from the due date, so nothing has to run for it.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::isms_status::ActionLine;
use super::person::iso_date;

/// Where an action came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionSource {
    ManagementReview,
    AuditFinding,
    Incident,
    Concern,
    Other,
}

text_enum!(ActionSource, "action source", ManagementReview => "management_review",
    AuditFinding => "audit_finding", Incident => "incident", Concern => "concern",
    Other => "other");

impl ActionSource {
    pub fn label(self) -> &'static str {
        match self {
            ActionSource::ManagementReview => "Management review",
            ActionSource::AuditFinding => "Audit finding",
            ActionSource::Incident => "Incident",
            ActionSource::Concern => "Concern",
            ActionSource::Other => "Other",
        }
    }
}

/// Where an action stands; `done` and `cancelled` close it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    Cancelled,
}

text_enum!(ActionStatus, "action status", Open => "open", InProgress => "in_progress",
    Done => "done", Cancelled => "cancelled");

impl ActionStatus {
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in progress",
            ActionStatus::Done => "done",
            ActionStatus::Cancelled => "cancelled",
        }
    }

    /// Still to be done (open or in progress).
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

/// Open or in progress, and the due date has passed (an action due today is not yet overdue).
pub fn is_overdue(status: ActionStatus, due_on: Date, today: Date) -> bool {
    status.is_open() && due_on < today
}

/// An improvement action as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImprovementAction {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub source: ActionSource,
    /// The review and decision that started it (a `management_review` action only).
    pub review_id: Option<Uuid>,
    pub review_title: Option<String>,
    pub decision_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub owner_name: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    pub status: ActionStatus,
    /// What shows it was done: text and links (required to mark it done).
    pub evidence: String,
    /// The day it was done or cancelled.
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_on: Option<Date>,
    /// Open or in progress and past its due date, today.
    pub overdue: bool,
    pub created_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl ImprovementAction {
    /// The short form a pack, a report or a decision shows.
    pub fn line(&self) -> ActionLine {
        ActionLine {
            id: self.id,
            title: self.title.clone(),
            owner_name: Some(self.owner_name.clone()),
            due_on: self.due_on,
            status: self.status.as_str().to_owned(),
        }
    }
}

/// What every new action names: the work, its owner and its due date.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct NewActionFields {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub owner_id: Uuid,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
}

impl NewActionFields {
    /// Trims and checks the fields, noting problems under `prefix` + the field name.
    pub fn check(&mut self, errors: &mut FieldErrors, prefix: &str) {
        self.title = errors.check_name(&format!("{prefix}title"), &self.title);
        self.description = self.description.trim().to_owned();
        if self.description.chars().count() > 10_000 {
            errors.add(
                &format!("{prefix}description"),
                "must be at most 10000 characters",
            );
        }
    }
}

/// An action created on its own (from an audit finding, an incident, a concern), or for a
/// decision of a draft review (`source` = `management_review` with its `decision_id`).
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct ImprovementActionInput {
    #[serde(flatten)]
    pub fields: NewActionFields,
    pub source: ActionSource,
    #[serde(default)]
    pub decision_id: Option<Uuid>,
}

impl ImprovementActionInput {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.fields.check(&mut errors, "");
        match (self.source, self.decision_id) {
            (ActionSource::ManagementReview, None) => errors.add(
                "decision_id",
                "is required for an action from a management review: name the decision",
            ),
            (ActionSource::ManagementReview, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.add(
                "decision_id",
                "names a review decision: only an action from a management review has one",
            ),
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// Progress on an action, by its owner or an ISMS manager: only the fields given change.
/// Cancelling is for those who manage leadership records alone, and needs the reason.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
pub struct ActionProgress {
    pub status: Option<ActionStatus>,
    /// Replaces the evidence; required (here or already recorded) to mark the action done. To
    /// cancel, it is the reason, written in this same change (what was recorded does not do).
    pub evidence: Option<String>,
}

const MAX_EVIDENCE: usize = 10_000;

impl ActionProgress {
    /// Whether this change cancels the action (only those who manage leadership records may).
    pub fn cancels(&self) -> bool {
        self.status == Some(ActionStatus::Cancelled)
    }

    /// The progress applied to an action now `current` with `evidence`: the new status and
    /// evidence, or why they are refused.
    pub fn apply(
        &self,
        current: ActionStatus,
        recorded: &str,
    ) -> Result<(ActionStatus, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let evidence = self
            .evidence
            .as_deref()
            .unwrap_or(recorded)
            .trim()
            .to_owned();
        if evidence.chars().count() > MAX_EVIDENCE {
            errors.add(
                "evidence",
                format!("must be at most {MAX_EVIDENCE} characters"),
            );
        }
        let status = self.status.unwrap_or(current);
        if status == ActionStatus::Done && evidence.is_empty() {
            errors.add(
                "evidence",
                "is required to mark the action done: say what was done, or link to it",
            );
        }
        if self.cancels() && !self.gives_new_text(recorded) {
            errors.add(
                "evidence",
                "is required to cancel the action: write why it is no longer needed",
            );
        }
        errors.into_result()?;
        Ok((status, evidence))
    }

    /// Evidence is given in this change, not empty, and not what was already recorded.
    fn gives_new_text(&self, recorded: &str) -> bool {
        self.evidence
            .as_deref()
            .map(str::trim)
            .is_some_and(|text| !text.is_empty() && text != recorded.trim())
    }
}

/// Which actions to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActionFilter {
    pub status: Option<ActionStatus>,
    pub owner_id: Option<Uuid>,
    pub source: Option<ActionSource>,
    pub review_id: Option<Uuid>,
    /// Only open or in-progress actions past their due date.
    pub overdue: bool,
    /// Only open or in-progress actions.
    pub open: bool,
    /// Only open or in-progress actions not past their due date.
    pub upcoming: bool,
}

#[cfg(test)]
mod tests;
