//! The audit chain over JSON: the events, and a verification of the whole chain.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use super::params::ApiQuery;
use crate::app::AppState;
use crate::domain::{AuditEvent, AuditFilter, Page, PageRequest};
use crate::error::{AppError, ErrorBody};
use crate::store::ChainReport;

/// Filters and paging for the event list (newest first).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub action: Option<String>,
    pub actor: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl AuditQuery {
    pub fn split(self) -> (AuditFilter, PageRequest) {
        let filter = AuditFilter {
            record_type: self.record_type,
            record_id: self.record_id,
            action: self.action,
            actor: self.actor,
        };
        (filter, PageRequest::new(self.page, self.per_page))
    }
}

#[utoipa::path(get, path = "/api/v1/audit-events", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Page<AuditEvent>), (status = 400, body = ErrorBody)))]
pub async fn list_audit_events(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<Page<AuditEvent>>, AppError> {
    let (filter, page) = query.split();
    Ok(Json(state.store.list_audit_events(&filter, page).await?))
}

/// Recomputes every event's hash and link; `broken` names the first event that fails.
#[utoipa::path(get, path = "/api/v1/audit-events/verification", tag = "audit", responses((status = 200, body = ChainReport)))]
pub async fn verify_audit_chain(
    State(state): State<AppState>,
) -> Result<Json<ChainReport>, AppError> {
    Ok(Json(state.store.verify_audit_chain().await?))
}
