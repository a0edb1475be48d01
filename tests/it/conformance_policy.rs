//! The policy rules of the conformance engine (5.1.a, 5.2.a–g, A.5.1): each rule on hand-built
//! facts at, just below and just above its thresholds, and the loader on both databases.

mod loader;
mod rules;

/// A complete top-level policy of Acme Ltd: every element the content check looks for, no
/// placeholder, and a commitment naming legal, regulatory and contractual requirements.
pub const ACME_POLICY: &str = "# Information security policy

## Purpose and scope

This policy sets out how Acme Ltd protects the confidentiality, integrity and availability of the
information its customers entrust to it. It applies to every site, service and person of Acme.

## Information security objectives

Top management sets measurable information security objectives each year, with an owner, a target
date and a way of measuring progress, and reviews them at every management review.

## Commitment to applicable requirements

Acme is committed to satisfying the legal, regulatory and contractual requirements that apply to
its information, including data protection law and the security clauses of customer contracts.

## Continual improvement

We are committed to continually improving the effectiveness of our information security
management system, learning from incidents, audits and measurements.

## Roles and responsibilities

Top management is accountable for this policy. Every member of staff is responsible for following
it and for reporting security events.

## Exceptions

An exception to this policy must be requested from top management before the deviation begins.
Approved exceptions are recorded in the register, limited in time and reviewed before they expire.
";

/// `ACME_POLICY` with the section of `heading` (and its text) taken out.
pub fn without_section(heading: &str) -> String {
    let start = ACME_POLICY
        .find(&format!("## {heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading}"));
    let rest = &ACME_POLICY[start + 3..];
    let end = rest
        .find("\n## ")
        .map_or(ACME_POLICY.len(), |at| start + 3 + at + 1);
    format!("{}{}", &ACME_POLICY[..start], &ACME_POLICY[end..])
}
