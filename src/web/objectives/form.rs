//! Setting and editing an objective. Every refusal is shown beside its field with what was
//! typed; the owner is named by email, the theme chosen among the organization's (or typed).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::form_page::{ObjectiveFormPage, form_page};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::objective::{Direction, Objective, ObjectiveInput};
use crate::store::{Store, StoreError};
use crate::web::error::{PageResult, parse_id};
use crate::web::forms::{
    add_missing, format_date, parse_optional_date, parse_optional_id, person_by_email,
};
use crate::web::policy_views::sentence;

/// The form as submitted, all text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ObjectiveForm {
    pub(super) statement: String,
    pub(super) metric: String,
    pub(super) unit: String,
    pub(super) target: String,
    pub(super) direction: String,
    pub(super) owner_email: String,
    pub(super) due_on: String,
    pub(super) measurement_interval_days: String,
    pub(super) theme: String,
    pub(super) policy_id: String,
}

impl ObjectiveForm {
    async fn from_objective(store: &dyn Store, objective: &Objective) -> PageResult<Self> {
        let owner = store.get_person(objective.owner_id).await?;
        Ok(Self {
            statement: objective.statement.clone(),
            metric: objective.metric.clone(),
            unit: objective.unit.clone(),
            target: super::with_unit(objective.target, ""),
            direction: objective.direction.as_str().to_owned(),
            owner_email: owner.email,
            due_on: format_date(objective.due_on),
            measurement_interval_days: objective.measurement_interval_days.to_string(),
            theme: objective.theme.clone(),
            policy_id: objective
                .policy_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        })
    }

    /// The input for the store, or every message the form can find without it.
    async fn to_input(&self, store: &dyn Store) -> Result<ObjectiveInput, StoreError> {
        let mut errors = FieldErrors::new();
        let target = parse_number(&self.target).unwrap_or_else(|| {
            errors.add("target", "must be a number");
            0.0
        });
        let direction = self.direction.parse().unwrap_or_else(|_| {
            errors.add("direction", "choose at least or at most");
            Direction::AtLeast
        });
        let owner_id = match person_by_email(store, &self.owner_email).await? {
            Ok(Some(id)) => id,
            Ok(None) => {
                errors.add("owner_id", "is required: type the owner's email");
                Uuid::nil()
            }
            Err(()) => {
                errors.add("owner_id", "is not the email of anyone in Charter");
                Uuid::nil()
            }
        };
        let due_on = parse_optional_date(&self.due_on)
            .ok()
            .flatten()
            .unwrap_or_else(|| {
                errors.add(
                    "due_on",
                    "is required: choose the date it must be reached by",
                );
                today()
            });
        let measurement_interval_days = self
            .measurement_interval_days
            .trim()
            .parse()
            .unwrap_or_else(|_| {
                errors.add(
                    "measurement_interval_days",
                    "must be a whole number of days",
                );
                30
            });
        let policy_id = parse_optional_id(&self.policy_id).unwrap_or_else(|()| {
            errors.add("policy_id", "choose a policy from the list");
            None
        });
        let input = ObjectiveInput {
            statement: self.statement.clone(),
            metric: self.metric.clone(),
            unit: self.unit.clone(),
            target,
            direction,
            owner_id,
            due_on,
            measurement_interval_days,
            theme: self.theme.clone(),
            policy_id,
        };
        match input.clone().validate() {
            Ok(_) if errors.is_empty() => Ok(input),
            Ok(_) => Err(StoreError::Invalid(errors)),
            Err(more) => {
                add_missing(&mut errors, &more);
                Err(StoreError::Invalid(errors))
            }
        }
    }
}

/// A number as people type it: "87.5" or "87,5", with or without a percent sign.
pub fn parse_number(raw: &str) -> Option<f64> {
    let text = raw.trim().trim_end_matches('%').trim().replace(',', ".");
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

pub async fn new_objective(State(state): State<AppState>) -> PageResult<ObjectiveFormPage> {
    let form = ObjectiveForm {
        direction: Direction::AtLeast.as_str().to_owned(),
        measurement_interval_days: "30".into(),
        ..ObjectiveForm::default()
    };
    form_page(&state, None, form, &FieldErrors::new(), None).await
}

pub async fn edit_objective(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PageResult<ObjectiveFormPage> {
    let id = parse_id(&raw, "objective")?;
    let objective = state.store.get_objective(id, today()).await?;
    let form = ObjectiveForm::from_objective(state.store.as_ref(), &objective).await?;
    form_page(&state, Some(id), form, &FieldErrors::new(), None).await
}

pub async fn create_objective(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<ObjectiveForm>,
) -> PageResult<Response> {
    let result = match form.to_input(state.store.as_ref()).await {
        Ok(input) => {
            state
                .store
                .create_objective(&caller.actor(), input, today())
                .await
        }
        Err(error) => Err(error),
    };
    answer(&state, None, form, result, "created").await
}

pub async fn update_objective(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<ObjectiveForm>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "objective")?;
    state.store.get_objective(id, today()).await?;
    let result = match form.to_input(state.store.as_ref()).await {
        Ok(input) => {
            state
                .store
                .update_objective(&caller.actor(), id, input, today())
                .await
        }
        Err(error) => Err(error),
    };
    answer(&state, Some(id), form, result, "saved").await
}

/// To the objective's page when saved; the form again, with why, when refused.
async fn answer(
    state: &AppState,
    id: Option<Uuid>,
    form: ObjectiveForm,
    result: Result<Objective, StoreError>,
    flash: &str,
) -> PageResult<Response> {
    let (status, errors, refusal) = match result {
        Ok(objective) => {
            let to = format!("/leadership/objectives/{}?flash={flash}", objective.id);
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
    let page = form_page(state, id, form, &errors, refusal).await?;
    Ok((status, page).into_response())
}
