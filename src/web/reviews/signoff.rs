//! The forms of a draft review's page: a decision with the actions it starts, and the chair's
//! sign-off with a deliberate confirmation and the password again. A refusal re-renders the page
//! with the typed values and each message beside its field (never the password).

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use time::Date;

use super::show::review_page;
use crate::api::reviews::sign_review;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::improvement_action::NewActionFields;
use crate::domain::review::{DecisionInput, DecisionKind};
use crate::error::AppError;
use crate::store::{Store, StoreError, StoreResult};
use crate::web::error::{PageError, PageResult, parse_id};
use crate::web::forms::{Field, SelectOption, add_missing, parse_optional_date};
use crate::web::share_links::{page_error, sentence};

/// How many actions the decision form offers (more can be added on the action list).
const ACTION_ROWS: usize = 3;
const TITLE_IDS: [&str; ACTION_ROWS] = ["action_title_1", "action_title_2", "action_title_3"];
const OWNER_IDS: [&str; ACTION_ROWS] = ["action_owner_1", "action_owner_2", "action_owner_3"];
const DUE_IDS: [&str; ACTION_ROWS] = ["action_due_1", "action_due_2", "action_due_3"];

/// One action row of the decision form.
pub struct ActionFields {
    pub title: Field,
    pub owner: Field,
    pub due: Field,
}

/// The decision form as shown.
pub struct DecisionPanel {
    pub kind: Field,
    pub kinds: Vec<SelectOption>,
    pub text: Field,
    pub actions: Vec<ActionFields>,
}

/// The sign-off form as shown.
pub struct SignPanel {
    pub confirm: Field,
    pub password: Field,
}

/// What a refused form brings back to the page.
#[derive(Default)]
pub struct Refused {
    decision: HashMap<String, String>,
    decision_errors: FieldErrors,
    sign_errors: FieldErrors,
    pub message: Option<String>,
}

impl Refused {
    pub fn decision_panel(&self) -> DecisionPanel {
        let value = |key: &str| self.decision.get(key).cloned().unwrap_or_default();
        let errors = &self.decision_errors;
        let kind = value("kind");
        DecisionPanel {
            kinds: std::iter::once(SelectOption::new("", "Choose the kind", kind.is_empty()))
                .chain(
                    DecisionKind::ALL
                        .iter()
                        .map(|k| SelectOption::new(k.as_str(), k.label(), k.as_str() == kind)),
                )
                .collect(),
            kind: Field::new("kind", "Kind", kind).with_errors(errors, "kind"),
            text: Field::new("text", "Decision", value("text")).with_errors(errors, "text"),
            actions: (0..ACTION_ROWS)
                .map(|i| ActionFields {
                    title: Field::new(TITLE_IDS[i], "Action", value(TITLE_IDS[i]))
                        .with_errors(errors, &format!("actions[{i}].title")),
                    owner: Field::new(OWNER_IDS[i], "Owner's email", value(OWNER_IDS[i]))
                        .with_errors(errors, &format!("actions[{i}].owner_id")),
                    due: Field::new(DUE_IDS[i], "Due on", value(DUE_IDS[i]))
                        .with_errors(errors, &format!("actions[{i}].due_on")),
                })
                .collect(),
        }
    }

    pub fn sign_panel(&self) -> SignPanel {
        let errors = &self.sign_errors;
        SignPanel {
            confirm: Field::new("confirm", "Confirmation", "").with_errors(errors, "confirm"),
            password: Field::new("password", "Your password", "").with_errors(errors, "password"),
        }
    }
}

/// The decision and its filled action rows; rows left blank are skipped.
async fn decision_input(
    store: &dyn Store,
    form: &HashMap<String, String>,
    today: Date,
) -> StoreResult<Result<DecisionInput, FieldErrors>> {
    let value = |key: &str| {
        form.get(key)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors = FieldErrors::new();
    let kind = value("kind").parse::<DecisionKind>().unwrap_or_else(|_| {
        errors.add("kind", "is required: choose what the decision is about");
        DecisionKind::Improvement
    });
    let mut actions = Vec::new();
    for i in 0..ACTION_ROWS {
        let (title, owner, due) = (value(TITLE_IDS[i]), value(OWNER_IDS[i]), value(DUE_IDS[i]));
        if title.is_empty() && owner.is_empty() && due.is_empty() {
            continue;
        }
        let key = |field: &str| format!("actions[{}].{field}", actions.len());
        let owner_id = match store.person_by_email(&owner).await? {
            Some(person) => person.id,
            None => {
                errors.add(&key("owner_id"), "is not the email of anyone in Charter");
                uuid::Uuid::nil()
            }
        };
        let due_on = parse_optional_date(&due).ok().flatten().unwrap_or_else(|| {
            errors.add(&key("due_on"), "is required (YYYY-MM-DD)");
            today
        });
        actions.push(NewActionFields {
            title,
            description: String::new(),
            owner_id,
            due_on,
        });
    }
    let input = DecisionInput {
        kind,
        text: value("text"),
        actions,
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

pub async fn add_decision(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "management review")?;
    let store = state.store.as_ref();
    let form: HashMap<String, String> = pairs.into_iter().collect();
    let result = match decision_input(store, &form, today()).await? {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => {
            store
                .add_review_decision(&caller.account, id, input, today())
                .await
        }
    };
    let mut refused = Refused {
        decision: form,
        ..Refused::default()
    };
    let status = match result {
        Ok(_) => {
            let to = format!("/leadership/reviews/{id}?flash=decided#decisions");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => {
            refused.decision_errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(StoreError::Conflict(message)) => {
            refused.message = Some(sentence(&message));
            StatusCode::CONFLICT
        }
        Err(other) => return Err(PageError::from(other)),
    };
    let page = review_page(&state, &caller, id, refused).await?;
    Ok((status, page).into_response())
}

pub async fn sign_off(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "management review")?;
    let store = state.store.as_ref();
    let confirmed = form.get("confirm").is_some_and(|v| v == "locked");
    let password = form.get("password").map(String::as_str).unwrap_or_default();
    let result = if confirmed {
        sign_review(store, &caller, id, password).await
    } else {
        Err(AppError::Invalid(FieldErrors::single(
            "confirm",
            "tick the box to confirm that the record will be locked",
        )))
    };
    let mut refused = Refused::default();
    let status = match result {
        Ok(_) => {
            let to = format!("/leadership/reviews/{id}?flash=signed");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(AppError::Invalid(errors)) => {
            refused.sign_errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(error) => {
            let status = error.status();
            match error {
                AppError::Forbidden(message)
                | AppError::Conflict(message)
                | AppError::TooManyRequests(message) => refused.message = Some(sentence(&message)),
                other => return Err(page_error(other)),
            }
            status
        }
    };
    let page = review_page(&state, &caller, id, refused).await?;
    Ok((status, page).into_response())
}
