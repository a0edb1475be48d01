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
use uuid::Uuid;

use super::error::{PageResult, parse_id};
use super::forms::{SelectOption, kind_options, status_options, unit_options};
use super::layout::{Area, Layout};
use super::people_form::{PersonFields, PersonForm};
use crate::app::{AppState, today};
use crate::auth::principal::current_actor;
use crate::domain::FieldErrors;
use crate::store::StoreError;

#[derive(Template, WebTemplate)]
#[template(path = "people/form.html", whitespace = "minimize")]
pub struct PersonFormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel_href: String,
    submit_label: &'static str,
    summary: Vec<(String, String)>,
    fields: PersonFields,
    unit_options: Vec<SelectOption>,
    kind_options: Vec<SelectOption>,
    status_options: Vec<SelectOption>,
}

/// Where the form posts and what it is about: a new person, or the one with this id.
struct Target {
    id: Option<Uuid>,
    heading: String,
}

async fn form_page(
    state: &AppState,
    target: Target,
    form: PersonForm,
    errors: &FieldErrors,
) -> PageResult<PersonFormPage> {
    let units = state.store.all_units().await?;
    let (action, cancel_href, submit_label) = match target.id {
        Some(id) => (
            format!("/people/{id}"),
            format!("/people/{id}"),
            "Save changes",
        ),
        None => ("/people".to_owned(), "/people".to_owned(), "Create person"),
    };
    let fields = PersonFields::new(form, errors);
    Ok(PersonFormPage {
        layout: Layout::load(state, Area::People, target.heading.clone()).await,
        heading: target.heading,
        action,
        cancel_href,
        submit_label,
        summary: fields.summary(),
        unit_options: unit_options(&units, &fields.unit_id.value, "No unit", &[]),
        kind_options: kind_options(&fields.kind.value, None),
        status_options: status_options(&fields.status.value, None),
        fields,
    })
}

pub async fn new_person(State(state): State<AppState>) -> PageResult<PersonFormPage> {
    let form = PersonForm {
        kind: "employee".into(),
        status: "active".into(),
        ..PersonForm::default()
    };
    form_page(
        &state,
        Target {
            id: None,
            heading: "New person".into(),
        },
        form,
        &FieldErrors::new(),
    )
    .await
}

pub async fn edit_person(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PageResult<PersonFormPage> {
    let person = state.store.get_person(parse_id(&raw, "person")?).await?;
    let form = PersonForm::from_person(state.store.as_ref(), &person).await?;
    let target = Target {
        id: Some(person.id),
        heading: format!("Edit {}", person.name),
    };
    form_page(&state, target, form, &FieldErrors::new()).await
}

pub async fn create_person(
    State(state): State<AppState>,
    Form(form): Form<PersonForm>,
) -> PageResult<Response> {
    save(
        &state,
        Target {
            id: None,
            heading: "New person".into(),
        },
        form,
    )
    .await
}

pub async fn update_person(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Form(form): Form<PersonForm>,
) -> PageResult<Response> {
    let person = state.store.get_person(parse_id(&raw, "person")?).await?;
    save(
        &state,
        Target {
            id: Some(person.id),
            heading: format!("Edit {}", person.name),
        },
        form,
    )
    .await
}

/// Writes the person and redirects to their page, or shows the form again with its messages.
async fn save(state: &AppState, target: Target, form: PersonForm) -> PageResult<Response> {
    let store = state.store.as_ref();
    let result = match form.to_input(store).await? {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => match target.id {
            Some(id) => {
                store
                    .update_person(&current_actor(), id, input, today())
                    .await
            }
            None => store.create_person(&current_actor(), input, today()).await,
        },
    };
    match result {
        Ok(person) => {
            crate::campaign_actions::people_changed(store, &current_actor(), today()).await;
            let flash = if target.id.is_some() {
                "saved"
            } else {
                "created"
            };
            Ok(Redirect::to(&format!("/people/{}?flash={flash}", person.id)).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let page = form_page(state, target, form, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
