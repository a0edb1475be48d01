//! The emails a performance report sends: to top management when it is submitted, to its
//! generator when it is signed off. Both carry the headline figures and the content hash.

use uuid::Uuid;

use super::{PerformanceReport, ReportFigures};
use crate::domain::mail::{MailKind, NewMail};

impl ReportFigures {
    /// The headline figures as sentences, for emails and plain text.
    pub fn lines(&self) -> Vec<String> {
        let coverage = self.coverage_percent.map_or_else(
            || "no top-level policy is published".to_owned(),
            |p| format!("{p} % of active staff acknowledged the top-level policy"),
        );
        vec![
            format!(
                "Objectives: {} on track, {} at risk, {} missed, {} not measured (of {}).",
                self.on_track, self.at_risk, self.missed, self.not_measured, self.objectives
            ),
            format!("Policy acknowledgment: {coverage}."),
            format!(
                "Improvement actions: {} overdue of {} open.",
                self.overdue_actions, self.open_actions
            ),
            format!("Policies overdue for review: {}.", self.overdue_reviews),
            format!("Confidential concerns open: {}.", self.open_concerns),
            format!("Role gaps that break accountability: {}.", self.role_gaps),
        ]
    }
}

/// Tells one member of top management that a report awaits their review.
pub fn submitted_notice(
    report: &PerformanceReport,
    figures: &ReportFigures,
    person_id: Uuid,
    name: &str,
    email: &str,
) -> NewMail {
    let summary = if report.summary.is_empty() {
        String::new()
    } else {
        format!("The reporter's summary:\n{}\n\n", report.summary)
    };
    let body = format!(
        "Hello {name},\n\n\
         {by} ({role}) generated the performance report of the ISMS for {start} to {end} and \
         submitted it to top management for review.\n\n\
         {figures}\n\n\
         {summary}\
         Please read it and sign it off with your comments in Charter (you will be asked to sign in):\n\
         /reports/{id}\n\n\
         The report is frozen as generated; its SHA-256 is {hash}.\n\n\
         This notice was sent by Charter for your information security management system.\n",
        by = report.generated_by_name,
        role = report.reporter_role,
        start = report.period_start,
        end = report.period_end,
        figures = figures.lines().join("\n"),
        id = report.id,
        hash = report.content_hash,
    );
    NewMail {
        kind: MailKind::Notice,
        dedupe_key: format!("performance-report-submitted:{}:{person_id}", report.id),
        to_person_id: Some(person_id),
        to_address: email.to_owned(),
        subject: format!(
            "Performance report to review: {} to {}",
            report.period_start, report.period_end
        ),
        body,
        campaign_id: None,
        communication_id: None,
    }
}

/// Tells the generator that top management signed their report off, with the comments.
pub fn signed_off_notice(report: &PerformanceReport, email: &str) -> NewMail {
    let body = format!(
        "Hello {name},\n\n\
         {signer} signed off the performance report for {start} to {end} with these comments:\n\n\
         {comments}\n\n\
         The report: /reports/{id}\n\n\
         This notice was sent by Charter for your information security management system.\n",
        name = report.generated_by_name,
        signer = report
            .signed_off_by_name
            .as_deref()
            .unwrap_or("Top management"),
        start = report.period_start,
        end = report.period_end,
        comments = report.sign_off_comments.as_deref().unwrap_or_default(),
        id = report.id,
    );
    NewMail {
        kind: MailKind::Notice,
        dedupe_key: format!("performance-report-signed-off:{}", report.id),
        to_person_id: Some(report.generated_by_person),
        to_address: email.to_owned(),
        subject: format!(
            "Performance report signed off: {} to {}",
            report.period_start, report.period_end
        ),
        body,
        campaign_id: None,
        communication_id: None,
    }
}
