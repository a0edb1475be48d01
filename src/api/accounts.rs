//! Accounts for admins: list, create for a person with roles and an optional end of access,
//! change roles or the end of access, disable.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use super::params::{ApiJson, RecordId, double_option};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::auth::password::hash_password;
use crate::domain::FieldErrors;
use crate::domain::access::Role;
use crate::domain::account::{Account, check_password};
use crate::domain::person::iso_date;
use crate::error::{AppError, ErrorBody};

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAccount {
    /// The person the account belongs to.
    pub person_id: Uuid,
    pub roles: Vec<Role>,
    /// A first password (at least 12 characters); the person can change it.
    pub password: String,
    /// The last day (UTC) the account may be used; from the next day it cannot sign in and its
    /// sessions and API tokens stop working. Not in the past; for an auditor at most 366 days
    /// ahead. Absent: no end.
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatch {
    pub roles: Option<Vec<Role>>,
    pub disabled: Option<bool>,
    /// A new last day of access (same rules as on creation); `null` removes the end.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Option<Date>>,
}

#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", responses((status = 200, body = Vec<Account>)))]
pub async fn list_accounts(State(state): State<AppState>) -> Result<Json<Vec<Account>>, AppError> {
    Ok(Json(state.store.list_accounts().await?))
}

#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = NewAccount,
    responses((status = 201, body = Account), (status = 422, body = ErrorBody)))]
pub async fn create_account(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(request): ApiJson<NewAccount>,
) -> Result<impl IntoResponse, AppError> {
    let person = state
        .store
        .get_person(request.person_id)
        .await
        .map_err(|_| {
            AppError::Invalid(FieldErrors::single("person_id", "is not a known person"))
        })?;
    check_password(&request.password, &person.email, &person.name)
        .map_err(|reason| AppError::Invalid(FieldErrors::single("password", reason)))?;
    let hash = hash_password(&request.password).map_err(AppError::Internal)?;
    let account = state
        .store
        .create_account_until(
            &caller.actor(),
            person.id,
            Some(hash),
            &request.roles,
            request.expires_on,
            today(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// Grants and removes roles, sets or removes the end of access (together, in one step), or
/// disables an account; the last admin cannot be removed.
#[utoipa::path(patch, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = Uuid, Path)), request_body = AccountPatch,
    responses((status = 200, body = Account), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_account(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(patch): ApiJson<AccountPatch>,
) -> Result<Json<Account>, AppError> {
    let mut account = state.store.account(id).await?;
    if patch.roles.is_some() || patch.expires_on.is_some() {
        account = state
            .store
            .change_account_access(
                &caller.actor(),
                id,
                patch.roles.as_deref(),
                patch.expires_on,
                today(),
            )
            .await?;
    }
    if let Some(disabled) = patch.disabled {
        account = state
            .store
            .set_account_disabled(&caller.actor(), id, disabled)
            .await?;
    }
    Ok(Json(account))
}
