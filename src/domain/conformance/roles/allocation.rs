//! How roles are allocated: 5.3.0 (roles stated, held and acknowledged), 5.3.a (the conformance
//! owner), 5.3.raci (every activity owned), 5.3.stale (no departed holder) and A.5.2 (the owner
//! roles defined).

use std::collections::HashMap;

use uuid::Uuid;

use super::{
    Cite, RoleFact, RoleFacts, assignment_cites, cite_all, count, finding, holders, name_list,
    verdict, worse,
};
use crate::domain::conformance::{EvidenceKind, RequirementResult, Verdict};
use crate::domain::role::RoleCategory;

fn quoted(roles: &[&RoleFact]) -> Vec<String> {
    roles.iter().map(|r| format!("'{}'", r.name)).collect()
}

fn role_cites<'a>(roles: &'a [&RoleFact], why: &'a str) -> impl Iterator<Item = Cite> + 'a {
    roles
        .iter()
        .map(move |r| Cite::new(EvidenceKind::Role, r.id, format!("{} ({why})", r.name)))
}

/// 5.3.0: every required role held by an active person, every role with stated
/// responsibilities and authorities, every current assignment acknowledged by its holder. A
/// vacant required role is a nonconformity; the rest make it partial.
pub fn roles_assigned(f: &RoleFacts) -> RequirementResult {
    let vacant: Vec<&RoleFact> = f.roles.iter().filter(|r| r.required && !r.held).collect();
    let unstated: Vec<&RoleFact> = f
        .roles
        .iter()
        .filter(|r| r.responsibilities.is_empty() || r.authorities.is_empty())
        .collect();
    let unacknowledged = f.unacknowledged.total;
    let mut gaps = Vec::new();
    if f.roles.is_empty() {
        gaps.push("The role catalog is empty: no role is defined.".to_owned());
    }
    match vacant.as_slice() {
        [] => {}
        [one] => gaps.push(format!("Role '{}' (required) is vacant.", one.name)),
        many => gaps.push(format!(
            "Roles {} (required) are vacant.",
            name_list(&quoted(many), many.len())
        )),
    }
    if !unstated.is_empty() {
        gaps.push(format!(
            "{} state no responsibilities or no authorities.",
            name_list(&quoted(&unstated), unstated.len())
        ));
    }
    if unacknowledged > 0 {
        gaps.push(format!(
            "{unacknowledged} role assignment(s) not acknowledged by the holder: {}.",
            holders(&f.unacknowledged)
        ));
    }
    let verdict = if f.roles.is_empty() || !vacant.is_empty() {
        Verdict::Nonconforming
    } else if gaps.is_empty() {
        Verdict::Conforming
    } else {
        Verdict::Partial
    };
    let required = f.roles.iter().filter(|r| r.required).count();
    let result = RequirementResult::new(
        "5.3.0",
        verdict,
        finding(
            &gaps,
            format!(
                "All {required} required roles are held by active people, every role states its \
                 responsibilities and authorities, and every assignment is acknowledged."
            ),
        ),
    )
    .figure("roles", count(f.roles.len()))
    .figure("required roles", count(required))
    .figure("required roles vacant", count(vacant.len()))
    .figure("roles without stated duties", count(unstated.len()))
    .figure("assignments not acknowledged", unacknowledged);
    let cites = role_cites(&vacant, "required, vacant")
        .chain(role_cites(&unstated, "duties not stated"))
        .chain(assignment_cites(&f.unacknowledged))
        .collect::<Vec<_>>();
    let held: Vec<&RoleFact> = f.roles.iter().filter(|r| r.required && r.held).collect();
    cite_all(cite_all(result, cites), role_cites(&held, "required, held"))
}

