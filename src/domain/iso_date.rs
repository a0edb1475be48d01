//! Calendar dates as `YYYY-MM-DD` in JSON, with four-digit years from 1 to 9999: a date outside
//! them cannot be a governance record's, and PostgreSQL's DATE stops at 4713 BC where SQLite
//! would keep anything. Rules on plausible dates (not in the future, within two years) are each
//! record's own, so they can name the field.

use serde::{Deserializer, Serializer, de::Error as _};
use time::Date;

time::serde::format_description!(text, Date, "[year]-[month]-[day]");

/// The first and last years a date may have.
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// The date when its year is within [`YEARS`], else why not.
pub fn within_range(date: Date) -> Result<Date, String> {
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(format!(
            "{date} is not a plausible date (use a year from {} to {})",
            YEARS.start(),
            YEARS.end()
        ))
    }
}

pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    text::serialize(date, serializer)
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    within_range(text::deserialize(deserializer)?).map_err(D::Error::custom)
}

/// An optional date, `null` when absent.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        text::option::serialize(date, serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Date>, D::Error> {
        text::option::deserialize(deserializer)?
            .map(within_range)
            .transpose()
            .map_err(D::Error::custom)
    }
}
