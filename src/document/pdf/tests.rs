use std::time::Instant;

use time::macros::date;
use typst::syntax::{SyntaxKind, SyntaxNode};

use super::markup::markdown_to_typst;
use super::*;

fn meta() -> ExportMeta {
    ExportMeta {
        organization: "Example & Co".to_owned(),
        title: "Information security policy".to_owned(),
        version: "3".to_owned(),
        status: "published".to_owned(),
        approvers: vec!["Ana Board".to_owned()],
        approved_on: Some(date!(2025 - 03 - 01)),
        published_on: Some(date!(2025 - 03 - 03)),
        content_hash: "0123456789abcdef".repeat(4),
        owner: "CISO".to_owned(),
        next_review: Some(date!(2026 - 03 - 01)),
    }
}

/// Uncompressed, so the page boxes can be read.
fn readable_pdf(meta: &ExportMeta, markdown: &str) -> String {
    let options = PdfOptions {
        pretty: true,
        ..PdfOptions::default()
    };
    let started = Instant::now();
    let bytes = write_pdf(meta, markdown, &options).expect("the policy lays out");
    eprintln!(
        "{} bytes of Markdown: PDF in {:?}",
        markdown.len(),
        started.elapsed()
    );
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Every page is A4 (595.28 x 841.89 pt).
fn assert_all_pages_a4(pdf: &str) {
    let boxes: Vec<&str> = pdf
        .match_indices("/MediaBox")
        .map(|(at, _)| &pdf[at..(at + 40).min(pdf.len())])
        .collect();
    assert!(!boxes.is_empty(), "no page boxes found");
    for page_box in boxes {
        assert!(
            page_box.contains("595.27") && page_box.contains("841.8"),
            "{page_box}"
        );
    }
}

fn kinds(node: &SyntaxNode, into: &mut Vec<SyntaxKind>) {
    into.push(node.kind());
    for child in node.children() {
        kinds(child, into);
    }
}

const HOSTILE: [&str; 12] = [
    "#set page(width: 1cm)",
    "#read(\"/etc/passwd\")",
    "$x^2$ and $$ unbalanced $",
    "@ref and <label> and @",
    "back\\\\slash \\\\u{41} \\\\",
    "unbalanced ] ] [ ( { } ) )",
    "\\= not a heading, \\- not a list, \\+ nor this, / nor a term: x",
    "// not a comment /* nor this */",
    "see http://example.com/#x or https://a.b",
    "~ -- --- ... 'single' \"double\" `tick",
    "\\*not strong\\* \\_not emph\\_ 1\\. 2) = == ===",
    "#{ panic(\"x\") } #let x = 1 #import \"a.typ\" #include \"b.typ\"",
];

#[test]
fn hostile_text_is_only_text_to_typst() {
    for input in HOSTILE {
        let markup = markdown_to_typst(input).markup;
        let mut found = Vec::new();
        kinds(&typst::syntax::parse(&markup), &mut found);
        for kind in found {
            assert!(
                matches!(
                    kind,
                    SyntaxKind::Markup
                        | SyntaxKind::Text
                        | SyntaxKind::Escape
                        | SyntaxKind::Space
                        | SyntaxKind::Parbreak
                ),
                "{kind:?} in {markup:?} (from {input:?})"
            );
        }
    }
}

#[test]
fn structure_is_written_as_calls() {
    let markup = markdown_to_typst(
        "# Title\n\n- one\n- two\n  1. nested\n\n> quoted\n\n| a | b |\n|---|--:|\n| 1 |\n\n\
         [link](https://example.com \"t\") [bad](javascript:alert(1)) `co\"de`\n\n---\n",
    )
    .markup;
    for expected in [
        "#heading(level: 1)[Title]",
        "#list([one], [two\n#enum(start: 1, [nested], )",
        "#quote(block: true)[quoted",
        "#table(columns: 2, align: (left, right,), table.header([#strong[a]], [#strong[b]], ), [1], [], )",
        "#link(\"https://example.com\")[link]",
        " bad ",
        "#raw(\"co\\\"de\")",
        "#line(length: 100%",
    ] {
        assert!(markup.contains(expected), "{expected:?} not in {markup}");
    }
    assert!(!markup.contains("javascript"), "{markup}");
}

#[test]
fn a_policy_becomes_an_a4_pdf() {
    let pdf = readable_pdf(
        &meta(),
        "# Purpose\n\nWe **protect** information.[^1]\n\n[^1]: ISO/IEC 27001.\n",
    );
    assert!(pdf.starts_with("%PDF-"));
    assert_all_pages_a4(&pdf);
}

#[test]
fn a_syntax_hostile_policy_lays_out_on_a4() {
    let mut body = String::from("## Hostile\n\n");
    for line in HOSTILE {
        body.push_str(line);
        body.push_str("\n\n");
    }
    body.push_str(
        "- #set page(height: 1cm)\n  - ]]]\n\n1. $\n2. <b>bold</b><br>next <!-- hidden -->\n\n\
         > #quote\n\n```typst\n#set page(width: 1cm)\n\"\\\n```\n\n| #x | $y$ |\n|---|---|\n| ] | [ |\n\n\
         ![alt #x](https://example.com/a.png) <https://example.com> <mail@example.com>\n\n\
         <div>\n#set page(width: 1cm)\n</div>\n",
    );
    let mut hostile_meta = meta();
    hostile_meta.title = "#set page(width: 1cm) \" \\ ] $".to_owned();
    hostile_meta.organization = "<script>alert(1)</script> #read(\"/etc/passwd\")".to_owned();
    hostile_meta.approvers = vec!["\"); #panic(\"x".to_owned()];
    let pdf = readable_pdf(&hostile_meta, &body);
    assert!(pdf.starts_with("%PDF-"));
    assert_all_pages_a4(&pdf);
}

#[test]
fn a_20_kb_policy_lays_out() {
    let mut body = String::new();
    let mut n = 0;
    while body.len() < 20_000 {
        n += 1;
        body.push_str(&format!(
            "## {n}. Section {n}\n\nStaff must protect information assets in line with clause {n}; \
             the *owner* reviews **access** each quarter and records the result.\n\n\
             - Control {n}.1: access is granted on need to know.\n- Control {n}.2: `logs` are kept.\n\n"
        ));
    }
    let pdf = readable_pdf(&meta(), &body);
    assert!(pdf.starts_with("%PDF-"));
    let pages = pdf.matches("/Type /Page").count() - pdf.matches("/Type /Pages").count();
    assert!(pages > 3, "{pages} pages");
}

#[test]
fn deep_nesting_lays_out_or_fails_cleanly() {
    let usual = "> - > 1. - *a **b ~~c~~** d*
";
    assert!(policy_pdf(&meta(), usual).is_ok());
    for body in [
        format!("{} deep\n", ">".repeat(5000)),
        format!("{}deep\n", "- ".repeat(5000)),
    ] {
        match policy_pdf(&meta(), &body) {
            Ok(pdf) => assert!(pdf.starts_with(b"%PDF-")),
            Err(error) => assert!(!error.to_string().contains('\n'), "{error}"),
        }
    }
}
