//! Managers' briefings over JSON (5.1.h, A.5.4): a line manager records a briefing they gave to
//! their staff; an ISMS manager may record one for another manager.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, empty_as_none};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::access::Permission;
use crate::domain::briefing::{Briefing, BriefingFilter, BriefingInput};
use crate::domain::{Page, PageRequest};
use crate::error::{AppError, ErrorBody};

/// Filters and paging for the list of briefings.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BriefingQuery {
    /// Briefings given to this unit.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub unit_id: Option<Uuid>,
    /// Briefings given by this manager.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub manager_id: Option<Uuid>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page (1 to 500, default 50).
    pub per_page: Option<u32>,
}

/// Briefings, newest first.
#[utoipa::path(get, path = "/api/v1/briefings", tag = "leadership", params(BriefingQuery),
    responses((status = 200, body = Page<Briefing>), (status = 400, body = ErrorBody)))]
pub async fn list_briefings(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<BriefingQuery>,
) -> Result<Json<Page<Briefing>>, AppError> {
    let filter = BriefingFilter {
        unit_id: query.unit_id,
        manager_id: query.manager_id,
    };
    let page = PageRequest::new(query.page, query.per_page);
    Ok(Json(state.store.list_briefings(&filter, page).await?))
}

/// Records a briefing the caller gave to a unit they head or where their team works (403
/// otherwise); an ISMS manager may name another manager in `manager_id`.
#[utoipa::path(post, path = "/api/v1/briefings", tag = "leadership", request_body = BriefingInput,
    responses((status = 201, body = Briefing), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_briefing(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<BriefingInput>,
) -> Result<impl IntoResponse, AppError> {
    let today = today();
    let input = input.validate(today).map_err(AppError::Invalid)?;
    let briefing = state
        .store
        .record_briefing(&caller.account, input, today)
        .await?;
    Ok((StatusCode::CREATED, Json(briefing)))
}

/// The routes of this module, each behind its permission.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use Permission::{ReadLeadership, RecordBriefings};
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::new()
        .routes(super::with(ReadLeadership, routes!(list_briefings)))
        .routes(super::with(RecordBriefings, routes!(record_briefing)))
}