/// 5.3.a: the role flagged `conformance_owner` is held by an active person.
pub fn conformance_owner(f: &RoleFacts) -> RequirementResult {
    let Some(owner) = f.roles.iter().find(|r| r.conformance_owner) else {
        return RequirementResult::new(
            "5.3.a",
            Verdict::Nonconforming,
            "No role is flagged as responsible for making the ISMS conform (conformance owner).",
        );
    };
    let (verdict, finding) = if owner.held {
        (
            Verdict::Conforming,
            format!(
                "Role '{}' is responsible for making the ISMS conform and is held by an active \
                 person.",
                owner.name
            ),
        )
    } else {
        (
            Verdict::Nonconforming,
            format!(
                "Role '{}' (responsible for making the ISMS conform) is vacant.",
                owner.name
            ),
        )
    };
    RequirementResult::new("5.3.a", verdict, finding)
        .figure("conformance owner role", &owner.name)
        .figure(
            "held by an active person",
            if owner.held { "yes" } else { "no" },
        )
        .cites(EvidenceKind::Role, owner.id, &owner.name)
}

/// What is wrong with one activity's ownership, if anything, with its weight: no single
/// Accountable role (2) weighs more than no Responsible role (1), which weighs more than a
/// vacant Accountable role (0).
fn activity_gap(
    accountable: &[Uuid],
    responsible: &[Uuid],
    roles: &HashMap<Uuid, &RoleFact>,
) -> Option<(u8, String)> {
    let mut gaps = Vec::new();
    let mut weight = 0;
    match accountable {
        [] => {
            gaps.push("no Accountable role".to_owned());
            weight = 2;
        }
        [one] => {
            let role = roles.get(one);
            if !role.is_some_and(|r| r.held) {
                let name = role.map_or("(unknown)", |r| r.name.as_str());
                gaps.push(format!("its Accountable role '{name}' vacant"));
            }
        }
        many => {
            gaps.push(format!("{} Accountable roles", many.len()));
            weight = 2;
        }
    }
    if responsible.is_empty() {
        gaps.push("no Responsible role".to_owned());
        weight = weight.max(1);
    }
    (!gaps.is_empty()).then(|| (weight, gaps.join(" and ")))
}

/// 5.3.raci: every activity has exactly one Accountable role, held by an active person, and at
/// least one Responsible role. The activities with the heaviest gaps are named first.
pub fn raci_owned(f: &RoleFacts) -> RequirementResult {
    let roles: HashMap<Uuid, &RoleFact> = f.roles.iter().map(|r| (r.id, r)).collect();
    let mut weighed: Vec<(u8, &super::ActivityFact, String)> = f
        .activities
        .iter()
        .filter_map(|a| {
            activity_gap(&a.accountable, &a.responsible, &roles).map(|(w, g)| (w, a, g))
        })
        .collect();
    weighed.sort_by_key(|(weight, _, _)| std::cmp::Reverse(*weight));
    let gaps: Vec<(&super::ActivityFact, String)> =
        weighed.into_iter().map(|(_, a, g)| (a, g)).collect();
    let total = f.activities.len();
    let owned = total - gaps.len();
    let finding = if total == 0 {
        "No ISMS activity is recorded, so no activity has an owner.".to_owned()
    } else if gaps.is_empty() {
        format!(
            "All {total} activities have one Accountable role held by an active person and a \
             Responsible role."
        )
    } else {
        let named: Vec<String> = gaps
            .iter()
            .map(|(a, g)| format!("'{}' has {g}", a.name))
            .collect();
        format!(
            "{} of {total} activities lack an owner: {}.",
            gaps.len(),
            name_list(&named, gaps.len())
        )
    };
    let verdict = if total == 0 {
        Verdict::Nonconforming
    } else {
        verdict(owned, total)
    };
    let result = RequirementResult::new("5.3.raci", verdict, finding)
        .figure("activities", count(total))
        .figure("owned", count(owned))
        .figure("without an owner", count(gaps.len()));
    let failing = gaps
        .iter()
        .map(|(a, g)| Cite::new(EvidenceKind::RaciActivity, a.id, format!("{}: {g}", a.name)));
    let fine = f
        .activities
        .iter()
        .filter(|a| !gaps.iter().any(|(g, _)| g.id == a.id))
        .map(|a| Cite::new(EvidenceKind::RaciActivity, a.id, a.name.clone()));
    cite_all(result, failing.chain(fine))
}

