//! Role assignments over JSON: assigning and ending roles, the holder's acknowledgment, their
//! evidence of competence, and the caller's own roles.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use super::roles::optional_date;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::domain::assignment::{
    Assignment, AssignmentEnd, AssignmentFilter, AssignmentInput, CompetenceEvidence,
    CompetenceEvidenceInput,
};
use crate::domain::{Page, PageRequest};
use crate::error::{AppError, ErrorBody};

/// Filters and paging for the assignment list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignmentsQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub role_id: Option<Uuid>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub person_id: Option<Uuid>,
    /// Held on this day, `YYYY-MM-DD` (default: at any time).
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    pub on: Option<Date>,
    /// Only those the holder has not acknowledged yet.
    #[serde(default)]
    pub unacknowledged: bool,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page (1 to 500, default 50).
    pub per_page: Option<u32>,
}

/// The caller's current and upcoming roles.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyAssignments {
    /// How many of them the caller has not acknowledged yet.
    pub unacknowledged: usize,
    /// Current first, then upcoming.
    pub items: Vec<Assignment>,
}

/// Assignments, past, current and upcoming, under the filter.
#[utoipa::path(get, path = "/api/v1/assignments", tag = "roles", params(AssignmentsQuery),
    responses((status = 200, body = Page<Assignment>), (status = 400, body = ErrorBody)))]
pub async fn list_assignments(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AssignmentsQuery>,
) -> Result<Json<Page<Assignment>>, AppError> {
    let filter = AssignmentFilter {
        role_id: query.role_id,
        person_id: query.person_id,
        on: query.on,
        unacknowledged: query.unacknowledged,
    };
    let page = PageRequest::new(query.page, query.per_page);
    Ok(Json(
        state.store.list_assignments(&filter, today(), page).await?,
    ))
}

/// Assigns a role to a person, with its scope, dates and why; the holder is notified and asked
/// to acknowledge it. An assignment that would break a segregation-of-duties rule is refused
/// (409, naming both roles) unless `sod_exception_id` names an approved, unexpired exception
/// for that person and rule.
#[utoipa::path(post, path = "/api/v1/assignments", tag = "roles", request_body = AssignmentInput,
    responses((status = 201, body = Assignment, headers(("Location" = String))), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign_role(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<AssignmentInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let assignment = state
        .store
        .assign_role(&caller.account, input, today())
        .await?;
    let location = format!("/api/v1/assignments/{}", assignment.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(assignment),
    ))
}

/// One assignment; readable by those who read roles and by its holder.
#[utoipa::path(get, path = "/api/v1/assignments/{id}", tag = "roles", params(("id" = Uuid, Path)),
    responses((status = 200, body = Assignment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_assignment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Assignment>, AppError> {
    Ok(Json(readable_assignment(&state, &caller, id).await?))
}

/// Sets the last day the role is held (not before its start); 409 when it has already ended.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/end", tag = "roles", params(("id" = Uuid, Path)),
    request_body = AssignmentEnd,
    responses((status = 200, body = Assignment), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn end_assignment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(end): ApiJson<AssignmentEnd>,
) -> Result<Json<Assignment>, AppError> {
    Ok(Json(
        state
            .store
            .end_assignment(&caller.actor(), id, end, today())
            .await?,
    ))
}

/// The holder acknowledges the role with its responsibilities and authorities as they stand
/// (the statement is recorded); nobody acknowledges for someone else (403). Acknowledging again
/// answers the first acknowledgment.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/acknowledge", tag = "roles", params(("id" = Uuid, Path)),
    responses((status = 200, body = Assignment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn acknowledge_assignment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Assignment>, AppError> {
    Ok(Json(
        state
            .store
            .acknowledge_assignment(&caller.account, id, today())
            .await?,
    ))
}

/// The holder's evidence of the competence the role needs (training, certification,
/// experience), with expiry dates; readable by those who read roles and by the holder.
#[utoipa::path(get, path = "/api/v1/assignments/{id}/competence", tag = "roles", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<CompetenceEvidence>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_competence(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Vec<CompetenceEvidence>>, AppError> {
    readable_assignment(&state, &caller, id).await?;
    Ok(Json(state.store.competence_evidence(id).await?))
}

/// Records evidence of the holder's competence; evidence past its expiry is a gap.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/competence", tag = "roles", params(("id" = Uuid, Path)),
    request_body = CompetenceEvidenceInput,
    responses((status = 201, body = CompetenceEvidence), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_competence(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(input): ApiJson<CompetenceEvidenceInput>,
) -> Result<impl IntoResponse, AppError> {
    let today = today();
    let input = input.validate(today).map_err(AppError::Invalid)?;
    let evidence = state
        .store
        .add_competence_evidence(&caller.account, id, input, today)
        .await?;
    Ok((StatusCode::CREATED, Json(evidence)))
}

/// The caller's current and upcoming roles, and how many still wait for their acknowledgment.
#[utoipa::path(get, path = "/api/v1/me/assignments", tag = "roles",
    responses((status = 200, body = MyAssignments)))]
pub async fn my_assignments(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<MyAssignments>, AppError> {
    let items = state
        .store
        .person_assignments(caller.account.person_id, today())
        .await?;
    let unacknowledged = items.iter().filter(|a| a.acknowledged_at.is_none()).count();
    Ok(Json(MyAssignments {
        unacknowledged,
        items,
    }))
}

/// The assignment, if the caller reads roles or holds it (403 otherwise).
async fn readable_assignment(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
) -> Result<Assignment, AppError> {
    let assignment = state.store.get_assignment(id, today()).await?;
    if caller.may(Permission::ReadRoles) || assignment.person_id == caller.account.person_id {
        Ok(assignment)
    } else {
        Err(AppError::Forbidden(
            "You may read only your own roles.".into(),
        ))
    }
}
