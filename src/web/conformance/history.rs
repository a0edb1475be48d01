//! The history of assessments (newest first, counts per verdict, the hash of each snapshot), a
//! grid of every requirement's verdicts over the latest assessments, and one requirement's page:
//! its latest result, its verdicts over time as a row of marks (and as a table), and its
//! justifications.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use time::OffsetDateTime;

use super::super::error::{PageError, PageResult};
use super::super::layout::{Area, Layout};
use super::super::moment::{Moment, moment};
use super::super::views::{Badge, Pager};
use super::views::{
    Mark, ResultView, SummaryView, mark, requirement_href, result_view, summary_view, verdict_badge,
};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::assessment::requirement;
use crate::domain::conformance::CATALOG;

/// How many assessments the grid of the history page covers.
const GRID_POINTS: i64 = 12;
/// How many assessments one requirement's page covers.
const REQUIREMENT_POINTS: i64 = 50;

/// One assessment in the history.
pub struct HistoryRow {
    pub summary: SummaryView,
    pub changes_href: String,
}

/// One requirement's recent verdicts in the grid.
pub struct GridRow {
    pub id: &'static str,
    pub shows: &'static str,
    pub href: String,
    pub marks: Vec<Mark>,
}

#[derive(Template, WebTemplate)]
#[template(path = "conformance/history.html", whitespace = "minimize")]
pub struct HistoryPage {
    layout: Layout,
    total: i64,
    rows: Vec<HistoryRow>,
    pager: Pager,
    grid: Vec<GridRow>,
    /// How many assessments the grid covers.
    grid_columns: usize,
    can_run: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HistoryQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

pub async fn show_history(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<HistoryQuery>,
) -> PageResult<HistoryPage> {
    let store = state.store.as_ref();
    let now = OffsetDateTime::now_utc();
    let page = store
        .list_assessments(PageRequest::new(query.page, query.per_page))
        .await?;
    let rows = page
        .items
        .iter()
        .map(|s| HistoryRow {
            summary: summary_view(s, now),
            changes_href: format!("/conformance/diff?to={}", s.id),
        })
        .collect();
    let mut grid = Vec::with_capacity(CATALOG.len());
    if page.total > 0 {
        for r in CATALOG {
            let points = store.requirement_trend(r.id, GRID_POINTS).await?;
            grid.push(GridRow {
                id: r.id,
                shows: r.shows,
                href: requirement_href(r.id),
                marks: points.iter().map(|p| mark(p, r.id)).collect(),
            });
        }
    }
    Ok(HistoryPage {
        layout: Layout::load(&state, Area::Conformance, "Assessment history").await,
        total: page.total,
        pager: Pager::new("/conformance/history", &page, &[]),
        rows,
        grid_columns: grid.iter().map(|g| g.marks.len()).max().unwrap_or(0),
        grid,
        can_run: caller.may(Permission::RunAssessments),
    })
}

/// One assessment's verdict of the requirement, in the table beside the marks.
pub struct PointRow {
    pub when: Moment,
    pub badge: Badge,
    pub href: String,
}

/// A justification of this requirement, in short.
pub struct JustificationLine {
    pub state: &'static str,
    pub reason: String,
    pub requested_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "conformance/requirement.html", whitespace = "minimize")]
pub struct RequirementPage {
    layout: Layout,
    id: &'static str,
    shows: &'static str,
    /// Its result in the latest assessment.
    latest: Option<ResultView>,
    marks: Vec<Mark>,
    /// The same verdicts, newest first.
    points: Vec<PointRow>,
    justifications: Vec<JustificationLine>,
}

pub async fn show_requirement(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PageResult<RequirementPage> {
    let requirement = requirement(&raw).ok_or(PageError::NotFound("requirement"))?;
    let store = state.store.as_ref();
    let now = OffsetDateTime::now_utc();
    let trend = store
        .requirement_trend(requirement.id, REQUIREMENT_POINTS)
        .await?;
    let latest = store.latest_assessment().await?.and_then(|a| {
        a.evaluation
            .results
            .iter()
            .find(|r| r.id == requirement.id)
            .map(result_view)
    });
    let points = trend
        .iter()
        .rev()
        .map(|p| PointRow {
            when: moment(p.assessed_at, now),
            badge: verdict_badge(p.verdict),
            href: format!("/conformance/assessments/{}", p.assessment_id),
        })
        .collect();
    let justifications = store
        .list_justifications(today())
        .await?
        .into_iter()
        .filter(|j| j.requirement_id == requirement.id)
        .map(|j| JustificationLine {
            state: j.state.as_str(),
            reason: j.reason,
            requested_by: j.requested_by_name,
        })
        .collect();
    let title = format!("Requirement {}", requirement.id);
    Ok(RequirementPage {
        layout: Layout::load(&state, Area::Conformance, title).await,
        id: requirement.id,
        shows: requirement.shows,
        latest,
        marks: trend.iter().map(|p| mark(p, requirement.id)).collect(),
        points,
        justifications,
    })
}
