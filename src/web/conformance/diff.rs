//! "What changed since the last audit": two assessments compared (by default the latest and the
//! one before it), every requirement whose verdict, finding or figures changed, and the
//! thresholds when they changed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::super::error::{PageResult, parse_id};
use super::super::forms::SelectOption;
use super::super::layout::{Area, Layout};
use super::super::share_links::page_error;
use super::super::views::Badge;
use super::views::{SummaryView, requirement_href, summary_view, trigger_word, verdict_badge};
use crate::api::assessments::compare;
use crate::app::AppState;
use crate::domain::PageRequest;
use crate::domain::assessment::{AssessmentDiff, AssessmentSummary, FigureChange, requirement};
use crate::domain::conformance::Thresholds;

/// How many assessments the two lists to choose from offer.
const CHOICES: u32 = 100;

/// One requirement that changed.
pub struct ChangeView {
    pub id: String,
    pub shows: &'static str,
    pub href: String,
    pub before: Badge,
    pub after: Badge,
    pub verdict_changed: bool,
    pub finding_before: Option<String>,
    pub finding_after: Option<String>,
    pub figures: Vec<FigureChange>,
}

/// One threshold that changed: its name, before, after.
pub struct ThresholdLine {
    pub label: &'static str,
    pub before: i64,
    pub after: i64,
}

pub struct DiffView {
    pub from: SummaryView,
    pub to: SummaryView,
    pub thresholds: Vec<ThresholdLine>,
    pub changes: Vec<ChangeView>,
    pub verdicts_changed: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "conformance/diff.html", whitespace = "minimize")]
pub struct DiffPage {
    layout: Layout,
    from_options: Vec<SelectOption>,
    to_options: Vec<SelectOption>,
    diff: Option<DiffView>,
    /// Why there is nothing to compare.
    note: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DiffQuery {
    from: String,
    to: String,
}

fn chosen(raw: &str) -> PageResult<Option<Uuid>> {
    match raw.trim() {
        "" => Ok(None),
        text => parse_id(text, "assessment").map(Some),
    }
}

fn options(list: &[AssessmentSummary], selected: Option<Uuid>) -> Vec<SelectOption> {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    list.iter()
        .map(|s| {
            let when = s.created_at.format(format).unwrap_or_default();
            let by = s.run_by.map(|_| format!(", {}", s.run_by_label));
            let label = format!(
                "{when}, {}{}",
                trigger_word(s.trigger),
                by.unwrap_or_default()
            );
            SelectOption::new(s.id.to_string(), label, Some(s.id) == selected)
        })
        .collect()
}

fn thresholds(before: Option<Thresholds>, after: Option<Thresholds>) -> Vec<ThresholdLine> {
    let (Some(b), Some(a)) = (before, after) else {
        return Vec::new();
    };
    [
        ("Governance period (days)", b.period_days, a.period_days),
        (
            "Reporting interval (days)",
            b.reporting_interval_days,
            a.reporting_interval_days,
        ),
        (
            "Most improvement actions overdue (%)",
            b.overdue_actions_percent,
            a.overdue_actions_percent,
        ),
        (
            "Least acknowledgment coverage (%)",
            b.coverage_percent,
            a.coverage_percent,
        ),
    ]
    .into_iter()
    .filter(|(_, before, after)| before != after)
    .map(|(label, before, after)| ThresholdLine {
        label,
        before,
        after,
    })
    .collect()
}

fn view(diff: AssessmentDiff, now: OffsetDateTime) -> DiffView {
    let changes: Vec<ChangeView> = diff
        .changes
        .into_iter()
        .map(|c| ChangeView {
            shows: requirement(&c.id).map_or("", |r| r.shows),
            href: requirement_href(&c.id),
            before: verdict_badge(c.verdict_before),
            after: verdict_badge(c.verdict_after),
            verdict_changed: c.verdict_changed(),
            id: c.id,
            finding_before: c.finding_before,
            finding_after: c.finding_after,
            figures: c.figures,
        })
        .collect();
    DiffView {
        from: summary_view(&diff.from, now),
        to: summary_view(&diff.to, now),
        thresholds: thresholds(diff.thresholds_before, diff.thresholds_after),
        verdicts_changed: changes.iter().filter(|c| c.verdict_changed).count(),
        changes,
    }
}

pub async fn show_diff(
    State(state): State<AppState>,
    Query(query): Query<DiffQuery>,
) -> PageResult<DiffPage> {
    let store = state.store.as_ref();
    let recent = store
        .list_assessments(PageRequest::new(Some(1), Some(CHOICES)))
        .await?
        .items;
    let to = chosen(&query.to)?.or_else(|| recent.first().map(|s| s.id));
    let from = match (chosen(&query.from)?, to) {
        (Some(from), _) => Some(from),
        (None, Some(to)) => store.previous_assessment(to).await?.map(|s| s.id),
        (None, None) => None,
    };
    let layout = Layout::load(&state, Area::Conformance, "What changed").await;
    let (diff, note) = match (from, to) {
        (Some(from), Some(to)) => {
            let diff = compare(store, to, Some(from)).await.map_err(page_error)?;
            (Some(view(diff, OffsetDateTime::now_utc())), None)
        }
        (None, Some(_)) => (
            None,
            Some("This is the first assessment: there is none before it to compare with."),
        ),
        _ => (
            None,
            Some("No assessment yet: run two, and this page shows what changed between them."),
        ),
    };
    Ok(DiffPage {
        layout,
        from_options: options(&recent, from),
        to_options: options(&recent, to),
        diff,
        note,
    })
}
