//! The leadership rules on hand-built figures: at, just below and just above each threshold.

use charter::domain::campaign::CampaignAudience;
use charter::domain::communication::{Channel, Communication};
use charter::domain::conformance::{
    CATALOG, EvidenceKind, EvidenceLink, LeadershipFigures, RequirementResult, Thresholds, Verdict,
    continual_improvement, performance_reporting, performance_reviewed, reporting_channel,
};
use charter::domain::process::{Process, STANDARD_PROCESSES};
use charter::domain::resource::{Amount, CommitmentStatus, ResourceCommitment, ResourceKind};
use time::macros::{date, time};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

const TODAY: Date = date!(2026 - 11 - 30);

fn days_ago(n: i64) -> Date {
    TODAY - Duration::days(n)
}

fn at(day: Date) -> OffsetDateTime {
    day.with_time(time!(09:00)).assume_utc()
}

fn link(kind: EvidenceKind, label: &str) -> EvidenceLink {
    EvidenceLink {
        kind,
        id: Uuid::now_v7(),
        label: label.into(),
    }
}

/// A key process with an owner, its integration and evidence, verified `verified` days ago.
pub fn process(key: Option<&str>, name: &str, verified: Option<i64>, interval: i32) -> Process {
    Process {
        id: Uuid::now_v7(),
        name: name.into(),
        standard_key: key.map(str::to_owned),
        key_process: true,
        integration: "Security requirements are a gate of every stage.".into(),
        owner_id: Some(Uuid::now_v7()),
        owner_name: Some("Olga Owner".into()),
        evidence: "Gate checklist in the project handbook".into(),
        last_verified_on: verified.map(days_ago),
        last_verified_by: None,
        last_verified_by_name: None,
        verification_interval_days: interval,
        verification_due_on: None,
        stale: false,
        created_at: at(days_ago(900)),
        updated_at: at(days_ago(900)),
    }
}

pub fn approval(
    kind: ResourceKind,
    decided: OffsetDateTime,
    none_needed: bool,
) -> ResourceCommitment {
    ResourceCommitment {
        id: Uuid::now_v7(),
        kind,
        description: format!("{} for the ISMS", kind.label()),
        amount: (!none_needed && kind == ResourceKind::Financial)
            .then(|| Amount::from_minor(1_250_000)),
        currency: (!none_needed && kind == ResourceKind::Financial).then(|| "EUR".to_owned()),
        fte: (!none_needed && kind != ResourceKind::Financial).then_some(1.5),
        period_start: date!(2026 - 01 - 01),
        period_end: date!(2026 - 12 - 31),
        none_needed,
        status: CommitmentStatus::Approved,
        requested_by: Uuid::now_v7(),
        requested_by_name: "Ina".into(),
        requested_at: decided - Duration::days(3),
        decided_by: Some(Uuid::now_v7()),
        decided_by_name: Some("Bea".into()),
        decided_at: Some(decided),
        decision_comment: None,
        withdrawn_at: None,
    }
}

pub fn communication(on: Date, audience: CampaignAudience, subject: &str) -> Communication {
    Communication {
        id: Uuid::now_v7(),
        author_id: Uuid::now_v7(),
        author_name: "Bea".into(),
        audience,
        channel: Channel::TownHall,
        communicated_on: on,
        subject: subject.into(),
        body: String::new(),
        link: None,
        emails_queued: 0,
        created_at: at(on),
    }
}

