//! Unreplaced template text: `[Organization name]`, `{{owner}}`, `<insert date>`, `<<scope>>`,
//! `TBD`, `TODO`, `XXX`, `Lorem ipsum`. Markdown links, images, footnotes, task boxes and
//! citations such as `[ISO 27001]` use square brackets too and are not placeholders.

use std::collections::HashSet;
use std::ops::Range;

/// Words that open a lowercase placeholder: `[insert the date]`, `[scope: sites, people]`.
const OPENING_WORDS: &[&str] = &[
    "add",
    "describe",
    "date",
    "define",
    "enter",
    "fill",
    "insert",
    "list",
    "name",
    "organisation",
    "organization",
    "company",
    "placeholder",
    "scope",
    "specify",
    "state",
    "tbc",
    "tbd",
    "todo",
    "your",
    "owner",
    "role",
    "title",
    "who",
    "what",
    "when",
    "how",
    "link",
    "url",
    "email",
];

/// Capitalized words that fill in for a real one (`TBD`, `TODO`), matched case-sensitively.
const STAND_IN_WORDS: &[&str] = &["TBD", "TBC", "TODO", "FIXME"];

/// The placeholders of one line (already stripped of code spans and comments), as byte ranges.
/// `references` are the lowercased labels of `[label]: url` definitions, whose shortcut links
/// `[label]` are links, not placeholders.
pub(super) fn find(line: &str, references: &HashSet<String>) -> Vec<Range<usize>> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let next = match bytes[i] {
            b'[' => bracket(line, i, references).map(|end| push(&mut found, i..end)),
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                closing(line, i + 2, "}}").map(|end| push(&mut found, i..end))
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                closing(line, i + 2, ">>").map(|end| push(&mut found, i..end))
            }
            b'<' => angle(line, i).map(|end| push(&mut found, i..end)),
            _ => None,
        };
        i = next.unwrap_or(i + 1);
    }
    stand_in_words(line, &mut found);
    found.sort_by_key(|range| range.start);
    found
}

fn push(found: &mut Vec<Range<usize>>, range: Range<usize>) -> usize {
    let end = range.end;
    found.push(range);
    end
}

/// The longest placeholder looked for, in bytes: closing marks further away do not count, which
/// also keeps a long line with many opening marks linear.
const LONGEST: usize = 200;

/// The part of `line` from `from` in which a closing mark may stand.
fn window(line: &str, from: usize) -> &str {
    line.get(from..line.ceil_char_boundary((from + LONGEST).min(line.len())))
        .unwrap_or_default()
}

/// The end (exclusive) of `close` searched from `from`.
fn closing(line: &str, from: usize, close: &str) -> Option<usize> {
    window(line, from)
        .find(close)
        .map(|at| from + at + close.len())
}

/// `[...]` at `open`: the end past its closing bracket when it is a placeholder; `None` when it
/// is a link, footnote, task box or citation, or is not closed on the line.
fn bracket(line: &str, open: usize, references: &HashSet<String>) -> Option<usize> {
    let bytes = line.as_bytes();
    let close = open + 1 + window(line, open + 1).find([']', '['])?;
    if bytes[close] == b'[' {
        return None;
    }
    let content = &line[open + 1..close];
    let before = open.checked_sub(1).map(|b| bytes[b]);
    let after = bytes.get(close + 1).copied();
    let is_definition = after == Some(b':') && line[..open].trim().is_empty();
    let is_link = matches!(after, Some(b'(') | Some(b'['))
        || matches!(before, Some(b']') | Some(b'!') | Some(b'\\'))
        || is_definition
        || content.starts_with('^')
        || matches!(content, "" | " " | "x" | "X")
        || references.contains(&content.to_lowercase());
    (!is_link && looks_like_placeholder(content)).then_some(close + 1)
}

/// A `[` left open at the end of a line whose phrase reads like a placeholder ("…matters to
/// [what the organization" wrapped onto the next line): its offset.
pub(super) fn unclosed(line: &str) -> Option<usize> {
    let open = line.rfind('[')?;
    let content = &line[open + 1..];
    let before = open.checked_sub(1).map(|b| line.as_bytes()[b]);
    let plain = !content.contains(']') && !matches!(before, Some(b']') | Some(b'!') | Some(b'\\'));
    (plain && looks_like_placeholder(content)).then_some(open)
}

/// The end (past `]`) of a placeholder that opened on the line before, when `line` closes it.
pub(super) fn closing_part(line: &str) -> Option<usize> {
    let close = line.find(']')?;
    let after = line.as_bytes().get(close + 1);
    let is_link = matches!(after, Some(b'(') | Some(b'['));
    (!line[..close].contains('[') && !is_link).then_some(close + 1)
}

/// A bracketed phrase is a placeholder when it starts with a capital (`[Organization name]`),
/// with a word such as "insert", or has words (`[sites and teams covered]`): policies use square
/// brackets for little else than links. A citation (`[ISO 27001]`, `[1]`) or `[sic]` is not.
fn looks_like_placeholder(content: &str) -> bool {
    let content = content.trim();
    if content.chars().count() < 2 || content.chars().count() > 150 {
        return false;
    }
    let first_word = content
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let opens = OPENING_WORDS.contains(&first_word.as_str());
    let has_digit = content.bytes().any(|b| b.is_ascii_digit());
    let has_lowercase_word = content
        .split(|c: char| !c.is_ascii_lowercase())
        .any(|run| run.len() >= 3);
    if has_digit && !has_lowercase_word && !opens {
        return false;
    }
    let phrase = content.split_whitespace().count() >= 2 && has_lowercase_word;
    opens || phrase || content.chars().next().is_some_and(char::is_uppercase)
}

