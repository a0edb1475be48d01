//! What may pass from a policy into typst source, and how.
//!
//! The author's text is written with [`push_text`], which backslash-escapes each ASCII punctuation
//! character: all of typst's markup syntax (`# $ * _ [ ] < > @ = - + / \ ` ~ ' " :` and the
//! rest) is ASCII punctuation, and a backslash before any of them is always just that character
//! (the only escape that is more, `\u{...}`, starts with a letter, which is never escaped).
//! Code, URLs and the title block are written as string literals with [`string_literal`].

use pulldown_cmark::LinkType;

/// Writes text for typst markup: ASCII punctuation backslash-escaped, line breaks and tabs as
/// spaces (the structure decides where lines break), other control characters dropped.
pub(crate) fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if c.is_whitespace() {
            out.push(' ');
        } else if !c.is_control() {
            out.push(c);
        }
    }
}

/// A typst string literal: only `\` and `"` need escaping; line breaks are written as escapes to
/// keep the markup one line per block.
pub(crate) fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A code block's language for highlighting, if it is a plain name.
pub(crate) fn language(info: &str) -> String {
    let name = info.split_whitespace().next().unwrap_or("");
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '_' | '.' | '#'))
    {
        name.to_owned()
    } else {
        String::new()
    }
}

/// Only web and mail addresses become PDF links; anything else (`javascript:`, relative links
/// that lead nowhere outside the page) stays plain text.
pub(crate) fn link_target(link_type: LinkType, url: &str) -> Option<String> {
    if link_type == LinkType::Email {
        return Some(format!("mailto:{url}"));
    }
    let scheme = url.split_once(':')?.0.to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https" | "mailto").then(|| url.to_owned())
}
