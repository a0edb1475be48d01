//! The policy rules on hand-built facts: a healthy organization conforms everywhere, and each
//! rule moves at, just below and just above its threshold, with a finding naming what is missing.

use charter::domain::access::Role;
use charter::domain::conformance::policy::{
    CampaignFact, CampaignRef, ExceptionFact, ObjectiveFact, PolicyFacts, PublishedPolicy,
    TopPolicy, VersionApproval, VersionInForce, evaluate,
};
use charter::domain::conformance::{EvidenceKind, RequirementResult, Thresholds, Verdict};
use charter::domain::policy::{PolicyKind, Visibility};
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

use super::{ACME_POLICY, without_section};

const IDS: [&str; 9] = [
    "5.1.a", "5.2.a", "5.2.b", "5.2.c", "5.2.d", "5.2.e", "5.2.f", "5.2.g", "A.5.1",
];

fn today() -> Date {
    date!(2026 - 06 - 15)
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

const VERSION: u128 = 31;
const OLD_VERSION: u128 = 30;
const CAMPAIGN: u128 = 40;
const TOPIC_VERSION: u128 = 50;

/// Acme Ltd with everything in place: the top-level policy v3.1 in force, signed off by top
/// management, reviewed within its interval, public, acknowledged by 950 of 1,000 active people;
/// a topic-specific policy in force; two objectives on the organization's themes.
fn healthy() -> PolicyFacts {
    PolicyFacts {
        organization_name: "Acme Ltd".into(),
        strategic_themes: vec!["Customer trust".into(), "Resilience".into()],
        top: Some(TopPolicy {
            id: id(1),
            title: "Information security policy".into(),
            review_interval_months: 12,
            next_review_due: Some(today() + Duration::days(200)),
            visibility: Visibility::Public,
            visibility_rationale: String::new(),
            active_share_links: 0,
            in_force: Some(VersionInForce {
                id: id(VERSION),
                number: "3.1".into(),
                body: ACME_POLICY.into(),
                published_on: today() - Duration::days(165),
            }),
            published_versions: vec![approval(OLD_VERSION, "3.0", 1), approval(VERSION, "3.1", 2)],
            campaign: Some(CampaignFact {
                campaigns: vec![CampaignRef {
                    id: id(CAMPAIGN),
                    title: "Information security policy 3.1".into(),
                }],
                asked: 1000,
                acknowledged_by_active: 950,
            }),
        }),
        objectives: vec![
            objective(60, "Phishing clicks below 2 %", "customer trust", true),
            objective(61, "Restore within 4 hours", " Resilience ", false),
        ],
        published: vec![
            published(
                1,
                VERSION,
                "Information security policy",
                PolicyKind::TopLevel,
            ),
            published(
                2,
                TOPIC_VERSION,
                "Access control",
                PolicyKind::TopicSpecific,
            ),
        ],
        exceptions_active: 2,
        exceptions_lapsed_unrecorded: Vec::new(),
        exceptions_lapsed_unrecorded_total: 0,
        active_people: 1000,
    }
}

fn approval(version: u128, number: &str, by_top_management: i64) -> VersionApproval {
    VersionApproval {
        version_id: id(version),
        number: number.into(),
        by_top_management,
        by_tool_role_only: Vec::new(),
    }
}

fn objective(n: u128, statement: &str, theme: &str, linked: bool) -> ObjectiveFact {
    ObjectiveFact {
        id: id(n),
        statement: statement.into(),
        theme: theme.into(),
        linked_to_top: linked,
    }
}

fn published(policy: u128, version: u128, title: &str, kind: PolicyKind) -> PublishedPolicy {
    PublishedPolicy {
        policy_id: id(policy),
        version_id: id(version),
        title: title.into(),
        kind,
        number: if kind == PolicyKind::TopLevel {
            "3.1"
        } else {
            "1.2"
        }
        .into(),
        approver_role: if kind == PolicyKind::TopLevel {
            Role::TopManagement
        } else {
            Role::IsmsManager
        },
        approved_by_approver_role: true,
        next_review_due: Some(today() + Duration::days(200)),
    }
}

fn top(facts: &mut PolicyFacts) -> &mut TopPolicy {
    facts.top.as_mut().expect("a top-level policy")
}

fn with_body(body: &str) -> PolicyFacts {
    let mut facts = healthy();
    if let Some(version) = top(&mut facts).in_force.as_mut() {
        version.body = body.into();
    }
    facts
}

fn run_with(facts: &PolicyFacts, t: &Thresholds) -> Vec<RequirementResult> {
    evaluate(facts, today(), t)
}

fn run(facts: &PolicyFacts) -> Vec<RequirementResult> {
    run_with(facts, &Thresholds::default())
}

fn rule(facts: &PolicyFacts, wanted: &str) -> RequirementResult {
    run(facts)
        .into_iter()
        .find(|r| r.id == wanted)
        .unwrap_or_else(|| panic!("no result for {wanted}"))
}

fn figure<'a>(result: &'a RequirementResult, label: &str) -> &'a str {
    result
        .figures
        .iter()
        .find(|f| f.label == label)
        .map(|f| f.value.as_str())
        .unwrap_or_else(|| panic!("no figure {label} in {:?}", result.figures))
}

