//! The improvement action list: overdue first, then open, then done, then cancelled; filters kept
//! in the URL, and the same list as CSV.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use time::Date;

use super::action_badge;
use crate::api::acknowledgments::spreadsheet_safe;
use crate::api::policy_versions::attachment;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::access::Permission;
use crate::domain::improvement_action::{
    ActionFilter, ActionSource, ActionStatus, ImprovementAction,
};
use crate::domain::isms_status::{ActionCounts, period_start};
use crate::domain::{Page, PageRequest};
use crate::web::error::PageResult;
use crate::web::forms::{SelectOption, parse_optional_id, query_string};
use crate::web::layout::{Area, Layout};
use crate::web::moment::{Moment, day};
use crate::web::views::{Badge, Pager};

/// One action as a row.
pub struct ActionRow {
    pub action: ImprovementAction,
    pub source: &'static str,
    pub due: Moment,
    pub status: Badge,
}

fn action_row(action: ImprovementAction, today: Date) -> ActionRow {
    ActionRow {
        source: action.source.label(),
        due: day(action.due_on, today),
        status: action_badge(action.status, action.overdue),
        action,
    }
}

/// The list's filter as the URL carries it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionsQuery {
    status: String,
    source: String,
    owner_id: String,
    /// `true` for overdue actions only.
    overdue: String,
    page: String,
}

impl ActionsQuery {
    fn filter(&self) -> ActionFilter {
        ActionFilter {
            status: self.status.parse().ok(),
            source: self.source.parse().ok(),
            owner_id: parse_optional_id(&self.owner_id).ok().flatten(),
            overdue: self.overdue == "true",
            ..ActionFilter::default()
        }
    }

    fn pairs(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("status", self.status.as_str()),
            ("source", self.source.as_str()),
            ("owner_id", self.owner_id.as_str()),
            ("overdue", self.overdue.as_str()),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews/actions.html", whitespace = "minimize")]
pub struct ActionsPage {
    layout: Layout,
    counts: ActionCounts,
    rows: Vec<ActionRow>,
    total: i64,
    pager: Pager,
    status_options: Vec<SelectOption>,
    source_options: Vec<SelectOption>,
    owner_id: String,
    overdue_only: bool,
    filtered: bool,
    csv_href: String,
    can_create: bool,
}

fn options<T: Copy>(
    all: &[T],
    selected: &str,
    blank: &str,
    text: fn(T) -> (&'static str, &'static str),
) -> Vec<SelectOption> {
    std::iter::once(SelectOption::new("", blank, selected.is_empty()))
        .chain(all.iter().map(|v| {
            let (value, label) = text(*v);
            SelectOption::new(value, label, value == selected)
        }))
        .collect()
}

pub async fn list_actions(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<ActionsQuery>,
) -> PageResult<ActionsPage> {
    let store = state.store.as_ref();
    let today = today();
    let request = PageRequest::new(query.page.trim().parse().ok(), None);
    let page = store
        .list_improvement_actions(&query.filter(), today, request)
        .await?;
    let counts = store.action_counts(today, period_start(today)).await?;
    let pairs = query.pairs();
    Ok(ActionsPage {
        layout: Layout::load(&state, Area::Leadership, "Improvement actions").await,
        counts,
        pager: Pager::new("/leadership/actions", &page, &pairs),
        total: page.total,
        rows: page
            .items
            .into_iter()
            .map(|a| action_row(a, today))
            .collect(),
        status_options: options(ActionStatus::ALL, &query.status, "Any status", |s| {
            (s.as_str(), s.label())
        }),
        source_options: options(ActionSource::ALL, &query.source, "Any source", |s| {
            (s.as_str(), s.label())
        }),
        owner_id: query.owner_id.clone(),
        overdue_only: query.overdue == "true",
        filtered: pairs.iter().any(|(_, v)| !v.is_empty()),
        csv_href: format!("/leadership/actions.csv{}", query_string(&pairs)),
        can_create: caller.may(Permission::ManageLeadership),
    })
}

/// The filtered list as CSV, every page of it.
pub async fn export_actions(
    State(state): State<AppState>,
    Query(query): Query<ActionsQuery>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let today = today();
    let filter = query.filter();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "title",
        "source",
        "review",
        "owner",
        "due_on",
        "status",
        "overdue",
        "completed_on",
        "evidence",
    ];
    let mut write = |cells: Vec<String>| {
        let cells: Vec<String> = cells.into_iter().map(spreadsheet_safe).collect();
        writer
            .write_record(&cells)
            .map_err(|e| crate::store::StoreError::Config(e.to_string()))
    };
    write(header.iter().map(|h| (*h).to_owned()).collect())?;
    let mut number = 1;
    loop {
        let page: Page<ImprovementAction> = store
            .list_improvement_actions(&filter, today, PageRequest::new(Some(number), Some(500)))
            .await?;
        for a in &page.items {
            write(csv_cells(a))?;
        }
        if !page.has_next() {
            break;
        }
        number += 1;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| crate::store::StoreError::Config(e.to_string()))?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        &format!("improvement-actions-{today}.csv"),
        bytes,
    ))
}

fn csv_cells(a: &ImprovementAction) -> Vec<String> {
    vec![
        a.title.clone(),
        a.source.as_str().to_owned(),
        a.review_title.clone().unwrap_or_default(),
        a.owner_name.clone(),
        a.due_on.to_string(),
        a.status.as_str().to_owned(),
        if a.overdue { "yes" } else { "no" }.to_owned(),
        a.completed_on.map(|d| d.to_string()).unwrap_or_default(),
        a.evidence.clone(),
    ]
}
