//! The rules of leadership evidence: 5.1.b (the ISMS is built into the organization's processes),
//! 5.1.c (resources are made available), 5.1.d (top management communicates), 5.1.e (performance
//! is looked at), 5.1.g (improvement is promoted), 5.3.b (someone reports performance) and A.6.8
//! (concerns can be reported).

mod commitment;
mod oversight;

use time::{Date, Duration};
use uuid::Uuid;

use super::{EvidenceLink, RequirementResult, Thresholds, Verdict};
use crate::domain::communication::Communication;
use crate::domain::process::Process;
use crate::domain::resource::ResourceCommitment;

pub use commitment::{process_integration, resources_available, top_management_communicates};
pub use oversight::{
    continual_improvement, performance_reporting, performance_reviewed, reporting_channel,
};

/// The most records one result cites (the rest are counted in its figures).
pub const MAX_CITED: usize = 20;

/// What the leadership rules read, loaded by the store.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadershipFigures {
    pub today: Date,
    /// 5.1.b: the key processes, the eight the catalog names (found by their `standard_key`,
    /// whatever they are called now) and any other the organization flagged `key_process`.
    pub processes: Vec<Process>,
    /// Owners of those processes who have left the organization.
    pub departed_owners: Vec<Uuid>,
    /// 5.1.c: the latest approved resource commitments of each type, "none needed" decisions
    /// included (a few of each, newest decided first).
    pub resource_approvals: Vec<ResourceCommitment>,
    /// 5.1.d: the latest communications, newest first (the store lets only top management
    /// record one), with at least the latest ones addressed to everyone.
    pub communications: Vec<Communication>,
    pub active_objectives: i64,
    /// Active objectives without a measurement within their interval.
    pub objectives_unmeasured: i64,
    /// Those objectives, cited (the result cites at most `MAX_CITED` in all).
    pub unmeasured_objectives: Vec<EvidenceLink>,
    /// When top management last signed off a performance report.
    pub last_report_signed_off: Option<Date>,
    /// That report.
    pub signed_off_report: Option<EvidenceLink>,
    /// When the last signed management review that recorded decisions was held.
    pub last_review_with_decisions: Option<Date>,
    /// That review.
    pub review_with_decisions: Option<EvidenceLink>,
    /// Improvement actions open, or closed within the period, and how many of them are overdue.
    pub actions_tracked: i64,
    pub actions_overdue: i64,
    /// The overdue ones, longest overdue first (at most `MAX_CITED`).
    pub overdue_actions: Vec<EvidenceLink>,
    /// The role flagged `performance_reporter` is held by an active person.
    pub reporter_held: bool,
    /// The last report was submitted by a current holder of that role (none: no report yet).
    pub last_report_by_reporter: Option<bool>,
    /// The role flagged `performance_reporter`, labelled with its holders.
    pub reporter_role: Option<EvidenceLink>,
    /// The newest performance report, signed off or not.
    pub last_report: Option<EvidenceLink>,
    pub channel_enabled: bool,
    /// A concern handler role is held by an active person.
    pub handler_held: bool,
    /// Concerns not answered within the response target.
    pub concerns_response_overdue: i64,
    /// The channel's settings, cited by A.6.8.
    pub concern_settings: Option<EvidenceLink>,
}

impl LeadershipFigures {
    /// The most records one result cites.
    pub const MAX_CITED: usize = MAX_CITED;
    /// The id A.6.8 cites the channel's settings by: they are one row, kept without a UUID.
    pub const CONCERN_SETTINGS_ID: Uuid = Uuid::nil();

    /// An organization that recorded nothing yet (no process, no approval, no report…).
    pub fn nothing_recorded(today: Date) -> Self {
        Self {
            today,
            processes: Vec::new(),
            departed_owners: Vec::new(),
            resource_approvals: Vec::new(),
            communications: Vec::new(),
            active_objectives: 0,
            objectives_unmeasured: 0,
            unmeasured_objectives: Vec::new(),
            last_report_signed_off: None,
            signed_off_report: None,
            last_review_with_decisions: None,
            review_with_decisions: None,
            actions_tracked: 0,
            actions_overdue: 0,
            overdue_actions: Vec::new(),
            reporter_held: false,
            last_report_by_reporter: None,
            reporter_role: None,
            last_report: None,
            channel_enabled: false,
            handler_held: false,
            concerns_response_overdue: 0,
            concern_settings: None,
        }
    }

    /// Every leadership rule over these figures, in catalog order.
    pub fn results(&self, t: &Thresholds) -> Vec<RequirementResult> {
        evaluate(self, t)
    }

    /// The first day of the governance period ending today.
    fn period_start(&self, t: &Thresholds) -> Date {
        self.today - Duration::days(t.period_days)
    }
}

fn within(day: Option<Date>, today: Date, days: i64) -> bool {
    day.is_some_and(|d| d >= today - Duration::days(days))
}

fn verdict(met: usize, of: usize) -> Verdict {
    match met {
        m if m == of => Verdict::Conforming,
        0 => Verdict::Nonconforming,
        _ => Verdict::Partial,
    }
}

/// Cites `links` on `result`, up to `MAX_CITED` in all.
fn cite_all<'a>(
    mut result: RequirementResult,
    links: impl IntoIterator<Item = &'a EvidenceLink>,
) -> RequirementResult {
    for link in links {
        if result.evidence.len() >= MAX_CITED {
            break;
        }
        result = result.cites(link.kind, link.id, link.label.clone());
    }
    result
}

/// "today", "1 day ago", "45 days ago".
pub(crate) fn days_ago(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "1 day ago".to_owned(),
        n => format!("{n} days ago"),
    }
}

/// The first items of `parts` joined by "; ", with how many more there are.
fn listed(parts: &[String], shown: usize) -> String {
    let mut text = parts
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if parts.len() > shown {
        text.push_str(&format!("; and {} more", parts.len() - shown));
    }
    text
}

/// Every leadership rule, in catalog order.
pub fn evaluate(f: &LeadershipFigures, t: &Thresholds) -> Vec<RequirementResult> {
    vec![
        process_integration(f, t),
        resources_available(f, t),
        top_management_communicates(f, t),
        performance_reviewed(f, t),
        continual_improvement(f, t),
        performance_reporting(f),
        reporting_channel(f),
    ]
}
