//! The end of an account's access on the admin pages: its badge, its column, the date field and
//! the hint that suggests an end for an auditor's engagement.

use time::{Date, Duration};

use crate::domain::account::{AUDITOR_MAX_ACCESS_DAYS, Account};
use crate::web::forms::{format_date, parse_optional_date};
use crate::web::moment::{Moment, day};
use crate::web::views::Badge;

/// How long an audit engagement usually lasts, for the example in the hint.
const TYPICAL_AUDIT_DAYS: i64 = 30;

/// Disabled accounts are grey, accounts whose access ended grey with their own word, accounts
/// still waiting for a password amber, the others green.
pub fn access_status(account: &Account, today: Date) -> Badge {
    if !account.is_active() {
        Badge::new("grey", "Disabled")
    } else if account.access_ended(today) {
        Badge::new("grey", "Expired")
    } else if !account.has_password {
        Badge::new("amber", "No password yet")
    } else {
        Badge::new("green", "Active")
    }
}

/// The last day of access as a list cell or detail shows it.
pub struct AccessEnd {
    /// "No end", "Ends", or "Ended".
    pub word: &'static str,
    pub on: Option<Moment>,
}

pub fn access_end(account: &Account, today: Date) -> AccessEnd {
    match account.expires_on {
        None => AccessEnd {
            word: "No end",
            on: None,
        },
        Some(last) => AccessEnd {
            word: if last < today { "Ended" } else { "Ends" },
            on: Some(day(last, today)),
        },
    }
}

/// The date field's value for an account (empty: no end).
pub fn expiry_value(account: &Account) -> String {
    account.expires_on.map(format_date).unwrap_or_default()
}

/// The end of access typed in a form: empty is none, otherwise a `YYYY-MM-DD` date.
pub fn parse_expiry(raw: &str) -> Result<Option<Date>, &'static str> {
    parse_optional_date(raw).map_err(|()| "must be a date written as YYYY-MM-DD")
}

/// The hint under the date field, with an auditor's default engagement as the example.
pub fn expiry_hint(today: Date) -> String {
    let typical = today
        .checked_add(Duration::days(TYPICAL_AUDIT_DAYS))
        .unwrap_or(today);
    let latest = today
        .checked_add(Duration::days(AUDITOR_MAX_ACCESS_DAYS))
        .unwrap_or(today);
    format!(
        "Optional: the last day the account may sign in (UTC); empty for no end. From the next \
         day its sessions and API tokens stop working. For an auditor, the last day of the audit \
         engagement, at most {AUDITOR_MAX_ACCESS_DAYS} days ahead (on or before {}): a \
         {TYPICAL_AUDIT_DAYS}-day engagement starting today ends on {}.",
        format_date(latest),
        format_date(typical)
    )
}