/// 5.3.stale: no current assignment belongs to a departed person.
pub fn stale_holders(f: &RoleFacts) -> RequirementResult {
    let list = &f.departed_holders;
    let mut people: Vec<Uuid> = list.items.iter().map(|g| g.person_id).collect();
    people.sort_unstable();
    people.dedup();
    let (verdict, finding) = if list.total == 0 {
        (
            Verdict::Conforming,
            "No departed person still holds a role.".to_owned(),
        )
    } else {
        let mut by_person: Vec<(Uuid, String, Vec<&str>)> = Vec::new();
        for gap in &list.items {
            match by_person.iter_mut().find(|(id, _, _)| *id == gap.person_id) {
                Some((_, _, roles)) => roles.push(&gap.role_name),
                None => by_person.push((
                    gap.person_id,
                    gap.person_name.clone(),
                    vec![gap.role_name.as_str()],
                )),
            }
        }
        let named: Vec<String> = by_person
            .iter()
            .map(|(_, name, roles)| format!("{name} ({})", roles.join(", ")))
            .collect();
        let shown = usize::try_from(list.total).unwrap_or(usize::MAX) == list.items.len();
        let who = if !shown {
            format!(
                "{} assignments of departed people are still current",
                list.total
            )
        } else if people.len() == 1 {
            "1 departed person still holds roles".to_owned()
        } else {
            format!("{} departed people still hold roles", people.len())
        };
        (
            Verdict::Nonconforming,
            format!("{who}: {}.", name_list(&named, named.len())),
        )
    };
    let result = RequirementResult::new("5.3.stale", verdict, finding)
        .figure("assignments held by departed people", list.total)
        .figure("departed people named", count(people.len()));
    cite_all(result, assignment_cites(list))
}

/// The owner roles A.5.2 asks for: category, and the words of a role name that also count.
const OWNER_ROLES: [(RoleCategory, &str); 3] = [
    (RoleCategory::InformationOwner, "information owner"),
    (RoleCategory::AssetOwner, "asset owner"),
    (RoleCategory::RiskOwner, "risk owner"),
];

/// A.5.2: as 5.3.0, plus information owner, asset owner and risk owner roles defined (by
/// category, or by a role name that says so). A missing owner role makes it partial at best;
/// none of them, nonconforming.
pub fn owner_roles_defined(f: &RoleFacts) -> RequirementResult {
    let base = roles_assigned(f);
    let found: Vec<(&str, Option<&RoleFact>)> = OWNER_ROLES
        .iter()
        .map(|(category, words)| {
            let role = f
                .roles
                .iter()
                .find(|r| r.category == *category)
                .or_else(|| {
                    f.roles
                        .iter()
                        .find(|r| r.name.to_lowercase().contains(words))
                });
            (*words, role)
        })
        .collect();
    let missing: Vec<String> = found
        .iter()
        .filter(|(_, role)| role.is_none())
        .map(|(words, _)| (*words).to_owned())
        .collect();
    let defined: Vec<&RoleFact> = found.iter().filter_map(|(_, role)| *role).collect();
    let owners_verdict = match missing.len() {
        0 => Verdict::Conforming,
        n if n == OWNER_ROLES.len() => Verdict::Nonconforming,
        _ => Verdict::Partial,
    };
    let mut gaps = Vec::new();
    if !missing.is_empty() {
        gaps.push(format!(
            "No {} role is defined.",
            name_list(&missing, missing.len()).replace(" and ", " or ")
        ));
    }
    if base.verdict != Verdict::Conforming {
        gaps.push(base.finding.clone());
    }
    let finding = finding(
        &gaps,
        format!(
            "Information, asset and risk owner roles are defined ({}), and {}",
            name_list(&quoted(&defined), defined.len()),
            lowercase_first(&base.finding)
        ),
    );
    let mut result = RequirementResult::new("A.5.2", worse(base.verdict, owners_verdict), finding)
        .figure("owner roles defined", format!("{} of 3", defined.len()));
    result.figures.extend(base.figures);
    let owners = role_cites(&defined, "owner role");
    let base_cites = base
        .evidence
        .into_iter()
        .map(|e| Cite::new(e.kind, e.id, e.label));
    cite_all(result, owners.chain(base_cites))
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
