//! The leadership facts and the liveness signs loaded from a small organization built through
//! store calls, on both databases, and the verdicts the rules reach on them.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::assignment::{AssignmentInput, AssignmentScope};
use charter::domain::campaign::{AckRequest, CampaignAudience, CampaignInput};
use charter::domain::communication::{Channel, CommunicationInput};
use charter::domain::conformance::{
    EvidenceKind, LeadershipFigures, RequirementResult, Thresholds, Verdict,
};
use charter::domain::improvement_action::NewActionFields;
use charter::domain::objective::{Direction, MeasurementInput, ObjectiveInput};
use charter::domain::policy::{Audience, PolicyInput, PolicyKind, Visibility};
use charter::domain::policy_version::{DraftInput, Transition};
use charter::domain::process::{ProcessInput, VerificationInput};
use charter::domain::report::{ReportInput, SignOffInput};
use charter::domain::resource::{
    Amount, ResourceCommitmentInput, ResourceDecision, ResourceDecisionInput, ResourceKind,
};
use charter::domain::review::{
    DecisionInput, DecisionKind, PreviousActions, ReviewInput, ReviewInputs,
};
use charter::domain::role::{OrgRole, OrgRoleFilter, RoleCategory};
use charter::domain::{Actor, PersonStatus};
use charter::store::{DatabaseLocation, Store};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, person_input, raw_sql, store_account};

crate::on_both_backends!(
    an_organization_that_recorded_nothing_meets_no_leadership_rule,
    an_operated_isms_conforms_and_the_facts_name_what_was_read,
    what_went_stale_is_found_and_named,
    liveness_counts_days_coverage_and_old_evidence,
);

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn days(n: i64) -> Date {
    today() + Duration::days(n)
}

fn uuid_sql(location: &DatabaseLocation, id: Uuid) -> String {
    match location {
        DatabaseLocation::Sqlite(_) => format!("x'{}'", id.simple()),
        DatabaseLocation::Postgres(_) => format!("'{id}'"),
    }
}

/// Ada (admin) assigns; Ina holds the performance reporter role (which grants ISMS manager) and
/// owns every process; Bea holds the chief executive's role (top management); Cara holds the
/// concern handler role; Sam and Dan are staff, Dan holding a role too.
struct Org {
    ina: Account,
    bea: Account,
    cara: Account,
    sam: Account,
    dan: Account,
}

async fn assign(store: &dyn Store, by: &Account, person: Uuid, pick: impl Fn(&OrgRole) -> bool) {
    let roles = store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("roles");
    let role = roles.iter().find(|r| pick(r)).expect("a catalog role");
    let input = AssignmentInput {
        role_id: role.id,
        person_id: person,
        scope: AssignmentScope::Organization,
        deputy: false,
        starts_on: today(),
        ends_on: None,
        reason: "Appointed by the board".into(),
        sod_exception_id: None,
    };
    store
        .assign_role(by, input, today())
        .await
        .expect("assigned");
}

async fn people(store: &dyn Store) -> Org {
    let ada = store_account(store, "Ada", &[Role::Admin]).await;
    let ina = store_account(store, "Ina", &[Role::Staff]).await;
    let bea = store_account(store, "Bea", &[Role::Staff]).await;
    let cara = store_account(store, "Cara", &[Role::Staff]).await;
    let sam = store_account(store, "Sam", &[Role::Staff]).await;
    let dan = store_account(store, "Dan", &[Role::Staff]).await;
    assign(store, &ada, ina.person_id, |r| r.performance_reporter).await;
    assign(store, &ada, bea.person_id, |r| {
        r.category == RoleCategory::TopManagement && r.grants == Some(Role::TopManagement)
    })
    .await;
    assign(store, &ada, cara.person_id, |r| {
        r.grants == Some(Role::ConcernHandler)
    })
    .await;
    assign(store, &ada, dan.person_id, |r| {
        r.grants.is_none() && !r.performance_reporter
    })
    .await;
    let refresh = |a: Account| async move { store.account(a.id).await.expect("account") };
    Org {
        ina: refresh(ina).await,
        bea: refresh(bea).await,
        cara,
        sam,
        dan,
    }
}

