//! What the conformance pages share: verdicts in the one vocabulary of status (each badge with its
//! word), the catalog's sections, results with their figures and evidence links, summaries of
//! assessments, liveness signs and the marks of a trend.

use time::OffsetDateTime;

use super::super::moment::{Moment, moment};
use super::super::views::{Badge, Link};
use crate::domain::assessment::{
    AssessmentSummary, Trigger, VerdictCounts, VerdictPoint, group_of,
};
use crate::domain::conformance::{
    CATALOG, Evaluation, Figure, Liveness, RequirementResult, Thresholds, Verdict,
};

/// Conforming green, partial amber, nonconforming red, not applicable or not assessed grey.
pub fn verdict_badge(verdict: Option<Verdict>) -> Badge {
    match verdict {
        Some(Verdict::Conforming) => Badge::new("green", "conforming"),
        Some(Verdict::Partial) => Badge::new("amber", "partial"),
        Some(Verdict::Nonconforming) => Badge::new("red", "nonconforming"),
        Some(Verdict::NotApplicable) => Badge::new("grey", "not applicable"),
        None => Badge::new("grey", "not assessed"),
    }
}

/// How an assessment was started, in words.
pub fn trigger_word(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::Manual => "run on demand",
        Trigger::Schedule => "daily schedule",
        Trigger::Cli => "command line",
    }
}

/// The page of one requirement (its trend and latest result).
pub fn requirement_href(id: &str) -> String {
    format!("/conformance/requirements/{id}")
}

/// An HTML id for a requirement: `req-5-1-a`.
pub fn anchor(id: &str) -> String {
    format!("req-{}", id.replace('.', "-").to_ascii_lowercase())
}

/// One requirement's result as shown.
pub struct ResultView {
    pub id: String,
    pub anchor: String,
    pub shows: &'static str,
    pub badge: Badge,
    pub finding: String,
    pub figures: Vec<Figure>,
    pub evidence: Vec<Link>,
    pub href: String,
}

pub fn result_view(result: &RequirementResult) -> ResultView {
    ResultView {
        id: result.id.clone(),
        anchor: anchor(&result.id),
        shows: CATALOG
            .iter()
            .find(|r| r.id == result.id)
            .map_or("", |r| r.shows),
        badge: verdict_badge(Some(result.verdict)),
        finding: result.finding.clone(),
        figures: result.figures.clone(),
        evidence: result
            .evidence
            .iter()
            .map(|e| Link::new(e.href(), e.label.clone()))
            .collect(),
        href: requirement_href(&result.id),
    }
}

/// One section of the catalog with its results.
pub struct GroupView {
    pub anchor: &'static str,
    pub title: &'static str,
    pub results: Vec<ResultView>,
}

/// The sections of the catalog, in order.
pub const GROUPS: [(&str, &str, &str); 4] = [
    ("5.1", "group-5-1", "5.1 Leadership and commitment"),
    ("5.2", "group-5-2", "5.2 Policy"),
    (
        "5.3",
        "group-5-3",
        "5.3 Roles, responsibilities and authorities",
    ),
    ("A", "group-annex-a", "Annex A: related controls"),
];

/// The results of an evaluation grouped by section of the catalog.
pub fn groups(evaluation: &Evaluation) -> Vec<GroupView> {
    GROUPS
        .iter()
        .map(|&(group, anchor, title)| GroupView {
            anchor,
            title,
            results: evaluation
                .results
                .iter()
                .filter(|r| group_of(&r.id) == group)
                .map(result_view)
                .collect(),
        })
        .collect()
}

/// A count of one verdict.
pub struct CountCell {
    pub badge: Badge,
    pub count: i64,
}

pub fn count_cells(counts: &VerdictCounts) -> Vec<CountCell> {
    [
        (Verdict::Conforming, counts.conforming),
        (Verdict::Partial, counts.partial),
        (Verdict::Nonconforming, counts.nonconforming),
        (Verdict::NotApplicable, counts.not_applicable),
    ]
    .into_iter()
    .map(|(verdict, count)| CountCell {
        badge: verdict_badge(Some(verdict)),
        count,
    })
    .collect()
}

/// An assessment in a list or a heading.
pub struct SummaryView {
    pub href: String,
    pub created: Moment,
    pub trigger: &'static str,
    /// The account that ran it (none for the schedule and the command line).
    pub run_by: Option<String>,
    pub hash: String,
    pub hash_short: String,
    pub counts: Vec<CountCell>,
}

pub fn summary_view(summary: &AssessmentSummary, now: OffsetDateTime) -> SummaryView {
    SummaryView {
        href: format!("/conformance/assessments/{}", summary.id),
        created: moment(summary.created_at, now),
        trigger: trigger_word(summary.trigger),
        run_by: summary.run_by.map(|_| summary.run_by_label.clone()),
        hash: summary.content_sha256.clone(),
        hash_short: summary.content_sha256.chars().take(12).collect(),
        counts: count_cells(&summary.counts),
    }
}

/// A liveness sign: "Last management review: 45 days ago", alive or not.
pub struct SignalView {
    pub label: String,
    pub value: String,
    pub note: String,
    pub badge: Badge,
}

pub fn signal_views(liveness: &Liveness, thresholds: &Thresholds) -> Vec<SignalView> {
    liveness
        .signals(thresholds)
        .into_iter()
        .map(|s| SignalView {
            badge: if s.alive {
                Badge::new("green", "alive")
            } else {
                Badge::new("red", "not alive")
            },
            label: s.label,
            value: s.value,
            note: s.note,
        })
        .collect()
}

/// One assessment's verdict of a requirement, as a mark in a row: a symbol, its word for screen
/// readers and on hover, and a link to the assessment.
pub struct Mark {
    pub tone: &'static str,
    pub symbol: &'static str,
    pub title: String,
    pub href: String,
}

pub fn mark(point: &VerdictPoint, requirement_id: &str) -> Mark {
    let badge = verdict_badge(point.verdict);
    let symbol = match point.verdict {
        Some(Verdict::Conforming) => "✓",
        Some(Verdict::Partial) => "◐",
        Some(Verdict::Nonconforming) => "✗",
        Some(Verdict::NotApplicable) => "–",
        None => "?",
    };
    Mark {
        tone: badge.tone,
        symbol,
        title: format!("{}: {}", point.assessed_at.date(), badge.word),
        href: format!(
            "/conformance/assessments/{}#{}",
            point.assessment_id,
            anchor(requirement_id)
        ),
    }
}
