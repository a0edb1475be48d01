//! The lifecycle steps of a version posted from its page: submit, withdraw, approve (password
//! again, a statement and a ticked box), reject with a reason, publish and retire (each
//! confirmed), and comments. A refusal comes back on the version page beside its form, with
//! the status the API would answer (403, 409, 422, 429). Publishing a major version may also
//! launch the campaign asking the policy's audience to acknowledge it.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::campaign_steps::launch_after_publish;
use super::error::parse_id;
use super::policy_version_forms::{Outcome, Step};
use super::policy_versions::version_page;
use super::policy_views::PolicyResult;
use super::policy_views::sentence;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::policy_version::{PolicyVersion, Transition, VersionStatus};
use crate::error::AppError;
use crate::policy_actions::{self, readable_version};

/// A step confirmed with a ticked box (`confirm=yes`) where the step binds.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepPost {
    confirm: String,
}

/// Publishing: the ticked box, and for a major version whether to ask for acknowledgments.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PublishPost {
    confirm: String,
    reacknowledge: String,
    days_to_acknowledge: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApprovePost {
    password: String,
    statement: String,
    confirm: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RejectPost {
    reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CommentPost {
    comment: String,
}

pub async fn submit_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PolicyResult<Response> {
    lifecycle(&state, &caller, &raw, Transition::Submit, None).await
}

pub async fn withdraw_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PolicyResult<Response> {
    lifecycle(&state, &caller, &raw, Transition::Withdraw, None).await
}

pub async fn publish_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<PublishPost>,
) -> PolicyResult<Response> {
    let id = readable(&state, &caller, &raw).await?;
    let result = step(
        &state,
        &caller,
        id,
        Transition::Publish,
        Some(&form.confirm),
    )
    .await;
    match result {
        Ok(version) if version.asks_reacknowledgment() && form.reacknowledge == "yes" => {
            Ok(launch_after_publish(&state, &caller, &version, &form.days_to_acknowledge).await)
        }
        other => {
            let outcome = Outcome {
                step: Some(Step::Publish),
                ..Outcome::default()
            };
            finish(&state, &caller, id, other, outcome).await
        }
    }
}

pub async fn retire_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<StepPost>,
) -> PolicyResult<Response> {
    lifecycle(
        &state,
        &caller,
        &raw,
        Transition::Retire,
        Some(form.confirm.as_str()),
    )
    .await
}

/// One step without a sign-off; `confirm` is the ticked box of a binding step.
async fn lifecycle(
    state: &AppState,
    caller: &Principal,
    raw: &str,
    transition: Transition,
    confirm: Option<&str>,
) -> PolicyResult<Response> {
    let id = readable(state, caller, raw).await?;
    let result = step(state, caller, id, transition, confirm).await;
    let form = match transition {
        Transition::Submit => Step::Submit,
        Transition::Withdraw => Step::Withdraw,
        Transition::Publish => Step::Publish,
        Transition::Retire => Step::Retire,
        Transition::Approve => Step::Approve,
        Transition::Reject => Step::Reject,
    };
    let outcome = Outcome {
        step: Some(form),
        ..Outcome::default()
    };
    finish(state, caller, id, result, outcome).await
}

/// Takes the step when its box, if it has one, is ticked.
async fn step(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    transition: Transition,
    confirm: Option<&str>,
) -> Result<PolicyVersion, AppError> {
    if confirm.is_some_and(|c| c != "yes") {
        return Err(unconfirmed(transition.past_tense()));
    }
    state
        .store
        .transition_version(&caller.account, id, transition, "", today())
        .await
        .map_err(AppError::from)
}

pub async fn approve_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<ApprovePost>,
) -> PolicyResult<Response> {
    let id = readable(&state, &caller, &raw).await?;
    let result = if form.confirm != "yes" {
        Err(unconfirmed("signed off"))
    } else {
        let store = state.store.as_ref();
        policy_actions::decide_version(
            store,
            &caller,
            id,
            true,
            &form.password,
            &form.statement,
            today(),
        )
        .await
    };
    let outcome = Outcome {
        step: Some(Step::Approve),
        statement: Some(form.statement),
        confirmed: form.confirm == "yes",
        ..Outcome::default()
    };
    finish(&state, &caller, id, result, outcome).await
}

pub async fn reject_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<RejectPost>,
) -> PolicyResult<Response> {
    let id = readable(&state, &caller, &raw).await?;
    let store = state.store.as_ref();
    let result =
        policy_actions::decide_version(store, &caller, id, false, "", &form.reason, today()).await;
    let outcome = Outcome {
        step: Some(Step::Reject),
        reason: form.reason,
        ..Outcome::default()
    };
    finish(&state, &caller, id, result, outcome).await
}

pub async fn add_comment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<CommentPost>,
) -> PolicyResult<Response> {
    let id = readable(&state, &caller, &raw).await?;
    let result = state
        .store
        .add_comment(&caller.account, id, &form.comment)
        .await;
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/policies/versions/{id}?flash=commented#comments"))
                .into_response(),
        ),
        Err(error) => {
            let outcome = Outcome {
                step: Some(Step::Comment),
                comment: form.comment,
                ..Outcome::default()
            };
            refused(&state, &caller, id, error.into(), outcome).await
        }
    }
}

/// The version's id, when the caller may read it (a hidden one is not found).
async fn readable(state: &AppState, caller: &Principal, raw: &str) -> PolicyResult<Uuid> {
    let id = parse_id(raw, "policy version")?;
    Ok(readable_version(state.store.as_ref(), caller, id).await?.id)
}

fn unconfirmed(what: &str) -> AppError {
    AppError::Invalid(FieldErrors::single(
        "confirm",
        format!("tick the box to confirm: nothing is {what} until you do"),
    ))
}

/// Redirects after a step (publishing lands on the policy, now in force), or shows the refusal.
async fn finish(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    result: Result<PolicyVersion, AppError>,
    outcome: Outcome,
) -> PolicyResult<Response> {
    let version = match result {
        Ok(version) => version,
        Err(error) => return refused(state, caller, id, error, outcome).await,
    };
    let flash = match (outcome.step, version.status) {
        (Some(Step::Publish), _) => {
            let href = format!("/policies/{}?flash=published", version.policy_id);
            return Ok(Redirect::to(&href).into_response());
        }
        (Some(Step::Approve), VersionStatus::Approved) => "approved",
        (Some(Step::Approve), _) => "signed",
        (Some(Step::Reject), _) => "rejected",
        (Some(Step::Withdraw), _) => "withdrawn",
        (Some(Step::Retire), _) => "retired",
        _ => "submitted",
    };
    Ok(Redirect::to(&format!("/policies/versions/{id}?flash={flash}")).into_response())
}

/// The version page again, the refusal beside the form that was used, with the API's status.
async fn refused(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    error: AppError,
    mut outcome: Outcome,
) -> PolicyResult<Response> {
    let status = error.status();
    match error {
        AppError::Invalid(errors) => outcome.errors = errors,
        AppError::Forbidden(message)
        | AppError::Conflict(message)
        | AppError::TooManyRequests(message) => outcome.refusal = Some(sentence(&message)),
        other => return Err(other.into()),
    }
    let page = version_page(state, caller, id, outcome).await?;
    Ok((status_or_unprocessable(status), page).into_response())
}

fn status_or_unprocessable(status: StatusCode) -> StatusCode {
    if status.is_client_error() {
        status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}
