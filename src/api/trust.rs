//! The trust page's data for interested parties, without signing in: published public policies,
//! and a restricted one through its share link (every opening is logged).

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::params::RecordId;
use crate::app::AppState;
use crate::auth::ClientAddress;
use crate::auth::secret::secret_hash;
use crate::domain::person::iso_date;
use crate::domain::policy::PolicyKind;
use crate::domain::policy_version::VersionNumber;
use crate::error::{AppError, ErrorBody};
use crate::store::PublishedPolicy;

/// A published policy as an interested party sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrustedPolicy {
    pub id: Uuid,
    pub title: String,
    pub kind: PolicyKind,
    pub version: VersionNumber,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub approved_on: Option<Date>,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub published_on: Option<Date>,
    pub approvers: Vec<String>,
    pub content_hash: String,
    /// The Markdown text; absent in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl TrustedPolicy {
    pub fn from_published(shared: PublishedPolicy, with_body: bool) -> Self {
        Self {
            id: shared.policy.id,
            title: shared.policy.title,
            kind: shared.policy.kind,
            version: shared.version.number,
            approved_on: shared.version.approved_at.map(OffsetDateTime::date),
            published_on: shared.version.published_at.map(OffsetDateTime::date),
            approvers: shared.approvers,
            content_hash: shared.version.content_hash,
            body: with_body.then_some(shared.version.body),
        }
    }
}

/// The organization's name and its public policies.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrustCenter {
    pub organization: String,
    pub policies: Vec<TrustedPolicy>,
}

#[utoipa::path(get, path = "/api/v1/trust/policies", tag = "trust",
    responses((status = 200, body = TrustCenter)))]
pub async fn list_public_policies(
    State(state): State<AppState>,
) -> Result<Json<TrustCenter>, AppError> {
    let organization = state.store.organization().await?.name;
    let policies = state.store.public_policies().await?;
    Ok(Json(TrustCenter {
        organization,
        policies: policies
            .into_iter()
            .map(|p| TrustedPolicy::from_published(p, false))
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/trust/policies/{id}", tag = "trust", params(("id" = Uuid, Path)),
    responses((status = 200, body = TrustedPolicy), (status = 404, body = ErrorBody)))]
pub async fn get_public_policy(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<TrustedPolicy>, AppError> {
    let shared = state
        .store
        .public_policy(id)
        .await?
        .ok_or(AppError::NotFound("policy"))?;
    Ok(Json(TrustedPolicy::from_published(shared, true)))
}

/// A restricted policy through its share link; an unknown, expired or revoked link is a 404.
#[utoipa::path(get, path = "/api/v1/trust/shared/{token}", tag = "trust", params(("token" = String, Path)),
    responses((status = 200, body = TrustedPolicy), (status = 404, body = ErrorBody)))]
pub async fn get_shared_policy(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
) -> Result<Json<TrustedPolicy>, AppError> {
    let shared = open_shared(&state, &token, &address).await?;
    Ok(Json(TrustedPolicy::from_published(shared, true)))
}

/// Opens a share link (logging the access), or answers not found.
pub async fn open_shared(
    state: &AppState,
    token: &str,
    address: &str,
) -> Result<PublishedPolicy, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound("shared policy"));
    }
    state
        .store
        .open_share_link(&secret_hash(token), address)
        .await?
        .ok_or(AppError::NotFound("shared policy"))
}
