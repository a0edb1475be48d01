//! Tests of the concern rules: what a report and a message may hold, the moves, the settings.

use super::*;

#[test]
fn a_concern_needs_a_description_and_bounds_its_text() {
    let input = |description: &str, contact: Option<&str>| ConcernInput {
        category: ConcernCategory::Other,
        description: description.into(),
        contact: contact.map(str::to_owned),
    };
    assert!(input("  ", None).validate().is_err());
    let ok = input(" laptops unlocked ", Some("  "))
        .validate()
        .expect("valid");
    assert_eq!(ok.description, "laptops unlocked");
    assert_eq!(ok.contact, None, "an empty contact is no contact");
    let long = "x".repeat(MAX_DESCRIPTION + 1);
    assert!(input(&long, None).validate().is_err());
    let contact = "c".repeat(MAX_CONTACT + 1);
    assert!(input("a", Some(&contact)).validate().is_err());
}

#[test]
fn control_characters_are_refused_but_line_breaks_and_tabs_kept() {
    let input = |description: &str, contact: Option<&str>| ConcernInput {
        category: ConcernCategory::Other,
        description: description.into(),
        contact: contact.map(str::to_owned),
    };
    let refused = input("a\u{0}b", None).validate().expect_err("NUL");
    assert!(refused.get("description").is_some(), "{refused:?}");
    let refused = input("ok", Some("x\u{1b}[2J")).validate().expect_err("ESC");
    assert!(refused.get("contact").is_some(), "{refused:?}");
    assert!(input("line one\r\n\tline two", None).validate().is_ok());
    assert!(check_message("message", "hi\u{0}").is_err());
    assert!(check_message("message", "hi\u{7f}").is_err());
    assert_eq!(
        check_message("message", "a\nb\tc").expect("kept"),
        "a\nb\tc"
    );
}

#[test]
fn handlers_move_concerns_forward_or_reopen_them() {
    use ConcernStatus::*;
    assert!(Received.may_become(Acknowledged));
    assert!(Received.may_become(Closed));
    assert!(Acknowledged.may_become(InProgress));
    assert!(!InProgress.may_become(Acknowledged));
    assert!(!Acknowledged.may_become(Acknowledged));
    assert!(Closed.may_become(InProgress));
    assert!(!Closed.may_become(Received));
    assert_eq!(Closed.action_to(InProgress), "concern.reopened");
    assert_eq!(Received.action_to(Closed), "concern.closed");
}

#[test]
fn settings_keep_the_response_after_the_receipt() {
    let settings = |receipt_days, response_days| ConcernSettingsInput {
        channel_enabled: true,
        receipt_days,
        response_days,
        reports_per_minute: 30,
        replies_per_minute: 30,
    };
    assert!(settings(2, 7).validate().is_ok());
    assert!(settings(7, 2).validate().is_err());
    assert!(settings(0, 7).validate().is_err());
    assert!(settings(2, 91).validate().is_err());
}
