//! The rules of leadership evidence: 5.1.e (performance is looked at), 5.1.g (improvement is
//! promoted), 5.3.b (someone reports performance) and A.6.8 (concerns can be reported).

use time::{Date, Duration};

use super::{RequirementResult, Thresholds, Verdict};

/// What the leadership rules read, loaded by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadershipFigures {
    pub today: Date,
    pub active_objectives: i64,
    /// Active objectives without a measurement within their interval.
    pub objectives_unmeasured: i64,
    /// When top management last signed off a performance report.
    pub last_report_signed_off: Option<Date>,
    /// When the last signed management review that recorded decisions was held.
    pub last_review_with_decisions: Option<Date>,
    /// Improvement actions open, or closed within the period, and how many of them are overdue.
    pub actions_tracked: i64,
    pub actions_overdue: i64,
    /// The role flagged `performance_reporter` is held by an active person.
    pub reporter_held: bool,
    /// The last report was submitted by a current holder of that role (none: no report yet).
    pub last_report_by_reporter: Option<bool>,
    pub channel_enabled: bool,
    /// A concern handler role is held by an active person.
    pub handler_held: bool,
    /// Concerns not answered within the response target.
    pub concerns_response_overdue: i64,
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

/// 5.1.e: every active objective measured within its interval, and a performance report signed
/// off by top management within the reporting interval.
pub fn performance_reviewed(f: &LeadershipFigures, t: &Thresholds) -> RequirementResult {
    let measured = f.active_objectives > 0 && f.objectives_unmeasured == 0;
    let reviewed = within(f.last_report_signed_off, f.today, t.reporting_interval_days);
    let finding = match (measured, reviewed) {
        (true, true) => {
            "Every objective is measured and top management signed off a report.".into()
        }
        (false, _) if f.active_objectives == 0 => "No active objective to measure.".to_owned(),
        (false, _) => format!(
            "{} objective(s) not measured within their interval.",
            f.objectives_unmeasured
        ),
        (true, false) => format!(
            "No performance report signed off in the last {} days.",
            t.reporting_interval_days
        ),
    };
    RequirementResult::new(
        "5.1.e",
        verdict(usize::from(measured) + usize::from(reviewed), 2),
        finding,
    )
    .figure("active objectives", f.active_objectives)
    .figure(
        "not measured within their interval",
        f.objectives_unmeasured,
    )
    .figure(
        "last report signed off",
        f.last_report_signed_off
            .map_or("never".into(), |d| d.to_string()),
    )
}

/// 5.1.g: a management review within the period that recorded decisions, and at most the
/// threshold's share of improvement actions overdue.
pub fn continual_improvement(f: &LeadershipFigures, t: &Thresholds) -> RequirementResult {
    let reviewed = within(f.last_review_with_decisions, f.today, t.period_days);
    let on_time = f.actions_overdue * 100 <= t.overdue_actions_percent * f.actions_tracked;
    let finding = match (reviewed, on_time) {
        (true, true) => {
            "A management review recorded decisions and actions are kept on time.".to_owned()
        }
        (false, _) => format!(
            "No management review with decisions in the last {} days.",
            t.period_days
        ),
        (true, false) => format!(
            "{} of {} improvement actions are overdue (more than {} %).",
            f.actions_overdue, f.actions_tracked, t.overdue_actions_percent
        ),
    };
    let verdict = if reviewed {
        verdict(1 + usize::from(on_time), 2)
    } else {
        Verdict::Nonconforming
    };
    RequirementResult::new("5.1.g", verdict, finding)
        .figure("actions tracked", f.actions_tracked)
        .figure("actions overdue", f.actions_overdue)
}

/// 5.3.b: the performance reporter role is held by an active person who submitted the last
/// report.
pub fn performance_reporting(f: &LeadershipFigures) -> RequirementResult {
    let (verdict, finding) = match (f.reporter_held, f.last_report_by_reporter) {
        (false, _) => (
            Verdict::Nonconforming,
            "No active person holds the performance reporter role.",
        ),
        (true, Some(true)) => (
            Verdict::Conforming,
            "The performance reporter submitted the last report.",
        ),
        (true, Some(false)) => (
            Verdict::Partial,
            "The last report was not submitted by the current performance reporter.",
        ),
        (true, None) => (
            Verdict::Partial,
            "The performance reporter has not submitted a report yet.",
        ),
    };
    RequirementResult::new("5.3.b", verdict, finding)
}

/// A.6.8: the channel is enabled, a handler is in post, and concerns are answered in time.
pub fn reporting_channel(f: &LeadershipFigures) -> RequirementResult {
    let (verdict, finding) = if !f.channel_enabled || !f.handler_held {
        (
            Verdict::Nonconforming,
            "The confidential channel is closed or has no handler in post.".to_owned(),
        )
    } else if f.concerns_response_overdue > 0 {
        (
            Verdict::Partial,
            format!(
                "{} concern(s) not answered within the response target.",
                f.concerns_response_overdue
            ),
        )
    } else {
        (
            Verdict::Conforming,
            "The channel is open, handled, and concerns are answered in time.".to_owned(),
        )
    };
    RequirementResult::new("A.6.8", verdict, finding)
        .figure("answered late", f.concerns_response_overdue)
}

#[cfg(test)]
mod tests;
