//! Process integration over JSON (5.1.b): the organization's processes with how the ISMS is
//! built into each, stale ones first; edited by ISMS managers, verified by the owner or them.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::params::{ApiJson, RecordId, double_option};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::access::Permission;
use crate::domain::process::{Process, ProcessInput, VerificationInput};
use crate::error::{AppError, ErrorBody};

/// A partial update: only the fields present change; `"owner_id": null` clears the owner.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessPatch {
    pub name: Option<String>,
    pub integration: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub owner_id: Option<Option<Uuid>>,
    pub evidence: Option<String>,
    pub verification_interval_days: Option<i32>,
    pub key_process: Option<bool>,
}

impl ProcessPatch {
    pub fn apply(self, mut input: ProcessInput) -> ProcessInput {
        if let Some(v) = self.name {
            input.name = v;
        }
        if let Some(v) = self.integration {
            input.integration = v;
        }
        if let Some(v) = self.owner_id {
            input.owner_id = v;
        }
        if let Some(v) = self.evidence {
            input.evidence = v;
        }
        if let Some(v) = self.verification_interval_days {
            input.verification_interval_days = v;
        }
        if let Some(v) = self.key_process {
            input.key_process = v;
        }
        input
    }
}

/// Every process, stale first (never verified, or verified longer ago than its interval).
#[utoipa::path(get, path = "/api/v1/processes", tag = "leadership",
    responses((status = 200, body = Vec<Process>)))]
pub async fn list_processes(State(state): State<AppState>) -> Result<Json<Vec<Process>>, AppError> {
    Ok(Json(state.store.list_processes(today()).await?))
}

/// Adds a process of the organization, with how ISMS requirements are built into it.
#[utoipa::path(post, path = "/api/v1/processes", tag = "leadership", request_body = ProcessInput,
    responses((status = 201, body = Process, headers(("Location" = String))),
        (status = 422, body = ErrorBody)))]
pub async fn create_process(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<ProcessInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let process = state
        .store
        .create_process(&caller.actor(), input, today())
        .await?;
    let location = format!("/api/v1/processes/{}", process.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(process),
    ))
}

#[utoipa::path(get, path = "/api/v1/processes/{id}", tag = "leadership", params(("id" = Uuid, Path)),
    responses((status = 200, body = Process), (status = 404, body = ErrorBody)))]
pub async fn get_process(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<Process>, AppError> {
    Ok(Json(state.store.get_process(id, today()).await?))
}

#[utoipa::path(patch, path = "/api/v1/processes/{id}", tag = "leadership", params(("id" = Uuid, Path)),
    request_body = ProcessPatch,
    responses((status = 200, body = Process), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_process(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(patch): ApiJson<ProcessPatch>,
) -> Result<Json<Process>, AppError> {
    let today = today();
    let current = state.store.get_process(id, today).await?;
    let input = patch.apply(ProcessInput::from_process(&current));
    let process = state
        .store
        .update_process(&caller.actor(), id, input, today)
        .await?;
    Ok(Json(process))
}

/// Records that the integration was verified (today unless `verified_on` says otherwise), with
/// new evidence if given. The process owner or an ISMS manager only (403); 409 while the process
/// does not yet say how the ISMS is built into it.
#[utoipa::path(post, path = "/api/v1/processes/{id}/verify", tag = "leadership",
    params(("id" = Uuid, Path)), request_body = VerificationInput,
    responses((status = 200, body = Process), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn verify_process(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(input): ApiJson<VerificationInput>,
) -> Result<Json<Process>, AppError> {
    Ok(Json(
        state
            .store
            .verify_process(&caller.account, id, input, today())
            .await?,
    ))
}

/// The routes of this module, each behind its permission. Verifying is open to everyone who may
/// update records (an owner may be any member of staff); the store checks owner or ISMS manager.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use Permission::{ManageLeadership, ReadLeadership, UpdateActions};
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::new()
        .routes(super::with(ReadLeadership, routes!(list_processes)))
        .routes(super::with(ManageLeadership, routes!(create_process)))
        .routes(super::with(ReadLeadership, routes!(get_process)))
        .routes(super::with(ManageLeadership, routes!(update_process)))
        .routes(super::with(UpdateActions, routes!(verify_process)))
}
