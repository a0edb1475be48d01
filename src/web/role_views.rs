//! What the role pages share: a role's flags in words, an assignment's scope, tenure and
//! acknowledgment as badges, assignment rows, and the options of the role forms.

use std::collections::HashMap;

use time::Date;
use uuid::Uuid;

use super::forms::SelectOption;
use super::moment::{Moment, day};
use super::views::{Badge, Link, status_badge};
use crate::domain::Unit;
use crate::domain::access::Role;
use crate::domain::assignment::{Assignment, AssignmentScope, Delegate, Delegation, TenureState};
use crate::domain::role::{OrgRole, RoleCategory};

/// A role's flags as short phrases, in a fixed order.
pub fn role_flags(role: &OrgRole) -> Vec<String> {
    let mut flags = Vec::new();
    if role.required {
        flags.push("Required".to_owned());
    }
    if role.critical {
        flags.push("Critical: needs a deputy".to_owned());
    }
    if role.conformance_owner {
        flags.push("Makes the ISMS conform (5.3 a)".to_owned());
    }
    if role.performance_reporter {
        flags.push("Reports ISMS performance (5.3 b)".to_owned());
    }
    if let Some(role) = role.grants {
        flags.push(format!("Grants the tool role {}", role_word(role)));
    }
    flags
}

/// A tool role in words: `top_management` reads "top management".
pub fn role_word(role: Role) -> String {
    role.as_str().replace('_', " ")
}

/// Unit names by id, for scopes.
pub fn unit_names(units: &[Unit]) -> HashMap<Uuid, String> {
    units.iter().map(|u| (u.id, u.name.clone())).collect()
}

/// Where an assignment applies, in words.
pub fn scope_words(scope: &AssignmentScope, units: &HashMap<Uuid, String>) -> String {
    match scope {
        AssignmentScope::Organization => "The whole organization".to_owned(),
        AssignmentScope::Unit { unit_id } => match units.get(unit_id) {
            Some(name) => format!("Unit {name} (with its sub-units)"),
            None => "A unit that no longer exists".to_owned(),
        },
        AssignmentScope::Asset { name } => format!("Asset: {name}"),
        AssignmentScope::Process { name } => format!("Process: {name}"),
    }
}

/// Current is green; upcoming and ended are grey (neither is a fault).
pub fn tenure_badge(state: TenureState) -> Badge {
    match state {
        TenureState::Current => Badge::new("green", "Current"),
        TenureState::Upcoming => Badge::new("grey", "Starts later"),
        TenureState::Ended => Badge::new("grey", "Ended"),
    }
}

/// Acknowledged is done (green); a role not yet acknowledged is due (amber).
pub fn ack_badge(assignment: &Assignment) -> Badge {
    if assignment.acknowledged_at.is_some() {
        Badge::new("green", "Acknowledged")
    } else {
        Badge::new("amber", "Not yet acknowledged")
    }
}

/// A delegation in force is green; one not started yet is grey, like one that ended or was
/// revoked.
pub fn delegation_badge(delegation: &Delegation) -> Badge {
    if delegation.revoked_at.is_some() {
        return Badge::new("grey", "Revoked");
    }
    match delegation.state {
        TenureState::Current => Badge::new("green", "In force"),
        TenureState::Upcoming => Badge::new("grey", "Starts later"),
        TenureState::Ended => Badge::new("grey", "Ended"),
    }
}

/// Whether a delegation is in force today (started, not ended, not revoked).
pub fn in_force(delegation: &Delegation) -> bool {
    delegation.revoked_at.is_none() && delegation.state == TenureState::Current
}

/// The delegate as a link to their page, or the provider's name.
pub fn delegate_link(delegation: &Delegation) -> Link {
    match delegation.delegate {
        Delegate::Person { person_id } => Link::new(
            format!("/people/{person_id}"),
            delegation.delegate_name.clone(),
        ),
        Delegate::External { .. } => Link::new(
            String::new(),
            format!("{} (external provider)", delegation.delegate_name),
        ),
    }
}

/// One assignment as a table row.
pub struct AssignmentRow {
    pub link: Link,
    pub role: Link,
    pub holder: Link,
    /// The holder's status when they are not active (on leave, departed).
    pub holder_status: Option<Badge>,
    pub scope: String,
    pub deputy: bool,
    pub since: Moment,
    pub until: Option<Moment>,
    pub tenure: Badge,
    pub ack: Badge,
}

pub fn assignment_row(
    assignment: &Assignment,
    units: &HashMap<Uuid, String>,
    today: Date,
) -> AssignmentRow {
    let holder_status = assignment
        .person_status
        .parse()
        .ok()
        .filter(|s| *s != crate::domain::PersonStatus::Active)
        .map(status_badge);
    AssignmentRow {
        link: Link::new(
            format!("/roles/assignments/{}", assignment.id),
            format!(
                "{} held by {}",
                assignment.role_name, assignment.person_name
            ),
        ),
        role: Link::new(
            format!("/roles/{}", assignment.role_id),
            assignment.role_name.clone(),
        ),
        holder: Link::new(
            format!("/people/{}", assignment.person_id),
            assignment.person_name.clone(),
        ),
        holder_status,
        scope: scope_words(&assignment.scope, units),
        deputy: assignment.deputy,
        since: day(assignment.starts_on, today),
        until: assignment.ends_on.map(|d| day(d, today)),
        tenure: tenure_badge(assignment.state),
        ack: ack_badge(assignment),
    }
}

pub fn assignment_rows(
    assignments: &[Assignment],
    units: &HashMap<Uuid, String>,
    today: Date,
) -> Vec<AssignmentRow> {
    assignments
        .iter()
        .map(|a| assignment_row(a, units, today))
        .collect()
}

/// The categories of the catalog, in their order.
pub fn category_options(selected: &str, blank: Option<&str>) -> Vec<SelectOption> {
    let blank = blank.map(|label| SelectOption::new("", label, selected.is_empty()));
    blank
        .into_iter()
        .chain(
            RoleCategory::ALL
                .iter()
                .map(|c| SelectOption::new(c.as_str(), c.label(), c.as_str() == selected)),
        )
        .collect()
}

/// The tool roles a catalog role may grant: every one but admin.
pub fn grant_options(selected: &str) -> Vec<SelectOption> {
    let none = SelectOption::new("", "None", selected.is_empty());
    std::iter::once(none)
        .chain(
            Role::ALL
                .iter()
                .filter(|r| **r != Role::Admin)
                .map(|r| SelectOption::new(r.as_str(), role_word(*r), r.as_str() == selected)),
        )
        .collect()
}

/// The catalog's roles as options, by name within the catalog order.
pub fn role_options(roles: &[OrgRole], selected: &str, blank: &str) -> Vec<SelectOption> {
    std::iter::once(SelectOption::new("", blank, selected.trim().is_empty()))
        .chain(roles.iter().map(|r| {
            let id = r.id.to_string();
            let chosen = id == selected.trim();
            SelectOption::new(id, r.name.clone(), chosen)
        }))
        .collect()
}

/// Messages the form shows no field for, as sentences for the summary.
pub fn leftover_messages(
    errors: &crate::domain::FieldErrors,
    shown: &[&str],
    label: impl Fn(&str) -> String,
) -> Vec<String> {
    errors
        .iter()
        .filter(|(key, _)| !shown.contains(key))
        .map(|(key, messages)| {
            super::policy_views::sentence(&format!("{}: {}", label(key), messages.join("; ")))
        })
        .collect()
}
