//! The required-content check of a top-level information security policy: does the text the
//! organization wrote hold each element ISO/IEC 27001 asks of it (5.2.a-d, 5.3, A.5.1), and has
//! every template placeholder been replaced?
//!
//! Real policies do not follow a template, so each element is looked for first under a heading
//! that names it ("Scope", "Information Security Objectives", "Exemptions", …) whose section says
//! something, then in the phrasing of the body text ("this policy applies to", "we comply with
//! applicable laws"). Markdown and plain text (numbered, capitalized or `Purpose:` headings) are
//! both read. Every step is a plain substring scan, so the check stays linear in the length of
//! the text.

mod headings;
mod masking;
mod outline;
mod placeholders;
mod plain_text;
mod report;
mod rules;
#[cfg(test)]
mod tests;
mod text;
// Word lists laid out as paragraphs; rustfmt would put one word per line.
#[rustfmt::skip]
mod vocabulary;

use serde::Serialize;
use utoipa::ToSchema;

use outline::Outline;
use rules::Found;

/// What the check knows about the organization besides the text.
#[derive(Debug, Clone, Default)]
pub struct CheckContext {
    /// The organization's name; when given, the purpose and scope should name it.
    pub organization_name: Option<String>,
}

/// An element a top-level information security policy must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    PurposeScope,
    Objectives,
    RequirementsCommitment,
    ContinualImprovement,
    RolesResponsibilities,
    ExceptionsProcedure,
}

impl Element {
    pub const ALL: [Element; 6] = [
        Element::PurposeScope,
        Element::Objectives,
        Element::RequirementsCommitment,
        Element::ContinualImprovement,
        Element::RolesResponsibilities,
        Element::ExceptionsProcedure,
    ];

    /// The requirement it answers (see `spec/REQUIREMENTS.md`).
    pub fn requirement(self) -> &'static str {
        match self {
            Element::PurposeScope => "5.2.a",
            Element::Objectives => "5.2.b",
            Element::RequirementsCommitment => "5.2.c",
            Element::ContinualImprovement => "5.2.d",
            Element::RolesResponsibilities => "5.3",
            Element::ExceptionsProcedure => "A.5.1",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Element::PurposeScope => "Purpose and scope",
            Element::Objectives => "Information security objectives",
            Element::RequirementsCommitment => "Commitment to applicable requirements",
            Element::ContinualImprovement => "Commitment to continual improvement",
            Element::RolesResponsibilities => "Roles and responsibilities",
            Element::ExceptionsProcedure => "Exceptions procedure",
        }
    }

    /// What to write when the element is missing.
    pub fn hint(self) -> &'static str {
        match self {
            Element::PurposeScope => {
                "Say why the policy exists and what it covers: which parts of the organization, sites, services and people."
            }
            Element::Objectives => {
                "State the information security objectives, or how they are set, measured and reviewed."
            }
            Element::RequirementsCommitment => {
                "Commit to meeting the legal, regulatory and contractual requirements that apply to the organization."
            }
            Element::ContinualImprovement => {
                "Commit to continually improving the information security management system."
            }
            Element::RolesResponsibilities => {
                "Say who is responsible and accountable for information security, from top management to every member of staff."
            }
            Element::ExceptionsProcedure => {
                "Describe how an exception to the policy is requested, approved, recorded, limited in time and reviewed."
            }
        }
    }
}

/// Where an element was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Passage {
    /// The heading it sits under, as written.
    pub heading: Option<String>,
    /// Its first words, at most about 300 characters.
    pub excerpt: String,
    /// 1-based: the heading's line, or the line of the phrasing found.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Finding {
    pub element: Element,
    /// `None` when the element is missing.
    pub found: Option<Passage>,
    /// What the reader should know besides (the organization is not named; a section holds
    /// only a placeholder).
    pub note: Option<String>,
}

/// Template text left in the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Placeholder {
    /// 1-based.
    pub line: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ContentReport {
    /// One per element, in `Element::ALL` order.
    pub findings: Vec<Finding>,
    pub placeholders: Vec<Placeholder>,
}

