//! Tests of improvement actions: overdue, evidence to close, a reason to cancel, decisions.

use super::*;
use time::macros::date;

#[test]
fn an_action_is_overdue_from_the_day_after_its_due_date() {
    let due = date!(2026 - 05 - 01);
    assert!(!is_overdue(ActionStatus::Open, due, due));
    assert!(is_overdue(
        ActionStatus::InProgress,
        due,
        date!(2026 - 05 - 02)
    ));
    assert!(!is_overdue(ActionStatus::Done, due, date!(2026 - 06 - 01)));
}

#[test]
fn done_needs_evidence() {
    let done = ActionProgress {
        status: Some(ActionStatus::Done),
        evidence: None,
    };
    let refused = done
        .apply(ActionStatus::InProgress, "  ")
        .expect_err("no evidence");
    assert!(refused.get("evidence").is_some());
    let (status, evidence) = done
        .apply(ActionStatus::InProgress, "Backups tested: ticket OPS-12")
        .expect("evidence already recorded");
    assert_eq!(status, ActionStatus::Done);
    assert_eq!(evidence, "Backups tested: ticket OPS-12");
}

#[test]
fn cancelling_needs_a_reason_written_with_it() {
    let cancel = |evidence: Option<&str>| ActionProgress {
        status: Some(ActionStatus::Cancelled),
        evidence: evidence.map(str::to_owned),
    };
    for refused in [None, Some(" "), Some("Vendor contacted ")] {
        let errors = cancel(refused)
            .apply(ActionStatus::InProgress, "Vendor contacted")
            .expect_err("no new reason");
        assert!(errors.get("evidence").is_some(), "{refused:?}");
    }
    let (status, evidence) = cancel(Some("Superseded by the new backup contract"))
        .apply(ActionStatus::Open, "")
        .expect("a reason");
    assert_eq!(status, ActionStatus::Cancelled);
    assert_eq!(evidence, "Superseded by the new backup contract");
}

#[test]
fn only_review_actions_name_a_decision() {
    let fields = NewActionFields {
        title: "Test the restore".into(),
        description: String::new(),
        owner_id: Uuid::now_v7(),
        due_on: date!(2026 - 05 - 01),
    };
    let input = |source, decision_id| ImprovementActionInput {
        fields: fields.clone(),
        source,
        decision_id,
    };
    assert!(
        input(ActionSource::ManagementReview, None)
            .validate()
            .is_err()
    );
    assert!(
        input(ActionSource::Incident, Some(Uuid::now_v7()))
            .validate()
            .is_err()
    );
    assert!(input(ActionSource::Incident, None).validate().is_ok());
}
