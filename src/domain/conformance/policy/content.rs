//! What the published top-level policy says (5.2.a–d), read by the content check of `charter
//! policy check`, plus which kinds of external requirement its commitment names.

use super::{CITED, PolicyFacts, ReadPolicy, listed, shortened};
use crate::document::content_check::{ContentReport, Element, Finding, Passage};
use crate::domain::conformance::{EvidenceKind, RequirementResult, Verdict};

/// What the content check says when the purpose and scope names the organization.
const NAMES_ORGANIZATION: &str = "names the organization";

/// The result for a rule that has no published text to read.
pub(super) fn unread(id: &str, facts: &PolicyFacts) -> RequirementResult {
    let finding = match &facts.top {
        None => {
            "No top-level information security policy is recorded, so there is no text to read."
                .to_owned()
        }
        Some(top) => format!(
            "\"{}\" has no published version, so no text of it is in force.",
            top.title
        ),
    };
    RequirementResult::new(id, Verdict::Nonconforming, finding)
}

/// The content check's finding on one element.
pub(super) fn element(report: &ContentReport, element: Element) -> Option<&Finding> {
    report.findings.iter().find(|f| f.element == element)
}

/// " (the section … holds no text yet)" when the check has a note, else nothing.
fn note_of(finding: Option<&Finding>) -> String {
    finding
        .and_then(|f| f.note.as_deref())
        .map_or(String::new(), |note| format!(" ({note})"))
}

/// Where a passage is, for a finding: `line 12, "Scope"`.
pub(super) fn place(passage: &Passage) -> String {
    match &passage.heading {
        Some(heading) => format!("line {}, \"{heading}\"", passage.line),
        None => format!("line {}", passage.line),
    }
}

/// The element missing from the policy: nonconforming, with the check's hint.
fn missing(
    id: &str,
    read: &ReadPolicy<'_>,
    of: Element,
    finding: Option<&Finding>,
) -> RequirementResult {
    RequirementResult::new(
        id,
        Verdict::Nonconforming,
        format!(
            "{} has no \"{}\" section{}. {}",
            read.label,
            of.label(),
            note_of(finding),
            of.hint()
        ),
    )
    .figure("found at", "not found")
}

fn cite_version(result: RequirementResult, read: &ReadPolicy<'_>) -> RequirementResult {
    result.cites(
        EvidenceKind::PolicyVersion,
        read.version.id,
        read.label.clone(),
    )
}

/// 5.2.a: a purpose and scope section that names the organization, and no template text left.
pub(super) fn purpose_scope(
    facts: &PolicyFacts,
    read: Option<&ReadPolicy<'_>>,
) -> RequirementResult {
    const ID: &str = "5.2.a";
    let Some(read) = read else {
        return unread(ID, facts);
    };
    let found = element(&read.report, Element::PurposeScope);
    let Some(passage) = found.and_then(|f| f.found.as_ref()) else {
        return cite_version(missing(ID, read, Element::PurposeScope, found), read);
    };
    let name = facts.organization_name.trim();
    let mut gaps = Vec::new();
    if name.is_empty() {
        gaps.push(
            "the organization profile has no name, so whether it names the organization cannot be told"
                .to_owned(),
        );
    } else if found.and_then(|f| f.note.as_deref()) != Some(NAMES_ORGANIZATION) {
        gaps.push(format!("it does not name the organization ({name})"));
    }
    let placeholders = &read.report.placeholders;
    if let Some(first) = placeholders.first() {
        gaps.push(format!(
            "{} template placeholder(s) are left in the text, the first on line {}: \"{}\"",
            placeholders.len(),
            first.line,
            first.text
        ));
    }
    let (verdict, finding) = if gaps.is_empty() {
        (
            Verdict::Conforming,
            format!(
                "The purpose and scope of {} ({}) names {name}: \"{}\"",
                read.label,
                place(passage),
                passage.excerpt
            ),
        )
    } else {
        (
            Verdict::Partial,
            format!(
                "The purpose and scope of {} is there ({}), but {}.",
                read.label,
                place(passage),
                gaps.join("; and ")
            ),
        )
    };
    let result = RequirementResult::new(ID, verdict, finding)
        .figure("found at", place(passage))
        .figure("placeholders left", placeholders.len());
    cite_version(result, read)
}

