//! How the top-level policy is governed: 5.1.a (it and the objectives follow the strategic
//! direction), 5.2.e (controlled documented information), 5.2.f (communicated inside) and 5.2.g
//! (available outside as appropriate).

use std::collections::HashSet;

use time::Date;

use super::{
    CITED, PolicyFacts, TopPolicy, VersionApproval, listed, percent_floor, shortened, verdict_of,
};
use crate::domain::conformance::{EvidenceKind, RequirementResult, Thresholds, Verdict};
use crate::domain::policy::Visibility;

/// "No top-level information security policy is recorded." as a nonconforming result.
fn no_policy(id: &str) -> RequirementResult {
    RequirementResult::new(
        id,
        Verdict::Nonconforming,
        "No top-level information security policy is recorded.",
    )
}

fn not_published(id: &str, top: &TopPolicy) -> RequirementResult {
    RequirementResult::new(
        id,
        Verdict::Nonconforming,
        format!("\"{}\" has no published version.", top.title),
    )
}

impl TopPolicy {
    /// Who signed off a version that was published.
    pub fn approval_of(&self, version_id: uuid::Uuid) -> Option<&VersionApproval> {
        self.published_versions
            .iter()
            .find(|a| a.version_id == version_id)
    }

    /// The version in force was signed off by top management (a catalog role of that category).
    fn in_force_approved(&self) -> bool {
        self.in_force.as_ref().is_some_and(|v| {
            self.approval_of(v.id)
                .is_some_and(|a| a.by_top_management > 0)
        })
    }
}

/// 5.1.a: a published top-level policy approved by top management, at least one active
/// objective, and every active objective on a strategic theme of the organization.
pub(super) fn direction(facts: &PolicyFacts) -> RequirementResult {
    let mut gaps: Vec<String> = Vec::new();
    let mut met = 0;
    let mut result_label = "none".to_owned();
    let mut cited = Vec::new();
    match &facts.top {
        None => gaps.push("No top-level information security policy is recorded.".into()),
        Some(top) => match &top.in_force {
            None => gaps.push(format!("\"{}\" has no published version.", top.title)),
            Some(version) => {
                let label = top.version_label(version);
                cited.push((EvidenceKind::PolicyVersion, version.id, label.clone()));
                if top.in_force_approved() {
                    met += 1;
                } else {
                    gaps.push(format!(
                        "{label} in force was not signed off by top management (a holder of a role of the top_management category)."
                    ));
                }
                result_label = label;
            }
        },
    }
    let themes: HashSet<String> = facts
        .strategic_themes
        .iter()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    let (on_theme, off_theme): (Vec<_>, Vec<_>) = facts
        .objectives
        .iter()
        .partition(|o| themes.contains(&o.theme.trim().to_lowercase()));
    let active = facts.objectives.len();
    if active == 0 {
        gaps.push("No active information security objective is recorded.".into());
    } else {
        met += 1;
        if off_theme.is_empty() {
            met += 1;
        } else if themes.is_empty() {
            gaps.push(format!(
                "The organization profile lists no strategic theme, so none of the {active} active objective(s) follows one."
            ));
        } else {
            let names: Vec<String> = off_theme
                .iter()
                .map(|o| {
                    format!(
                        "\"{}\" (theme \"{}\")",
                        shortened(&o.statement, 80),
                        o.theme
                    )
                })
                .collect();
            gaps.push(format!(
                "{} of {active} active objective(s) name no strategic theme of the organization: {}.",
                off_theme.len(),
                listed(&names)
            ));
        }
    }
    let finding = if gaps.is_empty() {
        format!(
            "{result_label} is in force, signed off by top management, and all {active} active objective(s) serve a strategic theme of the organization."
        )
    } else {
        gaps.join(" ")
    };
    let mut result = RequirementResult::new("5.1.a", verdict_of(met, 3), finding)
        .figure("top-level policy in force", result_label)
        .figure("active objectives", active)
        .figure(
            "on a strategic theme",
            format!("{} of {active}", on_theme.len()),
        )
        .figure("strategic themes", themes.len());
    for (kind, id, label) in cited {
        result = result.cites(kind, id, label);
    }
    for objective in off_theme.iter().chain(&on_theme).take(CITED) {
        result = result.cites(
            EvidenceKind::Objective,
            objective.id,
            objective.statement.clone(),
        );
    }
    result
}

