//! The canonical form of a policy body, and the SHA-256 content hash that identifies it.
//!
//! Two bodies that differ only in line endings, trailing spaces or trailing blank lines are the
//! same document: they have the same canonical form and the same hash.

use sha2::{Digest, Sha256};

/// `\r\n` and `\r` become `\n`, each line loses its trailing whitespace, blank lines at the start
/// and end are dropped, and a non-empty body ends with exactly one `\n`.
pub fn canonical_body(body: &str) -> String {
    let unified = body.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = unified.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(first), Some(last)) => {
            let mut text = lines[first..=last].join("\n");
            text.push('\n');
            text
        }
        _ => String::new(),
    }
}

/// The lowercase hex SHA-256 of the canonical body.
pub fn content_hash(body: &str) -> String {
    hex::encode(Sha256::digest(canonical_body(body).as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_and_trailing_space_do_not_change_the_hash() {
        let unix = "# Policy\n\nWe protect information.\n";
        let windows = "\r\n# Policy  \r\n\r\nWe protect information.\t\r\n\r\n";
        assert_eq!(canonical_body(windows), unix);
        assert_eq!(content_hash(unix), content_hash(windows));
    }

    #[test]
    fn a_changed_word_changes_the_hash() {
        assert_ne!(
            content_hash("We protect information."),
            content_hash("We protect informaton.")
        );
        assert_eq!(content_hash("a").len(), 64);
    }

    #[test]
    fn an_empty_body_is_empty() {
        assert_eq!(canonical_body(" \n\r\n\t"), "");
    }
}
