//! The exception register: what needs a decision or a renewal first, then every exception to
//! every policy, filtered by state and policy in the URL, with the count of each state.

use std::collections::HashSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::error::PageResult;
use super::exception_views::{ExceptionRow, plural};
use super::forms::{SelectOption, parse_optional_id};
use super::layout::{Area, Layout};
use super::views::{Link, Pager};
use crate::app::{AppState, today};
use crate::domain::PageRequest;
use crate::domain::page::MAX_PER_PAGE;
use crate::domain::policy::PolicyFilter;
use crate::domain::policy_exception::{ExceptionFilter, ExceptionState, PolicyException};
use crate::store::Store;

/// An active exception expiring within this many days needs a renewal or an end.
const EXPIRING_DAYS: i64 = 30;
/// How many records each attention panel names.
const ATTENTION_SHOWN: usize = 10;
/// The register's states, in the order of the filter.
const STATES: [ExceptionState; 5] = [
    ExceptionState::Requested,
    ExceptionState::Active,
    ExceptionState::Expired,
    ExceptionState::Rejected,
    ExceptionState::Withdrawn,
];

/// The register's filter and paging as typed in the URL; values that do not parse are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExceptionsQuery {
    state: String,
    policy_id: String,
    page: String,
    per_page: String,
}

impl ExceptionsQuery {
    fn filter(&self) -> ExceptionFilter {
        ExceptionFilter {
            policy_id: parse_optional_id(&self.policy_id).ok().flatten(),
            state: self.state.parse().ok(),
        }
    }

    fn page(&self) -> PageRequest {
        PageRequest::new(
            self.page.trim().parse().ok(),
            self.per_page.trim().parse().ok(),
        )
    }
}

/// A state of the filter with how many exceptions are in it.
pub struct StateTab {
    pub href: String,
    pub label: &'static str,
    pub count: i64,
    pub current: bool,
}

/// A panel of what needs attention.
pub struct Attention {
    pub title: String,
    pub explanation: &'static str,
    pub tone: &'static str,
    pub rows: Vec<ExceptionRow>,
    pub more: Option<Link>,
}

#[derive(Template, WebTemplate)]
#[template(path = "exceptions/list.html", whitespace = "minimize")]
pub struct ExceptionsPage {
    layout: Layout,
    attention: Vec<Attention>,
    tabs: Vec<StateTab>,
    all_href: String,
    all_count: i64,
    policy_options: Vec<SelectOption>,
    state: String,
    filtered: bool,
    rows: Vec<ExceptionRow>,
    total: i64,
    pager: Pager,
}

pub async fn list_exceptions(
    State(state): State<AppState>,
    Query(query): Query<ExceptionsQuery>,
) -> PageResult<ExceptionsPage> {
    let store = state.store.as_ref();
    let today = today();
    let filter = query.filter();
    let page = store.list_exceptions(&filter, today, query.page()).await?;
    let policy_id = filter
        .policy_id
        .map(|id| id.to_string())
        .unwrap_or_default();
    let state_text = filter.state.map(|s| s.as_str()).unwrap_or_default();
    let all = ExceptionFilter {
        state: None,
        ..filter.clone()
    };
    let rows = page
        .items
        .iter()
        .map(|e| ExceptionRow::new(e, today))
        .collect();
    Ok(ExceptionsPage {
        layout: Layout::load(&state, Area::Exceptions, "Exceptions").await,
        attention: attention(store, today).await?,
        all_href: register_href("", &policy_id),
        all_count: count(store, &all, today).await?,
        tabs: state_tabs(store, &filter, &policy_id, today).await?,
        policy_options: policy_options(store, filter.policy_id, today).await?,
        state: state_text.to_owned(),
        filtered: filter.policy_id.is_some() || filter.state.is_some(),
        pager: Pager::new(
            "/exceptions",
            &page,
            &[("state", state_text), ("policy_id", &policy_id)],
        ),
        total: page.total,
        rows,
    })
}

/// One tab per state, counting the exceptions of the filtered policy in it.
async fn state_tabs(
    store: &dyn Store,
    filter: &ExceptionFilter,
    policy_id: &str,
    today: Date,
) -> PageResult<Vec<StateTab>> {
    let mut tabs = Vec::new();
    for candidate in STATES {
        let narrowed = ExceptionFilter {
            state: Some(candidate),
            ..filter.clone()
        };
        tabs.push(StateTab {
            href: register_href(candidate.as_str(), policy_id),
            label: candidate.label(),
            count: count(store, &narrowed, today).await?,
            current: filter.state == Some(candidate),
        });
    }
    Ok(tabs)
}

