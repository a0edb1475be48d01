//! Gathering the records an assessment cites, each as JSON through the store's own getters, with
//! the records whose audit events prove them (the record itself, its measurements, decisions or
//! sampled acknowledgments). Concern settings come with counts only, never a concern's contents.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::{Value, json};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::domain::audit_pack::EvidenceRecord;
use crate::domain::campaign::AckFilter;
use crate::domain::conformance::{EvidenceKind, EvidenceLink};
use crate::domain::raci::{Activity, RaciMatrix};
use crate::domain::sod::SodRule;
use crate::store::evidence::{SampleKey, SamplePopulation};
use crate::store::{Store, StoreError, StoreResult};

/// How many acknowledgments of each cited campaign the pack carries.
pub const ACK_SAMPLE: usize = 25;
/// How many of an objective's latest measurements have their events proved.
const MEASUREMENT_EVENTS: usize = 12;

/// A record whose audit events the pack proves: the type and id its events name (only those
/// of one action, when set).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Subject {
    pub record_type: &'static str,
    pub record_id: String,
    pub action: Option<&'static str>,
}

impl Subject {
    pub fn new(record_type: &'static str, id: impl ToString) -> Self {
        Self {
            record_type,
            record_id: id.to_string(),
            action: None,
        }
    }
}

/// The cited records and the records whose events prove them.
#[derive(Debug, Default)]
pub struct Gathered {
    pub records: Vec<EvidenceRecord>,
    pub subjects: Vec<Subject>,
}

/// What gathering needs besides the links.
#[derive(Debug, Clone, Copy)]
pub struct GatherContext {
    pub now: OffsetDateTime,
    /// The governance period of the assessment's thresholds, in days (for concern counts).
    pub period_days: i64,
    /// Seeds the acknowledgment samples, so a pack of the same assessment draws the same ones.
    pub assessment_id: Uuid,
}

/// Every record `links` name, once each, in the order first cited.
pub async fn gather(
    store: &dyn Store,
    links: &[&EvidenceLink],
    context: GatherContext,
) -> StoreResult<Gathered> {
    let mut gatherer = Gatherer {
        store,
        context,
        today: context.now.date(),
        activities: None,
        matrix: None,
        sod_rules: None,
    };
    let mut seen = HashSet::new();
    let mut gathered = Gathered::default();
    let mut subjects = HashSet::new();
    for link in links {
        if !seen.insert((link.kind, link.id)) {
            continue;
        }
        let (record, proved_by) = gatherer.record(link.kind, link.id).await?;
        gathered.records.push(EvidenceRecord::new(
            link.kind,
            link.id,
            link.label.clone(),
            record,
        ));
        for subject in proved_by {
            if subjects.insert(subject.clone()) {
                gathered.subjects.push(subject);
            }
        }
    }
    Ok(gathered)
}

type Found = (Value, Vec<Subject>);

struct Gatherer<'a> {
    store: &'a dyn Store,
    context: GatherContext,
    today: Date,
    activities: Option<Vec<Activity>>,
    matrix: Option<RaciMatrix>,
    sod_rules: Option<Vec<SodRule>>,
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A record cited but no longer there (a removed segregation rule): said so, its events kept.
fn not_found(kind: EvidenceKind, id: Uuid) -> Value {
    json!({ "kind": kind, "id": id, "not_found": "the record no longer exists" })
}

