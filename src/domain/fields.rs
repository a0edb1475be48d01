//! Per-field validation errors, the shape every 422 answer and every form message takes.

use std::collections::BTreeMap;

/// Messages keyed by field name; a field may carry several messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&[String]> {
        self.0.get(field).map(Vec::as_slice)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Ok when no field failed; otherwise the collected errors.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Trims a required name of at most 200 characters, noting what is wrong under `field`.
    pub fn check_name(&mut self, field: &str, raw: &str) -> String {
        let name = raw.trim().to_owned();
        if name.is_empty() {
            self.add(field, "is required");
        } else if name.chars().count() > 200 {
            self.add(field, "must be at most 200 characters");
        }
        name
    }

    /// One line, for the command line: `email: is not a valid address; unit: is unknown`.
    pub fn summary(&self) -> String {
        self.iter()
            .map(|(field, messages)| format!("{field}: {}", messages.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}