/// Every rule met: the eight processes verified 10 days ago, every resource type approved or
/// decided, a town hall to everyone, measured objectives, a signed report and review.
pub fn all_in_order() -> LeadershipFigures {
    LeadershipFigures {
        processes: STANDARD_PROCESSES
            .iter()
            .map(|(key, name)| process(Some(key), name, Some(10), 365))
            .collect(),
        resource_approvals: vec![
            approval(ResourceKind::Financial, at(days_ago(30)), false),
            approval(ResourceKind::Personnel, at(days_ago(30)), false),
            approval(ResourceKind::Facilities, at(days_ago(30)), true),
            approval(
                ResourceKind::TechnicalInfrastructure,
                at(days_ago(30)),
                false,
            ),
        ],
        communications: vec![communication(
            days_ago(20),
            CampaignAudience::Everyone,
            "Why security matters to us",
        )],
        active_objectives: 5,
        objectives_unmeasured: 0,
        last_report_signed_off: Some(date!(2026 - 09 - 01)),
        signed_off_report: Some(link(EvidenceKind::PerformanceReport, "Q3 report")),
        last_review_with_decisions: Some(date!(2026 - 08 - 01)),
        review_with_decisions: Some(link(EvidenceKind::ManagementReview, "Annual review")),
        actions_tracked: 10,
        actions_overdue: 1,
        overdue_actions: vec![link(EvidenceKind::ImprovementAction, "Patch the VPN")],
        reporter_held: true,
        last_report_by_reporter: Some(true),
        reporter_role: Some(link(EvidenceKind::Role, "ISMS manager (held by Ina)")),
        last_report: Some(link(EvidenceKind::PerformanceReport, "Q3 report")),
        channel_enabled: true,
        handler_held: true,
        concerns_response_overdue: 0,
        concern_settings: Some(EvidenceLink {
            kind: EvidenceKind::ConcernSettings,
            id: LeadershipFigures::CONCERN_SETTINGS_ID,
            label: "Channel settings".into(),
        }),
        ..LeadershipFigures::nothing_recorded(TODAY)
    }
}

fn result(f: &LeadershipFigures, id: &str) -> RequirementResult {
    f.results(&Thresholds::default())
        .into_iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{id} evaluated"))
}

fn figure<'a>(r: &'a RequirementResult, label: &str) -> &'a str {
    r.figures
        .iter()
        .find(|f| f.label == label)
        .map(|f| f.value.as_str())
        .unwrap_or_else(|| panic!("figure {label} in {:?}", r.figures))
}

#[test]
fn the_seven_rules_run_in_catalog_order_and_cite_what_they_read() {
    let results = all_in_order().results(&Thresholds::default());
    let ids: Vec<&str> = results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "5.1.b", "5.1.c", "5.1.d", "5.1.e", "5.1.g", "5.3.b", "A.6.8"
        ]
    );
    let catalog: Vec<&str> = CATALOG
        .iter()
        .map(|r| r.id)
        .filter(|id| ids.contains(id))
        .collect();
    assert_eq!(catalog, ids, "in the order of the catalog");
    for r in &results {
        assert_eq!(r.verdict, Verdict::Conforming, "{}: {}", r.id, r.finding);
        assert!(!r.evidence.is_empty(), "{} cites its records", r.id);
        assert!(r.evidence.len() <= LeadershipFigures::MAX_CITED);
    }
    let kinds = |id: &str| -> Vec<EvidenceKind> {
        let r = results.iter().find(|r| r.id == id).expect("result");
        r.evidence.iter().map(|e| e.kind).collect()
    };
    assert_eq!(kinds("5.1.b"), [EvidenceKind::Process; 8]);
    assert_eq!(kinds("5.1.c"), [EvidenceKind::ResourceCommitment; 4]);
    assert_eq!(kinds("5.1.d"), [EvidenceKind::Communication]);
    assert_eq!(kinds("5.1.e"), [EvidenceKind::PerformanceReport]);
    assert_eq!(
        kinds("5.1.g"),
        [
            EvidenceKind::ManagementReview,
            EvidenceKind::ImprovementAction
        ]
    );
    assert_eq!(
        kinds("5.3.b"),
        [EvidenceKind::Role, EvidenceKind::PerformanceReport]
    );
    assert_eq!(kinds("A.6.8"), [EvidenceKind::ConcernSettings]);
}

