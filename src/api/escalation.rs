//! Escalation paths and role gaps over JSON: whom to turn to for each kind of matter, and what is
//! missing in the allocation of roles.

use axum::Json;
use axum::extract::{Path, State};

use super::params::ApiJson;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::escalation::{EscalationPath, EscalationPathInput, Matter};
use crate::domain::role_gaps::RoleGaps;
use crate::error::{AppError, ErrorBody};

/// For each kind of matter, the roles to turn to in order, with the people holding them today;
/// every member of staff may read them.
#[utoipa::path(get, path = "/api/v1/escalation-paths", tag = "roles",
    responses((status = 200, body = Vec<EscalationPath>)))]
pub async fn list_escalation_paths(
    State(state): State<AppState>,
) -> Result<Json<Vec<EscalationPath>>, AppError> {
    Ok(Json(state.store.escalation_paths(today()).await?))
}

/// Sets the ordered roles of one matter's path (`security_incident`, `policy_breach`,
/// `concern`), first contact first; an unknown matter is refused (422).
#[utoipa::path(put, path = "/api/v1/escalation-paths/{matter}", tag = "roles",
    params(("matter" = Matter, Path)), request_body = EscalationPathInput,
    responses((status = 200, body = EscalationPath), (status = 422, body = ErrorBody)))]
pub async fn set_escalation_path(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(matter): Path<String>,
    ApiJson(input): ApiJson<EscalationPathInput>,
) -> Result<Json<EscalationPath>, AppError> {
    let matter: Matter = matter
        .parse()
        .map_err(|message: String| AppError::Invalid(FieldErrors::single("matter", message)))?;
    let input = input.validate().map_err(AppError::Invalid)?;
    Ok(Json(
        state
            .store
            .set_escalation_path(&caller.actor(), matter, input, today())
            .await?,
    ))
}

/// What is missing today: vacant required roles, critical roles without a deputy, activities
/// without an Accountable (or whose Accountable role nobody active holds), departed holders to
/// hand over, assignments ending within 30 days, unacknowledged roles and lapsed competence.
#[utoipa::path(get, path = "/api/v1/role-gaps", tag = "roles",
    responses((status = 200, body = RoleGaps)))]
pub async fn role_gaps(State(state): State<AppState>) -> Result<Json<RoleGaps>, AppError> {
    Ok(Json(state.store.role_gaps(today()).await?))
}
