//! The benchmark's role register: a large catalog (roles, 100 activities with a RACI row over 50
//! roles, segregation rules) and hundreds of thousands of assignments spread over the people.

use time::{Date, Duration};
use uuid::Uuid;

use crate::domain::access::Role;
use crate::domain::assignment::{AssignmentInput, AssignmentScope};
use crate::domain::raci::{ActivityInput, Duty, RaciCell};
use crate::domain::role::{OrgRoleInput, RoleCategory};
use crate::domain::sod::{SodConflict, SodRuleInput};
use crate::domain::{Actor, PersonStatus};
use crate::store::{AssignmentWrite, Store, StoreResult};

/// Activities in the benchmark's RACI matrix, and roles that carry its duties.
pub const LOAD_ACTIVITIES: usize = 100;
pub const LOAD_RACI_ROLES: usize = 50;
const LOAD_RULES: usize = 40;
const WRITE_BATCH: usize = 20_000;

/// What the load came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleLoad {
    pub roles: usize,
    pub assignments: usize,
}

/// Adds `roles` roles (on top of the catalog), the matrix and rules, then about `assignments`
/// assignments, each active person holding a few roles in turn. Needs the demo's admin account.
pub async fn seed_role_load(
    store: &dyn Store,
    roles: usize,
    assignments: usize,
    today: Date,
) -> StoreResult<RoleLoad> {
    let accounts = store.list_accounts().await?;
    let Some(admin) = accounts.iter().find(|a| a.has_role(Role::Admin)).cloned() else {
        return Ok(RoleLoad {
            roles: 0,
            assignments: 0,
        });
    };
    let actor = Actor::named(format!("account:{}", admin.id));
    let mut role_ids = Vec::with_capacity(roles);
    for n in 0..roles {
        role_ids.push(store.create_role(&actor, load_role(n)).await?.id);
    }
    seed_matrix(store, &actor, &role_ids).await?;
    seed_rules(store, &actor, &role_ids).await?;
    let people: Vec<Uuid> = store
        .all_people()
        .await?
        .into_iter()
        .filter(|p| p.status != PersonStatus::Departed)
        .map(|p| p.id)
        .collect();
    let writes = load_assignments(&people, &role_ids, assignments, today);
    for batch in writes.chunks(WRITE_BATCH) {
        store.write_assignments(&admin, batch).await?;
    }
    Ok(RoleLoad {
        roles: role_ids.len(),
        assignments: writes.len(),
    })
}

fn load_role(n: usize) -> OrgRoleInput {
    OrgRoleInput {
        name: format!("Load role {n:04}"),
        category: RoleCategory::Custom,
        purpose: "A role of the benchmark's register.".into(),
        responsibilities: vec![format!("Carry out duty {n}"), "Report on it".into()],
        authorities: vec![format!("Decide on matters of duty {n}")],
        competence: if n.is_multiple_of(5) {
            "A current certificate for the duty.".into()
        } else {
            String::new()
        },
        required: n.is_multiple_of(10),
        critical: n.is_multiple_of(20),
        conformance_owner: false,
        performance_reporter: false,
        grants: None,
    }
}

/// 100 activities, each with one Accountable and a few other duties among the first 50 roles.
async fn seed_matrix(store: &dyn Store, actor: &Actor, role_ids: &[Uuid]) -> StoreResult<()> {
    let raci_roles = &role_ids[..role_ids.len().min(LOAD_RACI_ROLES)];
    if raci_roles.is_empty() {
        return Ok(());
    }
    let mut activity_ids = Vec::with_capacity(LOAD_ACTIVITIES);
    let mut cells = Vec::new();
    for a in 0..LOAD_ACTIVITIES {
        let input = ActivityInput {
            name: format!("Load activity {a:03}"),
            description: "An activity of the benchmark's matrix.".into(),
        };
        let id = store.create_activity(actor, input).await?.id;
        activity_ids.push(id);
        for (offset, duty) in [
            (0, Duty::Accountable),
            (1, Duty::Responsible),
            (2, Duty::Responsible),
            (3, Duty::Consulted),
            (5, Duty::Informed),
            (8, Duty::Informed),
        ] {
            let role = raci_roles[(a * 7 + offset) % raci_roles.len()];
            if !cells
                .iter()
                .any(|c: &RaciCell| c.activity_id == id && c.role_id == role)
            {
                cells.push(RaciCell {
                    activity_id: id,
                    role_id: role,
                    duty,
                });
            }
        }
    }
    store.replace_raci(actor, &activity_ids, &cells).await?;
    Ok(())
}

