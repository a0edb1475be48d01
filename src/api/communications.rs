//! Top-management communications (5.1.d) over JSON: the record of who told whom, how and when.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::IntoParams;

use super::params::{ApiJson, ApiQuery, RecordId};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::communication::{Communication, CommunicationInput};
use crate::domain::{Page, PageRequest};
use crate::error::{AppError, ErrorBody};

/// Paging for the communication record.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommunicationsQuery {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page (1 to 500, default 50).
    pub per_page: Option<u32>,
}

/// Communications, most recent first.
#[utoipa::path(get, path = "/api/v1/communications", tag = "communications", params(CommunicationsQuery),
    responses((status = 200, body = Page<Communication>), (status = 400, body = ErrorBody)))]
pub async fn list_communications(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<CommunicationsQuery>,
) -> Result<Json<Page<Communication>>, AppError> {
    let page = PageRequest::new(query.page, query.per_page);
    Ok(Json(state.store.list_communications(page).await?))
}

/// Records what the caller, a member of top management, communicated (403 for anyone else);
/// with `send_email`, also emails it to each person of the audience through the outbox.
#[utoipa::path(post, path = "/api/v1/communications", tag = "communications", request_body = CommunicationInput,
    responses((status = 201, body = Communication, headers(("Location" = String))), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_communication(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<CommunicationInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate(today()).map_err(AppError::Invalid)?;
    let communication = state
        .store
        .record_communication(&caller.account, input, today())
        .await?;
    let location = format!("/api/v1/communications/{}", communication.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(communication),
    ))
}

#[utoipa::path(get, path = "/api/v1/communications/{id}", tag = "communications", params(("id" = Uuid, Path)),
    responses((status = 200, body = Communication), (status = 404, body = ErrorBody)))]
pub async fn get_communication(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<Communication>, AppError> {
    Ok(Json(state.store.get_communication(id).await?))
}
