//! A policy version as one self-contained HTML file: it opens from disk with no server, no
//! script and no external stylesheet, prints cleanly on A4, and carries the title block that
//! identifies exactly which approved text it is (version, approvals, SHA-256 content hash).

use askama::Template;
use time::Date;

use crate::document::render::{RenderedDocument, TocEntry, render_inline_text, render_markdown};

/// What identifies a policy version on paper: shown in the title block of the HTML and PDF
/// exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportMeta {
    pub organization: String,
    pub title: String,
    pub version: String,
    pub status: String,
    pub approvers: Vec<String>,
    pub approved_on: Option<Date>,
    pub published_on: Option<Date>,
    /// The lowercase hex SHA-256 of the canonical body.
    pub content_hash: String,
    pub owner: String,
    pub next_review: Option<Date>,
}

/// A table of contents is shown from this many headings up.
pub(crate) const TOC_MIN_HEADINGS: usize = 3;

/// One row of the title block (the content hash comes last, set apart in monospace).
pub(crate) struct TitleRow {
    pub label: &'static str,
    pub value: String,
}

/// The title block's rows in the order both exports show them, dates as ISO 8601.
pub(crate) fn title_rows(meta: &ExportMeta) -> Vec<TitleRow> {
    let date =
        |date: Option<Date>, missing: &str| date.map_or(missing.to_owned(), |d| d.to_string());
    let approvers = if meta.approvers.is_empty() {
        "none recorded".to_owned()
    } else {
        meta.approvers.join(", ")
    };
    let rows = [
        ("Organization", meta.organization.clone()),
        ("Title", meta.title.clone()),
        ("Version", meta.version.clone()),
        ("Status", meta.status.clone()),
        ("Owner", meta.owner.clone()),
        (
            if meta.approvers.len() > 1 {
                "Approvers"
            } else {
                "Approver"
            },
            approvers,
        ),
        ("Approved on", date(meta.approved_on, "not approved")),
        ("Published on", date(meta.published_on, "not published")),
        ("Next review", date(meta.next_review, "not scheduled")),
    ];
    rows.into_iter()
        .map(|(label, value)| TitleRow { label, value })
        .collect()
}

/// A line of the table of contents, indented by its depth below the document's top level.
struct TocLine<'a> {
    depth: u8,
    id: &'a str,
    title: &'a str,
}

#[derive(Template)]
#[template(path = "policies/export.html", whitespace = "minimize")]
struct ExportPage<'a> {
    meta: &'a ExportMeta,
    rows: Vec<TitleRow>,
    show_toc: bool,
    toc: Vec<TocLine<'a>>,
    /// Sanitized by [`render_markdown`]: the only value the template does not escape.
    body: &'a str,
}

/// The policy as a standalone HTML document.
pub fn standalone_html(meta: &ExportMeta, markdown: &str) -> String {
    let rendered = render_markdown(markdown);
    let page = ExportPage {
        meta,
        rows: title_rows(meta),
        show_toc: rendered.toc.len() >= TOC_MIN_HEADINGS,
        toc: toc_lines(&rendered.toc),
        body: &rendered.html,
    };
    // Rendering only fails if writing to a String does; keep the body readable even then.
    page.render()
        .unwrap_or_else(|_| fallback_html(meta, &rendered))
}

fn toc_lines(toc: &[TocEntry]) -> Vec<TocLine<'_>> {
    let top = toc.iter().map(|e| e.level).min().unwrap_or(1);
    toc.iter()
        .map(|entry| TocLine {
            depth: entry.level - top,
            id: &entry.id,
            title: &entry.title,
        })
        .collect()
}

fn fallback_html(meta: &ExportMeta, rendered: &RenderedDocument) -> String {
    format!(
        "<!doctype html><meta charset=\"utf-8\"><title>{}</title><h1>{}</h1>{}",
        render_inline_text(&meta.title),
        render_inline_text(&meta.title),
        rendered.html
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn meta() -> ExportMeta {
        ExportMeta {
            organization: "Example & Co".to_owned(),
            title: "Information security policy".to_owned(),
            version: "3".to_owned(),
            status: "published".to_owned(),
            approvers: vec!["Ana Board".to_owned(), "Ben Chair".to_owned()],
            approved_on: Some(date!(2025 - 03 - 01)),
            published_on: Some(date!(2025 - 03 - 03)),
            content_hash: "ab".repeat(32),
            owner: "Chief Information Security Officer".to_owned(),
            next_review: None,
        }
    }

    #[test]
    fn the_title_block_shows_every_field() {
        let html = standalone_html(&meta(), "Text.");
        assert!(html.starts_with("<!doctype html>"), "{html}");
        for expected in [
            "Example &#38; Co",
            "Information security policy",
            "Ana Board, Ben Chair",
            "Approvers",
            "2025-03-01",
            "2025-03-03",
            "not scheduled",
            "Chief Information Security Officer",
            &"ab".repeat(32),
        ] {
            assert!(html.contains(expected), "{expected} missing from {html}");
        }
        assert!(
            !html.contains("<link"),
            "standalone: no external stylesheet"
        );
        assert!(html.contains("@page"), "print styles");
    }

    #[test]
    fn meta_values_are_escaped() {
        let mut meta = meta();
        meta.title = "<script>alert(1)</script>".to_owned();
        meta.owner = "\"><img src=x onerror=alert(2)>".to_owned();
        meta.approvers = vec!["<b>Boss</b>".to_owned()];
        let html = standalone_html(&meta, "Body");
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b>Boss"), "{html}");
        assert!(
            html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn the_body_is_sanitized_html() {
        let html = standalone_html(&meta(), "## Scope\n\n**All** staff.<script>x()</script>");
        assert!(html.contains("<strong>All</strong>"), "{html}");
        assert!(!html.contains("x()"), "{html}");
    }

    #[test]
    fn a_table_of_contents_from_three_headings() {
        let two = standalone_html(&meta(), "## One\n\n## Two\n");
        assert!(!two.contains("class=\"toc\""), "{two}");
        let three = standalone_html(&meta(), "## One\n\n### One a\n\n## Two\n");
        assert!(three.contains("class=\"toc\""), "{three}");
        assert!(
            three.contains("<a href=\"#sec-one-a\">One a</a>"),
            "{three}"
        );
        assert!(three.contains("class=\"depth-1\""), "{three}");
    }
}
