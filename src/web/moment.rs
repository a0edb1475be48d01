//! Dates as people read them ("3 months ago", "in 12 days"), with the exact UTC time on hover.

use time::{Date, OffsetDateTime, UtcOffset};

/// A point in time ready for `<time datetime="{iso}" title="{exact}">{relative}</time>`.
#[derive(Debug, Clone)]
pub struct Moment {
    pub relative: String,
    pub exact: String,
    pub iso: String,
}

/// `at` described relative to `now`.
pub fn moment(at: OffsetDateTime, now: OffsetDateTime) -> Moment {
    let at = at.to_offset(UtcOffset::UTC);
    let exact_format =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    let iso_format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    Moment {
        relative: relative((at - now).whole_seconds()),
        exact: at.format(exact_format).unwrap_or_default(),
        iso: at.format(iso_format).unwrap_or_default(),
    }
}

/// A calendar date described relative to `today`, in whole days.
pub fn day(date: Date, today: Date) -> Moment {
    let days = (date - today).whole_days();
    let relative = match days {
        0 => "today".to_owned(),
        -1 => "yesterday".to_owned(),
        1 => "tomorrow".to_owned(),
        _ => relative(days * 86_400),
    };
    let text = super::forms::format_date(date);
    Moment {
        relative,
        exact: text.clone(),
        iso: text,
    }
}

/// "just now", "5 minutes ago", "in 12 days", "3 months ago", "2 years ago".
pub fn relative(seconds: i64) -> String {
    const MINUTE: i64 = 60;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    let span = seconds.abs();
    let (count, unit) = match span {
        s if s < 45 => return "just now".to_owned(),
        s if s < 45 * MINUTE => (round(s, MINUTE), "minute"),
        s if s < 22 * HOUR => (round(s, HOUR), "hour"),
        s if s < 26 * DAY => (round(s, DAY), "day"),
        s if s < 320 * DAY => (round(s, 30 * DAY), "month"),
        s => (round(s, 365 * DAY), "year"),
    };
    let plural = if count == 1 { "" } else { "s" };
    if seconds < 0 {
        format!("{count} {unit}{plural} ago")
    } else {
        format!("in {count} {unit}{plural}")
    }
}

fn round(span: i64, unit: i64) -> i64 {
    ((span + unit / 2) / unit).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn past_and_future_read_naturally() {
        assert_eq!(relative(-10), "just now");
        assert_eq!(relative(-5 * 60), "5 minutes ago");
        assert_eq!(relative(12 * 86_400), "in 12 days");
        assert_eq!(relative(-90 * 86_400), "3 months ago");
        assert_eq!(relative(-800 * 86_400), "2 years ago");
    }

    #[test]
    fn the_exact_time_is_utc() {
        let m = moment(
            datetime!(2026-03-01 10:00 UTC),
            datetime!(2026-03-01 12:00 UTC),
        );
        assert_eq!(m.relative, "2 hours ago");
        assert_eq!(m.exact, "2026-03-01 10:00:00 UTC");
        assert_eq!(
            day(date!(2026 - 03 - 01), date!(2026 - 03 - 02)).relative,
            "yesterday"
        );
    }
}
