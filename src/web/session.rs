//! The sign-in page and signing out.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::forms::Field;
use super::layout::{Area, Layout};
use crate::app::AppState;
use crate::auth::sign_in::{SignInError, sign_in as check_sign_in};
use crate::auth::{Caller, ClientAddress, Credential, cleared_cookie, session_cookie};
use crate::store::StoreError;

#[derive(Template, WebTemplate)]
#[template(path = "session/sign_in.html", whitespace = "minimize")]
pub struct SignInPage {
    layout: Layout,
    email: Field,
    password: Field,
    next: String,
    message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    next: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn page(state: &AppState, email: &str, next: &str, message: Option<String>) -> SignInPage {
    SignInPage {
        layout: Layout::load(state, Area::Elsewhere, "Sign in").await,
        email: Field::new("email", "Email", email),
        password: Field::new("password", "Password", ""),
        next: safe_next(next).to_owned(),
        message,
    }
}

pub async fn sign_in_form(
    State(state): State<AppState>,
    Query(query): Query<SignInQuery>,
) -> SignInPage {
    page(&state, "", &query.next, None).await
}

/// Signs in and goes where the person was headed; a failure shows the form again.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<SignInForm>,
) -> Response {
    match check_sign_in(state.store.as_ref(), &form.email, &form.password, &address).await {
        Ok(started) => {
            let cookie = session_cookie(&started.token, state.secure_cookies);
            (
                [(header::SET_COOKIE, cookie)],
                Redirect::to(safe_next(&form.next)),
            )
                .into_response()
        }
        Err(error) => {
            let status = match &error {
                SignInError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
                SignInError::Failed => StatusCode::UNAUTHORIZED,
                SignInError::Store(StoreError::Forbidden(_)) => StatusCode::FORBIDDEN,
                SignInError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
            };
            if let SignInError::Store(e) = &error
                && !matches!(e, StoreError::Forbidden(_))
            {
                tracing::error!(error = %e, "sign-in could not reach the database");
            }
            (
                status,
                page(&state, &form.email, &form.next, Some(error.to_string())).await,
            )
                .into_response()
        }
    }
}

/// Ends the session and clears the cookie.
pub async fn sign_out(State(state): State<AppState>, Caller(caller): Caller) -> Response {
    if let Credential::Session { token_hash, .. } = &caller.credential
        && let Err(error) = state.store.end_session(token_hash).await
    {
        tracing::error!(%error, "the session could not be ended");
    }
    (
        [(header::SET_COOKIE, cleared_cookie(state.secure_cookies))],
        Redirect::to("/sign-in"),
    )
        .into_response()
}

/// Only a path on this site; anything else (another host, `//host`) goes to the dashboard.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/people?q=a"), "/people?q=a");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
    }
}
