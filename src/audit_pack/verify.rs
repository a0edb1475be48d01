//! Offline verification of an audit pack with only the server's public key: no database, no
//! network. Every check is listed; the first failure is named.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::domain::assessment::content_sha256;
use crate::domain::audit_pack::{AuditPack, EXPORT_ACTION, PACK_FORMAT, ProvenEvent};
use crate::domain::checkpoint::{Checkpoint, key_id};
use crate::domain::conformance::{Evaluation, EvidenceKind};

/// The `id` of the element of an HTML rendering that embeds the pack's JSON
/// (`<script type="application/json" id="charter-audit-pack">`).
pub const EMBED_ID: &str = "charter-audit-pack";

/// The action of the audit event that stored the assessment.
const ASSESSMENT_ACTION: &str = "assessment.run";

/// One check and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    pub passed: bool,
    /// What was checked, or the first thing that failed.
    pub detail: String,
}

/// Every check made on a pack, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    pub checks: Vec<Check>,
}

impl Verification {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|c| c.passed)
    }

    /// The first check that failed.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| !c.passed)
    }

    /// One line per check, then the conclusion.
    pub fn report(&self) -> String {
        let mut text = String::new();
        for check in &self.checks {
            let mark = if check.passed { "ok  " } else { "FAIL" };
            let _ = writeln!(text, "{mark}  {}: {}", check.name, check.detail);
        }
        match self.first_failure() {
            None => text.push_str("The audit pack verifies: every record, event and proof matches the signed checkpoint.\n"),
            Some(failed) => {
                let _ = writeln!(
                    text,
                    "The audit pack does NOT verify: {} ({})",
                    failed.detail, failed.name
                );
            }
        }
        text
    }

    fn pass(&mut self, name: &'static str, detail: impl Into<String>) {
        self.checks.push(Check {
            name,
            passed: true,
            detail: detail.into(),
        });
    }

    fn fail(&mut self, name: &'static str, detail: impl Into<String>) {
        self.checks.push(Check {
            name,
            passed: false,
            detail: detail.into(),
        });
    }

    fn outcome(&mut self, name: &'static str, result: Result<String, String>) {
        match result {
            Ok(detail) => self.pass(name, detail),
            Err(detail) => self.fail(name, detail),
        }
    }
}

/// The pack's JSON in a file: the file itself, or the JSON embedded in its HTML rendering.
pub fn pack_json(bytes: &[u8]) -> Result<&str, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the file is not text (UTF-8)".to_owned())?;
    if text.trim_start().starts_with('{') {
        return Ok(text);
    }
    let marker = format!("id=\"{EMBED_ID}\"");
    let at = text.find(&marker).ok_or_else(|| {
        format!(
            "the file is neither a JSON audit pack nor an HTML one (no element id=\"{EMBED_ID}\")"
        )
    })?;
    let start = text[at..]
        .find('>')
        .map(|i| at + i + 1)
        .ok_or("the embedded pack is cut short")?;
    let end = text[start..]
        .find("</script>")
        .map(|i| start + i)
        .ok_or("the embedded pack is cut short")?;
    Ok(&text[start..end])
}

/// Checks a pack file (JSON or HTML) with a raw 32-byte Ed25519 public key.
pub fn verify_bytes(bytes: &[u8], public_key: &[u8]) -> Verification {
    let parsed = pack_json(bytes).and_then(|json| {
        serde_json::from_str::<AuditPack>(json)
            .map_err(|e| format!("the file is not an audit pack: {e}"))
    });
    match parsed {
        Ok(pack) => verify_pack(&pack, public_key),
        Err(reason) => {
            let mut verification = Verification::default();
            verification.fail("format", reason);
            verification
        }
    }
}

/// Checks a parsed pack with a raw 32-byte Ed25519 public key.
pub fn verify_pack(pack: &AuditPack, public_key: &[u8]) -> Verification {
    let mut v = Verification::default();
    v.outcome("format", check_format(pack));
    v.outcome("checkpoint", check_checkpoint(&pack.checkpoint, public_key));
    v.outcome("assessment", check_assessment(pack));
    v.outcome("evidence", check_evidence(pack));
    v.outcome("manifest", check_manifest(pack));
    v.outcome("events", check_events(pack));
    v.outcome("inclusion proofs", check_proofs(pack));
    v.outcome("assessment event", check_assessment_event(pack));
    v.outcome("export event", check_export(pack));
    v
}

