//! The lines as the check reads them: code blocks, inline code and HTML comments blanked out,
//! each line sorted into blank, code, decoration (rules, underlines, table separators) or text,
//! and the labels of Markdown reference links collected.

use std::borrow::Cow;
use std::collections::HashSet;

use super::headings::Kind;

/// Blanks code spans and HTML comments, and sorts lines into blank, code, decoration and text.
pub(super) fn mask<'a>(raw: &[&'a str]) -> (Vec<Cow<'a, str>>, Vec<Kind>) {
    let mut lines = Vec::with_capacity(raw.len());
    let mut kinds = Vec::with_capacity(raw.len());
    let mut fence: Option<(u8, usize)> = None;
    let mut in_comment = false;
    for &line in raw {
        let trimmed = line.trim_start();
        let ticks = trimmed
            .bytes()
            .take_while(|&b| b == b'`' || b == b'~')
            .count();
        let fence_mark = (ticks >= 3).then(|| (trimmed.as_bytes()[0], ticks));
        match (fence, fence_mark) {
            (None, Some(mark)) if trimmed.bytes().take(ticks).all(|b| b == mark.0) => {
                fence = Some(mark);
                lines.push(Cow::Borrowed(line));
                kinds.push(Kind::Code);
                continue;
            }
            (Some(open), Some(mark)) if mark.0 == open.0 && mark.1 >= open.1 => {
                fence = None;
                lines.push(Cow::Borrowed(line));
                kinds.push(Kind::Code);
                continue;
            }
            (Some(_), _) => {
                lines.push(Cow::Borrowed(line));
                kinds.push(Kind::Code);
                continue;
            }
            _ => {}
        }
        let masked = mask_line(line, &mut in_comment);
        let trimmed = masked.trim();
        let kind = if trimmed.is_empty() {
            Kind::Blank
        } else if trimmed.len() >= 3 && trimmed.bytes().all(|b| b"-=_*~|:+ ".contains(&b)) {
            Kind::Decoration
        } else {
            Kind::Text
        };
        lines.push(masked);
        kinds.push(kind);
    }
    (lines, kinds)
}

/// `line` with inline code and HTML comments (which may span lines) turned into spaces.
fn mask_line<'a>(line: &'a str, in_comment: &mut bool) -> Cow<'a, str> {
    if !*in_comment && !line.contains('`') && !line.contains("<!--") {
        return Cow::Borrowed(line);
    }
    let original = line.as_bytes();
    let mut bytes = original.to_vec();
    let mut i = 0;
    while i < original.len() {
        if *in_comment {
            let end = match find_bytes(&original[i..], b"-->") {
                Some(at) => {
                    *in_comment = false;
                    i + at + 3
                }
                None => original.len(),
            };
            bytes[i..end].fill(b' ');
            i = end;
        } else if original[i..].starts_with(b"<!--") {
            *in_comment = true;
        } else if original[i] == b'`' {
            let run = original[i..].iter().take_while(|&&b| b == b'`').count();
            let close = find_bytes(&original[i + run..], &original[i..i + run]);
            match close {
                Some(at) => {
                    let end = i + run + at + run;
                    bytes[i..end].fill(b' ');
                    i = end;
                }
                None => i += run,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8(bytes).map_or(Cow::Borrowed(line), Cow::Owned)
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len())
        .position(|window| window == needle)
}

/// The labels of `[label]: url` lines, so that `[label]` elsewhere reads as a link.
pub(super) fn reference_labels(lines: &[Cow<'_, str>], kinds: &[Kind]) -> HashSet<String> {
    lines
        .iter()
        .zip(kinds)
        .filter(|(_, kind)| **kind == Kind::Text)
        .filter_map(|(line, _)| {
            let rest = line.trim_start().strip_prefix('[')?;
            let close = rest.find("]:")?;
            Some(rest[..close].to_lowercase())
        })
        .collect()
}
