//! Tests of management reviews: the date a review may have.

use super::checks::{check_held_on, years_from};
use super::*;
use time::macros::date;

#[test]
fn a_review_is_dated_within_two_years_of_today() {
    let today = date!(2026 - 02 - 28);
    let mut errors = FieldErrors::new();
    for ok in [date!(2024 - 02 - 28), today, date!(2028 - 02 - 28)] {
        check_held_on(ok, today, &mut errors);
    }
    assert!(errors.is_empty(), "{errors:?}");
    for far in [date!(2024 - 02 - 27), date!(2028 - 02 - 29), Date::MAX] {
        let mut errors = FieldErrors::new();
        check_held_on(far, today, &mut errors);
        assert!(errors.get("held_on").is_some(), "{far}");
    }
    assert_eq!(years_from(date!(2028 - 02 - 29), -2), date!(2026 - 02 - 28));
}
