//! Pages for the confidential reporting channel: concerns, follow-up codes and the answers (A.6.8).
//!
//! `/report` and `/report/follow-up` are public and never look at who the caller is, signed in
//! or not (their address only counts against the per-source limit, as a keyed hash held in
//! memory for at most a minute, never stored or logged). They have no CSRF token because, like
//! the sign-in form, they act with no one's authority (a forged post could only do what anyone
//! may, and the code travels in the body only). The handlers' pages are for concern handlers
//! alone; the store checks the role again.

mod follow_up;
mod handling;
mod report;
mod settings;
mod views;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use time::{Date, OffsetDateTime};

use super::error::PageResult;
use super::tasks::{Task, TaskItem};
use super::views::Link;
use crate::app::AppState;
use crate::auth::{Principal, guarded};
use crate::domain::access::Permission;
use crate::domain::concern::{ConcernFilter, ConcernSummary};
use crate::domain::{Page, PageRequest};
use crate::store::Store;
use crate::web::moment::moment;

/// The pages of this area, each behind its permission.
pub(super) fn routes() -> Router<AppState> {
    use Permission::{HandleConcerns, Public};
    Router::new()
        .route(
            "/report",
            guarded(Public, get(report::report_form).post(report::submit_report)),
        )
        .route(
            "/report/follow-up",
            guarded(
                Public,
                get(follow_up::follow_up_form).post(follow_up::open_follow_up),
            ),
        )
        .route(
            "/report/follow-up/reply",
            guarded(Public, post(follow_up::send_reply)),
        )
        .route(
            "/concerns",
            guarded(HandleConcerns, get(handling::list_concerns)),
        )
        .route(
            "/concerns/settings",
            guarded(
                HandleConcerns,
                get(settings::settings_form).post(settings::save_settings),
            ),
        )
        .route(
            "/concerns/{id}",
            guarded(HandleConcerns, get(handling::show_concern)),
        )
        .route(
            "/concerns/{id}/answer",
            guarded(HandleConcerns, post(handling::answer_concern)),
        )
        .route(
            "/concerns/{id}/status",
            guarded(HandleConcerns, post(handling::set_status)),
        )
}

/// A page no cache keeps (a report, a code, a conversation), with its status.
fn private(status: StatusCode, page: impl IntoResponse) -> Response {
    let mut response = (status, page).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// How many concerns a task names before linking to the list.
const TASK_ITEMS: u32 = 10;

/// For concern handlers: the concerns past their receipt or response target, and those
/// received but not yet acknowledged (still within the receipt target), each with the real
/// number of them.
pub(super) async fn tasks(
    store: &dyn Store,
    caller: &Principal,
    _today: Date,
) -> PageResult<Vec<Task>> {
    if !caller.may(Permission::HandleConcerns) {
        return Ok(Vec::new());
    }
    let now = OffsetDateTime::now_utc();
    let list = |filter: ConcernFilter| {
        let page = PageRequest::new(Some(1), Some(TASK_ITEMS));
        store.list_concerns(&caller.account, filter, now, page)
    };
    let overdue = list(ConcernFilter {
        overdue: true,
        ..ConcernFilter::default()
    })
    .await?;
    let awaiting = list(ConcernFilter {
        awaiting_receipt: true,
        ..ConcernFilter::default()
    })
    .await?;
    let mut tasks = Vec::new();
    if overdue.total > 0 {
        tasks.push(overdue_task(&overdue));
    }
    if awaiting.total > 0 {
        tasks.push(awaiting_task(&awaiting, now));
    }
    Ok(tasks)
}

fn concern_item(concern: &ConcernSummary, what: &str) -> TaskItem {
    let href = format!("/concerns/{}", concern.id);
    TaskItem {
        link: Link::new(
            href.clone(),
            format!("Concern ({}): {what}", concern.category.label()),
        ),
        fix: Link::new(href, "Open it"),
    }
}

fn plural(count: i64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn overdue_task(overdue: &Page<ConcernSummary>) -> Task {
    let count = overdue.total;
    Task {
        title: format!(
            "{count} concern{} past {} target",
            plural(count),
            if count == 1 { "its" } else { "their" }
        ),
        explanation: "Reporters wait for these: acknowledge receipt and answer them.",
        items: overdue
            .items
            .iter()
            .map(|c| {
                let what = if c.receipt_overdue {
                    "receipt not acknowledged"
                } else {
                    "no answer yet"
                };
                concern_item(c, what)
            })
            .collect(),
        action: Link::new(
            "/concerns?overdue=true",
            "See the concerns past their target",
        ),
        note: None,
        overdue: true,
    }
}

fn awaiting_task(awaiting: &Page<ConcernSummary>, now: OffsetDateTime) -> Task {
    let count = awaiting.total;
    Task {
        title: format!("{count} concern{} to acknowledge", plural(count)),
        explanation: "Received and not yet acknowledged: tell the reporter their report arrived \
                      before the receipt target passes.",
        items: awaiting
            .items
            .iter()
            .map(|c| {
                let due = moment(c.receipt_due_at, now).relative;
                concern_item(c, &format!("receipt due {due}"))
            })
            .collect(),
        action: Link::new(
            "/concerns?status=received",
            "See the concerns not yet acknowledged",
        ),
        note: None,
        overdue: false,
    }
}
