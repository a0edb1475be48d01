//! The starting text of a new policy, in our own words: a top-level information security policy
//! with a section for each element the content check looks for, and a short topic-specific one.
//! The bracketed phrases are placeholders the check flags until they are replaced.

/// A new top-level information security policy (ISO/IEC 27001 5.2, 5.3 and A.5.1).
pub const TOP_LEVEL: &str = include_str!("templates/top_level.md");

/// A new topic-specific policy: purpose, scope, policy statements, roles, exceptions, review.
pub const TOPIC_SPECIFIC: &str = include_str!("templates/topic_specific.md");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::content_check::{CheckContext, Element, check_policy};

    /// The template with every placeholder replaced by plain words.
    fn filled_in(template: &str) -> String {
        let report = check_policy(template, &CheckContext::default());
        let mut text = template.to_owned();
        for placeholder in &report.placeholders {
            text = text.replace(&placeholder.text, "Northwind Clinics");
        }
        text
    }

    #[test]
    fn the_top_level_template_has_every_element_and_placeholders_to_replace() {
        let report = check_policy(TOP_LEVEL, &CheckContext::default());
        assert_eq!(report.missing().collect::<Vec<_>>(), []);
        let headings: Vec<Option<String>> = report
            .findings
            .iter()
            .map(|f| f.found.as_ref().and_then(|p| p.heading.clone()))
            .collect();
        let expected = [
            "Purpose and scope",
            "Information security objectives",
            "Commitment to applicable requirements",
            "Continual improvement",
            "Roles and responsibilities",
            "Exceptions",
        ];
        assert_eq!(headings, expected.map(|h| Some(h.to_owned())));
        let texts: Vec<&str> = report
            .placeholders
            .iter()
            .map(|p| p.text.as_str())
            .collect();
        assert!(texts.contains(&"[Organization name]"), "{texts:?}");
        assert!(
            texts.contains(&"[scope: sites, services, people]"),
            "{texts:?}"
        );
        assert!(!report.is_complete());
    }

    #[test]
    fn the_top_level_template_filled_in_is_complete() {
        let context = CheckContext {
            organization_name: Some("Northwind Clinics".into()),
        };
        let report = check_policy(&filled_in(TOP_LEVEL), &context);
        assert!(report.is_complete(), "{}", report.to_text());
        let purpose = &report.findings[0];
        assert_eq!(purpose.element, Element::PurposeScope);
        assert_eq!(purpose.note.as_deref(), Some("names the organization"));
    }

    #[test]
    fn the_topic_specific_template_has_its_sections_and_placeholders() {
        for heading in [
            "## Purpose",
            "## Scope",
            "## Policy statements",
            "## Roles and responsibilities",
            "## Exceptions",
            "## Review",
        ] {
            assert!(TOPIC_SPECIFIC.contains(heading), "{heading}");
        }
        let report = check_policy(TOPIC_SPECIFIC, &CheckContext::default());
        assert!(report.placeholders.iter().any(|p| p.text == "[Topic]"));
        let found: Vec<Element> = report
            .findings
            .iter()
            .filter(|f| f.found.is_some())
            .map(|f| f.element)
            .collect();
        for element in [
            Element::PurposeScope,
            Element::RolesResponsibilities,
            Element::ExceptionsProcedure,
        ] {
            assert!(found.contains(&element), "{element:?}");
        }
    }
}
