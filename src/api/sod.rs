//! Segregation of duties over JSON: the rules, the people in conflict today, and exceptions
//! decided by top management (never by the requester).

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::ToSchema;

use super::params::{ApiJson, RecordId};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::sod::{
    SodException, SodExceptionDecisionInput, SodExceptionInput, SodRule, SodRuleInput, SodViolation,
};
use crate::error::{AppError, ErrorBody};
use crate::role_actions;

/// A decision on an exception; the decider confirms it with their password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SodDecisionRequest {
    #[serde(flatten)]
    pub decision: SodExceptionDecisionInput,
    pub password: String,
}

/// The rules: two roles, or two RACI duties, one person must not hold together.
#[utoipa::path(get, path = "/api/v1/sod/rules", tag = "roles",
    responses((status = 200, body = Vec<SodRule>)))]
pub async fn list_rules(State(state): State<AppState>) -> Result<Json<Vec<SodRule>>, AppError> {
    Ok(Json(state.store.list_sod_rules().await?))
}

/// Adds a rule, with why the two must be kept apart; it applies to assignments made from now
/// on and shows the people already in conflict among the violations.
#[utoipa::path(post, path = "/api/v1/sod/rules", tag = "roles", request_body = SodRuleInput,
    responses((status = 201, body = SodRule), (status = 422, body = ErrorBody)))]
pub async fn create_rule(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<SodRuleInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let rule = state.store.create_sod_rule(&caller.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(rule)))
}

#[utoipa::path(delete, path = "/api/v1/sod/rules/{id}", tag = "roles", params(("id" = Uuid, Path)),
    responses((status = 204, description = "Removed"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove_rule(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<StatusCode, AppError> {
    state.store.remove_sod_rule(&caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every person in conflict today under every rule, with the exception that covers it; one
/// without (`covered_by` null) is a nonconformity.
#[utoipa::path(get, path = "/api/v1/sod/violations", tag = "roles",
    responses((status = 200, body = Vec<SodViolation>)))]
pub async fn list_violations(
    State(state): State<AppState>,
) -> Result<Json<Vec<SodViolation>>, AppError> {
    Ok(Json(state.store.sod_violations(today()).await?))
}

/// Exceptions, requested and decided; `active` and `expired` are read from today's date.
#[utoipa::path(get, path = "/api/v1/sod/exceptions", tag = "roles",
    responses((status = 200, body = Vec<SodException>)))]
pub async fn list_exceptions(
    State(state): State<AppState>,
) -> Result<Json<Vec<SodException>>, AppError> {
    Ok(Json(state.store.list_sod_exceptions(today()).await?))
}

/// Asks top management to let one person hold what a rule keeps apart, until a date within a
/// year, with the justification and the compensating controls.
#[utoipa::path(post, path = "/api/v1/sod/exceptions", tag = "roles", request_body = SodExceptionInput,
    responses((status = 201, body = SodException, headers(("Location" = String))), (status = 422, body = ErrorBody)))]
pub async fn request_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<SodExceptionInput>,
) -> Result<impl IntoResponse, AppError> {
    let today = today();
    let input = input.validate(today).map_err(AppError::Invalid)?;
    let exception = state
        .store
        .request_sod_exception(&caller.account, input, today)
        .await?;
    let location = format!("/api/v1/sod/exceptions/{}", exception.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(exception),
    ))
}

#[utoipa::path(get, path = "/api/v1/sod/exceptions/{id}", tag = "roles", params(("id" = Uuid, Path)),
    responses((status = 200, body = SodException), (status = 404, body = ErrorBody)))]
pub async fn get_exception(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<SodException>, AppError> {
    Ok(Json(state.store.get_sod_exception(id, today()).await?))
}

/// Approves or rejects a requested exception, confirmed with the decider's password (422 when
/// wrong). The decider holds top management today, directly or through a role of the catalog,
/// and did not ask for the exception (403).
#[utoipa::path(post, path = "/api/v1/sod/exceptions/{id}/decision", tag = "roles", params(("id" = Uuid, Path)),
    request_body = SodDecisionRequest,
    responses((status = 200, body = SodException), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<SodDecisionRequest>,
) -> Result<Json<SodException>, AppError> {
    let decided = role_actions::decide_sod_exception(
        state.store.as_ref(),
        &caller,
        id,
        request.decision,
        &request.password,
        today(),
    )
    .await?;
    Ok(Json(decided))
}
