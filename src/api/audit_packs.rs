//! Audit packs over HTTP: the pack of a stored assessment (the latest, or one named) as a file in
//! the format asked for, with its checkpoint signed by the server's key. Exporting writes one
//! audit event (`audit_pack.exported`) and a checkpoint; nothing else changes.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::params::ApiJson;
use super::policy_versions::attachment;
use crate::app::AppState;
use crate::audit_pack::{PackFormat, PackRequest, build_pack, render};
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::error::{AppError, ErrorBody, ErrorDetail};

/// The routes of this module, each behind its permission.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(super::with(
        Permission::ExportAuditPacks,
        routes!(export_audit_pack),
    ))
}

/// Which assessment, in which format.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExportRequest {
    /// The assessment (default: the latest stored).
    #[serde(default)]
    pub assessment_id: Option<Uuid>,
    pub format: PackFormat,
}

/// The audit pack of a stored assessment as an attachment: `json` (the pack), `html` (readable,
/// the pack embedded), `pdf`, or `oscal` (assessment results). Verify it offline with
/// `charter audit verify-pack FILE --public-key KEY`. 503 when the server has no signing key,
/// 409 when no assessment is stored, 404 for an unknown assessment.
#[utoipa::path(post, path = "/api/v1/audit-packs", tag = "audit-packs", request_body = ExportRequest,
    responses((status = 200, description = "The pack file, with a Content-Disposition attachment name",
            content(("application/json"), ("text/html"), ("application/pdf"))),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn export_audit_pack(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(request): ApiJson<ExportRequest>,
) -> Result<Response, AppError> {
    export(&state, &caller, request.assessment_id, request.format).await
}

/// The pack as a file, as the API and the page both answer.
pub(crate) async fn export(
    state: &AppState,
    caller: &Principal,
    assessment_id: Option<Uuid>,
    format: PackFormat,
) -> Result<Response, AppError> {
    let Some(signer) = state.signer.as_deref() else {
        return Ok(no_signing_key());
    };
    let request = PackRequest {
        assessment_id,
        actor: caller.actor(),
        generated_by: caller.account.name.clone(),
        now: OffsetDateTime::now_utc(),
    };
    let pack = build_pack(state.store.as_ref(), signer, &request).await?;
    let bytes = render(&pack, format)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(
        format.content_type(),
        &format.file_name(&pack),
        bytes,
    ))
}

/// 503 in the error format: without its key the server cannot sign the pack's checkpoint.
pub(crate) fn no_signing_key() -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: "unavailable",
            message: "this server has no checkpoint signing key, so it cannot sign an audit pack: start it with --signing-key (or let it create one)".into(),
            fields: None,
        },
    };
    (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
}
