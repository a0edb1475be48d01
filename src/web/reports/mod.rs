//! Pages for performance reports: frozen snapshots submitted to and signed off by top management
//! (5.1.e, 5.3.b). The history, the form that freezes a report (the reporter only), one report
//! readable in five minutes with its sign-off form, and its HTML and PDF exports.

mod history;
mod record;

use axum::Router;
use axum::routing::{get, post};
use time::{Date, Duration};

use super::error::PageResult;
use super::tasks::{Task, TaskItem};
use super::views::Link;
use crate::app::AppState;
use crate::auth::{Principal, guarded};
use crate::domain::access::Permission;
use crate::domain::report::{PerformanceReport, REPORT_INTERVAL_DAYS};
use crate::store::Store;

/// The pages of this area, each behind its permission.
pub(super) fn routes() -> Router<AppState> {
    use Permission::{GenerateReports, ReadLeadership, SignOffReports, SignedIn};
    // One report and its exports are also shown to its generator, who may hold no more than the
    // staff role: the handlers check.
    Router::new()
        .route(
            "/reports",
            guarded(ReadLeadership, get(history::show_history))
                .merge(guarded(GenerateReports, post(history::generate_report))),
        )
        .route(
            "/reports/new",
            guarded(GenerateReports, get(history::new_report)),
        )
        .route("/reports/{id}", guarded(SignedIn, get(record::show_report)))
        .route(
            "/reports/{id}/sign-off",
            guarded(SignOffReports, post(record::sign_off_report)),
        )
        .route(
            "/reports/{id}/export.html",
            guarded(SignedIn, get(record::export_html)),
        )
        .route(
            "/reports/{id}/export.pdf",
            guarded(SignedIn, get(record::export_pdf)),
        )
}

/// "Period 2024-06-01 to 2025-06-01".
fn period(report: &PerformanceReport) -> String {
    format!("{} to {}", report.period_start, report.period_end)
}

/// What this area asks of the caller in "My tasks": for top management, the reports awaiting
/// their sign-off; for the reporter, generating one when none was in the last 90 days.
pub(super) async fn tasks(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Vec<Task>> {
    let mut tasks = Vec::new();
    let signs = caller.may(Permission::SignOffReports);
    let generates = caller.may(Permission::GenerateReports);
    if !signs && !generates {
        return Ok(tasks);
    }
    if signs {
        let awaiting: Vec<TaskItem> = store
            .reports_awaiting_sign_off(caller.account.person_id)
            .await?
            .iter()
            .map(|r| TaskItem {
                link: Link::new(format!("/reports/{}", r.id), period(r)),
                fix: Link::new(format!("/reports/{}#sign-off", r.id), "Review and sign off"),
            })
            .collect();
        if !awaiting.is_empty() {
            tasks.push(Task {
                title: format!("Sign off {} performance report(s)", awaiting.len()),
                explanation: "The ISMS's performance was reported to top management: read the \
                              report and sign it off with your comments (5.1.e).",
                items: awaiting,
                action: Link::new("/reports", "All performance reports"),
                note: None,
                overdue: false,
            });
        }
    }
    if generates {
        let latest = store.latest_report().await?;
        tasks.extend(generate_task(store, caller, today, latest.as_ref()).await?);
    }
    Ok(tasks)
}

async fn generate_task(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
    latest: Option<&PerformanceReport>,
) -> PageResult<Option<Task>> {
    let due =
        latest.is_none_or(|r| r.generated_at.date() < today - Duration::days(REPORT_INTERVAL_DAYS));
    if !due {
        return Ok(None);
    }
    let Some(role) = store.performance_reporter(today).await? else {
        return Ok(None);
    };
    if !role.is_held_by(caller.account.person_id) {
        return Ok(None);
    }
    let since = latest.map_or_else(
        || "No performance report was generated yet.".to_owned(),
        |r| format!("The last one was generated on {}.", r.generated_at.date()),
    );
    Ok(Some(Task {
        title: "Generate the performance report".to_owned(),
        explanation: "You hold the role that reports the performance of the ISMS to top \
                      management (5.3.b): freeze the figures and submit them.",
        items: Vec::new(),
        action: Link::new("/reports/new", "Generate the performance report"),
        note: Some(since),
        overdue: latest.is_some(),
    }))
}