impl Gatherer<'_> {
    async fn record(&mut self, kind: EvidenceKind, id: Uuid) -> StoreResult<Found> {
        let found = match kind {
            EvidenceKind::PolicyVersion => self.policy_version(id).await,
            EvidenceKind::Campaign => self.campaign(id).await,
            EvidenceKind::Objective => self.objective(id).await,
            EvidenceKind::ManagementReview => self.management_review(id).await,
            EvidenceKind::RaciActivity => self.raci_activity(id).await,
            EvidenceKind::SodRule => self.sod_rule(id).await,
            EvidenceKind::ConcernSettings => self.concern_settings().await,
            _ => self.single(kind, id).await,
        };
        match found {
            Err(StoreError::NotFound(_)) => Ok((not_found(kind, id), vec![own_subject(kind, id)])),
            other => other,
        }
    }

    /// The kinds read by one getter, proved by their own events.
    async fn single(&self, kind: EvidenceKind, id: Uuid) -> StoreResult<Found> {
        let (store, today) = (self.store, self.today);
        let record = match kind {
            EvidenceKind::PolicyException => to_json(&store.get_exception(id, today).await?),
            EvidenceKind::Role => to_json(&store.get_role(id).await?),
            EvidenceKind::Assignment => to_json(&store.get_assignment(id, today).await?),
            EvidenceKind::Unit => to_json(&store.get_unit(id).await?),
            EvidenceKind::ImprovementAction => {
                to_json(&store.get_improvement_action(id, today).await?)
            }
            EvidenceKind::ResourceCommitment => to_json(&store.get_resource_commitment(id).await?),
            EvidenceKind::Process => to_json(&store.get_process(id, today).await?),
            EvidenceKind::Briefing => to_json(&store.get_briefing(id).await?),
            EvidenceKind::PerformanceReport => to_json(&store.get_report(id).await?),
            EvidenceKind::Communication => to_json(&store.get_communication(id).await?),
            _ => return Err(StoreError::NotFound("evidence record")),
        };
        Ok((record, vec![own_subject(kind, id)]))
    }

    /// The version with its policy and every sign-off decision (approvals and rejections).
    async fn policy_version(&self, id: Uuid) -> StoreResult<Found> {
        let version = self.store.get_version(id).await?;
        let policy = self.store.get_policy(version.policy_id).await?;
        let decisions = self.store.version_decisions(id).await?;
        let record = json!({ "version": version, "policy": policy, "decisions": decisions });
        let subjects = vec![
            Subject::new("policy_version", id),
            Subject::new("policy", version.policy_id),
        ];
        Ok((record, subjects))
    }

    /// The campaign with its coverage counts and a reproducible sample of its acknowledgments.
    async fn campaign(&self, id: Uuid) -> StoreResult<Found> {
        let (store, today) = (self.store, self.today);
        let campaign = store.get_campaign(id, today).await?;
        let coverage = store
            .coverage_counts(id, &AckFilter::default(), today)
            .await?;
        let seed = format!("{}:{id}", self.context.assessment_id);
        let population = SamplePopulation::Acknowledgments {
            campaign_id: Some(id),
        };
        let drawn = store.draw_sample(population, &seed, ACK_SAMPLE).await?;
        let mut sample = Vec::with_capacity(drawn.keys.len());
        let mut subjects = vec![Subject::new("campaign", id)];
        for (_, key) in drawn.keys {
            if let SampleKey::Acknowledgment {
                campaign_id,
                person_id,
            } = key
            {
                sample.push(
                    store
                        .get_acknowledgment(campaign_id, person_id, today)
                        .await?,
                );
                subjects.push(Subject::new(
                    "acknowledgment",
                    format!("{campaign_id}:{person_id}"),
                ));
            }
        }
        let record = json!({
            "campaign": campaign,
            "coverage": coverage,
            "acknowledgment_sample": {
                "seed": seed, "acknowledged": drawn.population, "drawn": sample,
            },
        });
        Ok((record, subjects))
    }

    /// The objective with every measurement; the latest measurements' events are proved.
    async fn objective(&self, id: Uuid) -> StoreResult<Found> {
        let objective = self.store.get_objective(id, self.today).await?;
        let measurements = self.store.list_measurements(id).await?;
        let mut subjects = vec![Subject::new("objective", id)];
        let latest = measurements.len().saturating_sub(MEASUREMENT_EVENTS);
        subjects.extend(
            measurements[latest..]
                .iter()
                .map(|m| Subject::new("objective_measurement", m.id)),
        );
        let record = json!({ "objective": objective, "measurements": measurements });
        Ok((record, subjects))
    }

    /// The review with its attendees and decisions; each decision's events are proved.
    async fn management_review(&self, id: Uuid) -> StoreResult<Found> {
        let review = self.store.get_management_review(id).await?;
        let mut subjects = vec![Subject::new("management_review", id)];
        subjects.extend(
            review
                .decisions
                .iter()
                .map(|d| Subject::new("review_decision", d.id)),
        );
        Ok((to_json(&review), subjects))
    }

    /// The activity with its cells of the RACI matrix (role and duty).
    async fn raci_activity(&mut self, id: Uuid) -> StoreResult<Found> {
        if self.activities.is_none() {
            self.activities = Some(self.store.list_activities().await?);
            self.matrix = Some(self.store.raci_matrix().await?);
        }
        let activity = self
            .activities
            .iter()
            .flatten()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound("activity"))?;
        let cells: Vec<Value> = self
            .matrix
            .iter()
            .flat_map(|m| {
                m.cells.iter().filter(|c| c.activity_id == id).map(|c| {
                    let role = m.roles.iter().find(|r| r.id == c.role_id);
                    json!({ "role_id": c.role_id, "role": role.map(|r| &r.name), "duty": c.duty })
                })
            })
            .collect();
        let record = json!({ "activity": activity, "raci": cells });
        Ok((record, vec![Subject::new("activity", id)]))
    }

    async fn sod_rule(&mut self, id: Uuid) -> StoreResult<Found> {
        if self.sod_rules.is_none() {
            self.sod_rules = Some(self.store.list_sod_rules().await?);
        }
        let rule = self
            .sod_rules
            .iter()
            .flatten()
            .find(|r| r.id == id)
            .ok_or(StoreError::NotFound("segregation rule"))?;
        Ok((to_json(rule), vec![Subject::new("sod_rule", id)]))
    }

    /// The channel's settings and the counts of the governance period: never a concern's text.
    async fn concern_settings(&self) -> StoreResult<Found> {
        let settings = self.store.concern_settings().await?;
        let period_start = self.today - Duration::days(self.context.period_days.max(1));
        let counts = self
            .store
            .concern_counts(self.context.now, period_start)
            .await?;
        let record = json!({ "settings": settings, "period_start": period_start.to_string(), "counts": counts });
        Ok((record, vec![Subject::new("concern_settings", 1)]))
    }
}

/// The type and id a kind's own audit events name.
pub fn own_subject(kind: EvidenceKind, id: Uuid) -> Subject {
    let record_type = match kind {
        EvidenceKind::PolicyVersion => "policy_version",
        EvidenceKind::PolicyException => "policy_exception",
        EvidenceKind::Campaign => "campaign",
        EvidenceKind::Role => "org_role",
        EvidenceKind::Assignment => "role_assignment",
        EvidenceKind::RaciActivity => "activity",
        EvidenceKind::SodRule => "sod_rule",
        EvidenceKind::Unit => "unit",
        EvidenceKind::Objective => "objective",
        EvidenceKind::ManagementReview => "management_review",
        EvidenceKind::ImprovementAction => "improvement_action",
        EvidenceKind::ResourceCommitment => "resource_commitment",
        EvidenceKind::Process => "process",
        EvidenceKind::Briefing => "briefing",
        EvidenceKind::PerformanceReport => "performance_report",
        EvidenceKind::Communication => "communication",
        EvidenceKind::ConcernSettings => return Subject::new("concern_settings", 1),
    };
    Subject::new(record_type, id)
}
