//! Pages for objectives and their append-only measurements (5.1.a, 5.1.e): the list with what
//! needs attention first, an objective with its trend chart and history, and the forms.

mod chart;
mod form;
mod form_page;
mod list;
mod record;
mod show;

use axum::Router;
use axum::routing::{get, post};
use time::Date;

use super::error::PageResult;
use super::tasks::{Task, TaskItem};
use super::views::{Badge, Link};
use crate::app::AppState;
use crate::auth::{Principal, guarded};
use crate::domain::access::{Permission, Role};
use crate::domain::isms_status::ObjectiveStatus;
use crate::domain::objective::{Objective, ObjectiveFilter};
use crate::store::Store;

/// The pages of this area, each behind its permission. An objective's page is open to every
/// signed-in caller so its owner reaches it; the handler refuses others without
/// `ReadLeadership`.
pub(super) fn routes() -> Router<AppState> {
    use Permission::{ManageLeadership, ReadLeadership, RecordMeasurements, SignedIn};
    Router::new()
        .route(
            "/leadership/objectives",
            guarded(ReadLeadership, get(list::list_objectives))
                .merge(guarded(ManageLeadership, post(form::create_objective))),
        )
        .route(
            "/leadership/objectives/new",
            guarded(ManageLeadership, get(form::new_objective)),
        )
        .route(
            "/leadership/objectives/{id}",
            guarded(SignedIn, get(show::show_objective))
                .merge(guarded(ManageLeadership, post(form::update_objective))),
        )
        .route(
            "/leadership/objectives/{id}/edit",
            guarded(ManageLeadership, get(form::edit_objective)),
        )
        .route(
            "/leadership/objectives/{id}/measurements",
            guarded(RecordMeasurements, post(record::record_measurement)),
        )
        .route(
            "/leadership/objectives/{id}/retire",
            guarded(ManageLeadership, post(record::retire_objective)),
        )
}

/// What this area asks of the caller in "My tasks": the objectives they own that have no
/// measurement within their interval.
pub(super) async fn tasks(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Vec<Task>> {
    if !caller.may(Permission::RecordMeasurements) {
        return Ok(Vec::new());
    }
    let filter = ObjectiveFilter {
        owner_id: Some(caller.account.person_id),
        status: Some(ObjectiveStatus::NotMeasured),
        ..ObjectiveFilter::default()
    };
    let due = store.list_objectives(&filter, today).await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let title = match due.len() {
        1 => "1 objective needs a measurement".to_owned(),
        n => format!("{n} objectives need a measurement"),
    };
    let items = due
        .iter()
        .map(|o| TaskItem {
            link: Link::new(objective_href(o), o.statement.clone()),
            fix: Link::new(
                format!("{}#record-title", objective_href(o)),
                "Record a measurement",
            ),
        })
        .collect();
    Ok(vec![Task {
        title,
        explanation: "You own these objectives and none has a measurement within its interval: \
                      record the current value, with where it comes from.",
        items,
        action: if caller.may(Permission::ReadLeadership) {
            Link::new(
                format!(
                    "/leadership/objectives?owner_id={}",
                    caller.account.person_id
                ),
                "Your objectives",
            )
        } else {
            Link::new(objective_href(&due[0]), "Open the first")
        },
        note: None,
        overdue: due.iter().any(|o| o.due_on < today),
    }])
}

fn objective_href(objective: &Objective) -> String {
    format!("/leadership/objectives/{}", objective.id)
}

/// One vocabulary of status: on track green, at risk amber, missed red, not measured grey.
fn status_badge(status: ObjectiveStatus) -> Badge {
    let (tone, word) = match status {
        ObjectiveStatus::OnTrack => ("green", "On track"),
        ObjectiveStatus::AtRisk => ("amber", "At risk"),
        ObjectiveStatus::Missed => ("red", "Missed"),
        ObjectiveStatus::NotMeasured => ("grey", "Not measured"),
    };
    Badge::new(tone, word)
}

/// Those needing attention first: missed, at risk, not measured, then on track.
fn attention_rank(status: ObjectiveStatus) -> u8 {
    match status {
        ObjectiveStatus::Missed => 0,
        ObjectiveStatus::AtRisk => 1,
        ObjectiveStatus::NotMeasured => 2,
        ObjectiveStatus::OnTrack => 3,
    }
}

/// A value as people write it: no trailing zeros, at most two decimals, with its unit
/// ("87%", "3.5 days").
fn with_unit(value: f64, unit: &str) -> String {
    let number = format!("{value:.2}");
    let number = number.trim_end_matches('0').trim_end_matches('.');
    let number = if number == "-0" { "0" } else { number };
    match unit {
        "" => number.to_owned(),
        "%" => format!("{number}%"),
        unit => format!("{number} {unit}"),
    }
}

/// "at least 90%".
fn target_text(objective: &Objective) -> String {
    format!(
        "{} {}",
        objective.direction.label(),
        with_unit(objective.target, &objective.unit)
    )
}

/// Whether the caller may record measurements on the objective (the store has the last word):
/// its owner, or an ISMS manager or admin, while it is active.
fn may_record(caller: &Principal, objective: &Objective) -> bool {
    let manages =
        caller.account.has_role(Role::Admin) || caller.account.has_role(Role::IsmsManager);
    objective.active
        && caller.may(Permission::RecordMeasurements)
        && (manages || objective.owner_id == caller.account.person_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_written() {
        assert_eq!(with_unit(87.0, "%"), "87%");
        assert_eq!(with_unit(3.5, "days"), "3.5 days");
        assert_eq!(with_unit(0.126, ""), "0.13");
        assert_eq!(with_unit(-0.001, "incidents"), "0 incidents");
    }
}
