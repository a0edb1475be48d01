//! The caller's own account: who they are in Charter, changing their password, and their API
//! tokens (created with the secret shown once, listed, revoked).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use super::admin::{RoleLine, role_lines};
use super::error::{PageResult, parse_id};
use super::forms::{Field, SelectOption, error_summary};
use super::layout::{Area, Layout};
use super::moment::{Moment, moment};
use super::views::Badge;
use crate::api::auth::{NewToken, issue_token};
use crate::app::AppState;
use crate::auth::change_password::change_password;
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::account::{ApiToken, TokenScope};
use crate::error::AppError;
use crate::store::StoreError;

/// `?flash=` names one of a few fixed messages; nothing typed by a user is echoed.
#[derive(Debug, Default, Deserialize)]
pub struct AccountFlash {
    #[serde(default)]
    flash: String,
}

impl AccountFlash {
    fn message(&self) -> Option<&'static str> {
        match self.flash.as_str() {
            "password" => Some(
                "Your password was changed. Every other session of your account has ended: \
                 other browsers and devices must sign in again with the new password.",
            ),
            "revoked" => Some("The token was revoked. Programs using it are refused from now on."),
            _ => None,
        }
    }
}

/// The password form as shown again: passwords are never sent back, only the messages.
pub struct PasswordFields {
    pub current: Field,
    pub new: Field,
}

impl PasswordFields {
    fn new(errors: &FieldErrors) -> Self {
        let mut current = Field::new("current_password", "Current password", "");
        if errors.get("current_password").is_some() {
            // The only refusal of this field; "Current password is not your current
            // password" would read badly.
            current.error = Some("This is not your current password.".to_owned());
        }
        Self {
            current,
            new: Field::new("new_password", "New password", "").with_errors(errors, "new_password"),
        }
    }
}

/// The new-token form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    token_name: String,
    token_scope: String,
    token_days: String,
}

pub struct TokenFields {
    pub name: Field,
    pub scope: Field,
    pub days: Field,
    pub scope_options: Vec<SelectOption>,
}

impl TokenFields {
    fn new(form: &TokenForm, errors: &FieldErrors) -> Self {
        let scope = if form.token_scope.is_empty() {
            "read"
        } else {
            form.token_scope.as_str()
        };
        let days = if form.token_days.trim().is_empty() {
            "90"
        } else {
            form.token_days.trim()
        };
        Self {
            name: Field::new("token_name", "Name", form.token_name.trim())
                .with_errors(errors, "name"),
            scope: Field::new("token_scope", "Scope", scope).with_errors(errors, "scope"),
            days: Field::new("token_days", "Expires after (days)", days)
                .with_errors(errors, "expires_in_days"),
            scope_options: vec![
                SelectOption::new("read", scope_word(TokenScope::Read), scope == "read"),
                SelectOption::new("write", scope_word(TokenScope::Write), scope == "write"),
            ],
        }
    }
}

fn scope_word(scope: TokenScope) -> &'static str {
    match scope {
        TokenScope::Read => "Read only",
        TokenScope::Write => "Read and change (as far as your roles allow)",
    }
}

/// One line of the tokens table.
pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub scope: &'static str,
    pub created: Moment,
    pub expires: Moment,
    pub last_used: Option<Moment>,
    pub revoked: Option<Moment>,
    pub status: Badge,
    pub usable: bool,
}

fn token_row(token: &ApiToken, now: OffsetDateTime) -> TokenRow {
    let status = if token.revoked_at.is_some() {
        Badge::new("grey", "Revoked")
    } else if token.expires_at <= now {
        Badge::new("grey", "Expired")
    } else {
        Badge::new("green", "Active")
    };
    TokenRow {
        id: token.id.to_string(),
        name: token.name.clone(),
        scope: match token.scope {
            TokenScope::Read => "Read only",
            TokenScope::Write => "Read and change",
        },
        created: moment(token.created_at, now),
        expires: moment(token.expires_at, now),
        last_used: token.last_used_at.map(|at| moment(at, now)),
        revoked: token.revoked_at.map(|at| moment(at, now)),
        status,
        usable: token.is_usable(now),
    }
}