#[test]
fn a_process_verified_exactly_a_period_ago_counts_and_a_day_more_does_not() {
    let mut f = all_in_order();
    f.processes[0].last_verified_on = Some(days_ago(365));
    assert_eq!(result(&f, "5.1.b").verdict, Verdict::Conforming);

    f.processes[0].last_verified_on = Some(days_ago(366));
    let r = result(&f, "5.1.b");
    assert_eq!(r.verdict, Verdict::Partial);
    assert!(
        r.finding
            .contains("Strategic planning: verified 366 days ago (interval 365)"),
        "{}",
        r.finding
    );

    // A longer interval of its own does not stretch the governance period.
    f.processes[0].verification_interval_days = 730;
    let r = result(&f, "5.1.b");
    assert_eq!(r.verdict, Verdict::Partial);
    assert!(
        r.finding
            .contains("verified 366 days ago, before the 365-day period"),
        "{}",
        r.finding
    );
    let longer = Thresholds {
        period_days: 366,
        ..Thresholds::default()
    };
    let r = f.results(&longer).remove(0);
    assert_eq!(r.verdict, Verdict::Conforming, "{}", r.finding);
}

#[test]
fn seven_of_eight_processes_in_order_is_partial_and_names_the_eighth() {
    let mut f = all_in_order();
    let supplier = f
        .processes
        .iter_mut()
        .find(|p| p.name == "Supplier management")
        .expect("seeded");
    supplier.verification_interval_days = 180;
    supplier.last_verified_on = Some(days_ago(180));
    assert_eq!(
        result(&f, "5.1.b").verdict,
        Verdict::Conforming,
        "due today"
    );

    let supplier = f
        .processes
        .iter_mut()
        .find(|p| p.name == "Supplier management")
        .expect("seeded");
    supplier.last_verified_on = Some(days_ago(300));
    let supplier_id = supplier.id;
    let r = result(&f, "5.1.b");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_eq!(
        r.finding,
        "1 of 8 key processes are not in order: Supplier management: verified 300 days ago \
         (interval 180)."
    );
    assert_eq!(figure(&r, "key processes"), "8");
    assert_eq!(figure(&r, "in order"), "7");
    assert_eq!(r.evidence[0].id, supplier_id, "the gap is cited first");
    assert_eq!(r.evidence.len(), 8);
}

#[test]
fn processes_without_owner_evidence_or_record_are_named_and_none_in_order_fails() {
    let mut f = all_in_order();
    f.processes.retain(|p| p.name != "Budgeting");
    f.processes[0].owner_id = None;
    f.processes[1].evidence = "  ".into();
    let departed = f.processes[2].owner_id.expect("owner");
    f.departed_owners = vec![departed];
    f.processes[3].last_verified_on = None;
    let r = result(&f, "5.1.b");
    assert_eq!(r.verdict, Verdict::Partial);
    for gap in [
        "Budgeting: no record",
        "Strategic planning: no owner",
        "Project delivery: no evidence recorded",
        "Governance: its owner Olga Owner has left",
        "Supplier management: never verified",
    ] {
        assert!(r.finding.contains(gap), "{gap} in {}", r.finding);
    }
    assert!(
        r.finding.starts_with("5 of 8 key processes"),
        "{}",
        r.finding
    );

    // As the migration seeds them: no owner, no integration, never verified; and one more.
    f.processes
        .push(process(None, "Incident response", None, 365));
    for p in &mut f.processes {
        p.owner_id = None;
        p.integration = String::new();
        p.evidence = String::new();
        p.last_verified_on = None;
    }
    let r = result(&f, "5.1.b");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert!(
        r.finding.contains(
            "Project delivery: how the ISMS is built in is not described, no owner, no evidence \
             recorded, never verified"
        ),
        "{}",
        r.finding
    );
    assert!(
        r.finding.starts_with("9 of 9 key processes") && r.finding.ends_with("; and 1 more."),
        "the list is cut: {}",
        r.finding
    );
    assert_eq!(figure(&r, "in order"), "0");
}

#[test]
fn a_process_the_organization_adds_as_key_counts_too() {
    let mut f = all_in_order();
    f.processes
        .push(process(None, "Incident response", Some(400), 730));
    let r = result(&f, "5.1.b");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_eq!(figure(&r, "key processes"), "9");
    assert!(
        r.finding
            .contains("Incident response: verified 400 days ago"),
        "{}",
        r.finding
    );
}

