//! Whole-word search in the lowercased text, the only matching the check needs: plain substring
//! search plus a look at the bytes on either side, so every search stays linear.

/// Letters, digits and any non-ASCII byte (a letter of another script) continue a word.
pub(super) fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte >= 0x80
}

/// Where `pattern` first occurs in `hay` at or after `from`, as whole words. Patterns are
/// lowercase words separated by single spaces; a trailing `*` lets the last word run on
/// (`regulat*` finds "regulatory" and "regulations").
pub(super) fn find_word(hay: &str, pattern: &str, from: usize) -> Option<usize> {
    let (needle, prefix) = match pattern.strip_suffix('*') {
        Some(needle) => (needle, true),
        None => (pattern, false),
    };
    let bytes = hay.as_bytes();
    let whole = |at: usize| {
        let end = at + needle.len();
        let starts_word = at == 0 || !is_word_byte(bytes[at - 1]);
        starts_word && (prefix || end >= bytes.len() || !is_word_byte(bytes[end]))
    };
    let rest = hay.get(from..)?;
    // Setting up a substring searcher costs more than reading a short text byte by byte
    // (headings, sections); a long text gets one searcher for all its matches.
    if rest.len() < 512 {
        let first = *needle.as_bytes().first()?;
        return (from..bytes.len())
            .filter(|&at| bytes[at] == first && bytes[at..].starts_with(needle.as_bytes()))
            .find(|&at| whole(at));
    }
    rest.match_indices(needle)
        .map(|(at, _)| from + at)
        .find(|&at| whole(at))
}

/// Whether any of `patterns` occurs in `hay` as whole words.
pub(super) fn contains_any(hay: &str, patterns: &[&str]) -> bool {
    patterns.iter().any(|p| find_word(hay, p, 0).is_some())
}

/// The earliest occurrence of any of `patterns`, and which pattern it was. Once one is found,
/// the others are only looked for before it.
pub(super) fn first_of(hay: &str, patterns: &[&'static str]) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, &'static str)> = None;
    for &pattern in patterns {
        // A match starting before `at` ends, with the byte after it, before `at + len + 1`.
        let scope = match best {
            Some((at, _)) => {
                &hay[..hay.ceil_char_boundary((at + pattern.len() + 1).min(hay.len()))]
            }
            None => hay,
        };
        if let Some(at) = find_word(scope, pattern, 0)
            && best.is_none_or(|(earliest, _)| at < earliest)
        {
            best = Some((at, pattern));
        }
    }
    best
}

/// How many words of two letters or more `text` holds, counting no further than `enough`.
pub(super) fn word_count(text: &str, enough: usize) -> usize {
    let mut count = 0;
    let mut letters = 0;
    for byte in text.bytes().chain(std::iter::once(b' ')) {
        if byte.is_ascii_alphabetic() || byte >= 0x80 {
            letters += 1;
        } else if byte != b'\'' && byte != b'-' {
            if letters >= 2 {
                count += 1;
                if count >= enough {
                    return count;
                }
            }
            letters = 0;
        }
    }
    count
}

/// The sentence of `hay` around byte `at`: bounded by `.`, `!` or `?` before a space, by a
/// paragraph break (`\n`), and by `reach` bytes either side.
pub(super) fn sentence_around(hay: &str, at: usize, reach: usize) -> (usize, usize) {
    let bytes = hay.as_bytes();
    let ends_sentence = |i: usize| {
        matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes
                .get(i + 1)
                .is_none_or(|&next| next == b' ' || next == b'\n')
    };
    let floor = hay.floor_char_boundary(at.saturating_sub(reach));
    let mut start = at;
    while start > floor && bytes[start - 1] != b'\n' && !ends_sentence(start - 1) {
        start -= 1;
    }
    let ceiling = hay.ceil_char_boundary((at + reach).min(hay.len()));
    let mut end = at;
    while end < ceiling && bytes[end] != b'\n' && !ends_sentence(end) {
        end += 1;
    }
    while start < end && bytes[start] == b' ' {
        start += 1;
    }
    (hay.floor_char_boundary(start), hay.ceil_char_boundary(end))
}

/// `text` cut to at most `max` characters at a word boundary, with `…` when it was cut.
pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let kept = match cut.rfind(' ') {
        Some(space) if space > cut.len() / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", kept.trim_end_matches([' ', ',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_matched_whole_unless_the_pattern_runs_on() {
        assert_eq!(find_word("the law applies", "law", 0), Some(4));
        assert_eq!(find_word("a lawn and the laws", "law", 0), None);
        assert_eq!(find_word("a lawn and the laws", "laws", 0), Some(15));
        assert_eq!(find_word("regulatory duties", "regulat*", 0), Some(0));
        assert_eq!(find_word("contractors", "contract", 0), None);
        assert_eq!(find_word("naïve objectives", "objectives", 0), Some(7));
    }

    #[test]
    fn a_sentence_stops_at_full_stops_and_paragraph_breaks() {
        let text = "first part. we comply with the law. next\nother";
        let at = text.find("comply").expect("the word is there");
        let (start, end) = sentence_around(text, at, 300);
        assert_eq!(&text[start..end], "we comply with the law");
    }

    #[test]
    fn long_text_is_shortened_at_a_word() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two three four five", 12), "one two…");
        assert_eq!(word_count("a to be or TBD", 10), 4);
    }
}
