//! Makes sure the roles the leadership records need are held (in a large benchmark organization the
//! demo's roles are not assigned): the performance reporter, a top-management role and the concern
//! handler, each given to the demo account with the matching tool role when nobody holds it.

use time::{Date, Duration};

use super::Cast;
use crate::domain::access::Role;
use crate::domain::assignment::{AssignmentInput, AssignmentScope};
use crate::domain::role::{OrgRole, OrgRoleFilter, RoleCategory};
use crate::store::{Store, StoreResult};

/// A role the records need (found by a test on the catalog) and the demo account to hold it.
type Wanted = (fn(&OrgRole) -> bool, Role);

/// Assigns each vacant role the records need; returns how many were assigned.
pub(super) async fn ensure_holders(
    store: &dyn Store,
    cast: &Cast,
    today: Date,
) -> StoreResult<usize> {
    let Some(admin) = cast.account(Role::Admin) else {
        return Ok(0);
    };
    let roles = store.list_roles(&OrgRoleFilter::default()).await?;
    let wanted: [Wanted; 3] = [
        (|r| r.performance_reporter, Role::IsmsManager),
        (
            |r| r.category == RoleCategory::TopManagement,
            Role::TopManagement,
        ),
        (
            |r| r.grants == Some(Role::ConcernHandler),
            Role::ConcernHandler,
        ),
    ];
    let mut assigned = 0;
    for (is_wanted, holder_role) in wanted {
        let (Some(role), Some(holder)) = (
            roles.iter().find(|r| is_wanted(r)),
            cast.account(holder_role),
        ) else {
            continue;
        };
        if !store
            .role_holders(role.id, today, today)
            .await?
            .holders
            .is_empty()
        {
            continue;
        }
        let input = AssignmentInput {
            role_id: role.id,
            person_id: holder.person_id,
            scope: AssignmentScope::Organization,
            deputy: false,
            starts_on: today - Duration::days(400),
            ends_on: None,
            reason: "Named by the management committee.".into(),
            sod_exception_id: None,
        };
        let assignment = store.assign_role(admin, input, today).await?;
        store
            .acknowledge_assignment(holder, assignment.id, today)
            .await?;
        assigned += 1;
    }
    Ok(assigned)
}
