//! Pages for management reviews, their decisions and the improvement actions they start (5.1.g):
//! the review list, a review with its pack, minutes, decisions and the chair's sign-off, and the
//! action list with each action's progress form.

mod action_form;
mod action_page;
mod actions_list;
mod attendees;
mod form;
mod list;
mod pack_view;
mod show;
mod signoff;

use axum::Router;
use axum::routing::{get, post};
use time::Date;

use super::error::PageResult;
use super::tasks::{Task, TaskItem};
use super::views::{Badge, Link};
use crate::app::AppState;
use crate::auth::{Principal, guarded};
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::improvement_action::{ActionFilter, ActionStatus, ImprovementAction};
use crate::domain::review::{ReviewFilter, ReviewStatus};
use crate::store::Store;

/// The pages of this area, each behind its permission. An action's page is open to every
/// signed-in caller so its owner reaches it from "My tasks"; the handler refuses others without
/// `ReadLeadership`.
pub(super) fn routes() -> Router<AppState> {
    use Permission::{ManageLeadership, ReadLeadership, SignReviews, SignedIn, UpdateActions};
    Router::new()
        .route(
            "/leadership/reviews",
            guarded(ReadLeadership, get(list::list_reviews))
                .merge(guarded(ManageLeadership, post(form::create_review))),
        )
        .route(
            "/leadership/reviews/new",
            guarded(ManageLeadership, get(form::new_review)),
        )
        .route(
            "/leadership/reviews/{id}",
            guarded(ReadLeadership, get(show::show_review)),
        )
        .route(
            "/leadership/reviews/{id}/edit",
            guarded(ManageLeadership, get(form::edit_review))
                .merge(guarded(ManageLeadership, post(form::update_review))),
        )
        .route(
            "/leadership/reviews/{id}/decisions",
            guarded(ManageLeadership, post(signoff::add_decision)),
        )
        .route(
            "/leadership/reviews/{id}/sign-off",
            guarded(SignReviews, post(signoff::sign_off)),
        )
        .route(
            "/leadership/actions",
            guarded(ReadLeadership, get(actions_list::list_actions))
                .merge(guarded(ManageLeadership, post(action_form::create_action))),
        )
        .route(
            "/leadership/actions.csv",
            guarded(ReadLeadership, get(actions_list::export_actions)),
        )
        .route(
            "/leadership/actions/new",
            guarded(ManageLeadership, get(action_form::new_action)),
        )
        .route(
            "/leadership/actions/{id}",
            guarded(SignedIn, get(action_page::show_action))
                .merge(guarded(UpdateActions, post(action_page::update_action))),
        )
}

/// Draft amber, signed green.
pub(crate) fn review_badge(status: ReviewStatus) -> Badge {
    match status {
        ReviewStatus::Draft => Badge::new("amber", "draft"),
        ReviewStatus::Signed => Badge::new("green", "signed"),
    }
}

/// Overdue red, open amber, done green, cancelled grey.
pub(crate) fn action_badge(status: ActionStatus, overdue: bool) -> Badge {
    match status {
        _ if overdue => Badge::new("red", "overdue"),
        ActionStatus::Open | ActionStatus::InProgress => Badge::new("amber", status.label()),
        ActionStatus::Done => Badge::new("green", "done"),
        ActionStatus::Cancelled => Badge::new("grey", "cancelled"),
    }
}

/// How many records a task names before linking to the rest.
const TASK_ITEMS: u32 = 10;

/// What this area asks of the caller in "My tasks" (each task only when it has something to do):
/// the open actions they own, overdue ones apart, and the drafts they chair that are ready to sign.
pub(super) async fn tasks(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Vec<Task>> {
    let mut tasks = Vec::new();
    for overdue in [true, false] {
        let filter = ActionFilter {
            owner_id: Some(caller.account.person_id),
            overdue,
            upcoming: !overdue,
            ..ActionFilter::default()
        };
        let owned = store
            .list_improvement_actions(&filter, today, PageRequest::new(Some(1), Some(TASK_ITEMS)))
            .await?;
        if owned.total > 0 {
            let all = caller.may(Permission::ReadLeadership);
            tasks.push(action_task(&owned.items, owned.total, overdue, all));
        }
    }
    if caller.may(Permission::SignReviews) {
        tasks.extend(reviews_to_sign(store, caller, today).await?);
    }
    Ok(tasks)
}

/// The first actions of a kind and how many there are in all.
/// `reads_all`: whether the caller may open the list of every action (staff owners open theirs).
fn action_task(actions: &[ImprovementAction], count: i64, overdue: bool, reads_all: bool) -> Task {
    let title = match (count, overdue) {
        (1, true) => "1 improvement action of yours is overdue".to_owned(),
        (n, true) => format!("{n} improvement actions of yours are overdue"),
        (1, false) => "1 improvement action to complete".to_owned(),
        (n, false) => format!("{n} improvement actions to complete"),
    };
    let shown = i64::try_from(actions.len()).unwrap_or(i64::MAX);
    let note = (count > shown).then(|| format!("The first {shown} of {count}, by due date."));
    Task {
        title,
        explanation: "You own these actions: record progress and, when done, the evidence that shows it.",
        items: actions
            .iter()
            .take(TASK_ITEMS as usize)
            .map(|a| TaskItem {
                link: Link::new(
                    format!("/leadership/actions/{}", a.id),
                    format!("{} (due {})", a.title, a.due_on),
                ),
                fix: Link::new(format!("/leadership/actions/{}", a.id), "Record progress"),
            })
            .collect(),
        action: match actions.first() {
            Some(first) if !reads_all => Link::new(
                format!("/leadership/actions/{}", first.id),
                "Open the first",
            ),
            _ => Link::new("/leadership/actions", "All improvement actions"),
        },
        note,
        overdue,
    }
}

/// The drafts the caller chairs, held by `today`, with a member of top management recorded as
/// attending.
async fn reviews_to_sign(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Option<Task>> {
    let filter = ReviewFilter {
        status: Some(ReviewStatus::Draft),
        chair_id: Some(caller.account.person_id),
    };
    let drafts = store
        .list_management_reviews(&filter, PageRequest::new(Some(1), Some(TASK_ITEMS)))
        .await?;
    let mut items = Vec::new();
    for draft in drafts.items.into_iter().filter(|d| d.held_on <= today) {
        let review = store.get_management_review(draft.id).await?;
        if review.top_management_present {
            let href = format!("/leadership/reviews/{}#sign-off", review.id);
            items.push(TaskItem {
                link: Link::new(href.clone(), review.title),
                fix: Link::new(href, "Read and sign"),
            });
        }
    }
    if items.is_empty() {
        return Ok(None);
    }
    Ok(Some(Task {
        title: match items.len() {
            1 => "1 management review to sign".to_owned(),
            n => format!("{n} management reviews to sign"),
        },
        explanation: "You chair these reviews: read the inputs, minutes and decisions, then sign; \
                      the record is locked once signed.",
        items,
        action: Link::new("/leadership/reviews", "All management reviews"),
        note: None,
        overdue: false,
    }))
}
