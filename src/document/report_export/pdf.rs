//! A performance report as a PDF, laid out by the same embedded typst engine as the policy PDF
//! (its world: bundled fonts, no file access). Every piece of text is written as a typst string
//! literal, so nothing in a report (a summary, a comment, an objective's statement) becomes code;
//! the trend charts are SVG made of numbers only.
//!
//! Laying out takes tens of milliseconds of CPU: call it from `spawn_blocking`.

use std::fmt::Write as _;

use typst_pdf::PdfOptions;

use super::{FigureCell, ReportDocument, Section, Table};
use crate::document::pdf::PdfError;
use crate::document::pdf::escape::string_literal as lit;
use crate::document::pdf::world::PolicyWorld;

/// typst's layout cache keeps results this many compilations, then drops them.
const CACHE_MAX_AGE: usize = 4;

const PREAMBLE: &str = r#"
#set document(title: charter-title, author: charter-organization)
#set page(
  paper: "a4",
  margin: (x: 2cm, top: 2.6cm, bottom: 2.4cm),
  header: context {
    set text(size: 8pt, fill: luma(90))
    grid(columns: (1fr, auto), column-gutter: 1em, align: (left, right),
      charter-organization, charter-title)
    v(-3pt)
    line(length: 100%, stroke: 0.4pt + luma(170))
  },
  footer: context {
    set text(size: 8pt, fill: luma(90))
    grid(columns: (1fr, auto), align: (left, right),
      text(font: "DejaVu Sans Mono", size: 6.5pt, charter-hash),
      [Page #counter(page).display() of #counter(page).final().first()])
  },
)
#set text(font: "Libertinus Serif", size: 10pt, lang: "en")
#set par(justify: false, leading: 0.6em, spacing: 1em)
#show heading: set block(above: 1.4em, below: 0.7em)
#show heading.where(level: 1): set text(size: 14pt)
#show heading.where(level: 2): set text(size: 11.5pt)
#set table(stroke: 0.5pt + luma(170), inset: (x: 5pt, y: 3.5pt))
#let charter-figure(value, label, word, colour) = block(width: 100%, inset: 7pt,
  stroke: (left: 3pt + colour, rest: 0.4pt + luma(200)), breakable: false)[
  #text(size: 15pt, weight: "bold", value) \
  #text(size: 8.5pt, label) \
  #text(size: 8pt, fill: colour, weight: "bold", word)]
#text(size: 9pt, fill: luma(90), tracking: 0.04em, upper(charter-organization))
#v(2pt)
#text(size: 19pt, weight: "bold", charter-title)
#v(4pt)
"#;

/// The report laid out as PDF bytes.
pub fn report_pdf(doc: &ReportDocument) -> Result<Vec<u8>, PdfError> {
    let world = PolicyWorld::new(typst_source(doc));
    let result = match typst::compile(&world).output {
        Ok(document) => typst_pdf::pdf(&document, &PdfOptions::default())
            .map_err(|e| PdfError::Write(first(&e))),
        Err(errors) => Err(PdfError::Layout(first(&errors))),
    };
    typst::comemo::evict(CACHE_MAX_AGE);
    result
}

/// The whole typst source; only this module's own calls are unquoted.
pub(super) fn typst_source(doc: &ReportDocument) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = writeln!(
        out,
        "#let charter-organization = {}\n#let charter-title = {}\n#let charter-hash = {}",
        lit(&doc.organization),
        lit(&doc.title),
        lit(&format!("SHA-256 {}", doc.content_hash))
    );
    out.push_str(PREAMBLE);
    title_block(&mut out, doc);
    out.push_str("#heading(level: 1, \"Headline figures\")\n");
    figures(&mut out, &doc.figures);
    if !doc.summary.is_empty() {
        out.push_str("#heading(level: 1, \"The reporter's summary\")\n");
        paragraphs(&mut out, &doc.summary);
    }
    objectives(&mut out, doc);
    for section in &doc.sections {
        section_markup(&mut out, section);
    }
    out
}

