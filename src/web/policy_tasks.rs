//! The policy part of "My tasks": policies the caller is asked to acknowledge (overdue first),
//! versions awaiting their sign-off, exception requests awaiting their decision, reviews of the
//! policies they own, and their own open requests.
//!
//! Each is computed from the store when the page is asked for and names where it is done. The
//! store has the last word on a decision; these lists only leave out what it would refuse
//! (the caller's own work, a role they do not hold).

use std::collections::HashMap;

use time::Date;
use uuid::Uuid;

use super::error::PageResult;
use super::exception_views::plural;
use super::exceptions::all_in;
use super::tasks::{Task, TaskItem};
use super::views::Link;
use crate::auth::Principal;
use crate::campaign_actions::acknowledge_path;
use crate::domain::PageRequest;
use crate::domain::access::{Permission, Role};
use crate::domain::campaign::AckState;
use crate::domain::page::MAX_PER_PAGE;
use crate::domain::policy::{PolicyFilter, PolicySummary, ReviewState};
use crate::domain::policy_exception::{ExceptionState, PolicyException};
use crate::domain::policy_version::VersionStatus;
use crate::store::Store;

/// How many records a task names before linking to the rest.
const ITEMS_SHOWN: usize = 10;

/// The caller's policy tasks, each only when it has something to do.
pub async fn policy_tasks(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Vec<Task>> {
    let mut tasks = acknowledgment_tasks(store, caller, today).await?;
    let requested = all_in(store, ExceptionState::Requested, today).await?;
    if caller.may(Permission::DecidePolicies) {
        tasks.extend(versions_to_sign(store, caller, today).await?);
        tasks.extend(exceptions_to_decide(store, caller, &requested).await?);
    }
    tasks.extend(reviews_due(store, caller, today).await?);
    tasks.extend(own_requests(caller, &requested));
    Ok(tasks)
}

/// The caller's acknowledgments still to give: the overdue ones, then the pending ones, each by
/// due date and linking to its reading page.
async fn acknowledgment_tasks(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Vec<Task>> {
    let mine = store
        .my_acknowledgments(caller.account.person_id, today)
        .await?;
    let groups = [
        (
            AckState::Overdue,
            (
                "policy to acknowledge is overdue",
                "policies to acknowledge are overdue",
            ),
        ),
        (
            AckState::Pending,
            (
                "policy awaits your acknowledgment",
                "policies await your acknowledgment",
            ),
        ),
    ];
    let mut tasks = Vec::new();
    for (state, words) in groups {
        let mut asked: Vec<_> = mine.iter().filter(|a| a.state == state).collect();
        asked.sort_by_key(|a| a.due_on);
        let Some(first) = asked.first() else {
            continue;
        };
        let action = Link::new(acknowledge_path(first.campaign_id), "Start reading");
        let items = asked
            .iter()
            .map(|a| {
                let href = acknowledge_path(a.campaign_id);
                TaskItem {
                    link: Link::new(
                        href.clone(),
                        format!(
                            "{}, version {} (due {})",
                            a.policy_title, a.version_number, a.due_on
                        ),
                    ),
                    fix: Link::new(href, "Read and acknowledge"),
                }
            })
            .collect();
        tasks.extend(task(
            items,
            words,
            "Read each policy as it is in force and confirm you will follow it: one button at \
             the end of the text records your acknowledgment.",
            action,
            state == AckState::Overdue,
        ));
    }
    Ok(tasks)
}

/// Every policy matching `filter` (an organization has tens of policies, not thousands).
async fn all_policies(
    store: &dyn Store,
    filter: &PolicyFilter,
    today: Date,
) -> PageResult<Vec<PolicySummary>> {
    let request = PageRequest::new(Some(1), Some(MAX_PER_PAGE));
    Ok(store.list_policies(filter, today, request).await?.items)
}

/// Versions in review of policies whose approver role the caller holds, that they neither wrote
/// nor submitted, and have not yet signed in this round.
async fn versions_to_sign(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Option<Task>> {
    let account = &caller.account;
    let filter = PolicyFilter {
        in_review: true,
        ..PolicyFilter::default()
    };
    let mut items = Vec::new();
    for summary in all_policies(store, &filter, today).await? {
        let policy = &summary.policy;
        if !account.has_role(policy.approver_role) {
            continue;
        }
        let versions = store.list_versions(policy.id).await?;
        let Some(version) = versions
            .iter()
            .find(|v| v.status == VersionStatus::InReview)
        else {
            continue;
        };
        if version.submitted_by == Some(account.id)
            || store
                .version_contributors(version.id)
                .await?
                .contains(&account.id)
        {
            continue;
        }
        let signed = store
            .version_decisions(version.id)
            .await?
            .iter()
            .any(|d| d.account_id == account.id && d.review_round == version.review_round);
        if signed {
            continue;
        }
        let href = format!("/policies/versions/{}", version.id);
        items.push(TaskItem {
            link: Link::new(
                href.clone(),
                format!("{}, version {}", policy.title, version.number),
            ),
            fix: Link::new(href, "Sign off or reject"),
        });
    }
    Ok(task(
        items,
        (
            "policy version awaits your sign-off",
            "policy versions await your sign-off",
        ),
        "Read each version and approve it with your password, or reject it saying why. \
         Nothing is published before its approvers have signed it off.",
        Link::new("/policies?in_review=true", "All policies in review"),
        false,
    ))
}

/// Requests to policies whose approver role the caller holds, that they did not make.
async fn exceptions_to_decide(
    store: &dyn Store,
    caller: &Principal,
    requested: &[PolicyException],
) -> PageResult<Option<Task>> {
    let account = &caller.account;
    let mut approver_roles: HashMap<Uuid, Role> = HashMap::new();
    let mut items = Vec::new();
    for exception in requested.iter().filter(|e| e.requested_by != account.id) {
        let role = match approver_roles.get(&exception.policy_id) {
            Some(role) => *role,
            None => {
                let role = store.get_policy(exception.policy_id).await?.approver_role;
                approver_roles.insert(exception.policy_id, role);
                role
            }
        };
        if account.has_role(role) {
            items.push(exception_item(exception, "Approve or reject"));
        }
    }
    Ok(task(
        items,
        (
            "exception request awaits your decision",
            "exception requests await your decision",
        ),
        "Read the justification and the risk, then approve with an expiry or reject saying why.",
        Link::new(
            "/exceptions?state=requested",
            "All requests in the register",
        ),
        false,
    ))
}

/// Policies the caller owns whose review is due within 30 days or overdue.
async fn reviews_due(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Option<Task>> {
    let filter = PolicyFilter {
        owner_id: Some(caller.account.person_id),
        ..PolicyFilter::default()
    };
    let due: Vec<PolicySummary> = all_policies(store, &filter, today)
        .await?
        .into_iter()
        .filter(|s| matches!(s.review_state, ReviewState::Due | ReviewState::Overdue))
        .collect();
    let overdue = due.iter().any(|s| s.review_state == ReviewState::Overdue);
    let items = due
        .iter()
        .map(|s| {
            let when = if s.review_state == ReviewState::Overdue {
                "overdue"
            } else {
                "due soon"
            };
            let href = format!("/policies/{}", s.policy.id);
            TaskItem {
                link: Link::new(href.clone(), format!("{} (review {when})", s.policy.title)),
                fix: Link::new(href, "Review it"),
            }
        })
        .collect();
    Ok(task(
        items,
        (
            "policy you own is due for review",
            "policies you own are due for review",
        ),
        "Read each policy again: record \"reviewed, no change\" on its page, or start a new version.",
        Link::new(
            format!("/policies?owner_id={}", caller.account.person_id),
            "Your policies",
        ),
        overdue,
    ))
}

/// The caller's own requests still awaiting a decision.
fn own_requests(caller: &Principal, requested: &[PolicyException]) -> Option<Task> {
    let items = requested
        .iter()
        .filter(|e| e.requested_by == caller.account.id)
        .map(|e| exception_item(e, "See or withdraw"))
        .collect();
    let first = requested
        .iter()
        .find(|e| e.requested_by == caller.account.id)
        .map_or_else(|| "/".to_owned(), |e| format!("/exceptions/{}", e.id));
    task(
        items,
        (
            "of your exception requests awaits a decision",
            "of your exception requests await a decision",
        ),
        "Until a request is approved, the policy applies in full. Withdraw it if it is no longer needed.",
        Link::new(first, "Your latest request"),
        false,
    )
}

fn exception_item(exception: &PolicyException, fix: &'static str) -> TaskItem {
    let href = format!("/exceptions/{}", exception.id);
    TaskItem {
        link: Link::new(
            href.clone(),
            format!("{} ({})", exception.scope, exception.policy_title),
        ),
        fix: Link::new(href, fix),
    }
}

/// A task naming the first items, or none when there is nothing to do.
fn task(
    mut items: Vec<TaskItem>,
    (one, many): (&str, &str),
    explanation: &'static str,
    action: Link,
    overdue: bool,
) -> Option<Task> {
    if items.is_empty() {
        return None;
    }
    let total = items.len();
    items.truncate(ITEMS_SHOWN);
    let note = (total > ITEMS_SHOWN)
        .then(|| format!("The first {ITEMS_SHOWN} of {total} are named here."));
    Some(Task {
        title: plural(total, one, many),
        explanation,
        items,
        action,
        note,
        overdue,
    })
}
