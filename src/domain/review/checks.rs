//! The checks of a review's fields: its date near today, its attendees and its minutes.

use time::Date;
use uuid::Uuid;

use super::{MAX_ATTENDEES, MAX_MINUTES};
use crate::domain::FieldErrors;

/// How far from today a review may be dated, in years, either way.
const HELD_WITHIN_YEARS: i32 = 2;

/// The same day `years` later (earlier when negative); 29 February becomes the 28th.
pub(super) fn years_from(day: Date, years: i32) -> Date {
    let year = day.year() + years;
    day.replace_year(year)
        .or_else(|_| Date::from_calendar_date(year, day.month(), 28))
        .unwrap_or(day)
}

/// Refuses a date further than two years from `today`, either way.
pub(super) fn check_held_on(held_on: Date, today: Date, errors: &mut FieldErrors) {
    let (earliest, latest) = (
        years_from(today, -HELD_WITHIN_YEARS),
        years_from(today, HELD_WITHIN_YEARS),
    );
    if held_on < earliest || held_on > latest {
        errors.add(
            "held_on",
            format!("must be within two years of today: between {earliest} and {latest}"),
        );
    }
}

pub(super) fn check_attendees(ids: &mut Vec<Uuid>, errors: &mut FieldErrors) {
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    if ids.len() > MAX_ATTENDEES {
        errors.add(
            "attendee_ids",
            format!("must list at most {MAX_ATTENDEES} people"),
        );
    }
}

pub(super) fn check_minutes(minutes: &mut String, errors: &mut FieldErrors) {
    *minutes = minutes.trim().to_owned();
    if minutes.chars().count() > MAX_MINUTES {
        errors.add(
            "minutes",
            format!("must be at most {MAX_MINUTES} characters"),
        );
    }
}
