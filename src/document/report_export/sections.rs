//! The sections of a report after the objectives, each as sentences and tables of plain text, so
//! the HTML and the PDF writer lay out the same content.

use crate::domain::isms_status::{CountLine, IsmsStatus};

/// A table: a caption, its column headings, and rows of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub caption: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// One section: an anchor, a heading, sentences, then tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: &'static str,
    pub title: &'static str,
    pub paragraphs: Vec<String>,
    pub tables: Vec<Table>,
}

fn table(caption: &str, headers: Vec<&'static str>, rows: Vec<Vec<String>>) -> Table {
    Table {
        caption: caption.to_owned(),
        headers,
        rows,
    }
}

fn counts(caption: &str, heading: &'static str, lines: &[CountLine]) -> Table {
    let rows = lines
        .iter()
        .map(|l| vec![l.label.replace('_', " "), l.count.to_string()])
        .collect();
    table(caption, vec![heading, "Count"], rows)
}

fn labelled(caption: &str, rows: &[(&str, i64)]) -> Table {
    let rows = rows
        .iter()
        .map(|(label, n)| vec![(*label).to_owned(), n.to_string()])
        .collect();
    table(caption, vec!["What", "Count"], rows)
}

/// Coverage, overdue work, exceptions, concerns (counts only), role gaps and conformance.
pub(crate) fn sections(s: &IsmsStatus) -> Vec<Section> {
    vec![
        coverage(s),
        actions(s),
        reviews(s),
        exceptions(s),
        concerns(s),
        role_gaps(s),
        conformance(s),
    ]
}

fn coverage(s: &IsmsStatus) -> Section {
    let paragraph = match &s.coverage {
        Some(c) => format!(
            "{}, version {}: {} acknowledged of {} asked ({} overdue); {} active people.",
            c.policy_title, c.version, c.acknowledged, c.asked, c.overdue, c.active_people
        ),
        None => "No top-level policy was published.".to_owned(),
    };
    Section {
        id: "coverage",
        title: "Acknowledgment of the top-level policy",
        paragraphs: vec![paragraph],
        tables: Vec::new(),
    }
}

fn actions(s: &IsmsStatus) -> Section {
    let a = &s.actions;
    let mut tables = Vec::new();
    if !a.overdue_actions.is_empty() {
        let rows = a
            .overdue_actions
            .iter()
            .map(|line| {
                vec![
                    line.title.clone(),
                    line.owner_name.clone().unwrap_or_else(|| "no owner".into()),
                    line.due_on.to_string(),
                    line.status.replace('_', " "),
                ]
            })
            .collect();
        let caption = format!(
            "Overdue improvement actions (first {})",
            a.overdue_actions.len()
        );
        tables.push(table(
            &caption,
            vec!["Action", "Owner", "Due", "Status"],
            rows,
        ));
    }
    Section {
        id: "actions",
        title: "Improvement actions",
        paragraphs: vec![format!(
            "{} open, {} past their due date, {} done in the period ({} tracked).",
            a.open, a.overdue, a.done_in_period, a.tracked
        )],
        tables,
    }
}

fn reviews(s: &IsmsStatus) -> Section {
    let (paragraphs, tables) = if s.overdue_reviews.is_empty() {
        (
            vec!["No policy was overdue for review.".to_owned()],
            Vec::new(),
        )
    } else {
        let rows = s
            .overdue_reviews
            .iter()
            .map(|r| vec![r.policy_title.clone(), r.review_due.to_string()])
            .collect();
        let overdue = table(
            "Policies overdue for review",
            vec!["Policy", "Review due"],
            rows,
        );
        (Vec::new(), vec![overdue])
    };
    Section {
        id: "reviews",
        title: "Policies overdue for review",
        paragraphs,
        tables,
    }
}

fn exceptions(s: &IsmsStatus) -> Section {
    let e = &s.exceptions;
    Section {
        id: "exceptions",
        title: "Exceptions",
        paragraphs: Vec::new(),
        tables: vec![labelled(
            "Policy and segregation-of-duties exceptions",
            &[
                ("Policy exceptions in force", e.policy_active),
                ("… expiring within 30 days", e.policy_expiring_soon),
                ("Policy exceptions awaiting a decision", e.policy_requested),
                ("Segregation-of-duties exceptions in force", e.sod_active),
            ],
        )],
    }
}

fn concerns(s: &IsmsStatus) -> Section {
    let c = &s.concerns;
    let mut tables = Vec::new();
    if !c.by_category.is_empty() {
        tables.push(counts("Concerns by category", "Category", &c.by_category));
    }
    if !c.by_status.is_empty() {
        tables.push(counts("Concerns by status", "Status", &c.by_status));
    }
    Section {
        id: "concerns",
        title: "Confidential concerns (counts only, up to the day before the report)",
        paragraphs: vec![format!(
            "{} received in the period; {} open, {} past the receipt target, {} past the response target.",
            c.received_in_period, c.open, c.receipt_overdue, c.response_overdue
        )],
        tables,
    }
}

fn role_gaps(s: &IsmsStatus) -> Section {
    let g = &s.role_gaps;
    Section {
        id: "role-gaps",
        title: "Role gaps",
        paragraphs: Vec::new(),
        tables: vec![labelled(
            "Gaps in roles, responsibilities and authorities",
            &[
                ("Vacant required roles", g.vacant_required),
                ("Critical roles without a deputy", g.critical_without_deputy),
                ("Duties of 5.3 unassigned", g.named_duties_unassigned),
                (
                    "Activities without an owner who holds the role",
                    g.activities_without_owner,
                ),
                ("Departed people still holding roles", g.departed_holders),
                ("Assignments not acknowledged", g.unacknowledged),
                ("Lapsed competence", g.lapsed_competence),
                (
                    "Segregation conflicts without an exception",
                    g.segregation_conflicts_uncovered,
                ),
            ],
        )],
    }
}

fn conformance(s: &IsmsStatus) -> Section {
    let paragraph = s.conformance.clone().unwrap_or_else(|| {
        "No conformance assessment had been made when the report was generated.".to_owned()
    });
    Section {
        id: "conformance",
        title: "Conformance",
        paragraphs: vec![paragraph],
        tables: Vec::new(),
    }
}