impl ContentReport {
    pub fn missing(&self) -> impl Iterator<Item = Element> + '_ {
        self.findings
            .iter()
            .filter(|finding| finding.found.is_none())
            .map(|finding| finding.element)
    }

    /// Every element found and no placeholder left.
    pub fn is_complete(&self) -> bool {
        self.missing().next().is_none() && self.placeholders.is_empty()
    }

    pub fn to_text(&self) -> String {
        report::to_text(self)
    }
}

/// Checks a policy body (Markdown or plain text) for each required element and for placeholders.
pub fn check_policy(body: &str, context: &CheckContext) -> ContentReport {
    let outline = Outline::parse(body);
    let masks: Vec<u8> = outline
        .headings
        .iter()
        .map(|heading| rules::heading_mask(&heading.key))
        .collect();
    let findings = Element::ALL
        .iter()
        .map(|&element| finding(element, &outline, &masks, context))
        .collect();
    ContentReport {
        findings,
        placeholders: outline.placeholders,
    }
}

fn finding(
    element: Element,
    outline: &Outline<'_>,
    masks: &[u8],
    context: &CheckContext,
) -> Finding {
    let (found, passage_text) = match rules::find(element, outline, masks) {
        Found::Heading(index) => {
            let heading = &outline.headings[index];
            let passage = Passage {
                heading: Some(heading.title.clone()),
                excerpt: outline.section_excerpt(heading),
                line: heading.line + 1,
            };
            (
                passage,
                format!("{} {}", heading.key, outline.section(heading)),
            )
        }
        Found::Text { at, pattern } => {
            let line = outline.line_of(at);
            let passage = Passage {
                heading: outline.heading_over(line).map(|h| h.title.clone()),
                excerpt: outline.excerpt_at(line, pattern),
                line: line + 1,
            };
            (passage, outline.paragraph_around(at).to_owned())
        }
        Found::Missing { empty_heading } => {
            let note = empty_heading.map(|index| {
                let heading = &outline.headings[index];
                format!(
                    "the section \"{}\" (line {}) holds no text yet, or only placeholders",
                    heading.title,
                    heading.line + 1
                )
            });
            return Finding {
                element,
                found: None,
                note,
            };
        }
    };
    let note = match (&context.organization_name, element) {
        (Some(name), Element::PurposeScope) if !name.trim().is_empty() => {
            Some(if names(&passage_text, name) {
                "names the organization".to_owned()
            } else {
                format!(
                    "does not name the organization ({}); say whose purpose and scope this is",
                    name.trim()
                )
            })
        }
        _ => None,
    };
    Finding {
        element,
        found: Some(found),
        note,
    }
}

/// Whether the (clean, lowercased) passage names the organization, with or without its legal
/// form or a leading "The" ("Acme" names "Acme Ltd").
fn names(passage: &str, name: &str) -> bool {
    const LEGAL_FORMS: &[&str] = &[
        "ltd",
        "limited",
        "inc",
        "llc",
        "llp",
        "gmbh",
        "plc",
        "corp",
        "corporation",
        "co",
        "sa",
        "ag",
        "bv",
        "nv",
        "pty",
        "srl",
        "sas",
        "oy",
        "ab",
        "as",
    ];
    let words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '`'))
        .map(|word| word.trim_end_matches(',').to_ascii_lowercase())
        .filter(|word| !word.is_empty())
        .collect();
    let first = usize::from(words.len() > 1 && words[0] == "the");
    let mut end = words.len();
    loop {
        for start in [0, first] {
            let phrase = words[start..end].join(" ");
            if !phrase.is_empty() && text::find_word(passage, &phrase, 0).is_some() {
                return true;
            }
        }
        let legal_form =
            end > first + 1 && LEGAL_FORMS.contains(&words[end - 1].trim_end_matches('.'));
        if !legal_form {
            return false;
        }
        end -= 1;
    }
}
