//! JSON handlers for concerns: part of the confidential reporting channel: concerns, follow-up codes and the answers (A.6.8).
//!
//! The reporter's routes are public and never look at the caller: a signed-in reporter's report
//! is not linked to their account. They need no CSRF token, as the sign-in does not: they act
//! with no one's authority (a forged request could only do what anyone may). The client's
//! address is used only to limit what one source sends per minute, as a keyed hash held in
//! memory for at most a minute (`SourceLimiter`), never stored or logged. The handlers'
//! routes are for concern handlers only; the store checks the role again. Every answer is
//! `Cache-Control: no-store`, so no shared cache keeps a report or a code.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use crate::app::AppState;
use crate::auth::{Caller, ClientAddress};
use crate::domain::Page;
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::concern::{
    Concern, ConcernFilter, ConcernInput, ConcernReceipt, ConcernSettings, ConcernSettingsInput,
    ConcernStatus, ConcernSummary, FollowUp, Sent, check_message,
};
use crate::error::{AppError, ErrorBody};
use crate::store::concerns::ConcernError;

/// The routes of this module, each behind its permission.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    use Permission::{HandleConcerns, Public};
    OpenApiRouter::new()
        .routes(super::with(Public, routes!(report_concern)))
        .routes(super::with(Public, routes!(follow_up)))
        .routes(super::with(Public, routes!(reply)))
        .routes(super::with(HandleConcerns, routes!(list_concerns)))
        .routes(super::with(HandleConcerns, routes!(get_concern)))
        .routes(super::with(HandleConcerns, routes!(answer_concern)))
        .routes(super::with(HandleConcerns, routes!(set_status)))
        .routes(super::with(HandleConcerns, routes!(get_settings)))
        .routes(super::with(HandleConcerns, routes!(update_settings)))
}

/// A JSON answer no cache keeps.
fn private<T: Serialize>(status: StatusCode, body: T) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A refusal of the reporter's side: 409 when the channel is closed, 429 (with `Retry-After`)
/// beyond a limit.
pub fn refusal(error: ConcernError) -> Response {
    match error {
        ConcernError::ChannelClosed => AppError::Conflict(error.to_string()).into_response(),
        ConcernError::Throttled(message) => {
            let mut response = AppError::TooManyRequests(message).into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            response
        }
        ConcernError::Store(error) => AppError::from(error).into_response(),
    }
}

/// The follow-up code, in the body only (never in an address).
#[derive(Debug, Deserialize, ToSchema)]
pub struct FollowUpRequest {
    pub code: String,
}

/// A reply of the reporter.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplyRequest {
    pub code: String,
    pub message: String,
}

/// A handler's answer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerRequest {
    pub message: String,
}

/// Where a handler moves a concern.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusRequest {
    pub status: ConcernStatus,
}

/// Reports a concern, signed in or not. Nothing about the caller is kept (no account, address,
/// browser or session). The answer carries the follow-up code once; only its hash is kept.
/// One network source sends at most 5 reports a minute (counted under a keyed hash of its
/// address, in memory for at most a minute).
#[utoipa::path(post, path = "/api/v1/concerns", tag = "concerns", request_body = ConcernInput,
    responses((status = 201, body = ConcernReceipt), (status = 409, body = ErrorBody, description = "The channel is closed"),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody, description = "Too many reports this minute, from this source or in all")))]
pub async fn report_concern(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(input): ApiJson<ConcernInput>,
) -> Response {
    let input = match input.validate() {
        Ok(input) => input,
        Err(fields) => return AppError::Invalid(fields).into_response(),
    };
    if let Err(message) = state.concern_sources.take(&address, Sent::Report) {
        return refusal(ConcernError::Throttled(message));
    }
    match state
        .store
        .report_concern(input, OffsetDateTime::now_utc())
        .await
    {
        Ok(receipt) => private(StatusCode::CREATED, receipt),
        Err(error) => refusal(error),
    }
}

/// The report a follow-up code opens: its status and the conversation. Any code that opens
/// none gets the same 404.
#[utoipa::path(post, path = "/api/v1/concerns/follow-up", tag = "concerns", request_body = FollowUpRequest,
    responses((status = 200, body = FollowUp), (status = 404, body = ErrorBody)))]
pub async fn follow_up(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<FollowUpRequest>,
) -> Result<Response, AppError> {
    let follow_up = state
        .store
        .follow_up_concern(&request.code, OffsetDateTime::now_utc())
        .await?;
    Ok(private(StatusCode::OK, follow_up))
}

