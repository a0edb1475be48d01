//! 5.1.h: the heads of org units lead in their own areas as line managers with security
//! responsibilities, assigned and acknowledged.

use std::collections::HashMap;

use uuid::Uuid;

use super::{Cite, RoleFact, RoleFacts, UnitHeadFact, cite_all, count, name_list};
use crate::domain::conformance::{EvidenceKind, RequirementResult, Verdict};

/// What keeps one head from leading as a line manager, if anything.
fn head_gap(head: &UnitHeadFact, roles: &HashMap<Uuid, &RoleFact>) -> Option<String> {
    let with_duties: Vec<_> = head
        .line_manager
        .iter()
        .filter(|a| {
            roles
                .get(&a.role_id)
                .is_some_and(|r| !r.responsibilities.is_empty())
        })
        .collect();
    let gap = if head.head_departed {
        "has left the organization".to_owned()
    } else if with_duties.is_empty() {
        "holds no line-manager role with security responsibilities for it".to_owned()
    } else if !with_duties.iter().any(|a| a.acknowledged) {
        format!(
            "has not acknowledged the role '{}'",
            with_duties[0].role_name
        )
    } else {
        return None;
    };
    Some(format!(
        "the head of '{}' ({}) {gap}",
        head.unit_name, head.head_name
    ))
}

/// 5.1.h: every unit with a head has that head holding a line-manager role with security
/// responsibilities, current and acknowledged. Units without any head recorded show nothing to
/// judge, so that is partial; an organization without units has no other managers to support.
pub fn managers_lead(f: &RoleFacts) -> RequirementResult {
    let roles: HashMap<Uuid, &RoleFact> = f.roles.iter().map(|r| (r.id, r)).collect();
    let gaps: Vec<(&UnitHeadFact, String)> = f
        .unit_heads
        .iter()
        .filter_map(|h| head_gap(h, &roles).map(|g| (h, g)))
        .collect();
    let heads = f.unit_heads.len();
    let leading = heads - gaps.len();
    let (verdict, finding) = if heads == 0 {
        if f.units == 0 {
            (
                Verdict::Conforming,
                "No org unit is recorded, so there are no other managers to support.".to_owned(),
            )
        } else {
            (
                Verdict::Partial,
                format!(
                    "None of the {} units has a head recorded, so no manager is shown leading \
                     their area.",
                    f.units
                ),
            )
        }
    } else if gaps.is_empty() {
        (
            Verdict::Conforming,
            format!(
                "The heads of all {heads} units with a head hold an acknowledged line-manager \
                 role with security responsibilities."
            ),
        )
    } else {
        let named: Vec<String> = gaps.iter().map(|(_, g)| g.clone()).collect();
        (
            if leading == 0 {
                Verdict::Nonconforming
            } else {
                Verdict::Partial
            },
            format!(
                "{} of {heads} unit heads do not lead as line managers: {}.",
                gaps.len(),
                name_list(&named, named.len())
            ),
        )
    };
    let result = RequirementResult::new("5.1.h", verdict, finding)
        .figure("units", f.units)
        .figure("units with a head", count(heads))
        .figure("heads leading as line managers", count(leading));
    let failing = gaps.iter().flat_map(|(h, g)| {
        std::iter::once(Cite::new(EvidenceKind::Unit, h.unit_id, g.clone())).chain(
            h.line_manager.iter().map(move |a| {
                Cite::new(
                    EvidenceKind::Assignment,
                    a.assignment_id,
                    format!("{} as {}", h.head_name, a.role_name),
                )
            }),
        )
    });
    let fine = f
        .unit_heads
        .iter()
        .filter(|h| !gaps.iter().any(|(g, _)| g.unit_id == h.unit_id))
        .flat_map(|h| {
            h.line_manager
                .iter()
                .filter(|a| a.acknowledged)
                .map(move |a| {
                    Cite::new(
                        EvidenceKind::Assignment,
                        a.assignment_id,
                        format!("{} as {} of '{}'", h.head_name, a.role_name, h.unit_name),
                    )
                })
        });
    cite_all(result, failing.chain(fine).collect::<Vec<_>>())
}
