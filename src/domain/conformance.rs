//! The conformance verdicts of the requirement catalog (`spec/REQUIREMENTS.md`): the verdict
//! vocabulary, the catalog of requirement ids, the organization's thresholds, and the rules as
//! pure functions over figures the store loads. The rules of leadership evidence are written
//! (5.1.e, 5.1.g, 5.3.b, A.6.8); the engine that loads figures and runs every rule comes with
//! the conformance issue.

mod catalog;
mod leadership;

pub use catalog::{CATALOG, Requirement};
pub use leadership::{
    LeadershipFigures, continual_improvement, performance_reporting, performance_reviewed,
    reporting_channel,
};

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
    pub id: &'static str,
    pub verdict: Verdict,
    pub figures: Vec<Figure>,
    /// What is missing, or what shows it is met.
    pub finding: String,
}

impl RequirementResult {
    fn new(id: &'static str, verdict: Verdict, finding: impl Into<String>) -> Self {
        Self {
            id,
            verdict,
            figures: Vec::new(),
            finding: finding.into(),
        }
    }

    fn figure(mut self, label: &str, value: impl ToString) -> Self {
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
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            period_days: 365,
            reporting_interval_days: 365,
            overdue_actions_percent: 10,
        }
    }
}
