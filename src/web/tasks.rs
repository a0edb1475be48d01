//! "My tasks": what the caller's roles let them do, what needs their attention (their policy
//! sign-offs, decisions and reviews first), and their team.
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
use super::leadership_tasks::leadership_tasks;
use super::policy_tasks::policy_tasks;
use super::role_tasks::{RoleWork, role_tasks};
use super::views::{Badge, Link, status_badge};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::access::{Permission, Role};
use crate::domain::{PageRequest, PersonFilter, PersonStatus, Unit};
use crate::store::Store;

/// How many records a task names before linking to the rest.
const ITEMS_SHOWN: usize = 10;
/// How many departed people are checked for active people still reporting to them.
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
    /// Past its due date (a red "Overdue" badge rather than an amber "Due").
    pub overdue: bool,
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
    /// Delegations in force that concern the caller.
    role_work: RoleWork,
}

pub async fn show_tasks(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> PageResult<TasksPage> {
    let store = state.store.as_ref();
    let account = &caller.account;
    let checks_organization = caller.may(Permission::EditOrganization);
    let (organization, limits) = if checks_organization {
        organization_tasks(store).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let mut tasks = policy_tasks(store, &caller, today()).await?;
    let (role_task, role_work) = role_tasks(store, &caller, today()).await?;
    tasks.extend(role_task);
    tasks.extend(leadership_tasks(store, &caller, today()).await?);
    tasks.extend(organization);
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
        role_work,
    })
}

/// The organization's data-quality tasks, each only when it has something to fix, and what the
/// checks could not cover.
async fn organization_tasks(store: &dyn Store) -> PageResult<(Vec<Task>, Vec<String>)> {
    let units = store.all_units().await?;
    let mut tasks = Vec::new();
    tasks.extend(units_without_head(&units));
    tasks.extend(people_without_unit(store, &units).await?);
    tasks.extend(people_with_departed_manager(store).await?);
    Ok((tasks, Vec::new()))
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
        overdue: false,
    })
}

/// Active people in no unit, found with one filtered count.
async fn people_without_unit(store: &dyn Store, units: &[Unit]) -> PageResult<Option<Task>> {
    let filter = PersonFilter {
        status: Some(PersonStatus::Active),
        without_unit: true,
        ..PersonFilter::default()
    };
    let page = store
        .list_people(&filter, PageRequest::new(Some(1), Some(ITEMS_SHOWN as u32)))
        .await?;
    if page.total == 0 {
        return Ok(None);
    }
    let action = if units.is_empty() {
        Link::new("/units/new", "Create the first unit")
    } else {
        Link::new("/people?status=active&without_unit=true", "All of them")
    };
    let items = page
        .items
        .iter()
        .map(|person| TaskItem {
            link: Link::new(format!("/people/{}", person.id), person.name.clone()),
            fix: Link::new(format!("/people/{}/edit", person.id), "Choose a unit"),
        })
        .collect();
    Ok(Some(Task {
        title: format!(
            "{} without a unit",
            plural(page.total, "active person", "active people")
        ),
        explanation: "Everyone should belong to a unit, so coverage and responsibilities reach them: \
                      set the unit on each person's form, or import a CSV with the units filled in.",
        items,
        action,
        note: None,
        overdue: false,
    }))
}

/// Active people whose manager has departed, found with one filtered query.
async fn people_with_departed_manager(store: &dyn Store) -> PageResult<Option<Task>> {
    let filter = PersonFilter {
        status: Some(PersonStatus::Active),
        manager_departed: true,
        ..PersonFilter::default()
    };
    let page = store
        .list_people(&filter, PageRequest::new(Some(1), Some(ITEMS_SHOWN as u32)))
        .await?;
    if page.total == 0 {
        return Ok(None);
    }
    let manager_ids: Vec<_> = page.items.iter().filter_map(|p| p.manager_id).collect();
    let managers = store.person_names(&manager_ids).await?;
    let items = page
        .items
        .iter()
        .map(|person| {
            let manager = person
                .manager_id
                .and_then(|m| managers.get(&m))
                .map_or("someone", String::as_str);
            TaskItem {
                link: Link::new(
                    format!("/people/{}", person.id),
                    format!("{} (reported to {manager})", person.name),
                ),
                fix: Link::new(
                    format!("/people/{}/edit", person.id),
                    "Choose a new manager",
                ),
            }
        })
        .collect();
    Ok(Some(Task {
        title: format!(
            "{} whose manager has departed",
            plural(page.total, "active person", "active people")
        ),
        explanation: "Their reporting line ends at someone who has left: choose a new manager on each person's form.",
        items,
        action: Link::new("/people?status=active&manager_departed=true", "All of them"),
        note: None,
        overdue: false,
    }))
}
