//! The rules of top management's commitment in deeds: 5.1.b (the ISMS is built into the key
//! processes), 5.1.c (resources are approved) and 5.1.d (top management tells all staff).

use super::{LeadershipFigures, MAX_CITED, days_ago, listed, verdict};
use crate::domain::campaign::CampaignAudience;
use crate::domain::communication::Communication;
use crate::domain::conformance::{EvidenceKind, RequirementResult, Thresholds, Verdict};
use crate::domain::process::{Process, STANDARD_PROCESSES, is_stale};
use crate::domain::resource::{CommitmentStatus, ResourceCommitment, ResourceKind};

/// How many processes not in order a finding names (the rest are counted).
const NAMED_GAPS: usize = 8;

/// What keeps one key process from counting, in plain words (empty: it is in order).
fn process_gaps(p: &Process, f: &LeadershipFigures, t: &Thresholds) -> Vec<String> {
    let mut gaps = Vec::new();
    if p.integration.trim().is_empty() {
        gaps.push("how the ISMS is built in is not described".to_owned());
    }
    match p.owner_id {
        None => gaps.push("no owner".to_owned()),
        Some(owner) if f.departed_owners.contains(&owner) => gaps.push(format!(
            "its owner {} has left",
            p.owner_name.as_deref().unwrap_or("(unknown)")
        )),
        Some(_) => {}
    }
    if p.evidence.trim().is_empty() {
        gaps.push("no evidence recorded".to_owned());
    }
    match p.last_verified_on {
        None => gaps.push("never verified".to_owned()),
        Some(on) => {
            let days = (f.today - on).whole_days();
            if is_stale(Some(on), p.verification_interval_days, f.today) {
                gaps.push(format!(
                    "verified {} (interval {})",
                    days_ago(days),
                    p.verification_interval_days
                ));
            } else if days > t.period_days {
                gaps.push(format!(
                    "verified {}, before the {}-day period",
                    days_ago(days),
                    t.period_days
                ));
            }
        }
    }
    gaps
}

/// 5.1.b: every key process (the eight of the catalog and any the organization adds) has an
/// owner still here, says how the ISMS is built in, has evidence, and was verified within the
/// period and its own interval; partial when only some are.
pub fn process_integration(f: &LeadershipFigures, t: &Thresholds) -> RequirementResult {
    let mut gaps: Vec<String> = STANDARD_PROCESSES
        .iter()
        .filter(|(key, _)| {
            !f.processes
                .iter()
                .any(|p| p.standard_key.as_deref() == Some(*key))
        })
        .map(|(_, name)| format!("{name}: no record"))
        .collect();
    let expected = gaps.len() + f.processes.len();
    let mut not_in_order = Vec::new();
    for p in &f.processes {
        let found = process_gaps(p, f, t);
        if !found.is_empty() {
            gaps.push(format!("{}: {}", p.name, found.join(", ")));
            not_in_order.push(p.id);
        }
    }
    let in_order = expected - gaps.len();
    let finding = if gaps.is_empty() {
        format!(
            "All {expected} key processes have an owner, evidence, and a verification within \
             the last {} days.",
            t.period_days
        )
    } else {
        format!(
            "{} of {expected} key processes are not in order: {}.",
            gaps.len(),
            listed(&gaps, NAMED_GAPS)
        )
    };
    // Those not in order first, so a capped list still names them.
    let (lacking, fine): (Vec<&Process>, Vec<&Process>) = f
        .processes
        .iter()
        .partition(|p| not_in_order.contains(&p.id));
    let cited = lacking.into_iter().chain(fine).take(MAX_CITED);
    cited.fold(
        RequirementResult::new("5.1.b", verdict(in_order, expected), finding)
            .figure("key processes", expected)
            .figure("in order", in_order)
            .figure("not in order", gaps.len()),
        |result, p| result.cites(EvidenceKind::Process, p.id, p.name.clone()),
    )
}

/// What the period holds for one resource type.
struct KindInPeriod<'a> {
    kind: ResourceKind,
    approved: Vec<&'a ResourceCommitment>,
    none_needed: Option<&'a ResourceCommitment>,
}

impl KindInPeriod<'_> {
    /// Financial and personnel resources must be committed; facilities and technical
    /// infrastructure only considered (approved, or decided that none are needed).
    fn met(&self) -> bool {
        match self.kind {
            ResourceKind::Financial | ResourceKind::Personnel => !self.approved.is_empty(),
            _ => !self.approved.is_empty() || self.none_needed.is_some(),
        }
    }

    fn state(&self) -> String {
        match (self.approved.len(), self.none_needed) {
            (0, Some(_)) => "none needed".to_owned(),
            (0, None) => "nothing approved".to_owned(),
            (n, _) => format!("{n} approved"),
        }
    }

    fn gap(&self) -> String {
        let kind = self.kind.label().to_lowercase();
        match (self.kind, self.none_needed) {
            (ResourceKind::Financial | ResourceKind::Personnel, Some(_)) => format!(
                "{kind}: only a decision that none are needed, but {kind} resources must be \
                 committed"
            ),
            (ResourceKind::Financial | ResourceKind::Personnel, None) => {
                format!("{kind}: no resources approved by top management")
            }
            _ => {
                format!("{kind}: not considered (approve resources or record that none are needed)")
            }
        }
    }
}

