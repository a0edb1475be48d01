//! The outbox over JSON: every email Charter wrote, where each stands, and sending one again.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::params::{ApiQuery, RecordId, empty_as_none};
use crate::app::AppState;
use crate::auth::Caller;
use crate::domain::mail::{MailKind, MailStatus, OutboxFilter, OutboxMessage};
use crate::domain::{Page, PageRequest};
use crate::error::{AppError, ErrorBody};

/// Filters and paging for the outbox.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<MailStatus>)]
    pub status: Option<MailStatus>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<MailKind>)]
    pub kind: Option<MailKind>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub campaign_id: Option<Uuid>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page (1 to 500, default 50).
    pub per_page: Option<u32>,
}

/// Messages newest first: queued, sent, failed (every attempt refused) or held (no SMTP server
/// configured).
#[utoipa::path(get, path = "/api/v1/outbox", tag = "outbox", params(OutboxQuery),
    responses((status = 200, body = Page<OutboxMessage>), (status = 400, body = ErrorBody)))]
pub async fn list_outbox(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<OutboxQuery>,
) -> Result<Json<Page<OutboxMessage>>, AppError> {
    let filter = OutboxFilter {
        status: query.status,
        kind: query.kind,
        campaign_id: query.campaign_id,
    };
    let page = PageRequest::new(query.page, query.per_page);
    Ok(Json(state.store.list_outbox(&filter, page).await?))
}

#[utoipa::path(get, path = "/api/v1/outbox/{id}", tag = "outbox", params(("id" = Uuid, Path)),
    responses((status = 200, body = OutboxMessage), (status = 404, body = ErrorBody)))]
pub async fn get_message(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<OutboxMessage>, AppError> {
    Ok(Json(state.store.get_mail(id).await?))
}

/// Queues a failed or held message again; one already sent or still queued answers 409.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "outbox", params(("id" = Uuid, Path)),
    responses((status = 200, body = OutboxMessage), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry_message(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<OutboxMessage>, AppError> {
    Ok(Json(state.store.retry_mail(&caller.account, id).await?))
}