/// 5.2.b: an objectives section, or active objectives linked to the policy.
pub(super) fn objectives(facts: &PolicyFacts, read: Option<&ReadPolicy<'_>>) -> RequirementResult {
    const ID: &str = "5.2.b";
    let Some(read) = read else {
        return unread(ID, facts);
    };
    let found = element(&read.report, Element::Objectives);
    let linked: Vec<_> = facts
        .objectives
        .iter()
        .filter(|o| o.linked_to_top)
        .collect();
    let linked_names: Vec<String> = linked
        .iter()
        .map(|o| format!("\"{}\"", shortened(&o.statement, 80)))
        .collect();
    let (verdict, finding) = match found.and_then(|f| f.found.as_ref()) {
        Some(passage) => (
            Verdict::Conforming,
            format!(
                "{} sets out its objectives ({}){}.",
                read.label,
                place(passage),
                if linked.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", and {} active objective(s) are linked to it",
                        linked.len()
                    )
                }
            ),
        ),
        None if !linked.is_empty() => (
            Verdict::Conforming,
            format!(
                "{} has no objectives section, but {} active objective(s) are linked to it: {}.",
                read.label,
                linked.len(),
                listed(&linked_names)
            ),
        ),
        None => (
            Verdict::Nonconforming,
            format!(
                "{} has no objectives section{} and no active objective is linked to it. {}",
                read.label,
                note_of(found),
                Element::Objectives.hint()
            ),
        ),
    };
    let mut result = RequirementResult::new(ID, verdict, finding)
        .figure(
            "found at",
            found
                .and_then(|f| f.found.as_ref())
                .map_or("not found".to_owned(), place),
        )
        .figure("linked active objectives", linked.len());
    result = cite_version(result, read);
    for objective in linked.into_iter().take(CITED) {
        result = result.cites(
            EvidenceKind::Objective,
            objective.id,
            objective.statement.clone(),
        );
    }
    result
}

/// 5.2.c: a commitment to meeting applicable requirements that names legal, regulatory and
/// contractual ones.
pub(super) fn requirements_commitment(
    facts: &PolicyFacts,
    read: Option<&ReadPolicy<'_>>,
) -> RequirementResult {
    const ID: &str = "5.2.c";
    let Some(read) = read else {
        return unread(ID, facts);
    };
    let found = element(&read.report, Element::RequirementsCommitment);
    let Some(passage) = found.and_then(|f| f.found.as_ref()) else {
        return cite_version(
            missing(ID, read, Element::RequirementsCommitment, found),
            read,
        );
    };
    let named = kinds_named(&read.version.body, passage);
    let (named_kinds, unnamed): (Vec<_>, Vec<_>) = RequirementKind::ALL
        .iter()
        .partition(|kind| named.contains(*kind));
    let words = |kinds: &[&RequirementKind]| {
        let labels: Vec<String> = kinds.iter().map(|k| k.label().to_owned()).collect();
        listed(&labels)
    };
    let (verdict, finding) = if unnamed.is_empty() {
        (
            Verdict::Conforming,
            format!(
                "{} commits to meeting legal, regulatory and contractual requirements ({}).",
                read.label,
                place(passage)
            ),
        )
    } else if named_kinds.is_empty() {
        (
            Verdict::Partial,
            format!(
                "{} commits to meeting applicable requirements ({}), but names none of the legal, regulatory or contractual ones.",
                read.label,
                place(passage)
            ),
        )
    } else {
        (
            Verdict::Partial,
            format!(
                "{} commits to meeting {} requirements ({}), but not {} ones.",
                read.label,
                words(&named_kinds),
                place(passage),
                words(&unnamed).replace(" and ", " or ")
            ),
        )
    };
    let result = RequirementResult::new(ID, verdict, finding)
        .figure("found at", place(passage))
        .figure(
            "requirements named",
            if named_kinds.is_empty() {
                "none".to_owned()
            } else {
                words(&named_kinds)
            },
        );
    cite_version(result, read)
}