/// Role rules (a few of them broken by the load, about a thousand people in all), and a few
/// duty rules on the matrix.
async fn seed_rules(store: &dyn Store, actor: &Actor, role_ids: &[Uuid]) -> StoreResult<()> {
    let n = role_ids.len();
    if n < 4 {
        return Ok(());
    }
    for k in 0..LOAD_RULES.min(n / 2) {
        // One rule in eight pairs roles that people of the load hold together (331 apart).
        let apart = if k.is_multiple_of(8) { 331 } else { n / 2 + 1 };
        let conflict = SodConflict::Roles {
            role_a: role_ids[(k * 37) % n],
            role_b: role_ids[(k * 37 + apart) % n],
        };
        if let SodConflict::Roles { role_a, role_b } = conflict
            && role_a == role_b
        {
            continue;
        }
        let input = SodRuleInput {
            conflict,
            rationale: "The benchmark's register keeps these apart.".into(),
        };
        store.create_sod_rule(actor, input).await?;
    }
    let activities = store.list_activities().await?;
    for pair in activities.chunks(2).take(5) {
        if let [a, b] = pair {
            let input = SodRuleInput {
                conflict: SodConflict::Duties {
                    activity_a: a.id,
                    duty_a: Duty::Accountable,
                    activity_b: b.id,
                    duty_b: Duty::Responsible,
                },
                rationale: "Who decides does not also check the decision.".into(),
            };
            store.create_sod_rule(actor, input).await?;
        }
    }
    Ok(())
}

/// Person i holds roles (i·3 + k·331) mod n for k = 0, 1, 2 ..., until `total` are written; one
/// in ten is unacknowledged, one in fifty ends within the month.
fn load_assignments(
    people: &[Uuid],
    role_ids: &[Uuid],
    total: usize,
    today: Date,
) -> Vec<AssignmentWrite> {
    if people.is_empty() || role_ids.is_empty() {
        return Vec::new();
    }
    let per_person = total.div_ceil(people.len());
    let mut writes = Vec::with_capacity(total);
    'people: for (i, person) in people.iter().enumerate() {
        for k in 0..per_person {
            if writes.len() == total {
                break 'people;
            }
            let n = writes.len();
            let role = role_ids[(i * 3 + k * 331) % role_ids.len()];
            writes.push(AssignmentWrite {
                id: Uuid::now_v7(),
                input: AssignmentInput {
                    role_id: role,
                    person_id: *person,
                    scope: AssignmentScope::Organization,
                    deputy: k == 1 && i.is_multiple_of(4),
                    starts_on: today - Duration::days(30 + (n % 700) as i64),
                    ends_on: n
                        .is_multiple_of(50)
                        .then(|| today + Duration::days((n % 29) as i64)),
                    reason: "Loaded from the benchmark's register.".into(),
                    sod_exception_id: None,
                },
                acknowledged: !n.is_multiple_of(10),
            });
        }
    }
    writes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_load_spreads_roles_over_people_up_to_the_total() {
        let people: Vec<Uuid> = (0..10).map(|_| Uuid::now_v7()).collect();
        let roles: Vec<Uuid> = (0..7).map(|_| Uuid::now_v7()).collect();
        let today = time::macros::date!(2026 - 06 - 01);
        let writes = load_assignments(&people, &roles, 25, today);
        assert_eq!(writes.len(), 25);
        assert!(writes.iter().filter(|w| !w.acknowledged).count() >= 2);
        let first = &writes[0].input;
        assert_eq!(first.person_id, people[0]);
        assert!(
            writes
                .iter()
                .all(|w| w.input.ends_on.is_none_or(|end| end >= today))
        );
    }
}
