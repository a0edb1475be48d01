//! The one result of the document: the requirements reviewed, an observation per requirement
//! (what was measured, the records examined with their SHA-256) and a finding per requirement
//! (its verdict as an objective status).

use std::collections::HashMap;

use serde_json::{Value, json};
use uuid::Uuid;

use super::ids::{Ids, control_id};
use super::text::{one_line, prop, prop_class, prose, set_list, timestamp};
use crate::audit_pack::html::view::shows;
use crate::domain::audit_pack::{AuditPack, EvidenceRecord};
use crate::domain::conformance::{
    Evaluation, EvidenceKind, EvidenceLink, RequirementResult, Verdict,
};

/// The result of the pack's assessment.
pub fn result(pack: &AuditPack, ids: &Ids) -> Value {
    let evaluation = &pack.assessment.evaluation;
    let hashes: HashMap<(EvidenceKind, Uuid), &str> = pack
        .evidence
        .iter()
        .map(|r: &EvidenceRecord| ((r.kind, r.id), r.sha256.as_str()))
        .collect();
    let mut result = json!({
        "uuid": ids.result(),
        "title": format!(
            "Clause 5 assessment of {}",
            timestamp(evaluation.evaluated_at)
        ),
        "description": description(pack),
        "start": timestamp(evaluation.evaluated_at),
        "end": timestamp(evaluation.evaluated_at),
        "props": props(pack),
        "links": [
            json!({ "href": format!("#{}", ids.assessment()), "rel": "reference",
                "text": "The assessment as stored" }),
            json!({ "href": format!("#{}", ids.manifest()), "rel": "reference",
                "text": "Manifest of the audit pack" }),
            json!({ "href": format!("#{}", ids.checkpoint()), "rel": "reference",
                "text": "Signed checkpoint of the audit log" }),
            json!({ "href": format!("#{}", ids.events()), "rel": "reference",
                "text": "Audit events of the cited records, with inclusion proofs" }),
        ],
        "reviewed-controls": reviewed_controls(evaluation),
    });
    let collected = timestamp(evaluation.evaluated_at);
    set_list(
        &mut result,
        "observations",
        evaluation
            .results
            .iter()
            .map(|r| observation(r, ids, &hashes, &collected))
            .collect(),
    );
    set_list(
        &mut result,
        "findings",
        evaluation.results.iter().map(|r| finding(r, ids)).collect(),
    );
    result
}

fn description(pack: &AuditPack) -> String {
    let e = &pack.assessment.evaluation;
    format!(
        "Every requirement of Charter's catalog evaluated from the organization's live records: \
         {} conforming, {} partial, {} nonconforming, {} not applicable. Run by {} ({}).",
        e.count(Verdict::Conforming),
        e.count(Verdict::Partial),
        e.count(Verdict::Nonconforming),
        e.count(Verdict::NotApplicable),
        one_line(&pack.assessment.run_by, "Charter"),
        one_line(&pack.assessment.trigger, "unknown trigger")
    )
}

fn props(pack: &AuditPack) -> Vec<Value> {
    let a = &pack.assessment;
    let t = &a.evaluation.thresholds;
    let l = &a.evaluation.liveness;
    let days = |d: Option<i64>| d.map_or_else(|| "never".to_owned(), |d| d.to_string());
    vec![
        prop("assessment-id", &a.id.to_string()),
        prop("assessment-sha256", &a.content_sha256),
        prop("trigger", &a.trigger),
        prop_class("period-days", "threshold", &t.period_days.to_string()),
        prop_class(
            "reporting-interval-days",
            "threshold",
            &t.reporting_interval_days.to_string(),
        ),
        prop_class(
            "overdue-actions-percent",
            "threshold",
            &t.overdue_actions_percent.to_string(),
        ),
        prop_class(
            "coverage-percent",
            "threshold",
            &t.coverage_percent.to_string(),
        ),
        prop_class(
            "days-since-management-review",
            "liveness",
            &days(l.days_since_management_review),
        ),
        prop_class(
            "days-since-report-review",
            "liveness",
            &days(l.days_since_report_review),
        ),
        prop_class(
            "days-since-top-communication",
            "liveness",
            &days(l.days_since_top_communication),
        ),
        prop_class(
            "overdue-policy-reviews",
            "liveness",
            &l.overdue_policy_reviews.to_string(),
        ),
        prop_class(
            "overdue-actions",
            "liveness",
            &l.overdue_actions.to_string(),
        ),
        prop_class(
            "departed-holders",
            "liveness",
            &l.departed_holders.to_string(),
        ),
        prop_class(
            "evidence-records",
            "liveness",
            &l.evidence_records.to_string(),
        ),
        prop_class(
            "evidence-older-than-period",
            "liveness",
            &l.evidence_older_than_period.to_string(),
        ),
    ]
}