/// Every key process owned by Ina, described, evidenced and verified today; Supplier management
/// verified 300 days ago on a 180-day interval.
async fn integrate_processes(store: &dyn Store, org: &Org) {
    let processes = store.list_processes(today()).await.expect("processes");
    assert_eq!(processes.len(), 8, "the migration seeds the key processes");
    for p in processes {
        let supplier = p.name == "Supplier management";
        let input = ProcessInput {
            name: p.name.clone(),
            integration: format!("Security requirements are a gate of {}.", p.name),
            owner_id: Some(org.ina.person_id),
            evidence: "Gate checklist in the handbook".into(),
            verification_interval_days: if supplier { 180 } else { 365 },
            key_process: true,
        };
        store
            .update_process(&Actor::cli(), p.id, input, today())
            .await
            .expect("described");
        let verified = VerificationInput {
            verified_on: Some(if supplier { days(-300) } else { today() }),
            evidence: None,
        };
        store
            .verify_process(&org.ina, p.id, verified, today())
            .await
            .expect("verified");
    }
}

fn resources(kind: ResourceKind, none_needed: bool) -> ResourceCommitmentInput {
    let money = !none_needed && kind == ResourceKind::Financial;
    ResourceCommitmentInput {
        kind,
        description: format!("{} for the ISMS", kind.label()),
        amount: money.then(|| Amount::parse("25000").expect("amount")),
        currency: money.then(|| "EUR".to_owned()),
        fte: (!none_needed && !money).then_some(1.0),
        period_start: today(),
        period_end: days(364),
        none_needed,
    }
}

/// Money and people asked by Sam and approved by Bea; Bea decides no facilities or technical
/// infrastructure are needed.
async fn commit_resources(store: &dyn Store, org: &Org) {
    for kind in [ResourceKind::Financial, ResourceKind::Personnel] {
        let asked = store
            .request_resources(&org.sam, resources(kind, false))
            .await
            .expect("requested");
        let approve = ResourceDecisionInput {
            decision: ResourceDecision::Approve,
            comment: "Fits the roadmap".into(),
        };
        store
            .decide_resources(&org.bea, asked.id, approve)
            .await
            .expect("approved");
    }
    for kind in [
        ResourceKind::Facilities,
        ResourceKind::TechnicalInfrastructure,
    ] {
        store
            .request_resources(&org.bea, resources(kind, true))
            .await
            .expect("none needed");
    }
}

fn objective(owner: Uuid, statement: &str) -> ObjectiveInput {
    ObjectiveInput {
        statement: statement.into(),
        metric: "Staff trained".into(),
        unit: "%".into(),
        target: 95.0,
        direction: Direction::AtLeast,
        owner_id: owner,
        due_on: days(180),
        measurement_interval_days: 90,
        theme: "Resilience".into(),
        policy_id: None,
    }
}

