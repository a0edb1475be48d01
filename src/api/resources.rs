//! Resource commitments over JSON (5.1.c): requests, top management's decisions (never the
//! requester's, approval confirmed with the password), withdrawals and "none needed" decisions.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use crate::app::AppState;
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::domain::resource::{
    CommitmentStatus, ResourceCommitment, ResourceCommitmentInput, ResourceDecision,
    ResourceDecisionInput, ResourceFilter, ResourceKind,
};
use crate::domain::{Page, PageRequest};
use crate::error::{AppError, ErrorBody};
use crate::policy_actions::confirm;
use crate::store::Store;

/// Filters and paging for the list of commitments.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResourceQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<ResourceKind>)]
    pub kind: Option<ResourceKind>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<CommitmentStatus>)]
    pub status: Option<CommitmentStatus>,
    /// Asked for by this person.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub requested_by: Option<Uuid>,
    /// Periods that end on or after this day (YYYY-MM-DD).
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<IsoDate>,
    /// Periods that start on or before this day (YYYY-MM-DD).
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<IsoDate>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page (1 to 500, default 50).
    pub per_page: Option<u32>,
}

/// A `YYYY-MM-DD` day read from a query string.
#[derive(Debug, Clone, Copy)]
pub struct IsoDate(pub Date);

impl std::str::FromStr for IsoDate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
            .map_err(|_| format!("'{s}' is not a date (YYYY-MM-DD)"))
            .and_then(crate::domain::iso_date::within_range)
            .map(IsoDate)
    }
}

impl ResourceQuery {
    fn split(self) -> (ResourceFilter, PageRequest) {
        let filter = ResourceFilter {
            kind: self.kind,
            status: self.status,
            requested_by: self.requested_by,
            awaiting_decision_by: None,
            from: self.from.map(|d| d.0),
            to: self.to.map(|d| d.0),
        };
        (filter, PageRequest::new(self.page, self.per_page))
    }
}

/// A decision with its comment; approving is confirmed with the decider's password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResourceDecisionRequest {
    #[serde(flatten)]
    pub decision: ResourceDecisionInput,
    /// Required to approve: approving commits the organization's resources.
    #[serde(default)]
    pub password: Option<String>,
}

/// Decides a request after checking the comment and, to approve, the password; the store checks
/// that the decider holds top management today and did not ask for it.
pub(crate) async fn decide_confirmed(
    store: &dyn Store,
    principal: &Principal,
    id: Uuid,
    decision: ResourceDecisionInput,
    password: &str,
) -> Result<ResourceCommitment, AppError> {
    let decision = decision.validate().map_err(AppError::Invalid)?;
    if decision.decision == ResourceDecision::Approve {
        confirm(store, principal, password).await?;
    }
    Ok(store
        .decide_resources(&principal.account, id, decision)
        .await?)
}

/// Commitments, requests awaiting a decision first.
#[utoipa::path(get, path = "/api/v1/resource-commitments", tag = "leadership", params(ResourceQuery),
    responses((status = 200, body = Page<ResourceCommitment>), (status = 400, body = ErrorBody)))]
pub async fn list_resource_commitments(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ResourceQuery>,
) -> Result<Json<Page<ResourceCommitment>>, AppError> {
    let (filter, page) = query.split();
    Ok(Json(
        state.store.list_resource_commitments(&filter, page).await?,
    ))
}

/// Asks top management for resources, as the caller's person. With `none_needed`, a member of
/// top management records instead that no additional resources of the type are needed for the
/// period (403 for anyone else).
#[utoipa::path(post, path = "/api/v1/resource-commitments", tag = "leadership",
    request_body = ResourceCommitmentInput,
    responses((status = 201, body = ResourceCommitment, headers(("Location" = String))),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_resources(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<ResourceCommitmentInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let record = state
        .store
        .request_resources(&caller.account, input)
        .await?;
    let location = format!("/api/v1/resource-commitments/{}", record.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(record),
    ))
}

#[utoipa::path(get, path = "/api/v1/resource-commitments/{id}", tag = "leadership",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ResourceCommitment), (status = 404, body = ErrorBody)))]
pub async fn get_resource_commitment(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<ResourceCommitment>, AppError> {
    Ok(Json(state.store.get_resource_commitment(id).await?))
}

/// Approves or rejects a request, with a comment; approving needs the decider's password. The
/// decider holds top management today and is not the person who asked (403 otherwise); a
/// request already decided or withdrawn is a 409.
#[utoipa::path(post, path = "/api/v1/resource-commitments/{id}/decision", tag = "leadership",
    params(("id" = Uuid, Path)), request_body = ResourceDecisionRequest,
    responses((status = 200, body = ResourceCommitment), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn decide_resources(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<ResourceDecisionRequest>,
) -> Result<Json<ResourceCommitment>, AppError> {
    let password = request.password.unwrap_or_default();
    let store = state.store.as_ref();
    let decided = decide_confirmed(store, &caller, id, request.decision, &password).await?;
    Ok(Json(decided))
}

/// The requester takes back a request still awaiting a decision.
#[utoipa::path(post, path = "/api/v1/resource-commitments/{id}/withdraw", tag = "leadership",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ResourceCommitment), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw_resources(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<ResourceCommitment>, AppError> {
    Ok(Json(
        state.store.withdraw_resources(&caller.account, id).await?,
    ))
}

/// The routes of this module, each behind its permission.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use Permission::{DecideResources, ReadLeadership, RequestResources};
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::new()
        .routes(super::with(
            ReadLeadership,
            routes!(list_resource_commitments),
        ))
        .routes(super::with(RequestResources, routes!(request_resources)))
        .routes(super::with(
            ReadLeadership,
            routes!(get_resource_commitment),
        ))
        .routes(super::with(DecideResources, routes!(decide_resources)))
        .routes(super::with(RequestResources, routes!(withdraw_resources)))
}