fn check_format(pack: &AuditPack) -> Result<String, String> {
    if pack.format == PACK_FORMAT {
        Ok(format!("{PACK_FORMAT}, generated {}", pack.generated_at))
    } else {
        Err(format!(
            "the format is {:?}, not {PACK_FORMAT:?}",
            pack.format
        ))
    }
}

fn check_checkpoint(checkpoint: &Checkpoint, public_key: &[u8]) -> Result<String, String> {
    if checkpoint.root().is_none() {
        return Err("the checkpoint's root hash is not 32 bytes of hex".into());
    }
    if checkpoint.key_id != key_id(public_key) {
        return Err(format!(
            "the checkpoint was signed by key {}, not by the key given ({})",
            checkpoint.key_id,
            key_id(public_key)
        ));
    }
    if !checkpoint.signature_valid(public_key) {
        return Err(format!(
            "the checkpoint's signature is not valid for key {} (tree size {}, root {})",
            checkpoint.key_id, checkpoint.tree_size, checkpoint.root_hash
        ));
    }
    Ok(format!(
        "signed by key {} over {} events, root {}",
        checkpoint.key_id, checkpoint.tree_size, checkpoint.root_hash
    ))
}

fn check_assessment(pack: &AuditPack) -> Result<String, String> {
    let a = &pack.assessment;
    let id = a.id;
    if content_sha256(&a.evaluation_json) != a.content_sha256 {
        return Err(format!(
            "assessment {id}: its stored text does not match its hash"
        ));
    }
    if pack.manifest.assessment_sha256 != a.content_sha256 {
        return Err(format!(
            "assessment {id}: its hash differs from the one in the manifest"
        ));
    }
    let stored: Evaluation = serde_json::from_str(&a.evaluation_json)
        .map_err(|e| format!("assessment {id}: its stored text is not an evaluation ({e})"))?;
    if !same_json(&stored, &a.evaluation) {
        return Err(format!(
            "assessment {id}: the verdicts shown differ from the stored text"
        ));
    }
    Ok(format!(
        "assessment {id} of {}: {} requirements, content hash {}",
        a.created_at,
        a.evaluation.results.len(),
        a.content_sha256
    ))
}

/// Whether two values read the same as JSON (numbers compared to 1e-9, relative).
fn same_json<T: serde::Serialize>(a: &T, b: &T) -> bool {
    match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(a), Ok(b)) => same_value(&a, &b),
        _ => false,
    }
}

fn same_value(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            _ if x == y => true,
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, xv)| y.get(k).is_some_and(|yv| same_value(xv, yv)))
        }
        _ => a == b,
    }
}

fn check_evidence(pack: &AuditPack) -> Result<String, String> {
    let listed: BTreeMap<(EvidenceKind, uuid::Uuid), &str> = pack
        .manifest
        .evidence
        .iter()
        .map(|e| ((e.kind, e.id), e.sha256.as_str()))
        .collect();
    for record in &pack.evidence {
        let name = format!("evidence {} {}", record.kind, record.id);
        if !record.intact() {
            return Err(format!("{name}: content does not match its hash"));
        }
        match listed.get(&(record.kind, record.id)) {
            Some(hash) if *hash == record.sha256 => {}
            Some(_) => return Err(format!("{name}: its hash differs from the manifest's")),
            None => return Err(format!("{name}: is not in the manifest")),
        }
    }
    Ok(format!(
        "{} records match their SHA-256 and the manifest",
        pack.evidence.len()
    ))
}

