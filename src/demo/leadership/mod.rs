//! The demo's leadership records, written through the store like any user would: a year of
//! objectives with their measurements, management reviews with decisions and actions, resource
//! commitments, process integration, briefings, top management's messages to staff, performance
//! reports and concerns, with the deliberate gaps an auditor should find (a stale process
//! integration, an overdue action, a missed objective, a report not yet reviewed).

mod commitments;
mod communications;
mod concerns;
mod holders;
mod objectives;
mod reports;
mod reviews;

use std::collections::HashMap;

use time::{Date, OffsetDateTime};

use crate::domain::access::Role;
use crate::domain::account::Account;
use crate::store::{Store, StoreResult};

/// What the demo's leadership records came to.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LeadershipSummary {
    pub objectives: usize,
    pub measurements: usize,
    pub resource_commitments: usize,
    pub processes: usize,
    pub briefings: usize,
    pub reviews: usize,
    pub actions: usize,
    pub reports: usize,
    pub concerns: usize,
    pub communications: usize,
}

/// The demo accounts, one per tool role.
struct Cast {
    by_role: HashMap<Role, Account>,
}

impl Cast {
    async fn load(store: &dyn Store) -> StoreResult<Self> {
        let accounts = store.list_accounts().await?;
        let mut by_role = HashMap::new();
        for role in Role::ALL {
            if let Some(account) = accounts.iter().find(|a| a.roles.contains(&role)) {
                by_role.insert(role, account.clone());
            }
        }
        Ok(Self { by_role })
    }

    fn account(&self, role: Role) -> Option<&Account> {
        self.by_role.get(&role)
    }
}

/// Writes the leadership records; does nothing without the demo accounts.
pub async fn seed_leadership(store: &dyn Store, today: Date) -> StoreResult<LeadershipSummary> {
    let cast = Cast::load(store).await?;
    let mut summary = LeadershipSummary::default();
    let Some(isms) = cast.account(Role::IsmsManager) else {
        return Ok(summary);
    };
    holders::ensure_holders(store, &cast, today).await?;
    let (objectives, measurements) = objectives::seed_objectives(store, isms, &cast, today).await?;
    summary.objectives = objectives;
    summary.measurements = measurements;
    let (resources, processes, briefings) =
        commitments::seed_commitments(store, &cast, today).await?;
    summary.resource_commitments = resources;
    summary.processes = processes;
    summary.briefings = briefings;
    (summary.reviews, summary.actions) = reviews::seed_reviews(store, &cast, today).await?;
    summary.communications = communications::seed_communications(store, &cast, today).await?;
    if let Some(handler) = cast.account(Role::ConcernHandler) {
        summary.concerns =
            concerns::seed_concerns(store, handler, OffsetDateTime::now_utc()).await?;
    }
    summary.reports = reports::seed_reports(store, &cast, OffsetDateTime::now_utc()).await?;
    Ok(summary)
}
