//! Briefings (5.1.h, A.5.4): line managers telling their staff what information security asks of
//! them, recorded per unit, so each unit's last briefing shows and units without one stand out.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::person::iso_date;

/// Someone named as briefed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BriefedPerson {
    pub id: Uuid,
    pub name: String,
}

/// A briefing as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Briefing {
    pub id: Uuid,
    /// The line manager who gave it.
    pub manager_id: Uuid,
    pub manager_name: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub briefed_on: Date,
    pub topic: String,
    /// How many staff were briefed.
    pub staff_count: i32,
    /// The people briefed, when the manager named them (at most `staff_count`).
    pub attendees: Vec<BriefedPerson>,
    pub notes: String,
    /// Who recorded it (the manager, or an ISMS manager for them).
    pub recorded_by: Uuid,
    pub recorded_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

/// What a briefing is recorded with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct BriefingInput {
    /// The manager who gave it; the caller when not given (an ISMS manager may name another).
    #[serde(default)]
    pub manager_id: Option<Uuid>,
    pub unit_id: Uuid,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub briefed_on: Date,
    pub topic: String,
    pub staff_count: i32,
    #[serde(default)]
    pub attendee_ids: Vec<Uuid>,
    #[serde(default)]
    pub notes: String,
}

/// How far back a briefing may be recorded.
const MAX_AGE_DAYS: i64 = 2 * 366;
/// The most people one briefing names.
const MAX_NAMED: usize = 500;
/// The most staff one briefing reaches.
const MAX_STAFF: i32 = 100_000;

impl BriefingInput {
    pub fn validate(mut self, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.topic = self.topic.trim().to_owned();
        if self.topic.is_empty() {
            errors.add("topic", "is required");
        } else if self.topic.chars().count() > 300 {
            errors.add("topic", "must be at most 300 characters");
        }
        if self.briefed_on > today {
            errors.add(
                "briefed_on",
                "cannot be in the future: record a briefing once given",
            );
        } else if (today - self.briefed_on).whole_days() > MAX_AGE_DAYS {
            errors.add("briefed_on", "must be within the last two years");
        }
        if !(1..=MAX_STAFF).contains(&self.staff_count) {
            errors.add("staff_count", "must be at least 1");
        }
        self.attendee_ids.sort();
        self.attendee_ids.dedup();
        if self.attendee_ids.len() > MAX_NAMED {
            errors.add(
                "attendee_ids",
                "names at most 500 people: for a larger briefing give only the number",
            );
        } else if i32::try_from(self.attendee_ids.len()).unwrap_or(i32::MAX) > self.staff_count {
            errors.add(
                "attendee_ids",
                "names more people than the number of staff briefed",
            );
        }
        self.notes = self.notes.trim().to_owned();
        if self.notes.chars().count() > 4000 {
            errors.add("notes", "must be at most 4000 characters");
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// Narrows the list of briefings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BriefingFilter {
    pub unit_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
}

/// One unit and its briefings: when the last one was, and how many in the period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnitBriefings {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub head_id: Option<Uuid>,
    pub head_name: Option<String>,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub last_briefed_on: Option<Date>,
    /// Briefings on or after the start of the period asked for.
    pub in_period: i64,
}

/// The first day of the twelve months that end on `today` (the governance cycle by default).
pub fn twelve_months_before(today: Date) -> Date {
    let year = today.year() - 1;
    let day = today
        .day()
        .min(time::util::days_in_month(today.month(), year));
    Date::from_calendar_date(year, today.month(), day)
        .ok()
        .and_then(Date::next_day)
        .unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn input(today: Date) -> BriefingInput {
        BriefingInput {
            manager_id: None,
            unit_id: Uuid::now_v7(),
            briefed_on: today,
            topic: "Phishing and how to report it".into(),
            staff_count: 2,
            attendee_ids: vec![Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()],
            notes: String::new(),
        }
    }

    #[test]
    fn a_briefing_is_given_before_it_is_recorded_and_names_no_more_than_it_reached() {
        let today = date!(2026 - 05 - 01);
        let errors = input(today).validate(today).expect_err("refused");
        assert!(errors.get("attendee_ids").is_some());
        let later = BriefingInput {
            briefed_on: date!(2026 - 05 - 02),
            attendee_ids: Vec::new(),
            ..input(today)
        };
        assert!(
            later
                .validate(today)
                .expect_err("refused")
                .get("briefed_on")
                .is_some()
        );
    }

    #[test]
    fn the_period_is_the_twelve_months_ending_today() {
        assert_eq!(
            twelve_months_before(date!(2026 - 05 - 01)),
            date!(2025 - 05 - 02)
        );
        assert_eq!(
            twelve_months_before(date!(2028 - 02 - 29)),
            date!(2027 - 03 - 01)
        );
    }
}
