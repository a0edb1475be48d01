//! The audit pack as data: an assessment, the records it cites with their SHA-256, the audit
//! events of those records with inclusion proofs, the signed checkpoint they are proved against,
//! and the manifest whose hash the export event carries. Every rendering (JSON, HTML, PDF, OSCAL)
//! is made from this one value, and `charter audit verify-pack` checks it with only the public key.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::audit::{AuditEvent, record_digest};
use super::checkpoint::{Checkpoint, InclusionProof};
use super::conformance::{Evaluation, EvidenceKind};

/// The format name every pack carries.
pub const PACK_FORMAT: &str = "charter-audit-pack/1";

/// The action of the audit event an export writes (record: the assessment; digest: the
/// manifest's SHA-256).
pub const EXPORT_ACTION: &str = "audit_pack.exported";

/// The largest sample an auditor may draw at once.
pub const MAX_SAMPLE: usize = 500;

/// Everything an auditor takes away.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditPack {
    pub format: String,
    pub organization: String,
    #[serde(with = "time::serde::rfc3339")]
    pub generated_at: OffsetDateTime,
    pub generated_by: String,
    pub assessment: PackAssessment,
    /// The roles of clause 5.3 and who holds them today (OSCAL roles, parties, responsible parties).
    pub roles: Vec<PackRole>,
    pub evidence: Vec<EvidenceRecord>,
    /// The audit events of the cited records, each with its inclusion proof.
    pub events: Vec<ProvenEvent>,
    /// The event that recorded this export; its record digest is the manifest's SHA-256.
    pub export_event: ProvenEvent,
    pub checkpoint: Checkpoint,
    pub manifest: Manifest,
}

/// The stored assessment the pack presents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PackAssessment {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub trigger: String,
    pub run_by: String,
    /// The SHA-256 the assessment was stored with (of the evaluation's JSON text).
    pub content_sha256: String,
    pub evaluation: Evaluation,
    /// The evaluation's JSON text exactly as stored: `content_sha256` is its SHA-256, and
    /// `evaluation` is what it reads as.
    #[serde(default)]
    pub evaluation_json: String,
}

/// A role of the catalog and its holders today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PackRole {
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub responsibilities: String,
    pub authorities: String,
    /// The first holders by name (at most `PACK_HOLDERS_PER_ROLE`).
    pub holders: Vec<PackParty>,
    /// How many people hold the role today (more than `holders` lists for a widely held role).
    #[serde(default)]
    pub holder_count: i64,
}

/// The most holders a role lists in a pack; the count says how many there are.
pub const PACK_HOLDERS_PER_ROLE: i64 = 50;

/// A person holding a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PackParty {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

/// One cited record, as JSON, with the SHA-256 of that JSON (serde_json's compact encoding of
/// the value, keys sorted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceRecord {
    pub kind: EvidenceKind,
    pub id: Uuid,
    pub label: String,
    #[schema(value_type = Object)]
    pub record: serde_json::Value,
    pub sha256: String,
}

/// An audit event with the proof that it is in the signed log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProvenEvent {
    pub event: AuditEvent,
    pub proof: InclusionProof,
}

/// What the pack holds, by hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Manifest {
    pub assessment_sha256: String,
    pub evidence: Vec<ManifestEntry>,
    /// The chain hashes of the cited events.
    pub events: Vec<String>,
}

/// One cited record's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ManifestEntry {
    pub kind: EvidenceKind,
    pub id: Uuid,
    pub sha256: String,
}

impl EvidenceRecord {
    /// A cited record and its hash. Its numbers are first settled (written and read back until
    /// they stay the same), so the hash a verifier recomputes from the pack's JSON is this one.
    pub fn new(kind: EvidenceKind, id: Uuid, label: String, record: serde_json::Value) -> Self {
        let record = settle(record);
        Self {
            sha256: record_digest(&record),
            kind,
            id,
            label,
            record,
        }
    }

    /// Whether the record still has its hash.
    pub fn intact(&self) -> bool {
        record_digest(&self.record) == self.sha256
    }
}

/// The value as it reads back from its own JSON (numbers parsed and written until stable).
pub fn settle(mut value: serde_json::Value) -> serde_json::Value {
    for _ in 0..4 {
        let Ok(text) = serde_json::to_vec(&value) else {
            return value;
        };
        match serde_json::from_slice::<serde_json::Value>(&text) {
            Ok(back) if back != value => value = back,
            _ => return value,
        }
    }
    value
}

impl Manifest {
    /// SHA-256 of the manifest's JSON: the record digest of the export event.
    pub fn sha256(&self) -> String {
        record_digest(self)
    }
}

/// The positions (1-based, ascending) of a reproducible sample of `size` records out of
/// `population`: each drawn from SHA-256 of the seed and a counter, so the same seed always
/// draws the same positions; all of them when the population is no larger than the sample.
pub fn sample_positions(seed: &str, population: i64, size: usize) -> Vec<i64> {
    let size = size.min(MAX_SAMPLE);
    let Ok(total) = u64::try_from(population) else {
        return Vec::new();
    };
    if usize::try_from(total).is_ok_and(|n| n <= size) {
        return (1..=population).collect();
    }
    let mut chosen = BTreeSet::new();
    let mut counter: u64 = 0;
    while chosen.len() < size {
        let mut input = b"charter-sample-v1\0".to_vec();
        input.extend_from_slice(seed.as_bytes());
        input.push(0);
        input.extend_from_slice(&counter.to_be_bytes());
        let digest = Sha256::digest(&input);
        let mut first = [0_u8; 8];
        first.copy_from_slice(&digest[..8]);
        chosen.insert(u64::from_be_bytes(first) % total + 1);
        counter += 1;
    }
    chosen
        .into_iter()
        .filter_map(|p| i64::try_from(p).ok())
        .collect()
}

/// The records an auditor samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SampleKind {
    /// Given acknowledgments of a policy (of one campaign, or of every campaign).
    Acknowledgments,
    /// Role assignments.
    Assignments,
    /// Approving sign-offs of policy versions.
    PolicyApprovals,
}

text_enum!(SampleKind, "sample kind", Acknowledgments => "acknowledgments",
    Assignments => "assignments", PolicyApprovals => "policy_approvals");

/// A reproducible random sample: the same seed on the same records draws the same ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceSample {
    pub kind: SampleKind,
    /// The campaign sampled (acknowledgments of one campaign).
    pub campaign_id: Option<Uuid>,
    /// Give it again to draw the same sample.
    pub seed: String,
    /// How many were asked for.
    pub size: usize,
    /// How many records the sample was drawn from.
    pub population: i64,
    pub records: Vec<SampledRecord>,
}

/// One drawn record with the audit events that recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SampledRecord {
    /// Its 1-based position in the population's fixed order.
    pub position: i64,
    #[schema(value_type = Object)]
    pub record: serde_json::Value,
    pub events: Vec<AuditEvent>,
}
