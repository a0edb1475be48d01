//! Management reviews (5.1.g) over JSON: drafts prepared by the ISMS team, their inputs (live
//! while a draft, frozen at sign-off), decisions with the improvement actions they start, and the
//! chair's sign-off with the password again.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::domain::review::{
    DecisionInput, ManagementReview, ReviewDecision, ReviewFilter, ReviewInput, ReviewInputs,
    ReviewPack, ReviewPatch, ReviewStatus, ReviewSummary,
};
use crate::domain::{Page, PageRequest};
use crate::error::{AppError, ErrorBody};
use crate::isms_status::read_isms_status;
use crate::policy_actions::confirm;
use crate::store::{Store, StoreResult};

/// The routes of this module, each behind its permission.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    use Permission::{ManageLeadership, ReadLeadership, SignReviews};
    OpenApiRouter::new()
        .routes(super::with(ReadLeadership, routes!(list_reviews)))
        .routes(super::with(ManageLeadership, routes!(create_review)))
        .routes(super::with(ReadLeadership, routes!(get_review)))
        .routes(super::with(ManageLeadership, routes!(update_review)))
        .routes(super::with(ReadLeadership, routes!(get_pack)))
        .routes(super::with(ManageLeadership, routes!(add_decision)))
        .routes(super::with(SignReviews, routes!(sign_off)))
}

/// The inputs as they stand now: the ISMS status and the actions of earlier reviews.
async fn live_inputs(
    store: &dyn Store,
    review_id: Uuid,
    now: OffsetDateTime,
) -> StoreResult<ReviewInputs> {
    Ok(ReviewInputs {
        isms: read_isms_status(store, now).await?,
        previous_actions: store.previous_review_actions(review_id, now.date()).await?,
    })
}

/// A review's pack: frozen once signed (its hash checked again), read live while a draft.
pub(crate) async fn review_pack(
    store: &dyn Store,
    review: &ManagementReview,
    now: OffsetDateTime,
) -> Result<ReviewPack, AppError> {
    if review.status == ReviewStatus::Signed
        && let Some(frozen) = store.frozen_review_pack(review.id).await?
    {
        let inputs = serde_json::from_str(&frozen.json).map_err(|e| {
            AppError::Internal(format!(
                "the frozen pack of {} cannot be read: {e}",
                review.id
            ))
        })?;
        let read = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
            frozen.json.as_bytes(),
        ));
        return Ok(ReviewPack {
            review_id: review.id,
            frozen: true,
            intact: read == frozen.sha256,
            sha256: Some(frozen.sha256),
            inputs,
        });
    }
    Ok(ReviewPack {
        review_id: review.id,
        frozen: false,
        sha256: None,
        intact: true,
        inputs: live_inputs(store, review.id, now).await?,
    })
}

/// The chair's sign-off: the password again, then the inputs read now and frozen by the store,
/// which checks the chair, their top-management role and the attendance.
pub(crate) async fn sign_review(
    store: &dyn Store,
    principal: &Principal,
    id: Uuid,
    password: &str,
) -> Result<ManagementReview, AppError> {
    confirm(store, principal, password).await?;
    let inputs = live_inputs(store, id, OffsetDateTime::now_utc()).await?;
    Ok(store
        .sign_management_review(&principal.account, id, &inputs)
        .await?)
}

/// Filter and paging for the review list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewsQuery {
    /// `draft` or `signed`.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>)]
    pub status: Option<ReviewStatus>,
    /// The chair's person id.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>)]
    pub chair_id: Option<Uuid>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Reviews, the latest held first.
#[utoipa::path(get, path = "/api/v1/management-reviews", tag = "leadership", params(ReviewsQuery),
    responses((status = 200, body = Page<ReviewSummary>), (status = 400, body = ErrorBody)))]
pub async fn list_reviews(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ReviewsQuery>,
) -> Result<Json<Page<ReviewSummary>>, AppError> {
    let filter = ReviewFilter {
        status: query.status,
        chair_id: query.chair_id,
    };
    let page = PageRequest::new(query.page, query.per_page);
    Ok(Json(
        state.store.list_management_reviews(&filter, page).await?,
    ))
}

/// Prepares a draft review: the chair must hold a top-management role on the day (422).
#[utoipa::path(post, path = "/api/v1/management-reviews", tag = "leadership", request_body = ReviewInput,
    responses((status = 201, body = ManagementReview, headers(("Location" = String))), (status = 422, body = ErrorBody)))]
pub async fn create_review(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<ReviewInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let review = state
        .store
        .create_management_review(&caller.account, input)
        .await?;
    let location = format!("/api/v1/management-reviews/{}", review.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(review),
    ))
}

/// The review with its attendees (top management marked), minutes, decisions and their actions.
#[utoipa::path(get, path = "/api/v1/management-reviews/{id}", tag = "leadership", params(("id" = Uuid, Path)),
    responses((status = 200, body = ManagementReview), (status = 404, body = ErrorBody)))]
pub async fn get_review(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<ManagementReview>, AppError> {
    Ok(Json(state.store.get_management_review(id).await?))
}

/// Changes a draft (only the fields given; `attendee_ids` replaces the list); 409 once signed.
#[utoipa::path(patch, path = "/api/v1/management-reviews/{id}", tag = "leadership", params(("id" = Uuid, Path)),
    request_body = ReviewPatch,
    responses((status = 200, body = ManagementReview), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_review(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(patch): ApiJson<ReviewPatch>,
) -> Result<Json<ManagementReview>, AppError> {
    let review = state
        .store
        .update_management_review(&caller.account, id, patch)
        .await?;
    Ok(Json(review))
}

/// The inputs of the review: read live from the records while it is a draft, and exactly as
/// frozen (with their SHA-256) once the chair signed it; `intact` says whether the stored inputs
/// still have that SHA-256, computed again on every read.
#[utoipa::path(get, path = "/api/v1/management-reviews/{id}/pack", tag = "leadership", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewPack), (status = 404, body = ErrorBody)))]
pub async fn get_pack(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<ReviewPack>, AppError> {
    let store = state.store.as_ref();
    let review = store.get_management_review(id).await?;
    Ok(Json(
        review_pack(store, &review, OffsetDateTime::now_utc()).await?,
    ))
}

/// Records a typed decision in a draft, with the improvement actions it starts (each with an
/// owner and a due date); 409 once signed.
#[utoipa::path(post, path = "/api/v1/management-reviews/{id}/decisions", tag = "leadership", params(("id" = Uuid, Path)),
    request_body = DecisionInput,
    responses((status = 201, body = ReviewDecision), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_decision(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let decision = state
        .store
        .add_review_decision(&caller.account, id, input, today())
        .await?;
    Ok((StatusCode::CREATED, Json(decision)))
}

/// The chair's password, confirming the sign-off.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignOffRequest {
    pub password: String,
}

/// The chair signs the review off (the password again, 422 when wrong): only the chair, holding
/// top management (403), once a member of top management is recorded as attending (409). The
/// inputs are frozen with their SHA-256 and the record is locked: every later change is a 409.
#[utoipa::path(post, path = "/api/v1/management-reviews/{id}/sign-off", tag = "leadership", params(("id" = Uuid, Path)),
    request_body = SignOffRequest,
    responses((status = 200, body = ManagementReview), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sign_off(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<SignOffRequest>,
) -> Result<Json<ManagementReview>, AppError> {
    let store = state.store.as_ref();
    Ok(Json(
        sign_review(store, &caller, id, &request.password).await?,
    ))
}
