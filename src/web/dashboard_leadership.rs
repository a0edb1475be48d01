//! The leadership figures of the dashboard: the latest performance report and whether top
//! management has reviewed it, the last management review signed, and overdue improvement
//! actions. Cheap reads only (the full state of the ISMS is on `/leadership`).

use time::{Date, Duration, OffsetDateTime};

use super::error::PageResult;
use super::moment::{Moment, day, moment};
use super::views::Link;
use crate::domain::PageRequest;
use crate::domain::isms_status::period_start;
use crate::domain::report::ReportStatus;
use crate::domain::review::{ReviewFilter, ReviewStatus};
use crate::store::Store;

/// What the dashboard shows of leadership, for those who read leadership records.
pub struct LeadershipGlance {
    /// The latest report, whether it awaits top management's review, and when it was generated.
    pub report: Option<(Link, bool, Moment)>,
    /// The last signed management review and when it was held.
    pub review: Option<(Link, Moment)>,
    /// No signed review within the last 12 months.
    pub review_overdue: bool,
    pub overdue_actions: i64,
}

pub async fn leadership_glance(store: &dyn Store, today: Date) -> PageResult<LeadershipGlance> {
    let now = OffsetDateTime::now_utc();
    let report = store.latest_report().await?.map(|r| {
        (
            Link::new(format!("/reports/{}", r.id), "Latest performance report"),
            r.status == ReportStatus::Submitted,
            moment(r.generated_at, now),
        )
    });
    let filter = ReviewFilter {
        status: Some(ReviewStatus::Signed),
        ..ReviewFilter::default()
    };
    let last = store
        .list_management_reviews(&filter, PageRequest::new(Some(1), Some(1)))
        .await?
        .items
        .into_iter()
        .next();
    let review_overdue = last
        .as_ref()
        .is_none_or(|r| r.held_on + Duration::days(365) < today);
    let review = last.map(|r| {
        (
            Link::new(format!("/leadership/reviews/{}", r.id), r.title),
            day(r.held_on, today),
        )
    });
    let overdue_actions = store
        .action_counts(today, period_start(today))
        .await?
        .overdue;
    Ok(LeadershipGlance {
        report,
        review,
        review_overdue,
        overdue_actions,
    })
}
