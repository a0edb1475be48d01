//! What the JSON API and the pages share about roles: the deliberate decision on a segregation-of-
//! duties exception (the password again, like a sign-off) and the RACI matrix as CSV.

use time::Date;
use uuid::Uuid;

use crate::api::acknowledgments::spreadsheet_safe;
use crate::auth::Principal;
use crate::domain::access::Role;
use crate::domain::raci::RaciMatrix;
use crate::domain::role::{OrgRole, OrgRoleInput};
use crate::domain::sod::{SodException, SodExceptionDecisionInput};
use crate::error::AppError;
use crate::policy_actions::confirm;
use crate::store::{Store, StoreError, StoreResult};

/// Approves or rejects an exception after the decider confirms their password; the store checks
/// that they hold top management today and did not ask for it.
pub async fn decide_sod_exception(
    store: &dyn Store,
    principal: &Principal,
    id: Uuid,
    decision: SodExceptionDecisionInput,
    password: &str,
    today: Date,
) -> Result<SodException, AppError> {
    confirm(store, principal, password).await?;
    Ok(store
        .decide_sod_exception(&principal.account, id, decision, today)
        .await?)
}

/// The matrix as CSV: a header of role names, then one row per activity with R, A, C or I.
pub fn raci_csv(matrix: &RaciMatrix) -> String {
    let duties = matrix.lookup();
    let mut out = String::new();
    let mut header = vec!["activity".to_owned()];
    header.extend(matrix.roles.iter().map(|r| r.name.clone()));
    push_row(&mut out, header);
    for activity in &matrix.activities {
        let mut row = vec![activity.name.clone()];
        row.extend(matrix.roles.iter().map(|role| {
            duties
                .get(&(activity.id, role.id))
                .map(|d| d.letter().to_owned())
                .unwrap_or_default()
        }));
        push_row(&mut out, row);
    }
    out
}

fn push_row(out: &mut String, cells: Vec<String>) {
    let line: Vec<String> = cells
        .into_iter()
        .map(spreadsheet_safe)
        .map(|cell| {
            if cell.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell
            }
        })
        .collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

/// Creates a catalog role (`id` none) or rewrites one, after the rule on what it grants: while a
/// role is held, changing the tool role it grants hands out (or takes back) permissions, so only
/// an admin does that, and never for a role they hold themselves (as only an admin assigns such a
/// role, and never to themselves). A role nobody holds may be given a grant by whoever manages
/// roles: the grant takes effect only through an assignment, which an admin makes.
pub async fn save_role(
    store: &dyn Store,
    caller: &Principal,
    id: Option<Uuid>,
    input: OrgRoleInput,
    today: Date,
) -> StoreResult<OrgRole> {
    if let Some(id) = id {
        let before = store.get_role(id).await?.grants;
        if input.grants != before {
            check_grant_change(store, caller, id, input.grants.or(before), today).await?;
        }
    }
    match id {
        Some(id) => store.update_role(&caller.actor(), id, input).await,
        None => store.create_role(&caller.actor(), input).await,
    }
}

async fn check_grant_change(
    store: &dyn Store,
    caller: &Principal,
    id: Uuid,
    granted: Option<Role>,
    today: Date,
) -> StoreResult<()> {
    let holders = store.role_holders(id, today, today).await?.holders;
    if holders.is_empty() {
        return Ok(());
    }
    let tool_role = granted.map_or_else(String::new, |r| r.as_str().replace('_', " "));
    if !caller.account.has_role(Role::Admin) {
        return Err(StoreError::Forbidden(format!(
            "the role is held, so only an admin changes the tool role it grants (here: {tool_role})"
        )));
    }
    if holders
        .iter()
        .any(|a| a.person_id == caller.account.person_id)
    {
        return Err(StoreError::Forbidden(
            "you hold this role; another admin must change what it grants".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::raci::{Activity, Duty, RaciCell, RaciRole};
    use time::OffsetDateTime;

    #[test]
    fn the_csv_has_a_row_per_activity_and_a_letter_per_duty() {
        let activity = Activity {
            id: Uuid::now_v7(),
            name: "Managing incidents, \"major\" ones".into(),
            description: String::new(),
            position: 1,
            created_at: OffsetDateTime::UNIX_EPOCH,
        };
        let (ciso, staff) = (Uuid::now_v7(), Uuid::now_v7());
        let matrix = RaciMatrix {
            cells: vec![RaciCell {
                activity_id: activity.id,
                role_id: ciso,
                duty: Duty::Accountable,
            }],
            activities: vec![activity],
            roles: vec![
                RaciRole {
                    id: ciso,
                    name: "CISO".into(),
                },
                RaciRole {
                    id: staff,
                    name: "=Staff".into(),
                },
            ],
        };
        let csv = raci_csv(&matrix);
        assert_eq!(
            csv,
            "activity,CISO,'=Staff\r\n\"Managing incidents, \"\"major\"\" ones\",A,\r\n"
        );
    }
}
