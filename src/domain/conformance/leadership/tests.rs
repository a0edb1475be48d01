use time::macros::date;

use super::*;

fn all_in_order() -> LeadershipFigures {
    LeadershipFigures {
        today: date!(2026 - 11 - 30),
        active_objectives: 5,
        objectives_unmeasured: 0,
        last_report_signed_off: Some(date!(2026 - 09 - 01)),
        last_review_with_decisions: Some(date!(2026 - 08 - 01)),
        actions_tracked: 10,
        actions_overdue: 1,
        reporter_held: true,
        last_report_by_reporter: Some(true),
        channel_enabled: true,
        handler_held: true,
        concerns_response_overdue: 0,
    }
}

#[test]
fn a_report_signed_off_a_year_ago_to_the_day_still_counts_a_day_more_does_not() {
    let t = Thresholds::default();
    let mut f = all_in_order();
    f.last_report_signed_off = Some(f.today - Duration::days(365));
    assert_eq!(performance_reviewed(&f, &t).verdict, Verdict::Conforming);
    f.last_report_signed_off = Some(f.today - Duration::days(366));
    assert_eq!(performance_reviewed(&f, &t).verdict, Verdict::Partial);
    f.objectives_unmeasured = 1;
    let result = performance_reviewed(&f, &t);
    assert_eq!(result.verdict, Verdict::Nonconforming);
    assert!(
        result.finding.contains("1 objective(s) not measured"),
        "{}",
        result.finding
    );
}

#[test]
fn overdue_actions_at_the_threshold_conform_and_just_above_do_not() {
    let t = Thresholds::default();
    let mut f = all_in_order();
    assert_eq!(
        continual_improvement(&f, &t).verdict,
        Verdict::Conforming,
        "1 of 10 is 10 %"
    );
    f.actions_tracked = 9;
    assert_eq!(
        continual_improvement(&f, &t).verdict,
        Verdict::Partial,
        "1 of 9 is 11 %"
    );
    f.last_review_with_decisions = Some(f.today - Duration::days(366));
    assert_eq!(
        continual_improvement(&f, &t).verdict,
        Verdict::Nonconforming
    );
    f.actions_tracked = 0;
    f.actions_overdue = 0;
    f.last_review_with_decisions = Some(f.today);
    assert_eq!(
        continual_improvement(&f, &t).verdict,
        Verdict::Conforming,
        "nothing tracked, nothing late"
    );
}

#[test]
fn the_reporter_conforms_only_by_submitting_the_last_report() {
    let mut f = all_in_order();
    assert_eq!(performance_reporting(&f).verdict, Verdict::Conforming);
    f.last_report_by_reporter = Some(false);
    assert_eq!(performance_reporting(&f).verdict, Verdict::Partial);
    f.reporter_held = false;
    assert_eq!(performance_reporting(&f).verdict, Verdict::Nonconforming);
}

#[test]
fn the_channel_needs_a_handler_and_answers_in_time() {
    let mut f = all_in_order();
    assert_eq!(reporting_channel(&f).verdict, Verdict::Conforming);
    f.concerns_response_overdue = 1;
    assert_eq!(reporting_channel(&f).verdict, Verdict::Partial);
    f.handler_held = false;
    assert_eq!(reporting_channel(&f).verdict, Verdict::Nonconforming);
}