/// A town hall to everyone 10 days ago, a measured objective, a report Ina generated and Bea
/// signed off, and a management review Bea chaired today with a decision and its action.
async fn look_at_performance(store: &dyn Store, org: &Org) {
    let told = CommunicationInput {
        audience: CampaignAudience::Everyone,
        channel: Channel::TownHall,
        communicated_on: days(-10),
        subject: "Why security matters to us".into(),
        body: "Our customers trust us with their data.".into(),
        link: None,
        send_email: false,
    };
    store
        .record_communication(&org.bea, told, today())
        .await
        .expect("communicated");
    let trained = store
        .create_objective(
            &Actor::cli(),
            objective(
                org.ina.person_id,
                "Every member of staff completes training",
            ),
            today(),
        )
        .await
        .expect("objective");
    let measured = MeasurementInput {
        value: 97.0,
        measured_at: None,
        source: "Training records".into(),
        corrects_id: None,
    };
    store
        .record_measurement(&org.ina, trained.id, measured)
        .await
        .expect("measured");
    let now = OffsetDateTime::now_utc();
    let report = store
        .generate_report(
            &org.ina,
            ReportInput {
                summary: "On track.".into(),
            },
            now,
        )
        .await
        .expect("generated");
    let signed = SignOffInput {
        comments: "Thank you.".into(),
    };
    store
        .sign_off_report(&org.bea, report.report.id, signed)
        .await
        .expect("signed off");
    let review = ReviewInput {
        title: "Annual management review".into(),
        held_on: today(),
        chair_id: org.bea.person_id,
        attendee_ids: vec![org.bea.person_id, org.ina.person_id],
        minutes: "Discussed the objectives.".into(),
    };
    let review = store
        .create_management_review(&org.ina, review)
        .await
        .expect("review");
    let decision = DecisionInput {
        kind: DecisionKind::Improvement,
        text: "Train the new hires within a month.".into(),
        actions: vec![NewActionFields {
            title: "Onboarding training".into(),
            description: String::new(),
            owner_id: org.sam.person_id,
            due_on: days(30),
        }],
    };
    store
        .add_review_decision(&org.ina, review.id, decision, today())
        .await
        .expect("decided");
    let inputs = ReviewInputs {
        isms: charter::isms_status::read_isms_status(store, now)
            .await
            .expect("status"),
        previous_actions: PreviousActions::default(),
    };
    store
        .sign_management_review(&org.bea, review.id, &inputs)
        .await
        .expect("signed");
}

async fn operated(store: &dyn Store) -> Org {
    let org = people(store).await;
    integrate_processes(store, &org).await;
    commit_resources(store, &org).await;
    look_at_performance(store, &org).await;
    org
}

async fn evaluated(store: &dyn Store) -> (LeadershipFigures, Vec<RequirementResult>) {
    let facts = store.leadership_facts(today()).await.expect("facts");
    let results = facts.results(&Thresholds::default());
    (facts, results)
}

fn verdict_of<'a>(results: &'a [RequirementResult], id: &str) -> &'a RequirementResult {
    results
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{id} in {results:?}"))
}

async fn an_organization_that_recorded_nothing_meets_no_leadership_rule(db: TestDb) {
    let store = db.store.as_ref();
    let (facts, results) = evaluated(store).await;
    assert_eq!(facts.processes.len(), 8);
    assert!(facts.resource_approvals.is_empty() && facts.communications.is_empty());
    assert_eq!(facts.active_objectives, 0);
    assert_eq!(
        (
            facts.last_report_signed_off,
            facts.last_review_with_decisions
        ),
        (None, None)
    );
    assert!(!facts.reporter_held && !facts.handler_held);
    assert!(facts.channel_enabled, "the channel opens enabled");
    let role = facts.reporter_role.as_ref().expect("the catalog flags one");
    assert!(role.label.ends_with("(held by nobody)"), "{}", role.label);
    let ids: Vec<&str> = results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "5.1.b", "5.1.c", "5.1.d", "5.1.e", "5.1.g", "5.3.b", "A.6.8"
        ]
    );
    for r in &results {
        assert_eq!(r.verdict, Verdict::Nonconforming, "{}: {}", r.id, r.finding);
    }
    assert!(
        verdict_of(&results, "5.1.b").finding.starts_with(
            "8 of 8 key processes are not in order: Budgeting: how the ISMS is built in"
        ),
        "{}",
        verdict_of(&results, "5.1.b").finding
    );

    let alive = store
        .liveness(OffsetDateTime::now_utc(), 365)
        .await
        .expect("liveness");
    assert_eq!(alive.days_since_management_review, None);
    assert_eq!(alive.days_since_report_review, None);
    assert_eq!(alive.days_since_top_communication, None);
    assert!(alive.coverage_trend.is_empty(), "no top-level policy");
    assert_eq!(
        (alive.evidence_records, alive.evidence_older_than_period),
        (8, 8),
        "eight processes never verified"
    );
}