#[track_caller]
fn assert_verdict(result: &RequirementResult, verdict: Verdict, words: &[&str]) {
    assert_eq!(result.verdict, verdict, "{}: {}", result.id, result.finding);
    for word in words {
        assert!(
            result.finding.contains(word),
            "{}: \"{word}\" not in: {}",
            result.id,
            result.finding
        );
    }
}

fn cites(result: &RequirementResult, kind: EvidenceKind, n: u128) -> bool {
    result
        .evidence
        .iter()
        .any(|e| e.kind == kind && e.id == id(n))
}

#[test]
fn every_rule_answers_once_in_catalog_order_and_a_healthy_policy_conforms() {
    let results = run(&healthy());
    let ids: Vec<&str> = results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, IDS);
    for result in &results {
        assert_verdict(result, Verdict::Conforming, &[]);
        assert!(!result.finding.is_empty());
        assert!(
            cites(result, EvidenceKind::PolicyVersion, VERSION),
            "{} cites the version in force: {:?}",
            result.id,
            result.evidence
        );
        let labels: Vec<&str> = result.evidence.iter().map(|e| e.label.as_str()).collect();
        assert!(
            labels.contains(&"Information security policy v3.1"),
            "{}: {labels:?}",
            result.id
        );
    }
    let communicated = &results[6];
    assert!(cites(communicated, EvidenceKind::Campaign, CAMPAIGN));
    assert!(cites(&results[0], EvidenceKind::Objective, 60));
}

#[test]
fn without_a_top_level_policy_nothing_of_it_conforms() {
    let facts = PolicyFacts {
        top: None,
        published: Vec::new(),
        objectives: Vec::new(),
        ..healthy()
    };
    for result in run(&facts) {
        assert_eq!(result.verdict, Verdict::Nonconforming, "{}", result.id);
        assert!(
            result.finding.contains("No top-level")
                || result.finding.contains("No policy is published"),
            "{}: {}",
            result.id,
            result.finding
        );
    }
    let mut unpublished = healthy();
    top(&mut unpublished).in_force = None;
    top(&mut unpublished).campaign = None;
    unpublished.published.remove(0);
    for wanted in ["5.2.a", "5.2.b", "5.2.c", "5.2.d", "5.2.e", "5.2.f"] {
        let result = rule(&unpublished, wanted);
        assert_verdict(
            &result,
            Verdict::Nonconforming,
            &["has no published version"],
        );
    }
    let a51 = rule(&unpublished, "A.5.1");
    assert_verdict(&a51, Verdict::Partial, &["No top-level policy is in force"]);
}

