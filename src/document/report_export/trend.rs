//! An objective's trend as a small SVG line chart: the effective measurements, oldest first, and
//! the target as a dashed line. Built from numbers only (no text inside), so the same markup goes
//! into the HTML export as is and into the PDF as an image.

use crate::domain::isms_status::ObjectiveLine;

const WIDTH: f64 = 240.0;
const HEIGHT: f64 = 64.0;
const PAD: f64 = 6.0;

/// The chart's SVG document, or none without measurements.
pub(crate) fn trend_svg(objective: &ObjectiveLine) -> Option<String> {
    let values: Vec<f64> = objective
        .trend
        .iter()
        .map(|p| p.value)
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        return None;
    }
    let target = objective.target;
    let (low, high) = values
        .iter()
        .chain(std::iter::once(&target).filter(|t| t.is_finite()))
        .fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
    let span = if high - low > f64::EPSILON {
        high - low
    } else {
        1.0
    };
    let y = |v: f64| HEIGHT - PAD - (HEIGHT - 2.0 * PAD) * (v - low) / span;
    let steps = values.len().saturating_sub(1).max(1) as f64;
    let x = |i: usize| PAD + (WIDTH - 2.0 * PAD) * i as f64 / steps;
    let points: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (x(i), y(*v)))
        .collect();
    let line: Vec<String> = points
        .iter()
        .map(|(px, py)| format!("{px:.1},{py:.1}"))
        .collect();
    let dots: String = points
        .iter()
        .map(|(px, py)| format!(r##"<circle cx="{px:.1}" cy="{py:.1}" r="2.5" fill="#0b4f9c"/>"##))
        .collect();
    let target_line = if target.is_finite() {
        let ty = y(target);
        format!(
            r##"<line x1="{PAD}" y1="{ty:.1}" x2="{end}" y2="{ty:.1}" stroke="#777777" stroke-width="1" stroke-dasharray="4 3"/>"##,
            end = WIDTH - PAD
        )
    } else {
        String::new()
    };
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"><rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff" stroke="#dddddd"/>{target_line}<polyline points="{points}" fill="none" stroke="#0b4f9c" stroke-width="2" stroke-linejoin="round"/>{dots}</svg>"##,
        points = line.join(" ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::isms_status::{ObjectiveStatus, TrendPoint};
    use time::OffsetDateTime;

    fn objective(values: &[f64]) -> ObjectiveLine {
        ObjectiveLine {
            id: uuid::Uuid::nil(),
            statement: "Patch within 14 days".into(),
            theme: "Resilience".into(),
            owner_name: None,
            metric: "share".into(),
            unit: "%".into(),
            direction: "at_least".into(),
            target: 95.0,
            due_on: time::macros::date!(2030 - 01 - 01),
            status: ObjectiveStatus::AtRisk,
            latest: None,
            trend: values
                .iter()
                .map(|v| TrendPoint {
                    at: OffsetDateTime::UNIX_EPOCH,
                    value: *v,
                })
                .collect(),
        }
    }

    #[test]
    fn no_measurement_no_chart() {
        assert!(trend_svg(&objective(&[])).is_none());
    }

    #[test]
    fn one_point_per_measurement_and_a_target_line() {
        let svg = trend_svg(&objective(&[80.0, 90.0, 97.0])).expect("chart");
        assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
        assert!(svg.contains("stroke-dasharray"), "{svg}");
        assert!(svg.starts_with("<svg xmlns"), "{svg}");
    }
}
