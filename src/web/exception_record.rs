//! One exception's record: what was asked and decided, the decision forms for its approver
//! (a deliberate act: the password again), withdrawing and renewing, and its evidence trail.
//! The forms post to `exception_decision`.
//!
//! The store has the last word on who may decide: when it refuses (the requester, a missing
//! approver role, a request already decided), its reason is shown beside the forms.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::error::{PageError, PageResult, parse_id};
use super::evidence::{Evidence, evidence_trail};
use super::exception_views::state_badge;
use super::forms::{Field, format_date};
use super::layout::{Area, Layout};
use super::moment::{Moment, day, moment};
use super::views::{Badge, Link};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::policy::Policy;
use crate::domain::policy_exception::{ExceptionState, ExceptionStatus, PolicyException};

/// The approve or the reject form, as shown again after a refusal.
pub struct DecisionForm {
    pub password: Field,
    pub note: Field,
    pub expires_on: Field,
}

impl DecisionForm {
    fn new(approve: bool, note: &str, expires_on: &str, errors: &FieldErrors) -> Self {
        let (password_id, note_id, note_label) = if approve {
            ("approve-password", "approve-note", "Note")
        } else {
            ("reject-password", "reject-note", "Reason")
        };
        Self {
            password: Field::new(password_id, "Your password", "").with_errors(errors, "password"),
            note: Field::new(note_id, note_label, note).with_errors(errors, "note"),
            expires_on: Field::new("approve-expires-on", "Until", expires_on)
                .with_errors(errors, "expires_on"),
        }
    }
}

/// The decision forms, for an approver who did not request the exception.
pub struct DecisionPanel {
    pub approve: DecisionForm,
    pub reject: DecisionForm,
    pub min_date: String,
    pub requested_expiry: String,
}

/// What a refused post brings back to the page: which form, what was typed (never the
/// password), the messages for its fields, or the reason the store gave.
#[derive(Default)]
pub struct Refused {
    pub approve: Option<bool>,
    pub note: String,
    pub expires_on: String,
    pub errors: FieldErrors,
    pub message: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "exceptions/show.html", whitespace = "minimize")]
pub struct ExceptionPage {
    layout: Layout,
    flash: Option<&'static str>,
    exception: PolicyException,
    policy: Policy,
    approver_role: String,
    state: Badge,
    requested_expiry: Moment,
    expires: Option<Moment>,
    decided_at: Option<Moment>,
    created: Moment,
    renews: Option<Link>,
    decision: Option<DecisionPanel>,
    /// Why the caller, who decides exceptions, cannot decide this one.
    not_yours: Option<String>,
    refusal: Option<String>,
    may_withdraw: bool,
    may_renew: bool,
    sees_register: bool,
    evidence: Evidence,
}

#[derive(Debug, Default, Deserialize)]
pub struct RecordQuery {
    #[serde(default)]
    flash: String,
}

fn flash_message(flash: &str) -> Option<&'static str> {
    match flash {
        "requested" => Some(
            "Your request was sent to the policy's approvers. Until it is approved, the policy applies in full.",
        ),
        "approved" => Some("The exception was approved: it is active until the date below."),
        "rejected" => Some("The exception was rejected; the requester can read your reason here."),
        "withdrawn" => Some("The request was withdrawn."),
        _ => None,
    }
}

pub async fn show_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<RecordQuery>,
) -> PageResult<ExceptionPage> {
    let id = parse_id(&raw, "exception")?;
    let mut page = record_page(&state, &caller, id, Refused::default()).await?;
    page.flash = flash_message(&query.flash);
    Ok(page)
}

async fn record_page(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    refused: Refused,
) -> PageResult<ExceptionPage> {
    let store = state.store.as_ref();
    let today = today();
    let exception = store.get_exception(id, today).await?;
    let mine = exception.requested_by == caller.account.id;
    if !mine && !caller.may(Permission::ReadPolicyRecords) {
        return Err(PageError::NotFound("exception"));
    }
    let policy = store.get_policy(exception.policy_id).await?;
    let open = exception.status == ExceptionStatus::Requested;
    let decides = caller.may(Permission::DecidePolicies);
    let not_yours = (open && decides)
        .then(|| why_not_decider(caller, &policy, mine))
        .flatten();
    let decision = (open && decides && not_yours.is_none())
        .then(|| decision_panel(&exception, &refused, today));
    let now = OffsetDateTime::now_utc();
    let renews = exception
        .renewal_of
        .map(|id| Link::new(format!("/exceptions/{id}"), "the exception it renews"));
    Ok(ExceptionPage {
        layout: Layout::load(state, Area::Exceptions, exception.scope.clone()).await,
        flash: None,
        state: state_badge(exception.state),
        requested_expiry: day(exception.requested_expiry, today),
        expires: exception.expires_on.map(|on| day(on, today)),
        decided_at: exception.decided_at.map(|at| moment(at, now)),
        created: moment(exception.created_at, now),
        renews,
        decision,
        not_yours,
        refusal: refused.message,
        may_withdraw: mine && open,
        sees_register: caller.may(Permission::ReadPolicyRecords),
        may_renew: caller.may(Permission::RequestExceptions)
            && matches!(
                exception.state,
                ExceptionState::Active | ExceptionState::Expired
            ),
        evidence: evidence_trail(store, "policy_exception", &exception.id.to_string()).await?,
        approver_role: role_words(&policy),
        policy,
        exception,
    })
}

fn role_words(policy: &Policy) -> String {
    policy.approver_role.as_str().replace('_', " ")
}

/// Why a holder of the decide permission cannot decide this exception (the store's rules).
fn why_not_decider(caller: &Principal, policy: &Policy, mine: bool) -> Option<String> {
    if mine {
        Some("You requested this exception, so another approver decides it.".to_owned())
    } else if !caller.account.has_role(policy.approver_role) {
        Some(format!(
            "Only a holder of the {} role decides exceptions to this policy.",
            role_words(policy)
        ))
    } else {
        None
    }
}

/// The approve and reject forms, the one that was refused showing what was typed.
fn decision_panel(exception: &PolicyException, refused: &Refused, today: Date) -> DecisionPanel {
    let errors_for = |approve| {
        if refused.approve == Some(approve) {
            refused.errors.clone()
        } else {
            FieldErrors::new()
        }
    };
    let note_for = |approve| {
        if refused.approve == Some(approve) {
            refused.note.as_str()
        } else {
            ""
        }
    };
    DecisionPanel {
        approve: DecisionForm::new(true, note_for(true), &refused.expires_on, &errors_for(true)),
        reject: DecisionForm::new(false, note_for(false), "", &errors_for(false)),
        min_date: format_date(today.next_day().unwrap_or(today)),
        requested_expiry: format_date(exception.requested_expiry),
    }
}

/// The record page again, with the refusal beside the forms and its status.
pub async fn refused_page(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    status: StatusCode,
    refused: Refused,
) -> PageResult<Response> {
    let page = record_page(state, caller, id, refused).await?;
    Ok((status, page).into_response())
}