#[test]
fn direction_needs_an_approved_policy_and_objectives_on_the_strategic_themes() {
    let on_theme = rule(&healthy(), "5.1.a");
    assert_eq!(figure(&on_theme, "on a strategic theme"), "2 of 2");
    assert_eq!(
        figure(&on_theme, "top-level policy in force"),
        "Information security policy v3.1"
    );

    let mut off = healthy();
    off.objectives
        .push(objective(62, "Win the award", "Marketing", false));
    let result = rule(&off, "5.1.a");
    assert_verdict(
        &result,
        Verdict::Partial,
        &["1 of 3", "\"Win the award\" (theme \"Marketing\")"],
    );
    assert_eq!(
        result
            .evidence
            .iter()
            .find(|e| e.kind == EvidenceKind::Objective)
            .map(|e| e.id),
        Some(id(62)),
        "the objective off the themes is cited first"
    );

    let mut no_themes = healthy();
    no_themes.strategic_themes = vec!["  ".into()];
    assert_verdict(
        &rule(&no_themes, "5.1.a"),
        Verdict::Partial,
        &["lists no strategic theme"],
    );

    let mut no_objectives = healthy();
    no_objectives.objectives.clear();
    assert_verdict(
        &rule(&no_objectives, "5.1.a"),
        Verdict::Partial,
        &["No active information security objective"],
    );

    let mut tool_role_only = healthy();
    top(&mut tool_role_only).published_versions[1] = VersionApproval {
        by_top_management: 0,
        by_tool_role_only: vec!["Cara".into()],
        ..approval(VERSION, "3.1", 0)
    };
    assert_verdict(
        &rule(&tool_role_only, "5.1.a"),
        Verdict::Partial,
        &["not signed off by top management"],
    );

    let nothing = PolicyFacts {
        top: None,
        objectives: Vec::new(),
        ..healthy()
    };
    assert_verdict(
        &rule(&nothing, "5.1.a"),
        Verdict::Nonconforming,
        &["No top-level", "No active information security objective"],
    );
}

#[test]
fn the_purpose_must_name_the_organization_with_no_template_text_left() {
    let result = rule(&healthy(), "5.2.a");
    assert_verdict(&result, Verdict::Conforming, &["names Acme Ltd", "line 3"]);

    let other = PolicyFacts {
        organization_name: "Globex Corporation".into(),
        ..healthy()
    };
    assert_verdict(
        &rule(&other, "5.2.a"),
        Verdict::Partial,
        &["does not name the organization (Globex Corporation)"],
    );

    let unnamed = PolicyFacts {
        organization_name: String::new(),
        ..healthy()
    };
    assert_verdict(
        &rule(&unnamed, "5.2.a"),
        Verdict::Partial,
        &["profile has no name"],
    );

    let placeholder = ACME_POLICY.replace(
        "reviews them at every management review.",
        "reviews them at [management review body].",
    );
    let result = rule(&with_body(&placeholder), "5.2.a");
    assert_verdict(
        &result,
        Verdict::Partial,
        &[
            "1 template placeholder",
            "line 11",
            "[management review body]",
        ],
    );
    assert_eq!(figure(&result, "placeholders left"), "1");

    let template = with_body(charter::document::template::TOP_LEVEL);
    assert_verdict(
        &rule(&template, "5.2.a"),
        Verdict::Partial,
        &[
            "does not name the organization",
            "template placeholder",
            "[Organization name]",
        ],
    );

    let missing = with_body(&without_section("Purpose and scope"));
    assert_verdict(
        &rule(&missing, "5.2.a"),
        Verdict::Nonconforming,
        &[
            "no \"Purpose and scope\" section",
            "Say why the policy exists",
        ],
    );
}

#[test]
fn objectives_are_in_the_policy_or_linked_to_it() {
    let no_section = without_section("Information security objectives");
    let mut linked = with_body(&no_section);
    let result = rule(&linked, "5.2.b");
    assert_verdict(
        &result,
        Verdict::Conforming,
        &[
            "no objectives section",
            "1 active objective(s) are linked",
            "Phishing clicks",
        ],
    );
    assert!(cites(&result, EvidenceKind::Objective, 60));

    for objective in &mut linked.objectives {
        objective.linked_to_top = false;
    }
    assert_verdict(
        &rule(&linked, "5.2.b"),
        Verdict::Nonconforming,
        &[
            "no objectives section",
            "no active objective is linked",
            "State the information security objectives",
        ],
    );
    let mut section_only = healthy();
    section_only.objectives.clear();
    assert_verdict(
        &rule(&section_only, "5.2.b"),
        Verdict::Conforming,
        &["sets out its objectives", "line 8"],
    );
}

