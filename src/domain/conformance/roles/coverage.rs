//! Acknowledgment of the top-level policy by staff: 5.1.f (people directed and supported),
//! A.5.4 (management requires people to apply security) and A.6.3 (awareness in every unit).

use std::cmp::Ordering;

use super::{
    Cite, PolicyCoverageFacts, RoleFacts, UnitCoverageFact, assignment_cites, cite_all, count,
    finding, holders, meets, name_list, percent, verdict,
};
use crate::domain::conformance::{EvidenceKind, RequirementResult, Thresholds, Verdict};
use crate::domain::role::RoleCategory;

/// The coverage to measure, or the sentence saying why there is none: no published top-level
/// policy, or no campaign on its version.
fn measurable(f: &RoleFacts) -> Result<&PolicyCoverageFacts, String> {
    match &f.coverage {
        None => Err(
            "No top-level policy is published, so its acknowledgment cannot be measured.".into(),
        ),
        Some(c) if c.campaigns.is_empty() => Err(format!(
            "No campaign asks staff to acknowledge '{}' version {}.",
            c.policy_title, c.version
        )),
        Some(c) => Ok(c),
    }
}

/// The policy version and its campaigns, to cite.
fn policy_cites(c: &PolicyCoverageFacts) -> impl Iterator<Item = Cite> + '_ {
    let version = Cite::new(
        EvidenceKind::PolicyVersion,
        c.version_id,
        format!("{} {}", c.policy_title, c.version),
    );
    std::iter::once(version).chain(
        c.campaigns
            .iter()
            .map(|k| Cite::new(EvidenceKind::Campaign, k.id, k.title.clone())),
    )
}

/// "81.2 % of 1000 active staff acknowledged 'Policy' 2.0".
fn overall(c: &PolicyCoverageFacts) -> String {
    format!(
        "{} of {} active staff acknowledged '{}' {}",
        percent(c.acknowledged, c.staff),
        c.staff,
        c.policy_title,
        c.version
    )
}

/// Compares two units by their share acknowledged, lowest first.
fn by_share(a: &UnitCoverageFact, b: &UnitCoverageFact) -> Ordering {
    let left = i128::from(a.acknowledged) * i128::from(b.staff.max(1));
    let right = i128::from(b.acknowledged) * i128::from(a.staff.max(1));
    left.cmp(&right).then_with(|| a.unit_name.cmp(&b.unit_name))
}

/// Units below the threshold, lowest share first.
fn units_below<'a>(c: &'a PolicyCoverageFacts, t: &Thresholds) -> Vec<&'a UnitCoverageFact> {
    let mut below: Vec<&UnitCoverageFact> = c
        .units
        .iter()
        .filter(|u| !meets(u.acknowledged, u.staff, t.coverage_percent))
        .collect();
    below.sort_by(|a, b| by_share(a, b));
    below
}

/// "Unit 'Sales' is at 81.2 % (below 95 %)." for each unit, the first few named.
fn below_sentence(below: &[&UnitCoverageFact], t: &Thresholds) -> String {
    let named: Vec<String> = below
        .iter()
        .map(|u| {
            format!(
                "Unit '{}' is at {}",
                u.unit_name,
                percent(u.acknowledged, u.staff)
            )
        })
        .collect();
    format!(
        "{} (below {} %).",
        name_list(&named, below.len()),
        t.coverage_percent
    )
}

/// The units to cite, lowest share first: those below the threshold, and the others.
fn unit_cites(c: &PolicyCoverageFacts, t: &Thresholds) -> (Vec<Cite>, Vec<Cite>) {
    let mut units: Vec<&UnitCoverageFact> = c.units.iter().collect();
    units.sort_by(|a, b| by_share(a, b));
    let (below, others): (Vec<&UnitCoverageFact>, Vec<&UnitCoverageFact>) = units
        .into_iter()
        .partition(|u| !meets(u.acknowledged, u.staff, t.coverage_percent));
    let cite = |u: &UnitCoverageFact| {
        Cite::new(
            EvidenceKind::Unit,
            u.unit_id,
            format!(
                "{}: {} of {} ({})",
                u.unit_name,
                u.acknowledged,
                u.staff,
                percent(u.acknowledged, u.staff)
            ),
        )
    };
    (
        below.into_iter().map(cite).collect(),
        others.into_iter().map(cite).collect(),
    )
}