fn register_href(state: &str, policy_id: &str) -> String {
    format!(
        "/exceptions{}",
        super::forms::query_string(&[("state", state), ("policy_id", policy_id)])
    )
}

async fn count(store: &dyn Store, filter: &ExceptionFilter, today: Date) -> PageResult<i64> {
    let page = PageRequest::new(Some(1), Some(1));
    Ok(store.list_exceptions(filter, today, page).await?.total)
}

/// Every exception in `state`, however many pages (the register of one organization is small).
pub async fn all_in(
    store: &dyn Store,
    state: ExceptionState,
    today: Date,
) -> PageResult<Vec<PolicyException>> {
    let filter = ExceptionFilter {
        state: Some(state),
        policy_id: None,
    };
    let mut all = Vec::new();
    for number in 1.. {
        let page = store
            .list_exceptions(
                &filter,
                today,
                PageRequest::new(Some(number), Some(MAX_PER_PAGE)),
            )
            .await?;
        let more = page.has_next();
        all.extend(page.items);
        if !more {
            break;
        }
    }
    Ok(all)
}

/// Requests awaiting a decision, active exceptions about to expire, expired ones (leaving out
/// those already renewed or awaiting their renewal).
async fn attention(store: &dyn Store, today: Date) -> PageResult<Vec<Attention>> {
    let mut panels = Vec::new();
    let requested = all_in(store, ExceptionState::Requested, today).await?;
    let active = all_in(store, ExceptionState::Active, today).await?;
    // An exception whose renewal is requested or granted needs nothing more.
    let renewed: HashSet<Uuid> = requested
        .iter()
        .chain(&active)
        .filter_map(|e| e.renewal_of)
        .collect();
    let mut expiring: Vec<PolicyException> = active
        .into_iter()
        .filter(|e| !renewed.contains(&e.id))
        .filter(|e| {
            e.expires_on
                .is_some_and(|on| (on - today).whole_days() <= EXPIRING_DAYS)
        })
        .collect();
    expiring.sort_by_key(|e| e.expires_on);
    let mut expired = all_in(store, ExceptionState::Expired, today).await?;
    expired.retain(|e| !renewed.contains(&e.id));
    expired.sort_by_key(|e| std::cmp::Reverse(e.expires_on));
    let groups = [
        (
            requested,
            "awaiting a decision",
            "amber",
            "requested",
            "The policy's approver decides each request: approve it with an expiry, or reject it saying why.",
        ),
        (
            expiring,
            "expiring within 30 days",
            "amber",
            "",
            "When the need remains, the requester asks for a renewal; otherwise the exception ends by itself.",
        ),
        (
            expired,
            "expired",
            "red",
            "expired",
            "Past its expiry an exception no longer covers anyone: make sure the policy is followed again, or request a renewal.",
        ),
    ];
    for (items, what, tone, state, explanation) in groups {
        if items.is_empty() {
            continue;
        }
        let more = (items.len() > ATTENTION_SHOWN && !state.is_empty()).then(|| {
            Link::new(
                register_href(state, ""),
                format!("All {} {what}", items.len()),
            )
        });
        panels.push(Attention {
            title: format!("{} {what}", plural(items.len(), "exception", "exceptions")),
            explanation,
            tone,
            rows: items
                .iter()
                .take(ATTENTION_SHOWN)
                .map(|e| ExceptionRow::new(e, today))
                .collect(),
            more,
        });
    }
    Ok(panels)
}

/// The policies to filter by, by title; the current one selected.
async fn policy_options(
    store: &dyn Store,
    selected: Option<Uuid>,
    today: Date,
) -> PageResult<Vec<SelectOption>> {
    let policies = store
        .list_policies(
            &PolicyFilter::default(),
            today,
            PageRequest::new(Some(1), Some(MAX_PER_PAGE)),
        )
        .await?;
    let mut options = vec![SelectOption::new("", "All policies", selected.is_none())];
    options.extend(policies.items.iter().map(|s| {
        SelectOption::new(
            s.policy.id.to_string(),
            s.policy.title.clone(),
            Some(s.policy.id) == selected,
        )
    }));
    Ok(options)
}
