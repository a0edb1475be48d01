//! The handlers' pages: the list (what is past its target first, the counts by category and
//! status above it), a concern with its conversation, the answer and the status forms. Every
//! page is `Cache-Control: no-store`: no cache keeps a report.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use super::private;
use super::views::{
    ConcernRow, MessageView, concern_row, handler_view, overdue_badge, status_badge,
};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::concern::{Concern, ConcernFilter, ConcernSettings, ConcernStatus};
use crate::domain::isms_status::{ConcernCounts, period_start};
use crate::domain::{FieldErrors, PageRequest};
use crate::store::StoreError;
use crate::web::error::{PageError, PageResult, parse_id};
use crate::web::evidence::{Evidence, evidence_trail};
use crate::web::forms::{Field, SelectOption};
use crate::web::layout::{Area, Layout};
use crate::web::moment::{Moment, moment};
use crate::web::views::{Badge, Pager};

#[derive(Template, WebTemplate)]
#[template(path = "concerns/list.html", whitespace = "minimize")]
pub struct ConcernsPage {
    layout: Layout,
    counts: ConcernCounts,
    settings: ConcernSettings,
    rows: Vec<ConcernRow>,
    total: i64,
    pager: Pager,
    status: String,
    overdue: bool,
    statuses: Vec<SelectOption>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConcernsQuery {
    status: String,
    overdue: bool,
    page: Option<u32>,
}

pub async fn list_concerns(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<ConcernsQuery>,
) -> Result<Response, PageError> {
    let now = OffsetDateTime::now_utc();
    let filter = ConcernFilter {
        status: query.status.parse().ok(),
        overdue: query.overdue,
        awaiting_receipt: false,
    };
    let page = state
        .store
        .list_concerns(
            &caller.account,
            filter,
            now,
            PageRequest::new(query.page, Some(50)),
        )
        .await?;
    let status = filter.status.map(ConcernStatus::as_str).unwrap_or_default();
    let overdue = if query.overdue { "true" } else { "" };
    let page = ConcernsPage {
        layout: Layout::load(&state, Area::Concerns, "Concerns").await,
        counts: state
            .store
            .concern_counts(now, period_start(today()))
            .await?,
        settings: state.store.concern_settings().await?,
        rows: page.items.iter().map(|c| concern_row(c, now)).collect(),
        total: page.total,
        pager: Pager::new(
            "/concerns",
            &page,
            &[("status", status), ("overdue", overdue)],
        ),
        status: status.to_owned(),
        overdue: query.overdue,
        statuses: ConcernStatus::ALL
            .iter()
            .map(|s| SelectOption::new(s.as_str(), s.label(), s.as_str() == status))
            .collect(),
    };
    Ok(private(StatusCode::OK, page))
}

#[derive(Template, WebTemplate)]
#[template(path = "concerns/show.html", whitespace = "minimize")]
pub struct ConcernPage {
    layout: Layout,
    id: String,
    category: String,
    status: Badge,
    overdue: Option<Badge>,
    received: Moment,
    receipt_due: Moment,
    response_due: Moment,
    acknowledged: Option<Moment>,
    answered: Option<Moment>,
    closed: bool,
    description: String,
    contact: Option<String>,
    conversation: Vec<MessageView>,
    /// The status buttons that apply now: (value, button text).
    moves: Vec<(&'static str, &'static str)>,
    answer: Field,
    flash: Option<&'static str>,
    evidence: Evidence,
}

/// The status moves a handler may make from `status`, as buttons.
fn moves(status: ConcernStatus) -> Vec<(&'static str, &'static str)> {
    [
        (ConcernStatus::Acknowledged, "Acknowledge receipt"),
        (ConcernStatus::InProgress, "Mark in progress"),
        (ConcernStatus::Closed, "Close"),
    ]
    .into_iter()
    .filter(|(to, _)| status.may_become(*to))
    .map(|(to, text)| {
        let text = if status == ConcernStatus::Closed {
            "Reopen"
        } else {
            text
        };
        (to.as_str(), text)
    })
    .collect()
}

async fn concern_page(
    state: &AppState,
    concern: Concern,
    answer: Field,
    flash: Option<&'static str>,
) -> PageResult<ConcernPage> {
    let now = OffsetDateTime::now_utc();
    let summary = &concern.summary;
    let id = summary.id.to_string();
    Ok(ConcernPage {
        layout: Layout::load(state, Area::Concerns, "Concern").await,
        evidence: evidence_trail(state.store.as_ref(), "concern", &id).await?,
        id,
        category: summary.category.label().to_owned(),
        status: status_badge(summary.status),
        overdue: overdue_badge(summary),
        received: moment(summary.received_at, now),
        receipt_due: moment(summary.receipt_due_at, now),
        response_due: moment(summary.response_due_at, now),
        acknowledged: summary.acknowledged_at.map(|at| moment(at, now)),
        answered: summary.first_answered_at.map(|at| moment(at, now)),
        closed: summary.status == ConcernStatus::Closed,
        moves: moves(summary.status),
        conversation: concern
            .conversation
            .iter()
            .map(|m| handler_view(m, now))
            .collect(),
        description: concern.description,
        contact: concern.contact,
        answer,
        flash,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FlashQuery {
    flash: String,
}

fn flash_text(flash: &str) -> Option<&'static str> {
    match flash {
        "answered" => Some("Your answer is sent: the reporter reads it with their code."),
        "status" => Some("The status is changed; the reporter sees it with their code."),
        _ => None,
    }
}

pub async fn show_concern(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<FlashQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw, "concern")?;
    let concern = state
        .store
        .get_concern(&caller.account, id, OffsetDateTime::now_utc())
        .await?;
    let answer = Field::new("message", "Your answer", "");
    let page = concern_page(&state, concern, answer, flash_text(&query.flash)).await?;
    Ok(private(StatusCode::OK, page))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    message: String,
}

/// Sends the answer; a refused one comes back beside the field as typed.
pub async fn answer_concern(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw, "concern")?;
    let now = OffsetDateTime::now_utc();
    match state
        .store
        .answer_concern(&caller.account, id, &form.message, now)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/concerns/{id}?flash=answered")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let concern = state.store.get_concern(&caller.account, id, now).await?;
            let answer = Field::new("message", "Your answer", form.message.as_str())
                .with_errors(&errors, "message");
            let page = concern_page(&state, concern, answer, None).await?;
            Ok(private(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw, "concern")?;
    let status = form
        .status
        .parse::<ConcernStatus>()
        .map_err(|message| PageError::Invalid(FieldErrors::single("status", message)))?;
    state
        .store
        .set_concern_status(&caller.account, id, status, OffsetDateTime::now_utc())
        .await?;
    Ok(Redirect::to(&format!("/concerns/{id}?flash=status")).into_response())
}
