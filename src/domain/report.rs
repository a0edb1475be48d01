//! Performance reports (5.1.e, 5.3.b): the state of the ISMS frozen as JSON text with its SHA-256,
//! submitted to top management and signed off with comments by a member who did not generate it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::isms_status::{IsmsStatus, ObjectiveStatus};
use super::person::iso_date;

mod notice;

pub use notice::{signed_off_notice, submitted_notice};

/// The reporter is asked to generate a report when none was generated within this many days.
pub const REPORT_INTERVAL_DAYS: i64 = 90;

/// The longest summary or sign-off comment accepted.
const MAX_TEXT_CHARS: usize = 10_000;

/// Where a report stands: submitted to top management, or signed off (and then immutable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Submitted,
    SignedOff,
}

text_enum!(ReportStatus, "report status", Submitted => "submitted", SignedOff => "signed_off");

impl ReportStatus {
    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Submitted => "awaiting sign-off",
            ReportStatus::SignedOff => "signed off",
        }
    }
}

/// What the reporter adds when generating: a summary or commentary for top management. The
/// field is required but may be empty, so a request always says what it submits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub struct ReportInput {
    pub summary: String,
}

impl ReportInput {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        self.summary = self.summary.trim().to_owned();
        let mut errors = FieldErrors::new();
        if self.summary.chars().count() > MAX_TEXT_CHARS {
            errors.add(
                "summary",
                format!("must be at most {MAX_TEXT_CHARS} characters"),
            );
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// A sign-off: the reviewer's comments are required (what top management concluded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub struct SignOffInput {
    #[serde(default)]
    pub comments: String,
}

impl SignOffInput {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        self.comments = self.comments.trim().to_owned();
        let mut errors = FieldErrors::new();
        if self.comments.is_empty() {
            errors.add("comments", "is required: say what top management concluded");
        } else if self.comments.chars().count() > MAX_TEXT_CHARS {
            errors.add(
                "comments",
                format!("must be at most {MAX_TEXT_CHARS} characters"),
            );
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// A report as stored, without its snapshot (what a history lists).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PerformanceReport {
    pub id: Uuid,
    pub status: ReportStatus,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub period_start: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub period_end: Date,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub generated_at: OffsetDateTime,
    /// The generator's account and person.
    pub generated_by: Uuid,
    pub generated_by_person: Uuid,
    pub generated_by_name: String,
    /// The catalog role the generator held (flagged `performance_reporter`).
    pub reporter_role: String,
    pub summary: String,
    /// The lowercase hex SHA-256 of the stored snapshot text.
    pub content_hash: String,
    pub signed_off_by: Option<Uuid>,
    pub signed_off_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub signed_off_at: Option<OffsetDateTime>,
    pub sign_off_comments: Option<String>,
}

/// A report with the state of the ISMS it froze.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PerformanceReportDetail {
    #[serde(flatten)]
    pub report: PerformanceReport,
    /// Whether the stored snapshot text still hashes to `content_hash` (false: edited since).
    pub intact: bool,
    pub snapshot: IsmsStatus,
}

/// The catalog role flagged `performance_reporter` and who holds it on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ReporterRole {
    pub role_id: Uuid,
    pub role_name: String,
    pub holders: Vec<ReporterHolder>,
}

/// A person holding the reporter role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ReporterHolder {
    pub person_id: Uuid,
    pub name: String,
}

impl ReporterRole {
    /// "Ina Manager", "Ina Manager and Ole Deputy", or "nobody".
    pub fn holder_names(&self) -> String {
        let names: Vec<&str> = self.holders.iter().map(|h| h.name.as_str()).collect();
        match names.as_slice() {
            [] => "nobody".to_owned(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }

    pub fn is_held_by(&self, person_id: Uuid) -> bool {
        self.holders.iter().any(|h| h.person_id == person_id)
    }
}

/// The lowercase hex SHA-256 of a snapshot as stored.
pub fn snapshot_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The headline figures top management reads first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportFigures {
    pub objectives: usize,
    pub on_track: usize,
    pub at_risk: usize,
    pub missed: usize,
    pub not_measured: usize,
    /// Acknowledgment of the top-level policy, in whole percent of active staff; none without
    /// a published top-level policy.
    pub coverage_percent: Option<i64>,
    pub overdue_actions: i64,
    pub open_actions: i64,
    pub overdue_reviews: usize,
    pub open_concerns: i64,
    /// Gaps that break accountability: vacant required roles, unassigned duties of 5.3,
    /// activities without an owner, departed holders, uncovered segregation conflicts.
    pub role_gaps: i64,
}

impl ReportFigures {
    pub fn of(status: &IsmsStatus) -> Self {
        let count = |wanted| {
            status
                .objectives
                .iter()
                .filter(|o| o.status == wanted)
                .count()
        };
        let g = &status.role_gaps;
        Self {
            objectives: status.objectives.len(),
            on_track: count(ObjectiveStatus::OnTrack),
            at_risk: count(ObjectiveStatus::AtRisk),
            missed: count(ObjectiveStatus::Missed),
            not_measured: count(ObjectiveStatus::NotMeasured),
            coverage_percent: status.coverage.as_ref().map(|c| {
                let base = c.active_people.max(c.asked);
                if base <= 0 {
                    0
                } else {
                    c.acknowledged * 100 / base
                }
            }),
            overdue_actions: status.actions.overdue,
            open_actions: status.actions.open,
            overdue_reviews: status.overdue_reviews.len(),
            open_concerns: status.concerns.open,
            role_gaps: g.vacant_required
                + g.named_duties_unassigned
                + g.activities_without_owner
                + g.departed_holders
                + g.segregation_conflicts_uncovered,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_required_to_sign_off() {
        let blank = SignOffInput {
            comments: "  ".into(),
        };
        assert!(blank.validate().is_err());
        let given = SignOffInput {
            comments: " Noted. ".into(),
        };
        assert_eq!(given.validate().expect("valid").comments, "Noted.");
    }

    #[test]
    fn the_hash_is_the_hex_sha256_of_the_text() {
        assert_eq!(
            snapshot_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
