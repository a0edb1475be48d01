//! The typst source of the audit pack PDF: only this module's own calls are unquoted, every text
//! from the pack is a string literal.

use std::fmt::Write as _;

use crate::audit_pack::html::view::{EventView, PackView, RequirementView, Row};
use crate::document::pdf::escape::string_literal as lit;

const PREAMBLE: &str = r#"
#set document(title: charter-title, author: charter-organization, keywords: charter-keywords)
#set page(
  paper: "a4",
  margin: (x: 1.8cm, top: 2.6cm, bottom: 2.4cm),
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
#set text(font: "Libertinus Serif", size: 10pt, lang: "en")
#set par(justify: false, leading: 0.6em, spacing: 1em)
#show heading: set block(above: 1.4em, below: 0.7em)
#show heading.where(level: 1): set text(size: 14pt)
#show heading.where(level: 2): set text(size: 11.5pt)
#set table(stroke: 0.5pt + luma(170), inset: (x: 5pt, y: 3.5pt))
#let charter-mono(body) = text(font: "DejaVu Sans Mono", size: 6.5pt, body)
#let charter-verdict(word, colour) = box(inset: (x: 4pt, y: 1.5pt), radius: 6pt,
  stroke: 0.6pt + colour, text(size: 8.5pt, weight: "bold", fill: colour, word))
#text(size: 9pt, fill: luma(90), tracking: 0.04em, upper(charter-organization))
#v(2pt)
#text(size: 19pt, weight: "bold", charter-title)
#v(4pt)
"#;

/// The whole typst source of the pack's PDF.
pub fn typst_source(doc: &PackView) -> String {
    let mut out = String::with_capacity(64 * 1024);
    // The requirement ids as the PDF's keywords: a trailing comma makes even one a tuple.
    let keywords: String = doc
        .requirements
        .iter()
        .map(|r| format!("{}, ", lit(&r.id)))
        .collect();
    let _ = writeln!(
        out,
        "#let charter-organization = {}\n#let charter-title = {}\n#let charter-keywords = ({keywords})",
        lit(&doc.organization),
        lit(&doc.title),
    );
    out.push_str(PREAMBLE);
    rows(&mut out, &doc.rows, false);
    heading(&mut out, 1, "Summary");
    rows(&mut out, &doc.counts, false);
    caption(&mut out, "Thresholds in force");
    rows(&mut out, &doc.thresholds, false);
    heading(&mut out, 1, "Liveness: alive or merely documented");
    rows(&mut out, &doc.liveness, false);
    heading(&mut out, 1, "Requirements");
    for r in &doc.requirements {
        requirement(&mut out, r);
    }
    roles(&mut out, doc);
    manifest(&mut out, doc);
    heading(&mut out, 1, "Signed checkpoint");
    rows(&mut out, &doc.checkpoint, true);
    heading(&mut out, 1, "Audit events and their inclusion proofs");
    for e in &doc.events {
        event(&mut out, e);
    }
    heading(&mut out, 2, "The export of this pack");
    event(&mut out, &doc.export_event);
    heading(&mut out, 1, "Verifying this pack offline");
    let steps: Vec<String> = doc.verify_steps.iter().map(|s| lit(s)).collect();
    let _ = writeln!(out, "#enum({})", steps.join(", "));
    let _ = writeln!(
        out,
        "#block(fill: luma(245), inset: 8pt, width: 100%, raw({}))",
        lit(doc.verify_command)
    );
    out
}

fn heading(out: &mut String, level: u8, text: &str) {
    let _ = writeln!(out, "#heading(level: {level}, {})", lit(text));
}

fn caption(out: &mut String, text: &str) {
    let _ = writeln!(out, "#text(size: 8.5pt, fill: luma(90), {})", lit(text));
}

/// Label/value rows as a two-column table; `mono` sets the values in the monospace face.
fn rows(out: &mut String, rows: &[Row], mono: bool) {
    out.push_str("#table(columns: (auto, 1fr), fill: (x, _) => if x == 0 { luma(238) },\n");
    for r in rows {
        let value = if mono {
            format!("charter-mono({})", lit(&r.value))
        } else {
            lit(&r.value)
        };
        let _ = writeln!(out, "  strong({}), {value},", lit(&r.label));
    }
    out.push_str(")\n");
}

fn colour(tone: &str) -> &'static str {
    match tone {
        "green" => "rgb(\"#1a7f37\")",
        "amber" => "rgb(\"#9a6700\")",
        "red" => "rgb(\"#cf222e\")",
        _ => "luma(110)",
    }
}

