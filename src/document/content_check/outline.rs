//! The document as the check reads it: its lines (without code, comments and placeholders), its
//! headings and their sections, and one lowercased "clean" text to search, in which a line break
//! inside a paragraph is a space and a paragraph or heading break is `\n`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

use super::Placeholder;
use super::headings::{self, Heading, Kind, is_list_item};
use super::masking::{mask, reference_labels};
use super::placeholders;
use super::plain_text::numbering;
use super::text::shorten;

/// The longest excerpt shown for a passage, in characters.
const EXCERPT_CHARS: usize = 300;

pub(super) struct Outline<'a> {
    /// Each line with code spans and HTML comments blanked out.
    lines: Vec<Cow<'a, str>>,
    kinds: Vec<Kind>,
    pub headings: Vec<Heading>,
    /// Lowercased (ASCII), placeholders and Markdown markup turned to spaces, spaces collapsed.
    pub clean: String,
    /// Where each line starts in `clean`, and `clean.len()` at the end.
    starts: Vec<usize>,
    pub placeholders: Vec<Placeholder>,
}

impl<'a> Outline<'a> {
    pub fn parse(body: &'a str) -> Self {
        let body = body.strip_prefix('\u{feff}').unwrap_or(body);
        let raw: Vec<&str> = body
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line))
            .collect();
        let (lines, mut kinds) = mask(&raw);
        let references = reference_labels(&lines, &kinds);
        let (spans, found) = find_placeholders(&lines, &kinds, &references);
        let headings = headings::detect(&lines, &mut kinds);
        let mut outline = Outline {
            lines,
            kinds,
            headings,
            clean: String::with_capacity(body.len()),
            starts: Vec::new(),
            placeholders: found,
        };
        outline.build_clean(&spans);
        outline
    }

    fn build_clean(&mut self, spans: &[Vec<Range<usize>>]) {
        let mut heading = self.headings.iter();
        self.starts.reserve(self.lines.len() + 1);
        for (index, line) in self.lines.iter().enumerate() {
            match self.kinds[index] {
                Kind::Blank => boundary(&mut self.clean, true),
                Kind::Code => boundary(&mut self.clean, false),
                Kind::Decoration => {}
                Kind::Heading => {
                    boundary(&mut self.clean, false);
                    let this = heading.find(|h| h.line == index);
                    if let Some(from) = this.and_then(|h| h.body_from) {
                        self.starts.push(self.clean.len());
                        push_text(&mut self.clean, line, from, &spans[index]);
                        continue;
                    }
                }
                Kind::Text => {
                    self.starts.push(self.clean.len());
                    push_text(&mut self.clean, line, 0, &spans[index]);
                    if line.trim_start().starts_with('|') {
                        boundary(&mut self.clean, false);
                    }
                    continue;
                }
            }
            self.starts.push(self.clean.len());
        }
        self.starts.push(self.clean.len());
    }

    /// The clean text of a heading's section, subsections included.
    pub fn section(&self, heading: &Heading) -> &str {
        &self.clean[self.starts[heading.line]..self.starts[heading.end_line]]
    }

    /// The 0-based line that holds byte `at` of the clean text.
    pub fn line_of(&self, at: usize) -> usize {
        self.starts
            .partition_point(|&start| start <= at)
            .saturating_sub(1)
            .min(self.lines.len().saturating_sub(1))
    }

    /// The heading whose section holds `line`, if any.
    pub fn heading_over(&self, line: usize) -> Option<&Heading> {
        let index = self.headings.partition_point(|h| h.line <= line);
        index.checked_sub(1).map(|i| &self.headings[i])
    }

    /// The clean paragraph around byte `at`.
    pub fn paragraph_around(&self, at: usize) -> &str {
        let start = self.clean[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = self.clean[at..]
            .find('\n')
            .map_or(self.clean.len(), |i| at + i);
        &self.clean[start..end]
    }

    /// The first words of a heading's section, as written.
    pub fn section_excerpt(&self, heading: &Heading) -> String {
        let mut text = String::new();
        if let Some(from) = heading.body_from {
            append(&mut text, &self.lines[heading.line][from..]);
        }
        for index in heading.line + 1..heading.end_line {
            if text.len() > EXCERPT_CHARS * 4 {
                break;
            }
            if matches!(self.kinds[index], Kind::Text | Kind::Heading) {
                append(&mut text, &self.lines[index]);
            }
        }
        shorten(&text, EXCERPT_CHARS)
    }

    /// The text as written from the sentence on `line` that holds `pattern`, to the end of its
    /// paragraph.
    pub fn excerpt_at(&self, line: usize, pattern: &str) -> String {
        let mut shown = String::new();
        append(&mut shown, &self.lines[line]);
        let needle = pattern.trim_end_matches('*');
        let lower = shown.to_ascii_lowercase();
        let start = lower
            .find(needle)
            .and_then(|at| lower[..at].rfind(". ").map(|stop| stop + 2))
            .unwrap_or(0);
        let mut text = shown[start..].to_owned();
        for index in line + 1..self.lines.len() {
            if self.kinds[index] != Kind::Text || text.len() > EXCERPT_CHARS * 4 {
                break;
            }
            append(&mut text, &self.lines[index]);
        }
        shorten(&text, EXCERPT_CHARS)
    }
}