#[test]
fn the_commitment_names_legal_regulatory_and_contractual_requirements() {
    let result = rule(&healthy(), "5.2.c");
    assert_verdict(
        &result,
        Verdict::Conforming,
        &["legal, regulatory and contractual"],
    );
    assert_eq!(
        figure(&result, "requirements named"),
        "legal, regulatory and contractual"
    );

    let laws_only = ACME_POLICY.replace(
        "the legal, regulatory and contractual requirements that apply to\nits information, including data protection law and the security clauses of customer contracts.",
        "the laws that apply to its information.",
    );
    assert_ne!(laws_only, ACME_POLICY);
    let result = rule(&with_body(&laws_only), "5.2.c");
    assert_verdict(
        &result,
        Verdict::Partial,
        &["legal requirements", "not regulatory or contractual ones"],
    );

    let two = laws_only.replace("the laws that apply", "the laws and regulations that apply");
    assert_verdict(
        &rule(&with_body(&two), "5.2.c"),
        Verdict::Partial,
        &["legal and regulatory requirements", "not contractual ones"],
    );
    let contractors = laws_only.replace(
        "the laws that apply",
        "the laws that apply to contractors and",
    );
    assert_verdict(
        &rule(&with_body(&contractors), "5.2.c"),
        Verdict::Partial,
        &["not regulatory or contractual ones"],
    );

    let missing = with_body(&without_section("Commitment to applicable requirements"));
    assert_verdict(
        &rule(&missing, "5.2.c"),
        Verdict::Nonconforming,
        &["no \"Commitment to applicable requirements\" section"],
    );
}

#[test]
fn continual_improvement_is_committed_to_or_missing() {
    assert_verdict(
        &rule(&healthy(), "5.2.d"),
        Verdict::Conforming,
        &["line 18"],
    );
    let missing = with_body(&without_section("Continual improvement"));
    let result = rule(&missing, "5.2.d");
    assert_verdict(
        &result,
        Verdict::Nonconforming,
        &[
            "no \"Commitment to continual improvement\" section",
            "Commit to continually improving",
        ],
    );
    assert_eq!(figure(&result, "found at"), "not found");
}

#[test]
fn a_review_due_today_is_on_time_and_one_due_yesterday_is_overdue() {
    let mut due_today = healthy();
    top(&mut due_today).next_review_due = Some(today());
    due_today.published[1].next_review_due = Some(today());
    assert_verdict(
        &rule(&due_today, "5.2.e"),
        Verdict::Conforming,
        &["every 12 month(s)"],
    );
    assert_verdict(&rule(&due_today, "A.5.1"), Verdict::Conforming, &[]);

    let yesterday = today() - Duration::days(1);
    let mut late = healthy();
    top(&mut late).next_review_due = Some(yesterday);
    let result = rule(&late, "5.2.e");
    assert_verdict(
        &result,
        Verdict::Partial,
        &["due on 2026-06-14 (1 days ago)"],
    );
    assert_eq!(figure(&result, "next review due"), "2026-06-14");

    let mut topic_late = healthy();
    topic_late.published[1].next_review_due = Some(yesterday);
    let result = rule(&topic_late, "A.5.1");
    assert_verdict(
        &result,
        Verdict::Partial,
        &["Overdue for review: Access control v1.2 (due 2026-06-14)"],
    );
    assert!(cites(&result, EvidenceKind::PolicyVersion, TOPIC_VERSION));

    let mut no_date = healthy();
    top(&mut no_date).next_review_due = None;
    assert_verdict(
        &rule(&no_date, "5.2.e"),
        Verdict::Partial,
        &["No review date"],
    );
}

#[test]
fn every_published_version_is_signed_off_by_top_management() {
    let mut older = healthy();
    top(&mut older).published_versions[0] = approval(OLD_VERSION, "3.0", 0);
    let result = rule(&older, "5.2.e");
    assert_verdict(
        &result,
        Verdict::Partial,
        &["v3.0 was published without a sign-off"],
    );
    assert!(cites(&result, EvidenceKind::PolicyVersion, OLD_VERSION));
    assert_eq!(
        figure(&result, "signed off by top management"),
        "1 of 2 published"
    );

    let mut tool_role = healthy();
    top(&mut tool_role).published_versions[1] = VersionApproval {
        by_tool_role_only: vec!["Cara".into()],
        ..approval(VERSION, "3.1", 0)
    };
    assert_verdict(
        &rule(&tool_role, "5.2.e"),
        Verdict::Partial,
        &["v3.1 was signed off only by Cara, who held no role of the top_management category"],
    );

    let mut unsigned = healthy();
    top(&mut unsigned).published_versions[1] = approval(VERSION, "3.1", 0);
    assert_verdict(
        &rule(&unsigned, "5.2.e"),
        Verdict::Nonconforming,
        &["v3.1 was published without a sign-off"],
    );

    let mut unknown = healthy();
    top(&mut unknown).published_versions.pop();
    assert_verdict(
        &rule(&unknown, "5.2.e"),
        Verdict::Nonconforming,
        &["v3.1 was published without"],
    );
}

