//! Adding and editing a process by form: its name, how the ISMS is built into it, its owner (by
//! email), evidence and verification interval. A refused form comes back with its messages.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::super::error::{PageResult, parse_id};
use super::super::forms::{Field, add_missing, error_summary, person_by_email};
use super::super::layout::{Area, Layout};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::process::{DEFAULT_VERIFICATION_DAYS, Process, ProcessInput};
use crate::store::{Store, StoreError};

/// The form as typed, all text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProcessForm {
    name: String,
    integration: String,
    owner_email: String,
    evidence: String,
    verification_interval_days: String,
    key_process: String,
}

impl ProcessForm {
    fn blank() -> Self {
        Self {
            verification_interval_days: DEFAULT_VERIFICATION_DAYS.to_string(),
            ..Self::default()
        }
    }

    async fn of(store: &dyn Store, process: &Process) -> Result<Self, StoreError> {
        let owner_email = match process.owner_id {
            Some(id) => store.get_person(id).await?.email,
            None => String::new(),
        };
        Ok(Self {
            name: process.name.clone(),
            integration: process.integration.clone(),
            owner_email,
            evidence: process.evidence.clone(),
            verification_interval_days: process.verification_interval_days.to_string(),
            key_process: if process.key_process { "1" } else { "" }.to_owned(),
        })
    }

    async fn to_input(&self, store: &dyn Store) -> Result<ProcessInput, StoreError> {
        let mut errors = FieldErrors::new();
        let owner_id = person_by_email(store, &self.owner_email)
            .await?
            .unwrap_or_else(|()| {
                errors.add(
                    "owner_email",
                    "is not the email of anyone in the organization",
                );
                None
            });
        let interval = self
            .verification_interval_days
            .trim()
            .parse::<i32>()
            .unwrap_or_else(|_| {
                errors.add("verification_interval_days", "is not a number of days");
                DEFAULT_VERIFICATION_DAYS
            });
        let input = ProcessInput {
            name: self.name.clone(),
            integration: self.integration.clone(),
            owner_id,
            evidence: self.evidence.clone(),
            verification_interval_days: interval,
            key_process: matches!(self.key_process.as_str(), "1" | "on" | "true"),
        };
        match input.validate() {
            Ok(valid) if errors.is_empty() => Ok(valid),
            Ok(_) => Err(StoreError::Invalid(errors)),
            Err(more) => {
                add_missing(&mut errors, &more);
                Err(StoreError::Invalid(errors))
            }
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "commitments/process_form.html", whitespace = "minimize")]
pub struct ProcessFormPage {
    layout: Layout,
    /// The process edited; none for a new one.
    editing: Option<Uuid>,
    summary: Vec<(String, String)>,
    name: Field,
    integration: Field,
    owner_email: Field,
    evidence: Field,
    verification_interval_days: Field,
    key_process: bool,
}

fn form_page(
    layout: Layout,
    editing: Option<Uuid>,
    form: &ProcessForm,
    errors: &FieldErrors,
) -> ProcessFormPage {
    let field = |id, label, value: &str, key| Field::new(id, label, value).with_errors(errors, key);
    let name = field("name", "Name", &form.name, "name");
    let integration = field(
        "integration",
        "How the ISMS is built in",
        &form.integration,
        "integration",
    );
    let owner = &form.owner_email;
    let owner_email = field("owner_email", "Owner's email", owner, "owner_email");
    let owner_email = if owner_email.error.is_none() {
        owner_email.with_errors(errors, "owner_id")
    } else {
        owner_email
    };
    let evidence = field("evidence", "Evidence", &form.evidence, "evidence");
    let interval = &form.verification_interval_days;
    let key = "verification_interval_days";
    let verification_interval_days = field(key, "Verify every (days)", interval, key);
    ProcessFormPage {
        layout,
        editing,
        summary: error_summary(&[
            &name,
            &integration,
            &owner_email,
            &evidence,
            &verification_interval_days,
        ]),
        name,
        integration,
        owner_email,
        evidence,
        verification_interval_days,
        key_process: matches!(form.key_process.as_str(), "1" | "on" | "true"),
    }
}

pub async fn new_process(State(state): State<AppState>) -> PageResult<ProcessFormPage> {
    let layout = Layout::load(&state, Area::Leadership, "Add a process").await;
    Ok(form_page(
        layout,
        None,
        &ProcessForm::blank(),
        &FieldErrors::new(),
    ))
}

pub async fn create_process(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<ProcessForm>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let result = match form.to_input(store).await {
        Ok(input) => store.create_process(&caller.actor(), input, today()).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(process) => {
            let to = format!("/leadership/processes/{}?flash=updated", process.id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let layout = Layout::load(&state, Area::Leadership, "Add a process").await;
            let page = form_page(layout, None, &form, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_process(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PageResult<ProcessFormPage> {
    let id = parse_id(&raw, "process")?;
    let store = state.store.as_ref();
    let process = store.get_process(id, today()).await?;
    let form = ProcessForm::of(store, &process).await?;
    let title = format!("Edit {}", process.name);
    let layout = Layout::load(&state, Area::Leadership, title).await;
    Ok(form_page(layout, Some(id), &form, &FieldErrors::new()))
}

pub async fn update_process(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<ProcessForm>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "process")?;
    let store = state.store.as_ref();
    let today = today();
    let process = store.get_process(id, today).await?;
    let result = match form.to_input(store).await {
        Ok(input) => {
            store
                .update_process(&caller.actor(), id, input, today)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => {
            let to = format!("/leadership/processes/{id}?flash=updated");
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let title = format!("Edit {}", process.name);
            let layout = Layout::load(&state, Area::Leadership, title).await;
            let page = form_page(layout, Some(id), &form, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