/// A token just created: its secret, shown on this one page and never again.
pub struct NewSecret {
    pub name: String,
    pub secret: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/show.html", whitespace = "minimize")]
pub struct AccountPage {
    layout: Layout,
    flash: Option<&'static str>,
    name: String,
    email: String,
    person_href: String,
    roles: Vec<RoleLine>,
    password: PasswordFields,
    password_summary: Vec<(String, String)>,
    token: TokenFields,
    token_summary: Vec<(String, String)>,
    tokens: Vec<TokenRow>,
    new_secret: Option<NewSecret>,
}

/// What a render of the page differs by.
#[derive(Default)]
struct Outcome {
    flash: Option<&'static str>,
    password_errors: FieldErrors,
    token_form: TokenForm,
    token_errors: FieldErrors,
    new_secret: Option<NewSecret>,
}

async fn account_page(
    state: &AppState,
    caller: &Principal,
    outcome: Outcome,
) -> PageResult<AccountPage> {
    let account = &caller.account;
    let now = OffsetDateTime::now_utc();
    let tokens = state.store.list_api_tokens(account.id).await?;
    let password = PasswordFields::new(&outcome.password_errors);
    let token = TokenFields::new(&outcome.token_form, &outcome.token_errors);
    Ok(AccountPage {
        layout: Layout::load(state, Area::Elsewhere, "Your account").await,
        flash: outcome.flash,
        name: account.name.clone(),
        email: account.email.clone(),
        person_href: format!("/people/{}", account.person_id),
        roles: role_lines(&account.roles),
        password_summary: error_summary(&[&password.current, &password.new]),
        password,
        token_summary: error_summary(&[&token.name, &token.scope, &token.days]),
        token,
        tokens: tokens.iter().map(|t| token_row(t, now)).collect(),
        new_secret: outcome.new_secret,
    })
}

pub async fn show_account(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(flash): Query<AccountFlash>,
) -> PageResult<AccountPage> {
    let outcome = Outcome {
        flash: flash.message(),
        ..Outcome::default()
    };
    account_page(&state, &caller, outcome).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

/// Changes the caller's password; the session that made the change stays, every other ends.
pub async fn update_password(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<PasswordForm>,
) -> PageResult<Response> {
    let result = change_password(
        state.store.as_ref(),
        &caller,
        &form.current_password,
        &form.new_password,
    )
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/account?flash=password").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let outcome = Outcome {
                password_errors: errors,
                ..Outcome::default()
            };
            let page = account_page(&state, &caller, outcome).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Creates a token and shows its secret on the answer itself: it is stored only as a hash, so
/// no later page can show it.
pub async fn create_token(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<TokenForm>,
) -> PageResult<Response> {
    let mut errors = FieldErrors::new();
    let scope = match form.token_scope.parse::<TokenScope>() {
        Ok(scope) => Some(scope),
        Err(_) => {
            errors.add("scope", "must be read only, or read and change");
            None
        }
    };
    let days = match form.token_days.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(days) => Some(days),
            Err(_) => {
                errors.add("expires_in_days", "must be a whole number of days");
                None
            }
        },
    };
    let result = match scope {
        Some(scope) if errors.is_empty() => {
            let request = NewToken {
                name: form.token_name.clone(),
                scope,
                expires_in_days: days,
            };
            issue_token(&state, &caller, &request).await
        }
        _ => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(created) => {
            let outcome = Outcome {
                new_secret: Some(NewSecret {
                    name: created.token.name,
                    secret: created.secret,
                }),
                ..Outcome::default()
            };
            let page = account_page(&state, &caller, outcome).await?;
            Ok((StatusCode::CREATED, page).into_response())
        }
        Err(AppError::Invalid(mut errors)) => {
            if errors.is_empty() {
                errors.add("name", "could not be used");
            }
            let outcome = Outcome {
                token_form: form,
                token_errors: errors,
                ..Outcome::default()
            };
            let page = account_page(&state, &caller, outcome).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Ok(super::error_page(other)),
    }
}

/// Revokes one of the caller's own tokens; another account's token is not found.
pub async fn revoke_token(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "API token")?;
    state
        .store
        .revoke_api_token(&caller.actor(), caller.account.id, id)
        .await?;
    Ok(Redirect::to("/account?flash=revoked").into_response())
}
