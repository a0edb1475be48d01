//! Justifications that a requirement does not apply: those awaiting top management's decision
//! first (with the decision form, the password asked again, for members of top management other
//! than the requester), then every other with its state today, and the request form.

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
use super::super::forms::{Field, SelectOption, error_summary, parse_optional_date};
use super::super::layout::{Area, Layout};
use super::super::moment::{Moment, moment};
use super::super::share_links::{page_error, sentence};
use super::super::views::Badge;
use super::views::requirement_href;
use crate::api::assessments::decide;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::assessment::{
    JustificationDecision, JustificationInput, JustificationRecord, JustificationState, requirement,
};
use crate::domain::conformance::CATALOG;
use crate::error::AppError;
use crate::store::StoreError;

/// A justification as listed.
pub struct RecordView {
    pub id: Uuid,
    pub requirement_id: String,
    pub shows: &'static str,
    pub href: String,
    pub reason: String,
    pub state: Badge,
    pub requested_by: String,
    pub requested: Moment,
    pub expires: String,
    /// "Approved by …, 2026-05-01: comment".
    pub decided: Option<String>,
    pub withdrawn: Option<String>,
    pub can_withdraw: bool,
}

/// The decision form of one request, as shown again after a refusal (never the password).
pub struct DecisionPanel {
    pub comment: Field,
    pub password: Field,
}

/// A request awaiting top management's decision.
pub struct AwaitingView {
    pub record: RecordView,
    pub panel: Option<DecisionPanel>,
    /// Why this caller does not decide it.
    pub note: Option<&'static str>,
}

/// The request form.
pub struct RequestPanel {
    pub requirement: Field,
    pub options: Vec<SelectOption>,
    pub reason: Field,
    pub expires_on: Field,
    pub errors: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "conformance/justifications.html", whitespace = "minimize")]
pub struct JustificationsPage {
    layout: Layout,
    flash: Option<&'static str>,
    awaiting: Vec<AwaitingView>,
    others: Vec<RecordView>,
    request: Option<RequestPanel>,
    /// Why the last request or decision was refused.
    refusal: Option<String>,
}

/// What a refused request or decision brings back to the page.
#[derive(Default)]
struct Refused {
    request: Option<RequestForm>,
    decision: Option<(Uuid, String)>,
    errors: FieldErrors,
    message: Option<String>,
}

fn state_badge(state: JustificationState) -> Badge {
    let tone = match state {
        JustificationState::Requested => "amber",
        JustificationState::InForce => "green",
        JustificationState::Rejected => "red",
        JustificationState::Expired | JustificationState::Withdrawn => "grey",
    };
    Badge::new(tone, state.as_str())
}

fn record_view(j: &JustificationRecord, caller: &Principal, now: OffsetDateTime) -> RecordView {
    let decided = j.decided_by_name.as_ref().map(|name| {
        let verb = if j.state == JustificationState::Rejected {
            "Rejected"
        } else {
            "Approved"
        };
        let day = j
            .decided_at
            .map(|at| at.date().to_string())
            .unwrap_or_default();
        let comment = j.decision_comment.as_deref().unwrap_or_default();
        format!("{verb} by {name}, {day}: {comment}")
    });
    let withdrawn = j.withdrawn_at.map(|at| {
        let name = j.withdrawn_by_name.as_deref().unwrap_or("someone");
        format!("Withdrawn by {name}, {}", at.date())
    });
    RecordView {
        id: j.id,
        shows: requirement(&j.requirement_id).map_or("", |r| r.shows),
        href: requirement_href(&j.requirement_id),
        requirement_id: j.requirement_id.clone(),
        reason: j.reason.clone(),
        state: state_badge(j.state),
        requested_by: j.requested_by_name.clone(),
        requested: moment(j.requested_at, now),
        expires: j
            .expires_on
            .map_or_else(|| "no expiry".to_owned(), |d| format!("until {d}")),
        decided,
        withdrawn,
        can_withdraw: caller.may(Permission::ManageConformance)
            && matches!(
                j.state,
                JustificationState::Requested | JustificationState::InForce
            ),
    }
}

fn decision_panel(refused: &Refused, id: Uuid) -> DecisionPanel {
    let mine = refused.decision.as_ref().filter(|(on, _)| *on == id);
    let errors = if mine.is_some() {
        refused.errors.clone()
    } else {
        FieldErrors::new()
    };
    let mut password = Field::new("password", "Your password, to confirm", "");
    if errors.get("password").is_some() {
        password.error = Some("This is not your password. Nothing was decided.".to_owned());
    }
    DecisionPanel {
        comment: Field::new(
            "comment",
            "Comment",
            mine.map(|(_, c)| c.clone()).unwrap_or_default(),
        )
        .with_errors(&errors, "comment"),
        password,
    }
}

fn awaiting_view(j: &JustificationRecord, caller: &Principal, refused: &Refused) -> AwaitingView {
    let record = record_view(j, caller, OffsetDateTime::now_utc());
    let mine =
        j.requested_by == caller.account.id || j.requested_by_person == caller.account.person_id;
    let (panel, note) = if !caller.may(Permission::DecideJustifications) {
        (
            None,
            Some("Awaiting a decision by a member of top management."),
        )
    } else if mine {
        (
            None,
            Some("You asked for it, so another member of top management decides it."),
        )
    } else {
        (Some(decision_panel(refused, j.id)), None)
    };
    AwaitingView {
        record,
        panel,
        note,
    }
}

