//! Coverage charts drawn on the server as SVG: bars by unit and the trend of acknowledgments.
//! Geometry is computed here; the templates write it out, so askama escapes every text. Each
//! chart has a fixed viewBox, a `<title>` and a `<desc>`, and its page puts the numbers in a
//! table beside it for screen readers.

use askama::Template;

use crate::domain::campaign::{CoverageCounts, TrendPoint, UnitCoverage};

/// The width every chart is drawn at; it scales to its container.
const WIDTH: f64 = 640.0;
/// Where the bars of the bar chart start and how wide they may grow.
const BAR_LEFT: f64 = 220.0;
const BAR_WIDTH: f64 = 340.0;
const ROW_HEIGHT: u32 = 28;
const BAR_HEIGHT: u32 = 18;
/// Unit names longer than this are cut in the chart (the table beside it has them whole).
const LABEL_CHARS: usize = 30;

/// How a share of acknowledgments reads: conforming, partial, or lagging behind.
pub fn tone(percent: i64) -> &'static str {
    match percent {
        p if p >= 80 => "good",
        p if p >= 50 => "partial",
        _ => "lagging",
    }
}

/// One unit's bar.
pub struct BarRow {
    pub label: String,
    pub name: String,
    pub summary: String,
    pub tone: &'static str,
    pub percent: i64,
    pub y: u32,
    pub text_y: u32,
    pub width: String,
}

/// Acknowledged share by unit, one horizontal bar per unit with people, in tree order.
#[derive(Template)]
#[template(path = "campaigns/_bar_chart.html", whitespace = "minimize")]
pub struct BarChart {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub height: u32,
    pub rows: Vec<BarRow>,
}

impl BarChart {
    pub fn new(id: &'static str, title: impl Into<String>, units: &[UnitCoverage]) -> Self {
        let rows: Vec<BarRow> = units
            .iter()
            .zip(0u32..)
            .map(|(u, i)| bar_row(u, i))
            .collect();
        let lagging = units
            .iter()
            .filter(|u| tone(u.counts.percent()) == "lagging")
            .count();
        Self {
            id,
            title: title.into(),
            description: format!(
                "Acknowledged share for {} unit(s), each counting its sub-units; {lagging} below half.",
                units.len()
            ),
            height: (rows.len() as u32).max(1) * ROW_HEIGHT,
            rows,
        }
    }

    pub fn bar_left(&self) -> f64 {
        BAR_LEFT
    }

    pub fn bar_width(&self) -> f64 {
        BAR_WIDTH
    }

    pub fn value_x(&self) -> f64 {
        BAR_LEFT + BAR_WIDTH + 8.0
    }

    pub fn width(&self) -> f64 {
        WIDTH
    }
}

fn bar_row(unit: &UnitCoverage, index: u32) -> BarRow {
    let percent = unit.counts.percent();
    let indent = "\u{00a0}\u{00a0}".repeat(unit.depth.min(6));
    let name: String = if unit.unit_name.chars().count() > LABEL_CHARS {
        let cut: String = unit.unit_name.chars().take(LABEL_CHARS - 1).collect();
        format!("{cut}\u{2026}")
    } else {
        unit.unit_name.clone()
    };
    let y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2;
    BarRow {
        label: format!("{indent}{name}"),
        name: unit.unit_name.clone(),
        summary: summary(&unit.counts),
        tone: tone(percent),
        percent,
        y,
        text_y: y + BAR_HEIGHT - 4,
        width: number(BAR_WIDTH * percent.clamp(0, 100) as f64 / 100.0),
    }
}

/// "31 of 50 acknowledged, 12 pending, 7 overdue".
pub fn summary(counts: &CoverageCounts) -> String {
    format!(
        "{} of {} acknowledged, {} pending, {} overdue",
        counts.acknowledged, counts.total, counts.pending, counts.overdue
    )
}

/// The three parts of a coverage bar in a list row, as widths out of 100.
pub struct MiniBar {
    pub acknowledged: String,
    pub pending_x: String,
    pub pending: String,
    pub overdue_x: String,
    pub overdue: String,
    pub percent: i64,
    pub tone: &'static str,
    pub summary: String,
    /// Nobody is asked (in the caller's scope): no share to show.
    pub nobody: bool,
}

impl MiniBar {
    pub fn new(counts: &CoverageCounts) -> Self {
        let share = |n: i64| {
            if counts.total == 0 {
                0.0
            } else {
                100.0 * n as f64 / counts.total as f64
            }
        };
        let (acknowledged, pending) = (share(counts.acknowledged), share(counts.pending));
        Self {
            acknowledged: number(acknowledged),
            pending_x: number(acknowledged),
            pending: number(pending),
            overdue_x: number(acknowledged + pending),
            overdue: number(share(counts.overdue)),
            percent: counts.percent(),
            tone: tone(counts.percent()),
            summary: summary(counts),
            nobody: counts.total == 0,
        }
    }
}

/// Drawing area of the trend chart inside its viewBox.
const TREND_HEIGHT: f64 = 220.0;
const PLOT_LEFT: f64 = 48.0;
const PLOT_RIGHT: f64 = WIDTH - 16.0;
const PLOT_TOP: f64 = 16.0;
const PLOT_BOTTOM: f64 = TREND_HEIGHT - 32.0;

