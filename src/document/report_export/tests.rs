use time::OffsetDateTime;
use time::macros::{date, datetime};
use uuid::Uuid;

use super::*;
use crate::domain::isms_status::{
    ActionCounts, ConcernCounts, CountLine, ExceptionCounts, PolicyCoverage, RoleGapCounts,
    TrendPoint,
};
use crate::domain::report::PerformanceReport;

fn objective(statement: &str, status: ObjectiveStatus, values: &[f64]) -> ObjectiveLine {
    ObjectiveLine {
        id: Uuid::nil(),
        statement: statement.into(),
        theme: "Resilience".into(),
        owner_name: Some("Olga Owner".into()),
        metric: "patched within 14 days".into(),
        unit: "%".into(),
        direction: "at_least".into(),
        target: 95.0,
        due_on: date!(2030 - 06 - 30),
        status,
        latest: values.last().map(|v| TrendPoint {
            at: datetime!(2025-05-01 0:00 UTC),
            value: *v,
        }),
        trend: values
            .iter()
            .map(|v| TrendPoint {
                at: OffsetDateTime::UNIX_EPOCH,
                value: *v,
            })
            .collect(),
    }
}

pub(crate) fn detail(summary: &str) -> PerformanceReportDetail {
    let snapshot = IsmsStatus {
        as_of: datetime!(2025-06-01 9:30 UTC),
        period_start: date!(2024 - 06 - 01),
        objectives: vec![
            objective(
                "Patch critical systems",
                ObjectiveStatus::OnTrack,
                &[90.0, 96.5],
            ),
            objective("Train every new hire", ObjectiveStatus::NotMeasured, &[]),
        ],
        coverage: Some(PolicyCoverage {
            policy_id: Uuid::nil(),
            policy_title: "Information security policy".into(),
            version: "2.0".into(),
            asked: 200,
            acknowledged: 180,
            overdue: 12,
            active_people: 200,
        }),
        overdue_reviews: Vec::new(),
        actions: ActionCounts {
            open: 7,
            overdue: 3,
            ..ActionCounts::default()
        },
        exceptions: ExceptionCounts::default(),
        concerns: ConcernCounts {
            open: 2,
            by_category: vec![CountLine {
                label: "phishing".into(),
                count: 2,
            }],
            ..ConcernCounts::default()
        },
        role_gaps: RoleGapCounts {
            vacant_required: 1,
            ..RoleGapCounts::default()
        },
        conformance: None,
    };
    PerformanceReportDetail {
        report: PerformanceReport {
            id: Uuid::nil(),
            status: ReportStatus::Submitted,
            period_start: date!(2024 - 06 - 01),
            period_end: date!(2025 - 06 - 01),
            generated_at: datetime!(2025-06-01 9:30 UTC),
            generated_by: Uuid::nil(),
            generated_by_person: Uuid::nil(),
            generated_by_name: "Ina Manager".into(),
            reporter_role: "Information security manager".into(),
            summary: summary.into(),
            content_hash: "ab".repeat(32),
            signed_off_by: None,
            signed_off_by_name: None,
            signed_off_at: None,
            sign_off_comments: None,
        },
        intact: true,
        snapshot,
    }
}

#[test]
fn the_html_names_the_report_and_shows_every_figure() {
    let doc = ReportDocument::new("Example & Co", &detail("All good."));
    let html = report_html(&doc);
    for expected in [
        "Example &#38; Co",
        "2024-06-01 to 2025-06-01",
        "2025-06-01 09:30 UTC",
        "Ina Manager (Information security manager)",
        "not yet reviewed",
        &"ab".repeat(32),
        "1 of 2",
        "90 %",
        "3 of 7 open",
        "Patch critical systems",
        "<svg xmlns",
        "phishing",
        "All good.",
    ] {
        assert!(html.contains(expected), "{expected} missing from {html}");
    }
    assert!(!html.contains("<script"), "no script");
    assert!(
        !html.contains("<link"),
        "standalone: no external stylesheet"
    );
}

#[test]
fn report_text_is_escaped_in_the_html() {
    let doc = ReportDocument::new("Org", &detail("<script>alert(1)</script>"));
    let html = report_html(&doc);
    assert!(!html.contains("<script>alert"), "{html}");
}

#[test]
fn report_text_cannot_become_typst_code() {
    let hostile = "\"); #panic(\"owned\") #read(\"/etc/passwd\") [\\";
    let doc = ReportDocument::new(hostile, &detail(hostile));
    let source = pdf::typst_source(&doc);
    assert!(!source.contains("#panic(\"owned\")"), "{source}");
    assert!(source.contains("\\\"); #panic(\\\"owned\\\")"), "{source}");
    let bytes = report_pdf(&doc).expect("a PDF despite the text");
    assert!(bytes.starts_with(b"%PDF"));
}

#[test]
fn a_signed_report_shows_who_signed_and_the_comments() {
    let mut detail = detail("");
    detail.report.status = ReportStatus::SignedOff;
    detail.report.signed_off_by_name = Some("Bea Board".into());
    detail.report.signed_off_at = Some(datetime!(2025-06-03 14:05 UTC));
    detail.report.sign_off_comments = Some("Fund the training.".into());
    let doc = ReportDocument::new("Org", &detail);
    let html = report_html(&doc);
    assert!(html.contains("Bea Board, 2025-06-03 14:05 UTC"), "{html}");
    assert!(html.contains("Fund the training."), "{html}");
    assert!(!html.contains("not yet reviewed"), "{html}");
}

#[test]
fn a_changed_snapshot_is_flagged() {
    let mut detail = detail("");
    detail.intact = false;
    let html = report_html(&ReportDocument::new("Org", &detail));
    assert!(html.contains("no longer matches"), "{html}");
}
