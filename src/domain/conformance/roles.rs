//! The rules of roles and people: 5.1.f (people directed and supported), 5.1.h (line managers
//! lead), 5.3.0, 5.3.a, 5.3.raci, 5.3.stale, A.5.2, A.5.3, A.5.4 and A.6.3.

mod allocation;
mod coverage;
mod facts;
mod line_managers;
mod segregation;

use time::Date;
use uuid::Uuid;

pub use allocation::{
    conformance_owner, owner_roles_defined, raci_owned, roles_assigned, stale_holders,
};
pub use coverage::{awareness_per_unit, management_requires, people_directed};
pub use facts::{
    ActivityFact, CampaignRef, HeadAssignment, PolicyCoverageFacts, RoleFact, RoleFacts,
    SodConflictFact, SodExceptionFact, UnitCoverageFact, UnitHeadFact,
};
pub use line_managers::managers_lead;
pub use segregation::duties_segregated;

use super::{EvidenceKind, RequirementResult, Thresholds, Verdict};
use crate::domain::role_gaps::{AssignmentGap, GapList};

/// The most records one result cites (those that show the gap first).
pub const CITED: usize = 20;
/// The most names one finding lists before "and N more".
const NAMED: usize = 5;

/// Every role rule, in catalog order.
pub fn evaluate(facts: &RoleFacts, today: Date, t: &Thresholds) -> Vec<RequirementResult> {
    vec![
        people_directed(facts, t),
        managers_lead(facts),
        roles_assigned(facts),
        conformance_owner(facts),
        raci_owned(facts),
        stale_holders(facts),
        owner_roles_defined(facts),
        duties_segregated(facts, today),
        management_requires(facts, t),
        awareness_per_unit(facts, t),
    ]
}

/// Conforming when every condition is met, nonconforming when none is, partial between.
fn verdict(met: usize, of: usize) -> Verdict {
    match met {
        m if m == of => Verdict::Conforming,
        0 => Verdict::Nonconforming,
        _ => Verdict::Partial,
    }
}

/// The worse of two verdicts.
fn worse(a: Verdict, b: Verdict) -> Verdict {
    let rank = |v: Verdict| match v {
        Verdict::Nonconforming => 0,
        Verdict::Partial => 1,
        Verdict::Conforming | Verdict::NotApplicable => 2,
    };
    if rank(a) <= rank(b) { a } else { b }
}

/// `part` of `whole` is at least `threshold` percent (exact, in integers).
fn meets(part: i64, whole: i64, threshold: i64) -> bool {
    i128::from(part) * 100 >= i128::from(threshold) * i128::from(whole)
}

/// `part` of `whole` as a percentage with one decimal, rounded down so that a share below a
/// threshold never shows as reaching it ("94.9 %"); 100 % of nobody.
fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "100.0 %".to_owned();
    }
    let tenths = i128::from(part) * 1000 / i128::from(whole);
    format!("{}.{} %", tenths / 10, tenths % 10)
}

/// "a, b and c", or "a, b, c, d, e and 4 more" when `total` exceeds the names given.
fn name_list(names: &[String], total: usize) -> String {
    let shown: Vec<&str> = names.iter().take(NAMED).map(String::as_str).collect();
    let more = total.saturating_sub(shown.len());
    match (shown.split_last(), more) {
        (None, _) => String::new(),
        (Some((last, [])), 0) => (*last).to_owned(),
        (Some((last, rest)), 0) => format!("{} and {last}", rest.join(", ")),
        (Some(_), more) => format!("{} and {more} more", shown.join(", ")),
    }
}

/// "Alice (Risk owner), Bob (Asset owner)" for assignments with a gap.
fn holders(list: &GapList<AssignmentGap>) -> String {
    let names: Vec<String> = list
        .items
        .iter()
        .map(|g| format!("{} ({})", g.person_name, g.role_name))
        .collect();
    name_list(&names, usize::try_from(list.total).unwrap_or(usize::MAX))
}

/// One record to cite.
struct Cite {
    kind: EvidenceKind,
    id: Uuid,
    label: String,
}

impl Cite {
    fn new(kind: EvidenceKind, id: Uuid, label: impl Into<String>) -> Self {
        Self {
            kind,
            id,
            label: label.into(),
        }
    }
}

/// Cites records in the order given, at most `CITED` of them.
fn cite_all(
    mut result: RequirementResult,
    cites: impl IntoIterator<Item = Cite>,
) -> RequirementResult {
    for cite in cites
        .into_iter()
        .take(CITED.saturating_sub(result.evidence.len()))
    {
        result = result.cites(cite.kind, cite.id, cite.label);
    }
    result
}

/// The assignments of a gap list, to cite.
fn assignment_cites(list: &GapList<AssignmentGap>) -> impl Iterator<Item = Cite> + '_ {
    list.items.iter().map(|g| {
        Cite::new(
            EvidenceKind::Assignment,
            g.assignment_id,
            format!("{} as {}", g.person_name, g.role_name),
        )
    })
}

/// The sentences of a finding, or `fine` when there are none.
fn finding(gaps: &[String], fine: impl Into<String>) -> String {
    if gaps.is_empty() {
        fine.into()
    } else {
        gaps.join(" ")
    }
}

/// How many, as text for a figure.
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
