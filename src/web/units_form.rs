//! Creating and editing a unit; the head is typed as an email, like a person's manager.

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
    Field, SelectOption, add_missing, error_summary, parse_optional_id, person_by_email,
    unit_options,
};
use super::layout::{Area, Layout};
use crate::app::AppState;
use crate::auth::principal::current_actor;
use crate::domain::unit::subtree_ids;
use crate::domain::{FieldErrors, Unit, UnitInput};
use crate::store::{Store, StoreError};

/// The form as submitted, all text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UnitForm {
    name: String,
    description: String,
    parent_id: String,
    head_email: String,
}

impl UnitForm {
    async fn from_unit(store: &dyn Store, unit: &Unit) -> Result<Self, StoreError> {
        let head_email = match unit.head_id {
            Some(id) => store.get_person(id).await?.email,
            None => String::new(),
        };
        let parent_id = unit.parent_id.map(|id| id.to_string()).unwrap_or_default();
        Ok(Self {
            name: unit.name.clone(),
            description: unit.description.clone(),
            parent_id,
            head_email,
        })
    }

    async fn to_input(
        &self,
        store: &dyn Store,
    ) -> Result<Result<UnitInput, FieldErrors>, StoreError> {
        let mut errors = FieldErrors::new();
        let parent_id = parse_optional_id(&self.parent_id).unwrap_or_else(|()| {
            errors.add("parent_id", "is not a known unit");
            None
        });
        let head_id = person_by_email(store, &self.head_email)
            .await?
            .unwrap_or_else(|()| {
                errors.add("head_id", "is not the email of anyone in Charter");
                None
            });
        let input = UnitInput {
            name: self.name.clone(),
            description: self.description.clone(),
            parent_id,
            head_id,
        };
        if errors.is_empty() {
            return Ok(Ok(input));
        }
        if let Err(more) = input.validate() {
            add_missing(&mut errors, &more);
        }
        Ok(Err(errors))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "units/form.html", whitespace = "minimize")]
pub struct UnitFormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel_href: String,
    submit_label: &'static str,
    summary: Vec<(String, String)>,
    name: Field,
    description: Field,
    parent_id: Field,
    head_email: Field,
    parent_options: Vec<SelectOption>,
}

struct Target {
    id: Option<Uuid>,
    heading: String,
}

async fn form_page(
    state: &AppState,
    target: Target,
    form: UnitForm,
    errors: &FieldErrors,
) -> PageResult<UnitFormPage> {
    let units = state.store.all_units().await?;
    // A unit cannot sit below itself or below any unit under it.
    let excluded = target
        .id
        .map(|id| subtree_ids(&units, id))
        .unwrap_or_default();
    let (action, cancel_href, submit_label) = match target.id {
        Some(id) => (
            format!("/units/{id}"),
            format!("/units/{id}"),
            "Save changes",
        ),
        None => ("/units".to_owned(), "/units".to_owned(), "Create unit"),
    };
    let name = Field::new("name", "Name", form.name).with_errors(errors, "name");
    let description = Field::new("description", "Description", form.description)
        .with_errors(errors, "description");
    let parent_id =
        Field::new("parent_id", "Part of", form.parent_id).with_errors(errors, "parent_id");
    let head_email =
        Field::new("head_email", "Head's email", form.head_email).with_errors(errors, "head_id");
    Ok(UnitFormPage {
        layout: Layout::load(state, Area::Units, target.heading.clone()).await,
        heading: target.heading,
        action,
        cancel_href,
        submit_label,
        summary: error_summary(&[&name, &description, &parent_id, &head_email]),
        parent_options: unit_options(
            &units,
            &parent_id.value,
            "Nothing: a top-level unit",
            &excluded,
        ),
        name,
        description,
        parent_id,
        head_email,
    })
}

pub async fn new_unit(State(state): State<AppState>) -> PageResult<UnitFormPage> {
    form_page(
        &state,
        Target {
            id: None,
            heading: "New unit".into(),
        },
        UnitForm::default(),
        &FieldErrors::new(),
    )
    .await
}

pub async fn edit_unit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PageResult<UnitFormPage> {
    let unit = state.store.get_unit(parse_id(&raw, "unit")?).await?;
    let form = UnitForm::from_unit(state.store.as_ref(), &unit).await?;
    form_page(
        &state,
        Target {
            id: Some(unit.id),
            heading: format!("Edit {}", unit.name),
        },
        form,
        &FieldErrors::new(),
    )
    .await
}

pub async fn create_unit(
    State(state): State<AppState>,
    Form(form): Form<UnitForm>,
) -> PageResult<Response> {
    save(
        &state,
        Target {
            id: None,
            heading: "New unit".into(),
        },
        form,
    )
    .await
}

pub async fn update_unit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Form(form): Form<UnitForm>,
) -> PageResult<Response> {
    let unit = state.store.get_unit(parse_id(&raw, "unit")?).await?;
    save(
        &state,
        Target {
            id: Some(unit.id),
            heading: format!("Edit {}", unit.name),
        },
        form,
    )
    .await
}

async fn save(state: &AppState, target: Target, form: UnitForm) -> PageResult<Response> {
    let store = state.store.as_ref();
    let result = match form.to_input(store).await? {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => match target.id {
            Some(id) => store.update_unit(&current_actor(), id, input).await,
            None => store.create_unit(&current_actor(), input).await,
        },
    };
    match result {
        Ok(unit) => {
            let flash = if target.id.is_some() {
                "saved"
            } else {
                "created"
            };
            Ok(Redirect::to(&format!("/units/{}?flash={flash}", unit.id)).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let page = form_page(state, target, form, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
