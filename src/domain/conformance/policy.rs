//! The rules of the information security policy: 5.1.a (policy and objectives follow the
//! strategic direction), 5.2.a–g (what the policy says, how it is controlled, communicated and
//! made available) and A.5.1 (topic-specific policies and exceptions).

mod content;
mod control;
mod facts;
mod topics;

use time::Date;

use super::{RequirementResult, Thresholds, Verdict};
use crate::document::content_check::{CheckContext, ContentReport, check_policy};

pub use facts::{
    CampaignFact, CampaignRef, ExceptionFact, ObjectiveFact, PolicyFacts, PublishedPolicy,
    TopPolicy, VersionApproval, VersionInForce,
};

/// How many records a result cites at most (the ones that show the gap first).
const CITED: usize = 20;

/// Every policy rule, in catalog order: 5.1.a, 5.2.a–g, A.5.1.
pub fn evaluate(facts: &PolicyFacts, today: Date, t: &Thresholds) -> Vec<RequirementResult> {
    let read = facts.top.as_ref().and_then(|top| {
        let version = top.in_force.as_ref()?;
        let context = CheckContext {
            organization_name: Some(facts.organization_name.clone())
                .filter(|name| !name.trim().is_empty()),
        };
        Some(ReadPolicy {
            label: top.version_label(version),
            version,
            report: check_policy(&version.body, &context),
        })
    });
    let read = read.as_ref();
    vec![
        control::direction(facts),
        content::purpose_scope(facts, read),
        content::objectives(facts, read),
        content::requirements_commitment(facts, read),
        content::continual_improvement(facts, read),
        control::controlled(facts, today),
        control::communicated(facts, t),
        control::available(facts),
        topics::topic_policies(facts, today, read),
    ]
}

/// The published body of the top-level policy with the content check's report on it.
struct ReadPolicy<'a> {
    /// "Information security policy v3.1".
    label: String,
    version: &'a VersionInForce,
    report: ContentReport,
}

/// Conforming when every part is met, nonconforming when none is, partial in between.
fn verdict_of(met: usize, of: usize) -> Verdict {
    match met {
        m if m >= of => Verdict::Conforming,
        0 => Verdict::Nonconforming,
        _ => Verdict::Partial,
    }
}

/// Names joined for a finding: "a, b and c", with "and N more" past `CITED`.
fn listed(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(CITED).map(String::as_str).collect();
    let more = names.len().saturating_sub(CITED);
    let mut text = match shown.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

/// A percentage to one decimal, rounded down so that a figure shown as 95.0 % meets 95 %.
fn percent_floor(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "0.0".into();
    }
    let tenths = part.saturating_mul(1000) / whole;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `text` cut to at most `max` characters at a word, with "…" when it was cut.
fn shortened(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let kept = cut.rfind(' ').map_or(cut.as_str(), |space| &cut[..space]);
    format!("{}…", kept.trim_end_matches([' ', ',', ';', ':', '.']))
}