/// 5.1.f: acknowledgment of the current top-level policy by at least the threshold of active
/// staff, and every role assignment acknowledged by its holder. Nothing to measure (no policy or
/// no campaign) is a nonconformity.
pub fn people_directed(f: &RoleFacts, t: &Thresholds) -> RequirementResult {
    let assignments_ok = f.unacknowledged.total == 0;
    let mut gaps = Vec::new();
    let coverage = measurable(f);
    let coverage_ok = match coverage {
        Err(ref why) => {
            gaps.push(why.clone());
            false
        }
        Ok(c) if meets(c.acknowledged, c.staff, t.coverage_percent) => true,
        Ok(c) => {
            gaps.push(format!(
                "Only {} (below {} %).",
                overall(c),
                t.coverage_percent
            ));
            false
        }
    };
    if !assignments_ok {
        gaps.push(format!(
            "{} role assignment(s) not acknowledged by the holder: {}.",
            f.unacknowledged.total,
            holders(&f.unacknowledged)
        ));
    }
    let verdict = if coverage.is_err() {
        Verdict::Nonconforming
    } else {
        verdict(usize::from(coverage_ok) + usize::from(assignments_ok), 2)
    };
    let fine = match coverage {
        Ok(c) => format!(
            "{}, and every role assignment is acknowledged by its holder.",
            overall(c)
        ),
        Err(_) => String::new(),
    };
    let mut result = RequirementResult::new("5.1.f", verdict, finding(&gaps, fine));
    if let Some(c) = &f.coverage {
        result = result
            .figure("active staff", c.staff)
            .figure("acknowledged", c.acknowledged)
            .figure("coverage", percent(c.acknowledged, c.staff));
    }
    result = result
        .figure("threshold", format!("{} %", t.coverage_percent))
        .figure("assignments not acknowledged", f.unacknowledged.total);
    let policy: Vec<Cite> = f.coverage.iter().flat_map(policy_cites).collect();
    cite_all(
        result,
        policy
            .into_iter()
            .chain(assignment_cites(&f.unacknowledged)),
    )
}

/// Line-manager roles whose responsibilities say they brief their staff.
fn briefs(responsibilities: &[String]) -> bool {
    responsibilities
        .iter()
        .any(|r| r.to_lowercase().contains("brief"))
}

