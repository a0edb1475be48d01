//! The roles part of "My tasks": the caller's roles still to acknowledge, and the tasks delegated
//! by them or to them that are in force today.

use time::Date;

use super::error::PageResult;
use super::role_delegations::{DelegationRow, delegation_rows};
use super::tasks::{Task, TaskItem};
use super::views::Link;
use crate::auth::Principal;
use crate::domain::access::Permission;
use crate::domain::assignment::TenureState;
use crate::store::{DelegationFilter, Store};

/// Delegations in force today that concern the caller.
pub struct RoleWork {
    pub person_href: String,
    /// Tasks the caller delegated: they stay accountable.
    pub delegated_out: Vec<DelegationRow>,
    /// Tasks delegated to the caller.
    pub delegated_in: Vec<DelegationRow>,
}

/// The caller's roles to acknowledge (as a task) and their delegations in force.
pub async fn role_tasks(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<(Option<Task>, RoleWork)> {
    let person_id = caller.account.person_id;
    let task = if caller.may(Permission::HoldRoles) {
        roles_to_acknowledge(store, caller, today).await?
    } else {
        None
    };
    let mine = |delegator_id, delegate_id| DelegationFilter {
        delegator_id,
        delegate_id,
        assignment_id: None,
        in_force_on: Some(today),
    };
    let out = store
        .list_delegations(&mine(Some(person_id), None), today)
        .await?;
    let incoming = store
        .list_delegations(&mine(None, Some(person_id)), today)
        .await?;
    Ok((
        task,
        RoleWork {
            person_href: format!("/people/{person_id}"),
            delegated_out: delegation_rows(caller, &out, today),
            delegated_in: delegation_rows(caller, &incoming, today),
        },
    ))
}

async fn roles_to_acknowledge(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Option<Task>> {
    let waiting: Vec<_> = store
        .person_assignments(caller.account.person_id, today)
        .await?
        .into_iter()
        .filter(|a| a.acknowledged_at.is_none() && a.state != TenureState::Ended)
        .collect();
    let Some(first) = waiting.first() else {
        return Ok(None);
    };
    let title = match waiting.len() {
        1 => "1 role awaits your acknowledgment".to_owned(),
        n => format!("{n} roles await your acknowledgment"),
    };
    let items = waiting
        .iter()
        .map(|a| {
            let href = format!("/roles/assignments/{}", a.id);
            TaskItem {
                link: Link::new(href.clone(), a.role_name.clone()),
                fix: Link::new(href, "Read and acknowledge"),
            }
        })
        .collect();
    Ok(Some(Task {
        title,
        explanation: "You were given these roles: read what each asks of you and lets you decide, \
                      then acknowledge it.",
        items,
        action: Link::new(
            format!("/roles/assignments/{}", first.id),
            format!("Acknowledge {}", first.role_name),
        ),
        note: None,
        overdue: false,
    }))
}
