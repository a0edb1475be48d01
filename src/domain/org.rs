//! The organization profile: who the ISMS belongs to, what it is for, and what it covers.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::FieldErrors;

/// Name, purpose, ISMS scope statement and strategic themes of the organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrgProfile {
    pub name: String,
    pub purpose: String,
    pub isms_scope: String,
    pub strategic_themes: Vec<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
}

/// What a user submits to change the profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrgProfileInput {
    pub name: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub isms_scope: String,
    #[serde(default)]
    pub strategic_themes: Vec<String>,
}

impl OrgProfileInput {
    /// Trims every text, drops empty and repeated themes, and checks the name.
    pub fn validate(self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check_name("name", &self.name);
        let mut themes: Vec<String> = Vec::new();
        for theme in self.strategic_themes.iter().map(|t| t.trim()) {
            if !theme.is_empty() && !themes.iter().any(|t| t.eq_ignore_ascii_case(theme)) {
                themes.push(theme.to_owned());
            }
        }
        if themes.iter().any(|t| t.chars().count() > 200) {
            errors.add(
                "strategic_themes",
                "each theme must be at most 200 characters",
            );
        }
        errors.into_result()?;
        Ok(Self {
            name,
            purpose: self.purpose.trim().to_owned(),
            isms_scope: self.isms_scope.trim().to_owned(),
            strategic_themes: themes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_are_trimmed_and_deduplicated() {
        let input = OrgProfileInput {
            name: " Acme ".into(),
            strategic_themes: vec![
                "Growth".into(),
                " growth ".into(),
                "".into(),
                "Trust".into(),
            ],
            ..Default::default()
        };
        let valid = input.validate().expect("valid");
        assert_eq!(valid.name, "Acme");
        assert_eq!(valid.strategic_themes, vec!["Growth", "Trust"]);
    }

    #[test]
    fn name_is_required() {
        let errors = OrgProfileInput::default().validate().expect_err("invalid");
        assert_eq!(errors.get("name"), Some(&["is required".to_owned()][..]));
    }
}
