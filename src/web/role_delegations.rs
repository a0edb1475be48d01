//! Delegated tasks: those in force, those to come and those past, each saying who stays
//! accountable; the delegator (or an ISMS manager) may end one early.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Date;

use super::error::{PageResult, parse_id};
use super::layout::{Area, Layout};
use super::moment::{Moment, day};
use super::role_views::{delegate_link, delegation_badge, in_force};
use super::views::{Badge, Link};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::domain::assignment::{Delegation, TenureState};
use crate::store::DelegationFilter;

/// One delegation as a row: who delegated what to whom, until when, and who stays accountable.
pub struct DelegationRow {
    pub id: String,
    pub role: Link,
    pub delegator: Link,
    pub delegate: Link,
    pub task: String,
    pub since: Moment,
    pub until: Moment,
    pub state: Badge,
    /// The caller may end it early: it is not over, and they delegated it or manage roles.
    pub revocable: bool,
}

/// Whether `caller` may end `delegation` early (the store has the last word).
fn may_revoke(caller: &Principal, delegation: &Delegation) -> bool {
    let open = delegation.revoked_at.is_none() && delegation.state != TenureState::Ended;
    let theirs =
        caller.account.person_id == delegation.delegator_id || caller.may(Permission::ManageRoles);
    open && theirs && caller.may(Permission::HoldRoles)
}

pub fn delegation_row(caller: &Principal, delegation: &Delegation, today: Date) -> DelegationRow {
    DelegationRow {
        id: delegation.id.to_string(),
        role: Link::new(
            if caller.may(Permission::ReadRoles) {
                format!("/roles/{}", delegation.role_id)
            } else {
                String::new()
            },
            delegation.role_name.clone(),
        ),
        delegator: Link::new(
            format!("/people/{}", delegation.delegator_id),
            delegation.delegator_name.clone(),
        ),
        delegate: delegate_link(delegation),
        task: delegation.task.clone(),
        since: day(delegation.starts_on, today),
        until: day(delegation.ends_on, today),
        state: delegation_badge(delegation),
        revocable: may_revoke(caller, delegation),
    }
}

pub fn delegation_rows(
    caller: &Principal,
    delegations: &[Delegation],
    today: Date,
) -> Vec<DelegationRow> {
    delegations
        .iter()
        .map(|d| delegation_row(caller, d, today))
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/delegations.html", whitespace = "minimize")]
pub struct DelegationsPage {
    layout: Layout,
    flash: Option<&'static str>,
    current: Vec<DelegationRow>,
    upcoming: Vec<DelegationRow>,
    past: Vec<DelegationRow>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DelegationsQuery {
    flash: String,
}

pub async fn list_delegations(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<DelegationsQuery>,
) -> PageResult<DelegationsPage> {
    let today = today();
    let all = state
        .store
        .list_delegations(&DelegationFilter::default(), today)
        .await?;
    let pick = |keep: &dyn Fn(&Delegation) -> bool| {
        let chosen: Vec<Delegation> = all.iter().filter(|d| keep(d)).cloned().collect();
        delegation_rows(&caller, &chosen, today)
    };
    let upcoming = |d: &Delegation| d.revoked_at.is_none() && d.state == TenureState::Upcoming;
    Ok(DelegationsPage {
        layout: Layout::load(&state, Area::Roles, "Delegations").await,
        flash: (query.flash == "revoked").then_some("The delegation is ended."),
        current: pick(&in_force),
        upcoming: pick(&upcoming),
        past: pick(&|d: &Delegation| !in_force(d) && !upcoming(d)),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RevokePost {
    back: String,
}

/// Ends a delegation today; back to the delegations list or to the assignment.
pub async fn revoke_delegation(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<RevokePost>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "delegation")?;
    let delegation = state
        .store
        .revoke_delegation(&caller.account, id, today())
        .await?;
    let to = if form.back == "delegations" {
        "/roles/delegations?flash=revoked".to_owned()
    } else {
        format!(
            "/roles/assignments/{}?flash=revoked",
            delegation.assignment_id
        )
    };
    Ok(Redirect::to(&to).into_response())
}
