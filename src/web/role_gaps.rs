//! The gaps in role allocation (5.3, A.5.2): each kind in a section with its count, why it matters
//! and what to do, every item linked to the role, activity or assignment to fix; an all-clear
//! when there is none.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use time::Date;

use super::error::PageResult;
use super::layout::{Area, Layout};
use super::moment::{Moment, day};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::access::Permission;
use crate::domain::role_gaps::{ActivityGap, AssignmentGap, GapList, RoleGap, RoleGaps};

/// One gap, linked to where it is fixed.
pub struct GapItem {
    pub href: String,
    pub label: String,
    pub detail: String,
    /// The date that matters, with its words ("ends", "evidence expired").
    pub when: Option<(&'static str, Moment)>,
}

/// One kind of gap.
pub struct GapSection {
    pub id: &'static str,
    pub title: &'static str,
    /// Why it matters and what to do.
    pub advice: &'static str,
    pub total: i64,
    pub items: Vec<GapItem>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/gaps.html", whitespace = "minimize")]
pub struct GapsPage {
    layout: Layout,
    total: i64,
    on: Moment,
    /// The kinds with gaps, then those checked and clear.
    open: Vec<GapSection>,
    clear: Vec<GapSection>,
}

pub async fn show_gaps(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> PageResult<GapsPage> {
    let today = today();
    let gaps = state.store.role_gaps(today).await?;
    let grid = if caller.may(Permission::ManageRoles) {
        "/roles/raci/edit"
    } else {
        "/roles/raci"
    };
    let (open, clear): (Vec<GapSection>, Vec<GapSection>) = sections(&gaps, grid, today)
        .into_iter()
        .partition(|s| s.total > 0);
    Ok(GapsPage {
        layout: Layout::load(&state, Area::Roles, "Gaps in roles").await,
        total: gaps.total(),
        on: day(gaps.on, today),
        open,
        clear,
    })
}

/// Every kind of gap in the order they matter, each with its advice.
pub fn sections(gaps: &RoleGaps, grid: &str, today: Date) -> Vec<GapSection> {
    vec![
        GapSection {
            id: "vacant-required",
            title: "Required roles nobody holds",
            advice: "A required role without a holder means its responsibilities fall to no one and its authorities cannot be used. Assign someone to it.",
            total: gaps.vacant_required.len() as i64,
            items: gaps.vacant_required.iter().map(role_item).collect(),
        },
        GapSection {
            id: "named-duties",
            title: "Duties of clause 5.3 without a holder",
            advice: "Someone must be responsible for making the ISMS conform, and someone for reporting its performance to top management. Mark one catalog role with each duty and assign it.",
            total: gaps.named_duties_unassigned.len() as i64,
            items: gaps
                .named_duties_unassigned
                .iter()
                .map(|duty| GapItem {
                    href: "/roles".into(),
                    label: named_duty(duty).to_owned(),
                    detail: String::new(),
                    when: None,
                })
                .collect(),
        },
        GapSection {
            id: "departed-holders",
            title: "Departed people still holding roles",
            advice: "These people have left but their assignments are still open. Hand each role over to someone else, then end the assignment.",
            total: gaps.departed_holders.total,
            items: assignment_items(
                &gaps.departed_holders,
                "still holds",
                Dates::shown("ends", ""),
                today,
            ),
        },
        GapSection {
            id: "no-accountable",
            title: "Activities with no Accountable role",
            advice: "Every activity needs exactly one role that answers for it. Choose the Accountable role in the RACI grid.",
            total: gaps.activities_without_accountable.len() as i64,
            items: activity_items(&gaps.activities_without_accountable, grid),
        },
        GapSection {
            id: "accountable-vacant",
            title: "Activities whose Accountable role nobody holds",
            advice: "The role that answers for these activities has no active holder, so in practice nobody does. Assign someone to the role, or make another role Accountable.",
            total: gaps.accountable_not_held.len() as i64,
            items: gaps
                .accountable_not_held
                .iter()
                .map(|gap| {
                    let mut item = activity_item(gap, grid);
                    if let (Some(id), Some(name)) = (gap.role_id, &gap.role_name) {
                        item.href = format!("/roles/{id}");
                        item.detail = format!("Accountable: {name}");
                    }
                    item
                })
                .collect(),
        },
        GapSection {
            id: "critical-without-deputy",
            title: "Critical roles without a deputy",
            advice: "If the holder of a critical role is away, nobody can act for them. Name a deputy: assign the role to a second person as deputy.",
            total: gaps.critical_without_deputy.len() as i64,
            items: gaps.critical_without_deputy.iter().map(role_item).collect(),
        },
        GapSection {
            id: "lapsed-competence",
            title: "Holders without valid competence evidence",
            advice: "These roles state the competence they need, and the holder's evidence is missing or has expired. Record current training, certification or experience, or plan it.",
            total: gaps.lapsed_competence.total,
            items: assignment_items(
                &gaps.lapsed_competence,
                "as",
                Dates::shown("evidence expired", "no evidence recorded"),
                today,
            ),
        },
        GapSection {
            id: "no-responsible",
            title: "Activities with no Responsible role",
            advice: "Nobody is named to do the work of these activities. Mark at least one role Responsible in the RACI grid.",
            total: gaps.activities_without_responsible.len() as i64,
            items: activity_items(&gaps.activities_without_responsible, grid),
        },
        GapSection {
            id: "ending-soon",
            title: "Assignments ending within 30 days",
            advice: "These roles will be vacant unless someone takes them over. Assign the successor now, so the handover happens before the end date.",
            total: gaps.ending_soon.total,
            items: assignment_items(&gaps.ending_soon, "holds", Dates::shown("ends", ""), today),
        },
        GapSection {
            id: "unacknowledged",
            title: "Roles not acknowledged by their holder",
            advice: "A holder who has not acknowledged the role has not confirmed they know its responsibilities and authorities. Remind them: they acknowledge it from their tasks.",
            total: gaps.unacknowledged.total,
            items: assignment_items(
                &gaps.unacknowledged,
                "has not acknowledged",
                Dates::Hidden,
                today,
            ),
        },
    ]
}

fn role_item(gap: &RoleGap) -> GapItem {
    GapItem {
        href: format!("/roles/{}", gap.role_id),
        label: gap.role_name.clone(),
        detail: String::new(),
        when: None,
    }
}

fn activity_items(gaps: &[ActivityGap], grid: &str) -> Vec<GapItem> {
    gaps.iter().map(|gap| activity_item(gap, grid)).collect()
}

fn activity_item(gap: &ActivityGap, grid: &str) -> GapItem {
    GapItem {
        href: format!("{grid}#activity-{}", gap.activity_id),
        label: gap.activity_name.clone(),
        detail: String::new(),
        when: None,
    }
}

/// How an assignment gap's date reads.
#[derive(Clone, Copy)]
enum Dates {
    Hidden,
    /// The words before the date, and the words when there is none.
    Shown(&'static str, &'static str),
}

impl Dates {
    fn shown(before: &'static str, without: &'static str) -> Self {
        Dates::Shown(before, without)
    }
}

/// "Ada Ng still holds Risk owner", linked to the assignment.
fn assignment_items(
    list: &GapList<AssignmentGap>,
    verb: &str,
    dates: Dates,
    today: Date,
) -> Vec<GapItem> {
    list.items
        .iter()
        .map(|gap| {
            let (when, detail) = match (dates, gap.on) {
                (Dates::Shown(before, _), Some(on)) => (Some((before, day(on, today))), ""),
                (Dates::Shown(_, without), None) => (None, without),
                (Dates::Hidden, _) => (None, ""),
            };
            GapItem {
                href: format!("/roles/assignments/{}", gap.assignment_id),
                label: format!("{} {verb} {}", gap.person_name, gap.role_name),
                detail: detail.to_owned(),
                when,
            }
        })
        .collect()
}

/// The words for a duty of clause 5.3 as the gap report names it.
fn named_duty(duty: &str) -> &str {
    match duty {
        "conformance_owner" => "Making the ISMS conform to ISO/IEC 27001 (5.3 a)",
        "performance_reporter" => "Reporting the performance of the ISMS to top management (5.3 b)",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn every_kind_of_gap_has_a_section_and_the_counts_add_up() {
        let today = time::macros::date!(2026 - 05 - 01);
        let assignment = AssignmentGap {
            assignment_id: Uuid::now_v7(),
            role_id: Uuid::now_v7(),
            role_name: "Risk owner".into(),
            person_id: Uuid::now_v7(),
            person_name: "Ada Ng".into(),
            on: Some(today),
        };
        let none = || GapList {
            total: 0,
            items: Vec::new(),
        };
        let gaps = RoleGaps {
            on: today,
            vacant_required: vec![RoleGap {
                role_id: Uuid::now_v7(),
                role_name: "CISO".into(),
            }],
            critical_without_deputy: Vec::new(),
            named_duties_unassigned: vec!["performance_reporter".into()],
            activities_without_accountable: Vec::new(),
            accountable_not_held: Vec::new(),
            activities_without_responsible: Vec::new(),
            departed_holders: GapList {
                total: 140,
                items: vec![assignment],
            },
            ending_soon: none(),
            unacknowledged: none(),
            lapsed_competence: none(),
        };
        let all = sections(&gaps, "/roles/raci", today);
        assert_eq!(all.len(), 10);
        assert_eq!(all.iter().map(|s| s.total).sum::<i64>(), gaps.total());
        let departed = all
            .iter()
            .find(|s| s.id == "departed-holders")
            .expect("section");
        assert_eq!(departed.items[0].label, "Ada Ng still holds Risk owner");
        assert!(departed.items[0].href.starts_with("/roles/assignments/"));
        let when = departed.items[0]
            .when
            .as_ref()
            .map(|(words, m)| (*words, m.relative.as_str()));
        assert_eq!(when, Some(("ends", "today")));
        let duties = all
            .iter()
            .find(|s| s.id == "named-duties")
            .expect("section");
        assert!(duties.items[0].label.contains("5.3 b"));
    }
}
