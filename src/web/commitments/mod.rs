//! Pages for resource commitments, process integration and managers' briefings (5.1.b, 5.1.c,
//! 5.1.h, A.5.4), and what they ask of the caller in "My tasks".

mod briefing_form;
mod briefings;
mod money;
mod process_forms;
mod process_verify;
mod processes;
mod resource_decision;
mod resource_form;
mod resources;
mod tasks;

use axum::Router;
use axum::routing::{get, post};
use time::Date;

use super::error::PageResult;
use super::tasks::Task;
use crate::app::AppState;
use crate::auth::{Principal, guarded};
use crate::domain::access::Permission;
use crate::store::Store;

/// The pages of this area, each behind its permission.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .merge(resource_routes())
        .merge(process_routes())
        .merge(briefing_routes())
}

fn resource_routes() -> Router<AppState> {
    use Permission::{DecideResources, ReadLeadership, RequestResources};
    Router::new()
        .route(
            "/leadership/resources",
            guarded(ReadLeadership, get(resources::show_resources)).merge(guarded(
                RequestResources,
                post(resource_form::create_request),
            )),
        )
        .route(
            "/leadership/resources/new",
            guarded(RequestResources, get(resource_form::new_request)),
        )
        .route(
            "/leadership/resources/{id}",
            guarded(ReadLeadership, get(resource_decision::show_request)),
        )
        .route(
            "/leadership/resources/{id}/decision",
            guarded(DecideResources, post(resource_decision::decide_request)),
        )
        .route(
            "/leadership/resources/{id}/withdraw",
            guarded(RequestResources, post(resource_decision::withdraw_request)),
        )
}

fn process_routes() -> Router<AppState> {
    use Permission::{ManageLeadership, ReadLeadership, UpdateActions};
    Router::new()
        .route(
            "/leadership/processes",
            guarded(ReadLeadership, get(processes::show_processes)).merge(guarded(
                ManageLeadership,
                post(process_forms::create_process),
            )),
        )
        .route(
            "/leadership/processes/new",
            guarded(ManageLeadership, get(process_forms::new_process)),
        )
        .route(
            "/leadership/processes/{id}",
            guarded(ReadLeadership, get(processes::show_process)).merge(guarded(
                ManageLeadership,
                post(process_forms::update_process),
            )),
        )
        .route(
            "/leadership/processes/{id}/edit",
            guarded(ManageLeadership, get(process_forms::edit_process)),
        )
        .route(
            "/leadership/processes/{id}/verify",
            guarded(
                UpdateActions,
                get(process_verify::verify_form).post(process_verify::verify_process),
            ),
        )
}

fn briefing_routes() -> Router<AppState> {
    use Permission::{ReadLeadership, RecordBriefings};
    Router::new()
        .route(
            "/leadership/briefings",
            guarded(ReadLeadership, get(briefings::show_briefings)).merge(guarded(
                RecordBriefings,
                post(briefing_form::record_briefing),
            )),
        )
        .route(
            "/leadership/briefings/new",
            guarded(RecordBriefings, get(briefing_form::new_briefing)),
        )
}

/// What this area asks of the caller in "My tasks" (each task only when it has something to do).
pub(super) async fn tasks(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Vec<Task>> {
    tasks::commitment_tasks(store, caller, today).await
}
