//! Pages for the confidential reporting channel: concerns, follow-up codes and the answers (A.6.8).
//!
//! `/report` and `/report/follow-up` are public and never look at the caller, signed in or not:
//! they have no CSRF token because, like the sign-in form, they act with no one's authority
//! (a forged post could only do what anyone may, and the code travels in the body only). The
//! handlers' pages are for concern handlers alone; the store checks the role again.

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
use crate::store::Store;

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

/// For concern handlers: the concerns past their receipt or response target.
pub(super) async fn tasks(
    store: &dyn Store,
    caller: &Principal,
    _today: Date,
) -> PageResult<Vec<Task>> {
    if !caller.may(Permission::HandleConcerns) {
        return Ok(Vec::new());
    }
    let overdue = store
        .overdue_concerns(&caller.account, OffsetDateTime::now_utc())
        .await?;
    if overdue.is_empty() {
        return Ok(Vec::new());
    }
    let items = overdue
        .iter()
        .take(10)
        .map(|c| {
            let href = format!("/concerns/{}", c.id);
            let what = if c.receipt_overdue {
                "receipt not acknowledged"
            } else {
                "no answer yet"
            };
            TaskItem {
                link: Link::new(
                    href.clone(),
                    format!("Concern ({}): {what}", c.category.label()),
                ),
                fix: Link::new(href, "Open it"),
            }
        })
        .collect();
    let count = overdue.len();
    Ok(vec![Task {
        title: format!(
            "{count} concern{} past {} target",
            if count == 1 { "" } else { "s" },
            if count == 1 { "its" } else { "their" }
        ),
        explanation: "Reporters wait for these: acknowledge receipt and answer them.",
        items,
        action: Link::new(
            "/concerns?overdue=true",
            "See the concerns past their target",
        ),
        note: None,
        overdue: true,
    }])
}
