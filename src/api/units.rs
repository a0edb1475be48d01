//! Org units over JSON: list, get, create, update.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, double_option, empty_as_none};
use crate::app::AppState;
use crate::auth::Caller;
use crate::domain::{Page, PageRequest, Unit, UnitFilter, UnitInput};
use crate::error::{AppError, ErrorBody};

/// Filters and paging for the unit list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitsQuery {
    /// Text found in the unit's name.
    pub q: Option<String>,
    /// Only the direct children of this unit.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub parent_id: Option<Uuid>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A partial update of a unit; `null` clears the parent or the head.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub parent_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    pub head_id: Option<Option<Uuid>>,
}

#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(UnitsQuery),
    responses((status = 200, body = Page<Unit>), (status = 400, body = ErrorBody)))]
pub async fn list_units(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<UnitsQuery>,
) -> Result<Json<Page<Unit>>, AppError> {
    let filter = UnitFilter {
        q: query.q,
        parent_id: query.parent_id,
    };
    Ok(Json(
        state
            .store
            .list_units(&filter, PageRequest::new(query.page, query.per_page))
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", params(("id" = Uuid, Path)),
    responses((status = 200, body = Unit), (status = 404, body = ErrorBody)))]
pub async fn get_unit(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<Unit>, AppError> {
    Ok(Json(state.store.get_unit(id).await?))
}

#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = UnitInput,
    responses((status = 201, body = Unit), (status = 422, body = ErrorBody)))]
pub async fn create_unit(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<UnitInput>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_unit(&caller.actor(), input).await?),
    ))
}

#[utoipa::path(patch, path = "/api/v1/units/{id}", tag = "units", params(("id" = Uuid, Path)), request_body = UnitPatch,
    responses((status = 200, body = Unit), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_unit(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(patch): ApiJson<UnitPatch>,
) -> Result<Json<Unit>, AppError> {
    let mut input = UnitInput::from_unit(&state.store.get_unit(id).await?);
    if let Some(v) = patch.name {
        input.name = v
    }
    if let Some(v) = patch.description {
        input.description = v
    }
    if let Some(v) = patch.parent_id {
        input.parent_id = v
    }
    if let Some(v) = patch.head_id {
        input.head_id = v
    }
    Ok(Json(
        state.store.update_unit(&caller.actor(), id, input).await?,
    ))
}