#[test]
fn an_approval_on_the_first_day_of_the_period_counts_and_the_day_before_does_not() {
    let first_day = days_ago(365);
    let mut f = all_in_order();
    f.resource_approvals[1] = approval(
        ResourceKind::Personnel,
        first_day.midnight().assume_utc(),
        false,
    );
    assert_eq!(result(&f, "5.1.c").verdict, Verdict::Conforming);

    let day_before = (first_day - Duration::days(1))
        .with_time(time!(23:59:59))
        .assume_utc();
    f.resource_approvals[1] = approval(ResourceKind::Personnel, day_before, false);
    let r = result(&f, "5.1.c");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_eq!(
        r.finding,
        "Within the last 365 days: personnel: no resources approved by top management."
    );
    assert_eq!(figure(&r, "personnel"), "nothing approved");
    assert_eq!(figure(&r, "financial"), "1 approved");
    assert_eq!(figure(&r, "facilities"), "none needed");
    assert_eq!(
        r.evidence.len(),
        3,
        "only approvals of the period are cited"
    );
}

#[test]
fn money_and_people_must_be_committed_while_facilities_need_only_be_considered() {
    let mut f = all_in_order();
    f.resource_approvals[0] = approval(ResourceKind::Financial, at(days_ago(5)), true);
    f.resource_approvals.remove(2);
    let r = result(&f, "5.1.c");
    assert_eq!(r.verdict, Verdict::Partial);
    assert!(
        r.finding.contains(
            "financial: only a decision that none are needed, but financial resources must be \
             committed"
        ),
        "{}",
        r.finding
    );
    assert!(
        r.finding.contains("facilities: not considered"),
        "{}",
        r.finding
    );
    assert_eq!(figure(&r, "technical infrastructure"), "1 approved");

    // Requests still awaiting a decision, and rejected ones, are not commitments.
    for a in &mut f.resource_approvals {
        a.status = CommitmentStatus::Requested;
    }
    let r = result(&f, "5.1.c");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert!(r.evidence.is_empty());
    assert_eq!(
        result(&LeadershipFigures::nothing_recorded(TODAY), "5.1.c").verdict,
        Verdict::Nonconforming
    );
}

#[test]
fn a_communication_to_everyone_on_the_first_day_of_the_period_counts_the_day_before_does_not() {
    let mut f = all_in_order();
    f.communications = vec![communication(
        days_ago(365),
        CampaignAudience::Everyone,
        "Security is everyone's job",
    )];
    let r = result(&f, "5.1.d");
    assert_eq!(r.verdict, Verdict::Conforming);
    assert!(
        r.finding.contains("Security is everyone's job"),
        "{}",
        r.finding
    );
    assert_eq!(figure(&r, "to all staff"), "1");

    f.communications[0].communicated_on = days_ago(366);
    let r = result(&f, "5.1.d");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_eq!(
        r.finding,
        format!(
            "No communication by top management in the last 365 days; the last was on {}.",
            days_ago(366)
        )
    );
    assert_eq!(figure(&r, "last to all staff"), days_ago(366).to_string());
    assert!(r.evidence.is_empty(), "nothing of the period to cite");
}

#[test]
fn a_communication_to_some_units_only_is_partial() {
    let mut f = all_in_order();
    f.communications = vec![
        communication(
            days_ago(3),
            CampaignAudience::Units {
                unit_ids: vec![Uuid::now_v7(), Uuid::now_v7()],
            },
            "Sales: phishing wave",
        ),
        communication(days_ago(500), CampaignAudience::Everyone, "Kick-off"),
    ];
    let r = result(&f, "5.1.d");
    assert_eq!(r.verdict, Verdict::Partial);
    assert!(
        r.finding.contains("but not to all staff: the latest, on"),
        "{}",
        r.finding
    );
    assert!(r.finding.contains("2 unit(s)"), "{}", r.finding);
    assert_eq!(r.evidence.len(), 1);
    assert_eq!(r.evidence[0].kind, EvidenceKind::Communication);
    assert_eq!(
        result(&LeadershipFigures::nothing_recorded(TODAY), "5.1.d").finding,
        "Top management has not recorded any communication."
    );
}

