//! A policy version as a PDF, laid out by typst: A4 pages with the organization and title in the
//! header and "Page N of M" in the footer, the title block (version, approvals, SHA-256 content
//! hash) on page 1, a table of contents for longer policies, then the body.
//!
//! The body is converted from Markdown to typst markup by [`markup`], which passes every piece of
//! the author's text through [`escape`], and laid out in a [`world`] with no file access: a policy
//! cannot run typst code, read a file, or change the page setup.
//!
//! Laying out takes tens to hundreds of milliseconds of CPU: call it from `spawn_blocking`.

pub(crate) mod escape;
mod markup;
pub(crate) mod world;

use typst_pdf::PdfOptions;

use crate::document::export::{ExportMeta, TOC_MIN_HEADINGS, title_rows};
use escape::string_literal;
use markup::markdown_to_typst;
use world::PolicyWorld;

/// Why a policy could not be turned into a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the policy could not be laid out: {0}")]
    Layout(String),
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// typst memoizes layout work in a process-wide cache; results unused for this many exports are
/// dropped after each one, so a long-running server does not grow without bound.
const CACHE_MAX_AGE: usize = 4;

/// The page setup and styles; `charter-organization` and `charter-title` are defined before it.
const PREAMBLE: &str = r#"
#set document(title: charter-title, author: charter-organization)
#set page(
  paper: "a4",
  margin: (x: 2.2cm, top: 2.8cm, bottom: 2.6cm),
  header: context {
    set text(size: 8pt, fill: luma(90))
    grid(columns: (1fr, auto), column-gutter: 1em, align: (left, right),
      charter-organization, charter-title)
    v(-3pt)
    line(length: 100%, stroke: 0.4pt + luma(170))
  },
  footer: context {
    set text(size: 8pt, fill: luma(90))
    align(center)[Page #counter(page).display() of #counter(page).final().first()]
  },
)
#set text(font: "Libertinus Serif", size: 10.5pt, lang: "en")
#set par(justify: true, leading: 0.62em, spacing: 1.1em)
#show heading: set block(above: 1.5em, below: 0.8em)
#show heading.where(level: 1): set text(size: 15pt)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 3): set text(size: 11.5pt)
#show raw.where(block: true): set block(fill: luma(245), inset: 8pt, radius: 2pt, width: 100%)
#show quote.where(block: true): it => block(
  stroke: (left: 2pt + luma(180)), inset: (left: 10pt, y: 3pt), it.body)
#show link: underline
#set table(stroke: 0.5pt + luma(170), inset: (x: 6pt, y: 4pt))
#text(size: 9pt, fill: luma(90), tracking: 0.04em, upper(charter-organization))
#v(2pt)
#text(size: 20pt, weight: "bold", charter-title)
#v(4pt)
"#;

/// Lays out a policy with its title block and writes it as PDF.
pub fn policy_pdf(meta: &ExportMeta, markdown: &str) -> Result<Vec<u8>, PdfError> {
    write_pdf(meta, markdown, &PdfOptions::default())
}

fn write_pdf(meta: &ExportMeta, markdown: &str, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let world = PolicyWorld::new(document_source(meta, markdown));
    let compiled = typst::compile(&world).output;
    let result = match compiled {
        Ok(document) => typst_pdf::pdf(&document, options).map_err(|e| PdfError::Write(first(&e))),
        Err(errors) => Err(PdfError::Layout(first(&errors))),
    };
    typst::comemo::evict(CACHE_MAX_AGE);
    result
}

/// The whole typst source: metadata as string literals, the preamble, the title block, the table
/// of contents when there are enough headings, and the converted body.
fn document_source(meta: &ExportMeta, markdown: &str) -> String {
    let body = markdown_to_typst(markdown);
    let mut source = String::with_capacity(body.markup.len() + 4096);
    source.push_str(&format!(
        "#let charter-organization = {}\n#let charter-title = {}\n",
        string_literal(&meta.organization),
        string_literal(&meta.title)
    ));
    source.push_str(PREAMBLE);

    source.push_str("#table(columns: (auto, 1fr), fill: (x, _) => if x == 0 { luma(238) },\n");
    for row in title_rows(meta) {
        source.push_str(&format!(
            "  strong({}), {},\n",
            string_literal(row.label),
            string_literal(&row.value)
        ));
    }
    source.push_str(&format!(
        "  strong(\"SHA-256\"), text(font: \"DejaVu Sans Mono\", size: 7.5pt, {}),\n)\n",
        string_literal(&meta.content_hash)
    ));
    if body.headings >= TOC_MIN_HEADINGS {
        source.push_str("#outline(title: [Contents], depth: 3)\n");
    }
    source.push_str("#v(1em)\n\n");
    source.push_str(&body.markup);
    source
}

/// The first diagnostic's message, on one line.
fn first(diagnostics: &[typst::diag::SourceDiagnostic]) -> String {
    diagnostics.first().map_or_else(
        || "unknown error".to_owned(),
        |d| d.message.split_whitespace().collect::<Vec<_>>().join(" "),
    )
}

#[cfg(test)]
mod tests;