fn requirement(out: &mut String, r: &RequirementView) {
    let _ = writeln!(
        out,
        "#heading(level: 2, {{ {}; h(0.5em); charter-verdict({}, {}) }})",
        lit(&format!("{} {}", r.id, r.shows)),
        lit(r.verdict),
        colour(r.tone)
    );
    let lines: Vec<String> = r.finding.lines().map(lit).collect();
    let _ = writeln!(out, "#par({{ {} }})", lines.join("; linebreak(); "));
    if !r.figures.is_empty() {
        caption(out, "Figures measured");
        rows(out, &r.figures, false);
    }
    if r.evidence.is_empty() {
        out.push_str("#par(\"No record cited.\")\n");
        return;
    }
    caption(out, "Evidence cited");
    out.push_str(
        "#table(columns: (1fr, auto, 2fr), fill: (_, y) => if y == 0 { luma(238) },\n  \
         table.header(strong(\"Record\"), strong(\"Kind\"), strong(\"Id and SHA-256\")),\n",
    );
    for e in &r.evidence {
        let _ = writeln!(
            out,
            "  {}, {}, charter-mono({{ {}; linebreak(); {} }}),",
            lit(&e.label),
            lit(e.kind),
            lit(&e.id),
            lit(&e.sha256)
        );
    }
    out.push_str(")\n");
}

fn roles(out: &mut String, doc: &PackView) {
    heading(out, 1, "Roles of clause 5.3 and their holders");
    if doc.roles.is_empty() {
        out.push_str("#par(\"No role in the catalog.\")\n");
        return;
    }
    out.push_str(
        "#table(columns: (auto, auto, 1fr, 1fr, auto), fill: (_, y) => if y == 0 { luma(238) },\n  \
         table.header(strong(\"Role\"), strong(\"Category\"), strong(\"Responsibilities\"), \
         strong(\"Authorities\"), strong(\"Held by\")),\n",
    );
    for r in &doc.roles {
        let holders = if r.holders.is_empty() {
            lit("nobody")
        } else {
            let mut names: Vec<String> = r.holders.iter().map(|h| lit(h)).collect();
            if let Some(more) = &r.more_holders {
                names.push(format!("emph({})", lit(more)));
            }
            format!("{{ {} }}", names.join("; linebreak(); "))
        };
        let _ = writeln!(
            out,
            "  strong({}), {}, {}, {}, {holders},",
            lit(&r.name),
            lit(&r.category),
            lit(&r.responsibilities),
            lit(&r.authorities)
        );
    }
    out.push_str(")\n");
}

fn manifest(out: &mut String, doc: &PackView) {
    heading(out, 1, "Manifest");
    let _ = writeln!(
        out,
        "#par({{ \"Assessment SHA-256: \"; charter-mono({}) }})",
        lit(&doc.assessment_sha256)
    );
    caption(out, "Records, by SHA-256 of their JSON");
    out.push_str(
        "#table(columns: (auto, 1fr, 2fr), fill: (_, y) => if y == 0 { luma(238) },\n  \
         table.header(strong(\"Kind\"), strong(\"Record\"), strong(\"Id and SHA-256\")),\n",
    );
    for m in &doc.manifest {
        let _ = writeln!(
            out,
            "  {}, {}, charter-mono({{ {}; linebreak(); {} }}),",
            lit(m.kind),
            lit(&m.label),
            lit(&m.id),
            lit(&m.sha256)
        );
    }
    out.push_str(")\n");
    caption(out, "Chain hashes of the cited audit events");
    let hashes: Vec<String> = doc.manifest_events.iter().map(|h| lit(h)).collect();
    let _ = writeln!(
        out,
        "#charter-mono({{ {} }})",
        if hashes.is_empty() {
            lit("none")
        } else {
            hashes.join("; linebreak(); ")
        }
    );
}

fn event(out: &mut String, e: &EventView) {
    let path: Vec<String> = e.path.iter().map(|h| lit(h)).collect();
    let _ = writeln!(
        out,
        "#block(breakable: false, below: 0.9em, {{ strong({}); linebreak(); {}; linebreak(); \
         charter-mono({{ {}; linebreak(); {}; linebreak(); {}; linebreak(); {} }}) }})",
        lit(&format!("#{} {} {}", e.seq, e.action, e.occurred_at)),
        lit(&format!("by {}, on {}", e.actor, e.record)),
        lit(&format!("record digest {}", e.record_digest)),
        lit(&format!("chain hash    {}", e.hash)),
        lit(&format!(
            "leaf {} of {}, audit path ({} hashes, leaf side first):",
            e.leaf_index,
            e.tree_size,
            e.path.len()
        )),
        if path.is_empty() {
            lit("(none)")
        } else {
            path.join("; linebreak(); ")
        }
    );
}
