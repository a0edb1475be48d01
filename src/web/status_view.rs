//! The state of the ISMS as pages show it: headline figures with their status colour, then the
//! objectives, overdue work, exceptions, concern counts and role gaps. One view shared by the
//! leadership overview, the management-review pack and the performance report.

use crate::domain::isms_status::{IsmsStatus, ObjectiveLine, ObjectiveStatus};

/// One headline figure: a number, what it counts, its tone, and where to look.
pub struct Headline {
    pub label: &'static str,
    pub value: String,
    /// `green`, `amber`, `red` or `grey`, with `word` saying the same in words.
    pub tone: &'static str,
    pub word: &'static str,
    pub href: &'static str,
}

/// One objective row.
pub struct ObjectiveRow {
    pub href: String,
    pub statement: String,
    pub theme: String,
    pub owner: String,
    pub tone: &'static str,
    pub word: &'static str,
    pub latest: String,
    pub target: String,
    /// `x,y` points of a small line (100 × 24), empty without measurements.
    pub sparkline: String,
}

/// Everything the status partial (`templates/leadership/_status.html`) renders.
pub struct StatusView {
    pub headlines: Vec<Headline>,
    pub objectives: Vec<ObjectiveRow>,
    pub status: IsmsStatus,
}

impl StatusView {
    pub fn new(status: IsmsStatus) -> Self {
        Self {
            headlines: headlines(&status),
            objectives: status.objectives.iter().map(objective_row).collect(),
            status,
        }
    }
}

fn tone(good: bool, bad: bool) -> (&'static str, &'static str) {
    match (good, bad) {
        (true, _) => ("green", "in order"),
        (false, true) => ("red", "needs action"),
        (false, false) => ("amber", "watch"),
    }
}

fn headline(
    label: &'static str,
    value: String,
    href: &'static str,
    t: (&'static str, &'static str),
) -> Headline {
    Headline {
        label,
        value,
        tone: t.0,
        word: t.1,
        href,
    }
}

fn headlines(s: &IsmsStatus) -> Vec<Headline> {
    let count = |status| s.objectives.iter().filter(|o| o.status == status).count();
    let on_track = count(ObjectiveStatus::OnTrack);
    let off = count(ObjectiveStatus::Missed) + count(ObjectiveStatus::NotMeasured);
    let mut lines = vec![headline(
        "objectives on track",
        format!("{on_track} of {}", s.objectives.len()),
        "/leadership/objectives",
        tone(
            !s.objectives.is_empty() && on_track == s.objectives.len(),
            off > 0 || s.objectives.is_empty(),
        ),
    )];
    lines.push(match &s.coverage {
        Some(c) => {
            let percent = percent(c.acknowledged, c.active_people.max(c.asked));
            headline(
                "of staff acknowledged the top-level policy",
                format!("{percent} %"),
                "/campaigns",
                tone(percent >= 95, percent < 80),
            )
        }
        None => headline(
            "top-level policy published",
            "none".into(),
            "/policies",
            ("red", "needs action"),
        ),
    });
    let a = &s.actions;
    lines.push(headline(
        "improvement actions overdue",
        format!("{} of {} open", a.overdue, a.open),
        "/leadership/actions?overdue=true",
        tone(a.overdue == 0, a.tracked > 0 && a.overdue * 10 > a.tracked),
    ));
    lines.push(headline(
        "policies overdue for review",
        s.overdue_reviews.len().to_string(),
        "/policies?overdue=true",
        tone(s.overdue_reviews.is_empty(), !s.overdue_reviews.is_empty()),
    ));
    let c = &s.concerns;
    lines.push(headline(
        "concerns open (past a target)",
        format!("{} ({})", c.open, c.receipt_overdue + c.response_overdue),
        "#status-concerns",
        tone(
            c.receipt_overdue + c.response_overdue == 0,
            c.response_overdue > 0,
        ),
    ));
    let g = &s.role_gaps;
    let gaps = g.vacant_required
        + g.named_duties_unassigned
        + g.activities_without_owner
        + g.departed_holders
        + g.segregation_conflicts_uncovered;
    lines.push(headline(
        "role gaps that break accountability",
        gaps.to_string(),
        "/roles/gaps",
        tone(gaps == 0, gaps > 0),
    ));
    lines
}

/// A whole percentage, 0 when nothing is counted.
pub fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 { 0 } else { part * 100 / whole }
}

fn objective_row(o: &ObjectiveLine) -> ObjectiveRow {
    let (tone, word) = objective_badge(o.status);
    ObjectiveRow {
        href: format!("/leadership/objectives/{}", o.id),
        statement: o.statement.clone(),
        theme: o.theme.clone(),
        owner: o.owner_name.clone().unwrap_or_else(|| "no owner".into()),
        tone,
        word,
        latest: o.latest.as_ref().map_or_else(
            || "none".into(),
            |p| format!("{} {}", figure(p.value), o.unit),
        ),
        target: format!(
            "{} {} {}",
            if o.direction == "at_most" {
                "≤"
            } else {
                "≥"
            },
            figure(o.target),
            o.unit
        ),
        sparkline: sparkline(o),
    }
}

/// The badge of an objective's status, in the one vocabulary of status.
pub fn objective_badge(status: ObjectiveStatus) -> (&'static str, &'static str) {
    match status {
        ObjectiveStatus::OnTrack => ("green", "on track"),
        ObjectiveStatus::AtRisk => ("amber", "at risk"),
        ObjectiveStatus::Missed => ("red", "missed"),
        ObjectiveStatus::NotMeasured => ("grey", "not measured"),
    }
}

/// A number without needless decimals.
pub fn figure(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

fn sparkline(o: &ObjectiveLine) -> String {
    let values: Vec<f64> = o.trend.iter().map(|p| p.value).chain([o.target]).collect();
    let (low, high) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
    let span = (high - low).max(f64::EPSILON);
    let steps = o.trend.len().saturating_sub(1).max(1) as f64;
    o.trend
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = 2.0 + 96.0 * i as f64 / steps;
            let y = 22.0 - 20.0 * (p.value - low) / span;
            format!("{:.1},{:.1}", x, y)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_down_and_survive_an_empty_base() {
        assert_eq!(percent(949, 1000), 94);
        assert_eq!(percent(5, 0), 0);
    }

    #[test]
    fn figures_drop_needless_decimals() {
        assert_eq!(figure(95.0), "95");
        assert_eq!(figure(2.456), "2.46");
    }
}