async fn an_operated_isms_conforms_and_the_facts_name_what_was_read(db: TestDb) {
    let store = db.store.as_ref();
    let org = operated(store).await;
    let (facts, results) = evaluated(store).await;
    assert_eq!(facts.processes.len(), 8);
    assert!(facts.departed_owners.is_empty());
    assert_eq!(facts.resource_approvals.len(), 4);
    assert_eq!(facts.communications.len(), 1);
    assert_eq!(
        facts.communications[0].subject,
        "Why security matters to us"
    );
    assert_eq!(
        (facts.active_objectives, facts.objectives_unmeasured),
        (1, 0)
    );
    assert_eq!(facts.last_report_signed_off, Some(today()));
    assert_eq!(facts.last_review_with_decisions, Some(today()));
    assert_eq!((facts.actions_tracked, facts.actions_overdue), (1, 0));
    assert!(facts.reporter_held && facts.handler_held && facts.channel_enabled);
    assert_eq!(facts.last_report_by_reporter, Some(true));
    let role = facts.reporter_role.as_ref().expect("reporter role");
    assert!(role.label.ends_with("(held by Ina)"), "{}", role.label);

    for r in &results {
        let expected = if r.id == "5.1.b" {
            Verdict::Partial
        } else {
            Verdict::Conforming
        };
        assert_eq!(r.verdict, expected, "{}: {}", r.id, r.finding);
    }
    assert_eq!(
        verdict_of(&results, "5.1.b").finding,
        "1 of 8 key processes are not in order: Supplier management: verified 300 days ago \
         (interval 180)."
    );
    let cited = |id: &str| -> Vec<EvidenceKind> {
        verdict_of(&results, id)
            .evidence
            .iter()
            .map(|e| e.kind)
            .collect()
    };
    assert_eq!(cited("5.1.c"), [EvidenceKind::ResourceCommitment; 4]);
    assert_eq!(cited("5.1.d"), [EvidenceKind::Communication]);
    assert_eq!(
        cited("5.1.g"),
        [EvidenceKind::ManagementReview],
        "no action overdue"
    );
    assert_eq!(
        cited("5.3.b"),
        [EvidenceKind::Role, EvidenceKind::PerformanceReport]
    );

    // A second objective nobody measured yet is named and cited.
    let unmeasured = store
        .create_objective(
            &Actor::cli(),
            objective(org.ina.person_id, "Phishing reports answered within a day"),
            today(),
        )
        .await
        .expect("objective");
    let (facts, results) = evaluated(store).await;
    assert_eq!(
        (facts.active_objectives, facts.objectives_unmeasured),
        (2, 1)
    );
    let e = verdict_of(&results, "5.1.e");
    assert_eq!(e.verdict, Verdict::Partial);
    assert!(
        e.finding
            .contains("1 objective(s) not measured within their interval: Phishing reports"),
        "{}",
        e.finding
    );
    assert!(
        e.evidence
            .iter()
            .any(|l| l.kind == EvidenceKind::Objective && l.id == unmeasured.id)
    );
}

