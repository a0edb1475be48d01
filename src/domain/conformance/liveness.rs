//! Liveness, "alive or merely documented": how recently the ISMS was operated, shown beside the
//! verdicts of every assessment and on the dashboard.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Thresholds;
use super::leadership::days_ago;

/// The acknowledgment coverage of the top-level policy at the end of one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CoveragePoint {
    /// `YYYY-MM`.
    pub month: String,
    pub percent: f64,
}

/// The signs that the ISMS is operated, not only written down.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Liveness {
    /// Days since the last signed management review was held (none: never).
    pub days_since_management_review: Option<i64>,
    /// Days since top management last signed off a performance report.
    pub days_since_report_review: Option<i64>,
    /// Days since the last communication by top management (any audience; only top management
    /// records one).
    pub days_since_top_communication: Option<i64>,
    /// Coverage of the current published version of the top-level policy at the end of each of
    /// the last 12 months (the current month up to now), oldest first: the acknowledgments given
    /// by then in its campaigns on that version, over the people active today (at most 100 %).
    /// Empty when no top-level policy is published.
    #[serde(default)]
    pub coverage_trend: Vec<CoveragePoint>,
    /// Policies whose review date has passed.
    pub overdue_policy_reviews: i64,
    /// Improvement actions open past their due date.
    pub overdue_actions: i64,
    /// Improvement actions open, or closed within the period: the base of the overdue share.
    #[serde(default)]
    pub actions_tracked: i64,
    /// Active role assignments held by people who have left.
    pub departed_holders: i64,
    /// Evidence records counted, and how many are older than the governance period. The records
    /// are the latest evidence of each thing the rules read: the last verification of every key
    /// process and the latest measurement of every active objective (a process never verified or
    /// an objective never measured counts as older), plus, when one exists, the last signed
    /// management review, the last report sign-off, the last top-management communication and the
    /// latest approval of each resource type.
    pub evidence_records: i64,
    pub evidence_older_than_period: i64,
}

/// One sign as pages and packs show it: "Last management review: 45 days ago".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LivenessSignal {
    pub label: String,
    pub value: String,
    /// Within the organization's thresholds: the ISMS is operated here.
    pub alive: bool,
    /// What the value is measured against, in plain words.
    pub note: String,
}

fn signal(label: &str, value: String, alive: bool, note: String) -> LivenessSignal {
    LivenessSignal {
        label: label.to_owned(),
        value,
        alive,
        note,
    }
}

/// A "days since" sign: alive within `limit` days.
fn recency(label: &str, days: Option<i64>, limit: i64, what: &str) -> LivenessSignal {
    match days {
        Some(d) => signal(
            label,
            days_ago(d),
            d <= limit,
            if d <= limit {
                format!("within the {limit}-day limit")
            } else {
                format!("longer ago than the {limit}-day limit")
            },
        ),
        None => signal(label, "never".to_owned(), false, format!("no {what} yet")),
    }
}

/// A count that should be zero.
fn none_expected(label: &str, count: i64, note: &str) -> LivenessSignal {
    signal(label, count.to_string(), count == 0, note.to_owned())
}

impl Liveness {
    /// Every sign with whether it is alive under `t`, in the order pages show them.
    pub fn signals(&self, t: &Thresholds) -> Vec<LivenessSignal> {
        vec![
            recency(
                "Last management review",
                self.days_since_management_review,
                t.period_days,
                "signed management review",
            ),
            recency(
                "Last performance report sign-off",
                self.days_since_report_review,
                t.reporting_interval_days,
                "performance report signed off",
            ),
            recency(
                "Last top-management communication",
                self.days_since_top_communication,
                t.period_days,
                "communication by top management",
            ),
            self.coverage_signal(t),
            none_expected(
                "Policies overdue for review",
                self.overdue_policy_reviews,
                "every policy is reviewed by its date when none is overdue",
            ),
            self.actions_signal(t),
            none_expected(
                "Roles held by people who left",
                self.departed_holders,
                "active assignments of departed people",
            ),
            self.evidence_signal(t),
        ]
    }

    fn coverage_signal(&self, t: &Thresholds) -> LivenessSignal {
        let label = "Acknowledgment coverage of the top-level policy";
        let (Some(first), Some(last)) = (self.coverage_trend.first(), self.coverage_trend.last())
        else {
            return signal(
                label,
                "none".to_owned(),
                false,
                "no published top-level policy".to_owned(),
            );
        };
        let trend = if last.percent > first.percent {
            "rising"
        } else if last.percent < first.percent {
            "falling"
        } else {
            "flat"
        };
        signal(
            label,
            format!("{:.1} %", last.percent),
            last.percent >= t.coverage_percent as f64,
            format!(
                "{trend}: {:.1} % at the end of {}; the threshold is {} %",
                first.percent, first.month, t.coverage_percent
            ),
        )
    }

    fn actions_signal(&self, t: &Thresholds) -> LivenessSignal {
        let alive = self.overdue_actions * 100 <= t.overdue_actions_percent * self.actions_tracked;
        signal(
            "Improvement actions overdue",
            format!("{} of {}", self.overdue_actions, self.actions_tracked),
            alive,
            format!("at most {} % may be overdue", t.overdue_actions_percent),
        )
    }

    fn evidence_signal(&self, t: &Thresholds) -> LivenessSignal {
        signal(
            "Evidence older than the period",
            format!(
                "{} of {}",
                self.evidence_older_than_period, self.evidence_records
            ),
            self.evidence_records > 0 && self.evidence_older_than_period == 0,
            format!(
                "latest evidence of each process, objective, review, report, communication and \
                 resource type, against the {}-day period",
                t.period_days
            ),
        )
    }
}