/// Why a published version does not count as signed off by top management.
fn unapproved_reason(top: &TopPolicy, approval: &VersionApproval) -> String {
    let label = format!("{} v{}", top.title, approval.number);
    if approval.by_tool_role_only.is_empty() {
        format!("{label} was published without a sign-off by top management on its content.")
    } else {
        format!(
            "{label} was signed off only by {}, who held no role of the top_management category that day.",
            listed(&approval.by_tool_role_only)
        )
    }
}

/// 5.2.e: versioned, every published version approved by top management, a review interval
/// set and the next review not overdue.
pub(super) fn controlled(facts: &PolicyFacts, today: Date) -> RequirementResult {
    const ID: &str = "5.2.e";
    let Some(top) = &facts.top else {
        return no_policy(ID);
    };
    let Some(version) = &top.in_force else {
        return not_published(ID, top);
    };
    let label = top.version_label(version);
    let unapproved: Vec<&VersionApproval> = top
        .published_versions
        .iter()
        .filter(|a| a.by_top_management == 0)
        .collect();
    let mut gaps: Vec<String> = unapproved
        .iter()
        .map(|a| unapproved_reason(top, a))
        .collect();
    let in_force_signed = match top.approval_of(version.id) {
        Some(a) => a.by_top_management > 0 || !a.by_tool_role_only.is_empty(),
        None => {
            gaps.push(format!(
                "{label} was published without a sign-off by top management on its content."
            ));
            false
        }
    };
    match top.next_review_due {
        Some(due) if due < today => gaps.push(format!(
            "Its review was due on {due} ({} days ago): record a review or publish a new version.",
            (today - due).whole_days()
        )),
        Some(_) => {}
        None => gaps.push("No review date is set.".into()),
    }
    let approved = top.published_versions.len() - unapproved.len();
    let verdict = if gaps.is_empty() {
        Verdict::Conforming
    } else if in_force_signed {
        Verdict::Partial
    } else {
        Verdict::Nonconforming
    };
    let finding = if gaps.is_empty() {
        format!(
            "{label} is in force; all {} published version(s) were signed off by top management; it is reviewed every {} month(s), next by {}.",
            top.published_versions.len(),
            top.review_interval_months,
            top.next_review_due
                .map_or("no date".into(), |d| d.to_string())
        )
    } else {
        gaps.join(" ")
    };
    let mut result = RequirementResult::new(ID, verdict, finding)
        .figure("version in force", &version.number)
        .figure("published on", version.published_on)
        .figure(
            "signed off by top management",
            format!("{approved} of {} published", top.published_versions.len()),
        )
        .figure(
            "review interval",
            format!("{} months", top.review_interval_months),
        )
        .figure(
            "next review due",
            top.next_review_due
                .map_or("not set".into(), |d| d.to_string()),
        )
        .cites(EvidenceKind::PolicyVersion, version.id, label);
    for approval in unapproved.iter().take(CITED) {
        if approval.version_id != version.id {
            result = result.cites(
                EvidenceKind::PolicyVersion,
                approval.version_id,
                format!("{} v{}", top.title, approval.number),
            );
        }
    }
    result
}

