//! The RACI matrix as a readable heatmap: activities as rows, the roles that carry a duty as
//! columns, each cell its letter in the duty's colour, each role with its holders today, and the
//! activities nobody answers for flagged.

use std::collections::{HashMap, HashSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;
use uuid::Uuid;

use super::error::PageResult;
use super::layout::{Area, Layout};
use super::views::Badge;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::access::Permission;
use crate::domain::raci::{Duty, RaciMatrix, RaciRole};
use crate::domain::role::HolderSummary;

/// A duty as a cell shows it: its letter, its word, and the class that colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DutyMark {
    pub letter: &'static str,
    pub label: &'static str,
    pub class: &'static str,
}

impl DutyMark {
    pub fn of(duty: Duty) -> Self {
        let class = match duty {
            Duty::Accountable => "duty-a",
            Duty::Responsible => "duty-r",
            Duty::Consulted => "duty-c",
            Duty::Informed => "duty-i",
        };
        Self {
            letter: duty.letter(),
            label: duty.label(),
            class,
        }
    }

    /// The four duties in the order the legend explains them (strongest first).
    pub fn legend() -> Vec<(DutyMark, &'static str)> {
        vec![
            (
                Self::of(Duty::Accountable),
                "answers for the activity and signs it off; exactly one role",
            ),
            (Self::of(Duty::Responsible), "does the work"),
            (Self::of(Duty::Consulted), "gives advice before it is done"),
            (Self::of(Duty::Informed), "is told once it is done"),
        ]
    }
}

/// A role's column head: its name and who holds it today.
pub struct RoleColumn {
    pub id: Uuid,
    pub name: String,
    /// "Ada Ng, Bo Li and 12 more"; `None` when nobody holds the role.
    pub holders: Option<String>,
}

