//! Reads the state of the ISMS from the live records, for a management-review pack and a
//! performance report: every part through its own store query, none of them loading everyone.

use time::{Date, Duration, OffsetDateTime};

use crate::domain::PageRequest;
use crate::domain::campaign::CampaignFilter;
use crate::domain::isms_status::{
    ExceptionCounts, IsmsStatus, OverdueReview, PolicyCoverage, RoleGapCounts, period_start,
};
use crate::domain::policy::PolicyFilter;
use crate::domain::policy_exception::{ExceptionFilter, ExceptionState};
use crate::domain::role_gaps::RoleGaps;
use crate::domain::sod::{SodExceptionState, SodViolation};
use crate::store::{Store, StoreResult};

/// How many overdue policy reviews are named (the total is on the policies page).
const OVERDUE_REVIEWS_SHOWN: u32 = 100;
/// Exceptions read to count those expiring soon (an organization has tens, not thousands).
const EXCEPTIONS_READ: u32 = 1000;
/// Days ahead that count as "expiring soon".
const EXPIRING_SOON_DAYS: i64 = 30;

/// The state of the ISMS at `now` (the governance period is the 12 months before it).
pub async fn read_isms_status(store: &dyn Store, now: OffsetDateTime) -> StoreResult<IsmsStatus> {
    let today = now.date();
    let since = period_start(today);
    let objectives = store.objective_lines(today).await?;
    let actions = store.action_counts(today, since).await?;
    let concerns = store.concern_counts(now, since).await?;
    let gaps = store.role_gaps(today).await?;
    let violations = store.sod_violations(today).await?;
    Ok(IsmsStatus {
        as_of: now,
        period_start: since,
        objectives,
        coverage: top_policy_coverage(store, today).await?,
        overdue_reviews: overdue_reviews(store, today).await?,
        actions,
        exceptions: exception_counts(store, today).await?,
        concerns,
        role_gaps: gap_counts(&gaps, &violations),
        conformance: None,
    })
}

fn gap_counts(gaps: &RoleGaps, violations: &[SodViolation]) -> RoleGapCounts {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    RoleGapCounts {
        vacant_required: count(gaps.vacant_required.len()),
        critical_without_deputy: count(gaps.critical_without_deputy.len()),
        named_duties_unassigned: count(gaps.named_duties_unassigned.len()),
        activities_without_owner: count(
            gaps.activities_without_accountable.len() + gaps.accountable_not_held.len(),
        ),
        departed_holders: gaps.departed_holders.total,
        unacknowledged: gaps.unacknowledged.total,
        lapsed_competence: gaps.lapsed_competence.total,
        segregation_conflicts_uncovered: count(
            violations.iter().filter(|v| v.covered_by.is_none()).count(),
        ),
    }
}

/// Coverage of the top-level policy's published version, from its latest campaign on that version.
async fn top_policy_coverage(
    store: &dyn Store,
    today: Date,
) -> StoreResult<Option<PolicyCoverage>> {
    let Some(policy) = store.top_level_policy().await? else {
        return Ok(None);
    };
    let Some(version) = store.published_version(policy.id).await? else {
        return Ok(None);
    };
    let filter = CampaignFilter {
        status: None,
        policy_id: Some(policy.id),
    };
    let campaigns = store
        .list_campaigns(&filter, today, PageRequest::new(Some(1), Some(50)))
        .await?;
    let latest = campaigns
        .items
        .iter()
        .filter(|c| c.version_id == version.id)
        .max_by_key(|c| c.launched_at);
    let counts = latest.map(|c| c.counts).unwrap_or_default();
    Ok(Some(PolicyCoverage {
        policy_id: policy.id,
        policy_title: policy.title.clone(),
        version: version.number.to_string(),
        asked: counts.total,
        acknowledged: counts.acknowledged,
        overdue: counts.overdue,
        active_people: store.org_counts().await?.people_active,
    }))
}

async fn overdue_reviews(store: &dyn Store, today: Date) -> StoreResult<Vec<OverdueReview>> {
    let filter = PolicyFilter {
        overdue: true,
        ..PolicyFilter::default()
    };
    let page = PageRequest::new(Some(1), Some(OVERDUE_REVIEWS_SHOWN));
    let policies = store.list_policies(&filter, today, page).await?;
    Ok(policies
        .items
        .into_iter()
        .filter_map(|p| {
            Some(OverdueReview {
                review_due: p.next_review_due?,
                policy_id: p.policy.id,
                policy_title: p.policy.title,
            })
        })
        .collect())
}

async fn exception_counts(store: &dyn Store, today: Date) -> StoreResult<ExceptionCounts> {
    let of_state = |state| ExceptionFilter {
        policy_id: None,
        state: Some(state),
    };
    let page = PageRequest::new(Some(1), Some(EXCEPTIONS_READ));
    let active = store
        .list_exceptions(&of_state(ExceptionState::Active), today, page)
        .await?;
    let requested = store
        .list_exceptions(&of_state(ExceptionState::Requested), today, page)
        .await?;
    let soon = today + Duration::days(EXPIRING_SOON_DAYS);
    let expiring = active
        .items
        .iter()
        .filter(|e| e.expires_on.is_some_and(|d| d <= soon))
        .count();
    let sod = store.list_sod_exceptions(today).await?;
    Ok(ExceptionCounts {
        policy_active: active.total,
        policy_requested: requested.total,
        policy_expiring_soon: i64::try_from(expiring).unwrap_or(i64::MAX),
        sod_active: i64::try_from(
            sod.iter()
                .filter(|e| e.state == SodExceptionState::Active)
                .count(),
        )
        .unwrap_or(i64::MAX),
    })
}
