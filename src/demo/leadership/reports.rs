//! The demo's performance reports: one from last quarter signed off by top management with
//! comments, and this month's, submitted and not yet reviewed.

use time::{Duration, OffsetDateTime};

use super::Cast;
use crate::domain::access::Role;
use crate::domain::account::Account;
use crate::domain::report::{ReportInput, SignOffInput};
use crate::store::{Store, StoreError, StoreResult};

/// Writes the reports; returns how many.
pub(super) async fn seed_reports(
    store: &dyn Store,
    cast: &Cast,
    now: OffsetDateTime,
) -> StoreResult<usize> {
    let Some(reporter) = reporter_account(store, now).await? else {
        return Ok(0);
    };
    let mut written = 0;
    let earlier = ReportInput {
        summary: "Acknowledgment of the policy is close to target; the VPN replacement is late."
            .into(),
    };
    match store
        .generate_report(&reporter, earlier, now - Duration::days(95))
        .await
    {
        Ok(report) => {
            written += 1;
            if let Some(top) = cast
                .account(Role::TopManagement)
                .filter(|t| t.id != reporter.id)
            {
                let comments = SignOffInput {
                    comments: "Reviewed with the management committee. Fund the second backup site next year.".into(),
                };
                store
                    .sign_off_report(top, report.report.id, comments)
                    .await?;
            }
        }
        // The reporter may not have held the role that long ago; the current report still counts.
        Err(StoreError::Forbidden(_)) => {}
        Err(other) => return Err(other),
    }
    let current = ReportInput {
        summary: "Objectives mostly on track; patching is behind target and one action is overdue."
            .into(),
    };
    store.generate_report(&reporter, current, now).await?;
    Ok(written + 1)
}

/// The account of a person who holds the performance reporter role today.
async fn reporter_account(store: &dyn Store, now: OffsetDateTime) -> StoreResult<Option<Account>> {
    let Some(role) = store.performance_reporter(now.date()).await? else {
        return Ok(None);
    };
    let accounts = store.list_accounts().await?;
    let holder = role.holders.iter().find_map(|h| {
        accounts
            .iter()
            .find(|a| a.person_id == h.person_id)
            .cloned()
    });
    Ok(holder)
}
