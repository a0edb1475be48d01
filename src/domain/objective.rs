//! Information security objectives (5.1.a, 5.1.e): a measurable target with an owner, a due date,
//! a measurement interval and a strategic theme; append-only measurements where a correction names
//! the entry it corrects; and the status rule, computed from the effective series when read.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::isms_status::{ObjectiveLine, ObjectiveStatus, TrendPoint};
use super::person::iso_date;

/// How many effective measurements a trend shows.
pub const TREND_POINTS: usize = 12;
/// The longest measurement interval, in days.
pub const MAX_INTERVAL_DAYS: i64 = 366;
/// The largest size of a target or a value, either sign: far beyond any measure, and small
/// enough that charts and reports compute spans and positions without overflowing.
pub const MAX_MAGNITUDE: f64 = 1e12;

/// Which side of the target is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The value must reach the target or exceed it.
    AtLeast,
    /// The value must stay at the target or below it.
    AtMost,
}

text_enum!(Direction, "direction", AtLeast => "at_least", AtMost => "at_most");

impl Direction {
    /// Whether `value` meets `target` in this direction (the target itself meets it).
    pub fn meets(self, value: f64, target: f64) -> bool {
        match self {
            Direction::AtLeast => value >= target,
            Direction::AtMost => value <= target,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::AtLeast => "at least",
            Direction::AtMost => "at most",
        }
    }
}

/// An objective as stored, with its status and latest effective value on the day it was read.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Objective {
    pub id: Uuid,
    pub statement: String,
    /// What is measured ("Staff who completed security training").
    pub metric: String,
    /// The unit of the values ("%", "days", "incidents").
    pub unit: String,
    pub target: f64,
    pub direction: Direction,
    pub owner_id: Uuid,
    pub owner_name: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    /// A measurement is due at least this often, in days.
    pub measurement_interval_days: i64,
    /// The strategic theme of the organization the objective serves (5.1.a).
    pub theme: String,
    pub policy_id: Option<Uuid>,
    pub policy_title: Option<String>,
    /// Not retired: retired objectives keep their history but leave the lists of active ones.
    pub active: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub retired_at: Option<OffsetDateTime>,
    /// Computed when read, from the effective measurements.
    pub status: ObjectiveStatus,
    /// The latest effective measurement.
    pub latest: Option<TrendPoint>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl Objective {
    /// Sets the latest value and the status on `today` from the effective series (oldest first).
    pub fn apply_series(&mut self, series: &[TrendPoint], today: Date) {
        self.latest = series.last().cloned();
        self.status = objective_status(
            self.latest.as_ref(),
            self.direction,
            self.target,
            self.due_on,
            self.measurement_interval_days,
            today,
        );
    }

    /// The objective as a review pack or a report shows it, with the last points of its trend.
    pub fn line(&self, series: &[TrendPoint]) -> ObjectiveLine {
        let from = series.len().saturating_sub(TREND_POINTS);
        ObjectiveLine {
            id: self.id,
            statement: self.statement.clone(),
            theme: self.theme.clone(),
            owner_name: Some(self.owner_name.clone()),
            metric: self.metric.clone(),
            unit: self.unit.clone(),
            direction: self.direction.as_str().to_owned(),
            target: self.target,
            due_on: self.due_on,
            status: self.status,
            latest: self.latest.clone(),
            trend: series[from..].to_vec(),
        }
    }
}

/// The status rule: `not_measured` without an effective measurement in the last
/// `interval_days` days (a measurement exactly `interval_days` ago still counts); otherwise
/// `on_track` when the latest value meets the target; otherwise `missed` once the due date has
/// passed (the due date itself is still in time), else `at_risk`.
pub fn objective_status(
    latest: Option<&TrendPoint>,
    direction: Direction,
    target: f64,
    due_on: Date,
    interval_days: i64,
    today: Date,
) -> ObjectiveStatus {
    let window_start = today - Duration::days(interval_days);
    match latest {
        None => ObjectiveStatus::NotMeasured,
        Some(point) if point.at.date() < window_start => ObjectiveStatus::NotMeasured,
        Some(point) if direction.meets(point.value, target) => ObjectiveStatus::OnTrack,
        Some(_) if today > due_on => ObjectiveStatus::Missed,
        Some(_) => ObjectiveStatus::AtRisk,
    }
}

/// What an objective is created or edited with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct ObjectiveInput {
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub metric: String,
    #[serde(default)]
    pub unit: String,
    pub target: f64,
    pub direction: Direction,
    /// The person accountable for the objective, who records its measurements.
    pub owner_id: Uuid,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    /// Days between measurements (1 to 366; 30 for monthly, 90 for quarterly).
    pub measurement_interval_days: i64,
    /// The strategic theme it serves (required, 5.1.a).
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub policy_id: Option<Uuid>,
}

