//! Recording a measurement or a correction from an objective's page (refusals come back beside
//! their fields, with what was typed), and retiring an objective.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::macros::time;

use super::chart::day_text;
use super::form::parse_number;
use super::show::objective_page;
use super::with_unit;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::objective::{Measurement, MeasurementInput, Objective};
use crate::store::StoreError;
use crate::web::error::{PageResult, parse_id};
use crate::web::forms::{Field, SelectOption, add_missing, error_summary, parse_optional_date};
use crate::web::policy_views::sentence;

/// The record form as posted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RecordFormData {
    value: String,
    measured_on: String,
    source: String,
    corrects_id: String,
}

/// The record form as shown.
pub struct RecordForm {
    pub value: Field,
    pub measured_on: Field,
    pub source: Field,
    pub corrects_id: Field,
    pub corrections: Vec<SelectOption>,
    pub summary: Vec<(String, String)>,
    pub refusal: Option<String>,
}

impl RecordForm {
    pub fn blank(measurements: &[Measurement], objective: &Objective) -> Self {
        Self::shown(
            &RecordFormData::default(),
            &FieldErrors::new(),
            None,
            measurements,
            objective,
        )
    }

    pub fn shown(
        data: &RecordFormData,
        errors: &FieldErrors,
        refusal: Option<String>,
        measurements: &[Measurement],
        objective: &Objective,
    ) -> Self {
        let field = |id: &'static str, label: &'static str, value: &str| {
            Field::new(id, label, value).with_errors(errors, id)
        };
        let value = field("value", "Value", &data.value);
        let measured_on = field("measured_on", "Measured on", &data.measured_on)
            .with_errors(errors, "measured_at");
        let source = field("source", "Source", &data.source);
        let corrects_id = field("corrects_id", "Corrects", &data.corrects_id);
        let summary = error_summary(&[&value, &measured_on, &source, &corrects_id]);
        Self {
            corrections: correction_options(measurements, objective, &corrects_id.value),
            value,
            measured_on,
            source,
            corrects_id,
            summary,
            refusal,
        }
    }
}

/// "Not a correction", then every measurement not yet corrected, newest first.
fn correction_options(
    measurements: &[Measurement],
    objective: &Objective,
    chosen: &str,
) -> Vec<SelectOption> {
    let mut open: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.corrected_by.is_none())
        .collect();
    open.sort_by_key(|m| std::cmp::Reverse((m.measured_at, m.recorded_at)));
    std::iter::once(SelectOption::new("", "Not a correction", chosen.is_empty()))
        .chain(open.iter().map(|m| {
            let id = m.id.to_string();
            let label = format!(
                "The value of {}: {}",
                day_text(m.measured_at),
                with_unit(m.value, &objective.unit)
            );
            let selected = id == chosen;
            SelectOption::new(id, label, selected)
        }))
        .collect()
}

impl RecordFormData {
    fn to_input(&self) -> Result<MeasurementInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let value = parse_number(&self.value).unwrap_or_else(|| {
            errors.add("value", "must be a number");
            0.0
        });
        let measured_at = match parse_optional_date(&self.measured_on) {
            Ok(Some(on)) if on < today() => Some(on.with_time(time!(12:00)).assume_utc()),
            Ok(Some(on)) if on > today() => {
                errors.add("measured_on", "is in the future");
                None
            }
            Ok(_) => None,
            Err(()) => {
                errors.add("measured_on", "is not a date");
                None
            }
        };
        let corrects_id =
            crate::web::forms::parse_optional_id(&self.corrects_id).unwrap_or_else(|()| {
                errors.add("corrects_id", "choose a measurement from the list");
                None
            });
        let input = MeasurementInput {
            value,
            measured_at,
            source: self.source.clone(),
            corrects_id,
        };
        match input.clone().validate(time::OffsetDateTime::now_utc()) {
            Ok(_) if errors.is_empty() => Ok(input),
            Ok(_) => Err(errors),
            Err(more) => {
                add_missing(&mut errors, &more);
                Err(errors)
            }
        }
    }
}

pub async fn record_measurement(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<RecordFormData>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "objective")?;
    state.store.get_objective(id, today()).await?;
    let result = match form.to_input() {
        Ok(input) => {
            state
                .store
                .record_measurement(&caller.account, id, input)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    let (status, errors, refusal) = match result {
        Ok(_) => {
            let to = format!("/leadership/objectives/{id}?flash=recorded#history-title");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Err(StoreError::Conflict(reason)) => (
            StatusCode::CONFLICT,
            FieldErrors::new(),
            Some(sentence(&reason)),
        ),
        Err(other) => return Err(other.into()),
    };
    let page = objective_page(&state, &caller, id, Some((&form, &errors, refusal))).await?;
    Ok((status, page).into_response())
}

/// Retires the objective; back to the list, where it no longer shows among the active ones.
pub async fn retire_objective(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "objective")?;
    state
        .store
        .retire_objective(&caller.actor(), id, today())
        .await?;
    Ok(Redirect::to("/leadership/objectives?flash=retired").into_response())
}
