//! A.5.3: nobody holds two roles (or two RACI duties) a segregation rule keeps apart, unless an
//! approved exception in force covers it.

use time::Date;

use super::{Cite, RoleFacts, SodConflictFact, cite_all, count, name_list};
use crate::domain::conformance::{EvidenceKind, RequirementResult, Verdict};
use crate::domain::sod::SodExceptionDecision;

/// Why an exception does not cover a conflict on `today`, if there is one.
fn why_uncovered(conflict: &SodConflictFact, today: Date) -> String {
    match conflict.exception {
        None => String::new(),
        Some(e) => match e.decision {
            SodExceptionDecision::Requested => "; an exception is requested, not decided".into(),
            SodExceptionDecision::Rejected => "; the exception was rejected".into(),
            SodExceptionDecision::Approved if e.expires_on < today => {
                format!("; the exception expired on {}", e.expires_on)
            }
            SodExceptionDecision::Approved => String::new(),
        },
    }
}

/// A.5.3: every conflict found is covered by an approved exception that has not expired (it
/// counts through its expiry date). No rule at all identifies no conflicting duty: partial.
pub fn duties_segregated(f: &RoleFacts, today: Date) -> RequirementResult {
    let covered = |c: &SodConflictFact| c.exception.is_some_and(|e| e.covers_on(today));
    let (ok, open): (Vec<&SodConflictFact>, Vec<&SodConflictFact>) =
        f.sod_conflicts.iter().partition(|c| covered(c));
    let mut people: Vec<_> = open.iter().map(|c| c.person_id).collect();
    people.sort_unstable();
    people.dedup();
    let (verdict, finding) = if !open.is_empty() {
        let named: Vec<String> = open
            .iter()
            .map(|c| {
                format!(
                    "{} ('{}' and '{}'{})",
                    c.person_name,
                    c.role_a,
                    c.role_b,
                    why_uncovered(c, today)
                )
            })
            .collect();
        (
            Verdict::Nonconforming,
            format!(
                "{} person(s) hold duties a segregation rule keeps apart without an approved \
                 exception in force: {}.",
                people.len(),
                name_list(&named, named.len())
            ),
        )
    } else if f.sod_rules == 0 {
        (
            Verdict::Partial,
            "No segregation-of-duties rule is defined, so no conflicting duties are identified \
             to keep apart."
                .to_owned(),
        )
    } else if ok.is_empty() {
        (
            Verdict::Conforming,
            format!(
                "Nobody holds duties that the {} segregation rule(s) keep apart.",
                f.sod_rules
            ),
        )
    } else {
        (
            Verdict::Conforming,
            format!(
                "Every one of the {} conflict(s) found is covered by an approved exception in \
                 force.",
                ok.len()
            ),
        )
    };
    let result = RequirementResult::new("A.5.3", verdict, finding)
        .figure("rules in force", f.sod_rules)
        .figure("conflicts", count(f.sod_conflicts.len()))
        .figure("covered by an exception", count(ok.len()))
        .figure("not covered", count(open.len()));
    let cite = |c: &&SodConflictFact, how: &str| {
        Cite::new(
            EvidenceKind::SodRule,
            c.rule_id,
            format!(
                "{}: '{}' and '{}' ({how})",
                c.person_name, c.role_a, c.role_b
            ),
        )
    };
    let cites = open
        .iter()
        .map(|c| cite(c, "not covered"))
        .chain(ok.iter().map(|c| cite(c, "covered by an exception")))
        .collect::<Vec<_>>();
    cite_all(result, cites)
}