fn check_manifest(pack: &AuditPack) -> Result<String, String> {
    let mut present = BTreeSet::new();
    for record in &pack.evidence {
        if !present.insert((record.kind, record.id)) {
            return Err(format!(
                "evidence {} {}: is in the pack twice",
                record.kind, record.id
            ));
        }
    }
    let mut listed = BTreeSet::new();
    for entry in &pack.manifest.evidence {
        if !listed.insert((entry.kind, entry.id)) {
            return Err(format!(
                "the manifest lists evidence {} {} twice",
                entry.kind, entry.id
            ));
        }
        if !present.contains(&(entry.kind, entry.id)) {
            return Err(format!(
                "the manifest lists evidence {} {} that the pack does not carry",
                entry.kind, entry.id
            ));
        }
    }
    let carried: Vec<&str> = pack.events.iter().map(|e| e.event.hash.as_str()).collect();
    let named: Vec<&str> = pack.manifest.events.iter().map(String::as_str).collect();
    if carried != named {
        let seq = pack
            .events
            .iter()
            .zip(&pack.manifest.events)
            .find(|(e, h)| e.event.hash != **h)
            .map_or_else(
                || "the number of events".to_owned(),
                |(e, _)| format!("event {}", e.event.seq),
            );
        return Err(format!(
            "the manifest's event hashes differ from the events carried (at {seq})"
        ));
    }
    Ok(format!(
        "lists exactly the {} records and {} events carried",
        listed.len(),
        named.len()
    ))
}

fn check_events(pack: &AuditPack) -> Result<String, String> {
    for proven in pack.events.iter().chain([&pack.export_event]) {
        let event = &proven.event;
        if event.computed_hash() != event.hash {
            return Err(format!(
                "event {} ({} {} {}): its content does not match its hash",
                event.seq, event.action, event.record_type, event.record_id
            ));
        }
    }
    Ok(format!(
        "{} events match their chain hashes",
        pack.events.len() + 1
    ))
}

fn check_proofs(pack: &AuditPack) -> Result<String, String> {
    let Some(root) = pack.checkpoint.root() else {
        return Err("the checkpoint has no valid root to prove against".into());
    };
    for proven in pack.events.iter().chain([&pack.export_event]) {
        proof_holds(proven, &pack.checkpoint, &root)?;
    }
    Ok(format!(
        "{} inclusion proofs lead to the checkpoint's root",
        pack.events.len() + 1
    ))
}

fn proof_holds(
    proven: &ProvenEvent,
    checkpoint: &Checkpoint,
    root: &crate::domain::merkle::Hash,
) -> Result<(), String> {
    let (event, proof) = (&proven.event, &proven.proof);
    let name = format!("the inclusion proof of event {}", event.seq);
    if proof.tree_size != checkpoint.tree_size {
        return Err(format!(
            "{name} is for a tree of {} events, not the checkpoint's {}",
            proof.tree_size, checkpoint.tree_size
        ));
    }
    if i64::try_from(proof.leaf_index).ok() != Some(event.seq - 1) {
        return Err(format!(
            "{name} proves leaf {}, not the event's position {}",
            proof.leaf_index,
            event.seq - 1
        ));
    }
    if !proof.proves(&event.hash, root) {
        return Err(format!("{name} does not lead to the checkpoint's root"));
    }
    Ok(())
}

fn check_assessment_event(pack: &AuditPack) -> Result<String, String> {
    let a = &pack.assessment;
    let id = a.id.to_string();
    let Some(stored) = pack
        .events
        .iter()
        .map(|p| &p.event)
        .find(|e| e.action == ASSESSMENT_ACTION && e.record_id == id)
    else {
        return Err(format!(
            "assessment {id}: the pack carries no event recording it"
        ));
    };
    if stored.record_digest != a.content_sha256 {
        return Err(format!(
            "assessment {id}: event {} recorded another hash ({})",
            stored.seq, stored.record_digest
        ));
    }
    Ok(format!(
        "event {} recorded the assessment with this hash",
        stored.seq
    ))
}

fn check_export(pack: &AuditPack) -> Result<String, String> {
    let event = &pack.export_event.event;
    if event.action != EXPORT_ACTION {
        return Err(format!(
            "event {} is {:?}, not an export ({EXPORT_ACTION})",
            event.seq, event.action
        ));
    }
    if event.record_id != pack.assessment.id.to_string() {
        return Err(format!(
            "export event {} names assessment {}, not {}",
            event.seq, event.record_id, pack.assessment.id
        ));
    }
    let digest = pack.manifest.sha256();
    if event.record_digest != digest {
        return Err(format!(
            "export event {}: its digest {} is not the manifest's SHA-256 {digest} (the manifest was changed)",
            event.seq, event.record_digest
        ));
    }
    Ok(format!(
        "event {} recorded this export with the manifest's SHA-256 {digest}",
        event.seq
    ))
}
