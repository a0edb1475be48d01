//! Policies over JSON: the register, a policy with its versions, creating and editing, the
//! content check, and signed "reviewed, no change" records.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::document::content_check::ContentReport;
use crate::domain::person::iso_date;
use crate::domain::policy::{
    Policy, PolicyFilter, PolicyInput, PolicyKind, PolicySummary, ReviewState, Visibility,
};
use crate::domain::policy_version::{DraftInput, PolicyVersion, VersionHeader};
use crate::domain::{Page, PageRequest};
use crate::error::{AppError, ErrorBody};
use crate::policy_actions::{self, sees_records};
use crate::store::PolicyReview;

/// Filters and paging for the policy register.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PoliciesQuery {
    /// Words of the title.
    pub q: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<PolicyKind>)]
    pub kind: Option<PolicyKind>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<Visibility>)]
    pub visibility: Option<Visibility>,
    /// Only policies overdue for review.
    #[serde(default)]
    pub overdue: bool,
    /// Only policies with a version awaiting sign-off.
    #[serde(default)]
    pub in_review: bool,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub owner_id: Option<Uuid>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page (1 to 500, default 50).
    pub per_page: Option<u32>,
}

impl PoliciesQuery {
    /// The filter and page; callers who see only what is in force get only published policies.
    pub fn split(self, published_only: bool) -> (PolicyFilter, PageRequest) {
        let filter = PolicyFilter {
            q: self.q,
            kind: self.kind,
            visibility: self.visibility,
            overdue: self.overdue,
            in_review: self.in_review,
            owner_id: self.owner_id,
            published_only,
        };
        (filter, PageRequest::new(self.page, self.per_page))
    }
}

/// A new policy and the text of its first draft.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPolicy {
    #[serde(flatten)]
    pub policy: PolicyInput,
    #[serde(flatten)]
    pub draft: DraftInput,
}

/// A policy, where it stands, and its versions (for those who see drafts and history).
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyDetail {
    pub policy: Policy,
    /// The version in force, with its body.
    pub published: Option<PolicyVersion>,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub next_review_due: Option<Date>,
    pub review_state: ReviewState,
    /// Newest first; empty for callers who see only the version in force.
    pub versions: Vec<VersionHeader>,
}

/// A created policy with its first draft.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedPolicy {
    pub policy: Policy,
    pub draft: PolicyVersion,
}

/// A body to check, for the editor's live check.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckRequest {
    pub body: String,
}

/// A signed "reviewed, no change".
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// The reviewer's password, confirming a deliberate act.
    pub password: String,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(get, path = "/api/v1/policies", tag = "policies", params(PoliciesQuery),
    responses((status = 200, body = Page<PolicySummary>), (status = 400, body = ErrorBody)))]
pub async fn list_policies(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiQuery(query): ApiQuery<PoliciesQuery>,
) -> Result<Json<Page<PolicySummary>>, AppError> {
    let (filter, page) = query.split(!sees_records(&caller));
    Ok(Json(
        state.store.list_policies(&filter, today(), page).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/policies", tag = "policies", request_body = NewPolicy,
    responses((status = 201, body = CreatedPolicy), (status = 422, body = ErrorBody)))]
pub async fn create_policy(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(new): ApiJson<NewPolicy>,
) -> Result<impl IntoResponse, AppError> {
    let (policy, draft) = validated(new)?;
    let (policy, draft) = state
        .store
        .create_policy(&caller.account, policy, draft)
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedPolicy { policy, draft })))
}

/// Both halves checked together, so every field error is reported at once.
fn validated(new: NewPolicy) -> Result<(PolicyInput, DraftInput), AppError> {
    match (new.policy.validate(), new.draft.validate()) {
        (Ok(policy), Ok(draft)) => Ok((policy, draft)),
        (policy, draft) => {
            let mut errors = crate::domain::FieldErrors::new();
            for result_errors in [policy.err(), draft.err()].into_iter().flatten() {
                for (field, messages) in result_errors.iter() {
                    for message in messages {
                        errors.add(field, message.clone());
                    }
                }
            }
            Err(AppError::Invalid(errors))
        }
    }
}

#[utoipa::path(get, path = "/api/v1/policies/{id}", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = PolicyDetail), (status = 404, body = ErrorBody)))]
pub async fn get_policy(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<PolicyDetail>, AppError> {
    let store = state.store.as_ref();
    let policy = store.get_policy(id).await?;
    let published = store.published_version(id).await?;
    let records = sees_records(&caller);
    if published.is_none() && !records {
        return Err(AppError::NotFound("policy"));
    }
    let versions = if records {
        let all = store.list_versions(id).await?;
        all.iter().map(VersionHeader::from).collect()
    } else {
        Vec::new()
    };
    Ok(Json(PolicyDetail {
        next_review_due: policy.next_review_due(),
        review_state: policy.review_state(today()),
        policy,
        published,
        versions,
    }))
}

#[utoipa::path(put, path = "/api/v1/policies/{id}", tag = "policies", params(("id" = Uuid, Path)), request_body = PolicyInput,
    responses((status = 200, body = Policy), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_policy(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(input): ApiJson<PolicyInput>,
) -> Result<Json<Policy>, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    Ok(Json(
        state
            .store
            .update_policy(&caller.account, id, input)
            .await?,
    ))
}

/// Checks any text for the elements 5.2.a-d and A.5.1 ask of the top-level policy.
#[utoipa::path(post, path = "/api/v1/policies/content-check", tag = "policies", request_body = CheckRequest,
    responses((status = 200, body = ContentReport), (status = 422, body = ErrorBody)))]
pub async fn check_content(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<CheckRequest>,
) -> Result<Json<ContentReport>, AppError> {
    if request.body.len() > crate::domain::policy_version::MAX_BODY_BYTES {
        return Err(AppError::Invalid(crate::domain::FieldErrors::single(
            "body",
            "must be at most 1 MiB",
        )));
    }
    Ok(Json(
        policy_actions::content_check(state.store.as_ref(), &request.body).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/policies/{id}/reviews", tag = "policies", params(("id" = Uuid, Path)), request_body = ReviewRequest,
    responses((status = 201, body = PolicyReview), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_review(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<ReviewRequest>,
) -> Result<impl IntoResponse, AppError> {
    let review = policy_actions::signed_review(
        state.store.as_ref(),
        &caller,
        id,
        &request.password,
        &request.note,
        today(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(review)))
}

#[utoipa::path(get, path = "/api/v1/policies/{id}/reviews", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<PolicyReview>), (status = 404, body = ErrorBody)))]
pub async fn list_reviews(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<Vec<PolicyReview>>, AppError> {
    state.store.get_policy(id).await?;
    Ok(Json(state.store.list_reviews(id).await?))
}
