//! Evidence samples over HTTP: a reproducible random sample of acknowledgments, assignments or
//! policy approvals (the same seed draws the same records), each with its audit events. Reading
//! only.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::params::ApiQuery;
use crate::app::{AppState, today};
use crate::audit_pack::samples::{DEFAULT_SAMPLE, SampleRequest, draw};
use crate::domain::access::Permission;
use crate::domain::audit_pack::{EvidenceSample, SampleKind};
use crate::error::{AppError, ErrorBody};

/// The routes of this module, each behind its permission.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(super::with(
        Permission::ExportAuditPacks,
        routes!(sample_evidence),
    ))
}

/// What to sample.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SampleParams {
    /// `acknowledgments`, `assignments` or `policy_approvals`.
    pub kind: SampleKind,
    /// How many records, 1 to 500 (default 25).
    pub size: Option<usize>,
    /// Any text; the same seed draws the same sample. Without one, a new seed is chosen and
    /// returned.
    pub seed: Option<String>,
    /// Acknowledgments of this campaign only (default: every campaign).
    pub campaign_id: Option<Uuid>,
}

/// A reproducible random sample of evidence records, each with the audit events that recorded
/// it (422 for a size outside 1 to 500; 404 for an unknown campaign).
#[utoipa::path(get, path = "/api/v1/evidence/samples", tag = "audit-packs", params(SampleParams),
    responses((status = 200, body = EvidenceSample), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sample_evidence(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SampleParams>,
) -> Result<Json<EvidenceSample>, AppError> {
    let request = SampleRequest {
        kind: params.kind,
        size: params.size.unwrap_or(DEFAULT_SAMPLE),
        seed: params.seed,
        campaign_id: params.campaign_id,
    };
    Ok(Json(draw(state.store.as_ref(), request, today()).await?))
}
