//! Policy versions over JSON: drafts, the lifecycle steps, sign-off with the password again,
//! comments, decisions, the content check, side-by-side diffs, and HTML and PDF exports.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::campaigns::optional_body;
use super::params::{ApiJson, ApiQuery, RecordId};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::campaign_actions;
use crate::document::content_check::ContentReport;
use crate::document::diff::{SideBySide, side_by_side};
use crate::domain::access::Permission;
use crate::domain::campaign::{Campaign, MAX_DUE_DAYS};
use crate::domain::policy_version::{
    Comment, Decision, DraftInput, PolicyVersion, Transition, VersionHeader,
};
use crate::error::{AppError, ErrorBody};
use crate::policy_actions::{self, readable_version};
use crate::store::StoreError;

/// A sign-off: the approver's password and the statement they sign.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApproveRequest {
    pub password: String,
    /// For example: "I approve this policy on behalf of the board."
    pub statement: String,
}

/// Options of publishing; all may be left out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// For a major version: launch a campaign asking the policy's audience to acknowledge it
    /// (default true).
    #[serde(default = "default_true")]
    pub reacknowledge: bool,
    /// Days the campaign gives people (1 to 365, default 14).
    #[serde(default = "default_due_in_days")]
    pub due_in_days: i64,
}

impl Default for PublishRequest {
    fn default() -> Self {
        Self {
            reacknowledge: true,
            due_in_days: default_due_in_days(),
        }
    }
}

impl PublishRequest {
    fn validate(&self) -> Result<(), AppError> {
        if (1..=MAX_DUE_DAYS).contains(&self.due_in_days) {
            Ok(())
        } else {
            Err(AppError::Invalid(crate::domain::FieldErrors::single(
                "due_in_days",
                format!("must be between 1 and {MAX_DUE_DAYS}"),
            )))
        }
    }
}

fn default_true() -> bool {
    true
}

fn default_due_in_days() -> i64 {
    campaign_actions::DEFAULT_DAYS_TO_ACKNOWLEDGE
}

/// The published version, and the re-acknowledgment campaign when one was asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedVersion {
    #[serde(flatten)]
    pub version: PolicyVersion,
    /// Present for a major version after the first, unless `reacknowledge` was false.
    pub reacknowledgment: Option<Reacknowledgment>,
}

/// The campaign launched after a major version was published, or why there is none.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reacknowledgment {
    pub campaign: Option<Campaign>,
    pub not_launched: Option<String>,
}

impl Reacknowledgment {
    fn not_launched(reason: String) -> Self {
        Self {
            campaign: None,
            not_launched: Some(reason),
        }
    }
}

/// A rejection returns the version to draft with the reason.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RejectRequest {
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentRequest {
    pub body: String,
}

/// The other version of a diff.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older version to compare with (the same policy).
    pub against: Uuid,
}