async fn what_went_stale_is_found_and_named(db: TestDb) {
    let store = db.store.as_ref();
    let org = operated(store).await;
    let processes = store.list_processes(today()).await.expect("processes");
    let budgeting = processes
        .iter()
        .find(|p| p.name == "Budgeting")
        .expect("seeded");
    let mut input = ProcessInput::from_process(budgeting);
    input.owner_id = Some(org.dan.person_id);
    store
        .update_process(&Actor::cli(), budgeting.id, input, today())
        .await
        .expect("handed to Dan");
    let mut gone = person_input("Dan", "dan@example.com");
    gone.status = PersonStatus::Departed;
    gone.departed_on = Some(today());
    store
        .update_person(&Actor::cli(), org.dan.person_id, gone, today())
        .await
        .expect("Dan left");
    let loc = &db.location;
    raw_sql(
        loc,
        &format!(
            "UPDATE resource_commitments SET decided_at = '{}T12:00:00Z' WHERE kind = 'personnel'",
            days(-366)
        ),
    )
    .await;
    raw_sql(
        loc,
        &format!(
            "UPDATE communications SET communicated_on = '{}'",
            days(-366)
        ),
    )
    .await;
    raw_sql(
        loc,
        &format!("UPDATE improvement_actions SET due_on = '{}'", days(-1)),
    )
    .await;
    let (facts, results) = evaluated(store).await;
    assert_eq!(facts.departed_owners, [org.dan.person_id]);
    let b = verdict_of(&results, "5.1.b");
    assert!(
        b.finding.contains("Budgeting: its owner Dan has left"),
        "{}",
        b.finding
    );
    assert!(b.finding.starts_with("2 of 8"), "{}", b.finding);
    let c = verdict_of(&results, "5.1.c");
    assert_eq!(c.verdict, Verdict::Partial);
    assert_eq!(
        c.finding,
        "Within the last 365 days: personnel: no resources approved by top management."
    );
    let d = verdict_of(&results, "5.1.d");
    assert_eq!(d.verdict, Verdict::Nonconforming);
    assert!(d.finding.contains(&days(-366).to_string()), "{}", d.finding);
    let g = verdict_of(&results, "5.1.g");
    assert_eq!(g.verdict, Verdict::Partial, "{}", g.finding);
    assert!(g.finding.contains("Onboarding training"), "{}", g.finding);
    assert!(
        g.evidence
            .iter()
            .any(|l| l.kind == EvidenceKind::ImprovementAction)
    );
}

/// The `YYYY-MM` of the month `back` months before today's, and a moment in it.
fn month_back(back: i32) -> (String, String) {
    let t = today();
    let m = t.year() * 12 + i32::from(u8::from(t.month())) - 1 - back;
    let month = format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1);
    let moment = format!("{month}-15T12:00:00Z");
    (month, moment)
}

/// A published top-level policy with a campaign to everyone, acknowledged by Sam and Cara.
async fn top_level_policy_acknowledged(db: &TestDb, org: &Org) -> Uuid {
    let store = db.store.as_ref();
    let input = PolicyInput {
        title: "Information security policy".into(),
        kind: PolicyKind::TopLevel,
        owner_id: org.ina.person_id,
        approver_role: Role::TopManagement,
        audience: Audience::Everyone,
        review_interval_months: 12,
        visibility: Visibility::Internal,
        visibility_rationale: String::new(),
        quorum: 1,
    };
    let draft = DraftInput {
        body: "# Purpose and scope\n\nAcme protects its customers' information.\n".into(),
        is_major: false,
        change_summary: String::new(),
    };
    let (policy, v1) = store
        .create_policy(&org.ina, input, draft)
        .await
        .expect("policy");
    for (by, step, statement) in [
        (&org.ina, Transition::Submit, ""),
        (&org.bea, Transition::Approve, "I approve."),
        (&org.ina, Transition::Publish, ""),
    ] {
        store
            .transition_version(by, v1.id, step, statement, today())
            .await
            .expect("moved on");
    }
    let campaign = CampaignInput {
        version_id: v1.id,
        title: None,
        audience: Some(CampaignAudience::Everyone),
        due_on: days(14),
        statement: None,
        reminders: None,
    };
    let campaign = store
        .launch_campaign(&org.ina, campaign, today())
        .await
        .expect("launched");
    let requests: Vec<AckRequest> = [&org.sam, &org.cara]
        .iter()
        .map(|a| AckRequest {
            campaign_id: campaign.id,
            account_id: a.id,
            person_id: a.person_id,
            version_id: v1.id,
        })
        .collect();
    for answer in store.acknowledge(&requests).await {
        answer.expect("acknowledged");
    }
    policy.id
}

