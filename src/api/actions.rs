//! Improvement actions over JSON: the list with its filters (overdue first), creation by those who
//! manage leadership records, and progress (status, evidence) by the owner or an ISMS manager.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::access::Permission;
use crate::domain::improvement_action::{
    ActionFilter, ActionProgress, ActionSource, ActionStatus, ImprovementAction,
    ImprovementActionInput,
};
use crate::domain::{Page, PageRequest};
use crate::error::{AppError, ErrorBody};

/// The routes of this module, each behind its permission.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    use Permission::{ManageLeadership, ReadLeadership, SignedIn, UpdateActions};
    OpenApiRouter::new()
        .routes(super::with(ReadLeadership, routes!(list_actions)))
        .routes(super::with(ManageLeadership, routes!(create_action)))
        .routes(super::with(SignedIn, routes!(get_action)))
        .routes(super::with(UpdateActions, routes!(update_action)))
}

/// Filters and paging for the action list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionsQuery {
    /// `open`, `in_progress`, `done` or `cancelled`.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>)]
    pub status: Option<ActionStatus>,
    /// The owner's person id.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub owner_id: Option<Uuid>,
    /// `true`: only open or in-progress actions past their due date.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<bool>)]
    pub overdue: Option<bool>,
    /// `management_review`, `audit_finding`, `incident`, `concern` or `other`.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>)]
    pub source: Option<ActionSource>,
    /// Only the actions started by this management review.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub review_id: Option<Uuid>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl ActionsQuery {
    pub fn filter(&self) -> ActionFilter {
        ActionFilter {
            status: self.status,
            owner_id: self.owner_id,
            source: self.source,
            review_id: self.review_id,
            overdue: self.overdue.unwrap_or(false),
            open: false,
            upcoming: false,
        }
    }
}

/// Actions, overdue first, then open, then done, then cancelled; by due date within each.
#[utoipa::path(get, path = "/api/v1/improvement-actions", tag = "leadership", params(ActionsQuery),
    responses((status = 200, body = Page<ImprovementAction>), (status = 400, body = ErrorBody)))]
pub async fn list_actions(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ActionsQuery>,
) -> Result<Json<Page<ImprovementAction>>, AppError> {
    let page = PageRequest::new(query.page, query.per_page);
    let actions = state
        .store
        .list_improvement_actions(&query.filter(), today(), page)
        .await?;
    Ok(Json(actions))
}

/// Raises an action with its owner and due date; one from a management review names the
/// decision of a draft review (409 once the review is signed).
#[utoipa::path(post, path = "/api/v1/improvement-actions", tag = "leadership", request_body = ImprovementActionInput,
    responses((status = 201, body = ImprovementAction, headers(("Location" = String))), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_action(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<ImprovementActionInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let action = state
        .store
        .create_improvement_action(&caller.account, input, today())
        .await?;
    let location = format!("/api/v1/improvement-actions/{}", action.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(action),
    ))
}

/// One action: for those who read leadership records, and for its owner (403 for anyone else).
#[utoipa::path(get, path = "/api/v1/improvement-actions/{id}", tag = "leadership", params(("id" = Uuid, Path)),
    responses((status = 200, body = ImprovementAction), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_action(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<ImprovementAction>, AppError> {
    let action = state.store.get_improvement_action(id, today()).await?;
    if action.owner_id != caller.account.person_id && !caller.may(Permission::ReadLeadership) {
        return Err(AppError::Forbidden(
            "an improvement action is shown to its owner and to those who read leadership records"
                .into(),
        ));
    }
    Ok(Json(action))
}

/// Records progress: the status and the evidence, by the owner or an ISMS manager (403 for
/// anyone else). Done needs evidence (422); only an ISMS manager or an administrator cancels (403
/// for the owner), with the reason written in `evidence` (422); a done or cancelled action no
/// longer changes (409).
#[utoipa::path(patch, path = "/api/v1/improvement-actions/{id}", tag = "leadership", params(("id" = Uuid, Path)),
    request_body = ActionProgress,
    responses((status = 200, body = ImprovementAction), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_action(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(progress): ApiJson<ActionProgress>,
) -> Result<Json<ImprovementAction>, AppError> {
    let action = state
        .store
        .update_improvement_action(&caller.account, id, progress, today())
        .await?;
    Ok(Json(action))
}