fn resource_label(r: &ResourceCommitment) -> String {
    let what: String = r.description.chars().take(80).collect();
    if r.none_needed {
        format!("{}: none needed ({what})", r.kind.label())
    } else {
        format!("{}: {what}", r.kind.label())
    }
}

/// 5.1.c: resource commitments approved by top management within the period (the day of the
/// decision counts), covering financial and personnel resources, with facilities and technical
/// infrastructure considered.
pub fn resources_available(f: &LeadershipFigures, t: &Thresholds) -> RequirementResult {
    let start = f.period_start(t);
    let in_period: Vec<&ResourceCommitment> = f
        .resource_approvals
        .iter()
        .filter(|r| r.status == CommitmentStatus::Approved)
        .filter(|r| r.decided_at.is_some_and(|at| at.date() >= start))
        .collect();
    let kinds: Vec<KindInPeriod> = ResourceKind::ALL
        .iter()
        .map(|&kind| KindInPeriod {
            kind,
            approved: in_period
                .iter()
                .copied()
                .filter(|r| r.kind == kind && !r.none_needed)
                .collect(),
            none_needed: in_period
                .iter()
                .copied()
                .find(|r| r.kind == kind && r.none_needed),
        })
        .collect();
    let met = kinds.iter().filter(|k| k.met()).count();
    let gaps: Vec<String> = kinds.iter().filter(|k| !k.met()).map(|k| k.gap()).collect();
    let finding = if gaps.is_empty() {
        format!(
            "Within the last {} days top management approved financial and personnel resources \
             and considered facilities and technical infrastructure.",
            t.period_days
        )
    } else {
        format!(
            "Within the last {} days: {}.",
            t.period_days,
            gaps.join("; ")
        )
    };
    let mut result = RequirementResult::new("5.1.c", verdict(met, kinds.len()), finding);
    for k in &kinds {
        result = result.figure(&k.kind.label().to_lowercase(), k.state());
    }
    in_period.iter().take(MAX_CITED).fold(result, |result, r| {
        result.cites(EvidenceKind::ResourceCommitment, r.id, resource_label(r))
    })
}

/// Addressed to everyone: every active person at the time.
fn reaches_all(c: &Communication) -> bool {
    c.audience == CampaignAudience::Everyone
}

fn communication_label(c: &Communication) -> String {
    format!(
        "{} ({}, {})",
        c.subject,
        c.communicated_on,
        c.audience.describe()
    )
}

/// 5.1.d: at least one communication by top management within the period reaching all staff
/// (addressed to everyone); partial when the period holds only communications to some.
pub fn top_management_communicates(f: &LeadershipFigures, t: &Thresholds) -> RequirementResult {
    let start = f.period_start(t);
    let in_period: Vec<&Communication> = f
        .communications
        .iter()
        .filter(|c| c.communicated_on >= start)
        .collect();
    let latest_to_all = f
        .communications
        .iter()
        .filter(|c| reaches_all(c))
        .max_by_key(|c| c.communicated_on);
    let latest = f.communications.iter().max_by_key(|c| c.communicated_on);
    let reaching_all = in_period.iter().filter(|c| reaches_all(c)).count();
    let (verdict, finding) = match (
        reaching_all,
        in_period.iter().max_by_key(|c| c.communicated_on),
    ) {
        (0, None) => (
            Verdict::Nonconforming,
            match latest {
                Some(c) => format!(
                    "No communication by top management in the last {} days; the last was on {}.",
                    t.period_days, c.communicated_on
                ),
                None => "Top management has not recorded any communication.".to_owned(),
            },
        ),
        (0, Some(c)) => (
            Verdict::Partial,
            format!(
                "Top management communicated in the last {} days, but not to all staff: the \
                 latest, on {}, reached {}.",
                t.period_days,
                c.communicated_on,
                c.audience.describe().to_lowercase()
            ),
        ),
        _ => (
            Verdict::Conforming,
            latest_to_all.map_or_else(String::new, |c| {
                format!(
                    "Top management told all staff on {}: \u{201c}{}\u{201d}.",
                    c.communicated_on, c.subject
                )
            }),
        ),
    };
    let result = RequirementResult::new("5.1.d", verdict, finding)
        .figure("communications in the period", in_period.len())
        .figure("to all staff", reaching_all)
        .figure(
            "last to all staff",
            latest_to_all.map_or("never".to_owned(), |c| c.communicated_on.to_string()),
        );
    in_period.iter().take(MAX_CITED).fold(result, |result, c| {
        result.cites(EvidenceKind::Communication, c.id, communication_label(c))
    })
}