/// The reporter replies with their code (at most 10 replies a day on one report, and 20 a
/// minute from one network source).
#[utoipa::path(post, path = "/api/v1/concerns/follow-up/reply", tag = "concerns", request_body = ReplyRequest,
    responses((status = 200, body = FollowUp), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "The report is closed"),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn reply(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(request): ApiJson<ReplyRequest>,
) -> Response {
    if let Err(fields) = check_message("message", &request.message) {
        return AppError::Invalid(fields).into_response();
    }
    if let Err(message) = state.concern_sources.take(&address, Sent::Reply) {
        return refusal(ConcernError::Throttled(message));
    }
    match state
        .store
        .reply_to_concern(&request.code, &request.message, OffsetDateTime::now_utc())
        .await
    {
        Ok(follow_up) => private(StatusCode::OK, follow_up),
        Err(error) => refusal(error),
    }
}

/// Which concerns to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConcernsQuery {
    /// `received`, `acknowledged`, `in_progress` or `closed`.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>)]
    pub status: Option<ConcernStatus>,
    /// Only those past their receipt or response target.
    #[serde(default)]
    pub overdue: bool,
    /// Only those received and not yet acknowledged, still within the receipt target.
    #[serde(default)]
    pub awaiting_receipt: bool,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Concerns, those past a target first (no contact details in the list).
#[utoipa::path(get, path = "/api/v1/concerns", tag = "concerns", params(ConcernsQuery),
    responses((status = 200, body = Page<ConcernSummary>), (status = 403, body = ErrorBody)))]
pub async fn list_concerns(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiQuery(query): ApiQuery<ConcernsQuery>,
) -> Result<Response, AppError> {
    let filter = ConcernFilter {
        status: query.status,
        overdue: query.overdue,
        awaiting_receipt: query.awaiting_receipt,
    };
    let page = PageRequest::new(query.page, query.per_page);
    let list = state
        .store
        .list_concerns(&caller.account, filter, OffsetDateTime::now_utc(), page)
        .await?;
    Ok(private(StatusCode::OK, list))
}

/// A concern whole: the description, the contact if given, the conversation.
#[utoipa::path(get, path = "/api/v1/concerns/{id}", tag = "concerns", params(("id" = Uuid, Path)),
    responses((status = 200, body = Concern), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_concern(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Response, AppError> {
    let concern = state
        .store
        .get_concern(&caller.account, id, OffsetDateTime::now_utc())
        .await?;
    Ok(private(StatusCode::OK, concern))
}

/// Answers the reporter (`concern.answered`); a first answer also acknowledges receipt.
#[utoipa::path(post, path = "/api/v1/concerns/{id}/messages", tag = "concerns", params(("id" = Uuid, Path)),
    request_body = AnswerRequest,
    responses((status = 201, body = Concern), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The concern is closed"), (status = 422, body = ErrorBody)))]
pub async fn answer_concern(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<AnswerRequest>,
) -> Result<Response, AppError> {
    let concern = state
        .store
        .answer_concern(
            &caller.account,
            id,
            &request.message,
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(private(StatusCode::CREATED, concern))
}

/// Acknowledges receipt, marks in progress, closes, or reopens a closed concern.
#[utoipa::path(post, path = "/api/v1/concerns/{id}/status", tag = "concerns", params(("id" = Uuid, Path)),
    request_body = StatusRequest,
    responses((status = 200, body = Concern), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_status(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<StatusRequest>,
) -> Result<Response, AppError> {
    let concern = state
        .store
        .set_concern_status(
            &caller.account,
            id,
            request.status,
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(private(StatusCode::OK, concern))
}

/// The channel's settings: open or closed, receipt and response targets, the limits per minute
/// (new reports and replies each their own).
#[utoipa::path(get, path = "/api/v1/concern-settings", tag = "concerns",
    responses((status = 200, body = ConcernSettings), (status = 403, body = ErrorBody)))]
pub async fn get_settings(
    State(state): State<AppState>,
) -> Result<Json<ConcernSettings>, AppError> {
    Ok(Json(state.store.concern_settings().await?))
}

/// Changes the settings (`concern_settings.updated`); the targets apply to concerns received
/// from then on.
#[utoipa::path(put, path = "/api/v1/concern-settings", tag = "concerns", request_body = ConcernSettingsInput,
    responses((status = 200, body = ConcernSettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_settings(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<ConcernSettingsInput>,
) -> Result<Json<ConcernSettings>, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let settings = state
        .store
        .update_concern_settings(&caller.account, input)
        .await?;
    Ok(Json(settings))
}
