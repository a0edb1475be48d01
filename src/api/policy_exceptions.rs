//! Exceptions to policies and share links to restricted policies, over JSON.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::policy_exception::{
    ExceptionDecisionInput, ExceptionFilter, ExceptionInput, ExceptionState, MAX_SHARE_DAYS,
    PolicyException, ShareLink,
};
use crate::domain::{FieldErrors, Page, PageRequest};
use crate::error::{AppError, ErrorBody};
use crate::policy_actions;

/// Filters and paging for the exception register.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExceptionsQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub policy_id: Option<Uuid>,
    /// `active` and `expired` are decided on today's date.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<ExceptionState>)]
    pub state: Option<ExceptionState>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A decision on an exception request; approving needs the password again.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExceptionDecisionRequest {
    #[serde(flatten)]
    pub decision: ExceptionDecisionInput,
    pub password: String,
}

/// A new share link for a restricted policy.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ShareLinkRequest {
    /// Whom the link is for.
    pub label: String,
    /// How many days the link works (1 to 90, default 14).
    #[serde(default = "default_days")]
    pub days: i64,
}

fn default_days() -> i64 {
    14
}

/// A created link: the token appears here once and is never stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedShareLink {
    pub link: ShareLink,
    /// The path to give the reader: `/trust/shared/{token}`.
    pub path: String,
}

#[utoipa::path(get, path = "/api/v1/policy-exceptions", tag = "policies", params(ExceptionsQuery),
    responses((status = 200, body = Page<PolicyException>), (status = 400, body = ErrorBody)))]
pub async fn list_exceptions(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ExceptionsQuery>,
) -> Result<Json<Page<PolicyException>>, AppError> {
    let filter = ExceptionFilter {
        policy_id: query.policy_id,
        state: query.state,
    };
    let page = PageRequest::new(query.page, query.per_page);
    Ok(Json(
        state.store.list_exceptions(&filter, today(), page).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/policy-exceptions/{id}", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = PolicyException), (status = 404, body = ErrorBody)))]
pub async fn get_exception(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<PolicyException>, AppError> {
    Ok(Json(state.store.get_exception(id, today()).await?))
}

/// Requests an exception to a policy (a renewal names the exception it renews).
#[utoipa::path(post, path = "/api/v1/policies/{id}/exceptions", tag = "policies", params(("id" = Uuid, Path)), request_body = ExceptionInput,
    responses((status = 201, body = PolicyException), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(input): ApiJson<ExceptionInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate(today()).map_err(AppError::Invalid)?;
    let exception = state
        .store
        .request_exception(&caller.account, id, input, today())
        .await?;
    Ok((StatusCode::CREATED, Json(exception)))
}

/// Approves or rejects; only a holder of the policy's approver role who is not the requester.
#[utoipa::path(post, path = "/api/v1/policy-exceptions/{id}/decision", tag = "policies", params(("id" = Uuid, Path)), request_body = ExceptionDecisionRequest,
    responses((status = 200, body = PolicyException), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<ExceptionDecisionRequest>,
) -> Result<Json<PolicyException>, AppError> {
    let store = state.store.as_ref();
    let decided = policy_actions::decide_exception(
        store,
        &caller,
        id,
        request.decision,
        &request.password,
        today(),
    )
    .await?;
    Ok(Json(decided))
}

#[utoipa::path(post, path = "/api/v1/policy-exceptions/{id}/withdraw", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = PolicyException), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<PolicyException>, AppError> {
    Ok(Json(
        state
            .store
            .withdraw_exception(&caller.account, id, today())
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/policies/{id}/share-links", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<ShareLink>), (status = 404, body = ErrorBody)))]
pub async fn list_share_links(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<Vec<ShareLink>>, AppError> {
    state.store.get_policy(id).await?;
    Ok(Json(state.store.list_share_links(id).await?))
}

#[utoipa::path(post, path = "/api/v1/policies/{id}/share-links", tag = "policies", params(("id" = Uuid, Path)), request_body = ShareLinkRequest,
    responses((status = 201, body = CreatedShareLink), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_share_link(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<ShareLinkRequest>,
) -> Result<impl IntoResponse, AppError> {
    if !(1..=MAX_SHARE_DAYS).contains(&request.days) {
        return Err(AppError::Invalid(FieldErrors::single(
            "days",
            format!("must be between 1 and {MAX_SHARE_DAYS}"),
        )));
    }
    let (link, token) = policy_actions::create_share_link(
        state.store.as_ref(),
        &caller,
        id,
        &request.label,
        request.days,
    )
    .await?;
    let path = format!("/trust/shared/{token}");
    Ok((StatusCode::CREATED, Json(CreatedShareLink { link, path })))
}

#[utoipa::path(post, path = "/api/v1/policy-share-links/{id}/revoke", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = ShareLink), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_share_link(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<ShareLink>, AppError> {
    Ok(Json(
        state.store.revoke_share_link(&caller.account, id).await?,
    ))
}