/// Cumulative acknowledgments by day, against the number of people asked.
#[derive(Template)]
#[template(path = "campaigns/_trend_chart.html", whitespace = "minimize")]
pub struct TrendChart {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    /// `x,y` pairs of the line.
    pub points: String,
    /// The line closed down to the axis, for the shaded area.
    pub area: String,
    /// Where the line ends: today's count, marked with a dot.
    pub end_x: String,
    pub end_y: String,
    pub first_day: String,
    pub last_day: String,
    pub total: i64,
}

impl TrendChart {
    /// The line starts at nobody on the morning of the first day; each point is the count by
    /// the end of its day, so even a campaign launched today draws a line.
    pub fn new(
        id: &'static str,
        title: impl Into<String>,
        points: &[TrendPoint],
        total: i64,
    ) -> Self {
        let reached = points.last().map_or(0, |p| p.acknowledged);
        let top = total.max(reached).max(1) as f64;
        let days = points.len().max(1) as f64;
        let origin = (PLOT_LEFT, PLOT_BOTTOM);
        let xy: Vec<(f64, f64)> = std::iter::once(origin)
            .chain(points.iter().zip(1u32..).map(|(p, i)| {
                let x = PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * f64::from(i) / days;
                let y = PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * p.acknowledged as f64 / top;
                (x, y)
            }))
            .collect();
        let pair = |(x, y): (f64, f64)| format!("{},{}", number(x), number(y));
        let line: Vec<String> = xy.iter().copied().map(pair).collect();
        let end = xy.last().copied().unwrap_or(origin);
        let day = |p: Option<&TrendPoint>| p.map(|p| p.on.to_string()).unwrap_or_default();
        Self {
            id,
            title: title.into(),
            description: format!(
                "Acknowledgments so far by day over {} day(s): {reached} of {total} people.",
                points.len()
            ),
            area: format!("{} {}", line.join(" "), pair((end.0, PLOT_BOTTOM))),
            points: line.join(" "),
            end_x: number(end.0),
            end_y: number(end.1),
            first_day: day(points.first()),
            last_day: day(points.last()),
            total,
        }
    }

    pub fn width(&self) -> f64 {
        WIDTH
    }

    pub fn height(&self) -> f64 {
        TREND_HEIGHT
    }

    pub fn left(&self) -> f64 {
        PLOT_LEFT
    }

    pub fn right(&self) -> f64 {
        PLOT_RIGHT
    }

    pub fn top(&self) -> f64 {
        PLOT_TOP
    }

    pub fn bottom(&self) -> f64 {
        PLOT_BOTTOM
    }

    pub fn label_y(&self) -> f64 {
        PLOT_BOTTOM + 20.0
    }
}

/// A coordinate with at most one decimal, so the markup stays short and stable.
fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;
    use uuid::Uuid;

    use super::*;

    fn unit(name: &str, acknowledged: i64, total: i64) -> UnitCoverage {
        UnitCoverage {
            unit_id: Uuid::now_v7(),
            unit_name: name.into(),
            depth: 0,
            counts: CoverageCounts {
                total,
                acknowledged,
                pending: total - acknowledged,
                overdue: 0,
            },
        }
    }

    #[test]
    fn one_bar_per_unit_and_lagging_units_stand_out() {
        let chart = BarChart::new(
            "units",
            "Coverage by unit",
            &[unit("Sales", 9, 10), unit("Ops <&> \"Field\"", 2, 10)],
        );
        let svg = chart.render().expect("render");
        assert_eq!(svg.matches("<rect class=\"bar ").count(), 2, "{svg}");
        assert!(svg.contains("class=\"bar lagging\""));
        assert!(
            svg.contains("Ops &#60;&#38;&#62; &#34;Field&#34;")
                || svg.contains("Ops &lt;&amp;&gt;"),
            "{svg}"
        );
        assert!(!svg.contains("<&>"), "text is escaped");
        assert!(svg.contains("viewBox=\"0 0 640 56\""), "{svg}");
        assert!(svg.contains("<title id=\"units-title\">Coverage by unit</title>"));
    }

    #[test]
    fn the_trend_line_rises_with_acknowledgments() {
        let points = [
            TrendPoint {
                on: date!(2026 - 11 - 01),
                acknowledged: 0,
            },
            TrendPoint {
                on: date!(2026 - 11 - 02),
                acknowledged: 5,
            },
            TrendPoint {
                on: date!(2026 - 11 - 03),
                acknowledged: 10,
            },
        ];
        let chart = TrendChart::new("trend", "Trend", &points, 10);
        assert_eq!(chart.points, "48,188 240,188 432,102 624,16");
        assert!(chart.description.contains("10 of 10"));
        let svg = chart.render().expect("render");
        assert!(svg.contains("<polyline class=\"trend-line\""), "{svg}");
    }

    #[test]
    fn the_mini_bar_splits_the_hundred() {
        let bar = MiniBar::new(&CoverageCounts {
            total: 8,
            acknowledged: 4,
            pending: 2,
            overdue: 2,
        });
        assert_eq!(
            (
                bar.acknowledged.as_str(),
                bar.pending_x.as_str(),
                bar.overdue_x.as_str()
            ),
            ("50", "50", "75")
        );
        assert_eq!(bar.tone, "partial");
    }
}
