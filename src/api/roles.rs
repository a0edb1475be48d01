//! The role catalog over JSON: roles with their responsibilities and authorities, and who held a
//! role on a given day.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Deserializer};
use time::Date;
use utoipa::IntoParams;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::assignment::RoleHolders;
use crate::domain::role::{OrgRole, OrgRoleFilter, OrgRoleInput, RoleCategory};
use crate::error::{AppError, ErrorBody};
use crate::role_actions::save_role;

/// Filters for the catalog.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RolesQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<RoleCategory>)]
    pub category: Option<RoleCategory>,
    /// Text found in the role's name.
    pub q: Option<String>,
}

/// The day to answer for.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HoldersQuery {
    /// `YYYY-MM-DD`; today when left out.
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    pub on: Option<Date>,
}

const ISO_DATE: &[time::format_description::BorrowedFormatItem<'_>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Reads an optional `YYYY-MM-DD` query value; an empty value is `None`.
pub(crate) fn optional_date<'de, D>(deserializer: D) -> Result<Option<Date>, D::Error>
where
    D: Deserializer<'de>,
{
    let raw: Option<String> = Option::deserialize(deserializer)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => Date::parse(text, ISO_DATE)
            .map_err(|_| format!("'{text}' is not a date (YYYY-MM-DD)"))
            .and_then(crate::domain::iso_date::within_range)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// The catalog in catalog order, optionally of one category or matching a name.
#[utoipa::path(get, path = "/api/v1/roles", tag = "roles", params(RolesQuery),
    responses((status = 200, body = Vec<OrgRole>), (status = 400, body = ErrorBody)))]
pub async fn list_roles(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<RolesQuery>,
) -> Result<Json<Vec<OrgRole>>, AppError> {
    let filter = OrgRoleFilter {
        category: query.category,
        q: query.q.filter(|q| !q.trim().is_empty()),
    };
    Ok(Json(state.store.list_roles(&filter).await?))
}

/// Adds a role to the catalog; it states at least one responsibility and one authority. A name
/// already used is refused (422), and so is a second role carrying `conformance_owner` or
/// `performance_reporter` (409).
#[utoipa::path(post, path = "/api/v1/roles", tag = "roles", request_body = OrgRoleInput,
    responses((status = 201, body = OrgRole, headers(("Location" = String))), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_role(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<OrgRoleInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let role = save_role(state.store.as_ref(), &caller, None, input, today()).await?;
    let location = format!("/api/v1/roles/{}", role.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(role),
    ))
}

#[utoipa::path(get, path = "/api/v1/roles/{id}", tag = "roles", params(("id" = Uuid, Path)),
    responses((status = 200, body = OrgRole), (status = 404, body = ErrorBody)))]
pub async fn get_role(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<OrgRole>, AppError> {
    Ok(Json(state.store.get_role(id).await?))
}

/// Rewrites a role whole; holders acknowledge what the role says when they are assigned.
#[utoipa::path(put, path = "/api/v1/roles/{id}", tag = "roles", params(("id" = Uuid, Path)),
    request_body = OrgRoleInput,
    responses((status = 200, body = OrgRole), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_role(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(input): ApiJson<OrgRoleInput>,
) -> Result<Json<OrgRole>, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    Ok(Json(
        save_role(state.store.as_ref(), &caller, Some(id), input, today()).await?,
    ))
}

/// Who held the role on a day (today unless `on` is given); ended assignments answer for the
/// days they covered, so the history of a role can be read back.
#[utoipa::path(get, path = "/api/v1/roles/{id}/holders", tag = "roles",
    params(("id" = Uuid, Path), HoldersQuery),
    responses((status = 200, body = RoleHolders), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn role_holders(
    State(state): State<AppState>,
    RecordId(id): RecordId,
    ApiQuery(query): ApiQuery<HoldersQuery>,
) -> Result<Json<RoleHolders>, AppError> {
    let today = today();
    let on = query.on.unwrap_or(today);
    Ok(Json(state.store.role_holders(id, on, today).await?))
}
