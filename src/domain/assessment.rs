//! Assessments: immutable snapshots of one run of the conformance engine, their history, the
//! trend of one requirement across them, and what changed between two of them.

mod diff;
mod justification;

pub use diff::{AssessmentDiff, FigureChange, RequirementChange, diff};
pub use justification::{
    JustificationDecision, JustificationInput, JustificationRecord, JustificationState,
    JustificationStatus, MAX_REASON_CHARS,
};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::conformance::{CATALOG, Evaluation, Requirement, Thresholds, Verdict};

/// What started an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// Someone pressed "Run assessment now" or called the API.
    Manual,
    /// The background jobs, once a day.
    Schedule,
    /// `charter assess`.
    Cli,
}

text_enum!(Trigger, "trigger", Manual => "manual", Schedule => "schedule", Cli => "cli");

/// A stored assessment: the evaluation exactly as stored, with the SHA-256 of its JSON text
/// and whether the stored text still has that hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Assessment {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub trigger: Trigger,
    /// The account that ran it (none for the schedule and the command line).
    pub run_by: Option<Uuid>,
    /// Who or what ran it, as shown.
    pub run_by_label: String,
    /// SHA-256 (hex) of the stored JSON text of `evaluation`.
    pub content_sha256: String,
    /// Whether the stored text still hashes to `content_sha256`.
    pub intact: bool,
    pub evaluation: Evaluation,
}

impl Assessment {
    pub fn summary(&self) -> AssessmentSummary {
        AssessmentSummary {
            id: self.id,
            created_at: self.created_at,
            trigger: self.trigger,
            run_by: self.run_by,
            run_by_label: self.run_by_label.clone(),
            content_sha256: self.content_sha256.clone(),
            counts: VerdictCounts::of(&self.evaluation),
        }
    }
}

/// How many requirements had each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VerdictCounts {
    pub conforming: i64,
    pub partial: i64,
    pub nonconforming: i64,
    pub not_applicable: i64,
}

impl VerdictCounts {
    pub fn of(evaluation: &Evaluation) -> Self {
        let count = |v| i64::try_from(evaluation.count(v)).unwrap_or(i64::MAX);
        Self {
            conforming: count(Verdict::Conforming),
            partial: count(Verdict::Partial),
            nonconforming: count(Verdict::Nonconforming),
            not_applicable: count(Verdict::NotApplicable),
        }
    }

    pub fn total(&self) -> i64 {
        self.conforming + self.partial + self.nonconforming + self.not_applicable
    }
}

/// An assessment in the history, without its snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssessmentSummary {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub trigger: Trigger,
    pub run_by: Option<Uuid>,
    pub run_by_label: String,
    pub content_sha256: String,
    pub counts: VerdictCounts,
}

/// One requirement's verdict in one assessment (none: the assessment did not judge it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VerdictPoint {
    pub assessment_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub assessed_at: OffsetDateTime,
    pub verdict: Option<Verdict>,
}

/// A requirement's verdicts over the latest assessments, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RequirementTrend {
    pub requirement_id: String,
    pub shows: String,
    pub points: Vec<VerdictPoint>,
}

/// A requirement of the catalog with its verdict in the latest assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RequirementStatus {
    pub id: String,
    /// `5.1`, `5.2`, `5.3` or `A`.
    pub group: String,
    pub shows: String,
    /// None until an assessment judged it.
    pub verdict: Option<Verdict>,
    pub finding: Option<String>,
    pub assessment_id: Option<Uuid>,
}

/// The most points a trend shows.
pub const MAX_TREND_POINTS: i64 = 500;

/// The catalog's requirement with this id.
pub fn requirement(id: &str) -> Option<&'static Requirement> {
    CATALOG.iter().find(|r| r.id == id)
}

/// The section of the catalog a requirement belongs to: `5.1`, `5.2`, `5.3`, or `A` (Annex A).
pub fn group_of(id: &str) -> &'static str {
    match id.get(..4) {
        Some("5.1.") => "5.1",
        Some("5.2.") => "5.2",
        Some("5.3.") => "5.3",
        _ => "A",
    }
}

/// The catalog with the latest verdicts (none when nothing was assessed yet).
pub fn catalog_status(latest: Option<&Assessment>) -> Vec<RequirementStatus> {
    CATALOG
        .iter()
        .map(|r| {
            let result = latest.and_then(|a| a.evaluation.results.iter().find(|x| x.id == r.id));
            RequirementStatus {
                id: r.id.to_owned(),
                group: group_of(r.id).to_owned(),
                shows: r.shows.to_owned(),
                verdict: result.map(|x| x.verdict),
                finding: result.map(|x| x.finding.clone()),
                assessment_id: result.and(latest.map(|a| a.id)),
            }
        })
        .collect()
}

/// The JSON text an evaluation is stored as, and its SHA-256 in hex.
pub fn snapshot(evaluation: &Evaluation) -> Result<(String, String), serde_json::Error> {
    let text = serde_json::to_string(evaluation)?;
    let hash = content_sha256(&text);
    Ok((text, hash))
}

/// SHA-256 of the stored JSON text, in hex: what `content_sha256` holds.
pub fn content_sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The longest governance period or interval a threshold may set: ten years.
pub const MAX_THRESHOLD_DAYS: i64 = 3650;

/// Checks thresholds as an organization may set them: days from 1 to 3650, percents 0 to 100.
pub fn validate_thresholds(t: Thresholds) -> Result<Thresholds, FieldErrors> {
    let mut errors = FieldErrors::new();
    for (field, days) in [
        ("period_days", t.period_days),
        ("reporting_interval_days", t.reporting_interval_days),
    ] {
        if !(1..=MAX_THRESHOLD_DAYS).contains(&days) {
            errors.add(field, "give a number of days from 1 to 3650");
        }
    }
    for (field, percent) in [
        ("overdue_actions_percent", t.overdue_actions_percent),
        ("coverage_percent", t.coverage_percent),
    ] {
        if !(0..=100).contains(&percent) {
            errors.add(field, "give a percentage from 0 to 100");
        }
    }
    errors.into_result().map(|()| t)
}

/// A change of thresholds as the audit event records it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ThresholdChange {
    pub before: Thresholds,
    pub after: Thresholds,
}

/// The record id the thresholds' audit events carry (one set per organization).
pub const THRESHOLDS_RECORD_ID: &str = "thresholds";