/// One activity's row.
pub struct RaciRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// Why nobody answers for the activity, if so.
    pub flag: Option<Badge>,
    /// One entry per column, in column order.
    pub cells: Vec<Option<DutyMark>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RaciQuery {
    flash: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/raci.html", whitespace = "minimize")]
pub struct RaciPage {
    layout: Layout,
    flash: Option<&'static str>,
    legend: Vec<(DutyMark, &'static str)>,
    columns: Vec<RoleColumn>,
    rows: Vec<RaciRow>,
    /// How many rows are flagged.
    flagged: usize,
    can_manage: bool,
}

pub async fn show_raci(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<RaciQuery>,
) -> PageResult<RaciPage> {
    let store = state.store.as_ref();
    let matrix = store.raci_matrix().await?;
    let mut carrying: Vec<_> = matrix.cells.iter().map(|c| c.role_id).collect();
    carrying.sort_unstable();
    carrying.dedup();
    let holders = store.role_holder_summaries(today(), &carrying).await?;
    let columns = role_columns(&matrix, &holders);
    let rows = raci_rows(&matrix, &holders);
    Ok(RaciPage {
        layout: Layout::load(&state, Area::Roles, "RACI matrix").await,
        flash: flash_message(&query.flash),
        legend: DutyMark::legend(),
        flagged: rows.iter().filter(|r| r.flag.is_some()).count(),
        columns,
        rows,
        can_manage: caller.may(Permission::ManageRoles),
    })
}

fn flash_message(flash: &str) -> Option<&'static str> {
    match flash {
        "saved" => Some("The matrix was saved."),
        _ => None,
    }
}

fn role_columns(matrix: &RaciMatrix, holders: &HashMap<Uuid, HolderSummary>) -> Vec<RoleColumn> {
    duty_roles(matrix)
        .into_iter()
        .map(|role| RoleColumn {
            id: role.id,
            name: role.name.clone(),
            holders: holders.get(&role.id).and_then(holders_text),
        })
        .collect()
}

/// The roles that carry at least one duty, in catalog order: the heatmap's columns.
fn duty_roles(matrix: &RaciMatrix) -> Vec<&RaciRole> {
    let with_duty: HashSet<Uuid> = matrix.cells.iter().map(|c| c.role_id).collect();
    matrix
        .roles
        .iter()
        .filter(|r| with_duty.contains(&r.id))
        .collect()
}

/// Every activity with its letters, built from one lookup of the cells (no query per cell).
pub fn raci_rows(matrix: &RaciMatrix, holders: &HashMap<Uuid, HolderSummary>) -> Vec<RaciRow> {
    let duties = matrix.lookup();
    let columns = duty_roles(matrix);
    let accountable: HashMap<Uuid, Uuid> = matrix
        .cells
        .iter()
        .filter(|c| c.duty == Duty::Accountable)
        .map(|c| (c.activity_id, c.role_id))
        .collect();
    matrix
        .activities
        .iter()
        .map(|activity| {
            let held = |role: &Uuid| holders.get(role).is_some_and(|h| h.count > 0);
            let flag = match accountable.get(&activity.id) {
                None => Some(Badge::new("red", "No one accountable")),
                Some(role) if !held(role) => Some(Badge::new("amber", "Accountable role vacant")),
                Some(_) => None,
            };
            RaciRow {
                id: activity.id,
                name: activity.name.clone(),
                description: activity.description.clone(),
                flag,
                cells: columns
                    .iter()
                    .map(|role| {
                        duties
                            .get(&(activity.id, role.id))
                            .copied()
                            .map(DutyMark::of)
                    })
                    .collect(),
            }
        })
        .collect()
}

/// "Ada Ng", "Ada Ng and Bo Li", "Ada Ng, Bo Li and 12 more"; `None` when nobody holds it.
pub fn holders_text(summary: &HolderSummary) -> Option<String> {
    if summary.count <= 0 || summary.names.is_empty() {
        return None;
    }
    let names = &summary.names;
    let more = summary.count - names.len() as i64;
    if more > 0 {
        return Some(format!("{} and {more} more", names.join(", ")));
    }
    Some(match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::raci::{Activity, RaciCell};
    use time::OffsetDateTime;

    fn summary(count: i64, names: &[&str]) -> HolderSummary {
        HolderSummary {
            count,
            names: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    #[test]
    fn holders_read_as_a_short_sentence() {
        assert_eq!(
            holders_text(&summary(1, &["Ada Ng"])).as_deref(),
            Some("Ada Ng")
        );
        assert_eq!(
            holders_text(&summary(2, &["Ada Ng", "Bo Li"])).as_deref(),
            Some("Ada Ng and Bo Li")
        );
        assert_eq!(
            holders_text(&summary(14, &["Ada Ng", "Bo Li"])).as_deref(),
            Some("Ada Ng, Bo Li and 12 more")
        );
        assert_eq!(holders_text(&summary(0, &[])), None);
    }

    /// 100 activities by 50 roles, every cell with a duty: built and rendered well within a page's
    /// budget (50 ms in an optimized build; a debug build is allowed five times as long).
    #[test]
    fn a_full_matrix_of_100_activities_and_50_roles_renders_quickly() {
        let roles: Vec<RaciRole> = (0..50)
            .map(|i| RaciRole {
                id: Uuid::now_v7(),
                name: format!("Role {i}"),
            })
            .collect();
        let activities: Vec<Activity> = (0..100)
            .map(|i| Activity {
                id: Uuid::now_v7(),
                name: format!("Activity {i}"),
                description: String::new(),
                position: i,
                created_at: OffsetDateTime::UNIX_EPOCH,
            })
            .collect();
        let duties = [
            Duty::Accountable,
            Duty::Responsible,
            Duty::Consulted,
            Duty::Informed,
        ];
        let cells = activities
            .iter()
            .flat_map(|a| {
                roles.iter().enumerate().map(|(i, r)| RaciCell {
                    activity_id: a.id,
                    role_id: r.id,
                    duty: if i == 0 { duties[0] } else { duties[1 + i % 3] },
                })
            })
            .collect();
        let matrix = RaciMatrix {
            activities,
            roles,
            cells,
        };
        let holders: HashMap<Uuid, HolderSummary> = matrix
            .roles
            .iter()
            .map(|r| (r.id, summary(14, &["Ada Ng", "Bo Li", "Cy Do"])))
            .collect();
        let started = std::time::Instant::now();
        let rows = raci_rows(&matrix, &holders);
        let page = RaciPage {
            layout: Layout::new("Charter", Area::Roles, "RACI matrix"),
            flash: None,
            legend: DutyMark::legend(),
            columns: role_columns(&matrix, &holders),
            flagged: rows.iter().filter(|r| r.flag.is_some()).count(),
            rows,
            can_manage: true,
        };
        let html = page.render().expect("render");
        let took = started.elapsed();
        assert_eq!(html.matches("<abbr title=").count(), 5000);
        let budget = if cfg!(debug_assertions) { 250 } else { 50 };
        assert!(took.as_millis() < budget, "took {took:?}");
    }

    #[test]
    fn rows_flag_activities_without_an_accountable_holder() {
        let activity = |name: &str| Activity {
            id: Uuid::now_v7(),
            name: name.into(),
            description: String::new(),
            position: 0,
            created_at: OffsetDateTime::UNIX_EPOCH,
        };
        let (held, vacant) = (Uuid::now_v7(), Uuid::now_v7());
        let (a, b, c) = (activity("a"), activity("b"), activity("c"));
        let cell = |activity: &Activity, role_id, duty| RaciCell {
            activity_id: activity.id,
            role_id,
            duty,
        };
        let matrix = RaciMatrix {
            cells: vec![
                cell(&a, held, Duty::Accountable),
                cell(&b, vacant, Duty::Accountable),
                cell(&c, held, Duty::Informed),
            ],
            activities: vec![a, b, c],
            roles: vec![
                RaciRole {
                    id: held,
                    name: "Held".into(),
                },
                RaciRole {
                    id: Uuid::now_v7(),
                    name: "No duty".into(),
                },
                RaciRole {
                    id: vacant,
                    name: "Vacant".into(),
                },
            ],
        };
        let holders = HashMap::from([(held, summary(1, &["Ada Ng"]))]);
        let rows = raci_rows(&matrix, &holders);
        assert!(rows[0].flag.is_none());
        assert_eq!(rows[0].cells[0].map(|m| m.letter), Some("A"));
        assert_eq!(rows[0].cells.len(), 2, "a role without duty is no column");
        assert_eq!(rows[0].cells[1], None);
        let word = |row: &RaciRow| row.flag.as_ref().map(|b| b.word.clone());
        assert_eq!(word(&rows[1]).as_deref(), Some("Accountable role vacant"));
        assert_eq!(word(&rows[2]).as_deref(), Some("No one accountable"));
    }
}
