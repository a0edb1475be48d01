//! An objective's trend drawn on the server as SVG: the effective values over time as a line,
//! the target as a dashed line across. The page puts the numbers in a table beside it.

use askama::Template;
use time::OffsetDateTime;

use super::with_unit;
use crate::domain::isms_status::TrendPoint;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = WIDTH - 16.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = HEIGHT - 32.0;

/// One measurement as a dot, with its value for those who hover.
pub struct ChartPoint {
    pub x: String,
    pub y: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "objectives/_chart.html", whitespace = "minimize")]
pub struct ObjectiveChart {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    /// `x,y` pairs of the line.
    pub line: String,
    pub points: Vec<ChartPoint>,
    pub target_y: String,
    pub target_label_y: String,
    pub target_label: String,
    pub top_label: String,
    pub bottom_label: String,
    pub first_day: String,
    pub last_day: String,
}

/// What the chart is drawn against.
pub struct Target<'a> {
    pub value: f64,
    /// "at least 90%".
    pub text: &'a str,
    pub unit: &'a str,
}

impl ObjectiveChart {
    /// The series is oldest first and not empty (an objective without measurements has no chart).
    pub fn new(
        id: &'static str,
        title: impl Into<String>,
        series: &[TrendPoint],
        target: &Target,
    ) -> Self {
        let (low, high) = value_range(series, target.value);
        let y = |v: f64| BOTTOM - (BOTTOM - TOP) * fraction(v, low, high);
        let first = series.first().map(|p| p.at);
        let last = series.last().map(|p| p.at);
        let x = |at: OffsetDateTime| match (first, last) {
            (Some(first), Some(last)) if last > first => {
                LEFT + (RIGHT - LEFT)
                    * ((at - first).as_seconds_f64() / (last - first).as_seconds_f64())
            }
            _ => (LEFT + RIGHT) / 2.0,
        };
        let points: Vec<ChartPoint> = series
            .iter()
            .map(|p| ChartPoint {
                x: coordinate(x(p.at)),
                y: coordinate(y(p.value)),
                label: format!("{}: {}", day_text(p.at), with_unit(p.value, target.unit)),
            })
            .collect();
        let line: Vec<String> = points.iter().map(|p| format!("{},{}", p.x, p.y)).collect();
        let latest = series
            .last()
            .map_or_else(String::new, |p| with_unit(p.value, target.unit));
        let target_y = y(target.value);
        Self {
            id,
            title: title.into(),
            description: format!(
                "{} measurement(s) from {} to {}; the latest is {latest}, against a target of {}.",
                series.len(),
                first.map(day_text).unwrap_or_default(),
                last.map(day_text).unwrap_or_default(),
                target.text
            ),
            line: line.join(" "),
            points,
            target_y: coordinate(target_y),
            target_label_y: coordinate(target_y - 6.0),
            target_label: format!("Target: {}", target.text),
            top_label: with_unit(high, target.unit),
            bottom_label: with_unit(low, target.unit),
            first_day: first.map(day_text).unwrap_or_default(),
            last_day: last.map(day_text).unwrap_or_default(),
        }
    }

    pub fn width(&self) -> f64 {
        WIDTH
    }

    pub fn height(&self) -> f64 {
        HEIGHT
    }

    pub fn left(&self) -> f64 {
        LEFT
    }

    pub fn right(&self) -> f64 {
        RIGHT
    }

    pub fn top(&self) -> f64 {
        TOP
    }

    pub fn bottom(&self) -> f64 {
        BOTTOM
    }

    pub fn label_x(&self) -> f64 {
        LEFT - 6.0
    }

    pub fn label_y(&self) -> f64 {
        BOTTOM + 20.0
    }
}

/// The values shown: every value and the target, with a margin; from zero when nothing is
/// negative and zero is near. Always finite with `low < high`, whatever the values (the store
/// bounds them, but a chart never draws NaN).
fn value_range(series: &[TrendPoint], target: f64) -> (f64, f64) {
    let values = series
        .iter()
        .map(|p| p.value)
        .chain(std::iter::once(target))
        .filter(|v| v.is_finite());
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if min > max {
        return (0.0, 1.0);
    }
    let span = if max > min {
        max - min
    } else {
        max.abs().max(1.0)
    };
    // The margin, unless the span itself overflows.
    let margin = if span.is_finite() { span * 0.1 } else { 0.0 };
    let low = if min >= 0.0 && min <= span {
        0.0
    } else {
        finite_or(min - margin, min)
    };
    let high = finite_or(max + margin, max);
    if high > low {
        (low, high)
    } else {
        (low - 1.0, high + 1.0)
    }
}

