//! What changed between two assessments, requirement by requirement ("what changed since the
//! last audit"): verdicts, findings and figures; unchanged requirements are left out.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AssessmentSummary;
use crate::domain::conformance::{CATALOG, Evaluation, RequirementResult, Thresholds, Verdict};

/// One figure whose value differs (none: the figure was not measured on that side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FigureChange {
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One requirement that changed (none on a side: that assessment did not judge it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RequirementChange {
    pub id: String,
    pub verdict_before: Option<Verdict>,
    pub verdict_after: Option<Verdict>,
    /// The finding on each side, when it changed.
    pub finding_before: Option<String>,
    pub finding_after: Option<String>,
    pub figures: Vec<FigureChange>,
}

impl RequirementChange {
    pub fn verdict_changed(&self) -> bool {
        self.verdict_before != self.verdict_after
    }
}

/// Two assessments compared, the older first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssessmentDiff {
    pub from: AssessmentSummary,
    pub to: AssessmentSummary,
    /// The thresholds in force at each, when they differ.
    pub thresholds_before: Option<Thresholds>,
    pub thresholds_after: Option<Thresholds>,
    pub changes: Vec<RequirementChange>,
}

/// Every requirement whose verdict, finding or figures differ from `older` to `newer`, in
/// catalog order (then any id outside the catalog).
pub fn diff(older: &Evaluation, newer: &Evaluation) -> Vec<RequirementChange> {
    let mut ids: Vec<&str> = CATALOG.iter().map(|r| r.id).collect();
    for r in older.results.iter().chain(&newer.results) {
        if !ids.contains(&r.id.as_str()) {
            ids.push(&r.id);
        }
    }
    ids.into_iter()
        .filter_map(|id| {
            let find = |e: &Evaluation| e.results.iter().find(|r| r.id == id).cloned();
            change(id, find(older).as_ref(), find(newer).as_ref())
        })
        .collect()
}

fn change(
    id: &str,
    before: Option<&RequirementResult>,
    after: Option<&RequirementResult>,
) -> Option<RequirementChange> {
    let finding = |r: Option<&RequirementResult>| r.map(|r| r.finding.clone());
    let findings_differ = finding(before) != finding(after);
    let change = RequirementChange {
        id: id.to_owned(),
        verdict_before: before.map(|r| r.verdict),
        verdict_after: after.map(|r| r.verdict),
        finding_before: finding(before).filter(|_| findings_differ),
        finding_after: finding(after).filter(|_| findings_differ),
        figures: figure_changes(before, after),
    };
    let changed = change.verdict_changed() || findings_differ || !change.figures.is_empty();
    changed.then_some(change)
}

fn figure_changes(
    before: Option<&RequirementResult>,
    after: Option<&RequirementResult>,
) -> Vec<FigureChange> {
    let figures = |r: Option<&RequirementResult>| r.map(|r| r.figures.clone()).unwrap_or_default();
    let (old, new) = (figures(before), figures(after));
    let mut labels: Vec<&str> = old.iter().map(|f| f.label.as_str()).collect();
    for f in &new {
        if !labels.contains(&f.label.as_str()) {
            labels.push(&f.label);
        }
    }
    labels
        .into_iter()
        .filter_map(|label| {
            let value = |list: &[crate::domain::conformance::Figure]| {
                list.iter()
                    .find(|f| f.label == label)
                    .map(|f| f.value.clone())
            };
            let (b, a) = (value(&old), value(&new));
            (b != a).then(|| FigureChange {
                label: label.to_owned(),
                before: b,
                after: a,
            })
        })
        .collect()
}
