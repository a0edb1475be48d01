//! Headings of plain-text policies, which have no markup: numbered lines ("1. Purpose",
//! "2.3 Scope", "Section 4: Roles"), lines in capitals ("SCOPE") and short title lines. A
//! numbered list or a numbered paragraph wrapped onto the next line is not a heading.

use std::borrow::Cow;

use super::headings::{Kind, is_list_item};

/// The numbering in front of a heading: "1.", "2.3", "1.0", "4)", "A.", "IV.", "Section 3:".
pub(super) struct Numbering<'a> {
    pub depth: u8,
    pub first: Option<u32>,
    pub rest: &'a str,
}

pub(super) fn numbering(text: &str) -> Option<Numbering<'_>> {
    for word in [
        "section ",
        "article ",
        "part ",
        "chapter ",
        "clause ",
        "appendix ",
        "annex ",
    ] {
        if text.len() > word.len()
            && text.is_char_boundary(word.len())
            && text[..word.len()].eq_ignore_ascii_case(word)
        {
            let after = &text[word.len()..];
            let label_end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .unwrap_or(after.len());
            let rest = after[label_end..].trim_start_matches([' ', ':', '.', '-', '–', '—', ')']);
            return (label_end > 0 && !rest.is_empty()).then_some(Numbering {
                depth: 1,
                first: None,
                rest,
            });
        }
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut groups = Vec::new();
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 3 {
            break;
        }
        groups.push(text[start..i].parse::<u32>().unwrap_or(0));
        if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            break;
        }
    }
    let (depth, first) = if groups.is_empty() || i == 0 || !bytes[i - 1].is_ascii_digit() {
        let token_end = text.find(['.', ')'])?;
        let token = &text[..token_end];
        let roman = [
            "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
        ];
        let letter = token.len() == 1 && token.bytes().all(|b| b.is_ascii_uppercase());
        if !(letter || roman.contains(&token)) {
            return None;
        }
        i = token_end;
        (1, None)
    } else {
        let zeros = groups.iter().rev().take_while(|&&g| g == 0).count();
        (
            (groups.len() - zeros).clamp(1, 6) as u8,
            groups.first().copied(),
        )
    };
    if matches!(bytes.get(i), Some(b'.') | Some(b')')) {
        i += 1;
    }
    if !bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        return None;
    }
    let rest = text[i..].trim_start();
    (!rest.is_empty()).then_some(Numbering { depth, first, rest })
}

/// Short, no sentence punctuation at the end or inside, starting with a letter.
fn title_shape(title: &str, max_words: usize) -> bool {
    title.chars().next().is_some_and(char::is_alphabetic)
        && title.split_whitespace().count() <= max_words
        && !title.ends_with(['.', ',', ';', '!', '?', '"', '”'])
        && !title.contains(". ")
}

/// Whether a title has a verb of the kind sentences have and headings seldom do.
fn reads_as_sentence(title: &str) -> bool {
    const VERBS: &[&str] = &[
        "is", "are", "was", "were", "will", "must", "shall", "may", "should", "can", "has", "have",
        "be",
    ];
    title
        .split_whitespace()
        .any(|word| VERBS.iter().any(|verb| word.eq_ignore_ascii_case(verb)))
}

fn all_caps(title: &str) -> bool {
    title.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && !title.chars().any(char::is_lowercase)
}

/// Half or more of the longer words start with a capital ("Information Security Objectives").
fn title_case(title: &str) -> bool {
    let long: Vec<&str> = title
        .split_whitespace()
        .filter(|w| w.chars().count() >= 4)
        .collect();
    let capitalized = long
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    long.is_empty() || capitalized * 2 >= long.len()
}

pub(super) fn plain_headings(
    lines: &[Cow<'_, str>],
    kinds: &[Kind],
    found: &mut [Option<(u8, String, Option<usize>)>],
) {
    let n = lines.len();
    let mut top: Option<u32> = None;
    let numbered_item = |j: usize, depth: u8| {
        kinds[j] == Kind::Text
            && numbering(lines[j].trim()).is_some_and(|m| m.depth == depth && !all_caps(m.rest))
    };
    for i in 0..n {
        if kinds[i] != Kind::Text || found[i].is_some() {
            continue;
        }
        let line = lines[i].trim();
        if line.len() > 90 || is_list_item(line) || line.starts_with(['|', '>']) {
            continue;
        }
        if let Some(number) = numbering(line) {
            let title = number.rest.trim_end_matches(':').trim_end();
            if !title_shape(title, 10) {
                continue;
            }
            if !all_caps(title) {
                let in_list = (i > 0 && numbered_item(i - 1, number.depth))
                    || (i + 1 < n && numbered_item(i + 1, number.depth));
                let backwards = match (top, number.first) {
                    (Some(top), Some(first)) => first < top || (number.depth == 1 && first == top),
                    _ => false,
                };
                // "6.2 Objectives are agreed each year by the" wrapped onto the next line is a
                // numbered paragraph, not a heading.
                let wraps = line.len() > 50
                    && kinds.get(i + 1) == Some(&Kind::Text)
                    && reads_as_sentence(title);
                if in_list || backwards || wraps {
                    continue;
                }
            }
            if number.first.is_some() {
                top = number.first;
            }
            found[i] = Some((number.depth, line.trim_end_matches(':').to_owned(), None));
            continue;
        }
        let opens_block = i == 0 || kinds[i - 1] != Kind::Text || found[i - 1].is_some();
        let title = line.trim_end_matches(':').trim_end();
        let starts_capital = title.chars().next().is_some_and(char::is_uppercase);
        if !opens_block || !starts_capital || title.len() > 70 || !title_shape(title, 8) {
            continue;
        }
        let caps = all_caps(title);
        let colon = line.ends_with(':');
        if caps || colon || title_case(title) || title.split_whitespace().count() <= 3 {
            let level = if caps {
                1
            } else if colon {
                3
            } else {
                2
            };
            found[i] = Some((level, title.to_owned(), None));
        }
    }
}