/// `<insert date>`, `<Organization name>`; HTML tags and autolinks (`<br>`, `<https://…>`) are not.
fn angle(line: &str, open: usize) -> Option<usize> {
    let close = open + 1 + window(line, open + 1).find('>')?;
    let content = &line[open + 1..close];
    if content.is_empty() || content.len() > 150 || content.contains(['=', '/', '"', '<']) {
        return None;
    }
    let first_word = content
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let opens = OPENING_WORDS.contains(&first_word.as_str()) && content.len() > first_word.len();
    let capitalized = content.chars().next().is_some_and(char::is_uppercase)
        && (content.contains(' ') || content.chars().any(char::is_lowercase));
    (opens || capitalized).then_some(close + 1)
}

/// A line that only says the text is still to come.
const STAND_IN_LINES: &[&str] = &[
    "to be completed",
    "to be confirmed",
    "to be determined",
    "to be written",
    "to be added",
    "to be defined",
    "to follow",
    "coming soon",
];

/// "Lorem ipsum" to the end of its sentence, then `TBD`, `TODO`, `XXX` (and longer runs of X)
/// outside the ranges already found, and lines such as "To be completed."
fn stand_in_words(line: &str, found: &mut Vec<Range<usize>>) {
    let mut extra = Vec::new();
    let lower = if line.contains("orem") || line.contains("OREM") {
        line.to_ascii_lowercase()
    } else {
        String::new()
    };
    let mut from = 0;
    let mut cursor = 0;
    while let Some(at) = lower[from..].find("lorem ipsum") {
        let start = from + at;
        let end = lower[start..]
            .find(". ")
            .map_or(line.len(), |stop| start + stop + 1);
        let range = start..end;
        if outside(&range, found, &mut cursor) {
            extra.push(range.clone());
        }
        from = end;
    }
    let lorem = extra.len();
    let (mut cursor, mut lorem_cursor) = (0, 0);
    let mut start = None;
    for (i, byte) in line.bytes().chain(std::iter::once(b' ')).enumerate() {
        if byte.is_ascii_alphanumeric() || byte >= 0x80 {
            start.get_or_insert(i);
            continue;
        }
        let Some(from) = start.take() else { continue };
        let word = &line[from..i];
        let xs = word.len() >= 3 && word.bytes().all(|b| b == b'X');
        if (xs || STAND_IN_WORDS.contains(&word))
            && outside(&(from..i), &extra[..lorem], &mut lorem_cursor)
            && outside(&(from..i), found, &mut cursor)
        {
            extra.push(from..i);
        }
    }
    let trimmed = line.trim().trim_start_matches(['-', '*', '+', '_', ' ']);
    let bare = trimmed.trim_end_matches(['.', '*', '_', ' ']);
    let stand_in_line = STAND_IN_LINES.iter().any(|s| bare.eq_ignore_ascii_case(s));
    if found.is_empty() && extra.is_empty() && stand_in_line {
        let start = line.len() - line.trim_start().len();
        extra.push(start..line.trim_end().len());
    }
    found.extend(extra);
}

/// Whether `range` overlaps none of `found` (in line order); `cursor` moves forward only, for
/// ranges asked about in line order.
fn outside(range: &Range<usize>, found: &[Range<usize>], cursor: &mut usize) -> bool {
    while *cursor < found.len() && found[*cursor].end <= range.start {
        *cursor += 1;
    }
    found.get(*cursor).is_none_or(|f| range.end <= f.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<&str> {
        let references = HashSet::from(["policy index".to_owned()]);
        find(line, &references)
            .into_iter()
            .map(|range| &line[range])
            .collect()
    }

    #[test]
    fn bracketed_capitalized_phrases_are_placeholders() {
        assert_eq!(
            texts("[Organization name] covers [scope: sites, services, people]."),
            ["[Organization name]", "[scope: sites, services, people]"]
        );
        assert_eq!(
            texts("Approved by [CISO] on [insert date]"),
            ["[CISO]", "[insert date]"]
        );
        assert_eq!(texts("It covers [sites and teams]."), ["[sites and teams]"]);
    }

    #[test]
    fn links_footnotes_task_boxes_and_citations_are_not() {
        assert!(texts("See [the Acceptable Use Policy](aup.md) and [Policy index].").is_empty());
        assert!(texts("Read [Access Control][access] and ![Logo](logo.png)").is_empty());
        assert!(texts("- [ ] reviewed - [x] approved - [X] done").is_empty());
        assert!(texts("As required by law[^1], see [ISO 27001] and [1].").is_empty());
        assert!(texts("[access]: https://example.com/access").is_empty());
        assert!(texts("The word [sic] and escaped \\[Not this] stay.").is_empty());
    }

    #[test]
    fn other_placeholder_styles_are_found() {
        assert_eq!(
            texts("Owner: {{owner}}, <insert role>, <<Board>>, TBD, TODO and XXXX"),
            [
                "{{owner}}",
                "<insert role>",
                "<<Board>>",
                "TBD",
                "TODO",
                "XXXX"
            ]
        );
        assert_eq!(
            texts("Lorem ipsum dolor sit amet"),
            ["Lorem ipsum dolor sit amet"]
        );
        assert_eq!(
            texts("Lorem ipsum dolor. Real text."),
            ["Lorem ipsum dolor."]
        );
        assert_eq!(texts("To be completed."), ["To be completed."]);
        assert!(texts("The owner is to be confirmed by the board.").is_empty());
        assert_eq!(texts("Review date: [TBD]"), ["[TBD]"]);
    }

    #[test]
    fn html_and_ordinary_words_are_not_placeholders() {
        assert!(texts("Line<br>break, <https://example.com>, <a href=\"x\">").is_empty());
        assert!(texts("Tbd is not shouted; XX is too short; TBDs are plural").is_empty());
    }
}
