//! Form plumbing shared by the pages: typed values with their messages, select options, links.

use time::Date;
use uuid::Uuid;

use crate::domain::{FieldErrors, PersonKind, PersonStatus, Unit, unit::tree_order};
use crate::store::{Store, StoreResult};

/// One form field as shown again: what was typed and, after a failed submit, why it was refused.
#[derive(Debug, Clone)]
pub struct Field {
    pub id: &'static str,
    pub label: &'static str,
    pub value: String,
    pub error: Option<String>,
}

impl Field {
    pub fn new(id: &'static str, label: &'static str, value: impl Into<String>) -> Self {
        Self {
            id,
            label,
            value: value.into(),
            error: None,
        }
    }

    /// Takes the messages for `key` (a store or domain field name) from `errors`.
    pub fn with_errors(mut self, errors: &FieldErrors, key: &str) -> Self {
        if let Some(messages) = errors.get(key) {
            let sentences: Vec<String> = messages.iter().map(|m| sentence(self.label, m)).collect();
            self.error = Some(sentences.join(" "));
        }
        self
    }

    /// The attributes tying the input to its message, so screen readers announce it.
    pub fn aria(&self) -> String {
        match self.error {
            Some(_) => format!(
                r#"aria-invalid="true" aria-describedby="{}-error""#,
                self.id
            ),
            None => String::new(),
        }
    }
}

/// "is required" next to Email reads as "Email is required."; other messages are capitalized.
fn sentence(label: &str, message: &str) -> String {
    let starts_predicate = ["is ", "must ", "cannot ", "would ", "each "]
        .iter()
        .any(|p| message.starts_with(p));
    let text = if starts_predicate {
        format!("{label} {message}")
    } else {
        let mut chars = message.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default()
    };
    if text.ends_with('.') || text.ends_with(')') {
        text
    } else {
        format!("{text}.")
    }
}

/// Adds the messages of `more` for the fields `errors` says nothing about yet.
pub fn add_missing(errors: &mut FieldErrors, more: &FieldErrors) {
    for (field, messages) in more.iter() {
        if errors.get(field).is_none() {
            messages.iter().for_each(|m| errors.add(field, m.clone()));
        }
    }
}

/// The fields that failed, for the summary at the top of a refused form.
pub fn error_summary(fields: &[&Field]) -> Vec<(String, String)> {
    fields
        .iter()
        .filter_map(|f| f.error.as_ref().map(|e| (format!("#{}", f.id), e.clone())))
        .collect()
}

/// One `<option>` of a `<select>`.
#[derive(Debug, Clone)]
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl SelectOption {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// Units in tree order, indented with a marker per level; `excluded` units are left out.
pub fn unit_options(
    units: &[Unit],
    selected: &str,
    blank: &str,
    excluded: &[Uuid],
) -> Vec<SelectOption> {
    let mut options = vec![SelectOption::new("", blank, selected.is_empty())];
    for (depth, unit) in tree_order(units) {
        if excluded.contains(&unit.id) {
            continue;
        }
        let id = unit.id.to_string();
        let label = format!("{}{}", "\u{2014} ".repeat(depth), unit.name);
        options.push(SelectOption::new(id.clone(), label, id == selected));
    }
    options
}

pub fn kind_options(selected: &str, blank: Option<&str>) -> Vec<SelectOption> {
    let words = PersonKind::ALL.iter().map(|k| (k.as_str(), kind_word(*k)));
    options_from(words, selected, blank)
}

pub fn status_options(selected: &str, blank: Option<&str>) -> Vec<SelectOption> {
    let words = PersonStatus::ALL
        .iter()
        .map(|s| (s.as_str(), status_word(*s)));
    options_from(words, selected, blank)
}

fn options_from<'a>(
    words: impl Iterator<Item = (&'a str, &'a str)>,
    selected: &str,
    blank: Option<&str>,
) -> Vec<SelectOption> {
    let blank = blank.map(|label| SelectOption::new("", label, selected.is_empty()));
    blank
        .into_iter()
        .chain(words.map(|(value, word)| SelectOption::new(value, word, value == selected)))
        .collect()
}

pub fn kind_word(kind: PersonKind) -> &'static str {
    match kind {
        PersonKind::Employee => "Employee",
        PersonKind::Contractor => "Contractor",
        PersonKind::External => "External",
    }
}

pub fn status_word(status: PersonStatus) -> &'static str {
    match status {
        PersonStatus::Active => "Active",
        PersonStatus::OnLeave => "On leave",
        PersonStatus::Departed => "Departed",
    }
}

/// An optional id typed in a form or query; empty is none, anything else must be a UUID.
pub fn parse_optional_id(raw: &str) -> Result<Option<Uuid>, ()> {
    match raw.trim() {
        "" => Ok(None),
        text => Uuid::parse_str(text).map(Some).map_err(|_| ()),
    }
}

/// An optional `YYYY-MM-DD` date, as `<input type="date">` sends it.
pub fn parse_optional_date(raw: &str) -> Result<Option<Date>, ()> {
    match raw.trim() {
        "" => Ok(None),
        text => Date::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .ok()
        .and_then(|date| crate::domain::iso_date::within_range(date).ok())
        .map(Some)
        .ok_or(()),
    }
}

pub fn format_date(date: Date) -> String {
    date.format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// The person with exactly this email (ignoring case).
/// An empty email is no person; an unknown one is `Err(())` for the caller to word.
pub async fn person_by_email(
    store: &dyn Store,
    email: &str,
) -> StoreResult<Result<Option<Uuid>, ()>> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(Ok(None));
    }
    Ok(store
        .person_by_email(email)
        .await?
        .map(|p| Some(p.id))
        .ok_or(()))
}

/// A query string from pairs, leaving out empty values: `?q=ada&status=active`.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_sentences() {
        assert_eq!(sentence("Email", "is required"), "Email is required.");
        assert_eq!(
            sentence("Manager", "a person cannot be their own manager"),
            "A person cannot be their own manager."
        );
    }

    #[test]
    fn query_strings_skip_empty_values_and_encode() {
        assert_eq!(
            query_string(&[("q", "a b&c"), ("status", "")]),
            "?q=a%20b%26c"
        );
        assert_eq!(query_string(&[("q", "")]), "");
    }
}