#[utoipa::path(get, path = "/api/v1/policies/{id}/versions", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<VersionHeader>), (status = 404, body = ErrorBody)))]
pub async fn list_versions(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<Vec<VersionHeader>>, AppError> {
    let versions = state.store.list_versions(id).await?;
    Ok(Json(versions.iter().map(VersionHeader::from).collect()))
}

/// Starts the next version as a draft; the version in force stays in force until it is replaced.
#[utoipa::path(post, path = "/api/v1/policies/{id}/versions", tag = "policies", params(("id" = Uuid, Path)), request_body = DraftInput,
    responses((status = 201, body = PolicyVersion), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_draft(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(draft): ApiJson<DraftInput>,
) -> Result<impl IntoResponse, AppError> {
    let draft = draft.validate().map_err(AppError::Invalid)?;
    let version = state.store.create_draft(&caller.account, id, draft).await?;
    Ok((StatusCode::CREATED, Json(version)))
}

#[utoipa::path(get, path = "/api/v1/policy-versions/{id}", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = PolicyVersion), (status = 404, body = ErrorBody)))]
pub async fn get_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<PolicyVersion>, AppError> {
    Ok(Json(
        readable_version(state.store.as_ref(), &caller, id).await?,
    ))
}

/// Edits a draft; any other status answers 409 (approved and published versions are immutable).
#[utoipa::path(put, path = "/api/v1/policy-versions/{id}", tag = "policies", params(("id" = Uuid, Path)), request_body = DraftInput,
    responses((status = 200, body = PolicyVersion), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_draft(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(draft): ApiJson<DraftInput>,
) -> Result<Json<PolicyVersion>, AppError> {
    let draft = draft.validate().map_err(AppError::Invalid)?;
    Ok(Json(
        state.store.update_draft(&caller.account, id, draft).await?,
    ))
}

async fn step(
    state: &AppState,
    caller: &crate::auth::Principal,
    id: Uuid,
    step: Transition,
) -> Result<Json<PolicyVersion>, AppError> {
    Ok(Json(
        state
            .store
            .transition_version(&caller.account, id, step, "", today())
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/policy-versions/{id}/submit", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = PolicyVersion), (status = 409, body = ErrorBody)))]
pub async fn submit_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<PolicyVersion>, AppError> {
    step(&state, &caller, id, Transition::Submit).await
}

#[utoipa::path(post, path = "/api/v1/policy-versions/{id}/withdraw", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = PolicyVersion), (status = 409, body = ErrorBody)))]
pub async fn withdraw_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<PolicyVersion>, AppError> {
    step(&state, &caller, id, Transition::Withdraw).await
}

/// Publishing supersedes the version in force and starts the review clock again.
///
/// A major version after the first (2.0, 3.0, ...) asks the policy's audience to acknowledge it
/// again: unless `reacknowledge` is false, a campaign due in `due_in_days` days is launched
/// after the publication, and the answer carries it (or why it was not launched, such as an
/// audience with nobody in it; the publication stands either way). A minor version launches
/// none: acknowledgments of the version it replaces carry over. The body may be left out.
#[utoipa::path(post, path = "/api/v1/policy-versions/{id}/publish", tag = "policies", params(("id" = Uuid, Path)),
    request_body = Option<PublishRequest>,
    responses((status = 200, body = PublishedVersion), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    body: axum::body::Bytes,
) -> Result<Json<PublishedVersion>, AppError> {
    let request: PublishRequest = optional_body(&body)?;
    request.validate()?;
    let Json(version) = step(&state, &caller, id, Transition::Publish).await?;
    let reacknowledgment = if version.asks_reacknowledgment() && request.reacknowledge {
        Some(reacknowledge(&state, &caller, &version, request.due_in_days).await)
    } else {
        None
    };
    Ok(Json(PublishedVersion {
        version,
        reacknowledgment,
    }))
}

async fn reacknowledge(
    state: &AppState,
    caller: &crate::auth::Principal,
    version: &PolicyVersion,
    days: i64,
) -> Reacknowledgment {
    if !caller.may(Permission::ManageCampaigns) {
        return Reacknowledgment::not_launched("you may not launch campaigns".into());
    }
    let launched =
        campaign_actions::launch_reacknowledgment(state, &caller.account, version, days, today())
            .await;
    match launched {
        Ok(campaign) => Reacknowledgment {
            campaign: Some(campaign),
            not_launched: None,
        },
        Err(StoreError::Invalid(fields)) => Reacknowledgment::not_launched(fields.summary()),
        Err(error) => {
            let error = AppError::from(error);
            if let AppError::Internal(detail) = &error {
                tracing::error!(%detail, "re-acknowledgment campaign not launched");
            }
            Reacknowledgment::not_launched(error.to_string())
        }
    }
}

#[utoipa::path(post, path = "/api/v1/policy-versions/{id}/retire", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = PolicyVersion), (status = 409, body = ErrorBody)))]
pub async fn retire_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<PolicyVersion>, AppError> {
    step(&state, &caller, id, Transition::Retire).await
}

/// Signs the version off. Refused (403) unless the caller holds the policy's approver role and
/// neither wrote nor submitted the version; the checks are recorded with the decision.
#[utoipa::path(post, path = "/api/v1/policy-versions/{id}/approve", tag = "policies", params(("id" = Uuid, Path)), request_body = ApproveRequest,
    responses((status = 200, body = PolicyVersion), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn approve_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<ApproveRequest>,
) -> Result<Json<PolicyVersion>, AppError> {
    let store = state.store.as_ref();
    let version = policy_actions::decide_version(
        store,
        &caller,
        id,
        true,
        &request.password,
        &request.statement,
        today(),
    )
    .await?;
    Ok(Json(version))
}

#[utoipa::path(post, path = "/api/v1/policy-versions/{id}/reject", tag = "policies", params(("id" = Uuid, Path)), request_body = RejectRequest,
    responses((status = 200, body = PolicyVersion), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reject_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<RejectRequest>,
) -> Result<Json<PolicyVersion>, AppError> {
    let store = state.store.as_ref();
    let version =
        policy_actions::decide_version(store, &caller, id, false, "", &request.reason, today())
            .await?;
    Ok(Json(version))
}

#[utoipa::path(get, path = "/api/v1/policy-versions/{id}/decisions", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Decision>), (status = 404, body = ErrorBody)))]
pub async fn list_decisions(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<Vec<Decision>>, AppError> {
    state.store.get_version(id).await?;
    Ok(Json(state.store.version_decisions(id).await?))
}

#[utoipa::path(get, path = "/api/v1/policy-versions/{id}/comments", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Comment>), (status = 404, body = ErrorBody)))]
pub async fn list_comments(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<Vec<Comment>>, AppError> {
    state.store.get_version(id).await?;
    Ok(Json(state.store.version_comments(id).await?))
}

#[utoipa::path(post, path = "/api/v1/policy-versions/{id}/comments", tag = "policies", params(("id" = Uuid, Path)), request_body = CommentRequest,
    responses((status = 201, body = Comment), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_comment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<CommentRequest>,
) -> Result<impl IntoResponse, AppError> {
    let comment = state
        .store
        .add_comment(&caller.account, id, &request.body)
        .await?;
    Ok((StatusCode::CREATED, Json(comment)))
}

/// The content check of this version's text (5.2.a-d, A.5.1).
#[utoipa::path(get, path = "/api/v1/policy-versions/{id}/content-check", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, body = ContentReport), (status = 404, body = ErrorBody)))]
pub async fn check_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<ContentReport>, AppError> {
    let version = readable_version(state.store.as_ref(), &caller, id).await?;
    Ok(Json(
        policy_actions::content_check(state.store.as_ref(), &version.body).await?,
    ))
}

/// Side by side: `against` on the left, this version on the right.
#[utoipa::path(get, path = "/api/v1/policy-versions/{id}/diff", tag = "policies", params(("id" = Uuid, Path), DiffQuery),
    responses((status = 200, body = SideBySide), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn diff_versions(
    State(state): State<AppState>,
    RecordId(id): RecordId,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> Result<Json<SideBySide>, AppError> {
    let new = state.store.get_version(id).await?;
    let old = state.store.get_version(query.against).await?;
    if old.policy_id != new.policy_id {
        return Err(AppError::Invalid(crate::domain::FieldErrors::single(
            "against",
            "must be a version of the same policy",
        )));
    }
    Ok(Json(side_by_side(&old.body, &new.body, 3)))
}

/// The version as a standalone, print-ready HTML file.
#[utoipa::path(get, path = "/api/v1/policy-versions/{id}/export.html", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, body = ErrorBody)))]
pub async fn export_html(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Response, AppError> {
    let store = state.store.as_ref();
    let version = readable_version(store, &caller, id).await?;
    let policy = store.get_policy(version.policy_id).await?;
    let html = policy_actions::export_html(store, &policy, &version).await?;
    let name = policy_actions::export_file_name(&policy, &version, "html");
    Ok(attachment(
        "text/html; charset=utf-8",
        &name,
        html.into_bytes(),
    ))
}

/// The version as a PDF with a title block (version, approvers, approval date, content hash).
#[utoipa::path(get, path = "/api/v1/policy-versions/{id}/export.pdf", tag = "policies", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn export_pdf(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Response, AppError> {
    let store = state.store.as_ref();
    let version = readable_version(store, &caller, id).await?;
    let policy = store.get_policy(version.policy_id).await?;
    let pdf = policy_actions::export_pdf(store, &policy, &version).await?;
    let name = policy_actions::export_file_name(&policy, &version, "pdf");
    Ok(attachment("application/pdf", &name, pdf))
}

/// A download with its type and file name.
pub fn attachment(content_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