#[test]
fn coverage_meets_the_threshold_at_95_0_and_misses_it_at_94_9() {
    let with_counts = |acknowledged: i64, active: i64| {
        let mut facts = healthy();
        facts.active_people = active;
        if let Some(campaign) = top(&mut facts).campaign.as_mut() {
            campaign.acknowledged_by_active = acknowledged;
            campaign.asked = active;
        }
        facts
    };
    let at = rule(&with_counts(950, 1000), "5.2.f");
    assert_verdict(
        &at,
        Verdict::Conforming,
        &["95.0 %", "950 of 1000", "at or above 95 %"],
    );
    assert_eq!(figure(&at, "coverage"), "95.0 %");
    assert_verdict(
        &rule(&with_counts(19, 20), "5.2.f"),
        Verdict::Conforming,
        &["95.0 %"],
    );
    assert_verdict(
        &rule(&with_counts(951, 1000), "5.2.f"),
        Verdict::Conforming,
        &["95.1 %"],
    );
    let below = rule(&with_counts(949, 1000), "5.2.f");
    assert_verdict(
        &below,
        Verdict::Partial,
        &[
            "94.9 %",
            "below 95 %",
            "51 active people have not acknowledged",
        ],
    );
    let just_below = rule(&with_counts(9499, 10000), "5.2.f");
    assert_verdict(&just_below, Verdict::Partial, &["94.9 %"]);

    let looser = Thresholds {
        coverage_percent: 90,
        ..Thresholds::default()
    };
    let result = run_with(&with_counts(949, 1000), &looser);
    assert_verdict(&result[6], Verdict::Conforming, &["at or above 90 %"]);
    let stricter = Thresholds {
        coverage_percent: 100,
        ..Thresholds::default()
    };
    let result = run_with(&with_counts(999, 1000), &stricter);
    assert_verdict(&result[6], Verdict::Partial, &["99.9 %", "1 active people"]);

    let mut narrow = with_counts(950, 1000);
    if let Some(campaign) = top(&mut narrow).campaign.as_mut() {
        campaign.asked = 960;
    }
    assert_verdict(
        &rule(&narrow, "5.2.f"),
        Verdict::Conforming,
        &["Only 960 people were asked, fewer than the 1000 active"],
    );

    let mut two = with_counts(950, 1000);
    if let Some(campaign) = top(&mut two).campaign.as_mut() {
        campaign.campaigns.insert(
            0,
            CampaignRef {
                id: id(CAMPAIGN + 1),
                title: "Newcomers".into(),
            },
        );
    }
    let result = rule(&two, "5.2.f");
    assert_verdict(
        &result,
        Verdict::Conforming,
        &["Campaign \"Newcomers\" (the latest of 2) for Information security policy v3.1"],
    );
    assert!(cites(&result, EvidenceKind::Campaign, CAMPAIGN));
    assert!(cites(&result, EvidenceKind::Campaign, CAMPAIGN + 1));
    assert_eq!(figure(&result, "campaigns"), "2");

    let mut none = healthy();
    top(&mut none).campaign = None;
    assert_verdict(
        &rule(&none, "5.2.f"),
        Verdict::Nonconforming,
        &["No acknowledgment campaign was launched for Information security policy v3.1"],
    );

    assert_verdict(
        &rule(&with_counts(0, 0), "5.2.f"),
        Verdict::Partial,
        &["no active person"],
    );
}

