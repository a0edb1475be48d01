//! The audit log over JSON: the public key that verifies checkpoints (public), the signed
//! checkpoints, and inclusion and consistency proofs against them (auditors and the ISMS's
//! leadership).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::ApiQuery;
use crate::app::AppState;
use crate::domain::access::Permission;
use crate::domain::checkpoint::{Checkpoint, InclusionProof, public_key_pem};
use crate::domain::{AuditEvent, FieldErrors};
use crate::error::{AppError, ErrorBody};

/// The routes of this module, each behind its permission.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    use Permission::{Public, ReadConformance};
    OpenApiRouter::new()
        .routes(super::with(Public, routes!(public_key)))
        .routes(super::with(ReadConformance, routes!(list_checkpoints)))
        .routes(super::with(ReadConformance, routes!(latest_checkpoint)))
        .routes(super::with(ReadConformance, routes!(inclusion_proof)))
        .routes(super::with(ReadConformance, routes!(consistency_proof)))
}

/// How to answer with the public key.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicKeyQuery {
    /// `pem` (the default, `text/plain`) or `json`.
    pub format: Option<String>,
}

/// The key that verifies the server's checkpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicKeyAnswer {
    pub key_id: String,
    /// Always `Ed25519`.
    pub algorithm: String,
    /// SubjectPublicKeyInfo, as `charter audit verify-pack --public-key` reads it.
    pub public_key_pem: String,
}

/// The public key that verifies the server's signed checkpoints and audit packs: PEM as
/// `text/plain`, or JSON with its key id (`?format=json`). 404 before the first key exists.
#[utoipa::path(get, path = "/api/v1/audit/public-key", tag = "audit", params(PublicKeyQuery),
    responses((status = 200, body = PublicKeyAnswer, description = "PEM (text/plain) or JSON"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn public_key(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PublicKeyQuery>,
) -> Result<Response, AppError> {
    let json = match query.format.as_deref().map(str::trim) {
        None | Some("" | "pem") => false,
        Some("json") => true,
        Some(_) => {
            return Err(AppError::Invalid(FieldErrors::single(
                "format",
                "must be pem or json",
            )));
        }
    };
    let (key_id, pem) = match &state.signer {
        Some(signer) => (signer.key_id().to_owned(), signer.public_key_pem()),
        None => {
            let keys = state.store.signing_keys().await?;
            let key = keys.last().ok_or(AppError::NotFound("signing key"))?;
            let raw = key.raw().ok_or(AppError::NotFound("signing key"))?;
            (key.key_id.clone(), public_key_pem(&raw))
        }
    };
    if json {
        return Ok(Json(PublicKeyAnswer {
            key_id,
            algorithm: "Ed25519".into(),
            public_key_pem: pem,
        })
        .into_response());
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], pem).into_response())
}

/// How many checkpoints to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckpointsQuery {
    /// 1 to 1,000 (default 100).
    pub limit: Option<String>,
}

/// The latest signed checkpoints, newest first.
#[utoipa::path(get, path = "/api/v1/audit/checkpoints", tag = "audit", params(CheckpointsQuery),
    responses((status = 200, body = Vec<Checkpoint>), (status = 422, body = ErrorBody)))]
pub async fn list_checkpoints(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<CheckpointsQuery>,
) -> Result<Json<Vec<Checkpoint>>, AppError> {
    let limit = match query.limit.as_deref().map(str::trim) {
        None | Some("") => 100,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1_000).contains(n))
            .ok_or_else(|| {
                AppError::Invalid(FieldErrors::single("limit", "must be from 1 to 1000"))
            })?,
    };
    Ok(Json(state.store.list_checkpoints(limit).await?))
}

/// The latest signed checkpoint (404 before the first).
#[utoipa::path(get, path = "/api/v1/audit/checkpoints/latest", tag = "audit",
    responses((status = 200, body = Checkpoint), (status = 404, body = ErrorBody)))]
pub async fn latest_checkpoint(
    State(state): State<AppState>,
) -> Result<Json<Checkpoint>, AppError> {
    let latest = state.store.latest_checkpoint().await?;
    Ok(Json(latest.ok_or(AppError::NotFound("checkpoint"))?))
}

/// The tree an inclusion proof is against.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// The size of a signed checkpoint (default: the latest).
    pub tree_size: Option<String>,
}