/// 5.2.d: a commitment to continual improvement.
pub(super) fn continual_improvement(
    facts: &PolicyFacts,
    read: Option<&ReadPolicy<'_>>,
) -> RequirementResult {
    const ID: &str = "5.2.d";
    let Some(read) = read else {
        return unread(ID, facts);
    };
    let found = element(&read.report, Element::ContinualImprovement);
    let Some(passage) = found.and_then(|f| f.found.as_ref()) else {
        return cite_version(
            missing(ID, read, Element::ContinualImprovement, found),
            read,
        );
    };
    let result = RequirementResult::new(
        ID,
        Verdict::Conforming,
        format!(
            "{} commits to continual improvement ({}): \"{}\"",
            read.label,
            place(passage),
            passage.excerpt
        ),
    )
    .figure("found at", place(passage));
    cite_version(result, read)
}

/// A kind of external requirement a commitment should name (5.2.c).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RequirementKind {
    Legal,
    Regulatory,
    Contractual,
}

impl RequirementKind {
    const ALL: [RequirementKind; 3] = [
        RequirementKind::Legal,
        RequirementKind::Regulatory,
        RequirementKind::Contractual,
    ];

    fn label(self) -> &'static str {
        match self {
            RequirementKind::Legal => "legal",
            RequirementKind::Regulatory => "regulatory",
            RequirementKind::Contractual => "contractual",
        }
    }

    /// Lowercase whole words; a trailing `*` lets the word run on.
    fn words(self) -> &'static [&'static str] {
        match self {
            RequirementKind::Legal => &[
                "law",
                "laws",
                "lawful*",
                "legal*",
                "legislat*",
                "statut*",
                "data protection act",
            ],
            RequirementKind::Regulatory => &["regulat*", "gdpr", "nis2", "nis 2", "hipaa"],
            RequirementKind::Contractual => &[
                "contract",
                "contracts",
                "contractual*",
                "agreement*",
                "sla",
                "slas",
                "service level*",
            ],
        }
    }
}

/// Which kinds of requirement the commitment's section names: the text from the passage's line
/// to the next heading of the same or a higher level (at most 80 lines), and its excerpt.
fn kinds_named(body: &str, passage: &Passage) -> Vec<RequirementKind> {
    let lines: Vec<&str> = body.lines().collect();
    let start = passage.line.saturating_sub(1).min(lines.len());
    let level = lines.get(start).and_then(|line| atx_level(line));
    let end = (start + 1..lines.len().min(start + 80))
        .find(|&i| atx_level(lines[i]).is_some_and(|l| level.is_none_or(|top| l <= top)))
        .unwrap_or_else(|| lines.len().min(start + 80));
    let mut text = lines[start..end].join("\n");
    text.push('\n');
    text.push_str(&passage.excerpt);
    let text = text.to_lowercase();
    RequirementKind::ALL
        .into_iter()
        .filter(|kind| kind.words().iter().any(|word| names_word(&text, word)))
        .collect()
}

/// The level of a Markdown `#` heading line.
fn atx_level(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    let rest = &trimmed[hashes..];
    ((1..=6).contains(&hashes) && rest.starts_with([' ', '\t'])).then_some(hashes)
}

/// Whether `text` holds `pattern` as a whole word (or as the start of one with a trailing `*`).
fn names_word(text: &str, pattern: &str) -> bool {
    let (stem, runs_on) = match pattern.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (pattern, false),
    };
    text.match_indices(stem).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + stem.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric)
            && (runs_on || !after.is_some_and(char::is_alphanumeric))
    })
}
