//! The engine: every rule of every area over the loaded facts, in catalog order, with approved
//! "not applicable" justifications applied.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use super::{
    CATALOG, LeadershipFigures, Liveness, RequirementResult, Thresholds, Verdict,
    policy::{self, PolicyFacts},
    roles::{self, RoleFacts},
};

/// Everything the rules read, loaded by the store at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub today: Date,
    pub policy: PolicyFacts,
    pub roles: RoleFacts,
    pub leadership: LeadershipFigures,
    pub liveness: Liveness,
}

/// One run of the engine: every verdict and the liveness signs, at one moment, under the
/// thresholds in force. An assessment stores it as an immutable snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evaluation {
    #[serde(with = "time::serde::rfc3339")]
    pub evaluated_at: OffsetDateTime,
    pub thresholds: Thresholds,
    pub results: Vec<RequirementResult>,
    pub liveness: Liveness,
}

impl Evaluation {
    /// How many results have `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.results.iter().filter(|r| r.verdict == verdict).count()
    }
}

/// An approved justification that a requirement does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Justification {
    pub requirement_id: String,
    pub reason: String,
    /// Who approved it (top management), and on which day.
    pub approved_by: String,
    pub approved_on: Date,
}

/// Every requirement of the catalog, evaluated once, in catalog order. A requirement with an
/// approved justification is `not_applicable` (its figures kept); one no rule evaluated is
/// nonconforming, so a gap in the engine cannot pass as conformance.
pub fn evaluate(
    facts: &Facts,
    t: &Thresholds,
    justifications: &[Justification],
) -> Vec<RequirementResult> {
    let mut found = policy::evaluate(&facts.policy, facts.today, t);
    found.extend(roles::evaluate(&facts.roles, facts.today, t));
    found.extend(super::leadership::evaluate(&facts.leadership, t));
    CATALOG
        .iter()
        .map(|requirement| {
            let result = found
                .iter()
                .find(|r| r.id == requirement.id)
                .cloned()
                .unwrap_or_else(|| {
                    RequirementResult::new(
                        requirement.id,
                        Verdict::Nonconforming,
                        "No rule evaluated this requirement.",
                    )
                });
            match justifications
                .iter()
                .find(|j| j.requirement_id == requirement.id)
            {
                Some(j) => not_applicable(result, j),
                None => result,
            }
        })
        .collect()
}

fn not_applicable(mut result: RequirementResult, j: &Justification) -> RequirementResult {
    result.verdict = Verdict::NotApplicable;
    result.finding = format!(
        "Not applicable: {} (approved by {} on {}).",
        j.reason, j.approved_by, j.approved_on
    );
    result
}
