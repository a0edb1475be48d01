//! The outbox for admins: every email Charter wrote, newest first, with where it stands; a
//! message's full text; and sending a failed or held message again.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use super::error::parse_id;
use super::forms::query_string;
use super::layout::{Area, Layout};
use super::moment::{Moment, moment};
use super::policy_views::{PolicyError, PolicyResult};
use super::views::{Badge, Pager};
use crate::app::AppState;
use crate::auth::Caller;
use crate::domain::PageRequest;
use crate::domain::mail::{MailKind, MailStatus, OutboxFilter, OutboxMessage};
use crate::error::AppError;
use crate::store::Store;

/// Sent is done; queued and held wait; failed needs an admin.
pub fn mail_badge(status: MailStatus) -> Badge {
    match status {
        MailStatus::Sent => Badge::new("green", "Sent"),
        MailStatus::Queued => Badge::new("amber", "Queued"),
        MailStatus::Held => Badge::new("amber", "Held"),
        MailStatus::Failed => Badge::new("red", "Failed"),
        MailStatus::Withdrawn => Badge::new("grey", "Not needed"),
    }
}

pub fn kind_word(kind: MailKind) -> &'static str {
    match kind {
        MailKind::Reminder => "Reminder",
        MailKind::ManualReminder => "Reminder sent by hand",
        MailKind::Communication => "Communication",
        MailKind::Notice => "Notice",
    }
}

/// One message as the list and its page show it.
pub struct MailRow {
    pub message: OutboxMessage,
    pub badge: Badge,
    pub kind: &'static str,
    pub created: Moment,
    pub next_attempt: Option<Moment>,
    pub sent: Option<Moment>,
    pub retryable: bool,
}

impl MailRow {
    fn new(message: OutboxMessage, now: OffsetDateTime) -> Self {
        Self {
            badge: mail_badge(message.status),
            kind: kind_word(message.kind),
            created: moment(message.created_at, now),
            next_attempt: (message.status == MailStatus::Queued)
                .then(|| moment(message.next_attempt_at, now)),
            sent: message.sent_at.map(|at| moment(at, now)),
            retryable: matches!(message.status, MailStatus::Failed | MailStatus::Held),
            message,
        }
    }
}

pub struct StatusTab {
    pub href: String,
    pub label: &'static str,
    pub count: i64,
    pub current: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OutboxQuery {
    status: String,
    page: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "outbox/list.html", whitespace = "minimize")]
pub struct OutboxPage {
    layout: Layout,
    tabs: Vec<StatusTab>,
    rows: Vec<MailRow>,
    total: i64,
    pager: Pager,
    filtered: bool,
}

pub async fn list_outbox(
    State(state): State<AppState>,
    Query(query): Query<OutboxQuery>,
) -> PolicyResult<OutboxPage> {
    let store = state.store.as_ref();
    let status: Option<MailStatus> = query.status.parse().ok();
    let filter = OutboxFilter {
        status,
        ..OutboxFilter::default()
    };
    let request = PageRequest::new(query.page.trim().parse().ok(), None);
    let page = store.list_outbox(&filter, request).await?;
    let now = OffsetDateTime::now_utc();
    let status_text = status.map(|s| s.as_str()).unwrap_or_default();
    Ok(OutboxPage {
        layout: Layout::load(&state, Area::Outbox, "Outbox").await,
        tabs: status_tabs(store, status).await?,
        pager: Pager::new("/outbox", &page, &[("status", status_text)]),
        total: page.total,
        filtered: status.is_some(),
        rows: page
            .items
            .into_iter()
            .map(|m| MailRow::new(m, now))
            .collect(),
    })
}

async fn status_tabs(
    store: &dyn Store,
    current: Option<MailStatus>,
) -> PolicyResult<Vec<StatusTab>> {
    let choices = [
        (None, "All"),
        (Some(MailStatus::Failed), "Failed"),
        (Some(MailStatus::Held), "Held"),
        (Some(MailStatus::Queued), "Queued"),
        (Some(MailStatus::Sent), "Sent"),
        (Some(MailStatus::Withdrawn), "Not needed"),
    ];
    let mut tabs = Vec::new();
    for (status, label) in choices {
        let filter = OutboxFilter {
            status,
            ..OutboxFilter::default()
        };
        let one = PageRequest::new(Some(1), Some(1));
        let text = status.map(|s| s.as_str()).unwrap_or_default();
        tabs.push(StatusTab {
            href: format!("/outbox{}", query_string(&[("status", text)])),
            label,
            count: store.list_outbox(&filter, one).await?.total,
            current: status == current,
        });
    }
    Ok(tabs)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MailQuery {
    flash: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "outbox/show.html", whitespace = "minimize")]
pub struct MailPage {
    layout: Layout,
    flash: bool,
    row: MailRow,
}

pub async fn show_mail(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<MailQuery>,
) -> PolicyResult<MailPage> {
    let message = state.store.get_mail(parse_id(&raw, "message")?).await?;
    Ok(MailPage {
        layout: Layout::load(&state, Area::Outbox, message.subject.clone()).await,
        flash: query.flash == "retried",
        row: MailRow::new(message, OffsetDateTime::now_utc()),
    })
}

/// Queues a failed or held message again; the store refuses (409) any other.
pub async fn retry_mail(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PolicyResult<Response> {
    let id = parse_id(&raw, "message")?;
    state
        .store
        .retry_mail(&caller.account, id)
        .await
        .map_err(|e| PolicyError::from(AppError::from(e)))?;
    Ok(Redirect::to(&format!("/outbox/{id}?flash=retried")).into_response())
}
