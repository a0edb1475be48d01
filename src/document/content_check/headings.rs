//! Which lines are headings. Markdown: `#` lines, underlined lines and lines that are bold as a
//! whole. Plain text (when the document has fewer than two Markdown headings): numbered lines
//! ("1. Purpose", "2.3 Scope"), lines in capitals ("SCOPE"), short title lines. Both: a label
//! line such as "Purpose:" or "Scope: all staff…" when the label names a required element.

use std::borrow::Cow;

use super::plain_text::{numbering, plain_headings};
use super::rules;

/// What a line is, for the outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Blank,
    Code,
    /// A horizontal rule, a heading underline or a table separator: no text.
    Decoration,
    Text,
    Heading,
}

#[derive(Debug)]
pub(super) struct Heading {
    /// 0-based line index.
    pub line: usize,
    /// 1-6 for Markdown and numbered levels; deeper for bold lines (7), labels (8) and run-in
    /// labels (9), so that a section keeps its bold and labelled subsections.
    pub level: u8,
    pub title: String,
    /// Lowercase, without numbering or emphasis: what the element rules look at.
    pub key: String,
    /// The first line after the section (the next heading of the same or a higher level).
    pub end_line: usize,
    /// For "Scope: all staff…": where the section text starts in the heading line.
    pub body_from: Option<usize>,
}

/// Finds the headings, marks their lines `Kind::Heading` (and underlines `Decoration`).
pub(super) fn detect(lines: &[Cow<'_, str>], kinds: &mut [Kind]) -> Vec<Heading> {
    let n = lines.len();
    let mut found: Vec<Option<(u8, String, Option<usize>)>> = vec![None; n];
    let mut markdown = 0;
    for i in 0..n {
        if kinds[i] != Kind::Text {
            continue;
        }
        let line = lines[i].as_ref();
        if let Some((level, title)) = atx(line) {
            found[i] = Some((level, title.to_owned(), None));
            markdown += 1;
        } else if let Some(level) = setext(lines, kinds, i) {
            found[i] = Some((level, line.trim().to_owned(), None));
            markdown += 1;
        } else if let Some(title) = bold_line(line) {
            found[i] = Some((7, title.to_owned(), None));
        }
    }
    if markdown < 2 {
        plain_headings(lines, kinds, &mut found);
    }
    for i in 0..n {
        if kinds[i] != Kind::Text || found[i].is_some() || is_list_item(lines[i].trim_start()) {
            continue;
        }
        if let Some((title, body_from)) = label(&lines[i])
            && rules::heading_mask(&key_of(title)) != 0
        {
            let level = if body_from.is_some() { 9 } else { 8 };
            found[i] = Some((level, title.to_owned(), body_from));
        }
    }
    outline(found, kinds)
}

fn outline(found: Vec<Option<(u8, String, Option<usize>)>>, kinds: &mut [Kind]) -> Vec<Heading> {
    let n = found.len();
    let mut headings: Vec<Heading> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (line, entry) in found.into_iter().enumerate() {
        let Some((level, title, body_from)) = entry else {
            continue;
        };
        kinds[line] = Kind::Heading;
        while let Some(&last) = open.last() {
            if headings[last].level < level {
                break;
            }
            headings[last].end_line = line;
            open.pop();
        }
        open.push(headings.len());
        let key = key_of(&title);
        headings.push(Heading {
            line,
            level,
            title,
            key,
            end_line: n,
            body_from,
        });
    }
    headings
}

/// The words of a heading the rules compare: lowercase, no numbering, emphasis or final colon.
pub(super) fn key_of(title: &str) -> String {
    let title = title.trim().trim_matches(['*', '_', '#', ' ']);
    let title = numbering(title).map_or(title, |n| n.rest);
    let spaced: String = title
        .chars()
        .map(|c| {
            if matches!(c, '*' | '_' | '`' | ':' | '#') {
                ' '
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn atx(line: &str) -> Option<(u8, &str)> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    let rest = &trimmed[hashes..];
    if !(1..=6).contains(&hashes) || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim_end();
    let title = title.trim_matches(['*', '_']).trim();
    (!title.is_empty()).then_some((hashes as u8, title))
}

/// A one-line paragraph underlined with `===` (level 1) or `---` (level 2).
fn setext(lines: &[Cow<'_, str>], kinds: &mut [Kind], i: usize) -> Option<u8> {
    let next = lines.get(i + 1)?.trim();
    if kinds[i + 1] != Kind::Decoration || (i > 0 && kinds[i - 1] == Kind::Text) {
        return None;
    }
    if is_list_item(lines[i].trim_start()) || lines[i].trim().len() > 120 {
        return None;
    }
    if next.bytes().all(|b| b == b'=') {
        Some(1)
    } else if next.bytes().all(|b| b == b'-') {
        Some(2)
    } else {
        None
    }
}

fn bold_line(line: &str) -> Option<&str> {
    let trimmed = line.trim();
    ["**", "__"].into_iter().find_map(|mark| {
        let inner = trimmed.strip_prefix(mark)?.strip_suffix(mark)?;
        let inner = inner.trim().trim_end_matches(':').trim_end();
        let fits =
            !inner.is_empty() && !inner.contains(mark) && inner.split_whitespace().count() <= 12;
        fits.then_some(inner)
    })
}

pub(super) fn is_list_item(trimmed: &str) -> bool {
    ["- ", "* ", "+ ", "• ", "· ", "– ", "o "]
        .iter()
        .any(|m| trimmed.starts_with(m))
}

/// "Purpose:" or "**Scope:** all staff…": the label, and where the text after it starts.
fn label(line: &str) -> Option<(&str, Option<usize>)> {
    let lead = line.len() - line.trim_start().len();
    let mut text = &line[lead..];
    let mut offset = lead;
    for mark in ["**", "__"] {
        if let Some(rest) = text.strip_prefix(mark) {
            text = rest;
            offset += mark.len();
        }
    }
    let colon = text.find(':').filter(|&c| c > 0 && c <= 60)?;
    let title = text[..colon].trim().trim_matches(['*', '_']).trim();
    let words = title.split_whitespace().count();
    if title.contains(['[', ']', '{', '}', '<', '>', '(', ')', '"'])
        || words == 0
        || words > 5
        || !title
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    {
        return None;
    }
    let after = &text[colon + 1..];
    let body = after.trim_start_matches(['*', '_', ' ', '\t']);
    if body.is_empty() {
        Some((title, None))
    } else {
        Some((title, Some(offset + colon + 1 + after.len() - body.len())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_is_read_and_left_out_of_the_key() {
        let n = numbering("2.3 Scope").expect("numbered");
        assert_eq!((n.depth, n.first, n.rest), (2, Some(2), "Scope"));
        assert_eq!(numbering("1.0 Purpose").map(|n| n.depth), Some(1));
        assert_eq!(
            numbering("IV. Exceptions").map(|n| n.rest),
            Some("Exceptions")
        );
        assert_eq!(numbering("Section 4: Roles").map(|n| n.rest), Some("Roles"));
        assert!(numbering("2024 was a good year").is_none());
        assert!(numbering("I think so").is_none());
        assert_eq!(
            key_of("**3.1 Information Security Objectives:**"),
            "information security objectives"
        );
    }

    #[test]
    fn labels_are_found_with_and_without_text_after_them() {
        assert_eq!(label("Purpose:"), Some(("Purpose", None)));
        assert_eq!(label("**Scope:** all staff"), Some(("Scope", Some(11))));
        assert_eq!(label("see https://example.com"), None);
        assert_eq!(label("It applies to [scope: sites, people]."), None);
    }
}