#[test]
fn visibility_is_decided_public_restricted_or_internal_with_a_reason() {
    assert_verdict(
        &rule(&healthy(), "5.2.g"),
        Verdict::Conforming,
        &["public trust page"],
    );

    let mut restricted = healthy();
    top(&mut restricted).visibility = Visibility::Restricted;
    top(&mut restricted).active_share_links = 3;
    assert_verdict(
        &rule(&restricted, "5.2.g"),
        Verdict::Conforming,
        &["share links (3 active)"],
    );

    let mut unpublished = healthy();
    top(&mut unpublished).in_force = None;
    assert_verdict(
        &rule(&unpublished, "5.2.g"),
        Verdict::Partial,
        &["marked public, but no version is published"],
    );

    let mut internal = healthy();
    top(&mut internal).visibility = Visibility::Internal;
    top(&mut internal).visibility_rationale = "Names our suppliers".into();
    let result = rule(&internal, "5.2.g");
    assert_verdict(
        &result,
        Verdict::Partial,
        &["\"Names our suppliers\"", "no approval"],
    );
    assert_eq!(figure(&result, "reason recorded"), "yes");

    top(&mut internal).visibility_rationale = " ".into();
    assert_verdict(
        &rule(&internal, "5.2.g"),
        Verdict::Nonconforming,
        &["no reason is recorded"],
    );
}

#[test]
fn topic_policies_are_approved_reviewed_and_exceptions_do_not_lapse_unrecorded() {
    let result = rule(&healthy(), "A.5.1");
    assert_verdict(
        &result,
        Verdict::Conforming,
        &[
            "All 2 published policies",
            "exceptions procedure (line 28",
            "2 exception(s) active",
        ],
    );

    let mut unapproved = healthy();
    unapproved.published[1].approved_by_approver_role = false;
    let result = rule(&unapproved, "A.5.1");
    assert_verdict(
        &result,
        Verdict::Partial,
        &[
            "Not signed off by their approver role: Access control v1.2 (approver role isms_manager)",
        ],
    );
    assert!(cites(&result, EvidenceKind::PolicyVersion, TOPIC_VERSION));

    let no_procedure = with_body(&without_section("Exceptions"));
    assert_verdict(
        &rule(&no_procedure, "A.5.1"),
        Verdict::Partial,
        &[
            "describes no exceptions procedure",
            "Describe how an exception",
        ],
    );

    let mut lapsed = healthy();
    lapsed.exceptions_lapsed_unrecorded = vec![ExceptionFact {
        id: id(70),
        policy_title: "Access control".into(),
        scope: "Shared admin account".into(),
        expires_on: today() - Duration::days(1),
    }];
    lapsed.exceptions_lapsed_unrecorded_total = 1;
    let result = rule(&lapsed, "A.5.1");
    assert_verdict(
        &result,
        Verdict::Partial,
        &[
            "1 approved exception(s) are past their expiry",
            "\"Shared admin account\" to Access control (expired 2026-06-14)",
        ],
    );
    assert!(cites(&result, EvidenceKind::PolicyException, 70));

    let long = "A partner's SFTP endpoint that supports only CBC-mode ciphers with HMAC-SHA1, until the partner replaces its appliance next year";
    lapsed.exceptions_lapsed_unrecorded[0].scope = long.into();
    let result = rule(&lapsed, "A.5.1");
    assert_verdict(
        &result,
        Verdict::Partial,
        &["\"A partner's SFTP endpoint that supports only CBC-mode ciphers with HMAC-SHA1…\""],
    );
    assert!(!result.finding.contains("next year"), "{}", result.finding);

    let mut everything = with_body(&without_section("Exceptions"));
    everything.published[1].approved_by_approver_role = false;
    everything.published[0].next_review_due = Some(today() - Duration::days(1));
    everything.exceptions_lapsed_unrecorded = lapsed.exceptions_lapsed_unrecorded.clone();
    everything.exceptions_lapsed_unrecorded_total = 1;
    assert_verdict(
        &rule(&everything, "A.5.1"),
        Verdict::Nonconforming,
        &[
            "Not signed off",
            "Overdue for review",
            "no exceptions procedure",
            "past their expiry",
        ],
    );

    let nothing = PolicyFacts {
        published: Vec::new(),
        ..healthy()
    };
    assert_verdict(
        &rule(&nothing, "A.5.1"),
        Verdict::Nonconforming,
        &["No policy is published"],
    );
}
