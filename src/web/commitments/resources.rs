//! The resources page (5.1.c): requests awaiting top management's decision first, then per type
//! what was approved for the period, and which types were not considered at all (neither an
//! approval nor an explicit "none needed").

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;
use time::{Date, Month, OffsetDateTime};

use super::super::error::PageResult;
use super::super::forms::{format_date, parse_optional_date};
use super::super::layout::{Area, Layout};
use super::super::moment::{Moment, moment};
use super::super::views::{Badge, Link};
use super::money::{commitment_badge, fte_text, money_text, quantity_text};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::resource::{
    CommitmentStatus, ResourceCommitment, ResourceFilter, ResourceTypeSummary,
};

/// The most commitments of a period the page lists.
const LISTED: u32 = 500;

/// One commitment as a row.
pub struct CommitmentRow {
    pub link: Link,
    pub kind: &'static str,
    pub quantity: String,
    pub period: String,
    pub requested_by: String,
    pub requested_at: Moment,
    pub status: Badge,
}

pub fn commitment_row(record: &ResourceCommitment, now: OffsetDateTime) -> CommitmentRow {
    CommitmentRow {
        link: Link::new(
            format!("/leadership/resources/{}", record.id),
            record.description.clone(),
        ),
        kind: record.kind.label(),
        quantity: quantity_text(record),
        period: period_text(record.period_start, record.period_end),
        requested_by: record.requested_by_name.clone(),
        requested_at: moment(record.requested_at, now),
        status: commitment_badge(record),
    }
}

pub fn period_text(start: Date, end: Date) -> String {
    format!("{} to {}", format_date(start), format_date(end))
}

/// One resource type over the period.
pub struct SummaryRow {
    pub label: &'static str,
    pub approved: i64,
    pub money: String,
    pub fte: String,
    pub awaiting: i64,
    pub badge: Badge,
    /// Where top management records "none needed" for this type and period, when not considered.
    pub record_none: Option<String>,
}

/// The approved commitments of one type.
pub struct KindGroup {
    pub label: &'static str,
    pub rows: Vec<CommitmentRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "commitments/resources.html", whitespace = "minimize")]
pub struct ResourcesPage {
    layout: Layout,
    flash: Option<&'static str>,
    from: String,
    to: String,
    awaiting: Vec<CommitmentRow>,
    summary: Vec<SummaryRow>,
    not_considered: Vec<&'static str>,
    approved: Vec<KindGroup>,
    closed: Vec<CommitmentRow>,
    /// More commitments in the period than the page lists.
    truncated: bool,
    may_request: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResourcesQuery {
    from: String,
    to: String,
    flash: String,
}

/// The period asked for, or the current calendar year (budgets run by year).
fn period(query: &ResourcesQuery, today: Date) -> (Date, Date) {
    let year_start = Date::from_calendar_date(today.year(), Month::January, 1).unwrap_or(today);
    let year_end = Date::from_calendar_date(today.year(), Month::December, 31).unwrap_or(today);
    let from = parse_optional_date(&query.from).ok().flatten();
    let to = parse_optional_date(&query.to).ok().flatten();
    match (from.unwrap_or(year_start), to.unwrap_or(year_end)) {
        (from, to) if from <= to => (from, to),
        _ => (year_start, year_end),
    }
}

pub async fn show_resources(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<ResourcesQuery>,
) -> PageResult<ResourcesPage> {
    let store = state.store.as_ref();
    let (from, to) = period(&query, today());
    let now = OffsetDateTime::now_utc();
    let waiting = ResourceFilter {
        status: Some(CommitmentStatus::Requested),
        ..ResourceFilter::default()
    };
    let all = PageRequest::new(Some(1), Some(LISTED));
    let awaiting = store.list_resource_commitments(&waiting, all).await?;
    let in_period = ResourceFilter {
        from: Some(from),
        to: Some(to),
        ..ResourceFilter::default()
    };
    let listed = store.list_resource_commitments(&in_period, all).await?;
    let summaries = store.resource_summary(from, to).await?;
    let may_decide = caller.may(Permission::DecideResources);
    let summary: Vec<SummaryRow> = summaries
        .iter()
        .map(|s| summary_row(s, may_decide, from, to))
        .collect();
    let not_considered = summaries
        .iter()
        .filter(|s| !s.considered())
        .map(|s| s.kind.label())
        .collect();
    let flash = match query.flash.as_str() {
        "none_needed" => Some("Recorded: no additional resources of this type are needed."),
        _ => None,
    };
    Ok(ResourcesPage {
        layout: Layout::load(&state, Area::Leadership, "Resources").await,
        flash,
        from: format_date(from),
        to: format_date(to),
        awaiting: awaiting
            .items
            .iter()
            .map(|r| commitment_row(r, now))
            .collect(),
        summary,
        not_considered,
        approved: approved_groups(&summaries, &listed.items, now),
        closed: listed
            .items
            .iter()
            .filter(|r| {
                matches!(
                    r.status,
                    CommitmentStatus::Rejected | CommitmentStatus::Withdrawn
                )
            })
            .map(|r| commitment_row(r, now))
            .collect(),
        truncated: listed.total > i64::from(LISTED),
        may_request: caller.may(Permission::RequestResources),
    })
}

fn summary_row(s: &ResourceTypeSummary, may_decide: bool, from: Date, to: Date) -> SummaryRow {
    let badge = if s.approved > 0 {
        Badge::new("green", "Approved")
    } else if s.none_needed {
        Badge::new("green", "None needed")
    } else {
        Badge::new("red", "Not considered")
    };
    let record_none = (may_decide && !s.considered()).then(|| {
        format!(
            "/leadership/resources/new?none_needed=1&kind={}&period_start={}&period_end={}",
            s.kind.as_str(),
            format_date(from),
            format_date(to)
        )
    });
    SummaryRow {
        label: s.kind.label(),
        approved: s.approved,
        money: s
            .money
            .iter()
            .map(|m| money_text(&m.currency, m.amount))
            .collect::<Vec<_>>()
            .join(", "),
        fte: if s.fte > 0.0 {
            fte_text(s.fte)
        } else {
            String::new()
        },
        awaiting: s.awaiting,
        badge,
        record_none,
    }
}

/// Approved commitments and "none needed" decisions, grouped by type in the summary's order.
fn approved_groups(
    summaries: &[ResourceTypeSummary],
    listed: &[ResourceCommitment],
    now: OffsetDateTime,
) -> Vec<KindGroup> {
    summaries
        .iter()
        .filter_map(|s| {
            let rows: Vec<CommitmentRow> = listed
                .iter()
                .filter(|r| r.kind == s.kind && r.status == CommitmentStatus::Approved)
                .map(|r| commitment_row(r, now))
                .collect();
            (!rows.is_empty()).then_some(KindGroup {
                label: s.kind.label(),
                rows,
            })
        })
        .collect()
}
