//! What is done from an assignment's page: the holder acknowledges the role or delegates a task;
//! an ISMS manager records competence evidence or ends the assignment. A refused form comes back
//! on the page with each message beside its field.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use time::Date;
use uuid::Uuid;

use super::error::{PageResult, parse_id};
use super::forms::{parse_optional_date, person_by_email};
use super::policy_views::sentence;
use super::role_assignment::{DelegatePost, EndPost, EvidencePost, Returned, assignment_page};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::assignment::{
    AssignmentEnd, CompetenceEvidenceInput, Delegate, DelegationInput,
};
use crate::store::{Store, StoreError, StoreResult};

fn to_page(id: Uuid, flash: &str) -> Response {
    Redirect::to(&format!("/roles/assignments/{id}?flash={flash}")).into_response()
}

/// A required date typed in a form.
fn required_date(raw: &str, key: &str, errors: &mut FieldErrors, fallback: Date) -> Date {
    match parse_optional_date(raw) {
        Ok(Some(date)) => date,
        Ok(None) => {
            errors.add(key, "is required");
            fallback
        }
        Err(()) => {
            errors.add(key, "is not a date (YYYY-MM-DD)");
            fallback
        }
    }
}

/// How a store answer to a form becomes the page again: 422 beside the fields, 409 or 403 as a
/// message on the page.
enum Refused {
    Fields(FieldErrors),
    Said(StatusCode, String),
}

fn refused(error: StoreError) -> Result<Refused, StoreError> {
    match error {
        StoreError::Invalid(errors) => Ok(Refused::Fields(errors)),
        StoreError::Conflict(message) => {
            Ok(Refused::Said(StatusCode::CONFLICT, sentence(&message)))
        }
        StoreError::Forbidden(message) => {
            Ok(Refused::Said(StatusCode::FORBIDDEN, sentence(&message)))
        }
        other => Err(other),
    }
}

async fn again(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    refusal: Refused,
    returned: impl FnOnce(FieldErrors) -> Returned,
) -> PageResult<Response> {
    let (status, returned) = match refusal {
        Refused::Fields(errors) => (StatusCode::UNPROCESSABLE_ENTITY, returned(errors)),
        Refused::Said(status, message) => {
            let mut back = returned(FieldErrors::new());
            back.refusal = Some(message);
            (status, back)
        }
    };
    let page = assignment_page(state, caller, id, returned).await?;
    Ok((status, page).into_response())
}

/// The holder acknowledges the role's responsibilities and authorities as shown.
pub async fn acknowledge(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "assignment")?;
    match state
        .store
        .acknowledge_assignment(&caller.account, id, today())
        .await
    {
        Ok(_) => Ok(to_page(id, "acknowledged")),
        Err(error) => {
            let refusal = refused(error)?;
            again(&state, &caller, id, refusal, |_| Returned::default()).await
        }
    }
}

fn evidence_input(
    post: &EvidencePost,
    today: Date,
) -> Result<CompetenceEvidenceInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = post.evidence_kind.parse().unwrap_or_else(|_| {
        errors.add("kind", "is required: choose one");
        crate::domain::assignment::EvidenceKind::Training
    });
    let obtained_on = required_date(
        &post.evidence_obtained_on,
        "obtained_on",
        &mut errors,
        today,
    );
    let expires_on = parse_optional_date(&post.evidence_expires_on).unwrap_or_else(|()| {
        errors.add("expires_on", "is not a date (YYYY-MM-DD)");
        None
    });
    let input = CompetenceEvidenceInput {
        kind,
        description: post.evidence_description.clone(),
        obtained_on,
        expires_on,
    };
    match input.clone().validate(today) {
        Ok(_) if errors.is_empty() => Ok(input),
        Ok(_) => Err(errors),
        Err(more) => {
            super::forms::add_missing(&mut errors, &more);
            Err(errors)
        }
    }
}

pub async fn add_evidence(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(post): Form<EvidencePost>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "assignment")?;
    let today = today();
    let result = match evidence_input(&post, today) {
        Ok(input) => {
            state
                .store
                .add_competence_evidence(&caller.account, id, input, today)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(to_page(id, "evidence")),
        Err(error) => {
            let refusal = refused(error)?;
            let back = |errors| Returned {
                evidence: Some((post, errors)),
                ..Returned::default()
            };
            again(&state, &caller, id, refusal, back).await
        }
    }
}

async fn delegation_input(
    store: &dyn Store,
    id: Uuid,
    post: &DelegatePost,
    today: Date,
) -> StoreResult<Result<DelegationInput, FieldErrors>> {
    let mut errors = FieldErrors::new();
    let provider = post.delegate_provider.trim();
    let person = match person_by_email(store, &post.delegate_email).await? {
        Ok(person) => person,
        Err(()) => {
            errors.add(
                "delegate.person_id",
                "is not the email of anyone in Charter",
            );
            None
        }
    };
    let delegate = match (person, provider.is_empty()) {
        (Some(person_id), true) => Delegate::Person { person_id },
        (None, false) => Delegate::External {
            provider: provider.to_owned(),
        },
        (Some(_), false) => {
            errors.add(
                "delegate",
                "name a colleague or an external provider, not both",
            );
            Delegate::External {
                provider: provider.to_owned(),
            }
        }
        (None, true) => {
            if errors.is_empty() {
                errors.add(
                    "delegate",
                    "name the colleague (by email) or the external provider who takes the task",
                );
            }
            Delegate::External {
                provider: String::new(),
            }
        }
    };
    let input = DelegationInput {
        assignment_id: id,
        delegate,
        task: post.delegate_task.clone(),
        starts_on: required_date(&post.delegate_starts_on, "starts_on", &mut errors, today),
        ends_on: required_date(&post.delegate_ends_on, "ends_on", &mut errors, today),
    };
    if !errors.is_empty() {
        if let Err(more) = input.validate(today) {
            for (key, messages) in more.iter() {
                // A missing provider is already said once, for the pair.
                if key != "delegate.provider" && errors.get(key).is_none() {
                    messages.iter().for_each(|m| errors.add(key, m.clone()));
                }
            }
        }
        return Ok(Err(errors));
    }
    Ok(input.validate(today))
}

/// The holder delegates a task of the role; they stay accountable.
pub async fn delegate(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(post): Form<DelegatePost>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "assignment")?;
    let store = state.store.as_ref();
    let today = today();
    let result = match delegation_input(store, id, &post, today).await? {
        Ok(input) => store.delegate_task(&caller.account, input, today).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(to_page(id, "delegated")),
        Err(error) => {
            let refusal = refused(error)?;
            let back = |errors| Returned {
                delegate: Some((post, errors)),
                ..Returned::default()
            };
            again(&state, &caller, id, refusal, back).await
        }
    }
}

/// Sets the assignment's last day; it stays in the history.
pub async fn end_assignment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(post): Form<EndPost>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "assignment")?;
    let today = today();
    let mut errors = FieldErrors::new();
    let ends_on = required_date(&post.end_ends_on, "ends_on", &mut errors, today);
    let result = if errors.is_empty() {
        let end = AssignmentEnd {
            ends_on,
            reason: post.end_reason.clone(),
        };
        state
            .store
            .end_assignment(&caller.actor(), id, end, today)
            .await
    } else {
        Err(StoreError::Invalid(errors))
    };
    match result {
        Ok(_) => Ok(to_page(id, "ended")),
        Err(error) => {
            let refusal = refused(error)?;
            let back = |errors| Returned {
                end: Some((post, errors)),
                ..Returned::default()
            };
            again(&state, &caller, id, refusal, back).await
        }
    }
}
