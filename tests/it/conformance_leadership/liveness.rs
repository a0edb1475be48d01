//! The liveness signs as pages and packs show them: alive within the organization's thresholds.

use charter::domain::conformance::Thresholds;
use charter::domain::conformance::liveness::{CoveragePoint, Liveness, LivenessSignal};

fn operated() -> Liveness {
    Liveness {
        days_since_management_review: Some(45),
        days_since_report_review: Some(90),
        days_since_top_communication: Some(400),
        coverage_trend: vec![
            CoveragePoint {
                month: "2025-12".into(),
                percent: 81.5,
            },
            CoveragePoint {
                month: "2026-11".into(),
                percent: 96.0,
            },
        ],
        overdue_policy_reviews: 0,
        overdue_actions: 1,
        actions_tracked: 10,
        departed_holders: 2,
        evidence_records: 20,
        evidence_older_than_period: 3,
    }
}

fn sign(signals: &[LivenessSignal], label: &str) -> LivenessSignal {
    signals
        .iter()
        .find(|s| s.label == label)
        .cloned()
        .unwrap_or_else(|| panic!("{label} in {signals:?}"))
}

#[test]
fn each_sign_says_its_value_and_whether_it_is_alive() {
    let signals = operated().signals(&Thresholds::default());
    let labels: Vec<&str> = signals.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Last management review",
            "Last performance report sign-off",
            "Last top-management communication",
            "Acknowledgment coverage of the top-level policy",
            "Policies overdue for review",
            "Improvement actions overdue",
            "Roles held by people who left",
            "Evidence older than the period",
        ]
    );
    let review = sign(&signals, "Last management review");
    assert_eq!((review.value.as_str(), review.alive), ("45 days ago", true));
    let told = sign(&signals, "Last top-management communication");
    assert_eq!((told.value.as_str(), told.alive), ("400 days ago", false));
    assert_eq!(told.note, "longer ago than the 365-day limit");
    let coverage = sign(&signals, "Acknowledgment coverage of the top-level policy");
    assert_eq!((coverage.value.as_str(), coverage.alive), ("96.0 %", true));
    assert!(
        coverage
            .note
            .starts_with("rising: 81.5 % at the end of 2025-12")
    );
    let actions = sign(&signals, "Improvement actions overdue");
    assert_eq!((actions.value.as_str(), actions.alive), ("1 of 10", true));
    let left = sign(&signals, "Roles held by people who left");
    assert_eq!((left.value.as_str(), left.alive), ("2", false));
    let old = sign(&signals, "Evidence older than the period");
    assert_eq!((old.value.as_str(), old.alive), ("3 of 20", false));
    assert!(sign(&signals, "Policies overdue for review").alive);
}

#[test]
fn the_signs_turn_at_the_thresholds() {
    let t = Thresholds::default();
    let mut l = operated();
    l.days_since_management_review = Some(365);
    l.days_since_report_review = Some(366);
    l.overdue_actions = 2;
    l.coverage_trend[1].percent = 94.9;
    l.evidence_older_than_period = 0;
    let signals = l.signals(&t);
    assert!(sign(&signals, "Last management review").alive, "365 days");
    assert!(
        !sign(&signals, "Last performance report sign-off").alive,
        "366 days"
    );
    assert!(
        !sign(&signals, "Improvement actions overdue").alive,
        "2 of 10"
    );
    assert!(!sign(&signals, "Acknowledgment coverage of the top-level policy").alive);
    assert!(sign(&signals, "Evidence older than the period").alive);

    let loose = Thresholds {
        reporting_interval_days: 366,
        overdue_actions_percent: 20,
        coverage_percent: 90,
        ..t
    };
    let signals = l.signals(&loose);
    assert!(sign(&signals, "Last performance report sign-off").alive);
    assert!(sign(&signals, "Improvement actions overdue").alive);
    assert!(sign(&signals, "Acknowledgment coverage of the top-level policy").alive);
}

#[test]
fn nothing_done_yet_is_never_alive() {
    let signals = Liveness::default().signals(&Thresholds::default());
    let review = sign(&signals, "Last management review");
    assert_eq!(
        (review.value.as_str(), review.alive, review.note.as_str()),
        ("never", false, "no signed management review yet")
    );
    assert_eq!(
        sign(&signals, "Acknowledgment coverage of the top-level policy").note,
        "no published top-level policy"
    );
    assert!(!sign(&signals, "Evidence older than the period").alive);
    assert!(
        sign(&signals, "Improvement actions overdue").alive,
        "no action, none late"
    );
    let today = Liveness {
        days_since_management_review: Some(0),
        days_since_top_communication: Some(1),
        ..Liveness::default()
    }
    .signals(&Thresholds::default());
    assert_eq!(sign(&today, "Last management review").value, "today");
    assert_eq!(
        sign(&today, "Last top-management communication").value,
        "1 day ago"
    );
}