/// Appends a line as a reader sees it: no heading marks, list bullets or emphasis.
fn append(text: &mut String, line: &str) {
    let mut shown = line.trim().trim_start_matches(['#', '>']).trim_start();
    while is_list_item(shown) {
        shown = shown[shown.find(' ').map_or(0, |i| i + 1)..].trim_start();
    }
    for word in shown.split_whitespace() {
        let word = word.replace("**", "").replace("__", "").replace('`', "");
        if word.is_empty() || word == "|" {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&word);
    }
}

/// Ends the current paragraph; after a line ending in ':' (a list follows) a blank line does
/// not. Nothing is ever removed, so the recorded line starts stay in order.
fn boundary(clean: &mut String, soft: bool) {
    if clean.is_empty() || clean.ends_with('\n') || (soft && clean.ends_with(' ')) {
        return;
    }
    clean.push(if soft && clean.ends_with(':') {
        ' '
    } else {
        '\n'
    });
}

fn push_text(clean: &mut String, line: &str, from: usize, spans: &[Range<usize>]) {
    let mut space = !clean.is_empty() && !clean.ends_with(['\n', ' ']);
    let mut span = 0;
    let mut content_from = from + (line[from..].len() - line[from..].trim_start().len());
    while is_list_item(&line[content_from..]) {
        content_from += line[content_from..].find(' ').map_or(0, |i| i + 1);
    }
    if let Some(number) = numbering(&line[content_from..]) {
        content_from = line.len() - number.rest.len();
    }
    for (offset, c) in line[content_from..].char_indices() {
        let at = content_from + offset;
        while span < spans.len() && spans[span].end <= at {
            span += 1;
        }
        let blank = (span < spans.len() && spans[span].start <= at)
            || c.is_whitespace()
            || matches!(c, '*' | '_' | '`' | '#' | '|' | '>');
        if blank {
            space = !clean.is_empty() && !clean.ends_with('\n');
            continue;
        }
        if space {
            clean.push(' ');
            space = false;
        }
        clean.push(c.to_ascii_lowercase());
    }
}

/// The placeholders of every text line, as byte ranges per line and as the report lists them.
/// A bracketed placeholder may wrap onto the next line.
fn find_placeholders(
    lines: &[Cow<'_, str>],
    kinds: &[Kind],
    references: &HashSet<String>,
) -> (Vec<Vec<Range<usize>>>, Vec<Placeholder>) {
    let mut spans: Vec<Vec<Range<usize>>> = vec![Vec::new(); lines.len()];
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if kinds[index] != Kind::Text {
            continue;
        }
        let line_spans = placeholders::find(line, references);
        found.extend(line_spans.iter().map(|span| Placeholder {
            line: index + 1,
            text: line[span.clone()].to_owned(),
        }));
        spans[index].extend(line_spans);
        let next = index + 1;
        let Some(open) = placeholders::unclosed(line) else {
            continue;
        };
        if let Some(close) = lines
            .get(next)
            .filter(|_| kinds[next] == Kind::Text)
            .and_then(|next_line| placeholders::closing_part(next_line))
        {
            let next_line = &lines[next];
            found.push(Placeholder {
                line: index + 1,
                text: format!(
                    "{} {}",
                    line[open..].trim_end(),
                    next_line[..close].trim_start()
                ),
            });
            spans[index].push(open..line.len());
            spans[next].push(0..close);
        }
    }
    for line_spans in &mut spans {
        line_spans.sort_by_key(|span| span.start);
    }
    (spans, found)
}
