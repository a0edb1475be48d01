//! The rules of management looking at the ISMS: 5.1.e (performance is reviewed), 5.1.g
//! (improvement is promoted), 5.3.b (someone reports performance) and A.6.8 (concerns can be
//! reported).

use super::{LeadershipFigures, cite_all, verdict, within};
use crate::domain::conformance::{RequirementResult, Thresholds, Verdict};

/// The labels of the first `shown` links, for a finding.
fn names(links: &[crate::domain::conformance::EvidenceLink], shown: usize) -> String {
    let mut text = links
        .iter()
        .take(shown)
        .map(|l| l.label.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if links.len() > shown {
        text.push_str(", …");
    }
    text
}

/// 5.1.e: every active objective measured within its interval, and a performance report signed
/// off by top management within the reporting interval.
pub fn performance_reviewed(f: &LeadershipFigures, t: &Thresholds) -> RequirementResult {
    let measured = f.active_objectives > 0 && f.objectives_unmeasured == 0;
    let reviewed = within(f.last_report_signed_off, f.today, t.reporting_interval_days);
    let unsigned = match f.last_report_signed_off {
        Some(day) => format!(
            "No performance report signed off in the last {} days (the last on {day}).",
            t.reporting_interval_days
        ),
        None => "Top management has never signed off a performance report.".to_owned(),
    };
    let finding = match (measured, reviewed) {
        (true, true) => {
            "Every objective is measured and top management signed off a report.".into()
        }
        (false, _) if f.active_objectives == 0 => "No active objective to measure.".to_owned(),
        (false, reviewed) => {
            let mut text = format!(
                "{} objective(s) not measured within their interval",
                f.objectives_unmeasured
            );
            if !f.unmeasured_objectives.is_empty() {
                text.push_str(&format!(": {}", names(&f.unmeasured_objectives, 5)));
            }
            text.push('.');
            if !reviewed {
                text.push(' ');
                text.push_str(&unsigned);
            }
            text
        }
        (true, false) => unsigned,
    };
    let result = RequirementResult::new(
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
    );
    cite_all(
        result,
        f.signed_off_report.iter().chain(&f.unmeasured_objectives),
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
        (false, _) => match f.last_review_with_decisions {
            Some(day) => format!(
                "No management review with decisions in the last {} days (the last was held \
                 on {day}).",
                t.period_days
            ),
            None => "No signed management review has recorded a decision.".to_owned(),
        },
        (true, false) => format!(
            "{} of {} improvement actions are overdue (more than {} %): {}.",
            f.actions_overdue,
            f.actions_tracked,
            t.overdue_actions_percent,
            names(&f.overdue_actions, 5)
        ),
    };
    let verdict = if reviewed {
        verdict(1 + usize::from(on_time), 2)
    } else {
        Verdict::Nonconforming
    };
    let result = RequirementResult::new("5.1.g", verdict, finding)
        .figure(
            "last review with decisions",
            f.last_review_with_decisions
                .map_or("never".into(), |d| d.to_string()),
        )
        .figure("actions tracked", f.actions_tracked)
        .figure("actions overdue", f.actions_overdue);
    cite_all(
        result,
        f.review_with_decisions.iter().chain(&f.overdue_actions),
    )
}

/// 5.3.b: the performance reporter role is held by an active person who submitted the last
/// report.
pub fn performance_reporting(f: &LeadershipFigures) -> RequirementResult {
    let (verdict, finding) = match (f.reporter_held, f.last_report_by_reporter) {
        (false, _) if f.reporter_role.is_none() => (
            Verdict::Nonconforming,
            "No role of the catalog is flagged as the performance reporter.",
        ),
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
    let result = RequirementResult::new("5.3.b", verdict, finding)
        .figure("role held", if f.reporter_held { "yes" } else { "no" })
        .figure(
            "last report by the reporter",
            match f.last_report_by_reporter {
                Some(true) => "yes",
                Some(false) => "no",
                None => "no report yet",
            },
        );
    cite_all(result, f.reporter_role.iter().chain(&f.last_report))
}

/// A.6.8: the channel is enabled, a handler is in post, and concerns are answered in time.
pub fn reporting_channel(f: &LeadershipFigures) -> RequirementResult {
    let (verdict, finding) = if !f.channel_enabled || !f.handler_held {
        let why = match (f.channel_enabled, f.handler_held) {
            (false, false) => "is closed to new reports and has no handler in post",
            (false, true) => "is closed to new reports",
            _ => "has no handler in post (nobody active holds the concern handler role)",
        };
        (
            Verdict::Nonconforming,
            format!("The confidential channel {why}."),
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
    let result = RequirementResult::new("A.6.8", verdict, finding)
        .figure("channel open", if f.channel_enabled { "yes" } else { "no" })
        .figure("handler in post", if f.handler_held { "yes" } else { "no" })
        .figure("answered late", f.concerns_response_overdue);
    cite_all(result, &f.concern_settings)
}
