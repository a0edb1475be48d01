//! "My tasks": what the caller's roles let them do, what needs their attention, and their team.
//!
//! Only real data: every task is computed from the store when the page is asked for, and each
//! links to the page where it is fixed. The checks stay cheap at 100,000 people: counts through
//! the paged people query, never every person loaded.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::admin::{RoleLine, role_lines};
use super::error::PageResult;
use super::layout::{Area, Layout};
use super::views::{Badge, Link, status_badge};
use crate::app::AppState;
use crate::auth::Caller;
use crate::domain::access::{Permission, Role};
use crate::domain::{PageRequest, PersonFilter, PersonStatus, Unit};
use crate::store::Store;

/// How many records a task names before linking to the rest.
const ITEMS_SHOWN: usize = 10;
/// How many departed people are checked for active people still reporting to them.
const DEPARTED_CHECKED: u32 = 200;
/// How many direct reports the team section lists.
const REPORTS_SHOWN: u32 = 50;

/// One record a task names, with where to fix it.
pub struct TaskItem {
    pub link: Link,
    pub fix: Link,
}

/// Something that needs attention, with how many records it concerns.
pub struct Task {
    pub title: String,
    pub explanation: &'static str,
    pub items: Vec<TaskItem>,
    /// Where the task is fixed, or where all its records are.
    pub action: Link,
    /// A caveat on how far the check went, when it did not cover everything.
    pub note: Option<String>,
}

