//! The audit pack as both human-readable renderings (HTML and PDF) show it, formatted once.

use std::collections::HashMap;

use uuid::Uuid;

use crate::document::report_export::{number, utc_time};
use crate::domain::audit_pack::{AuditPack, EvidenceRecord, PackRole, ProvenEvent};
use crate::domain::conformance::{
    CATALOG, EvidenceKind, Liveness, RequirementResult, Thresholds, Verdict,
};

/// The command that verifies a pack offline.
pub const VERIFY_COMMAND: &str = "charter audit verify-pack FILE --public-key KEY";

/// One label and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub value: String,
}

fn row(label: &str, value: impl Into<String>) -> Row {
    Row {
        label: label.to_owned(),
        value: value.into(),
    }
}

/// One cited record as a requirement lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedRecord {
    pub label: String,
    pub kind: &'static str,
    pub id: String,
    /// The SHA-256 of the record in the pack; "not in the pack" when it is missing.
    pub sha256: String,
}

/// One requirement with its verdict, finding, figures and cited evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementView {
    pub id: String,
    pub shows: String,
    pub verdict: &'static str,
    pub tone: &'static str,
    pub finding: String,
    pub figures: Vec<Row>,
    pub evidence: Vec<CitedRecord>,
}

/// One role of clause 5.3 and who holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleView {
    pub name: String,
    pub category: String,
    pub responsibilities: String,
    pub authorities: String,
    pub holders: Vec<String>,
    /// How many hold the role, when more do than are listed.
    pub more_holders: Option<String>,
}

/// One manifest entry, with the label of the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRow {
    pub kind: &'static str,
    pub id: String,
    pub label: String,
    pub sha256: String,
}

/// One audit event and its inclusion proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventView {
    pub seq: i64,
    pub occurred_at: String,
    pub actor: String,
    pub action: String,
    pub record: String,
    pub record_digest: String,
    pub hash: String,
    pub leaf_index: u64,
    pub tree_size: u64,
    /// The audit path, leaf side first.
    pub path: Vec<String>,
}

/// Everything the HTML and PDF renderings show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackView {
    pub organization: String,
    pub title: String,
    pub rows: Vec<Row>,
    pub counts: Vec<Row>,
    pub thresholds: Vec<Row>,
    pub liveness: Vec<Row>,
    pub requirements: Vec<RequirementView>,
    pub roles: Vec<RoleView>,
    pub assessment_sha256: String,
    pub manifest: Vec<ManifestRow>,
    pub manifest_events: Vec<String>,
    pub checkpoint: Vec<Row>,
    pub events: Vec<EventView>,
    pub export_event: EventView,
    pub verify_steps: Vec<String>,
    pub verify_command: &'static str,
}

/// The verdict in words and its tone (green, amber, red, grey).
pub fn verdict_word(verdict: Verdict) -> (&'static str, &'static str) {
    match verdict {
        Verdict::Conforming => ("conforming", "green"),
        Verdict::Partial => ("partial", "amber"),
        Verdict::Nonconforming => ("nonconforming", "red"),
        Verdict::NotApplicable => ("not applicable", "grey"),
    }
}

/// What the catalog says requirement `id` must show ("" for an id it does not list).
pub fn shows(id: &str) -> &'static str {
    CATALOG.iter().find(|r| r.id == id).map_or("", |r| r.shows)
}

impl PackView {
    pub fn new(pack: &AuditPack) -> Self {
        let organization = match pack.organization.trim() {
            "" => "Charter".to_owned(),
            name => name.to_owned(),
        };
        let evaluation = &pack.assessment.evaluation;
        let records: HashMap<(EvidenceKind, Uuid), &EvidenceRecord> =
            pack.evidence.iter().map(|r| ((r.kind, r.id), r)).collect();
        Self {
            title: "Audit pack: ISO/IEC 27001 clause 5 assessment".to_owned(),
            rows: title_rows(&organization, pack),
            organization,
            counts: counts(pack),
            thresholds: thresholds(&evaluation.thresholds),
            liveness: liveness(&evaluation.liveness),
            requirements: evaluation
                .results
                .iter()
                .map(|r| requirement(r, &records))
                .collect(),
            roles: pack.roles.iter().map(role).collect(),
            assessment_sha256: pack.manifest.assessment_sha256.clone(),
            manifest: pack
                .manifest
                .evidence
                .iter()
                .map(|e| ManifestRow {
                    kind: e.kind.as_str(),
                    id: e.id.to_string(),
                    label: records
                        .get(&(e.kind, e.id))
                        .map_or_else(String::new, |r| r.label.clone()),
                    sha256: e.sha256.clone(),
                })
                .collect(),
            manifest_events: pack.manifest.events.clone(),
            checkpoint: checkpoint(pack),
            events: pack.events.iter().map(event).collect(),
            export_event: event(&pack.export_event),
            verify_steps: verify_steps(pack),
            verify_command: VERIFY_COMMAND,
        }
    }
}

fn title_rows(organization: &str, pack: &AuditPack) -> Vec<Row> {
    let a = &pack.assessment;
    vec![
        row("Organization", organization),
        row("Assessment", a.id.to_string()),
        row("Evaluated", utc_time(a.evaluation.evaluated_at)),
        row("Run by", format!("{} ({})", a.run_by, a.trigger)),
        row("Assessment SHA-256", a.content_sha256.clone()),
        row("Pack generated", utc_time(pack.generated_at)),
        row("Generated by", pack.generated_by.clone()),
        row("Format", pack.format.clone()),
    ]
}

