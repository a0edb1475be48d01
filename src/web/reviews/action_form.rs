//! Raising an improvement action by form: the work, where it came from, its owner (by email) and
//! its due date. Opened from a draft review's decision, it belongs to that decision.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::improvement_action::{ActionSource, ImprovementActionInput, NewActionFields};
use crate::store::{Store, StoreError, StoreResult};
use crate::web::error::PageResult;
use crate::web::forms::{
    Field, SelectOption, add_missing, error_summary, parse_optional_date, parse_optional_id,
    person_by_email,
};
use crate::web::layout::{Area, Layout};
use crate::web::share_links::sentence;

/// The form as submitted, all text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    title: String,
    description: String,
    source: String,
    owner_email: String,
    due_on: String,
    /// Set when the form was opened from a review's decision.
    decision_id: String,
}

impl ActionForm {
    async fn to_input(
        &self,
        store: &dyn Store,
    ) -> StoreResult<Result<ImprovementActionInput, FieldErrors>> {
        let mut errors = FieldErrors::new();
        let decision_id = parse_optional_id(&self.decision_id).ok().flatten();
        let source = match decision_id {
            Some(_) => ActionSource::ManagementReview,
            None => self.source.parse().unwrap_or_else(|_| {
                errors.add("source", "is required: choose where the action comes from");
                ActionSource::Other
            }),
        };
        let owner_id = match person_by_email(store, &self.owner_email).await? {
            Ok(Some(id)) => id,
            Ok(None) => {
                errors.add("owner_id", "is required: type the owner's email");
                uuid::Uuid::nil()
            }
            Err(()) => {
                errors.add("owner_id", "is not the email of anyone in Charter");
                uuid::Uuid::nil()
            }
        };
        let due_on = parse_optional_date(&self.due_on)
            .ok()
            .flatten()
            .unwrap_or_else(|| {
                errors.add("due_on", "is required (YYYY-MM-DD)");
                today()
            });
        let input = ImprovementActionInput {
            fields: NewActionFields {
                title: self.title.clone(),
                description: self.description.clone(),
                owner_id,
                due_on,
            },
            source,
            decision_id,
        };
        Ok(match input.validate() {
            Ok(valid) if errors.is_empty() => Ok(valid),
            Ok(_) => Err(errors),
            Err(more) => {
                add_missing(&mut errors, &more);
                Err(errors)
            }
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews/action_form.html", whitespace = "minimize")]
pub struct ActionFormPage {
    layout: Layout,
    summary: Vec<(String, String)>,
    refusal: Option<String>,
    title: Field,
    description: Field,
    source: Field,
    sources: Vec<SelectOption>,
    owner: Field,
    due_on: Field,
    decision_id: String,
}

async fn form_page(
    state: &AppState,
    form: ActionForm,
    errors: &FieldErrors,
    refusal: Option<String>,
) -> ActionFormPage {
    let field =
        |id, label, value: &str, key: &str| Field::new(id, label, value).with_errors(errors, key);
    let title = field("title", "Action", &form.title, "title");
    let description = field(
        "description",
        "Description",
        &form.description,
        "description",
    );
    let source = field("source", "Source", &form.source, "source");
    let owner = field(
        "owner_email",
        "Owner's email",
        &form.owner_email,
        "owner_id",
    );
    let due_on = field("due_on", "Due on", &form.due_on, "due_on");
    let sources = std::iter::once(SelectOption::new(
        "",
        "Choose the source",
        form.source.is_empty(),
    ))
    .chain(
        ActionSource::ALL
            .iter()
            .filter(|s| **s != ActionSource::ManagementReview)
            .map(|s| SelectOption::new(s.as_str(), s.label(), s.as_str() == form.source)),
    )
    .collect();
    ActionFormPage {
        layout: Layout::load(state, Area::Leadership, "Raise an improvement action").await,
        summary: error_summary(&[&title, &description, &source, &owner, &due_on]),
        refusal,
        title,
        description,
        source,
        sources,
        owner,
        due_on,
        decision_id: form.decision_id,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewActionQuery {
    decision_id: String,
}

pub async fn new_action(
    State(state): State<AppState>,
    Query(query): Query<NewActionQuery>,
) -> ActionFormPage {
    let form = ActionForm {
        decision_id: query.decision_id,
        ..ActionForm::default()
    };
    form_page(&state, form, &FieldErrors::new(), None).await
}

pub async fn create_action(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<ActionForm>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let result = match form.to_input(store).await? {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => {
            store
                .create_improvement_action(&caller.account, input, today())
                .await
        }
    };
    let (status, errors, refusal) = match result {
        Ok(action) => {
            let to = format!("/leadership/actions/{}?flash=created", action.id);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Err(StoreError::Conflict(message)) => (
            StatusCode::CONFLICT,
            FieldErrors::new(),
            Some(sentence(&message)),
        ),
        Err(other) => return Err(other.into()),
    };
    let page = form_page(&state, form, &errors, refusal).await;
    Ok((status, page).into_response())
}
