//! One role of the catalog: its purpose, responsibilities, authorities and competence, who holds
//! it today and who held it before, and the answer to "who held this role on that day".

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use super::error::{PageResult, parse_id};
use super::evidence::{Evidence, evidence_trail};
use super::forms::{format_date, parse_optional_date};
use super::layout::{Area, Layout};
use super::role_views::{AssignmentRow, assignment_rows, role_flags, unit_names};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::assignment::{AssignmentFilter, TenureState};
use crate::domain::page::MAX_PER_PAGE;
use crate::domain::role::OrgRole;

/// The answer to "who held this role on <date>".
pub struct HeldOn {
    pub date: String,
    pub rows: Vec<AssignmentRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/show.html", whitespace = "minimize")]
pub struct RolePage {
    layout: Layout,
    flash: Option<&'static str>,
    role: OrgRole,
    category: &'static str,
    flags: Vec<String>,
    holders: Vec<AssignmentRow>,
    /// A critical role held today without a deputy.
    missing_deputy: bool,
    upcoming: Vec<AssignmentRow>,
    history: Vec<AssignmentRow>,
    /// More assignments than one page shows.
    history_href: Option<String>,
    on: String,
    on_error: Option<&'static str>,
    held_on: Option<HeldOn>,
    can_manage: bool,
    evidence: Evidence,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoleQuery {
    on: String,
    flash: String,
}

pub async fn show_role(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<RoleQuery>,
) -> PageResult<RolePage> {
    let store = state.store.as_ref();
    let today = today();
    let role = store.get_role(parse_id(&raw, "role")?).await?;
    let units = unit_names(&store.all_units().await?);
    let current = store.role_holders(role.id, today, today).await?;
    let filter = AssignmentFilter {
        role_id: Some(role.id),
        ..AssignmentFilter::default()
    };
    let all = store
        .list_assignments(
            &filter,
            today,
            PageRequest::new(Some(1), Some(MAX_PER_PAGE)),
        )
        .await?;
    let of_state = |state: TenureState| {
        let chosen: Vec<_> = all
            .items
            .iter()
            .filter(|a| a.state == state)
            .cloned()
            .collect();
        assignment_rows(&chosen, &units, today)
    };
    let (on_error, held_on) = match parse_optional_date(&query.on) {
        Ok(None) => (None, None),
        Ok(Some(date)) => {
            let answer = store.role_holders(role.id, date, today).await?;
            let rows = assignment_rows(&answer.holders, &units, today);
            let date = format_date(date);
            (None, Some(HeldOn { date, rows }))
        }
        Err(()) => (Some("Type a date as YYYY-MM-DD."), None),
    };
    Ok(RolePage {
        layout: Layout::load(&state, Area::Roles, role.name.clone()).await,
        flash: match query.flash.as_str() {
            "created" => Some("The role was created. Assign it to someone next."),
            "saved" => Some("Your changes were saved."),
            _ => None,
        },
        category: role.category.label(),
        flags: role_flags(&role),
        missing_deputy: role.critical
            && !current.holders.is_empty()
            && !current.holders.iter().any(|a| a.deputy),
        holders: assignment_rows(&current.holders, &units, today),
        upcoming: of_state(TenureState::Upcoming),
        history: of_state(TenureState::Ended),
        history_href: (all.total > i64::from(MAX_PER_PAGE))
            .then(|| format!("/roles/assignments?role_id={}", role.id)),
        on: if query.on.trim().is_empty() {
            format_date(today)
        } else {
            query.on.trim().to_owned()
        },
        on_error,
        held_on,
        can_manage: caller.may(Permission::ManageRoles),
        evidence: evidence_trail(store, "org_role", &role.id.to_string()).await?,
        role,
    })
}
