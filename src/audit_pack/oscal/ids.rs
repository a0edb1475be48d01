//! Identifiers in the OSCAL document: deterministic UUIDs (derived from the pack's own ids, so
//! the same pack renders the same document) and OSCAL tokens for controls and roles.

use std::collections::HashSet;

use uuid::Uuid;

use crate::domain::audit_pack::AuditPack;
use crate::domain::conformance::EvidenceKind;

/// The namespace of every UUID Charter derives for OSCAL.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:charter:oscal")
}

/// A UUID derived from a name as version 5 does (SHA-1 in a namespace), written in version-4
/// form: OSCAL accepts both, but tools that check `#uuid` links (compliance-trestle among them)
/// recognise only version 4.
fn derived(namespace: &Uuid, name: &[u8]) -> Uuid {
    uuid::Builder::from_random_bytes(Uuid::new_v5(namespace, name).into_bytes()).into_uuid()
}

/// The UUIDs of one document, derived from the assessment and the export event of its pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ids {
    pub document: Uuid,
}

impl Ids {
    pub fn new(pack: &AuditPack) -> Self {
        let name = format!(
            "assessment-results/{}/{}",
            pack.assessment.id, pack.export_event.event.hash
        );
        Self {
            document: derived(&namespace(), name.as_bytes()),
        }
    }

    fn of(&self, what: &str) -> Uuid {
        derived(&self.document, what.as_bytes())
    }

    pub fn result(&self) -> Uuid {
        self.of("result")
    }

    pub fn catalog(&self) -> Uuid {
        self.of("resource/catalog")
    }

    pub fn assessment(&self) -> Uuid {
        self.of("resource/assessment")
    }

    pub fn manifest(&self) -> Uuid {
        self.of("resource/manifest")
    }

    pub fn checkpoint(&self) -> Uuid {
        self.of("resource/checkpoint")
    }

    pub fn events(&self) -> Uuid {
        self.of("resource/events")
    }

    pub fn evidence(&self, kind: EvidenceKind, id: Uuid) -> Uuid {
        self.of(&format!("resource/{}/{id}", kind.as_str()))
    }

    pub fn observation(&self, requirement: &str) -> Uuid {
        self.of(&format!("observation/{requirement}"))
    }

    pub fn finding(&self, requirement: &str) -> Uuid {
        self.of(&format!("finding/{requirement}"))
    }
}

/// A person's party UUID: the same person has the same UUID in every document.
pub fn person(id: Uuid) -> Uuid {
    derived(&namespace(), format!("party/person/{id}").as_bytes())
}

/// The organization's party UUID.
pub fn organization(name: &str) -> Uuid {
    derived(
        &namespace(),
        format!("party/organization/{name}").as_bytes(),
    )
}

/// The OSCAL control id of a catalog requirement: `5.1.a` is `iso27001-5.1.a`.
pub fn control_id(requirement: &str) -> String {
    format!("iso27001-{}", token_chars(requirement))
}

/// A text as the characters of an OSCAL token (letters, digits, `-`, `.`, `_`), others as `-`.
fn token_chars(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Role tokens from role names, in order: lower case words joined by `-`, starting with a
/// letter, unique within the list (a repeated name gets `-2`, `-3`…).
pub fn role_tokens<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let slug = slug(name);
            let base = if slug.starts_with(|c: char| c.is_ascii_alphabetic()) {
                slug
            } else {
                format!("role-{slug}").trim_end_matches('-').to_owned()
            };
            let mut token = base.clone();
            let mut n = 2;
            while !seen.insert(token.clone()) {
                token = format!("{base}-{n}");
                n += 1;
            }
            token
        })
        .collect()
}

fn slug(name: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join("-")
}
