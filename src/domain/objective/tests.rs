//! The status rule at its boundaries, the effective series, and what an input must hold.

use time::macros::{date, datetime};

use super::*;

const TODAY: Date = date!(2026 - 06 - 30);

fn point(on: Date, value: f64) -> TrendPoint {
    TrendPoint {
        at: on.midnight().assume_utc(),
        value,
    }
}

fn status(latest: Option<TrendPoint>, direction: Direction, due_on: Date) -> ObjectiveStatus {
    objective_status(latest.as_ref(), direction, 90.0, due_on, 30, TODAY)
}

#[test]
fn nothing_measured_within_the_interval_is_not_measured() {
    let due = date!(2026 - 12 - 31);
    assert_eq!(
        status(None, Direction::AtLeast, due),
        ObjectiveStatus::NotMeasured
    );
    let edge = Some(point(date!(2026 - 05 - 31), 95.0));
    assert_eq!(
        status(edge, Direction::AtLeast, due),
        ObjectiveStatus::OnTrack,
        "exactly 30 days ago still counts"
    );
    let stale = Some(point(date!(2026 - 05 - 30), 95.0));
    assert_eq!(
        status(stale, Direction::AtLeast, due),
        ObjectiveStatus::NotMeasured
    );
}

#[test]
fn the_target_itself_is_on_track_in_either_direction() {
    let due = date!(2026 - 12 - 31);
    let on = |value| Some(point(TODAY, value));
    assert_eq!(
        status(on(90.0), Direction::AtLeast, due),
        ObjectiveStatus::OnTrack
    );
    assert_eq!(
        status(on(89.9), Direction::AtLeast, due),
        ObjectiveStatus::AtRisk
    );
    assert_eq!(
        status(on(90.0), Direction::AtMost, due),
        ObjectiveStatus::OnTrack
    );
    assert_eq!(
        status(on(90.1), Direction::AtMost, due),
        ObjectiveStatus::AtRisk
    );
}

#[test]
fn a_miss_is_at_risk_until_the_due_date_has_passed() {
    let latest = || Some(point(TODAY, 50.0));
    assert_eq!(
        status(latest(), Direction::AtLeast, TODAY),
        ObjectiveStatus::AtRisk,
        "due today: still in time"
    );
    assert_eq!(
        status(latest(), Direction::AtLeast, date!(2026 - 06 - 29)),
        ObjectiveStatus::Missed
    );
    assert_eq!(
        status(
            Some(point(TODAY, 95.0)),
            Direction::AtLeast,
            date!(2026 - 01 - 01)
        ),
        ObjectiveStatus::OnTrack,
        "met after the due date is on track"
    );
}

fn measurement(value: f64, at: OffsetDateTime, corrects: Option<Uuid>) -> Measurement {
    Measurement {
        id: Uuid::now_v7(),
        objective_id: Uuid::nil(),
        value,
        measured_at: at,
        source: "count".into(),
        recorded_by: Uuid::nil(),
        recorded_by_name: "Ina".into(),
        recorded_at: at,
        corrects_id: corrects,
        corrected_by: None,
    }
}

#[test]
fn a_correction_replaces_what_it_corrects_even_in_a_chain() {
    let may = datetime!(2026-05-12 09:00 UTC);
    let june = datetime!(2026-06-12 09:00 UTC);
    let first = measurement(78.0, may, None);
    let fix = measurement(87.0, may, Some(first.id));
    let fix_again = measurement(88.0, may, Some(fix.id));
    let later = measurement(91.0, june, None);
    let all = [later.clone(), first, fix, fix_again];
    let series = effective_series(&all);
    assert_eq!(
        series,
        vec![
            TrendPoint {
                at: may,
                value: 88.0
            },
            TrendPoint {
                at: june,
                value: 91.0
            }
        ]
    );
}

#[test]
fn an_objective_needs_a_theme_a_metric_and_a_sensible_interval() {
    let input = ObjectiveInput {
        statement: " ".into(),
        metric: String::new(),
        unit: String::new(),
        target: f64::NAN,
        direction: Direction::AtLeast,
        owner_id: Uuid::nil(),
        due_on: TODAY,
        measurement_interval_days: 0,
        theme: "  ".into(),
        policy_id: None,
    };
    let errors = input.validate().expect_err("refused");
    for field in [
        "statement",
        "metric",
        "unit",
        "target",
        "measurement_interval_days",
        "theme",
    ] {
        assert!(errors.get(field).is_some(), "{field}");
    }
}

#[test]
fn a_measurement_has_a_source_and_is_not_in_the_future() {
    let now = datetime!(2026-06-30 12:00 UTC);
    let input = MeasurementInput {
        value: 1.0,
        measured_at: Some(now + Duration::hours(1)),
        source: " ".into(),
        corrects_id: None,
    };
    let errors = input.validate(now).expect_err("refused");
    assert!(errors.get("source").is_some());
    assert!(errors.get("measured_at").is_some());
}

#[test]
fn targets_and_values_are_bounded_so_charts_stay_finite() {
    let now = datetime!(2026-06-30 12:00 UTC);
    let value = |value| MeasurementInput {
        value,
        measured_at: None,
        source: "count".into(),
        corrects_id: None,
    };
    for refused in [1e308, -1e308, MAX_MAGNITUDE * 1.5, f64::INFINITY] {
        let errors = value(refused).validate(now).expect_err("refused");
        assert!(errors.get("value").is_some(), "{refused}");
    }
    for kept in [MAX_MAGNITUDE, -MAX_MAGNITUDE, 0.0] {
        value(kept).validate(now).expect("kept");
    }
    let objective = |target| ObjectiveInput {
        statement: "Patch quickly".into(),
        metric: "Days to patch".into(),
        unit: "days".into(),
        target,
        direction: Direction::AtMost,
        owner_id: Uuid::nil(),
        due_on: TODAY,
        measurement_interval_days: 30,
        theme: "Resilience".into(),
        policy_id: None,
    };
    let errors = objective(-1e308).validate().expect_err("refused");
    assert!(errors.get("target").is_some());
    objective(-MAX_MAGNITUDE).validate().expect("kept");
}

#[test]
fn the_line_keeps_the_last_twelve_points() {
    let series: Vec<TrendPoint> = (0..15)
        .map(|i| point(date!(2025 - 01 - 01) + Duration::days(30 * i), i as f64))
        .collect();
    let mut objective = Objective {
        id: Uuid::nil(),
        statement: "Train staff".into(),
        metric: "Trained".into(),
        unit: "%".into(),
        target: 10.0,
        direction: Direction::AtLeast,
        owner_id: Uuid::nil(),
        owner_name: "Olga".into(),
        due_on: TODAY,
        measurement_interval_days: 30,
        theme: "Trust".into(),
        policy_id: None,
        policy_title: None,
        active: true,
        retired_at: None,
        status: ObjectiveStatus::NotMeasured,
        latest: None,
        created_at: datetime!(2025-01-01 0:00 UTC),
        updated_at: datetime!(2025-01-01 0:00 UTC),
    };
    objective.apply_series(&series, date!(2026 - 03 - 01));
    let line = objective.line(&series);
    assert_eq!(line.trend.len(), TREND_POINTS);
    assert_eq!(line.trend[0].value, 3.0);
    assert_eq!(line.latest.map(|p| p.value), Some(14.0));
    assert_eq!(line.status, ObjectiveStatus::OnTrack);
}