fn reviewed_controls(evaluation: &Evaluation) -> Value {
    let controls: Vec<Value> = evaluation
        .results
        .iter()
        .map(|r| json!({ "control-id": control_id(&r.id) }))
        .collect();
    let selection = if controls.is_empty() {
        json!({ "include-all": {} })
    } else {
        json!({ "include-controls": controls })
    };
    json!({
        "description": "The requirements of Charter's catalog: ISO/IEC 27001:2022 clause 5 and \
                        the ISO/IEC 27002:2022 controls that give it shape.",
        "control-selections": [selection],
    })
}

/// A rule that measured figures tested the records; one without examined them.
fn method(r: &RequirementResult) -> &'static str {
    if r.figures.is_empty() {
        "EXAMINE"
    } else {
        "TEST"
    }
}

fn observation(
    r: &RequirementResult,
    ids: &Ids,
    hashes: &HashMap<(EvidenceKind, Uuid), &str>,
    collected: &str,
) -> Value {
    let control = control_id(&r.id);
    let figures: Vec<String> = r
        .figures
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                one_line(&f.label, "figure"),
                one_line(&f.value, "none")
            )
        })
        .collect();
    let mut description = prose(&r.finding, "No finding recorded.");
    if !figures.is_empty() {
        description.push_str("\n\nFigures measured: ");
        description.push_str(&figures.join("; "));
        description.push('.');
    }
    let mut props = vec![prop("requirement-id", &r.id)];
    props.extend(figures.iter().map(|f| prop("figure", f)));
    let mut observation = json!({
        "uuid": ids.observation(&r.id),
        "title": format!("{} of {control}", if method(r) == "TEST" { "Test" } else { "Examination" }),
        "description": description,
        "props": props,
        "methods": [method(r)],
        "types": ["control-objective"],
        "collected": collected,
    });
    set_list(
        &mut observation,
        "relevant-evidence",
        r.evidence
            .iter()
            .map(|e| evidence(e, ids, hashes))
            .collect(),
    );
    observation
}

fn evidence(link: &EvidenceLink, ids: &Ids, hashes: &HashMap<(EvidenceKind, Uuid), &str>) -> Value {
    let mut props = vec![
        prop("evidence-kind", link.kind.as_str()),
        prop("record-id", &link.id.to_string()),
    ];
    let href = match hashes.get(&(link.kind, link.id)) {
        Some(sha256) => {
            props.push(prop("sha256", sha256));
            format!("#{}", ids.evidence(link.kind, link.id))
        }
        None => link.href(),
    };
    json!({
        "href": href,
        "description": format!("{} {}", link.kind.as_str().replace('_', " "),
            one_line(&link.label, "(no label)")),
        "props": props,
        "links": [{ "href": link.href(), "rel": "related",
            "text": "The record's audit trail in Charter" }],
    })
}

/// The verdict as OSCAL's objective status: partial is not satisfied (and implemented in
/// part); not applicable, granted only with an approved justification, is satisfied.
fn status(verdict: Verdict) -> (Value, Option<&'static str>) {
    match verdict {
        Verdict::Conforming => (
            json!({ "state": "satisfied", "reason": "pass" }),
            Some("implemented"),
        ),
        Verdict::Partial => (
            json!({ "state": "not-satisfied", "reason": "fail",
                "remarks": "Partially met: see the finding." }),
            Some("partial"),
        ),
        Verdict::Nonconforming => (json!({ "state": "not-satisfied", "reason": "fail" }), None),
        Verdict::NotApplicable => (
            json!({ "state": "satisfied", "reason": "other",
                "remarks": "Not applicable, with an approved justification." }),
            Some("not-applicable"),
        ),
    }
}

fn finding(r: &RequirementResult, ids: &Ids) -> Value {
    let control = control_id(&r.id);
    let (status, implementation) = status(r.verdict);
    let mut target = json!({
        "type": "objective-id",
        "target-id": format!("{control}_obj"),
        "title": one_line(&format!("{} {}", r.id, shows(&r.id)), &r.id),
        "status": status,
    });
    if let Some(state) = implementation {
        target["implementation-status"] = json!({ "state": state });
    }
    json!({
        "uuid": ids.finding(&r.id),
        "title": one_line(&format!("{control}: {}", r.verdict.as_str().replace('_', " ")), &control),
        "description": prose(&r.finding, "No finding recorded."),
        "props": [prop("requirement-id", &r.id), prop("verdict", r.verdict.as_str())],
        "target": target,
        "related-observations": [{ "observation-uuid": ids.observation(&r.id) }],
    })
}
