//! Policy Markdown as typst markup, with no way for the text to become typst code.
//!
//! The structure is written as function calls (`#heading(level: 2)[...]`, `#list([...], ...)`),
//! never as typst's line-start markers, so indentation and line starts mean nothing. Every piece
//! of the author's text goes through [`super::escape`]; the only other things written are this
//! module's own calls and numbers.

use std::collections::HashMap;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::escape::{language, link_target, push_text, string_literal};
use crate::document::render::markdown_options;

/// Headings this deep or shallower count towards a table of contents, as in the HTML export.
const TOC_DEPTH: u8 = 3;

/// The typst markup for a Markdown body, and how many headings it has for a table of contents.
pub(crate) struct Converted {
    pub markup: String,
    pub headings: usize,
}

pub(crate) fn markdown_to_typst(markdown: &str) -> Converted {
    let mut converter = Converter::default();
    for event in Parser::new_ext(markdown, markdown_options()) {
        converter.event(event);
    }
    Converted {
        markup: converter.out,
        headings: converter.headings,
    }
}

#[derive(Default)]
struct Converter {
    out: String,
    /// What to write when each open Markdown element ends.
    closers: Vec<&'static str>,
    /// The text of the code block being read, with its language.
    code: Option<(String, String)>,
    /// Where the content of the innermost item, cell or quote started.
    opened_at: usize,
    /// Inside a table's header row, whose cells are bold.
    in_head: bool,
    /// Cells written in the current table row, and the table's column count.
    cells: usize,
    columns: usize,
    headings: usize,
    footnotes: HashMap<String, usize>,
}

impl Converter {
    fn event(&mut self, event: Event) {
        if let Some((_, code)) = &mut self.code {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => self.end_code_block(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => push_text(&mut self.out, &text),
            Event::Code(code) => {
                self.out.push_str("#raw(");
                self.out.push_str(&string_literal(&code));
                self.out.push(')');
            }
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                push_text(&mut self.out, &format!("${math}$"));
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html),
            Event::FootnoteReference(label) => {
                let number = self.footnote_number(&label);
                self.out.push_str(&format!("#super[{number}]"));
            }
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak()"),
            Event::Rule => {
                self.block();
                self.out
                    .push_str("#line(length: 100%, stroke: 0.5pt + luma(160))\n\n");
            }
            Event::TaskListMarker(done) => self.out.push_str(if done { "☒ " } else { "☐ " }),
        }
    }

    fn start(&mut self, tag: Tag) {
        let closer = match tag {
            Tag::Paragraph => {
                self.block();
                "\n\n"
            }
            Tag::Heading { level, .. } => {
                self.block();
                if level as u8 <= TOC_DEPTH {
                    self.headings += 1;
                }
                self.out
                    .push_str(&format!("#heading(level: {})[", level as u8));
                "]\n\n"
            }
            Tag::BlockQuote(_) => {
                self.block();
                self.out.push_str("#quote(block: true)[");
                self.opened_at = self.out.len();
                "]\n\n"
            }
            Tag::CodeBlock(kind) => {
                self.block();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => language(&info),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
                return;
            }
            Tag::List(first) => {
                // After a tight item's text, a line break keeps the nested list tight.
                if self.out.len() != self.opened_at && !self.out.ends_with("\n\n") {
                    self.out.push('\n');
                }
                match first {
                    Some(start) => self.out.push_str(&format!("#enum(start: {start}, ")),
                    None => self.out.push_str("#list("),
                }
                ")\n\n"
            }
            Tag::Item => {
                self.out.push('[');
                self.opened_at = self.out.len();
                "], "
            }
            Tag::FootnoteDefinition(label) => {
                self.block();
                let number = self.footnote_number(&label);
                self.out
                    .push_str(&format!("#text(size: 0.85em)[#super[{number}] "));
                self.opened_at = self.out.len();
                "]\n\n"
            }
            Tag::Table(alignments) => {
                self.block();
                self.table(&alignments);
                ")\n\n"
            }
            Tag::TableHead => {
                self.cells = 0;
                self.in_head = true;
                self.out.push_str("table.header(");
                "), "
            }
            Tag::TableRow => {
                self.cells = 0;
                ""
            }
            Tag::TableCell => {
                self.cells += 1;
                if self.in_head {
                    self.out.push_str("[#strong[");
                    self.opened_at = self.out.len();
                    "]], "
                } else {
                    self.out.push('[');
                    self.opened_at = self.out.len();
                    "], "
                }
            }
            Tag::Emphasis => self.inline("#emph["),
            Tag::Strong => self.inline("#strong["),
            Tag::Strikethrough => self.inline("#strike["),
            Tag::Superscript => self.inline("#super["),
            Tag::Subscript => self.inline("#sub["),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => match link_target(link_type, &dest_url) {
                Some(url) => {
                    self.out
                        .push_str(&format!("#link({})[", string_literal(&url)));
                    "]"
                }
                None => "",
            },
            Tag::Image { .. } => self.inline("#emph[Image\\: "),
            Tag::DefinitionListTitle => {
                self.block();
                self.out.push_str("#strong[");
                "]\n\n"
            }
            Tag::DefinitionListDefinition => {
                self.block();
                self.out.push_str("#pad(left: 1.5em)[");
                self.opened_at = self.out.len();
                "]\n\n"
            }
            Tag::HtmlBlock => {
                self.block();
                "\n\n"
            }
            Tag::DefinitionList | Tag::MetadataBlock(_) => "",
        };
        self.closers.push(closer);
    }