fn title_block(out: &mut String, doc: &ReportDocument) {
    out.push_str("#table(columns: (auto, 1fr), fill: (x, _) => if x == 0 { luma(238) },\n");
    for row in &doc.rows {
        let _ = writeln!(out, "  strong({}), {},", lit(row.label), lit(&row.value));
    }
    let _ = writeln!(
        out,
        "  strong(\"SHA-256\"), text(font: \"DejaVu Sans Mono\", size: 7.5pt, {}),\n)",
        lit(&doc.content_hash)
    );
    if !doc.intact {
        out.push_str(
            "#text(fill: rgb(\"#cf222e\"), weight: \"bold\", \"The stored snapshot no longer \
             matches this hash: it was changed after the report was generated.\")\n",
        );
    }
}

fn colour(tone: &str) -> &'static str {
    match tone {
        "green" => "rgb(\"#1a7f37\")",
        "amber" => "rgb(\"#9a6700\")",
        "red" => "rgb(\"#cf222e\")",
        _ => "luma(110)",
    }
}

fn figures(out: &mut String, cells: &[FigureCell]) {
    out.push_str("#grid(columns: (1fr, 1fr, 1fr), gutter: 6pt,\n");
    for c in cells {
        let _ = writeln!(
            out,
            "  charter-figure({}, {}, {}, {}),",
            lit(&c.value),
            lit(&c.label),
            lit(c.word),
            colour(c.tone)
        );
    }
    out.push_str(")\n");
}

/// Text split into paragraphs at blank lines, lines kept.
fn paragraphs(out: &mut String, text: &str) {
    for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let lines: Vec<String> = paragraph.lines().map(lit).collect();
        let _ = writeln!(out, "#par({{ {} }})", lines.join("; linebreak(); "));
    }
}

fn objectives(out: &mut String, doc: &ReportDocument) {
    let _ = writeln!(out, "#heading(level: 1, \"Objectives\")");
    if doc.objectives.is_empty() {
        out.push_str("#par(\"No active objective.\")\n");
        return;
    }
    let rows: Vec<Vec<String>> = doc
        .objectives
        .iter()
        .map(|o| {
            vec![
                o.statement.clone(),
                o.theme.clone(),
                o.owner.clone(),
                o.word.to_owned(),
                o.latest.clone(),
                o.target.clone(),
                o.due.clone(),
            ]
        })
        .collect();
    let headers = vec![
        "Objective",
        "Theme",
        "Owner",
        "Status",
        "Latest",
        "Target",
        "Due",
    ];
    let all = Table {
        caption: "Active objectives".into(),
        headers,
        rows,
    };
    table(out, &all);
    out.push_str("#heading(level: 2, \"Trends\")\n#grid(columns: (1fr, 1fr), gutter: 10pt,\n");
    for o in &doc.objectives {
        let chart = o.trend_svg.as_ref().map_or_else(String::new, |svg| {
            format!(
                "image(bytes({}), format: \"svg\", width: 100%); linebreak(); ",
                lit(svg)
            )
        });
        let _ = writeln!(
            out,
            "  block(breakable: false, {{ strong({}); linebreak(); {chart}text(size: 8pt, {}) }}),",
            lit(&o.statement),
            lit(&o.trend_text)
        );
    }
    out.push_str(")\n");
}

fn section_markup(out: &mut String, section: &Section) {
    let _ = writeln!(out, "#heading(level: 1, {})", lit(section.title));
    for p in &section.paragraphs {
        paragraphs(out, p);
    }
    for t in &section.tables {
        table(out, t);
    }
}

fn table(out: &mut String, t: &Table) {
    let _ = writeln!(
        out,
        "#text(size: 8.5pt, fill: luma(90), {})",
        lit(&t.caption)
    );
    let _ = write!(
        out,
        "#table(columns: {}, fill: (_, y) => if y == 0 {{ luma(238) }},\n  table.header(",
        t.headers.len()
    );
    for h in &t.headers {
        let _ = write!(out, "strong({}), ", lit(h));
    }
    out.push_str("),\n");
    for row in &t.rows {
        out.push_str("  ");
        for value in row {
            let _ = write!(out, "{}, ", lit(value));
        }
        out.push('\n');
    }
    out.push_str(")\n");
}

/// The first diagnostic's message, on one line.
fn first(diagnostics: &[typst::diag::SourceDiagnostic]) -> String {
    diagnostics.first().map_or_else(
        || "unknown error".to_owned(),
        |d| d.message.split_whitespace().collect::<Vec<_>>().join(" "),
    )
}
