//! The state of the ISMS as pages show it: headline figures with their status colour, then the
//! objectives, overdue work, exceptions, concern counts and role gaps. One view shared by the
//! leadership overview, the management-review pack and the performance report.

use crate::document::report_export::figure_cells;
use crate::domain::isms_status::{IsmsStatus, ObjectiveLine, ObjectiveStatus};

/// One headline figure: a number, what it counts, its tone, and where to look.
pub struct Headline {
    pub label: String,
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

/// The report's headline figures (`document::report_export::figure_cells`, so a page and a
/// report never disagree), each linked to where its records are.
fn headlines(status: &IsmsStatus) -> Vec<Headline> {
    figure_cells(status)
        .into_iter()
        .map(|cell| Headline {
            href: figure_href(&cell.label),
            label: cell.label,
            value: cell.value,
            tone: cell.tone,
            word: cell.word,
        })
        .collect()
}

fn figure_href(label: &str) -> &'static str {
    match label.split_whitespace().next().unwrap_or_default() {
        "objectives" => "/leadership/objectives",
        "improvement" => "/leadership/actions?overdue=true",
        "policies" => "/policies?overdue=true",
        "confidential" => "#status-concerns",
        "role" => "/roles/gaps",
        "top-level" => "/policies",
        _ => "/campaigns",
    }
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
    fn figures_drop_needless_decimals() {
        assert_eq!(figure(95.0), "95");
        assert_eq!(figure(2.456), "2.46");
    }
}
