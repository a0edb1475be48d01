//! Building an audit pack from a stored assessment: the records it cites, the clause 5.3 roles
//! and their holders, the audit events of those records; then, in this order, the export's own
//! audit event (its digest: the manifest's SHA-256), a signed checkpoint, and the inclusion
//! proof of every event carried against that checkpoint.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use uuid::Uuid;

use super::gather::{GatherContext, Subject, gather};
use crate::audit_log::signer::CheckpointSigner;
use crate::domain::assessment::{Assessment, content_sha256};
use crate::domain::audit_pack::{
    AuditPack, Manifest, ManifestEntry, PACK_FORMAT, PACK_HOLDERS_PER_ROLE, PackAssessment,
    PackRole, ProvenEvent,
};
use crate::domain::checkpoint::Checkpoint;
use crate::domain::conformance::EvidenceLink;
use crate::domain::role::OrgRoleFilter;
use crate::domain::{Actor, AuditEvent};
use crate::store::{Store, StoreError, StoreResult};

/// How many of the latest audit events of each record the pack proves.
pub const EVENTS_PER_RECORD: i64 = 50;

/// Who exports, and which assessment.
#[derive(Debug, Clone)]
pub struct PackRequest {
    /// None: the latest stored assessment.
    pub assessment_id: Option<Uuid>,
    /// Who the export event names (`account:…`, `cli`).
    pub actor: Actor,
    /// Who the pack says generated it (a name).
    pub generated_by: String,
    pub now: OffsetDateTime,
}

/// The stored assessment asked for (404 when unknown; 409 when none is stored yet or its stored
/// text no longer has its hash).
pub async fn assessment_for(store: &dyn Store, id: Option<Uuid>) -> StoreResult<Assessment> {
    let assessment = match id {
        Some(id) => store.get_assessment(id).await?,
        None => store.latest_assessment().await?.ok_or_else(|| {
            StoreError::Conflict(
                "no assessment has been stored yet: run an assessment first".into(),
            )
        })?,
    };
    if !assessment.intact {
        return Err(StoreError::Conflict(format!(
            "assessment {} no longer matches its SHA-256: it cannot be exported",
            assessment.id
        )));
    }
    Ok(assessment)
}

/// Builds the pack of one stored assessment, writing its export event and a checkpoint.
pub async fn build_pack(
    store: &dyn Store,
    signer: &CheckpointSigner,
    request: &PackRequest,
) -> StoreResult<AuditPack> {
    let assessment = assessment_for(store, request.assessment_id).await?;
    let pack_assessment = pack_assessment(store, assessment).await?;
    let links: Vec<&EvidenceLink> = pack_assessment
        .evaluation
        .results
        .iter()
        .flat_map(|r| &r.evidence)
        .collect();
    let context = GatherContext {
        now: request.now,
        period_days: pack_assessment.evaluation.thresholds.period_days,
        assessment_id: pack_assessment.id,
    };
    let gathered = gather(store, &links, context).await?;
    // The event that stored the assessment, not the exports of it since.
    let mut subjects = vec![Subject {
        action: Some("assessment.run"),
        ..Subject::new("assessment", pack_assessment.id)
    }];
    subjects.extend(gathered.subjects);
    let events = events_of(store, &subjects).await?;
    let manifest = Manifest {
        assessment_sha256: pack_assessment.content_sha256.clone(),
        evidence: gathered
            .records
            .iter()
            .map(|r| ManifestEntry {
                kind: r.kind,
                id: r.id,
                sha256: r.sha256.clone(),
            })
            .collect(),
        events: events.iter().map(|e| e.hash.clone()).collect(),
    };
    let roles = pack_roles(store, request.now).await?;
    let organization = store.organization().await?.name;
    let export = store
        .record_pack_export(&request.actor, pack_assessment.id, &manifest)
        .await?;
    let checkpoint = store.make_checkpoint(signer, request.now).await?;
    let events = prove_all(store, &checkpoint, events).await?;
    let export_event = prove(store, &checkpoint, export).await?;
    Ok(AuditPack {
        format: PACK_FORMAT.to_owned(),
        organization,
        generated_at: request.now,
        generated_by: request.generated_by.clone(),
        assessment: pack_assessment,
        roles,
        evidence: gathered.records,
        events,
        export_event,
        checkpoint,
        manifest,
    })
}

/// The assessment with its exact stored text, whose hash is checked again here.
async fn pack_assessment(store: &dyn Store, a: Assessment) -> StoreResult<PackAssessment> {
    let text = store.stored_evaluation(a.id).await?;
    if content_sha256(&text) != a.content_sha256 {
        return Err(StoreError::Conflict(format!(
            "assessment {} no longer matches its SHA-256: it cannot be exported",
            a.id
        )));
    }
    Ok(PackAssessment {
        id: a.id,
        created_at: a.created_at,
        trigger: a.trigger.as_str().to_owned(),
        run_by: a.run_by_label,
        content_sha256: a.content_sha256,
        evaluation: a.evaluation,
        evaluation_json: text,
    })
}

/// The latest events of every subject, once each, in log order.
async fn events_of(store: &dyn Store, subjects: &[Subject]) -> StoreResult<Vec<AuditEvent>> {
    let mut events = BTreeMap::new();
    for subject in subjects {
        for event in store
            .record_events(
                subject.record_type,
                &subject.record_id,
                subject.action,
                EVENTS_PER_RECORD,
            )
            .await?
        {
            events.insert(event.seq, event);
        }
    }
    Ok(events.into_values().collect())
}

/// Every role of the catalog with its holders today (the first by name, and how many).
async fn pack_roles(store: &dyn Store, now: OffsetDateTime) -> StoreResult<Vec<PackRole>> {
    let roles = store.list_roles(&OrgRoleFilter::default()).await?;
    let mut holders = store
        .role_holders_today(now.date(), PACK_HOLDERS_PER_ROLE)
        .await?;
    Ok(roles
        .into_iter()
        .map(|role| {
            let held = holders.remove(&role.id).unwrap_or_default();
            PackRole {
                id: role.id,
                name: role.name,
                category: role.category.as_str().to_owned(),
                responsibilities: role.responsibilities.join("\n"),
                authorities: role.authorities.join("\n"),
                holders: held.first,
                holder_count: held.count,
            }
        })
        .collect())
}

async fn prove_all(
    store: &dyn Store,
    checkpoint: &Checkpoint,
    events: Vec<AuditEvent>,
) -> StoreResult<Vec<ProvenEvent>> {
    let mut proven = Vec::with_capacity(events.len());
    for event in events {
        proven.push(prove(store, checkpoint, event).await?);
    }
    Ok(proven)
}

/// The event with its inclusion proof against the checkpoint (which must cover it).
async fn prove(
    store: &dyn Store,
    checkpoint: &Checkpoint,
    event: AuditEvent,
) -> StoreResult<ProvenEvent> {
    let leaf = u64::try_from(event.seq - 1).map_err(|_| {
        StoreError::Conflict(format!("event {} has no place in the log", event.seq))
    })?;
    if leaf >= checkpoint.tree_size {
        return Err(StoreError::Conflict(format!(
            "event {} is not covered by the checkpoint of {} events",
            event.seq, checkpoint.tree_size
        )));
    }
    let proof = store.inclusion_proof(leaf, checkpoint.tree_size).await?;
    Ok(ProvenEvent { event, proof })
}