    fn end(&mut self, tag: TagEnd) {
        if tag == TagEnd::TableHead {
            self.in_head = false;
        }
        if matches!(tag, TagEnd::TableHead | TagEnd::TableRow) {
            // Rows short of cells are filled, so cells never shift into the next row.
            for _ in self.cells..self.columns {
                self.out.push_str("[], ");
            }
        }
        let closer = self.closers.pop().unwrap_or_default();
        self.out.push_str(closer);
    }

    fn inline(&mut self, open: &str) -> &'static str {
        self.out.push_str(open);
        "]"
    }

    /// A block starts a paragraph of its own: after inline content (a tight list item's text,
    /// say), a blank line first.
    fn block(&mut self) {
        // Text never ends in a line break (`push_text` writes them as spaces).
        if !(self.out.len() == self.opened_at || self.out.ends_with("\n\n")) {
            self.out.push_str("\n\n");
        }
    }

    fn table(&mut self, alignments: &[Alignment]) {
        self.columns = alignments.len().max(1);
        let mut align: Vec<&str> = alignments
            .iter()
            .map(|a| match a {
                Alignment::None | Alignment::Left => "left",
                Alignment::Center => "center",
                Alignment::Right => "right",
            })
            .collect();
        align.resize(self.columns, "left");
        // The trailing comma keeps a one-column alignment an array.
        self.out.push_str(&format!(
            "#table(columns: {}, align: ({},), ",
            self.columns,
            align.join(", ")
        ));
    }

    fn end_code_block(&mut self) {
        if let Some((lang, code)) = self.code.take() {
            let code = code.strip_suffix('\n').unwrap_or(&code);
            self.out.push_str("#raw(block: true, ");
            if !lang.is_empty() {
                self.out
                    .push_str(&format!("lang: {}, ", string_literal(&lang)));
            }
            self.out.push_str(&string_literal(code));
            self.out.push_str(")\n\n");
        }
    }

    /// Raw HTML is not laid out: comments are dropped, `<br>` breaks the line, and the text
    /// between other tags is kept as text.
    fn html(&mut self, html: &str) {
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            push_text(&mut self.out, &rest[..open]);
            let tag = &rest[open..];
            let (end, is_break) = if tag.starts_with("<!--") {
                (tag.find("-->").map_or(tag.len(), |e| e + 3), false)
            } else {
                let end = tag.find('>').map_or(tag.len(), |e| e + 1);
                let name: String = tag[1..end]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                (end, name.eq_ignore_ascii_case("br"))
            };
            if is_break {
                self.out.push_str("#linebreak()");
            }
            rest = &tag[end..];
        }
        push_text(&mut self.out, rest);
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(label.to_lowercase()).or_insert(next)
    }
}
