//! Process integration (5.1.b): the organization's own processes, how ISMS requirements are built
//! into each, who owns it, the evidence, and when that was last verified. A process never
//! verified, or verified longer ago than its interval, is stale.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::person::iso_date;

/// How often a process is verified unless its owner says otherwise: once a governance cycle.
pub const DEFAULT_VERIFICATION_DAYS: i32 = 365;
/// The longest verification interval (ten years would be no verification at all).
const MAX_VERIFICATION_DAYS: i32 = 1096;

/// The key processes 5.1.b names, seeded by the migration (stable keys; the organization may
/// rename them): `(standard_key, name)`.
pub const STANDARD_PROCESSES: [(&str, &str); 8] = [
    ("strategic_planning", "Strategic planning"),
    ("project_delivery", "Project delivery"),
    ("budgeting", "Budgeting"),
    ("governance", "Governance"),
    ("supplier_management", "Supplier management"),
    ("hr_onboarding_offboarding", "HR on- and offboarding"),
    ("change_management", "Change management"),
    ("performance_review", "Performance review"),
];

/// A process as stored, with whether it is stale today.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Process {
    pub id: Uuid,
    pub name: String,
    /// Set on the seeded key processes (`strategic_planning`, …); `None` for the organization's own.
    pub standard_key: Option<String>,
    /// One of the processes 5.1.b expects ISMS requirements in.
    pub key_process: bool,
    /// How ISMS requirements are built into the process; empty until someone writes it.
    pub integration: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    /// What shows it is done: documents, records, links.
    pub evidence: String,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub last_verified_on: Option<Date>,
    pub last_verified_by: Option<Uuid>,
    pub last_verified_by_name: Option<String>,
    pub verification_interval_days: i32,
    /// The day the next verification is due (none before the first).
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub verification_due_on: Option<Date>,
    /// Never verified, or verified longer ago than its interval.
    pub stale: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// The day a verification on `verified_on` stops covering the process (it is still fresh that day).
pub fn verification_due(verified_on: Date, interval_days: i32) -> Date {
    verified_on + Duration::days(i64::from(interval_days))
}

/// Stale on `today`: never verified, or its interval has run out before today.
pub fn is_stale(last_verified_on: Option<Date>, interval_days: i32, today: Date) -> bool {
    last_verified_on.is_none_or(|on| verification_due(on, interval_days) < today)
}

/// The editable fields of a process.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct ProcessInput {
    pub name: String,
    pub integration: String,
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    pub evidence: String,
    #[serde(default = "default_interval")]
    pub verification_interval_days: i32,
    #[serde(default)]
    pub key_process: bool,
}

fn default_interval() -> i32 {
    DEFAULT_VERIFICATION_DAYS
}

impl ProcessInput {
    pub fn from_process(process: &Process) -> Self {
        Self {
            name: process.name.clone(),
            integration: process.integration.clone(),
            owner_id: process.owner_id,
            evidence: process.evidence.clone(),
            verification_interval_days: process.verification_interval_days,
            key_process: process.key_process,
        }
    }

    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.name = errors.check_name("name", &self.name);
        self.integration = self.integration.trim().to_owned();
        if self.integration.is_empty() {
            errors.add(
                "integration",
                "say how ISMS requirements are built into this process",
            );
        } else if self.integration.chars().count() > 8000 {
            errors.add("integration", "must be at most 8000 characters");
        }
        self.evidence = self.evidence.trim().to_owned();
        if self.evidence.chars().count() > 8000 {
            errors.add("evidence", "must be at most 8000 characters");
        }
        if !(1..=MAX_VERIFICATION_DAYS).contains(&self.verification_interval_days) {
            errors.add(
                "verification_interval_days",
                "must be between 1 and 1096 days (three years)",
            );
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// A verification: the day it was done (today when not given) and, optionally, new evidence
/// that replaces the recorded one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
pub struct VerificationInput {
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub verified_on: Option<Date>,
    #[serde(default)]
    pub evidence: Option<String>,
}

/// How far back a verification may be recorded.
const MAX_VERIFICATION_AGE_DAYS: i64 = 366;

impl VerificationInput {
    /// The day checked against `today`, and the evidence trimmed (`None` keeps the recorded one).
    pub fn validate(self, today: Date) -> Result<(Date, Option<String>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let on = self.verified_on.unwrap_or(today);
        if on > today {
            errors.add("verified_on", "cannot be in the future");
        } else if (today - on).whole_days() > MAX_VERIFICATION_AGE_DAYS {
            errors.add("verified_on", "must be within the last year");
        }
        let evidence = self
            .evidence
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty());
        if evidence.as_ref().is_some_and(|e| e.chars().count() > 8000) {
            errors.add("evidence", "must be at most 8000 characters");
        }
        errors.into_result()?;
        Ok((on, evidence))
    }
}

/// Stale processes first (never verified before those overdue), then by name.
pub fn stale_first(processes: &mut [Process]) {
    processes.sort_by(|a, b| {
        (
            !a.stale,
            a.last_verified_on.is_some(),
            a.name.to_lowercase(),
        )
            .cmp(&(
                !b.stale,
                b.last_verified_on.is_some(),
                b.name.to_lowercase(),
            ))
    });
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_process_is_stale_the_day_after_its_interval_runs_out() {
        let verified = date!(2025 - 03 - 01);
        let due = verification_due(verified, 365);
        assert_eq!(due, date!(2026 - 03 - 01));
        assert!(!is_stale(Some(verified), 365, due));
        assert!(is_stale(Some(verified), 365, date!(2026 - 03 - 02)));
        assert!(is_stale(None, 365, verified));
    }

    #[test]
    fn a_process_says_how_the_isms_is_built_in() {
        let input = ProcessInput {
            name: " Budgeting ".into(),
            integration: " ".into(),
            owner_id: None,
            evidence: String::new(),
            verification_interval_days: 0,
            key_process: true,
        };
        let errors = input.validate().expect_err("refused");
        assert!(errors.get("integration").is_some());
        assert!(errors.get("verification_interval_days").is_some());
    }

    #[test]
    fn a_verification_is_not_dated_in_the_future() {
        let today = date!(2026 - 05 - 01);
        let later = VerificationInput {
            verified_on: Some(date!(2026 - 05 - 02)),
            evidence: None,
        };
        assert!(later.validate(today).is_err());
        let (on, evidence) = VerificationInput::default().validate(today).expect("today");
        assert_eq!((on, evidence), (today, None));
    }
}
