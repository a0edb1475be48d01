//! Pages for conformance: the latest assessment (every requirement's verdict, finding, figures
//! and evidence, and the liveness signs), running one now, the history with a trend per
//! requirement, what changed between two assessments, the thresholds and the justifications.

mod diff;
mod glance;
mod history;
mod justifications;
mod overview;
mod thresholds;
mod views;

pub(super) use glance::{ConformanceGlance, conformance_glance};

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::auth::guarded;
use crate::domain::access::Permission;

/// The pages of this area, each behind its permission.
pub(super) fn routes() -> Router<AppState> {
    use Permission::{DecideJustifications, ManageConformance, ReadConformance, RunAssessments};
    Router::new()
        .route(
            "/conformance",
            guarded(ReadConformance, get(overview::show_latest)),
        )
        .route(
            "/conformance/assessments",
            guarded(RunAssessments, post(overview::run_assessment)),
        )
        .route(
            "/conformance/assessments/{id}",
            guarded(ReadConformance, get(overview::show_assessment)),
        )
        .route(
            "/conformance/history",
            guarded(ReadConformance, get(history::show_history)),
        )
        .route(
            "/conformance/requirements/{id}",
            guarded(ReadConformance, get(history::show_requirement)),
        )
        .route(
            "/conformance/diff",
            guarded(ReadConformance, get(diff::show_diff)),
        )
        .route(
            "/conformance/thresholds",
            guarded(ReadConformance, get(thresholds::show_thresholds)).merge(guarded(
                ManageConformance,
                post(thresholds::save_thresholds),
            )),
        )
        .route(
            "/conformance/justifications",
            guarded(ReadConformance, get(justifications::show_justifications)).merge(guarded(
                ManageConformance,
                post(justifications::request_justification),
            )),
        )
        .route(
            "/conformance/justifications/{id}/decision",
            guarded(
                DecideJustifications,
                post(justifications::decide_justification),
            ),
        )
        .route(
            "/conformance/justifications/{id}/withdraw",
            guarded(
                ManageConformance,
                post(justifications::withdraw_justification),
            ),
        )
}
