//! Creating and editing a person through a form that keeps what was typed when it is refused.
//!
//! The manager is typed as an email, not picked from a list: a select of 100,000 people is
//! unusable, and an email is what people know of each other. The server resolves it to an id.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::error::{PageResult, parse_id};
use super::forms::{
    add_missing,
    Field, SelectOption, error_summary, format_date, kind_options, parse_optional_date, parse_optional_id, person_by_email,
    status_options, unit_options,
};
use super::layout::{Area, Layout};
use crate::app::{AppState, today};
use crate::domain::{Actor, FieldErrors, Person, PersonInput, PersonKind, PersonStatus};
use crate::store::{Store, StoreError};

/// The form as submitted: all text, so nothing typed is lost before it can be shown again.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    name: String,
    email: String,
    job_title: String,
    unit_id: String,
    manager_email: String,
    kind: String,
    status: String,
    departed_on: String,
}

impl PersonForm {
    async fn from_person(store: &dyn Store, person: &Person) -> Result<Self, StoreError> {
        let manager_email = match person.manager_id {
            Some(id) => store.get_person(id).await?.email,
            None => String::new(),
        };
        Ok(Self {
            name: person.name.clone(),
            email: person.email.clone(),
            job_title: person.job_title.clone(),
            unit_id: person.unit_id.map(|id| id.to_string()).unwrap_or_default(),
            manager_email,
            kind: person.kind.as_str().to_owned(),
            status: person.status.as_str().to_owned(),
            departed_on: person.departed_on.map(format_date).unwrap_or_default(),
        })
    }

    /// The input for the store, or every message that can be found without writing.
    async fn to_input(&self, store: &dyn Store) -> Result<Result<PersonInput, FieldErrors>, StoreError> {
        let mut errors = FieldErrors::new();
        let unit_id = parse_optional_id(&self.unit_id).unwrap_or_else(|()| {
            errors.add("unit_id", "is not a known unit");
            None
        });
        let manager_id = person_by_email(store, &self.manager_email).await?.unwrap_or_else(|()| {
            errors.add("manager_id", "is not the email of anyone in Charter");
            None
        });
        // An empty kind or status takes the same default as the API: an active employee.
        let kind = or_default(&self.kind, PersonKind::Employee).unwrap_or_else(|message: String| {
            errors.add("kind", message);
            PersonKind::Employee
        });
        let status = or_default(&self.status, PersonStatus::Active).unwrap_or_else(|message: String| {
            errors.add("status", message);
            PersonStatus::Active
        });
        let departed_on = parse_optional_date(&self.departed_on).unwrap_or_else(|()| {
            errors.add("departed_on", "is not a date (YYYY-MM-DD)");
            None
        });
        let input = PersonInput {
            name: self.name.clone(),
            email: self.email.clone(),
            job_title: self.job_title.clone(),
            unit_id,
            manager_id,
            kind,
            status,
            departed_on,
        };
        if errors.is_empty() {
            return Ok(Ok(input));
        }
        // Show the rules the store would apply too, so one submit reveals every problem.
        if let Err(more) = input.validate(today()) {
            add_missing(&mut errors, &more);
        }
        Ok(Err(errors))
    }
}

fn or_default<T: std::str::FromStr<Err = String>>(raw: &str, default: T) -> Result<T, String> {
    if raw.trim().is_empty() { Ok(default) } else { raw.parse() }
}

#[derive(Template, WebTemplate)]
#[template(path = "people/form.html")]
pub struct PersonFormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel_href: String,
    submit_label: &'static str,
    summary: Vec<(String, String)>,
    name: Field,
    email: Field,
    job_title: Field,
    unit_id: Field,
    manager_email: Field,
    kind: Field,
    status: Field,
    departed_on: Field,
    unit_options: Vec<SelectOption>,
    kind_options: Vec<SelectOption>,
    status_options: Vec<SelectOption>,
}

/// Where the form posts and what it is about: a new person, or the one with this id.
struct Target {
    id: Option<Uuid>,
    heading: String,
}

async fn form_page(state: &AppState, target: Target, form: PersonForm, errors: &FieldErrors) -> PageResult<PersonFormPage> {
    let units = state.store.all_units().await?;
    let (action, cancel_href, submit_label) = match target.id {
        Some(id) => (format!("/people/{id}"), format!("/people/{id}"), "Save changes"),
        None => ("/people".to_owned(), "/people".to_owned(), "Create person"),
    };
    let name = Field::new("name", "Name", form.name).with_errors(errors, "name");
    let email = Field::new("email", "Email", form.email).with_errors(errors, "email");
    let job_title = Field::new("job_title", "Job title", form.job_title).with_errors(errors, "job_title");
    let unit_id = Field::new("unit_id", "Unit", form.unit_id).with_errors(errors, "unit_id");
    let manager_email = Field::new("manager_email", "Manager's email", form.manager_email).with_errors(errors, "manager_id");
    let kind = Field::new("kind", "Kind", form.kind).with_errors(errors, "kind");
    let status = Field::new("status", "Status", form.status).with_errors(errors, "status");
    let departed_on = Field::new("departed_on", "Departure date", form.departed_on).with_errors(errors, "departed_on");
    let summary = error_summary(&[&name, &email, &job_title, &unit_id, &manager_email, &kind, &status, &departed_on]);
    Ok(PersonFormPage {
        layout: Layout::load(state, Area::People, target.heading.clone()).await,
        heading: target.heading,
        action,
        cancel_href,
        submit_label,
        summary,
        unit_options: unit_options(&units, &unit_id.value, "No unit", &[]),
        kind_options: kind_options(&kind.value, None),
        status_options: status_options(&status.value, None),
        name,
        email,
        job_title,
        unit_id,
        manager_email,
        kind,
        status,
        departed_on,
    })
}

pub async fn new_person(State(state): State<AppState>) -> PageResult<PersonFormPage> {
    let form = PersonForm { kind: "employee".into(), status: "active".into(), ..PersonForm::default() };
    form_page(&state, Target { id: None, heading: "New person".into() }, form, &FieldErrors::new()).await
}

pub async fn edit_person(State(state): State<AppState>, Path(raw): Path<String>) -> PageResult<PersonFormPage> {
    let person = state.store.get_person(parse_id(&raw, "person")?).await?;
    let form = PersonForm::from_person(state.store.as_ref(), &person).await?;
    let target = Target { id: Some(person.id), heading: format!("Edit {}", person.name) };
    form_page(&state, target, form, &FieldErrors::new()).await
}

pub async fn create_person(State(state): State<AppState>, Form(form): Form<PersonForm>) -> PageResult<Response> {
    save(&state, Target { id: None, heading: "New person".into() }, form).await
}

pub async fn update_person(State(state): State<AppState>, Path(raw): Path<String>, Form(form): Form<PersonForm>) -> PageResult<Response> {
    let person = state.store.get_person(parse_id(&raw, "person")?).await?;
    save(&state, Target { id: Some(person.id), heading: format!("Edit {}", person.name) }, form).await
}

/// Writes the person and redirects to their page, or shows the form again with its messages.
async fn save(state: &AppState, target: Target, form: PersonForm) -> PageResult<Response> {
    let store = state.store.as_ref();
    let result = match form.to_input(store).await? {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => match target.id {
            Some(id) => store.update_person(&Actor::web(), id, input, today()).await,
            None => store.create_person(&Actor::web(), input, today()).await,
        },
    };
    match result {
        Ok(person) => {
            let flash = if target.id.is_some() { "saved" } else { "created" };
            Ok(Redirect::to(&format!("/people/{}?flash={flash}", person.id)).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let page = form_page(state, target, form, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