fn request_panel(refused: &Refused) -> RequestPanel {
    let form = refused.request.clone().unwrap_or_default();
    let errors = &refused.errors;
    let requirement = Field::new("requirement_id", "Requirement", form.requirement_id.clone())
        .with_errors(errors, "requirement_id");
    let reason =
        Field::new("reason", "Why it does not apply", form.reason).with_errors(errors, "reason");
    let expires_on = Field::new("expires_on", "Applies until (optional)", form.expires_on)
        .with_errors(errors, "expires_on");
    let summary = error_summary(&[&requirement, &reason, &expires_on]);
    RequestPanel {
        options: CATALOG
            .iter()
            .map(|r| {
                let label = format!("{} {}", r.id, r.shows);
                SelectOption::new(r.id, label, r.id == form.requirement_id)
            })
            .collect(),
        requirement,
        reason,
        expires_on,
        errors: summary,
    }
}

async fn page(
    state: &AppState,
    caller: &Principal,
    refused: Refused,
) -> PageResult<JustificationsPage> {
    let now = OffsetDateTime::now_utc();
    let all = state.store.list_justifications(today()).await?;
    let (awaiting, others): (Vec<_>, Vec<_>) = all
        .iter()
        .partition(|j| j.state == JustificationState::Requested);
    Ok(JustificationsPage {
        layout: Layout::load(state, Area::Conformance, "Justifications").await,
        flash: None,
        awaiting: awaiting
            .into_iter()
            .map(|j| awaiting_view(j, caller, &refused))
            .collect(),
        others: others
            .into_iter()
            .map(|j| record_view(j, caller, now))
            .collect(),
        request: caller
            .may(Permission::ManageConformance)
            .then(|| request_panel(&refused)),
        refusal: refused.message,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FlashQuery {
    flash: String,
}

pub async fn show_justifications(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<FlashQuery>,
) -> PageResult<JustificationsPage> {
    let mut page = page(&state, &caller, Refused::default()).await?;
    page.flash = match query.flash.as_str() {
        "requested" => Some("The request was recorded; top management decides it."),
        "approved" => Some(
            "The justification was approved: the next assessment judges the requirement not applicable.",
        ),
        "rejected" => Some("The justification was rejected."),
        "withdrawn" => Some(
            "The justification was withdrawn: the next assessment judges the requirement again.",
        ),
        _ => None,
    };
    Ok(page)
}

/// The request as posted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    requirement_id: String,
    reason: String,
    expires_on: String,
}

pub async fn request_justification(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<RequestForm>,
) -> PageResult<Response> {
    let mut refused = Refused {
        request: Some(form.clone()),
        ..Refused::default()
    };
    let expires_on = parse_optional_date(&form.expires_on);
    let status = match expires_on {
        Err(()) => {
            refused
                .errors
                .add("expires_on", "give a date as YYYY-MM-DD, or none");
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Ok(expires_on) => {
            let input = JustificationInput {
                requirement_id: form.requirement_id,
                reason: form.reason,
                expires_on,
            };
            let store = state.store.as_ref();
            match store
                .request_justification(&caller.account, input, today())
                .await
            {
                Ok(_) => {
                    let to = "/conformance/justifications?flash=requested";
                    return Ok(Redirect::to(to).into_response());
                }
                Err(StoreError::Invalid(errors)) => {
                    refused.errors = errors;
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                Err(StoreError::Conflict(message)) => {
                    refused.message = Some(sentence(&message));
                    StatusCode::CONFLICT
                }
                Err(other) => return Err(PageError::from(other)),
            }
        }
    };
    let page = page(&state, &caller, refused).await?;
    Ok((status, page).into_response())
}

/// The decision as posted: which way, the comment, the password.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    decision: String,
    comment: String,
    password: String,
}

pub async fn decide_justification(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<DecisionForm>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "justification")?;
    let mut refused = Refused {
        decision: Some((id, form.comment.clone())),
        ..Refused::default()
    };
    let approve = match form.decision.as_str() {
        "approve" => Some(true),
        "reject" => Some(false),
        _ => None,
    };
    let status = match approve {
        None => {
            refused.message = Some("Choose to approve or to reject.".to_owned());
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some(approve) => {
            let decision = JustificationDecision {
                approve,
                comment: form.comment,
            };
            let store = state.store.as_ref();
            match decide(store, &caller, id, decision, &form.password).await {
                Ok(_) => {
                    let flash = if approve { "approved" } else { "rejected" };
                    let to = format!("/conformance/justifications?flash={flash}");
                    return Ok(Redirect::to(&to).into_response());
                }
                Err(error) => refusal(error, &mut refused)?,
            }
        }
    };
    let page = page(&state, &caller, refused).await?;
    Ok((status, page).into_response())
}

/// A refused decision as messages on the page, or the error page when it is not a refusal.
fn refusal(error: AppError, refused: &mut Refused) -> PageResult<StatusCode> {
    let status = error.status();
    match error {
        AppError::Invalid(errors) => refused.errors = errors,
        AppError::Forbidden(message)
        | AppError::Conflict(message)
        | AppError::TooManyRequests(message) => refused.message = Some(sentence(&message)),
        AppError::NotFound(what) => return Err(PageError::NotFound(what)),
        other => return Err(page_error(other)),
    }
    Ok(status)
}

pub async fn withdraw_justification(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<Redirect> {
    let id = parse_id(&raw, "justification")?;
    state
        .store
        .withdraw_justification(&caller.account, id, today())
        .await?;
    Ok(Redirect::to("/conformance/justifications?flash=withdrawn"))
}
