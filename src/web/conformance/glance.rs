//! The dashboard's conformance panel: the latest stored assessment's counts per verdict and the
//! liveness signs of the live records. Cheap reads only: no evaluation runs on a dashboard view.

use time::OffsetDateTime;

use super::super::error::PageResult;
use super::super::moment::{Moment, moment};
use super::views::{CountCell, SignalView, count_cells, signal_views};
use crate::domain::PageRequest;
use crate::store::Store;

/// What the dashboard shows of conformance, for those who read it.
pub struct ConformanceGlance {
    /// When the latest assessment ran, its link, and its counts per verdict.
    pub latest: Option<(String, Moment, Vec<CountCell>)>,
    pub signals: Vec<SignalView>,
    /// The live signs could not be read (the rest of the dashboard still shows).
    pub liveness_unavailable: bool,
}

pub async fn conformance_glance(store: &dyn Store) -> PageResult<ConformanceGlance> {
    let now = OffsetDateTime::now_utc();
    let latest = store
        .list_assessments(PageRequest::new(Some(1), Some(1)))
        .await?
        .items
        .into_iter()
        .next()
        .map(|s| {
            (
                format!("/conformance/assessments/{}", s.id),
                moment(s.created_at, now),
                count_cells(&s.counts),
            )
        });
    let thresholds = store.conformance_thresholds().await?;
    let (signals, liveness_unavailable) = match store.liveness(now, thresholds.period_days).await {
        Ok(liveness) => (signal_views(&liveness, &thresholds), false),
        Err(error) => {
            tracing::warn!(%error, "the dashboard could not read the liveness signs");
            (Vec::new(), true)
        }
    };
    Ok(ConformanceGlance {
        latest,
        signals,
        liveness_unavailable,
    })
}
