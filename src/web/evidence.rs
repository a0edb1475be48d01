//! Audit events as rows people can read: who did what to which record, when, and its hashes.

use std::collections::HashMap;

use time::OffsetDateTime;
use uuid::Uuid;

use super::forms::query_string;
use super::moment::{Moment, moment};
use super::views::Link;
use crate::domain::{AuditEvent, AuditFilter, PageRequest};
use crate::store::{Store, StoreResult};

/// One audit event as shown.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub seq: i64,
    pub when: Moment,
    pub actor: String,
    pub action: String,
    pub record: Link,
    pub hash: String,
    pub hash_short: String,
    pub prev_hash: String,
    pub prev_short: String,
}

/// The events of one record, newest first, for the panel on the record's page.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub rows: Vec<EventRow>,
    pub total: i64,
    pub all_href: String,
}

const EVIDENCE_SHOWN: u32 = 50;

/// The record's evidence trail for a caller who reads evidence, none for anyone else: every page
/// asks through here, so no page shows the trail to whom it should not.
pub async fn visible_evidence_trail(
    store: &dyn Store,
    caller: &crate::auth::Principal,
    record_type: &str,
    record_id: &str,
) -> StoreResult<Option<Evidence>> {
    if !caller.may(crate::domain::access::Permission::ReadEvidence) {
        return Ok(None);
    }
    evidence_trail(store, record_type, record_id)
        .await
        .map(Some)
}

pub async fn evidence_trail(
    store: &dyn Store,
    record_type: &str,
    record_id: &str,
) -> StoreResult<Evidence> {
    let filter = AuditFilter {
        record_type: Some(record_type.to_owned()),
        record_id: Some(record_id.to_owned()),
        ..AuditFilter::default()
    };
    let page = store
        .list_audit_events(&filter, PageRequest::new(Some(1), Some(EVIDENCE_SHOWN)))
        .await?;
    let rows = event_rows(store, &page.items).await?;
    let all_href = format!(
        "/audit{}",
        query_string(&[("record_type", record_type), ("record_id", record_id)])
    );
    Ok(Evidence {
        rows,
        total: page.total,
        all_href,
    })
}

/// Rows for `events`, naming people and units rather than showing their ids.
pub async fn event_rows(store: &dyn Store, events: &[AuditEvent]) -> StoreResult<Vec<EventRow>> {
    let names = record_names(store, events).await?;
    let now = OffsetDateTime::now_utc();
    Ok(events.iter().map(|event| row(event, &names, now)).collect())
}

async fn record_names(
    store: &dyn Store,
    events: &[AuditEvent],
) -> StoreResult<HashMap<String, String>> {
    let ids_of = |kind: &str| -> Vec<Uuid> {
        events
            .iter()
            .filter(|e| e.record_type == kind)
            .filter_map(|e| Uuid::parse_str(&e.record_id).ok())
            .collect()
    };
    let mut names: HashMap<String, String> = HashMap::new();
    let people = ids_of("person");
    if !people.is_empty() {
        names.extend(
            store
                .person_names(&people)
                .await?
                .into_iter()
                .map(|(id, name)| (id.to_string(), name)),
        );
    }
    if !ids_of("unit").is_empty() {
        names.extend(
            store
                .all_units()
                .await?
                .into_iter()
                .map(|unit| (unit.id.to_string(), unit.name)),
        );
    }
    for id in account_ids(events) {
        if let Ok(account) = store.account(id).await {
            names.insert(format!("account:{id}"), account.name.clone());
            names.insert(id.to_string(), account.name);
        }
    }
    Ok(names)
}

/// The accounts named by the events, as records or as actors (`account:<id>`), each once.
fn account_ids(events: &[AuditEvent]) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = events
        .iter()
        .flat_map(|e| {
            let record = (e.record_type == "account").then_some(e.record_id.as_str());
            [record, e.actor.strip_prefix("account:")]
        })
        .flatten()
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn row(event: &AuditEvent, names: &HashMap<String, String>, now: OffsetDateTime) -> EventRow {
    let name = names.get(&event.record_id).cloned();
    let record = match event.record_type.as_str() {
        "person" => Link::new(
            format!("/people/{}", event.record_id),
            name.unwrap_or_else(|| "a person".into()),
        ),
        "unit" => Link::new(
            format!("/units/{}", event.record_id),
            name.unwrap_or_else(|| "a unit".into()),
        ),
        "organization" => Link::new("/organization", "the organization profile"),
        "account" => Link::new(
            format!("/admin/accounts/{}", event.record_id),
            name.map_or_else(|| "an account".into(), |n| format!("the account of {n}")),
        ),
        "api_token" => Link::new("", "an API token"),
        other => Link::new("", format!("{other} {}", event.record_id)),
    };
    EventRow {
        seq: event.seq,
        when: moment(event.occurred_at, now),
        actor: names
            .get(&event.actor)
            .cloned()
            .unwrap_or_else(|| event.actor.clone()),
        action: event.action.clone(),
        record,
        hash: event.hash.clone(),
        hash_short: short(&event.hash),
        prev_hash: event.prev_hash.clone(),
        prev_short: short(&event.prev_hash),
    }
}

fn short(hash: &str) -> String {
    hash.chars().take(12).collect()
}
