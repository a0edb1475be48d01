//! The organization profile over JSON.

use axum::Json;
use axum::extract::State;

use super::params::ApiJson;
use crate::app::AppState;
use crate::auth::Caller;
use crate::domain::{OrgProfile, OrgProfileInput};
use crate::error::{AppError, ErrorBody};

#[utoipa::path(get, path = "/api/v1/organization", tag = "organization", responses((status = 200, body = OrgProfile)))]
pub async fn get_organization(State(state): State<AppState>) -> Result<Json<OrgProfile>, AppError> {
    Ok(Json(state.store.organization().await?))
}

#[utoipa::path(put, path = "/api/v1/organization", tag = "organization", request_body = OrgProfileInput,
    responses((status = 200, body = OrgProfile), (status = 422, body = ErrorBody)))]
pub async fn update_organization(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<OrgProfileInput>,
) -> Result<Json<OrgProfile>, AppError> {
    Ok(Json(
        state
            .store
            .update_organization(&caller.actor(), input)
            .await?,
    ))
}