fn counts(pack: &AuditPack) -> Vec<Row> {
    let evaluation = &pack.assessment.evaluation;
    Verdict::ALL
        .iter()
        .map(|v| row(verdict_word(*v).0, evaluation.count(*v).to_string()))
        .collect()
}

fn thresholds(t: &Thresholds) -> Vec<Row> {
    vec![
        row("Governance period", format!("{} days", t.period_days)),
        row(
            "Reporting interval",
            format!("{} days", t.reporting_interval_days),
        ),
        row(
            "Largest share of overdue improvement actions",
            format!("{} %", t.overdue_actions_percent),
        ),
        row(
            "Least acknowledgment coverage",
            format!("{} %", t.coverage_percent),
        ),
    ]
}

fn days(value: Option<i64>) -> String {
    value.map_or_else(|| "never".to_owned(), |d| format!("{d} days"))
}

fn liveness(l: &Liveness) -> Vec<Row> {
    let trend: Vec<String> = l
        .coverage_trend
        .iter()
        .map(|p| format!("{} {} %", p.month, number(p.percent)))
        .collect();
    vec![
        row(
            "Since the last signed management review",
            days(l.days_since_management_review),
        ),
        row(
            "Since top management last signed off a performance report",
            days(l.days_since_report_review),
        ),
        row(
            "Since the last communication from top management",
            days(l.days_since_top_communication),
        ),
        row(
            "Coverage of the top-level policy, month by month",
            if trend.is_empty() {
                "no data".to_owned()
            } else {
                trend.join(", ")
            },
        ),
        row(
            "Policies overdue for review",
            l.overdue_policy_reviews.to_string(),
        ),
        row("Improvement actions overdue", l.overdue_actions.to_string()),
        row(
            "Active role assignments held by people who have left",
            l.departed_holders.to_string(),
        ),
        row(
            "Evidence records older than the governance period",
            format!("{} of {}", l.evidence_older_than_period, l.evidence_records),
        ),
    ]
}

fn requirement(
    r: &RequirementResult,
    records: &HashMap<(EvidenceKind, Uuid), &EvidenceRecord>,
) -> RequirementView {
    let (verdict, tone) = verdict_word(r.verdict);
    RequirementView {
        id: r.id.clone(),
        shows: shows(&r.id).to_owned(),
        verdict,
        tone,
        finding: r.finding.clone(),
        figures: r.figures.iter().map(|f| row(&f.label, &*f.value)).collect(),
        evidence: r
            .evidence
            .iter()
            .map(|link| CitedRecord {
                label: link.label.clone(),
                kind: link.kind.as_str(),
                id: link.id.to_string(),
                sha256: records
                    .get(&(link.kind, link.id))
                    .map_or_else(|| "not in the pack".to_owned(), |e| e.sha256.clone()),
            })
            .collect(),
    }
}

fn role(r: &PackRole) -> RoleView {
    RoleView {
        name: r.name.clone(),
        category: r.category.replace('_', " "),
        responsibilities: r.responsibilities.clone(),
        authorities: r.authorities.clone(),
        holders: r
            .holders
            .iter()
            .map(|h| format!("{} <{}>", h.name, h.email))
            .collect(),
        more_holders: usize::try_from(r.holder_count)
            .ok()
            .filter(|n| *n > r.holders.len())
            .map(|n| {
                format!(
                    "{n} people hold this role; the first {} are listed.",
                    r.holders.len()
                )
            }),
    }
}

fn checkpoint(pack: &AuditPack) -> Vec<Row> {
    let c = &pack.checkpoint;
    vec![
        row("Tree size", c.tree_size.to_string()),
        row("Root hash", c.root_hash.clone()),
        row("Signed", utc_time(c.signed_at)),
        row("Key id", c.key_id.clone()),
        row("Ed25519 signature", c.signature.clone()),
    ]
}

fn event(p: &ProvenEvent) -> EventView {
    let e = &p.event;
    EventView {
        seq: e.seq,
        occurred_at: utc_time(e.occurred_at),
        actor: e.actor.clone(),
        action: e.action.clone(),
        record: format!("{} {}", e.record_type, e.record_id),
        record_digest: e.record_digest.clone(),
        hash: e.hash.clone(),
        leaf_index: p.proof.leaf_index,
        tree_size: p.proof.tree_size,
        path: p.proof.hashes.clone(),
    }
}

fn verify_steps(pack: &AuditPack) -> Vec<String> {
    vec![
        format!(
            "Get the server's public key (key id {}) from its administrator: the command \
             charter audit public-key prints it, and so does GET /api/v1/audit/public-key.",
            pack.checkpoint.key_id
        ),
        "Run the command below on this HTML file (it carries the whole pack as JSON) or on the \
         JSON export; it needs no database and no network."
            .to_owned(),
        "It recomputes every record's SHA-256 and compares it with the manifest, recomputes the \
         assessment's hash and every audit event's chain hash, checks each inclusion proof \
         against the checkpoint's root, the checkpoint's Ed25519 signature, and that the export \
         event recorded the manifest's SHA-256; it names the first check that fails."
            .to_owned(),
    ]
}
