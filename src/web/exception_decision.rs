//! Deciding an exception request (approve with an expiry, or reject with a reason; both signed
//! with the password again) and withdrawing one's own request. A refusal is shown on the record.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::{PageError, PageResult, parse_id};
use super::exception_record::{Refused, refused_page};
use super::forms::parse_optional_date;
use super::share_links::{page_error, sentence};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::policy_exception::ExceptionDecisionInput;
use crate::error::AppError;
use crate::policy_actions;

/// The decision as posted by the approve or the reject form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionFormData {
    decision: String,
    password: String,
    note: String,
    expires_on: String,
}

pub async fn decide_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<DecisionFormData>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "exception")?;
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            let errors = FieldErrors::single("decision", "must be approve or reject");
            return Err(PageError::Invalid(errors));
        }
    };
    let mut refused = Refused {
        approve: Some(approve),
        note: form.note.clone(),
        expires_on: form.expires_on.clone(),
        ..Refused::default()
    };
    let Ok(expires_on) = parse_optional_date(&form.expires_on) else {
        refused.errors = FieldErrors::single("expires_on", "is not a date (YYYY-MM-DD)");
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return refused_page(&state, &caller, id, status, refused).await;
    };
    let decision = ExceptionDecisionInput {
        approve,
        note: form.note,
        expires_on: expires_on.filter(|_| approve),
    };
    let store = state.store.as_ref();
    let result =
        policy_actions::decide_exception(store, &caller, id, decision, &form.password, today())
            .await;
    let status = match result {
        Ok(_) => {
            let flash = if approve { "approved" } else { "rejected" };
            return Ok(Redirect::to(&format!("/exceptions/{id}?flash={flash}")).into_response());
        }
        Err(AppError::Invalid(errors)) => {
            refused.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(error) => {
            let (status, message) = refusal(error)?;
            refused.message = Some(message);
            status
        }
    };
    refused_page(&state, &caller, id, status, refused).await
}

/// The requester takes back a request not yet decided.
pub async fn withdraw_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "exception")?;
    let result = state
        .store
        .withdraw_exception(&caller.account, id, today())
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/exceptions/{id}?flash=withdrawn")).into_response()),
        Err(error) => {
            let (status, message) = refusal(error.into())?;
            let refused = Refused {
                message: Some(message),
                ..Refused::default()
            };
            refused_page(&state, &caller, id, status, refused).await
        }
    }
}

/// A refusal the page words beside the forms, with its status; anything else is an error page.
fn refusal(error: AppError) -> PageResult<(StatusCode, String)> {
    let status = error.status();
    match error {
        AppError::Forbidden(message)
        | AppError::Conflict(message)
        | AppError::TooManyRequests(message) => Ok((status, sentence(&message))),
        other => Err(page_error(other)),
    }
}
