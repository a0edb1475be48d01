//! Delegations over JSON: the holder of a role hands a task to a person or an external provider
//! for a period, and stays accountable for it.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use time::Date;
use utoipa::IntoParams;
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use super::roles::optional_date;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::domain::assignment::{Delegate, Delegation, DelegationInput};
use crate::error::{AppError, ErrorBody};
use crate::store::DelegationFilter;

/// Which delegations to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DelegationsQuery {
    /// Delegated by this person, who stays accountable.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub delegator_id: Option<Uuid>,
    /// Delegated to this person.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub delegate_id: Option<Uuid>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub assignment_id: Option<Uuid>,
    /// Only those in force on this day, `YYYY-MM-DD` (not revoked, started, not ended).
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    pub in_force_on: Option<Date>,
}

/// Delegations under the filter.
///
/// The task is delegated, the accountability is not: each one names its delegator
/// (`delegator_id`, `delegator_name`), with whom the accountability stays.
#[utoipa::path(get, path = "/api/v1/delegations", tag = "roles", params(DelegationsQuery),
    responses((status = 200, body = Vec<Delegation>), (status = 400, body = ErrorBody)))]
pub async fn list_delegations(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<DelegationsQuery>,
) -> Result<Json<Vec<Delegation>>, AppError> {
    let filter = DelegationFilter {
        delegator_id: query.delegator_id,
        delegate_id: query.delegate_id,
        assignment_id: query.assignment_id,
        in_force_on: query.in_force_on,
    };
    Ok(Json(state.store.list_delegations(&filter, today()).await?))
}

/// Delegates a task of one's role to a person or an external provider for a period.
///
/// The task is delegated, the accountability is not:
/// the accountability stays with the delegator, the holder of the assignment, who is named on
/// the delegation (`delegator_id`, `delegator_name`). The period is at most a year, and the
/// delegation ends by itself after its last day. Anyone but the holder is refused (403); a
/// departed delegate or a period outside the assignment is refused (422).
#[utoipa::path(post, path = "/api/v1/delegations", tag = "roles", request_body = DelegationInput,
    responses((status = 201, body = Delegation, headers(("Location" = String))), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delegate_task(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<DelegationInput>,
) -> Result<impl IntoResponse, AppError> {
    let today = today();
    let input = input.validate(today).map_err(AppError::Invalid)?;
    let delegation = state
        .store
        .delegate_task(&caller.account, input, today)
        .await?;
    let location = format!("/api/v1/delegations/{}", delegation.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(delegation),
    ))
}

/// One delegation; readable by those who read roles, the delegator and the delegate.
///
/// The accountability stays with the delegator named on it.
#[utoipa::path(get, path = "/api/v1/delegations/{id}", tag = "roles", params(("id" = Uuid, Path)),
    responses((status = 200, body = Delegation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_delegation(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Delegation>, AppError> {
    let delegation = state.store.get_delegation(id, today()).await?;
    if may_read(&caller, &delegation) {
        Ok(Json(delegation))
    } else {
        Err(AppError::Forbidden(
            "You may read only the delegations you made or received.".into(),
        ))
    }
}

/// Ends a delegation early: the delegator does, or an ISMS manager (403 for anyone else).
///
/// The accountability stayed with the delegator throughout.
#[utoipa::path(post, path = "/api/v1/delegations/{id}/revoke", tag = "roles", params(("id" = Uuid, Path)),
    responses((status = 200, body = Delegation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_delegation(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Delegation>, AppError> {
    Ok(Json(
        state
            .store
            .revoke_delegation(&caller.account, id, today())
            .await?,
    ))
}

fn may_read(caller: &Principal, delegation: &Delegation) -> bool {
    let own = caller.account.person_id;
    caller.may(Permission::ReadRoles)
        || delegation.delegator_id == own
        || delegation.delegate == Delegate::Person { person_id: own }
}
