//! One objective: its details and status, the trend chart of the effective series against the
//! target with the numbers beside it, the measurement history with its corrections, and the
//! form to record a measurement or a correction for those who may.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::chart::{ObjectiveChart, Target, day_text};
use super::record::{RecordForm, RecordFormData};
use super::{may_record, status_badge, target_text, with_unit};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::isms_status::TrendPoint;
use crate::domain::objective::{Measurement, Objective, effective_series};
use crate::web::error::{PageError, PageResult, parse_id};
use crate::web::evidence::{Evidence, visible_evidence_trail};
use crate::web::layout::{Area, Layout};
use crate::web::moment::{Moment, day, moment};
use crate::web::views::Badge;

/// One point of the effective series, for the table beside the chart.
pub struct PointRow {
    pub day: String,
    pub value: String,
}

/// One recorded measurement, newest first.
pub struct MeasurementRow {
    pub measured: String,
    pub value: String,
    pub source: String,
    pub recorded_by: String,
    pub recorded: Moment,
    /// "Corrects the value of 12 May 2026 (78%)".
    pub corrects: Option<String>,
    /// A later measurement corrects this one: it no longer counts.
    pub corrected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "objectives/show.html", whitespace = "minimize")]
pub struct ObjectivePage {
    layout: Layout,
    flash: Option<&'static str>,
    objective: Objective,
    status: Badge,
    target: String,
    latest: String,
    latest_on: Option<Moment>,
    /// When the next measurement is due (the latest plus the interval).
    next_due: Option<Moment>,
    due: Moment,
    chart: Option<String>,
    points: Vec<PointRow>,
    history: Vec<MeasurementRow>,
    can_manage: bool,
    /// The caller may record a measurement (the form below is shown).
    can_record: bool,
    record: RecordForm,
    /// The audit trail, for those who may read evidence only.
    evidence: Option<Evidence>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    flash: String,
}

pub async fn show_objective(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<ShowQuery>,
) -> PageResult<ObjectivePage> {
    let id = parse_id(&raw, "objective")?;
    let mut page = objective_page(&state, &caller, id, None).await?;
    page.flash = match query.flash.as_str() {
        "created" => Some("The objective is set."),
        "saved" => Some("The changes are saved."),
        "recorded" => Some("The measurement is recorded."),
        _ => None,
    };
    Ok(page)
}

/// The page, with the record form as typed and its messages when it was refused.
pub async fn objective_page(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    refused: Option<(&RecordFormData, &FieldErrors, Option<String>)>,
) -> PageResult<ObjectivePage> {
    let today = today();
    let objective = state.store.get_objective(id, today).await?;
    if !caller.may(Permission::ReadLeadership) && objective.owner_id != caller.account.person_id {
        return Err(PageError::Refused(
            "You may open only the objectives you own".into(),
        ));
    }
    let measurements = state.store.list_measurements(id).await?;
    let series = effective_series(&measurements);
    let can_record = may_record(caller, &objective);
    let record = match refused {
        Some((data, errors, refusal)) => {
            RecordForm::shown(data, errors, refusal, &measurements, &objective)
        }
        None => RecordForm::blank(&measurements, &objective),
    };
    let latest = objective.latest.clone();
    let evidence =
        visible_evidence_trail(state.store.as_ref(), caller, "objective", &id.to_string()).await?;
    Ok(ObjectivePage {
        layout: Layout::load(state, Area::Leadership, objective.statement.clone()).await,
        flash: None,
        status: status_badge(objective.status),
        target: target_text(&objective),
        latest: latest
            .as_ref()
            .map(|p| with_unit(p.value, &objective.unit))
            .unwrap_or_default(),
        latest_on: latest.as_ref().map(|p| day(p.at.date(), today)),
        next_due: latest.as_ref().map(|p| {
            day(
                p.at.date() + Duration::days(objective.measurement_interval_days),
                today,
            )
        }),
        due: day(objective.due_on, today),
        chart: trend_chart(&objective, &series),
        points: series
            .iter()
            .map(|p| PointRow {
                day: day_text(p.at),
                value: with_unit(p.value, &objective.unit),
            })
            .collect(),
        history: history_rows(&measurements, &objective.unit),
        can_manage: caller.may(Permission::ManageLeadership) && objective.active,
        can_record,
        record,
        evidence,
        objective,
    })
}

/// The trend chart as SVG markup; none before the first measurement.
fn trend_chart(objective: &Objective, series: &[TrendPoint]) -> Option<String> {
    if series.is_empty() {
        return None;
    }
    let target = Target {
        value: objective.target,
        text: &target_text(objective),
        unit: &objective.unit,
    };
    let chart = ObjectiveChart::new("objective-trend", objective.metric.clone(), series, &target);
    chart.render().ok()
}

/// Every measurement, newest first, each correction naming the value it corrects.
fn history_rows(measurements: &[Measurement], unit: &str) -> Vec<MeasurementRow> {
    let by_id: HashMap<Uuid, &Measurement> = measurements.iter().map(|m| (m.id, m)).collect();
    let now = OffsetDateTime::now_utc();
    let mut rows: Vec<(&Measurement, MeasurementRow)> = measurements
        .iter()
        .map(|m| {
            let corrects = m.corrects_id.and_then(|c| by_id.get(&c)).map(|c| {
                format!(
                    "Corrects the value of {} ({})",
                    day_text(c.measured_at),
                    with_unit(c.value, unit)
                )
            });
            let row = MeasurementRow {
                measured: day_text(m.measured_at),
                value: with_unit(m.value, unit),
                source: m.source.clone(),
                recorded_by: m.recorded_by_name.clone(),
                recorded: moment(m.recorded_at, now),
                corrects,
                corrected: m.corrected_by.is_some(),
            };
            (m, row)
        })
        .collect();
    rows.sort_by_key(|(m, _)| std::cmp::Reverse((m.measured_at, m.recorded_at)));
    rows.into_iter().map(|(_, row)| row).collect()
}