fn finite_or(value: f64, fallback: f64) -> f64 {
    if value.is_finite() { value } else { fallback }
}

/// Where `value` stands from `low` (0) to `high` (1), computed on halves when the span overflows;
/// the middle when it cannot be told.
fn fraction(value: f64, low: f64, high: f64) -> f64 {
    let at = if (high - low).is_finite() {
        (value - low) / (high - low)
    } else {
        (value / 2.0 - low / 2.0) / (high / 2.0 - low / 2.0)
    };
    if at.is_finite() {
        at.clamp(0.0, 1.0)
    } else {
        0.5
    }
}

/// "12 May 2026".
pub fn day_text(at: OffsetDateTime) -> String {
    at.format(time::macros::format_description!(
        "[day padding:none] [month repr:long] [year]"
    ))
    .unwrap_or_default()
}

/// A coordinate with at most one decimal, so the markup stays short and stable.
fn coordinate(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_line_runs_over_time_and_the_target_is_drawn_across() {
        let series = [
            TrendPoint {
                at: datetime!(2026-01-01 0:00 UTC),
                value: 80.0,
            },
            TrendPoint {
                at: datetime!(2026-03-01 0:00 UTC),
                value: 100.0,
            },
        ];
        let target = Target {
            value: 90.0,
            text: "at least 90%",
            unit: "%",
        };
        let chart = ObjectiveChart::new("trend", "Trained staff <&>", &series, &target);
        assert_eq!(chart.points[0].x, "72");
        assert_eq!(chart.points[1].x, "624");
        assert_eq!(chart.target_y, "116", "halfway between 80 and 100");
        let svg = chart.render().expect("render");
        assert!(svg.contains("<line class=\"target\""), "{svg}");
        assert!(svg.contains("<polyline class=\"trend-line\""), "{svg}");
        assert!(svg.contains("1 March 2026: 100%"), "{svg}");
        assert!(!svg.contains("<&>"), "text is escaped");
    }

    #[test]
    fn one_measurement_stands_in_the_middle() {
        let series = [TrendPoint {
            at: datetime!(2026-01-01 0:00 UTC),
            value: 3.0,
        }];
        let target = Target {
            value: 3.0,
            text: "at most 3 days",
            unit: "days",
        };
        let chart = ObjectiveChart::new("trend", "Days", &series, &target);
        assert_eq!(chart.points[0].x, "348");
        assert_eq!(chart.bottom_label, "0 days");
    }

    #[test]
    fn huge_or_equal_values_still_give_finite_coordinates() {
        let at = |day, value| TrendPoint {
            at: datetime!(2026-01-01 0:00 UTC) + time::Duration::days(day),
            value,
        };
        let cases = [
            (vec![at(0, -1e308), at(30, 1e308)], 0.0),
            (vec![at(0, f64::MAX)], f64::MAX),
            (vec![at(0, 0.0), at(30, 0.0)], 0.0),
            (vec![at(0, 1e12), at(30, 1e12)], 1e12),
        ];
        for (series, target) in cases {
            let chart = ObjectiveChart::new(
                "trend",
                "Values",
                &series,
                &Target {
                    value: target,
                    text: "at most 5",
                    unit: "",
                },
            );
            let svg = chart.render().expect("render");
            assert!(
                !svg.contains("NaN") && !svg.contains("inf"),
                "{series:?}: {svg}"
            );
            for p in &chart.points {
                let y: f64 = p.y.parse().expect("y");
                assert!((TOP..=BOTTOM).contains(&y), "{series:?}: {}", p.y);
            }
            let target_y: f64 = chart.target_y.parse().expect("target");
            assert!((TOP..=BOTTOM).contains(&target_y), "{}", chart.target_y);
        }
    }
}
