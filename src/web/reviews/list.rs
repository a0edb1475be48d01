//! The management review list: when the last review was signed and the next is due, the drafts
//! waiting for their chair, then every review, the latest first.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::review_badge;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::review::{ReviewFilter, ReviewStatus, ReviewSummary};
use crate::web::error::PageResult;
use crate::web::layout::{Area, Layout};
use crate::web::moment::{Moment, day};
use crate::web::views::{Badge, Pager};

/// How long after the last signed review the next one is due (5.1.g: within the period).
const REVIEW_INTERVAL_DAYS: i64 = 365;

/// One review as a row.
pub struct ReviewRow {
    pub review: ReviewSummary,
    pub held: Moment,
    pub status: Badge,
}

impl ReviewRow {
    fn new(review: ReviewSummary, today: time::Date) -> Self {
        Self {
            held: day(review.held_on, today),
            status: review_badge(review.status),
            review,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewsQuery {
    page: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews/list.html", whitespace = "minimize")]
pub struct ReviewsPage {
    layout: Layout,
    last_signed: Option<ReviewRow>,
    /// When the next review is due: a year after the last signed one.
    next_due: Option<Moment>,
    next_overdue: bool,
    drafts: Vec<ReviewRow>,
    rows: Vec<ReviewRow>,
    total: i64,
    pager: Pager,
    can_prepare: bool,
}

pub async fn list_reviews(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<ReviewsQuery>,
) -> PageResult<ReviewsPage> {
    let store = state.store.as_ref();
    let today = today();
    let by_status = |status| ReviewFilter {
        status: Some(status),
        chair_id: None,
    };
    let signed = store
        .list_management_reviews(
            &by_status(ReviewStatus::Signed),
            PageRequest::new(None, Some(1)),
        )
        .await?;
    let drafts = store
        .list_management_reviews(
            &by_status(ReviewStatus::Draft),
            PageRequest::new(None, Some(20)),
        )
        .await?;
    let request = PageRequest::new(query.page.trim().parse().ok(), None);
    let page = store
        .list_management_reviews(&ReviewFilter::default(), request)
        .await?;
    let last_signed = signed.items.into_iter().next();
    // A date near the end of the calendar has no next review: none is shown due.
    let next = last_signed.as_ref().map(|r| {
        r.held_on
            .checked_add(time::Duration::days(REVIEW_INTERVAL_DAYS))
    });
    Ok(ReviewsPage {
        layout: Layout::load(&state, Area::Leadership, "Management reviews").await,
        next_due: next.flatten().map(|d| day(d, today)),
        next_overdue: next.is_none_or(|d| d.is_some_and(|d| d < today)),
        last_signed: last_signed.map(|r| ReviewRow::new(r, today)),
        drafts: drafts
            .items
            .into_iter()
            .map(|r| ReviewRow::new(r, today))
            .collect(),
        pager: Pager::new("/leadership/reviews", &page, &[]),
        total: page.total,
        rows: page
            .items
            .into_iter()
            .map(|r| ReviewRow::new(r, today))
            .collect(),
        can_prepare: caller.may(Permission::ManageLeadership),
    })
}