/// A.5.4: every line-manager role includes briefing their staff among its responsibilities, and
/// acknowledgment of the top-level policy is at or above the threshold in every unit.
pub fn management_requires(f: &RoleFacts, t: &Thresholds) -> RequirementResult {
    let managers: Vec<&super::RoleFact> = f
        .roles
        .iter()
        .filter(|r| r.category == RoleCategory::LineManager)
        .collect();
    let silent: Vec<&&super::RoleFact> = managers
        .iter()
        .filter(|r| !briefs(&r.responsibilities))
        .collect();
    let mut gaps = Vec::new();
    if managers.is_empty() {
        gaps.push("No line-manager role is defined.".to_owned());
    } else if !silent.is_empty() {
        let names: Vec<String> = silent.iter().map(|r| format!("'{}'", r.name)).collect();
        gaps.push(match names.as_slice() {
            [one] => {
                format!("Role {one} does not include briefing staff among its responsibilities.")
            }
            many => format!(
                "Roles {} do not include briefing staff among their responsibilities.",
                name_list(many, many.len())
            ),
        });
    }
    let briefing_ok = !managers.is_empty() && silent.is_empty();
    let below = match measurable(f) {
        Err(why) => {
            gaps.push(why);
            None
        }
        Ok(c) => Some(units_below(c, t)),
    };
    if let Some(below) = below.as_ref().filter(|b| !b.is_empty()) {
        gaps.push(below_sentence(below, t));
    }
    let units_ok = below.as_ref().is_some_and(Vec::is_empty);
    let fine = format!(
        "Line managers are responsible for briefing their staff, and every unit is at or above \
         {} % acknowledgment of the top-level policy.",
        t.coverage_percent
    );
    let result = RequirementResult::new(
        "A.5.4",
        verdict(usize::from(briefing_ok) + usize::from(units_ok), 2),
        finding(&gaps, fine),
    )
    .figure("line-manager roles", count(managers.len()))
    .figure(
        "without briefing among their responsibilities",
        count(silent.len()),
    )
    .figure(
        "units below the threshold",
        count(below.as_ref().map_or(0, Vec::len)),
    )
    .figure("threshold", format!("{} %", t.coverage_percent));
    let role_cites = silent
        .iter()
        .map(|r| {
            Cite::new(
                EvidenceKind::Role,
                r.id,
                format!("{} (no briefing duty)", r.name),
            )
        })
        .chain(
            managers
                .iter()
                .filter(|r| briefs(&r.responsibilities))
                .map(|r| Cite::new(EvidenceKind::Role, r.id, r.name.clone())),
        );
    let (below_cites, policy, other_units) = match &f.coverage {
        Some(c) => {
            let (below, others) = unit_cites(c, t);
            (below, policy_cites(c).collect::<Vec<_>>(), others)
        }
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let cites = below_cites
        .into_iter()
        .chain(role_cites)
        .chain(policy)
        .chain(other_units);
    cite_all(result, cites)
}

/// A.6.3: the top-level policy acknowledged at or above the threshold overall and in every unit
/// (sub-units counted in their parents), so no unit hides below the average.
pub fn awareness_per_unit(f: &RoleFacts, t: &Thresholds) -> RequirementResult {
    let c = match measurable(f) {
        Ok(c) => c,
        Err(why) => {
            return RequirementResult::new("A.6.3", Verdict::Nonconforming, why)
                .figure("threshold", format!("{} %", t.coverage_percent));
        }
    };
    let overall_ok = meets(c.acknowledged, c.staff, t.coverage_percent);
    let below = units_below(c, t);
    let mut lowest: Vec<&UnitCoverageFact> = c.units.iter().collect();
    lowest.sort_by(|a, b| by_share(a, b));
    let (verdict, finding) = match (overall_ok, below.is_empty()) {
        (true, true) => (
            Verdict::Conforming,
            match lowest.first() {
                Some(u) => format!(
                    "{}; every unit is at or above {} % (lowest: '{}' at {}).",
                    overall(c),
                    t.coverage_percent,
                    u.unit_name,
                    percent(u.acknowledged, u.staff)
                ),
                None => format!("{}; no unit is recorded.", overall(c)),
            },
        ),
        (true, false) => (
            Verdict::Partial,
            format!(
                "{} of {} units are below {} % although {}: {}",
                below.len(),
                c.units.len(),
                t.coverage_percent,
                overall(c),
                below_sentence(&below, t)
            ),
        ),
        (false, _) => (
            Verdict::Nonconforming,
            format!(
                "Only {} (below {} %).{}",
                overall(c),
                t.coverage_percent,
                if below.is_empty() {
                    String::new()
                } else {
                    format!(" {}", below_sentence(&below, t))
                }
            ),
        ),
    };
    let result = RequirementResult::new("A.6.3", verdict, finding)
        .figure("coverage", percent(c.acknowledged, c.staff))
        .figure("units measured", count(c.units.len()))
        .figure("units below the threshold", count(below.len()))
        .figure(
            "lowest unit",
            lowest.first().map_or("none".to_owned(), |u| {
                format!("{} ({})", u.unit_name, percent(u.acknowledged, u.staff))
            }),
        )
        .figure("threshold", format!("{} %", t.coverage_percent));
    let (below_cites, others) = unit_cites(c, t);
    let cites = below_cites.into_iter().chain(policy_cites(c)).chain(others);
    cite_all(result, cites)
}
