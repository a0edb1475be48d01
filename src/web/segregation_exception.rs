//! One segregation-of-duties exception: what was asked, the decision, and for top management the
//! form to approve or reject it with the password again. The store has the last word on who
//! decides: its refusal (the requester, someone without top management today, a request already
//! decided) is shown beside the form.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::{PageError, PageResult, parse_id};
use super::evidence::{Evidence, visible_evidence_trail};
use super::layout::{Area, Layout};
use super::moment::{Moment, day, moment};
use super::raci_edit::TextField;
use super::segregation::exception_badge;
use super::share_links::sentence;
use super::views::Badge;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::sod::{SodException, SodExceptionDecision, SodExceptionDecisionInput};
use crate::error::AppError;
use crate::role_actions;

/// The decision form, as shown again after a refusal (never the password).
pub struct DecisionPanel {
    pub note: TextField,
    pub password: TextField,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/sod_exception.html", whitespace = "minimize")]
pub struct SodExceptionPage {
    layout: Layout,
    flash: Option<&'static str>,
    exception: SodException,
    rule: String,
    state: Badge,
    expires: Moment,
    requested_at: Moment,
    decided_at: Option<Moment>,
    decision: Option<DecisionPanel>,
    /// Why this caller, who decides exceptions, cannot decide this one.
    not_yours: Option<String>,
    refusal: Option<String>,
    evidence: Option<Evidence>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExceptionQuery {
    flash: String,
}

/// What a refused decision brings back to the page.
#[derive(Default)]
struct Refused {
    note: String,
    errors: FieldErrors,
    message: Option<String>,
}

pub async fn show_sod_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<ExceptionQuery>,
) -> PageResult<SodExceptionPage> {
    let id = parse_id(&raw, "exception")?;
    let mut page = record_page(&state, &caller, id, Refused::default()).await?;
    page.flash = match query.flash.as_str() {
        "requested" => Some(
            "The exception was asked for. Until a member of top management approves it, the conflict stays not covered.",
        ),
        "approved" => {
            Some("The exception was approved: the conflict is covered until the date below.")
        }
        "rejected" => Some("The exception was rejected: the conflict stays not covered."),
        _ => None,
    };
    Ok(page)
}

async fn record_page(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    refused: Refused,
) -> PageResult<SodExceptionPage> {
    let store = state.store.as_ref();
    let today = today();
    let exception = store.get_sod_exception(id, today).await?;
    let rule = store
        .list_sod_rules()
        .await?
        .into_iter()
        .find(|r| r.id == exception.rule_id)
        .map(|r| format!("{} and {}", r.side_a, r.side_b))
        .unwrap_or_else(|| "a rule since removed".to_owned());
    let open = exception.decision == SodExceptionDecision::Requested;
    let decides = caller.may(Permission::DecideSodExceptions);
    let mine = exception.requested_by == caller.account.id;
    let not_yours = (open && decides && mine).then(|| {
        "You asked for this exception, so another member of top management decides it.".to_owned()
    });
    let decision = (open && decides && !mine).then(|| DecisionPanel {
        note: TextField::new(
            "decision-note".into(),
            "Note",
            &refused.note,
            &refused.errors,
            "note",
        ),
        password: TextField::password_again(&refused.errors),
    });
    let evidence = visible_evidence_trail(store, caller, "sod_exception", &id.to_string()).await?;
    let now = OffsetDateTime::now_utc();
    Ok(SodExceptionPage {
        layout: Layout::load(
            state,
            Area::Roles,
            format!("Exception for {}", exception.person_name),
        )
        .await,
        flash: None,
        rule,
        state: exception_badge(exception.state),
        expires: day(exception.expires_on, today),
        requested_at: moment(exception.requested_at, now),
        decided_at: exception.decided_at.map(|at| moment(at, now)),
        decision,
        not_yours,
        refusal: refused.message,
        evidence,
        exception,
    })
}

/// The decision as posted: which button, the note, the password.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionFormData {
    decision: String,
    note: String,
    password: String,
}

pub async fn decide_sod_exception(
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
    let decision = SodExceptionDecisionInput {
        approve,
        note: form.note.clone(),
    };
    let store = state.store.as_ref();
    let result =
        role_actions::decide_sod_exception(store, &caller, id, decision, &form.password, today())
            .await;
    let mut refused = Refused {
        note: form.note,
        ..Refused::default()
    };
    let status = match result {
        Ok(_) => {
            let flash = if approve { "approved" } else { "rejected" };
            let to = format!("/roles/segregation/exceptions/{id}?flash={flash}");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(AppError::Invalid(errors)) => {
            refused.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(error) => {
            let status = error.status();
            match error {
                AppError::Forbidden(message)
                | AppError::Conflict(message)
                | AppError::TooManyRequests(message) => refused.message = Some(sentence(&message)),
                AppError::NotFound(what) => return Err(PageError::NotFound(what)),
                other => return Err(super::share_links::page_error(other)),
            }
            status
        }
    };
    let page = record_page(&state, &caller, id, refused).await?;
    Ok((status, page).into_response())
}
