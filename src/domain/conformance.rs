//! The conformance verdicts of the requirement catalog (`spec/REQUIREMENTS.md`): the verdict
//! vocabulary, the catalog of requirement ids, the organization's thresholds, the evidence a
//! result cites, and the rules as pure functions over facts the store loads (one module per area,
//! joined by `engine::evaluate`).

mod catalog;
pub mod engine;
mod leadership;
mod links;
pub mod liveness;
pub mod policy;
pub mod roles;

pub use catalog::{CATALOG, Requirement};
pub use engine::{Evaluation, Facts, Justification, evaluate};
pub use leadership::{
    LeadershipFigures, continual_improvement, performance_reporting, performance_reviewed,
    reporting_channel,
};
pub use liveness::Liveness;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a requirement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Conforming,
    Partial,
    Nonconforming,
    /// Only with a recorded, approved justification.
    NotApplicable,
}

text_enum!(Verdict, "verdict", Conforming => "conforming", Partial => "partial",
    Nonconforming => "nonconforming", NotApplicable => "not_applicable");

/// One figure a rule measured, as shown beside its verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Figure {
    pub label: String,
    pub value: String,
}

/// The result of one rule: its verdict, what it measured, and the finding in plain words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RequirementResult {
    pub id: String,
    pub verdict: Verdict,
    pub figures: Vec<Figure>,
    /// What is missing, or what shows it is met.
    pub finding: String,
    /// The records the rule read, as links.
    #[serde(default)]
    pub evidence: Vec<EvidenceLink>,
}

/// The kinds of record a result may cite; an audit pack carries each cited record.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    PolicyVersion,
    PolicyException,
    Campaign,
    Role,
    Assignment,
    RaciActivity,
    SodRule,
    Unit,
    Objective,
    ManagementReview,
    ImprovementAction,
    ResourceCommitment,
    Process,
    Briefing,
    PerformanceReport,
    Communication,
    ConcernSettings,
}

text_enum!(EvidenceKind, "evidence kind", PolicyVersion => "policy_version",
    PolicyException => "policy_exception", Campaign => "campaign", Role => "role",
    Assignment => "assignment", RaciActivity => "raci_activity", SodRule => "sod_rule",
    Unit => "unit", Objective => "objective", ManagementReview => "management_review",
    ImprovementAction => "improvement_action", ResourceCommitment => "resource_commitment",
    Process => "process", Briefing => "briefing", PerformanceReport => "performance_report",
    Communication => "communication", ConcernSettings => "concern_settings");

/// One record a rule read: its kind, id and a label to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceLink {
    pub kind: EvidenceKind,
    pub id: uuid::Uuid,
    pub label: String,
}

impl RequirementResult {
    pub fn new(id: &str, verdict: Verdict, finding: impl Into<String>) -> Self {
        Self {
            id: id.to_owned(),
            verdict,
            figures: Vec::new(),
            finding: finding.into(),
            evidence: Vec::new(),
        }
    }

    /// Cites one record.
    pub fn cites(mut self, kind: EvidenceKind, id: uuid::Uuid, label: impl Into<String>) -> Self {
        self.evidence.push(EvidenceLink {
            kind,
            id,
            label: label.into(),
        });
        self
    }

    pub fn figure(mut self, label: &str, value: impl ToString) -> Self {
        self.figures.push(Figure {
            label: label.into(),
            value: value.to_string(),
        });
        self
    }
}

/// The organization's thresholds (the catalog's defaults; changing one is audited).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Thresholds {
    /// The governance period, in days (12 months).
    pub period_days: i64,
    /// The most performance reports may lag: one signed off within this many days.
    pub reporting_interval_days: i64,
    /// The largest share of overdue improvement actions, in percent.
    pub overdue_actions_percent: i64,
    /// The least acknowledgment coverage of the top-level policy, in percent, overall and per
    /// org unit (5.1.f, 5.2.f, A.5.4, A.6.3).
    #[serde(default = "default_coverage_percent")]
    pub coverage_percent: i64,
}

fn default_coverage_percent() -> i64 {
    95
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            period_days: 365,
            reporting_interval_days: 365,
            overdue_actions_percent: 10,
            coverage_percent: default_coverage_percent(),
        }
    }
}
