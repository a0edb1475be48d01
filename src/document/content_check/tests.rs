//! Differently written policies, in our own words, and what the check finds in each.

use super::*;

fn check(body: &str) -> ContentReport {
    check_policy(body, &CheckContext::default())
}

fn finding(report: &ContentReport, element: Element) -> &Finding {
    report
        .findings
        .iter()
        .find(|f| f.element == element)
        .expect("every element has a finding")
}

fn heading_of(report: &ContentReport, element: Element) -> Option<String> {
    finding(report, element)
        .found
        .as_ref()
        .and_then(|p| p.heading.clone())
}

fn missing(report: &ContentReport) -> Vec<Element> {
    report.missing().collect()
}

const UNIVERSITY: &str = "\
# Information Security Policy

Owner: Chief Information Officer · Approved by the University Council

## Introduction

The University of Eastmere holds research data, student records and clinical trial results. This
policy explains how we keep that information safe while keeping our tradition of open scholarship.
It applies to every student, member of staff, visitor and contractor who uses University
information or systems, wherever they are.

## What we aim to achieve

Our information security objectives are agreed each year by the Information Governance Board and
tracked through quarterly measures reported to Council:

1. no serious data breach reported to the regulator;
2. every member of staff completes security awareness training within a month of joining.

## Meeting our obligations

The University complies with data protection law, the terms of its research funding agreements
and the contractual requirements of its NHS partners.

## Getting better

We continually improve our information security management system using the findings of
internal audits, incident reviews and student feedback.

## Who does what

The Registrar is accountable to Council for information security. Heads of School are
responsible for the information their schools hold. Everyone is responsible for reporting
incidents to the IT Service Desk.

## When this policy cannot be followed

Where a research project cannot meet a requirement of this policy, the principal investigator
asks the Chief Information Officer for an exception. Approved exceptions are recorded in the
exceptions register with a review date.