#[test]
fn a_report_signed_off_a_year_ago_to_the_day_still_counts_a_day_more_does_not() {
    let t = Thresholds::default();
    let mut f = all_in_order();
    f.last_report_signed_off = Some(f.today - Duration::days(365));
    assert_eq!(performance_reviewed(&f, &t).verdict, Verdict::Conforming);
    f.last_report_signed_off = Some(f.today - Duration::days(366));
    assert_eq!(performance_reviewed(&f, &t).verdict, Verdict::Partial);
    f.objectives_unmeasured = 1;
    f.unmeasured_objectives = vec![link(EvidenceKind::Objective, "Phishing click rate")];
    let result = performance_reviewed(&f, &t);
    assert_eq!(result.verdict, Verdict::Nonconforming);
    assert!(
        result
            .finding
            .contains("1 objective(s) not measured within their interval: Phishing click rate."),
        "{}",
        result.finding
    );
    assert!(
        result.finding.contains("No performance report signed off"),
        "{}",
        result.finding
    );
    let cited: Vec<EvidenceKind> = result.evidence.iter().map(|e| e.kind).collect();
    assert_eq!(
        cited,
        [EvidenceKind::PerformanceReport, EvidenceKind::Objective]
    );
}

#[test]
fn overdue_actions_at_the_threshold_conform_and_just_above_do_not() {
    let t = Thresholds::default();
    let mut f = all_in_order();
    assert_eq!(
        continual_improvement(&f, &t).verdict,
        Verdict::Conforming,
        "1 of 10 is 10 %"
    );
    f.actions_tracked = 9;
    let r = continual_improvement(&f, &t);
    assert_eq!(r.verdict, Verdict::Partial, "1 of 9 is 11 %");
    assert!(r.finding.contains("Patch the VPN"), "{}", r.finding);
    f.last_review_with_decisions = Some(f.today - Duration::days(366));
    assert_eq!(
        continual_improvement(&f, &t).verdict,
        Verdict::Nonconforming
    );
    f.actions_tracked = 0;
    f.actions_overdue = 0;
    f.last_review_with_decisions = Some(f.today);
    assert_eq!(
        continual_improvement(&f, &t).verdict,
        Verdict::Conforming,
        "nothing tracked, nothing late"
    );
}

#[test]
fn a_result_cites_at_most_twenty_records() {
    let t = Thresholds::default();
    let mut f = all_in_order();
    f.actions_tracked = 40;
    f.actions_overdue = 30;
    f.overdue_actions = (0..30)
        .map(|i| link(EvidenceKind::ImprovementAction, &format!("Action {i}")))
        .collect();
    let r = continual_improvement(&f, &t);
    assert_eq!(r.evidence.len(), LeadershipFigures::MAX_CITED);
    assert_eq!(r.evidence[0].kind, EvidenceKind::ManagementReview);
    assert_eq!(
        figure(&r, "actions overdue"),
        "30",
        "the figure counts them all"
    );
}

#[test]
fn the_reporter_conforms_only_by_submitting_the_last_report() {
    let mut f = all_in_order();
    assert_eq!(performance_reporting(&f).verdict, Verdict::Conforming);
    f.last_report_by_reporter = Some(false);
    assert_eq!(performance_reporting(&f).verdict, Verdict::Partial);
    f.last_report_by_reporter = None;
    assert_eq!(performance_reporting(&f).verdict, Verdict::Partial);
    f.reporter_held = false;
    let r = performance_reporting(&f);
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_eq!(
        r.finding,
        "No active person holds the performance reporter role."
    );
    f.reporter_role = None;
    assert!(
        performance_reporting(&f)
            .finding
            .contains("No role of the catalog"),
        "no role flagged at all"
    );
}

#[test]
fn the_channel_needs_a_handler_and_answers_in_time() {
    let mut f = all_in_order();
    assert_eq!(reporting_channel(&f).verdict, Verdict::Conforming);
    f.concerns_response_overdue = 1;
    assert_eq!(reporting_channel(&f).verdict, Verdict::Partial);
    f.handler_held = false;
    let r = reporting_channel(&f);
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert!(r.finding.contains("no handler in post"), "{}", r.finding);
    f.handler_held = true;
    f.channel_enabled = false;
    let r = reporting_channel(&f);
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_eq!(
        r.finding,
        "The confidential channel is closed to new reports."
    );
}
