//! The demo's confidential concerns: a year of reports through the channel, most acknowledged,
//! answered and closed within their targets, one answered late, and one received nine days ago
//! that nobody has looked at yet (past both targets).

use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::domain::PageRequest;
use crate::domain::account::Account;
use crate::domain::concern::{ConcernCategory, ConcernFilter, ConcernInput, ConcernStatus};
use crate::store::concerns::ConcernError;
use crate::store::{Store, StoreError, StoreResult};

/// One demo concern: how long ago it came, what it says, and how far handling went (in days
/// after receipt: acknowledged, answered, closed).
struct Plan {
    days_ago: i64,
    category: ConcernCategory,
    description: &'static str,
    handled: Option<(i64, i64, Option<i64>)>,
}

const PLANS: &[Plan] = &[
    Plan {
        days_ago: 330,
        category: ConcernCategory::SecurityIncident,
        description: "A laptop was left unlocked in the Lyon meeting room over lunch, logged in to the finance system.",
        handled: Some((1, 3, Some(10))),
    },
    Plan {
        days_ago: 250,
        category: ConcernCategory::PolicyBreach,
        description: "A team shares one admin password for the staging database in a chat channel.",
        handled: Some((1, 5, Some(20))),
    },
    Plan {
        days_ago: 160,
        category: ConcernCategory::Vulnerability,
        description: "The customer portal shows a full stack trace when a date field is left empty.",
        handled: Some((2, 9, Some(30))),
    },
    Plan {
        days_ago: 60,
        category: ConcernCategory::Privacy,
        description: "Customer exports with personal data are kept on a shared drive everyone can read.",
        handled: Some((1, 4, None)),
    },
    Plan {
        days_ago: 9,
        category: ConcernCategory::Other,
        description: "Visitors are not escorted on the second floor in Rotterdam.",
        handled: None,
    },
];

/// Writes the concerns as anonymous reports and the handler's work on them; returns how many.
pub(super) async fn seed_concerns(
    store: &dyn Store,
    handler: &Account,
    now: OffsetDateTime,
) -> StoreResult<usize> {
    for (index, plan) in PLANS.iter().enumerate() {
        // Whole seconds, each report its own.
        let at = now - Duration::days(plan.days_ago) - Duration::seconds(index as i64 + 1);
        let input = ConcernInput {
            category: plan.category,
            description: plan.description.into(),
            contact: None,
        };
        let receipt = store.report_concern(input, at).await.map_err(store_error)?;
        let Some((acknowledged, answered, closed)) = plan.handled else {
            continue;
        };
        let id = concern_received_at(store, handler, receipt.received_at, now).await?;
        let day = |d: i64| receipt.received_at + Duration::days(d);
        store
            .set_concern_status(
                handler,
                id,
                ConcernStatus::Acknowledged,
                day(acknowledged) - Duration::hours(4),
            )
            .await?;
        store.answer_concern(handler, id, "Thank you for telling us. We have looked into it and are putting it right; we will write here when it is done.", day(answered)).await?;
        if let Some(closed) = closed {
            store
                .set_concern_status(handler, id, ConcernStatus::Closed, day(closed))
                .await?;
        }
    }
    Ok(PLANS.len())
}

fn store_error(error: ConcernError) -> StoreError {
    match error {
        ConcernError::Store(e) => e,
        other => StoreError::Conflict(other.to_string()),
    }
}

/// A receipt names no concern on purpose: the handler finds it by the time it came in.
async fn concern_received_at(
    store: &dyn Store,
    handler: &Account,
    received_at: OffsetDateTime,
    now: OffsetDateTime,
) -> StoreResult<Uuid> {
    let page = PageRequest::new(Some(1), Some(100));
    store
        .list_concerns(handler, ConcernFilter::default(), now, page)
        .await?
        .items
        .into_iter()
        .find(|c| c.received_at == received_at)
        .map(|c| c.id)
        .ok_or(StoreError::NotFound("concern"))
}
