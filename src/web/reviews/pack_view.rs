//! The part of a review's pack that is the review's own: what became of the actions earlier
//! reviews started (the rest of the pack is the shared ISMS status view).

use time::Date;

use super::action_badge;
use crate::domain::review::PreviousActions;
use crate::web::moment::{Moment, day};
use crate::web::views::{Badge, Link};

/// One action of an earlier review.
pub struct PreviousRow {
    pub link: Link,
    pub review: Link,
    pub owner: String,
    pub due: Moment,
    pub status: Badge,
}

pub fn previous_rows(previous: &PreviousActions, today: Date) -> Vec<PreviousRow> {
    previous
        .items
        .iter()
        .map(|a| PreviousRow {
            link: Link::new(format!("/leadership/actions/{}", a.id), a.title.clone()),
            review: Link::new(
                format!("/leadership/reviews/{}", a.review_id),
                a.review_title.clone(),
            ),
            owner: a.owner_name.clone().unwrap_or_default(),
            due: day(a.due_on, today),
            status: action_badge(a.status, a.overdue),
        })
        .collect()
}