pub struct ReportRow {
    pub link: Link,
    pub job_title: String,
    pub status: Badge,
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks.html", whitespace = "minimize")]
pub struct TasksPage {
    layout: Layout,
    roles: Vec<RoleLine>,
    /// Whether the data-quality checks were made (for those who may edit the organization).
    checks_organization: bool,
    tasks: Vec<Task>,
    /// How far checks went when they did not cover everything and found nothing.
    limits: Vec<String>,
    show_team: bool,
    reports: Vec<ReportRow>,
    reports_total: i64,
    reports_href: String,
}

pub async fn show_tasks(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> PageResult<TasksPage> {
    let store = state.store.as_ref();
    let account = &caller.account;
    let checks_organization = caller.may(Permission::EditOrganization);
    let (tasks, limits) = if checks_organization {
        organization_tasks(store).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let filter = PersonFilter {
        manager_id: Some(account.person_id),
        ..PersonFilter::default()
    };
    let team = store
        .list_people(&filter, PageRequest::new(Some(1), Some(REPORTS_SHOWN)))
        .await?;
    let reports = team
        .items
        .iter()
        .map(|p| ReportRow {
            link: Link::new(format!("/people/{}", p.id), p.name.clone()),
            job_title: p.job_title.clone(),
            status: status_badge(p.status),
        })
        .collect();
    Ok(TasksPage {
        layout: Layout::load(&state, Area::Tasks, "My tasks").await,
        roles: role_lines(&account.roles),
        checks_organization,
        tasks,
        limits,
        show_team: team.total > 0 || account.has_role(Role::Manager),
        reports,
        reports_total: team.total,
        reports_href: format!("/people?manager_id={}", account.person_id),
    })
}

/// The organization's data-quality tasks, each only when it has something to fix, and what the
/// checks could not cover.
async fn organization_tasks(store: &dyn Store) -> PageResult<(Vec<Task>, Vec<String>)> {
    let units = store.all_units().await?;
    let mut tasks = Vec::new();
    tasks.extend(units_without_head(&units));
    tasks.extend(people_without_unit(store, &units).await?);
    let (departed_task, limit) = people_with_departed_manager(store).await?;
    tasks.extend(departed_task);
    Ok((tasks, limit.into_iter().collect()))
}

fn plural(count: i64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

fn units_without_head(units: &[Unit]) -> Option<Task> {
    let headless: Vec<_> = units.iter().filter(|u| u.head_id.is_none()).collect();
    if headless.is_empty() {
        return None;
    }
    let count = i64::try_from(headless.len()).unwrap_or(i64::MAX);
    Some(Task {
        title: format!("{} without a head", plural(count, "unit", "units")),
        explanation: "Each unit needs someone accountable for it: name its head on the unit's form.",
        items: headless
            .iter()
            .take(ITEMS_SHOWN)
            .map(|u| TaskItem {
                link: Link::new(format!("/units/{}", u.id), u.name.clone()),
                fix: Link::new(format!("/units/{}/edit", u.id), "Name a head"),
            })
            .collect(),
        action: Link::new("/units", "All units"),
        note: None,
    })
}

/// Active people in no unit: all active people less those in each top-level unit's tree (the
/// people filter by unit includes the units below), so one count per top-level unit.
async fn people_without_unit(store: &dyn Store, units: &[Unit]) -> PageResult<Option<Task>> {
    let active = store.org_counts().await?.people_active;
    if active == 0 {
        return Ok(None);
    }
    let mut placed = 0;
    for root in units.iter().filter(|u| u.parent_id.is_none()) {
        let filter = PersonFilter {
            unit_id: Some(root.id),
            status: Some(PersonStatus::Active),
            ..PersonFilter::default()
        };
        placed += store
            .list_people(&filter, PageRequest::new(Some(1), Some(1)))
            .await?
            .total;
    }
    let count = active - placed;
    if count <= 0 {
        return Ok(None);
    }
    let action = if units.is_empty() {
        Link::new("/units/new", "Create the first unit")
    } else {
        Link::new("/people?status=active", "Active people")
    };
    Ok(Some(Task {
        title: format!(
            "{} without a unit",
            plural(count, "active person", "active people")
        ),
        explanation: "Everyone should belong to a unit, so coverage and responsibilities reach them: \
                      set the unit on each person's form, or import a CSV with the units filled in.",
        items: Vec::new(),
        action,
        note: None,
    }))
}

/// Active people whose manager has departed, found through the departed people (the first
/// `DEPARTED_CHECKED` by name), one count each. Also says how far the check went when there
/// are more departed people than it looks at.
async fn people_with_departed_manager(
    store: &dyn Store,
) -> PageResult<(Option<Task>, Option<String>)> {
    let departed_filter = PersonFilter {
        status: Some(PersonStatus::Departed),
        ..PersonFilter::default()
    };
    let departed = store
        .list_people(
            &departed_filter,
            PageRequest::new(Some(1), Some(DEPARTED_CHECKED)),
        )
        .await?;
    let mut count = 0;
    let mut items = Vec::new();
    for manager in &departed.items {
        let filter = PersonFilter {
            manager_id: Some(manager.id),
            status: Some(PersonStatus::Active),
            ..PersonFilter::default()
        };
        let room = u32::try_from(ITEMS_SHOWN.saturating_sub(items.len())).unwrap_or(0);
        let reports = store
            .list_people(&filter, PageRequest::new(Some(1), Some(room.max(1))))
            .await?;
        count += reports.total;
        for person in reports.items.iter().take(room as usize) {
            items.push(TaskItem {
                link: Link::new(
                    format!("/people/{}", person.id),
                    format!("{} (reported to {})", person.name, manager.name),
                ),
                fix: Link::new(
                    format!("/people/{}/edit", person.id),
                    "Choose a new manager",
                ),
            });
        }
    }
    let checked = i64::try_from(departed.items.len()).unwrap_or(i64::MAX);
    let note = (departed.total > checked).then(|| {
        format!(
            "Reporting lines were checked for the first {checked} of {} departed people, by name.",
            departed.total
        )
    });
    if count == 0 {
        return Ok((None, note));
    }
    let task = Task {
        title: format!(
            "{} whose manager has departed",
            plural(count, "active person", "active people")
        ),
        explanation: "Their reporting line ends at someone who has left: choose a new manager on each person's form.",
        items,
        action: Link::new("/people?status=departed", "Departed people"),
        note,
    };
    Ok((Some(task), None))
}
