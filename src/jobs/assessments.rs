//! The scheduled assessment: the instance holding the jobs lease stores one (trigger `schedule`)
//! when none was stored within the interval, so the history shows the ISMS at least once a day
//! even when nobody runs one.

use time::{Duration, OffsetDateTime};

use crate::domain::PageRequest;
use crate::domain::assessment::Trigger;
use crate::store::{Store, StoreResult};

/// How often an assessment is stored without anyone asking.
pub const ASSESSMENT_INTERVAL: Duration = Duration::hours(24);

/// Stores a scheduled assessment when the newest one is older than `ASSESSMENT_INTERVAL` (or
/// there is none); 1 when it stored one, 0 otherwise.
pub async fn store_scheduled_assessment(
    store: &dyn Store,
    now: OffsetDateTime,
) -> StoreResult<u64> {
    let newest = store
        .list_assessments(PageRequest::new(Some(1), Some(1)))
        .await?
        .items
        .into_iter()
        .next();
    if newest.is_some_and(|a| a.created_at > now - ASSESSMENT_INTERVAL) {
        return Ok(0);
    }
    let evaluation = crate::conformance::evaluate_now(store, now).await?;
    store
        .run_assessment(None, Trigger::Schedule, evaluation)
        .await?;
    Ok(1)
}