async fn liveness_counts_days_coverage_and_old_evidence(db: TestDb) {
    let store = db.store.as_ref();
    let org = operated(store).await;
    let policy = top_level_policy_acknowledged(&db, &org).await;
    let mut gone = person_input("Dan", "dan@example.com");
    gone.status = PersonStatus::Departed;
    gone.departed_on = Some(today());
    store
        .update_person(&Actor::cli(), org.dan.person_id, gone, today())
        .await
        .expect("Dan left");

    let loc = &db.location;
    let (_, long_ago) = month_back(14);
    let (two_back, two_months_ago) = month_back(2);
    for sql in [
        format!(
            "UPDATE acknowledgments SET acknowledged_at = '{long_ago}' WHERE person_id = {}",
            uuid_sql(loc, org.sam.person_id)
        ),
        format!(
            "UPDATE acknowledgments SET acknowledged_at = '{two_months_ago}' WHERE person_id = {}",
            uuid_sql(loc, org.cara.person_id)
        ),
        format!("UPDATE management_reviews SET held_on = '{}'", days(-45)),
        format!(
            "UPDATE performance_reports SET signed_off_at = '{}T12:00:00Z'",
            days(-10)
        ),
        format!(
            "UPDATE communications SET communicated_on = '{}'",
            days(-400)
        ),
        format!("UPDATE improvement_actions SET due_on = '{}'", days(-5)),
        format!(
            "UPDATE policies SET last_reviewed_on = '{}' WHERE id = {}",
            days(-400),
            uuid_sql(loc, policy)
        ),
    ] {
        raw_sql(loc, &sql).await;
    }

    let alive = store
        .liveness(OffsetDateTime::now_utc(), 365)
        .await
        .expect("liveness");
    assert_eq!(alive.days_since_management_review, Some(45));
    assert_eq!(alive.days_since_report_review, Some(10));
    assert_eq!(alive.days_since_top_communication, Some(400));
    assert_eq!(alive.overdue_policy_reviews, 1);
    assert_eq!((alive.overdue_actions, alive.actions_tracked), (1, 1));
    assert_eq!(alive.departed_holders, 1, "Dan still holds his role");

    // Five people are active (Dan left): Sam acknowledged 14 months ago, Cara two months ago.
    let trend: Vec<(&str, f64)> = alive
        .coverage_trend
        .iter()
        .map(|p| (p.month.as_str(), p.percent))
        .collect();
    assert_eq!(trend.len(), 12);
    assert_eq!(trend[11].0, month_back(0).0);
    assert_eq!(trend[9].0, two_back);
    assert_eq!(trend[0], (month_back(11).0.as_str(), 20.0));
    assert_eq!(trend[8].1, 20.0);
    assert_eq!((trend[9].1, trend[11].1), (40.0, 40.0));

    // 8 processes (Supplier management verified 300 days ago is still within the period), one
    // objective, the review, the report, the communication (400 days: older) and 4 resource
    // types.
    assert_eq!(
        (alive.evidence_records, alive.evidence_older_than_period),
        (16, 1)
    );

    let signals = alive.signals(&Thresholds::default());
    let shown = |label: &str| {
        let s = signals
            .iter()
            .find(|s| s.label == label)
            .unwrap_or_else(|| panic!("{label}"));
        (s.value.clone(), s.alive)
    };
    assert_eq!(
        shown("Last management review"),
        ("45 days ago".to_owned(), true)
    );
    assert_eq!(
        shown("Last top-management communication"),
        ("400 days ago".to_owned(), false)
    );
    assert_eq!(
        shown("Acknowledgment coverage of the top-level policy"),
        ("40.0 %".to_owned(), false)
    );
    assert_eq!(
        shown("Roles held by people who left"),
        ("1".to_owned(), false)
    );
}
