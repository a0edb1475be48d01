//! Signing in and out over JSON, the caller's own account, and their API tokens.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::params::{ApiJson, RecordId};
use crate::app::AppState;
use crate::auth::secret::{random_secret, secret_hash};
use crate::auth::sign_in::{SignInError, sign_in};
use crate::auth::{Caller, ClientAddress, Credential, cleared_cookie, session_cookie};
use crate::domain::account::{Account, ApiToken, TokenScope};
use crate::error::{AppError, ErrorBody};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// The signed-in account and the CSRF token to send as `X-CSRF-Token` with changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    pub account: Account,
    pub csrf_token: String,
}

/// Starts a browser session (an HttpOnly cookie); the same answer for any wrong email or password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    let started = sign_in(
        state.store.as_ref(),
        &request.email,
        &request.password,
        &address,
    )
    .await
    .map_err(sign_in_error)?;
    let cookie = session_cookie(&started.token, state.secure_cookies);
    let body = LoginResponse {
        account: started.account,
        csrf_token: started.csrf_token,
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

pub fn sign_in_error(error: SignInError) -> AppError {
    match error {
        SignInError::Failed => AppError::Unauthenticated(error.to_string()),
        SignInError::Throttled(_) => AppError::TooManyRequests(error.to_string()),
        SignInError::Store(e) => e.into(),
    }
}

/// Ends the session that made the request.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Response, AppError> {
    if let Credential::Session { token_hash, .. } = &caller.credential {
        state.store.end_session(token_hash).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, cleared_cookie(state.secure_cookies))],
    )
        .into_response())
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", responses((status = 200, body = Account), (status = 401, body = ErrorBody)))]
pub async fn me(Caller(caller): Caller) -> Json<Account> {
    Json(caller.account)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewToken {
    /// What the token is for, to recognise it in the list.
    pub name: String,
    pub scope: TokenScope,
    /// Days until it expires (1 to 365, default 90).
    #[serde(default)]
    pub expires_in_days: Option<i64>,
}

/// The token record and, this once, the secret itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub token: ApiToken,
    /// Send as `Authorization: Bearer <secret>`; it is not shown again.
    pub secret: String,
}

#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "auth", responses((status = 200, body = Vec<ApiToken>)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<Vec<ApiToken>>, AppError> {
    Ok(Json(state.store.list_api_tokens(caller.account.id).await?))
}

/// Creates a token for the caller; its secret is shown once and stored only as a hash.
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "auth", request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(request): ApiJson<NewToken>,
) -> Result<Response, AppError> {
    let created = issue_token(&state, &caller, &request).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Checks and stores a new token for `caller`.
pub async fn issue_token(
    state: &AppState,
    caller: &crate::auth::Principal,
    request: &NewToken,
) -> Result<CreatedToken, AppError> {
    let mut errors = crate::domain::FieldErrors::new();
    let name = errors.check_name("name", &request.name);
    let days = request.expires_in_days.unwrap_or(90);
    if !(1..=365).contains(&days) {
        errors.add("expires_in_days", "must be between 1 and 365");
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let now = crate::domain::audit::truncate_to_micros(OffsetDateTime::now_utc());
    let secret = format!("charter_{}", random_secret());
    let token = ApiToken {
        id: Uuid::now_v7(),
        account_id: caller.account.id,
        name,
        scope: request.scope,
        created_at: now,
        expires_at: now + Duration::days(days),
        last_used_at: None,
        revoked_at: None,
    };
    state
        .store
        .create_api_token(&caller.actor(), &token, &secret_hash(&secret))
        .await?;
    Ok(CreatedToken { token, secret })
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", tag = "auth", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<StatusCode, AppError> {
    state
        .store
        .revoke_api_token(&caller.actor(), caller.account.id, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the caller's password; every other session of the account ends.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(request): ApiJson<PasswordChange>,
) -> Result<StatusCode, AppError> {
    crate::auth::change_password::change_password(
        state.store.as_ref(),
        &caller,
        &request.current_password,
        &request.new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
