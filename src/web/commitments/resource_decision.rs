//! One resource commitment: what was asked, the decision, and for top management the form to
//! approve (with the password again) or reject it with a comment; the requester may withdraw it
//! while it waits. The store has the last word on who decides: its refusal shows on the page.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::super::error::{PageError, PageResult, parse_id};
use super::super::evidence::{Evidence, visible_evidence_trail};
use super::super::layout::{Area, Layout};
use super::super::moment::{Moment, moment};
use super::super::raci_edit::TextField;
use super::super::share_links::sentence;
use super::super::views::Badge;
use super::money::{commitment_badge, quantity_text};
use super::resources::period_text;
use crate::api::resources::decide_confirmed;
use crate::app::AppState;
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::resource::{
    CommitmentStatus, ResourceCommitment, ResourceDecision, ResourceDecisionInput,
};
use crate::error::AppError;

/// The decision form, as shown again after a refusal (never the password).
pub struct DecisionPanel {
    pub comment: TextField,
    pub password: TextField,
}

#[derive(Template, WebTemplate)]
#[template(path = "commitments/resource.html", whitespace = "minimize")]
pub struct RequestPage {
    layout: Layout,
    flash: Option<&'static str>,
    record: ResourceCommitment,
    state: Badge,
    quantity: String,
    period: String,
    requested_at: Moment,
    decided_at: Option<Moment>,
    withdrawn_at: Option<Moment>,
    decision: Option<DecisionPanel>,
    /// Why this caller, who decides on resources, cannot decide this one.
    not_yours: Option<String>,
    may_withdraw: bool,
    refusal: Option<String>,
    evidence: Option<Evidence>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequestQuery {
    flash: String,
}

/// What a refused decision brings back to the page.
#[derive(Default)]
struct Refused {
    comment: String,
    errors: FieldErrors,
    message: Option<String>,
}

pub async fn show_request(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<RequestQuery>,
) -> PageResult<RequestPage> {
    let id = parse_id(&raw, "resource commitment")?;
    let mut page = record_page(&state, &caller, id, Refused::default()).await?;
    page.flash = match query.flash.as_str() {
        "requested" => {
            Some("Your request was sent. A member of top management other than you decides on it.")
        }
        "none_needed" => Some("Recorded: no additional resources of this type are needed."),
        "approved" => Some("The request was approved."),
        "rejected" => Some("The request was rejected."),
        "withdrawn" => Some("The request was withdrawn."),
        _ => None,
    };
    Ok(page)
}

async fn record_page(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    refused: Refused,
) -> PageResult<RequestPage> {
    let store = state.store.as_ref();
    let record = store.get_resource_commitment(id).await?;
    let open = record.status == CommitmentStatus::Requested;
    let decides = caller.may(Permission::DecideResources);
    let mine = record.requested_by == caller.account.person_id;
    let not_yours = (open && decides && mine).then(|| {
        "You asked for these resources, so another member of top management decides.".to_owned()
    });
    let decision = (open && decides && !mine).then(|| DecisionPanel {
        comment: TextField::new(
            "decision-comment".into(),
            "Comment",
            &refused.comment,
            &refused.errors,
            "comment",
        ),
        password: TextField::password_again(&refused.errors),
    });
    let evidence =
        visible_evidence_trail(store, caller, "resource_commitment", &id.to_string()).await?;
    let now = OffsetDateTime::now_utc();
    Ok(RequestPage {
        layout: Layout::load(state, Area::Leadership, record.kind.label()).await,
        flash: None,
        state: commitment_badge(&record),
        quantity: quantity_text(&record),
        period: period_text(record.period_start, record.period_end),
        requested_at: moment(record.requested_at, now),
        decided_at: record.decided_at.map(|at| moment(at, now)),
        withdrawn_at: record.withdrawn_at.map(|at| moment(at, now)),
        decision,
        not_yours,
        may_withdraw: open && mine && caller.may(Permission::RequestResources),
        refusal: refused.message,
        evidence,
        record,
    })
}

/// The decision as posted: which button, the comment, the password.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionFormData {
    decision: String,
    comment: String,
    password: String,
}

pub async fn decide_request(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<DecisionFormData>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "resource commitment")?;
    let Ok(decision) = form.decision.parse::<ResourceDecision>() else {
        let errors = FieldErrors::single("decision", "must be approve or reject");
        return Err(PageError::Invalid(errors));
    };
    let input = ResourceDecisionInput {
        decision,
        comment: form.comment.clone(),
    };
    let store = state.store.as_ref();
    let result = decide_confirmed(store, &caller, id, input, &form.password).await;
    let mut refused = Refused {
        comment: form.comment,
        ..Refused::default()
    };
    let status = match result {
        Ok(_) => {
            let flash = match decision {
                ResourceDecision::Approve => "approved",
                ResourceDecision::Reject => "rejected",
            };
            let to = format!("/leadership/resources/{id}?flash={flash}");
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
                other => return Err(super::super::share_links::page_error(other)),
            }
            status
        }
    };
    let page = record_page(&state, &caller, id, refused).await?;
    Ok((status, page).into_response())
}

/// The requester takes their request back.
pub async fn withdraw_request(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "resource commitment")?;
    state.store.withdraw_resources(&caller.account, id).await?;
    let to = format!("/leadership/resources/{id}?flash=withdrawn");
    Ok(Redirect::to(&to).into_response())
}
