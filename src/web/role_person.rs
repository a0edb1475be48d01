//! The roles part of a person's page: the roles they hold today with their responsibilities and
//! authorities, the tasks delegated by them (they stay accountable) and to them, and whom they
//! turn to for each kind of matter.

use std::collections::HashMap;

use time::Date;
use uuid::Uuid;

use super::error::PageResult;
use super::moment::{Moment, day};
use super::role_delegations::{DelegationRow, delegation_rows};
use super::role_views::{ack_badge, scope_words, unit_names};
use super::views::{Badge, Link};
use crate::auth::Principal;
use crate::domain::Person;
use crate::domain::access::Permission;
use crate::domain::assignment::TenureState;
use crate::domain::escalation::EscalationPath;
use crate::domain::role::{OrgRole, OrgRoleFilter};
use crate::store::{DelegationFilter, Store};

/// A role the person holds today.
pub struct HeldRole {
    pub name: String,
    /// The assignment's page, for those who may open it.
    pub href: Option<String>,
    pub scope: String,
    pub deputy: bool,
    pub since: Moment,
    pub until: Option<Moment>,
    pub ack: Badge,
    pub responsibilities: Vec<String>,
    pub authorities: Vec<String>,
}

/// The first person to contact about one kind of matter.
pub struct ContactLine {
    pub matter: &'static str,
    /// `None` when nobody on the path holds its role today.
    pub contact: Option<(Link, String, String)>,
}

pub struct PersonRoles {
    pub is_self: bool,
    pub held: Vec<HeldRole>,
    pub delegated_out: Vec<DelegationRow>,
    pub delegated_in: Vec<DelegationRow>,
    pub contacts: Vec<ContactLine>,
}

pub async fn person_roles(
    store: &dyn Store,
    caller: &Principal,
    person: &Person,
    today: Date,
) -> PageResult<PersonRoles> {
    let is_self = caller.account.person_id == person.id;
    let may_open = is_self || caller.may(Permission::ReadRoles);
    let roles: HashMap<Uuid, OrgRole> = store
        .list_roles(&OrgRoleFilter::default())
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let units = unit_names(&store.all_units().await?);
    let held = store
        .person_assignments(person.id, today)
        .await?
        .into_iter()
        .filter(|a| a.state == TenureState::Current)
        .map(|a| {
            let role = roles.get(&a.role_id);
            HeldRole {
                name: a.role_name.clone(),
                href: may_open.then(|| format!("/roles/assignments/{}", a.id)),
                scope: scope_words(&a.scope, &units),
                deputy: a.deputy,
                since: day(a.starts_on, today),
                until: a.ends_on.map(|d| day(d, today)),
                ack: ack_badge(&a),
                responsibilities: role.map(|r| r.responsibilities.clone()).unwrap_or_default(),
                authorities: role.map(|r| r.authorities.clone()).unwrap_or_default(),
            }
        })
        .collect();
    // Delegated tasks are the delegator's and the delegate's business, and role readers'.
    let in_force = |delegator_id, delegate_id| DelegationFilter {
        delegator_id,
        delegate_id,
        assignment_id: None,
        in_force_on: Some(today),
    };
    let (out, incoming) = if may_open {
        let out_filter = in_force(Some(person.id), None);
        let in_filter = in_force(None, Some(person.id));
        (
            store.list_delegations(&out_filter, today).await?,
            store.list_delegations(&in_filter, today).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let paths = store.escalation_paths(today).await?;
    Ok(PersonRoles {
        is_self,
        held,
        delegated_out: delegation_rows(caller, &out, today),
        delegated_in: delegation_rows(caller, &incoming, today),
        contacts: paths.iter().map(first_contact).collect(),
    })
}

/// The first holder on the path: the first step somebody holds today.
fn first_contact(path: &EscalationPath) -> ContactLine {
    let contact = path.steps.iter().find_map(|step| {
        step.contacts.first().map(|c| {
            (
                Link::new(format!("/people/{}", c.person_id), c.name.clone()),
                c.email.clone(),
                step.role_name.clone(),
            )
        })
    });
    ContactLine {
        matter: path.matter.label(),
        contact,
    }
}
