//! Justifications that a requirement does not apply: requested by whoever manages conformance,
//! approved or rejected by a member of top management other than the requester; in force while
//! approved and not past its expiry, and then the engine judges the requirement not applicable.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::FieldErrors;
use crate::domain::iso_date;

use super::requirement;

/// The longest reason or decision comment, in characters.
pub const MAX_REASON_CHARS: usize = 2000;

/// Where a justification stands, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JustificationStatus {
    Requested,
    Approved,
    Rejected,
    Withdrawn,
}

text_enum!(JustificationStatus, "justification status", Requested => "requested",
    Approved => "approved", Rejected => "rejected", Withdrawn => "withdrawn");

/// Where a justification stands on a given day: an approved one past its expiry has expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JustificationState {
    Requested,
    InForce,
    Expired,
    Rejected,
    Withdrawn,
}

impl JustificationState {
    pub fn on(status: JustificationStatus, expires_on: Option<Date>, today: Date) -> Self {
        match status {
            JustificationStatus::Requested => Self::Requested,
            JustificationStatus::Rejected => Self::Rejected,
            JustificationStatus::Withdrawn => Self::Withdrawn,
            JustificationStatus::Approved => match expires_on {
                Some(expiry) if expiry < today => Self::Expired,
                _ => Self::InForce,
            },
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "awaiting a decision",
            Self::InForce => "in force",
            Self::Expired => "expired",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }
}

/// A justification as recorded, with its state today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JustificationRecord {
    pub id: Uuid,
    pub requirement_id: String,
    pub reason: String,
    /// After this day it no longer applies (none: until withdrawn).
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
    pub status: JustificationStatus,
    pub state: JustificationState,
    /// The requester's account and person.
    pub requested_by: Uuid,
    pub requested_by_person: Uuid,
    pub requested_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    pub decided_by: Option<Uuid>,
    pub decided_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    pub decision_comment: Option<String>,
    pub withdrawn_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// A request that a requirement be judged not applicable.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct JustificationInput {
    /// An id of the requirement catalog, e.g. `A.5.3`.
    pub requirement_id: String,
    /// Why it does not apply to this organization.
    pub reason: String,
    /// The last day it applies (optional; a later day than today).
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
}

impl JustificationInput {
    pub fn validate(mut self, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.requirement_id = self.requirement_id.trim().to_owned();
        if requirement(&self.requirement_id).is_none() {
            errors.add(
                "requirement_id",
                "name a requirement of the catalog, such as 5.1.a or A.5.3",
            );
        }
        self.reason = self.reason.trim().to_owned();
        check_text(&mut errors, "reason", &self.reason);
        if self.expires_on.is_some_and(|day| day <= today) {
            errors.add("expires_on", "give a day after today, or none");
        }
        errors.into_result().map(|()| self)
    }
}

/// Top management's decision on a request, with a comment that goes with it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct JustificationDecision {
    /// True to approve (the requirement is then not applicable), false to reject.
    pub approve: bool,
    #[serde(default)]
    pub comment: String,
}

impl JustificationDecision {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.comment = self.comment.trim().to_owned();
        check_text(&mut errors, "comment", &self.comment);
        errors.into_result().map(|()| self)
    }
}

fn check_text(errors: &mut FieldErrors, field: &str, text: &str) {
    if text.is_empty() || text.chars().count() > MAX_REASON_CHARS {
        errors.add(field, "say why, in at most 2000 characters");
    }
}
