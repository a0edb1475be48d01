//! A.5.1: every policy in force signed off by its approver role and within its review date, an
//! exceptions procedure in the top-level policy, and no approved exception past its expiry left
//! unrecorded.

use time::Date;

use super::content::{element, place};
use super::{CITED, PolicyFacts, PublishedPolicy, ReadPolicy, listed, shortened, verdict_of};
use crate::document::content_check::Element;
use crate::domain::conformance::{EvidenceKind, RequirementResult, Verdict};

const ID: &str = "A.5.1";

fn overdue(policy: &PublishedPolicy, today: Date) -> bool {
    policy.next_review_due.is_none_or(|due| due < today)
}

/// A.5.1 over every published policy, the top-level policy's text and the exceptions.
pub(super) fn topic_policies(
    facts: &PolicyFacts,
    today: Date,
    read: Option<&ReadPolicy<'_>>,
) -> RequirementResult {
    if facts.published.is_empty() {
        return RequirementResult::new(ID, Verdict::Nonconforming, "No policy is published.")
            .figure("published policies", 0);
    }
    let unapproved: Vec<&PublishedPolicy> = facts
        .published
        .iter()
        .filter(|p| !p.approved_by_approver_role)
        .collect();
    let late: Vec<&PublishedPolicy> = facts
        .published
        .iter()
        .filter(|p| overdue(p, today))
        .collect();
    let procedure = read.map(|r| (r, element(&r.report, Element::ExceptionsProcedure)));
    let procedure_at = procedure.and_then(|(_, f)| f.and_then(|f| f.found.as_ref()));
    let lapsed = facts.exceptions_lapsed_unrecorded_total;
    let mut gaps = Vec::new();
    if !unapproved.is_empty() {
        let names: Vec<String> = unapproved
            .iter()
            .map(|p| format!("{} (approver role {})", p.label(), p.approver_role))
            .collect();
        gaps.push(format!(
            "Not signed off by their approver role: {}.",
            listed(&names)
        ));
    }
    if !late.is_empty() {
        let names: Vec<String> = late
            .iter()
            .map(|p| match p.next_review_due {
                Some(due) => format!("{} (due {due})", p.label()),
                None => format!("{} (no review date)", p.label()),
            })
            .collect();
        gaps.push(format!("Overdue for review: {}.", listed(&names)));
    }
    match procedure {
        None => {
            gaps.push("No top-level policy is in force to hold an exceptions procedure.".to_owned())
        }
        Some((read, finding)) if procedure_at.is_none() => gaps.push(format!(
            "{} describes no exceptions procedure{}. {}",
            read.label,
            finding
                .and_then(|f| f.note.as_deref())
                .map_or(String::new(), |note| format!(" ({note})")),
            Element::ExceptionsProcedure.hint()
        )),
        Some(_) => {}
    }
    if lapsed > 0 {
        let names: Vec<String> = facts
            .exceptions_lapsed_unrecorded
            .iter()
            .map(|e| {
                format!(
                    "\"{}\" to {} (expired {})",
                    shortened(&e.scope, 80),
                    e.policy_title,
                    e.expires_on
                )
            })
            .collect();
        gaps.push(format!(
            "{lapsed} approved exception(s) are past their expiry and their lapse was never recorded, so nobody was told: {}.",
            listed(&names)
        ));
    }
    let met = [
        unapproved.is_empty(),
        late.is_empty(),
        procedure_at.is_some(),
        lapsed == 0,
    ]
    .iter()
    .filter(|ok| **ok)
    .count();
    let finding = match (gaps.is_empty(), procedure, procedure_at) {
        (true, Some((read, _)), Some(passage)) => format!(
            "All {} published policies are signed off by their approver role and within their review date; {} describes the exceptions procedure ({}); {} exception(s) active, none past its expiry unrecorded.",
            facts.published.len(),
            read.label,
            place(passage),
            facts.exceptions_active
        ),
        _ => gaps.join(" "),
    };
    let mut result = RequirementResult::new(ID, verdict_of(met, 4), finding)
        .figure("published policies", facts.published.len())
        .figure("not signed off by their approver role", unapproved.len())
        .figure("overdue for review", late.len())
        .figure(
            "exceptions procedure",
            procedure_at.map_or("not found".to_owned(), place),
        )
        .figure("exceptions active", facts.exceptions_active)
        .figure("exceptions past expiry, lapse unrecorded", lapsed);
    let mut cited = 0;
    for policy in unapproved.iter().chain(&late) {
        if cited < CITED && !result.evidence.iter().any(|e| e.id == policy.version_id) {
            result = result.cites(
                EvidenceKind::PolicyVersion,
                policy.version_id,
                policy.label(),
            );
            cited += 1;
        }
    }
    for exception in facts.exceptions_lapsed_unrecorded.iter().take(CITED) {
        result = result.cites(
            EvidenceKind::PolicyException,
            exception.id,
            format!(
                "Exception to {}: {}",
                exception.policy_title,
                shortened(&exception.scope, 80)
            ),
        );
    }
    if let Some((read, _)) = procedure
        && !result.evidence.iter().any(|e| e.id == read.version.id)
    {
        result = result.cites(
            EvidenceKind::PolicyVersion,
            read.version.id,
            read.label.clone(),
        );
    }
    result
}
