//! The leadership part of "My tasks": measurements due on the caller's objectives, their
//! improvement actions, reviews to sign, resource requests to decide, reports to generate or sign.

use time::Date;

use super::error::PageResult;
use super::tasks::Task;
use crate::auth::Principal;
use crate::store::Store;

/// Every leadership task of the caller, each area's in turn.
pub async fn leadership_tasks(
    store: &dyn Store,
    caller: &Principal,
    today: Date,
) -> PageResult<Vec<Task>> {
    let mut tasks = super::objectives::tasks(store, caller, today).await?;
    tasks.extend(super::reviews::tasks(store, caller, today).await?);
    tasks.extend(super::commitments::tasks(store, caller, today).await?);
    tasks.extend(super::reports::tasks(store, caller, today).await?);
    tasks.extend(super::concerns::tasks(store, caller, today).await?);
    Ok(tasks)
}