See also [the Acceptable Use Policy](https://example.edu/aup) and [Data Classification][dc].

[dc]: https://example.edu/classification
";

#[test]
fn a_university_policy_with_its_own_headings_has_every_element() {
    let report = check_policy(
        UNIVERSITY,
        &CheckContext {
            organization_name: Some("University of Eastmere".into()),
        },
    );
    assert_eq!(missing(&report), [], "{}", report.to_text());
    assert!(report.placeholders.is_empty(), "{:?}", report.placeholders);
    assert!(report.is_complete());
    let purpose = finding(&report, Element::PurposeScope);
    assert_eq!(
        heading_of(&report, Element::PurposeScope).as_deref(),
        Some("Introduction")
    );
    assert_eq!(purpose.found.as_ref().map(|p| p.line), Some(5));
    assert_eq!(purpose.note.as_deref(), Some("names the organization"));
    assert_eq!(
        heading_of(&report, Element::ExceptionsProcedure).as_deref(),
        Some("When this policy cannot be followed")
    );
    assert_eq!(
        heading_of(&report, Element::ContinualImprovement).as_deref(),
        Some("Getting better")
    );
    assert_eq!(
        heading_of(&report, Element::RolesResponsibilities).as_deref(),
        Some("Who does what")
    );
}

const COUNCIL: &str = "\
EASTMERE DISTRICT COUNCIL
INFORMATION SECURITY POLICY

1. INTRODUCTION
The Council holds personal information about residents so that it can deliver
services to them. Residents expect that information to be handled with care.

2. SCOPE
This policy applies to all councillors, employees, agency workers and
contractors, and to all information the Council processes, on paper or
electronically.

3. POLICY STATEMENT
3.1 Objectives
The Council sets information security objectives as part of its annual
service plan and monitors them through the Corporate Governance Group.

3.2 Legal and regulatory requirements
The Council will comply with the UK GDPR, the Data Protection Act 2018 and
the Public Services Network code of connection.

4. CONTINUOUS IMPROVEMENT
The Council will continually improve its information security management
system in the light of audit results and incidents.

5. RESPONSIBILITIES
The Senior Information Risk Owner is accountable for information risk. Every
manager is responsible for making sure their staff follow this policy.

6. EXEMPTIONS
Any exemption from this policy must be approved by the Senior Information Risk
Owner and recorded with its risk and expiry date.

7. REVIEW
This policy will be reviewed every two years.
";

#[test]
fn a_numbered_plain_text_policy_is_read_by_its_headings() {
    let report = check(COUNCIL);
    assert_eq!(missing(&report), [], "{}", report.to_text());
    assert_eq!(
        heading_of(&report, Element::PurposeScope).as_deref(),
        Some("1. INTRODUCTION")
    );
    assert_eq!(
        heading_of(&report, Element::Objectives).as_deref(),
        Some("3.1 Objectives")
    );
    assert_eq!(
        heading_of(&report, Element::RequirementsCommitment).as_deref(),
        Some("3.2 Legal and regulatory requirements")
    );
    assert_eq!(
        heading_of(&report, Element::ContinualImprovement).as_deref(),
        Some("4. CONTINUOUS IMPROVEMENT")
    );
    let exceptions = finding(&report, Element::ExceptionsProcedure)
        .found
        .clone()
        .expect("found");
    assert_eq!(
        (exceptions.heading.as_deref(), exceptions.line),
        (Some("6. EXEMPTIONS"), 30)
    );
    assert!(
        exceptions
            .excerpt
            .starts_with("Any exemption from this policy must be approved")
    );
}

const CLINIC_LABELS: &str = "\
Northwind Clinics - Information Security Policy

Purpose: to protect the records of our patients and the systems that our clinicians rely on.

Scope:
All clinics, the central office and the patient portal, and everyone who works in them.

Objectives: we set security goals every year, such as keeping the portal available 99.9% of the
time, and measure them monthly.

Compliance: Northwind Clinics is committed to meeting HIPAA and the security terms of its
contracts with insurers.

Improvement: we review incidents and audit results to improve how the ISMS works.

Roles: the Privacy and Security Officer runs the ISMS; clinic managers are responsible for local
compliance.

Exceptions: none are allowed without written approval from the Privacy and Security Officer.
";

#[test]
fn a_plain_text_policy_with_label_lines_has_every_element() {
    let report = check(CLINIC_LABELS);
    assert_eq!(missing(&report), [], "{}", report.to_text());
    assert_eq!(
        heading_of(&report, Element::PurposeScope).as_deref(),
        Some("Purpose")
    );
    let roles = finding(&report, Element::RolesResponsibilities)
        .found
        .clone()
        .expect("found");
    assert_eq!(roles.line, 16);
    assert!(
        roles
            .excerpt
            .starts_with("the Privacy and Security Officer runs the ISMS"),
        "{}",
        roles.excerpt
    );
}

const SAAS_WITH_GAPS: &str = "\
# Security Policy

## Overview

Cloudberry provides a project planning service to businesses. This policy applies to all
Cloudberry employees and contractors and to every system that stores customer data.

## Our security goals

- Keep customer data confidential and available.
- Detect and respond to incidents within an hour.

## Policy statement

Cloudberry is committed to complying with applicable laws and regulations, including the GDPR,
and with the security commitments in our customer contracts.

## Responsibilities

The CTO is responsible for the security program. Every engineer is responsible for following
the secure development standard.
";

#[test]
fn a_policy_missing_two_elements_names_both() {
    let report = check(SAAS_WITH_GAPS);
    assert_eq!(
        missing(&report),
        [Element::ContinualImprovement, Element::ExceptionsProcedure]
    );
    assert!(!report.is_complete());
    assert_eq!(
        heading_of(&report, Element::RequirementsCommitment).as_deref(),
        Some("Policy statement")
    );
    let text = report.to_text();
    assert!(text.contains("✗ missing  5.2.d"), "{text}");
    assert!(text.contains("✗ missing  A.5.1"), "{text}");
    assert!(text.contains("✓ found    5.2.a"), "{text}");
    assert!(text.contains("4 of 6 required elements found"), "{text}");
}

#[test]
fn a_heading_with_only_a_placeholder_does_not_count() {
    let body = "\
# Policy

## Scope

This policy applies to all staff of Acme and to every system they use.

## Exceptions

[Describe how exceptions are requested, approved and recorded]

## Continual improvement

TBD
";
    let report = check(body);
    let exceptions = finding(&report, Element::ExceptionsProcedure);
    assert!(exceptions.found.is_none());
    assert!(
        exceptions
            .note
            .as_deref()
            .is_some_and(|n| n.contains("\"Exceptions\" (line 7)")),
        "{exceptions:?}"
    );
    assert!(
        finding(&report, Element::ContinualImprovement)
            .found
            .is_none()
    );
    let placeholders: Vec<(usize, &str)> = report
        .placeholders
        .iter()
        .map(|p| (p.line, p.text.as_str()))
        .collect();
    assert_eq!(
        placeholders,
        [
            (
                9,
                "[Describe how exceptions are requested, approved and recorded]"
            ),
            (13, "TBD")
        ]
    );
}

#[test]
fn the_objective_of_a_document_is_its_purpose_not_its_objectives() {
    let body = "\
# Acceptable use

## Purpose

The objective of this document is to set out how company laptops may be used. It applies to
every employee.

## Objective

The objective of this policy is to protect company devices.
";
    let report = check(body);
    assert!(finding(&report, Element::PurposeScope).found.is_some());
    assert!(
        finding(&report, Element::Objectives).found.is_none(),
        "{}",
        report.to_text()
    );
}

#[test]
fn ordinary_uses_of_the_words_are_not_mistaken_for_elements() {
    let body = "\
# Remote working

## Scope

This policy applies to all staff, with the exception of contractors, who follow their own terms.
Information security supports our business objectives.

## Compliance

Compliance with this policy is monitored. Failure to comply may lead to disciplinary action under
the law.
";
    let report = check(body);
    assert_eq!(
        missing(&report),
        [
            Element::Objectives,
            Element::RequirementsCommitment,
            Element::ContinualImprovement,
            Element::RolesResponsibilities,
            Element::ExceptionsProcedure,
        ],
        "{}",
        report.to_text()
    );
}

#[test]
fn phrasing_in_the_body_is_found_when_no_heading_names_the_element() {
    let body = "\
HOSPITAL INFORMATION SECURITY

Patients trust St Olave's Hospital with their most sensitive information. The purpose of this
policy is to make sure that trust is kept. We are committed to:

- meeting our statutory and regulatory obligations;
- continual improvement of our security controls.

Any deviation from this policy needs the prior approval of the Caldicott Guardian.
";
    let report = check(body);
    let requirements = finding(&report, Element::RequirementsCommitment)
        .found
        .clone()
        .expect("found");
    assert_eq!(requirements.line, 6);
    assert_eq!(
        requirements.heading.as_deref(),
        Some("HOSPITAL INFORMATION SECURITY")
    );
    assert!(
        finding(&report, Element::ContinualImprovement)
            .found
            .is_some()
    );
    assert!(
        finding(&report, Element::ExceptionsProcedure)
            .found
            .is_some()
    );
    assert!(finding(&report, Element::PurposeScope).found.is_some());
    assert_eq!(
        missing(&report),
        [Element::Objectives, Element::RolesResponsibilities]
    );
}

#[test]
fn a_purpose_that_does_not_name_the_organization_is_noted() {
    let context = CheckContext {
        organization_name: Some("Fernhill Logistics Ltd".into()),
    };
    let report = check_policy(
        "## Scope\n\nThis policy covers all our depots and drivers.\n",
        &context,
    );
    let purpose = finding(&report, Element::PurposeScope);
    assert!(purpose.found.is_some());
    assert!(
        purpose.note.as_deref().is_some_and(
            |n| n.starts_with("does not name the organization (Fernhill Logistics Ltd)")
        ),
        "{purpose:?}"
    );
    let named = check_policy(
        "## Scope\n\nThis policy covers every Fernhill Logistics depot.\n",
        &context,
    );
    assert_eq!(
        named.findings[0].note.as_deref(),
        Some("names the organization")
    );
}

#[test]
fn placeholders_are_found_but_links_are_not() {
    let body = "\
# Policy of [Company Name]

Read [the handbook](handbook.md), [Access Control][ac] and note[^1].

- [x] Approved by {{approver}} on <insert date>
- [ ] Published

Lorem ipsum dolor sit amet. Owner: XXX. `[Not a placeholder in code]`

<!-- [Nor in a comment] -->

```
[Nor in a code block]
```

[ac]: access-control.md
[^1]: A footnote.
";
    let report = check(body);
    let placeholders: Vec<(usize, &str)> = report
        .placeholders
        .iter()
        .map(|p| (p.line, p.text.as_str()))
        .collect();
    assert_eq!(
        placeholders,
        [
            (1, "[Company Name]"),
            (5, "{{approver}}"),
            (5, "<insert date>"),
            (8, "Lorem ipsum dolor sit amet."),
            (8, "XXX"),
        ]
    );
}

#[test]
fn headings_and_text_of_a_setext_document_with_windows_line_endings() {
    let body = "Information Security Policy\r\n===========================\r\n\r\nScope\r\n-----\r\n\r\nThis policy applies to all of Harbour Bank.\r\n\r\nExceptions\r\n----------\r\n\r\nExceptions are approved by the CISO and recorded.\r\n";
    let report = check(body);
    assert_eq!(
        heading_of(&report, Element::PurposeScope).as_deref(),
        Some("Scope")
    );
    let exceptions = finding(&report, Element::ExceptionsProcedure)
        .found
        .clone()
        .expect("found");
    assert_eq!(
        (exceptions.heading.as_deref(), exceptions.line),
        (Some("Exceptions"), 9)
    );
    assert_eq!(
        exceptions.excerpt,
        "Exceptions are approved by the CISO and recorded."
    );
}

#[test]
fn an_empty_body_misses_everything() {
    let report = check("");
    assert_eq!(missing(&report), Element::ALL);
    assert!(report.to_text().contains("0 of 6 required elements found"));
}

#[test]
fn the_report_serializes_in_snake_case() {
    let report = check(SAAS_WITH_GAPS);
    let json = serde_json::to_value(&report).expect("serializes");
    assert_eq!(json["findings"][0]["element"], "purpose_scope");
    assert_eq!(json["findings"][3]["element"], "continual_improvement");
    assert!(json["findings"][3]["found"].is_null());
    assert_eq!(json["findings"][0]["found"]["heading"], "Overview");
}

#[test]
fn a_long_policy_is_checked_quickly() {
    let mut body = String::from(UNIVERSITY);
    while body.len() < 60_000 {
        body.push_str(
            "\n## Operations\n\nStaff keep laptops encrypted and report lost devices at once. ",
        );
        body.push_str("Backups are tested every quarter, and the results are kept for audit.\n");
    }
    let started = std::time::Instant::now();
    let report = check(&body);
    assert!(report.missing().next().is_none());
    // A debug build is far slower than the release build the benchmark measures.
    assert!(
        started.elapsed() < std::time::Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_placeholder_wrapped_onto_the_next_line_is_one_placeholder() {
    let body = "\
## Purpose

This policy explains why information security matters to [what the
organization does]. It applies to everyone who works for us.
";
    let report = check(body);
    let placeholders: Vec<(usize, &str)> = report
        .placeholders
        .iter()
        .map(|p| (p.line, p.text.as_str()))
        .collect();
    assert_eq!(placeholders, [(3, "[what the organization does]")]);
    assert!(finding(&report, Element::PurposeScope).found.is_some());
}

#[test]
fn the_organization_is_named_with_or_without_its_legal_form() {
    assert!(names("this covers acme's offices", "Acme, Inc."));
    assert!(names("all of harbour bank plc", "The Harbour Bank PLC"));
    assert!(names("all of harbour bank", "Harbour Bank plc"));
    assert!(!names("all of our offices", "Harbour Bank plc"));
}

const COMMUNITY_HEALTH: &str = "\
Riverside Community Health Services
Information Security Policy

Contents
1. Introduction
2. Duties
3. Policy

1. Introduction

This policy sets out how Riverside Community Health Services protects the
information it needs to care for patients at home and in clinics.

2. Duties

The Chief Executive has overall responsibility for information security.

3. Policy

3.1 The Trust will comply with the Data Protection Act 2018 and the UK GDPR.

3.2 Information security objectives are agreed every year by the Information
Governance Group and monitored through its work plan.

3.3 Where a service cannot follow this policy, a dispensation may be granted by
the Senior Information Risk Owner after a risk assessment.
";

#[test]
fn a_contents_list_and_wrapped_numbered_paragraphs_are_not_headings() {
    let report = check(COMMUNITY_HEALTH);
    assert_eq!(
        missing(&report),
        [Element::ContinualImprovement],
        "{}",
        report.to_text()
    );
    assert_eq!(
        heading_of(&report, Element::PurposeScope).as_deref(),
        Some("1. Introduction")
    );
    assert_eq!(
        heading_of(&report, Element::RolesResponsibilities).as_deref(),
        Some("2. Duties")
    );
    let objectives = finding(&report, Element::Objectives)
        .found
        .clone()
        .expect("found");
    assert_eq!(
        (objectives.heading.as_deref(), objectives.line),
        (Some("3. Policy"), 22)
    );
    assert_eq!(
        heading_of(&report, Element::ExceptionsProcedure).as_deref(),
        Some("3. Policy")
    );
}

#[test]
fn a_us_style_policy_with_a_reason_and_a_table_of_roles() {
    let body = "\
# Information Security Policy

## Reason for Policy

Student and research data are assets of Granite State University.

## Entities Affected by this Policy

All faculty, staff, students and vendors.

## Responsibilities

| Role | Responsibility |
|------|----------------|
| CIO | Owns this policy |
";
    let report = check(body);
    assert_eq!(
        heading_of(&report, Element::PurposeScope).as_deref(),
        Some("Reason for Policy")
    );
    let roles = finding(&report, Element::RolesResponsibilities)
        .found
        .clone()
        .expect("found");
    assert_eq!(roles.excerpt, "Role Responsibility CIO Owns this policy");
}

#[test]
fn a_question_heading_names_the_responsibilities_section() {
    let report = check(
        "# Policy\n\n## Why this policy exists\n\nIt says who is responsible for what.\n\n\
         ## Who is responsible for what\n\nThe CISO runs the ISMS and every manager briefs their team.\n",
    );
    assert_eq!(
        heading_of(&report, Element::RolesResponsibilities).as_deref(),
        Some("Who is responsible for what")
    );
}
