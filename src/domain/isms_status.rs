//! The state of the ISMS read from live records: what a management-review pack and a performance
//! report both present (objectives, coverage, overdue reviews and actions, exceptions, concern
//! counts, role gaps). Frozen as JSON when a report is generated or a review is signed.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::person::iso_date;

/// How an objective stands today (computed from its measurements, target, due date and interval).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveStatus {
    /// The latest measurement meets the target.
    OnTrack,
    /// The latest measurement misses the target and the due date has not passed.
    AtRisk,
    /// The due date has passed and the latest measurement misses the target.
    Missed,
    /// No measurement within the measurement interval (or none at all).
    NotMeasured,
}

text_enum!(ObjectiveStatus, "objective status",
    OnTrack => "on_track", AtRisk => "at_risk", Missed => "missed", NotMeasured => "not_measured");

impl ObjectiveStatus {
    pub fn label(self) -> &'static str {
        match self {
            ObjectiveStatus::OnTrack => "on track",
            ObjectiveStatus::AtRisk => "at risk",
            ObjectiveStatus::Missed => "missed",
            ObjectiveStatus::NotMeasured => "not measured",
        }
    }
}

/// One point of an objective's trend: the effective value at a time (corrections applied).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrendPoint {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    pub value: f64,
}

/// One active objective as a pack or a report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ObjectiveLine {
    pub id: Uuid,
    pub statement: String,
    pub theme: String,
    pub owner_name: Option<String>,
    pub metric: String,
    pub unit: String,
    /// `at_least` or `at_most`.
    pub direction: String,
    pub target: f64,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    pub status: ObjectiveStatus,
    pub latest: Option<TrendPoint>,
    /// The last effective measurements, oldest first (at most 12).
    pub trend: Vec<TrendPoint>,
}

/// One improvement action past its due date and not done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActionLine {
    pub id: Uuid,
    pub title: String,
    pub owner_name: Option<String>,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    /// `open`, `in_progress`, `done` or `cancelled`.
    pub status: String,
}

/// Improvement actions by state, with the overdue ones named (first 100).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActionCounts {
    /// Not done and not cancelled.
    pub open: i64,
    /// Open and past their due date.
    pub overdue: i64,
    /// Done within the period.
    pub done_in_period: i64,
    /// Open, or done or cancelled within the period (the base of the overdue share).
    pub tracked: i64,
    pub overdue_actions: Vec<ActionLine>,
}

/// A count under a label (a category, a status, a unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CountLine {
    pub label: String,
    pub count: i64,
}

/// Confidential concerns by count only: contents never leave the handlers' view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConcernCounts {
    /// Received within the period.
    pub received_in_period: i64,
    /// Not yet closed.
    pub open: i64,
    /// Not acknowledged within the receipt target.
    pub receipt_overdue: i64,
    /// Not answered within the response target.
    pub response_overdue: i64,
    pub by_category: Vec<CountLine>,
    pub by_status: Vec<CountLine>,
}

/// Acknowledgment coverage of the current top-level policy's published version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PolicyCoverage {
    pub policy_id: Uuid,
    pub policy_title: String,
    pub version: String,
    /// People asked to acknowledge it (in its open or latest campaigns), and how many did.
    pub asked: i64,
    pub acknowledged: i64,
    pub overdue: i64,
    /// Active people (the base of 5.1.f).
    pub active_people: i64,
}

/// A policy whose review date has passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OverdueReview {
    pub policy_id: Uuid,
    pub policy_title: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub review_due: Date,
}

/// Policy and segregation-of-duties exceptions by state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExceptionCounts {
    /// Policy exceptions approved and not expired.
    pub policy_active: i64,
    /// Policy exceptions waiting for a decision.
    pub policy_requested: i64,
    /// Active policy exceptions expiring within 30 days.
    pub policy_expiring_soon: i64,
    /// Segregation-of-duties exceptions approved and not expired.
    pub sod_active: i64,
}

/// Role gaps by count (the lists are on the gap report).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoleGapCounts {
    pub vacant_required: i64,
    pub critical_without_deputy: i64,
    pub named_duties_unassigned: i64,
    pub activities_without_owner: i64,
    pub departed_holders: i64,
    pub unacknowledged: i64,
    pub lapsed_competence: i64,
    pub segregation_conflicts_uncovered: i64,
}

/// Everything a management-review pack and a performance report show, read at one moment.
/// Frozen as JSON in signed reviews and reports: every field but the time has a default, so a
/// field added later leaves the records frozen before it readable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IsmsStatus {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub as_of: OffsetDateTime,
    /// The start of the governance period the figures cover (12 months back by default).
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub period_start: Date,
    #[serde(default)]
    pub objectives: Vec<ObjectiveLine>,
    #[serde(default)]
    pub coverage: Option<PolicyCoverage>,
    #[serde(default)]
    pub overdue_reviews: Vec<OverdueReview>,
    #[serde(default)]
    pub actions: ActionCounts,
    #[serde(default)]
    pub exceptions: ExceptionCounts,
    #[serde(default)]
    pub concerns: ConcernCounts,
    #[serde(default)]
    pub role_gaps: RoleGapCounts,
    /// The latest conformance result, once assessments exist (issue of the conformance engine).
    #[serde(default)]
    pub conformance: Option<String>,
}

/// The governance period: 12 months back from `today`.
pub fn period_start(today: Date) -> Date {
    today - time::Duration::days(365)
}
