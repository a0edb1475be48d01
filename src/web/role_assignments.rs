//! Every assignment of the catalog's roles, filtered by role, by acknowledgment and by the day
//! they were held, paged; how many are not yet acknowledged is always in view.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::error::PageResult;
use super::forms::{
    SelectOption, format_date, parse_optional_date, parse_optional_id, query_string,
};
use super::layout::{Area, Layout};
use super::role_views::{AssignmentRow, assignment_rows, role_options, unit_names};
use super::views::Pager;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::assignment::AssignmentFilter;
use crate::domain::role::OrgRoleFilter;

/// The list's filter and paging as typed in the URL; values that do not parse are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AssignmentsQuery {
    role_id: String,
    unacknowledged: String,
    on: String,
    page: String,
    per_page: String,
    flash: String,
}

impl AssignmentsQuery {
    fn filter(&self) -> AssignmentFilter {
        AssignmentFilter {
            role_id: parse_optional_id(&self.role_id).ok().flatten(),
            person_id: None,
            on: parse_optional_date(&self.on).ok().flatten(),
            unacknowledged: self.unacknowledged == "true",
        }
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        vec![
            ("role_id", self.role_id.trim()),
            ("unacknowledged", self.unacknowledged.trim()),
            ("on", self.on.trim()),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/assignments.html", whitespace = "minimize")]
pub struct AssignmentsPage {
    layout: Layout,
    flash: Option<&'static str>,
    rows: Vec<AssignmentRow>,
    total: i64,
    unacknowledged: i64,
    unacknowledged_href: String,
    roles: Vec<SelectOption>,
    only_unacknowledged: bool,
    on: String,
    on_error: bool,
    filtered: bool,
    pager: Pager,
    can_manage: bool,
}

pub async fn list_assignments(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<AssignmentsQuery>,
) -> PageResult<AssignmentsPage> {
    let store = state.store.as_ref();
    let today = today();
    let filter = query.filter();
    let request = PageRequest::new(
        query.page.trim().parse().ok(),
        query.per_page.trim().parse().ok(),
    );
    let page = store.list_assignments(&filter, today, request).await?;
    let waiting = AssignmentFilter {
        unacknowledged: true,
        ..AssignmentFilter::default()
    };
    let one = PageRequest::new(Some(1), Some(1));
    let unacknowledged = store.list_assignments(&waiting, today, one).await?.total;
    let roles = store.list_roles(&OrgRoleFilter::default()).await?;
    let units = unit_names(&store.all_units().await?);
    Ok(AssignmentsPage {
        layout: Layout::load(&state, Area::Roles, "Role assignments").await,
        flash: (query.flash == "ended")
            .then_some("The assignment is ended. It stays in the history."),
        rows: assignment_rows(&page.items, &units, today),
        total: page.total,
        unacknowledged,
        unacknowledged_href: format!(
            "/roles/assignments{}",
            query_string(&[("unacknowledged", "true")])
        ),
        roles: role_options(&roles, &query.role_id, "Every role"),
        only_unacknowledged: filter.unacknowledged,
        on: filter.on.map(format_date).unwrap_or_default(),
        on_error: filter.on.is_none() && !query.on.trim().is_empty(),
        filtered: filter.role_id.is_some() || filter.unacknowledged || filter.on.is_some(),
        pager: Pager::new("/roles/assignments", &page, &query.pairs()),
        can_manage: caller.may(Permission::ManageRoles),
    })
}