impl ObjectiveInput {
    pub fn from_objective(objective: &Objective) -> Self {
        Self {
            statement: objective.statement.clone(),
            metric: objective.metric.clone(),
            unit: objective.unit.clone(),
            target: objective.target,
            direction: objective.direction,
            owner_id: objective.owner_id,
            due_on: objective.due_on,
            measurement_interval_days: objective.measurement_interval_days,
            theme: objective.theme.clone(),
            policy_id: objective.policy_id,
        }
    }

    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.statement = self.statement.trim().to_owned();
        if self.statement.is_empty() || self.statement.chars().count() > 1000 {
            errors.add(
                "statement",
                "say what the objective is (at most 1000 characters)",
            );
        }
        self.metric = errors.check_name("metric", &self.metric);
        self.unit = self.unit.trim().to_owned();
        if self.unit.is_empty() {
            errors.add("unit", "is required (for instance %, days or incidents)");
        } else if self.unit.chars().count() > 40 {
            errors.add("unit", "must be at most 40 characters");
        }
        check_magnitude(&mut errors, "target", self.target);
        if !(1..=MAX_INTERVAL_DAYS).contains(&self.measurement_interval_days) {
            errors.add(
                "measurement_interval_days",
                format!("must be between 1 and {MAX_INTERVAL_DAYS} days"),
            );
        }
        self.theme = self.theme.trim().to_owned();
        if self.theme.is_empty() {
            errors.add(
                "theme",
                "is required: name the strategic theme the objective serves",
            );
        } else if self.theme.chars().count() > 200 {
            errors.add("theme", "must be at most 200 characters");
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// Refuses a number that is not finite or whose size exceeds `MAX_MAGNITUDE`.
fn check_magnitude(errors: &mut FieldErrors, field: &str, number: f64) {
    if !number.is_finite() {
        errors.add(field, "must be a number");
    } else if number.abs() > MAX_MAGNITUDE {
        errors.add(
            field,
            "must be between -1000000000000 and 1000000000000 (a trillion either way)",
        );
    }
}

/// Which objectives to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectiveFilter {
    /// The exact theme (ignoring case).
    pub theme: Option<String>,
    pub status: Option<ObjectiveStatus>,
    pub owner_id: Option<Uuid>,
    /// Retired objectives too (by default only active ones).
    pub include_retired: bool,
}

/// One recorded value. Measurements are never changed or removed: a correction is a new
/// measurement that names the one it corrects.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Measurement {
    pub id: Uuid,
    pub objective_id: Uuid,
    pub value: f64,
    /// When the value was measured (a correction stands at the time of what it corrects).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub measured_at: OffsetDateTime,
    /// Where the value comes from (a report, a tool, a count).
    pub source: String,
    /// The account that recorded it.
    pub recorded_by: Uuid,
    pub recorded_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
    /// The measurement this one corrects.
    pub corrects_id: Option<Uuid>,
    /// The measurement that corrects this one (it no longer counts).
    pub corrected_by: Option<Uuid>,
}

/// What a measurement is recorded with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct MeasurementInput {
    pub value: f64,
    /// When it was measured (default: now; for a correction, the time of what it corrects).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub measured_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub source: String,
    /// The measurement of the same objective this one corrects.
    #[serde(default)]
    pub corrects_id: Option<Uuid>,
}

impl MeasurementInput {
    pub fn validate(mut self, now: OffsetDateTime) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        check_magnitude(&mut errors, "value", self.value);
        self.source = self.source.trim().to_owned();
        if self.source.is_empty() || self.source.chars().count() > 500 {
            errors.add(
                "source",
                "say where the value comes from (at most 500 characters)",
            );
        }
        // A few minutes of grace for clocks that disagree.
        if self
            .measured_at
            .is_some_and(|at| at > now + Duration::minutes(5))
        {
            errors.add("measured_at", "is in the future");
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// The effective series, oldest first: every measurement that no other corrects (a correction
/// replaces what it corrects, and may itself be corrected).
pub fn effective_series(measurements: &[Measurement]) -> Vec<TrendPoint> {
    let corrected: HashSet<Uuid> = measurements.iter().filter_map(|m| m.corrects_id).collect();
    let mut kept: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| !corrected.contains(&m.id))
        .collect();
    kept.sort_by_key(|m| (m.measured_at, m.recorded_at));
    kept.iter()
        .map(|m| TrendPoint {
            at: m.measured_at,
            value: m.value,
        })
        .collect()
}

#[cfg(test)]
mod tests;
