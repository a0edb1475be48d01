//! The audit trail: every recorded change, filterable, and a check that the chain is intact.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::error::PageResult;
use super::evidence::{EventRow, event_rows};
use super::forms::SelectOption;
use super::layout::{Area, Layout};
use super::views::Pager;
use crate::app::AppState;
use crate::domain::{AuditFilter, PageRequest};
use crate::store::ChainReport;

const RECORD_TYPES: [(&str, &str); 3] = [
    ("person", "People"),
    ("unit", "Units"),
    ("organization", "Organization"),
];

/// Filters and paging as typed in the URL.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    record_type: String,
    record_id: String,
    action: String,
    actor: String,
    page: String,
    per_page: String,
}

impl AuditQuery {
    fn filter(&self) -> AuditFilter {
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        AuditFilter {
            record_type: text(&self.record_type),
            record_id: text(&self.record_id),
            action: text(&self.action),
            actor: text(&self.actor),
        }
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        vec![
            ("record_type", &self.record_type),
            ("record_id", &self.record_id),
            ("action", &self.action),
            ("actor", &self.actor),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html", whitespace = "minimize")]
pub struct AuditPage {
    layout: Layout,
    record_types: Vec<SelectOption>,
    record_id: String,
    action: String,
    actor: String,
    filtered: bool,
    rows: Vec<EventRow>,
    total: i64,
    pager: Pager,
}

pub async fn list_events(
    State(state): State<AppState>,
    Query(query): Query<AuditQuery>,
) -> PageResult<AuditPage> {
    let store = state.store.as_ref();
    let filter = query.filter();
    let request = PageRequest::new(
        query.page.trim().parse().ok(),
        query.per_page.trim().parse().ok(),
    );
    let page = store.list_audit_events(&filter, request).await?;
    let mut record_types = vec![SelectOption::new(
        "",
        "Any record",
        query.record_type.is_empty(),
    )];
    record_types.extend(
        RECORD_TYPES
            .iter()
            .map(|(v, l)| SelectOption::new(*v, *l, query.record_type == *v)),
    );
    Ok(AuditPage {
        layout: Layout::load(&state, Area::Audit, "Audit trail").await,
        record_types,
        filtered: filter.record_type.is_some()
            || filter.record_id.is_some()
            || filter.action.is_some()
            || filter.actor.is_some(),
        rows: event_rows(store, &page.items).await?,
        total: page.total,
        pager: Pager::new("/audit", &page, &query.pairs()),
        record_id: query.record_id,
        action: query.action,
        actor: query.actor,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/verify.html", whitespace = "minimize")]
pub struct VerifyPage {
    layout: Layout,
    report: ChainReport,
}

/// Walks the whole chain now; with a million events this takes seconds, which a person asking for it accepts.
pub async fn verify_chain(State(state): State<AppState>) -> PageResult<VerifyPage> {
    let report = state.store.verify_audit_chain().await?;
    Ok(VerifyPage {
        layout: Layout::load(&state, Area::Audit, "Audit chain check").await,
        report,
    })
}