/// An event, its place in the log and the proof that the checkpoint's tree holds it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InclusionAnswer {
    pub event: AuditEvent,
    /// The event's leaf: its number - 1.
    pub leaf_index: u64,
    pub proof: InclusionProof,
    pub checkpoint: Checkpoint,
}

/// The proof that event `seq` is in the log signed by a checkpoint (`tree_size`, default the
/// latest): check it with the event's hash, the checkpoint's root and its signature. 404 for an
/// unknown event or checkpoint, 422 when the checkpoint is older than the event.
#[utoipa::path(get, path = "/api/v1/audit/events/{seq}/inclusion-proof", tag = "audit",
    params(("seq" = i64, Path, description = "the event's number"), InclusionQuery),
    responses((status = 200, body = InclusionAnswer), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn inclusion_proof(
    State(state): State<AppState>,
    Path(seq): Path<String>,
    ApiQuery(query): ApiQuery<InclusionQuery>,
) -> Result<Json<InclusionAnswer>, AppError> {
    let seq: u64 = seq
        .parse()
        .ok()
        .filter(|s| *s >= 1)
        .ok_or(AppError::NotFound("audit event"))?;
    let tree_size = optional_size("tree_size", query.tree_size.as_deref())?;
    let event = state
        .store
        .audit_event(i64::try_from(seq).map_err(|_| AppError::NotFound("audit event"))?)
        .await?;
    let checkpoint = match tree_size {
        Some(size) => state.store.checkpoint(size).await?,
        None => state
            .store
            .latest_checkpoint()
            .await?
            .ok_or(AppError::NotFound("checkpoint"))?,
    };
    if seq > checkpoint.tree_size {
        return Err(AppError::Invalid(FieldErrors::single(
            "tree_size",
            format!(
                "the checkpoint of {} events does not cover event {seq}; a later one will",
                checkpoint.tree_size
            ),
        )));
    }
    let proof = state
        .store
        .inclusion_proof(seq - 1, checkpoint.tree_size)
        .await?;
    Ok(Json(InclusionAnswer {
        event,
        leaf_index: seq - 1,
        proof,
        checkpoint,
    }))
}

/// The two checkpoints a consistency proof joins.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The size of the earlier signed checkpoint.
    pub from: Option<String>,
    /// The size of the later signed checkpoint.
    pub to: Option<String>,
}

/// Two checkpoints and the proof that the later tree extends the earlier one.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsistencyAnswer {
    pub from: Checkpoint,
    pub to: Checkpoint,
    /// The RFC 9162 consistency proof, in hex.
    pub proof: Vec<String>,
}

/// The proof that the log signed at size `to` extends the one signed at size `from` (nothing
/// was changed or removed in between): both sizes of signed checkpoints (404 otherwise), `from`
/// at least 1 and at most `to` (422).
#[utoipa::path(get, path = "/api/v1/audit/consistency-proof", tag = "audit", params(ConsistencyQuery),
    responses((status = 200, body = ConsistencyAnswer), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn consistency_proof(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ConsistencyQuery>,
) -> Result<Json<ConsistencyAnswer>, AppError> {
    let from = optional_size("from", query.from.as_deref())?;
    let to = optional_size("to", query.to.as_deref())?;
    let (Some(from), Some(to)) = (from, to) else {
        let mut errors = FieldErrors::new();
        for (field, value) in [("from", from), ("to", to)] {
            if value.is_none() {
                errors.add(field, "is required: the size of a signed checkpoint");
            }
        }
        return Err(AppError::Invalid(errors));
    };
    if from == 0 || from > to {
        return Err(AppError::Invalid(FieldErrors::single(
            "from",
            "must be from 1 to the size given as `to`",
        )));
    }
    let earlier = state.store.checkpoint(from).await?;
    let later = state.store.checkpoint(to).await?;
    let proof = state.store.consistency_proof(from, to).await?;
    Ok(Json(ConsistencyAnswer {
        from: earlier,
        to: later,
        proof,
    }))
}

/// A tree size from the query: none when absent, 422 when not a number.
fn optional_size(field: &str, value: Option<&str>) -> Result<Option<u64>, AppError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            AppError::Invalid(FieldErrors::single(field, "must be a number of events"))
        }),
    }
}
