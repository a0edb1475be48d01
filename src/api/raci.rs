//! ISMS activities and the RACI matrix over JSON: the grid, replacing rows of it, and CSV.

use std::collections::HashSet;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::params::{ApiJson, RecordId};
use super::policy_versions::attachment;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::raci::{Activity, ActivityInput, RaciCell, RaciMatrix, check_cells};
use crate::error::{AppError, ErrorBody};
use crate::role_actions::raci_csv;

/// New rows of the matrix: every cell of the named activities is replaced by `cells`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RaciRows {
    /// The activities whose rows are rewritten (an activity named here with no cells loses
    /// them all).
    pub activity_ids: Vec<Uuid>,
    /// The duties of those activities; exactly one Accountable role per activity.
    pub cells: Vec<RaciCell>,
}

impl RaciRows {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.activity_ids.is_empty() {
            errors.add(
                "activity_ids",
                "name the activities whose rows are replaced",
            );
        }
        let named: HashSet<Uuid> = self.activity_ids.iter().copied().collect();
        if self.cells.iter().any(|c| !named.contains(&c.activity_id)) {
            errors.add(
                "cells",
                "a cell names an activity missing from activity_ids",
            );
        }
        if let Err(duties) = check_cells(&self.cells) {
            for (field, messages) in duties.iter() {
                for message in messages {
                    errors.add(field, message.clone());
                }
            }
        }
        errors.into_result()
    }
}

/// The ISMS activities in matrix order.
#[utoipa::path(get, path = "/api/v1/activities", tag = "roles",
    responses((status = 200, body = Vec<Activity>)))]
pub async fn list_activities(
    State(state): State<AppState>,
) -> Result<Json<Vec<Activity>>, AppError> {
    Ok(Json(state.store.list_activities().await?))
}

/// Adds an activity at the end of the matrix.
#[utoipa::path(post, path = "/api/v1/activities", tag = "roles", request_body = ActivityInput,
    responses((status = 201, body = Activity), (status = 422, body = ErrorBody)))]
pub async fn create_activity(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<ActivityInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let activity = state.store.create_activity(&caller.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(activity)))
}

#[utoipa::path(put, path = "/api/v1/activities/{id}", tag = "roles", params(("id" = Uuid, Path)),
    request_body = ActivityInput,
    responses((status = 200, body = Activity), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_activity(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(input): ApiJson<ActivityInput>,
) -> Result<Json<Activity>, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    Ok(Json(
        state
            .store
            .update_activity(&caller.actor(), id, input)
            .await?,
    ))
}

/// The RACI matrix: activities in order, the roles that carry a duty, and the cells.
#[utoipa::path(get, path = "/api/v1/raci", tag = "roles",
    responses((status = 200, body = RaciMatrix)))]
pub async fn get_raci(State(state): State<AppState>) -> Result<Json<RaciMatrix>, AppError> {
    Ok(Json(state.store.raci_matrix().await?))
}

/// Replaces the rows of the named activities, all at once; two Accountable roles on one
/// activity, a role named twice on a row, or an unknown role or activity is refused (422) and
/// nothing changes. Answers the whole matrix.
#[utoipa::path(put, path = "/api/v1/raci", tag = "roles", request_body = RaciRows,
    responses((status = 200, body = RaciMatrix), (status = 422, body = ErrorBody)))]
pub async fn replace_raci(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(rows): ApiJson<RaciRows>,
) -> Result<Json<RaciMatrix>, AppError> {
    rows.validate().map_err(AppError::Invalid)?;
    Ok(Json(
        state
            .store
            .replace_raci(&caller.actor(), &rows.activity_ids, &rows.cells)
            .await?,
    ))
}

/// The matrix as CSV: a header of role names, then a row per activity with R, A, C or I.
#[utoipa::path(get, path = "/api/v1/raci.csv", tag = "roles",
    responses((status = 200, description = "One line per activity", content_type = "text/csv", body = String)))]
pub async fn export_raci_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let matrix = state.store.raci_matrix().await?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        &format!("raci-{}.csv", today()),
        raci_csv(&matrix).into_bytes(),
    ))
}
