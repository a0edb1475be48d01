//! The one-time setup link: the first administrator is created in the browser.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::PageResult;
use super::forms::{Field, error_summary};
use super::layout::{Area, Layout};
use crate::app::{AppState, today};
use crate::auth::password::hash_password;
use crate::auth::secret::secret_hash;
use crate::auth::session_cookie;
use crate::auth::sign_in::start_session;
use crate::domain::access::Role;
use crate::domain::account::check_password;
use crate::domain::{Actor, FieldErrors, PersonInput, PersonKind, PersonStatus};
use crate::store::StoreError;

#[derive(Template, WebTemplate)]
#[template(path = "session/setup.html", whitespace = "minimize")]
pub struct SetupPage {
    layout: Layout,
    valid: bool,
    token: String,
    name: Field,
    email: Field,
    password: Field,
    summary: Vec<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn page(state: &AppState, form: &SetupForm, valid: bool, errors: &FieldErrors) -> SetupPage {
    let name = Field::new("name", "Your name", form.name.as_str()).with_errors(errors, "name");
    let email = Field::new("email", "Your email", form.email.as_str()).with_errors(errors, "email");
    let password = Field::new("password", "Password", "").with_errors(errors, "password");
    let summary = error_summary(&[&name, &email, &password]);
    SetupPage {
        layout: Layout::load(state, Area::Elsewhere, "Set up Charter").await,
        valid,
        token: form.token.clone(),
        name,
        email,
        password,
        summary,
    }
}

pub async fn setup_form(
    State(state): State<AppState>,
    Query(form): Query<SetupForm>,
) -> PageResult<Response> {
    let valid = state
        .store
        .check_setup_token(&secret_hash(&form.token), false)
        .await?;
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok((
        status,
        page(&state, &form, valid, &FieldErrors::new()).await,
    )
        .into_response())
}

/// Creates the person (or uses the one with that email) and their admin account, then signs in.
pub async fn complete_setup(
    State(state): State<AppState>,
    Form(form): Form<SetupForm>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let token_hash = secret_hash(&form.token);
    if !store.check_setup_token(&token_hash, false).await? {
        return Ok((
            StatusCode::NOT_FOUND,
            page(&state, &form, false, &FieldErrors::new()).await,
        )
            .into_response());
    }
    let mut errors = FieldErrors::new();
    if let Err(reason) = check_password(&form.password, &form.email, &form.name) {
        errors.add("password", reason);
    }
    let input = PersonInput {
        name: form.name.clone(),
        email: form.email.clone(),
        job_title: String::new(),
        unit_id: None,
        manager_id: None,
        kind: PersonKind::Employee,
        status: PersonStatus::Active,
        departed_on: None,
    };
    if let Err(fields) = input.clone().validate(today()) {
        for (field, messages) in fields.iter() {
            messages.iter().for_each(|m| errors.add(field, m.clone()));
        }
    }
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, &form, true, &errors).await,
        )
            .into_response());
    }
    let hash = hash_password(&form.password).map_err(StoreError::Config)?;
    if !store.check_setup_token(&token_hash, true).await? {
        return Ok((
            StatusCode::NOT_FOUND,
            page(&state, &form, false, &FieldErrors::new()).await,
        )
            .into_response());
    }
    let actor = Actor::named("setup");
    let person = match store.person_by_email(&form.email).await? {
        Some(person) => person,
        None => store.create_person(&actor, input, today()).await?,
    };
    let account = store
        .create_account(&actor, person.id, Some(hash), &[Role::Admin])
        .await?;
    let started = start_session(store, account).await?;
    let cookie = session_cookie(&started.token, state.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response())
}
