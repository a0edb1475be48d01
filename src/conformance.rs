//! Running the conformance engine on live records: the facts of every area, the organization's
//! thresholds and its approved justifications, evaluated at one moment.

use time::OffsetDateTime;

use crate::domain::conformance::{Evaluation, Facts, evaluate};
use crate::store::{Store, StoreResult};

/// Evaluates every requirement of the catalog now. The areas' facts are loaded concurrently
/// (each through its own aggregate queries); nothing is written.
pub async fn evaluate_now(store: &dyn Store, now: OffsetDateTime) -> StoreResult<Evaluation> {
    let today = now.date();
    let thresholds = store.conformance_thresholds().await?;
    let (policy, roles, leadership, liveness, justifications) = tokio::try_join!(
        store.policy_facts(today),
        store.role_facts(today),
        store.leadership_facts(today),
        store.liveness(now, thresholds.period_days),
        store.approved_justifications(today),
    )?;
    let facts = Facts {
        today,
        policy,
        roles,
        leadership,
        liveness,
    };
    Ok(Evaluation {
        evaluated_at: now,
        thresholds,
        results: evaluate(&facts, &thresholds, &justifications),
        liveness: facts.liveness,
    })
}
