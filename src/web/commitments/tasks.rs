//! The commitments part of "My tasks": resource requests awaiting the caller's decision (never
//! their own), stale processes they own, and units they head without a briefing for a year.

use time::Date;

use super::super::error::PageResult;
use super::super::tasks::{Task, TaskItem};
use super::super::views::Link;
use super::money::quantity_text;
use crate::auth::Principal;
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::briefing::twelve_months_before;
use crate::domain::resource::ResourceFilter;
use crate::store::Store;

/// How many records a task names before linking to the rest.
const ITEMS_SHOWN: usize = 10;

pub async fn commitment_tasks(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Vec<Task>> {
    let mut tasks = Vec::new();
    if caller.may(Permission::DecideResources) {
        tasks.extend(requests_to_decide(store, caller).await?);
    }
    if caller.may(Permission::UpdateActions) {
        tasks.extend(stale_processes(store, caller, today).await?);
    }
    if caller.may(Permission::RecordBriefings) {
        tasks.extend(briefings_to_record(store, caller, today).await?);
    }
    Ok(tasks)
}

async fn requests_to_decide(store: &dyn Store, caller: &Principal) -> PageResult<Option<Task>> {
    let filter = ResourceFilter {
        awaiting_decision_by: Some(caller.account.person_id),
        ..ResourceFilter::default()
    };
    let page = PageRequest::new(Some(1), Some(ITEMS_SHOWN as u32));
    let waiting = store.list_resource_commitments(&filter, page).await?;
    let Some(first) = waiting.items.first() else {
        return Ok(None);
    };
    let title = match waiting.total {
        1 => "1 resource request awaits your decision".to_owned(),
        n => format!("{n} resource requests await your decision"),
    };
    let items = waiting
        .items
        .iter()
        .map(|r| {
            let href = format!("/leadership/resources/{}", r.id);
            let label = format!(
                "{}: {} ({}), asked by {}",
                r.kind.label(),
                r.description,
                quantity_text(r),
                r.requested_by_name
            );
            TaskItem {
                link: Link::new(href.clone(), label),
                fix: Link::new(href, "Decide"),
            }
        })
        .collect();
    Ok(Some(Task {
        title,
        explanation: "Someone asked top management for resources the ISMS needs. Approve or \
                      reject each with a comment; a request is never decided by whoever asked.",
        items,
        action: Link::new(
            format!("/leadership/resources/{}", first.id),
            "Decide the oldest request",
        ),
        note: None,
        overdue: false,
    }))
}

async fn stale_processes(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Option<Task>> {
    let stale: Vec<_> = store
        .processes_owned_by(caller.account.person_id, today)
        .await?
        .into_iter()
        .filter(|p| p.stale)
        .collect();
    let Some(first) = stale.first() else {
        return Ok(None);
    };
    let title = match stale.len() {
        1 => format!("Verify how the ISMS is built into {}", first.name),
        n => format!("{n} processes you own need their ISMS integration verified"),
    };
    let items = stale
        .iter()
        .take(ITEMS_SHOWN)
        .map(|p| TaskItem {
            link: Link::new(format!("/leadership/processes/{}", p.id), p.name.clone()),
            fix: Link::new(format!("/leadership/processes/{}/verify", p.id), "Verify"),
        })
        .collect();
    Ok(Some(Task {
        title,
        explanation: "You own these processes. Check that the ISMS requirements are still built \
                      into them as described, then record the verification and its evidence.",
        items,
        action: Link::new(
            format!("/leadership/processes/{}/verify", first.id),
            format!("Verify {}", first.name),
        ),
        note: None,
        overdue: true,
    }))
}

async fn briefings_to_record(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Option<Task>> {
    let since = twelve_months_before(today);
    let units = store
        .units_awaiting_briefing(caller.account.person_id, since)
        .await?;
    let Some(first) = units.first() else {
        return Ok(None);
    };
    let title = match units.len() {
        1 => format!("Record a briefing for {}", first.unit_name),
        n => format!("Record a briefing for each of the {n} units you head"),
    };
    let items = units
        .iter()
        .take(ITEMS_SHOWN)
        .map(|u| {
            let href = format!("/leadership/briefings/new?unit_id={}", u.unit_id);
            TaskItem {
                link: Link::new(
                    format!("/leadership/briefings?unit_id={}", u.unit_id),
                    u.unit_name.clone(),
                ),
                fix: Link::new(href, "Record a briefing"),
            }
        })
        .collect();
    Ok(Some(Task {
        title,
        explanation: "No briefing of your staff on information security is recorded for these \
                      units in the last 12 months. Brief them on what the policies ask of them, \
                      then record it.",
        items,
        action: Link::new(
            format!("/leadership/briefings/new?unit_id={}", first.unit_id),
            "Record a briefing",
        ),
        note: None,
        overdue: false,
    }))
}