/// 5.2.f: a campaign for the version in force, acknowledged by at least the threshold's share
/// of active staff (as 5.1.f). With several campaigns on that version the latest is measured, as
/// review packs and reports count it; every one is cited.
pub(super) fn communicated(facts: &PolicyFacts, t: &Thresholds) -> RequirementResult {
    const ID: &str = "5.2.f";
    let Some(top) = &facts.top else {
        return no_policy(ID);
    };
    let Some(version) = &top.in_force else {
        return not_published(ID, top);
    };
    let label = top.version_label(version);
    let Some(campaign) = top.campaign.as_ref().filter(|c| !c.campaigns.is_empty()) else {
        return RequirementResult::new(
            ID,
            Verdict::Nonconforming,
            format!(
                "No acknowledgment campaign was launched for {label}: launch one to its audience."
            ),
        )
        .cites(EvidenceKind::PolicyVersion, version.id, label);
    };
    let named = match campaign.campaigns.as_slice() {
        [latest, _, ..] => format!(
            "Campaign \"{}\" (the latest of {})",
            latest.title,
            campaign.campaigns.len()
        ),
        [only] => format!("Campaign \"{}\"", only.title),
        [] => String::new(),
    };
    let active = facts.active_people;
    let acknowledged = campaign.acknowledged_by_active;
    let percent = percent_floor(acknowledged, active);
    let (verdict, mut finding) = if active <= 0 {
        (
            Verdict::Partial,
            format!(
                "{named} runs for {label}, but no active person is recorded, so coverage cannot be measured."
            ),
        )
    } else if acknowledged * 100 >= t.coverage_percent * active {
        (
            Verdict::Conforming,
            format!(
                "{named} for {label}: {percent} % of active staff acknowledged it ({acknowledged} of {active}), at or above {} %.",
                t.coverage_percent
            ),
        )
    } else {
        (
            Verdict::Partial,
            format!(
                "{named} for {label} reached {percent} % of active staff ({acknowledged} of {active}), below {} %: {} active people have not acknowledged it.",
                t.coverage_percent,
                active - acknowledged
            ),
        )
    };
    if active > 0 && campaign.asked < active {
        finding.push_str(&format!(
            " Only {} people were asked, fewer than the {active} active.",
            campaign.asked
        ));
    }
    let mut result = RequirementResult::new(ID, verdict, finding)
        .figure("coverage", format!("{percent} %"))
        .figure("acknowledged by active people", acknowledged)
        .figure("active people", active)
        .figure("asked", campaign.asked)
        .figure("campaigns", campaign.campaigns.len())
        .figure("threshold", format!("{} %", t.coverage_percent));
    for cited in campaign.campaigns.iter().take(CITED) {
        result = result.cites(EvidenceKind::Campaign, cited.id, cited.title.clone());
    }
    result.cites(EvidenceKind::PolicyVersion, version.id, label)
}

/// 5.2.g: published on the trust page (public) or through share links (restricted); kept
/// internal only with a recorded reason. Charter records no approval of that reason, so an
/// internal policy is at best partly shown.
pub(super) fn available(facts: &PolicyFacts) -> RequirementResult {
    const ID: &str = "5.2.g";
    let Some(top) = &facts.top else {
        return no_policy(ID);
    };
    let rationale = top.visibility_rationale.trim();
    let (verdict, finding) = match (top.visibility, &top.in_force) {
        (Visibility::Public, Some(version)) => (
            Verdict::Conforming,
            format!(
                "{} is published on the public trust page.",
                top.version_label(version)
            ),
        ),
        (Visibility::Restricted, Some(version)) => (
            Verdict::Conforming,
            format!(
                "{} is restricted: interested parties read it through share links ({} active).",
                top.version_label(version),
                top.active_share_links
            ),
        ),
        (Visibility::Public | Visibility::Restricted, None) => (
            Verdict::Partial,
            format!(
                "\"{}\" is marked {}, but no version is published, so interested parties can read none of it.",
                top.title,
                top.visibility.as_str()
            ),
        ),
        (Visibility::Internal, _) if !rationale.is_empty() => (
            Verdict::Partial,
            format!(
                "\"{}\" is kept internal for the recorded reason \"{}\", but Charter records no approval of that decision, so it counts as partly shown.",
                top.title,
                shortened(rationale, 120)
            ),
        ),
        (Visibility::Internal, _) => (
            Verdict::Nonconforming,
            format!(
                "\"{}\" is internal and no reason is recorded: publish it on the trust page, share it through links, or record why that is not appropriate.",
                top.title
            ),
        ),
    };
    let mut result = RequirementResult::new(ID, verdict, finding)
        .figure("visibility", top.visibility.as_str())
        .figure(
            "reason recorded",
            if rationale.is_empty() { "no" } else { "yes" },
        )
        .figure("active share links", top.active_share_links);
    if let Some(version) = &top.in_force {
        result = result.cites(
            EvidenceKind::PolicyVersion,
            version.id,
            top.version_label(version),
        );
    }
    result
}
