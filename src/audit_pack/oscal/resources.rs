//! The back matter: Charter's requirement catalog (what `import-ap` points to), the pack's
//! manifest, signed checkpoint and audit events, and every cited record, each embedded as the
//! exact JSON its SHA-256 is taken of.

use serde::Serialize;
use serde_json::{Value, json};

use super::ids::{Ids, control_id};
use super::text::{embedded_json, one_line, prop, sha256_hashes, sha256_hex};
use crate::domain::audit_pack::{AuditPack, EvidenceRecord};
use crate::domain::conformance::CATALOG;

/// Every resource of the document rendered from `pack`.
pub fn resources(pack: &AuditPack, ids: &Ids) -> Vec<Value> {
    let mut resources = vec![
        catalog(ids),
        assessment(pack, ids),
        manifest(pack, ids),
        checkpoint(pack, ids),
        events(pack, ids),
    ];
    resources.extend(pack.evidence.iter().map(|r| evidence(r, ids)));
    resources
}

fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

fn catalog(ids: &Ids) -> Value {
    let requirements: Vec<Value> = CATALOG
        .iter()
        .map(|r| json!({ "id": r.id, "control-id": control_id(r.id), "shows": r.shows }))
        .collect();
    let bytes = json_bytes(&requirements);
    let listing: Vec<String> = CATALOG
        .iter()
        .map(|r| format!("- {} ({}): {}", control_id(r.id), r.id, r.shows))
        .collect();
    json!({
        "uuid": ids.catalog(),
        "title": "Charter's requirement catalog: ISO/IEC 27001:2022 clause 5 and related controls",
        "description": "What an organization must show, requirement by requirement, in Charter's \
                        own words (a paraphrase of ISO/IEC 27001:2022 clause 5 and of the \
                        ISO/IEC 27002:2022 controls that give it shape), and how Charter decides \
                        from its live records whether each is met. The assessment follows it in \
                        place of an assessment plan.",
        "props": [prop("requirement-count", &CATALOG.len().to_string())],
        "base64": embedded_json("charter-requirement-catalog.json", &bytes),
        "remarks": listing.join("\n"),
    })
}

fn assessment(pack: &AuditPack, ids: &Ids) -> Value {
    let a = &pack.assessment;
    // The evaluation as stored: its SHA-256 is the assessment's content hash. A pack without the
    // stored text carries the evaluation as JSON.
    let bytes = if a.evaluation_json.is_empty() {
        json_bytes(&a.evaluation)
    } else {
        a.evaluation_json.as_bytes().to_vec()
    };
    json!({
        "uuid": ids.assessment(),
        "title": "The assessment as stored",
        "description": "Every verdict, figure, finding and cited record of the assessment, and \
                        the liveness signs, exactly as Charter stored them when it ran.",
        "props": [
            prop("assessment-id", &a.id.to_string()),
            prop("assessment-sha256", &a.content_sha256),
        ],
        "rlinks": [{
            "href": format!("/audit?record_id={}", a.id),
            "hashes": sha256_hashes(&sha256_hex(&bytes)),
        }],
        "base64": embedded_json("assessment.json", &bytes),
    })
}

fn manifest(pack: &AuditPack, ids: &Ids) -> Value {
    let bytes = json_bytes(&pack.manifest);
    json!({
        "uuid": ids.manifest(),
        "title": "Manifest of the audit pack",
        "description": "The SHA-256 of the assessment, of every cited record and the chain hashes \
                        of the cited audit events. Its own SHA-256 (of the JSON embedded here) is \
                        the record digest of the export event in the signed audit log.",
        "props": [
            prop("assessment-sha256", &pack.manifest.assessment_sha256),
            prop("evidence-count", &pack.manifest.evidence.len().to_string()),
            prop("event-count", &pack.manifest.events.len().to_string()),
            prop("export-event-digest", &pack.export_event.event.record_digest),
        ],
        "rlinks": [{
            "href": format!("/audit?record_id={}", pack.export_event.event.record_id),
            "hashes": sha256_hashes(&sha256_hex(&bytes)),
        }],
        "base64": embedded_json("manifest.json", &bytes),
    })
}

fn checkpoint(pack: &AuditPack, ids: &Ids) -> Value {
    let c = &pack.checkpoint;
    let bytes = json_bytes(c);
    json!({
        "uuid": ids.checkpoint(),
        "title": "Signed checkpoint of the audit log",
        "description": "A tree head of the audit log (RFC 9162): its size and root hash, signed \
                        with the server's Ed25519 key. Every cited event's inclusion proof is \
                        checked against this root.",
        "props": [
            prop("tree-size", &c.tree_size.to_string()),
            prop("root-hash", &c.root_hash),
            prop("key-id", &c.key_id),
            prop("signature", &c.signature),
        ],
        "rlinks": [{
            "href": "/api/v1/audit/checkpoints",
            "media-type": "application/json",
            "hashes": sha256_hashes(&sha256_hex(&bytes)),
        }],
        "base64": embedded_json("checkpoint.json", &bytes),
    })
}

fn events(pack: &AuditPack, ids: &Ids) -> Value {
    let bytes = json_bytes(&json!({
        "events": pack.events,
        "export_event": pack.export_event,
    }));
    json!({
        "uuid": ids.events(),
        "title": "Audit events of the cited records, with inclusion proofs",
        "description": "Each audit event of a cited record, and the event that recorded this \
                        export, with the audit path that proves it is in the log under the \
                        signed checkpoint.",
        "props": [
            prop("event-count", &pack.events.len().to_string()),
            prop("export-event-seq", &pack.export_event.event.seq.to_string()),
        ],
        "rlinks": [{
            "href": "/audit",
            "hashes": sha256_hashes(&sha256_hex(&bytes)),
        }],
        "base64": embedded_json("events.json", &bytes),
    })
}

fn evidence(r: &EvidenceRecord, ids: &Ids) -> Value {
    let bytes = json_bytes(&r.record);
    let kind = r.kind.as_str();
    json!({
        "uuid": ids.evidence(r.kind, r.id),
        "title": one_line(&format!("{} {}", kind.replace('_', " "), r.label), kind),
        "description": "The record as the pack carries it; its SHA-256 is that of its JSON \
                        (compact, keys sorted), embedded here.",
        "props": [
            prop("evidence-kind", kind),
            prop("record-id", &r.id.to_string()),
            prop("sha256", &r.sha256),
        ],
        "rlinks": [{
            "href": format!("/audit?record_id={}", r.id),
            "hashes": sha256_hashes(&sha256_hex(&bytes)),
        }],
        "base64": embedded_json(&format!("{kind}-{}.json", r.id), &bytes),
    })
}
