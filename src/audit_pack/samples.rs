//! Reproducible samples for auditors: acknowledgments, assignments or policy approvals drawn by
//! a seed (the same seed on the same records draws the same ones), each with the audit events
//! that recorded it. Reading only: a sample writes nothing.

use serde_json::Value;
use time::Date;
use uuid::Uuid;

use crate::domain::audit_pack::{EvidenceSample, MAX_SAMPLE, SampleKind, SampledRecord};
use crate::domain::{AuditEvent, FieldErrors};
use crate::store::evidence::{SampleKey, SamplePopulation};
use crate::store::{Store, StoreError, StoreResult};

/// The sample size when none is asked for.
pub const DEFAULT_SAMPLE: usize = 25;
/// The most events shown per sampled record.
const EVENTS_PER_SAMPLE: i64 = 20;

/// What an auditor asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleRequest {
    pub kind: SampleKind,
    pub size: usize,
    /// None: a new seed is chosen and returned.
    pub seed: Option<String>,
    /// Acknowledgments of this campaign only.
    pub campaign_id: Option<Uuid>,
}

impl SampleRequest {
    /// Checks the size (1 to 500) and the seed (at most 200 characters).
    pub fn validate(self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if !(1..=MAX_SAMPLE).contains(&self.size) {
            errors.add("size", "ask for 1 to 500 records");
        }
        if self.seed.as_ref().is_some_and(|s| s.chars().count() > 200) {
            errors.add("seed", "use a seed of at most 200 characters");
        }
        if self.campaign_id.is_some() && self.kind != SampleKind::Acknowledgments {
            errors.add(
                "campaign_id",
                "only acknowledgments are sampled by campaign",
            );
        }
        errors.into_result().map(|()| self)
    }
}

/// Draws the sample and reads each record and its events.
pub async fn draw(
    store: &dyn Store,
    request: SampleRequest,
    today: Date,
) -> StoreResult<EvidenceSample> {
    let request = request.validate().map_err(StoreError::Invalid)?;
    let seed = request
        .seed
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| Uuid::now_v7().simple().to_string());
    let population = match request.kind {
        SampleKind::Acknowledgments => SamplePopulation::Acknowledgments {
            campaign_id: request.campaign_id,
        },
        SampleKind::Assignments => SamplePopulation::Assignments,
        SampleKind::PolicyApprovals => SamplePopulation::PolicyApprovals,
    };
    if let Some(campaign) = request.campaign_id {
        store.get_campaign(campaign, today).await?;
    }
    let drawn = store.draw_sample(population, &seed, request.size).await?;
    let mut records = Vec::with_capacity(drawn.keys.len());
    for (position, key) in drawn.keys {
        let (record, events) = read(store, key, today).await?;
        records.push(SampledRecord {
            position,
            record,
            events,
        });
    }
    Ok(EvidenceSample {
        kind: request.kind,
        campaign_id: request.campaign_id,
        seed,
        size: request.size,
        population: drawn.population,
        records,
    })
}

async fn read(
    store: &dyn Store,
    key: SampleKey,
    today: Date,
) -> StoreResult<(Value, Vec<AuditEvent>)> {
    let json = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
    match key {
        SampleKey::Acknowledgment {
            campaign_id,
            person_id,
        } => {
            let ack = store
                .get_acknowledgment(campaign_id, person_id, today)
                .await?;
            let id = format!("{campaign_id}:{person_id}");
            let events = store
                .record_events("acknowledgment", &id, None, EVENTS_PER_SAMPLE)
                .await?;
            Ok((json(serde_json::to_value(ack)), events))
        }
        SampleKey::Assignment(id) => {
            let assignment = store.get_assignment(id, today).await?;
            let events = store
                .record_events("role_assignment", &id.to_string(), None, EVENTS_PER_SAMPLE)
                .await?;
            Ok((json(serde_json::to_value(assignment)), events))
        }
        SampleKey::PolicyApproval {
            decision_id,
            version_id,
        } => approval(store, decision_id, version_id).await,
    }
}

/// A sign-off with the version it approved, and the `policy_version.signed_off` event its
/// approver wrote at that moment (the one of theirs closest in time to the decision).
async fn approval(
    store: &dyn Store,
    decision_id: Uuid,
    version_id: Uuid,
) -> StoreResult<(Value, Vec<AuditEvent>)> {
    let decision = store
        .version_decisions(version_id)
        .await?
        .into_iter()
        .find(|d| d.id == decision_id)
        .ok_or(StoreError::NotFound("policy approval"))?;
    let version = store.get_version(version_id).await?;
    let actor = format!("account:{}", decision.account_id);
    let event = store
        .record_events(
            "policy_version",
            &version_id.to_string(),
            Some("policy_version.signed_off"),
            500,
        )
        .await?
        .into_iter()
        .filter(|e| e.actor == actor)
        .min_by_key(|e| (e.occurred_at - decision.decided_at).abs());
    let record = serde_json::json!({
        "decision": decision,
        "policy_id": version.policy_id,
        "version": version.number.to_string(),
        "version_content_hash": version.content_hash,
    });
    Ok((record, event.into_iter().collect()))
}
