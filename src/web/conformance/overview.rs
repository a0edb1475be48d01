//! One assessment as an auditor reads it (the latest on `/conformance`): the counts per verdict,
//! when and by whom it ran, whether its stored snapshot still has its hash, the liveness signs,
//! and every requirement by section with its verdict, finding, figures and evidence; and the
//! button that runs a new one.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::Redirect;
use serde::Deserialize;
use time::OffsetDateTime;

use super::super::error::{PageResult, parse_id};
use super::super::layout::{Area, Layout};
use super::super::share_links::page_error;
use super::views::{GroupView, SignalView, SummaryView, groups, signal_views, summary_view};
use crate::api::assessments::run_now;
use crate::app::AppState;
use crate::auth::{Caller, Principal};
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::assessment::Assessment;
use crate::domain::conformance::Thresholds;

/// A stored assessment as the page shows it.
pub struct AssessmentView {
    pub summary: SummaryView,
    pub intact: bool,
    pub thresholds: Thresholds,
    pub signals: Vec<SignalView>,
    pub groups: Vec<GroupView>,
    /// "What changed since the one before", when there is one.
    pub changes_href: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "conformance/assessment.html", whitespace = "minimize")]
pub struct AssessmentPage {
    layout: Layout,
    flash: Option<&'static str>,
    can_run: bool,
    /// None before the first assessment.
    assessment: Option<AssessmentView>,
    /// Whether this is the newest one (the heading says so, or links to the newest).
    is_latest: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FlashQuery {
    flash: String,
}

async fn view(state: &AppState, assessment: &Assessment) -> PageResult<AssessmentView> {
    let now = OffsetDateTime::now_utc();
    let evaluation = &assessment.evaluation;
    let previous = state.store.previous_assessment(assessment.id).await?;
    Ok(AssessmentView {
        summary: summary_view(&assessment.summary(), now),
        intact: assessment.intact,
        thresholds: evaluation.thresholds,
        signals: signal_views(&evaluation.liveness, &evaluation.thresholds),
        groups: groups(evaluation),
        changes_href: previous
            .map(|p| format!("/conformance/diff?from={}&to={}", p.id, assessment.id)),
    })
}

fn page(
    layout: Layout,
    caller: &Principal,
    assessment: Option<AssessmentView>,
    is_latest: bool,
) -> AssessmentPage {
    AssessmentPage {
        layout,
        flash: None,
        can_run: caller.may(Permission::RunAssessments),
        assessment,
        is_latest,
    }
}

pub async fn show_latest(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<FlashQuery>,
) -> PageResult<AssessmentPage> {
    let latest = state.store.latest_assessment().await?;
    let assessment = match &latest {
        Some(a) => Some(view(&state, a).await?),
        None => None,
    };
    let layout = Layout::load(&state, Area::Conformance, "Conformance").await;
    let mut page = page(layout, &caller, assessment, true);
    page.flash = (query.flash == "run").then_some(
        "The assessment was run and stored. Its snapshot and hash can no longer change.",
    );
    Ok(page)
}

pub async fn show_assessment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<AssessmentPage> {
    let id = parse_id(&raw, "assessment")?;
    let assessment = state.store.get_assessment(id).await?;
    let newest = state
        .store
        .list_assessments(PageRequest::new(Some(1), Some(1)))
        .await?;
    let is_latest = newest.items.first().is_some_and(|l| l.id == id);
    let title = format!("Assessment of {}", assessment.created_at.date());
    let layout = Layout::load(&state, Area::Conformance, title).await;
    let view = view(&state, &assessment).await?;
    Ok(page(layout, &caller, Some(view), is_latest))
}

/// Runs an assessment now from the live records and shows it.
pub async fn run_assessment(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> PageResult<Redirect> {
    run_now(state.store.as_ref(), &caller)
        .await
        .map_err(page_error)?;
    Ok(Redirect::to("/conformance?flash=run"))
}
