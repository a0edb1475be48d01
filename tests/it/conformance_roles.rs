//! The role and coverage rules of the conformance engine (5.1.f, 5.1.h, 5.3.0, 5.3.a, 5.3.raci,
//! 5.3.stale, A.5.2, A.5.3, A.5.4, A.6.3): each rule on hand-built facts at, just below and just
//! above its threshold, and the facts loaded from live records on both databases.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::assignment::{AssignmentInput, AssignmentScope};
use charter::domain::campaign::{AckRequest, CampaignAudience, CampaignInput};
use charter::domain::conformance::roles::{
    ActivityFact, CampaignRef, HeadAssignment, PolicyCoverageFacts, RoleFact, RoleFacts,
    SodConflictFact, SodExceptionFact, UnitCoverageFact, UnitHeadFact, evaluate,
};
use charter::domain::conformance::{CATALOG, EvidenceKind, RequirementResult, Thresholds, Verdict};
use charter::domain::policy::{Audience, PolicyInput, PolicyKind, Visibility};
use charter::domain::policy_version::{DraftInput, Transition};
use charter::domain::raci::{ActivityInput, Duty, RaciCell};
use charter::domain::role::{OrgRole, OrgRoleFilter, OrgRoleInput, RoleCategory};
use charter::domain::role_gaps::{AssignmentGap, GapList};
use charter::domain::sod::{
    SodConflict, SodExceptionDecision, SodExceptionDecisionInput, SodExceptionInput, SodRuleInput,
};
use charter::domain::{Actor, PersonStatus, UnitInput};
use charter::store::Store;
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, person_input, store_account};

const TODAY: Date = date!(2026 - 11 - 30);

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn role(n: u128, name: &str, category: RoleCategory) -> RoleFact {
    RoleFact {
        id: id(n),
        name: name.into(),
        category,
        required: false,
        responsibilities: vec![format!("Act as {name}")],
        authorities: vec![format!("Decide as {name}")],
        conformance_owner: false,
        held: true,
    }
}

fn gap(n: u128, person: &str, role: &str) -> AssignmentGap {
    AssignmentGap {
        assignment_id: id(1000 + n),
        role_id: id(7),
        role_name: role.into(),
        person_id: id(2000 + n),
        person_name: person.into(),
        on: None,
    }
}

fn gaps(items: Vec<AssignmentGap>) -> GapList<AssignmentGap> {
    GapList {
        total: i64::try_from(items.len()).expect("small"),
        items,
    }
}

fn unit(n: u128, name: &str, staff: i64, acknowledged: i64) -> UnitCoverageFact {
    UnitCoverageFact {
        unit_id: id(300 + n),
        unit_name: name.into(),
        staff,
        acknowledged,
    }
}

/// An organization where every role rule conforms.
fn in_order() -> RoleFacts {
    let mut ism = role(
        1,
        "Information security manager",
        RoleCategory::IsmsGovernance,
    );
    ism.required = true;
    ism.conformance_owner = true;
    let mut risk = role(4, "Risk owner", RoleCategory::RiskOwner);
    risk.required = true;
    let mut manager = role(5, "Line manager", RoleCategory::LineManager);
    manager.responsibilities = vec!["Brief their staff on the security policies".into()];
    RoleFacts {
        roles: vec![
            ism,
            role(2, "Information owner", RoleCategory::InformationOwner),
            role(3, "Asset owner", RoleCategory::AssetOwner),
            risk,
            manager,
        ],
        activities: vec![ActivityFact {
            id: id(50),
            name: "Approving risk treatment".into(),
            accountable: vec![id(4)],
            responsible: vec![id(1)],
        }],
        sod_rules: 1,
        sod_conflicts: Vec::new(),
        departed_holders: GapList::default(),
        unacknowledged: GapList::default(),
        units: 2,
        unit_heads: vec![UnitHeadFact {
            unit_id: id(301),
            unit_name: "Sales".into(),
            head_id: id(60),
            head_name: "Hana".into(),
            head_departed: false,
            line_manager: vec![HeadAssignment {
                assignment_id: id(61),
                role_id: id(5),
                role_name: "Line manager".into(),
                acknowledged: true,
            }],
        }],
        coverage: Some(PolicyCoverageFacts {
            policy_id: id(80),
            policy_title: "Information security policy".into(),
            version_id: id(81),
            version: "2.0".into(),
            campaigns: vec![CampaignRef {
                id: id(82),
                title: "Read the policy".into(),
            }],
            staff: 1000,
            acknowledged: 960,
            units: vec![unit(1, "Sales", 500, 480), unit(2, "Ops", 500, 480)],
        }),
    }
}

fn result(facts: &RoleFacts, id: &str) -> RequirementResult {
    evaluate(facts, TODAY, &Thresholds::default())
        .into_iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no result for {id}"))
}

fn verdict(facts: &RoleFacts, id: &str) -> Verdict {
    result(facts, id).verdict
}

fn assert_finds(result: &RequirementResult, part: &str) {
    assert!(
        result.finding.contains(part),
        "{}: '{part}' missing from: {}",
        result.id,
        result.finding
    );
}

fn coverage_mut(facts: &mut RoleFacts) -> &mut PolicyCoverageFacts {
    facts.coverage.as_mut().expect("coverage")
}

const IDS: [&str; 10] = [
    "5.1.f",
    "5.1.h",
    "5.3.0",
    "5.3.a",
    "5.3.raci",
    "5.3.stale",
    "A.5.2",
    "A.5.3",
    "A.5.4",
    "A.6.3",
];

#[test]
fn every_rule_gives_one_result_in_catalog_order_and_all_conform_when_all_is_in_order() {
    let results = evaluate(&in_order(), TODAY, &Thresholds::default());
    let ids: Vec<&str> = results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, IDS);
    let positions: Vec<usize> = ids
        .iter()
        .map(|id| {
            CATALOG
                .iter()
                .position(|r| r.id == *id)
                .expect("in catalog")
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    for r in &results {
        assert_eq!(r.verdict, Verdict::Conforming, "{}: {}", r.id, r.finding);
        assert!(!r.figures.is_empty(), "{} measures something", r.id);
        let nothing_to_cite = ["5.3.stale", "A.5.3"].contains(&r.id.as_str());
        assert_eq!(
            r.evidence.is_empty(),
            nothing_to_cite,
            "{} cites its records",
            r.id
        );
    }
}

#[test]
fn staff_coverage_of_95_0_percent_conforms_and_94_9_does_not() {
    let mut facts = in_order();
    let c = coverage_mut(&mut facts);
    c.acknowledged = 950;
    c.units = Vec::new();
    assert_eq!(verdict(&facts, "5.1.f"), Verdict::Conforming);
    assert_eq!(verdict(&facts, "A.6.3"), Verdict::Conforming);
    coverage_mut(&mut facts).acknowledged = 949;
    let r = result(&facts, "5.1.f");
    assert_eq!(
        r.verdict,
        Verdict::Partial,
        "coverage fails, assignments acknowledged"
    );
    assert_finds(
        &r,
        "94.9 % of 1000 active staff acknowledged 'Information security policy' 2.0",
    );
    assert_finds(&r, "below 95 %");
    assert_eq!(verdict(&facts, "A.6.3"), Verdict::Nonconforming);
    coverage_mut(&mut facts).acknowledged = 951;
    assert_eq!(verdict(&facts, "5.1.f"), Verdict::Conforming);
}

#[test]
fn a_share_just_below_the_threshold_never_shows_as_reaching_it() {
    let mut facts = in_order();
    let c = coverage_mut(&mut facts);
    c.staff = 10_000;
    c.acknowledged = 9_499;
    c.units = Vec::new();
    let r = result(&facts, "5.1.f");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_finds(&r, "94.9 %");
}

#[test]
fn a_unit_at_95_0_percent_conforms_and_one_at_94_9_is_named() {
    let mut facts = in_order();
    coverage_mut(&mut facts).units = vec![unit(1, "Sales", 1000, 950), unit(2, "Ops", 20, 19)];
    assert_eq!(
        verdict(&facts, "A.6.3"),
        Verdict::Conforming,
        "both exactly at 95 %"
    );
    assert_eq!(verdict(&facts, "A.5.4"), Verdict::Conforming);

    coverage_mut(&mut facts).units[0].acknowledged = 949;
    let r = result(&facts, "A.6.3");
    assert_eq!(
        r.verdict,
        Verdict::Partial,
        "the organization is above, one unit below"
    );
    assert_finds(&r, "Unit 'Sales' is at 94.9 % (below 95 %)");
    assert_eq!(r.evidence[0].kind, EvidenceKind::Unit);
    assert_eq!(r.evidence[0].id, id(301), "the unit below is cited first");
    let r = result(&facts, "A.5.4");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_finds(&r, "Unit 'Sales' is at 94.9 %");

    coverage_mut(&mut facts).units[0].acknowledged = 951;
    assert_eq!(verdict(&facts, "A.6.3"), Verdict::Conforming);
}

#[test]
fn units_below_are_named_lowest_first() {
    let mut facts = in_order();
    coverage_mut(&mut facts).units = vec![
        unit(1, "Sales", 500, 406),
        unit(2, "Ops", 500, 300),
        unit(3, "Legal", 10, 10),
    ];
    let r = result(&facts, "A.6.3");
    assert_finds(
        &r,
        "Unit 'Ops' is at 60.0 % and Unit 'Sales' is at 81.2 % (below 95 %)",
    );
    let cited: Vec<Uuid> = r.evidence.iter().take(2).map(|e| e.id).collect();
    assert_eq!(cited, vec![id(302), id(301)]);
}

#[test]
fn without_a_published_policy_or_a_campaign_coverage_is_nonconforming() {
    let mut facts = in_order();
    coverage_mut(&mut facts).campaigns.clear();
    for rule in ["5.1.f", "A.6.3"] {
        let r = result(&facts, rule);
        assert_eq!(r.verdict, Verdict::Nonconforming, "{rule}");
        assert_finds(
            &r,
            "No campaign asks staff to acknowledge 'Information security policy' version 2.0",
        );
    }
    assert_eq!(
        verdict(&facts, "A.5.4"),
        Verdict::Partial,
        "briefing is still stated"
    );
    facts.coverage = None;
    let r = result(&facts, "5.1.f");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "No top-level policy is published");
}

#[test]
fn an_unacknowledged_assignment_makes_5_1_f_and_5_3_0_partial() {
    let mut facts = in_order();
    facts.unacknowledged = gaps(vec![gap(1, "Alice", "Risk owner")]);
    for rule in ["5.1.f", "5.3.0", "A.5.2"] {
        let r = result(&facts, rule);
        assert_eq!(r.verdict, Verdict::Partial, "{rule}");
        assert_finds(
            &r,
            "1 role assignment(s) not acknowledged by the holder: Alice (Risk owner)",
        );
        assert!(
            r.evidence
                .iter()
                .any(|e| e.kind == EvidenceKind::Assignment && e.id == id(1001)),
            "{rule} cites the assignment"
        );
    }
}

#[test]
fn a_vacant_required_role_is_a_nonconformity_named_in_5_3_0_and_a_5_2() {
    let mut facts = in_order();
    facts.roles[3].held = false;
    let r = result(&facts, "5.3.0");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "Role 'Risk owner' (required) is vacant.");
    assert_eq!(r.evidence[0].id, id(4), "the vacant role is cited first");
    let r = result(&facts, "A.5.2");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "Role 'Risk owner' (required) is vacant.");
    facts.roles[3].required = false;
    assert_eq!(
        verdict(&facts, "5.3.0"),
        Verdict::Conforming,
        "an optional role may be vacant"
    );
}

#[test]
fn roles_must_state_responsibilities_and_authorities() {
    let mut facts = in_order();
    facts.roles[1].authorities.clear();
    let r = result(&facts, "5.3.0");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_finds(
        &r,
        "'Information owner' state no responsibilities or no authorities",
    );
    facts.roles.clear();
    let r = result(&facts, "5.3.0");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "The role catalog is empty");
}

#[test]
fn the_conformance_owner_must_be_flagged_and_held() {
    let mut facts = in_order();
    facts.roles[0].held = false;
    let r = result(&facts, "5.3.a");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(
        &r,
        "Role 'Information security manager' (responsible for making the ISMS conform) is vacant.",
    );
    facts.roles[0].conformance_owner = false;
    let r = result(&facts, "5.3.a");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "No role is flagged");
}

#[test]
fn an_activity_needs_exactly_one_accountable_role_held_and_a_responsible_one() {
    let mut facts = in_order();
    facts.activities.push(ActivityFact {
        id: id(51),
        name: "Reviewing the ISMS".into(),
        accountable: vec![id(1)],
        responsible: vec![id(2)],
    });
    assert_eq!(
        verdict(&facts, "5.3.raci"),
        Verdict::Conforming,
        "one Accountable each"
    );

    facts.activities[1].accountable.push(id(2));
    let r = result(&facts, "5.3.raci");
    assert_eq!(
        r.verdict,
        Verdict::Partial,
        "one of two activities lacks an owner"
    );
    assert_finds(&r, "'Reviewing the ISMS' has 2 Accountable roles");
    assert_eq!(
        r.evidence[0].id,
        id(51),
        "the activity with the gap is cited first"
    );

    facts.activities[1].accountable.clear();
    assert_finds(
        &result(&facts, "5.3.raci"),
        "'Reviewing the ISMS' has no Accountable role",
    );

    facts.activities[1].accountable = vec![id(1)];
    facts.activities[1].responsible.clear();
    assert_finds(
        &result(&facts, "5.3.raci"),
        "'Reviewing the ISMS' has no Responsible role",
    );

    facts.activities[1].responsible = vec![id(2)];
    facts.roles[0].held = false;
    facts.roles[3].held = false;
    let r = result(&facts, "5.3.raci");
    assert_eq!(r.verdict, Verdict::Nonconforming, "no activity is owned");
    assert_finds(
        &r,
        "'Approving risk treatment' has its Accountable role 'Risk owner' vacant",
    );

    facts.activities.clear();
    assert_eq!(verdict(&facts, "5.3.raci"), Verdict::Nonconforming);
}

#[test]
fn no_departed_holder_conforms_and_one_is_named() {
    let mut facts = in_order();
    assert_eq!(verdict(&facts, "5.3.stale"), Verdict::Conforming);
    facts.departed_holders = gaps(vec![gap(1, "Bob", "Risk owner")]);
    let r = result(&facts, "5.3.stale");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "1 departed person still holds roles: Bob (Risk owner).");
    assert_eq!(r.evidence[0].kind, EvidenceKind::Assignment);

    let mut two = gap(2, "Bob", "Asset owner");
    two.person_id = id(2001);
    facts.departed_holders = gaps(vec![
        gap(1, "Bob", "Risk owner"),
        two,
        gap(3, "Cy", "Auditor"),
    ]);
    assert_finds(
        &result(&facts, "5.3.stale"),
        "2 departed people still hold roles: Bob (Risk owner, Asset owner) and Cy (Auditor).",
    );
}

#[test]
fn a_result_cites_at_most_twenty_records() {
    let mut facts = in_order();
    facts.departed_holders = gaps(
        (0..30)
            .map(|n| gap(n, &format!("P{n}"), "Auditor"))
            .collect(),
    );
    facts.departed_holders.total = 130;
    let r = result(&facts, "5.3.stale");
    assert_eq!(r.evidence.len(), 20);
    assert_finds(
        &r,
        "130 assignments of departed people are still current: P0 (Auditor)",
    );
    assert_finds(&r, "and 25 more");
}

#[test]
fn the_owner_roles_of_a_5_2_must_be_defined() {
    let mut facts = in_order();
    facts
        .roles
        .retain(|r| r.category != RoleCategory::AssetOwner);
    let r = result(&facts, "A.5.2");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_finds(&r, "No asset owner role is defined.");
    facts
        .roles
        .push(role(9, "Laptop asset owner", RoleCategory::Custom));
    assert_eq!(
        verdict(&facts, "A.5.2"),
        Verdict::Conforming,
        "named as one"
    );
    facts
        .roles
        .retain(|r| !r.name.contains("owner") || r.category == RoleCategory::IsmsGovernance);
    facts.roles[0].required = false;
    let r = result(&facts, "A.5.2");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(
        &r,
        "No information owner, asset owner or risk owner role is defined.",
    );
}

fn conflict(exception: Option<SodExceptionFact>) -> SodConflictFact {
    SodConflictFact {
        rule_id: id(90),
        rationale: "Auditors do not audit their own risk decisions".into(),
        person_id: id(91),
        person_name: "Carl".into(),
        role_a: "Internal auditor".into(),
        role_b: "Risk owner".into(),
        exception,
    }
}

fn exception(decision: SodExceptionDecision, expires_on: Date) -> Option<SodExceptionFact> {
    Some(SodExceptionFact {
        id: id(92),
        decision,
        expires_on,
    })
}

#[test]
fn a_conflict_conforms_only_under_an_approved_exception_in_force() {
    let mut facts = in_order();
    facts.sod_conflicts = vec![conflict(None)];
    let r = result(&facts, "A.5.3");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "Carl ('Internal auditor' and 'Risk owner')");
    assert_eq!(r.evidence[0].kind, EvidenceKind::SodRule);

    facts.sod_conflicts = vec![conflict(exception(SodExceptionDecision::Approved, TODAY))];
    let r = result(&facts, "A.5.3");
    assert_eq!(
        r.verdict,
        Verdict::Conforming,
        "an exception counts through its expiry day"
    );
    assert_finds(&r, "covered by an approved exception in force");

    let yesterday = TODAY - Duration::days(1);
    facts.sod_conflicts = vec![conflict(exception(
        SodExceptionDecision::Approved,
        yesterday,
    ))];
    let r = result(&facts, "A.5.3");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "the exception expired on 2026-11-29");

    let later = TODAY + Duration::days(30);
    facts.sod_conflicts = vec![conflict(exception(SodExceptionDecision::Requested, later))];
    assert_finds(
        &result(&facts, "A.5.3"),
        "an exception is requested, not decided",
    );
    facts.sod_conflicts = vec![conflict(exception(SodExceptionDecision::Rejected, later))];
    assert_eq!(verdict(&facts, "A.5.3"), Verdict::Nonconforming);
}

#[test]
fn without_a_segregation_rule_nothing_is_kept_apart() {
    let mut facts = in_order();
    facts.sod_rules = 0;
    let r = result(&facts, "A.5.3");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_finds(&r, "No segregation-of-duties rule is defined");
}

#[test]
fn line_managers_must_be_responsible_for_briefing_their_staff() {
    let mut facts = in_order();
    facts.roles[4].responsibilities = vec!["Approve access requests for their team".into()];
    let r = result(&facts, "A.5.4");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_finds(&r, "Role 'Line manager' does not include briefing staff");
    assert_eq!(r.evidence[0].id, id(5));
    coverage_mut(&mut facts).units[0].acknowledged = 100;
    assert_eq!(verdict(&facts, "A.5.4"), Verdict::Nonconforming);
    facts.roles.remove(4);
    assert_finds(&result(&facts, "A.5.4"), "No line-manager role is defined.");
}

#[test]
fn each_unit_head_leads_as_an_acknowledged_line_manager() {
    let mut facts = in_order();
    let mut ops = facts.unit_heads[0].clone();
    ops.unit_id = id(302);
    ops.unit_name = "Ops".into();
    ops.head_name = "Olaf".into();
    ops.line_manager.clear();
    facts.unit_heads.push(ops);
    let r = result(&facts, "5.1.h");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_finds(
        &r,
        "1 of 2 unit heads do not lead as line managers: the head of 'Ops' (Olaf) holds no \
         line-manager role",
    );
    assert_eq!(r.evidence[0].id, id(302));

    facts.unit_heads[0].line_manager[0].acknowledged = false;
    let r = result(&facts, "5.1.h");
    assert_eq!(r.verdict, Verdict::Nonconforming, "no head leads");
    assert_finds(
        &r,
        "the head of 'Sales' (Hana) has not acknowledged the role 'Line manager'",
    );

    facts.unit_heads[0].line_manager[0].acknowledged = true;
    facts.unit_heads[0].head_departed = true;
    assert_finds(&result(&facts, "5.1.h"), "(Hana) has left the organization");

    facts.unit_heads.clear();
    assert_eq!(
        verdict(&facts, "5.1.h"),
        Verdict::Partial,
        "units without any head"
    );
    facts.units = 0;
    assert_eq!(
        verdict(&facts, "5.1.h"),
        Verdict::Conforming,
        "no units at all"
    );
}

#[test]
fn thresholds_are_the_organizations() {
    let mut facts = in_order();
    coverage_mut(&mut facts).acknowledged = 900;
    let strict = Thresholds::default();
    let loose = Thresholds {
        coverage_percent: 90,
        ..Thresholds::default()
    };
    let at = |t: &Thresholds| {
        evaluate(&facts, TODAY, t)
            .into_iter()
            .find(|r| r.id == "5.1.f")
            .expect("5.1.f")
            .verdict
    };
    assert_eq!(at(&strict), Verdict::Partial);
    assert_eq!(at(&loose), Verdict::Conforming);
}

// Loading the facts from live records, on both databases.

crate::on_both_backends!(
    a_vacant_required_role_is_named_and_a_departed_holder_goes_stale,
    coverage_is_counted_per_unit_and_unit_heads_are_judged,
    segregation_counts_only_approved_exceptions_in_force,
);

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

async fn catalog_role(store: &dyn Store, name: &str) -> OrgRole {
    store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no role '{name}' in the standard catalog"))
}

fn assignment(role: Uuid, person: Uuid, scope: AssignmentScope) -> AssignmentInput {
    AssignmentInput {
        role_id: role,
        person_id: person,
        scope,
        deputy: false,
        starts_on: today() - Duration::days(10),
        ends_on: None,
        reason: "Appointed by the board".into(),
        sod_exception_id: None,
    }
}

/// `by` assigns the catalog role `name` to `holder`, who acknowledges it when `acknowledged`.
async fn hold(
    store: &dyn Store,
    by: &Account,
    holder: &Account,
    name: &str,
    scope: AssignmentScope,
    acknowledged: bool,
) -> Uuid {
    let role = catalog_role(store, name).await;
    let assigned = store
        .assign_role(by, assignment(role.id, holder.person_id, scope), today())
        .await
        .unwrap_or_else(|e| panic!("assign {name}: {e:?}"));
    if acknowledged {
        store
            .acknowledge_assignment(holder, assigned.id, today())
            .await
            .expect("acknowledged");
    }
    assigned.id
}

async fn facts_on(store: &dyn Store, day: Date) -> RoleFacts {
    store.role_facts(day).await.expect("role facts")
}

fn judged(facts: &RoleFacts, day: Date, id: &str) -> RequirementResult {
    evaluate(facts, day, &Thresholds::default())
        .into_iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no result for {id}"))
}

async fn a_vacant_required_role_is_named_and_a_departed_holder_goes_stale(db: TestDb) {
    let store = db.store.as_ref();
    let ada = store_account(store, "Ada", &[Role::Admin]).await;
    for (name, role) in [
        ("Ceo", "Chief executive"),
        ("Ina", "Information security manager"),
        ("Aud", "Internal auditor"),
        ("Ivy", "Incident response lead"),
        ("Dpo", "Data protection officer"),
    ] {
        let holder = store_account(store, name, &[Role::Staff]).await;
        hold(
            store,
            &ada,
            &holder,
            role,
            AssignmentScope::Organization,
            true,
        )
        .await;
    }

    let facts = facts_on(store, today()).await;
    let risk = facts
        .roles
        .iter()
        .find(|r| r.name == "Risk owner")
        .expect("risk owner");
    assert!(risk.required && !risk.held);
    assert!(facts.roles.iter().any(|r| r.conformance_owner && r.held));
    let r = judged(&facts, today(), "5.3.0");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "Role 'Risk owner' (required) is vacant.");
    assert_eq!(r.evidence[0].id, risk.id);
    assert_eq!(
        judged(&facts, today(), "5.3.a").verdict,
        Verdict::Conforming
    );
    assert_eq!(
        judged(&facts, today(), "5.3.stale").verdict,
        Verdict::Conforming
    );
    assert_eq!(judged(&facts, today(), "A.5.2").figures[0].value, "3 of 3");
    // The standard catalog's line manager briefs their people; only the policy is missing.
    let r = judged(&facts, today(), "A.5.4");
    assert!(!r.finding.contains("briefing"), "{}", r.finding);
    assert_finds(&r, "No top-level policy is published");
    let r = judged(&facts, today(), "5.1.f");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "No top-level policy is published");
    assert_eq!(facts.activities.len(), 13, "the standard matrix");
    assert!(facts.activities.iter().all(|a| a.accountable.len() == 1));

    let bob = store_account(store, "Bob", &[Role::Staff]).await;
    let bobs = hold(
        store,
        &ada,
        &bob,
        "Risk owner",
        AssignmentScope::Organization,
        false,
    )
    .await;
    let facts = facts_on(store, today()).await;
    assert_eq!(facts.unacknowledged.total, 1);
    assert_eq!(facts.unacknowledged.items[0].assignment_id, bobs);
    let r = judged(&facts, today(), "5.3.0");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_finds(&r, "Bob (Risk owner)");

    let mut departed = person_input("Bob", "bob@example.com");
    departed.status = PersonStatus::Departed;
    departed.departed_on = Some(today());
    store
        .update_person(&Actor::cli(), bob.person_id, departed, today())
        .await
        .expect("departed");
    let facts = facts_on(store, today()).await;
    assert_eq!(facts.departed_holders.total, 1);
    assert_eq!(facts.departed_holders.items[0].person_name, "Bob");
    let r = judged(&facts, today(), "5.3.stale");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "1 departed person still holds roles: Bob (Risk owner).");
    assert_eq!(r.evidence[0].id, bobs);
    let r = judged(&facts, today(), "5.3.0");
    assert_eq!(
        r.verdict,
        Verdict::Nonconforming,
        "a departed holder leaves it vacant"
    );
}

async fn new_unit(store: &dyn Store, name: &str, parent: Option<Uuid>, head: Option<Uuid>) -> Uuid {
    store
        .create_unit(
            &Actor::cli(),
            UnitInput {
                name: name.into(),
                description: String::new(),
                parent_id: parent,
                head_id: head,
            },
        )
        .await
        .expect("unit")
        .id
}

/// A member of staff of `unit` with an account.
async fn member(store: &dyn Store, name: &str, unit: Option<Uuid>, roles: &[Role]) -> Account {
    let mut input = person_input(name, &format!("{}@example.com", name.to_lowercase()));
    input.unit_id = unit;
    let person = store
        .create_person(&Actor::cli(), input, today())
        .await
        .expect("person");
    store
        .create_account(&Actor::cli(), person.id, None, roles)
        .await
        .expect("account")
}

/// The top-level policy with version 1.0 published, asked of everyone.
async fn published_top_policy(store: &dyn Store, ina: &Account, bea: &Account) -> (Uuid, Uuid) {
    let input = PolicyInput {
        title: "Information security policy".into(),
        kind: PolicyKind::TopLevel,
        owner_id: ina.person_id,
        approver_role: Role::TopManagement,
        audience: Audience::Everyone,
        review_interval_months: 12,
        visibility: Visibility::Internal,
        visibility_rationale: String::new(),
        quorum: 1,
    };
    let draft = DraftInput {
        body: "# Purpose\n\nWe protect information.\n".into(),
        is_major: false,
        change_summary: String::new(),
    };
    let (_, v1) = store
        .create_policy(ina, input, draft)
        .await
        .expect("policy");
    for (by, step) in [
        (ina, Transition::Submit),
        (bea, Transition::Approve),
        (ina, Transition::Publish),
    ] {
        store
            .transition_version(by, v1.id, step, "I approve.", today())
            .await
            .unwrap_or_else(|e| panic!("{step:?}: {e:?}"));
    }
    let campaign = store
        .launch_campaign(
            ina,
            CampaignInput {
                version_id: v1.id,
                title: None,
                audience: Some(CampaignAudience::Everyone),
                due_on: today() + Duration::days(14),
                statement: None,
                reminders: None,
            },
            today(),
        )
        .await
        .expect("campaign");
    (v1.id, campaign.id)
}

async fn coverage_is_counted_per_unit_and_unit_heads_are_judged(db: TestDb) {
    let store = db.store.as_ref();
    let company = new_unit(store, "Company", None, None).await;
    let ada = member(store, "Ada", Some(company), &[Role::Admin]).await;
    let ina = member(store, "Ina", Some(company), &[Role::IsmsManager]).await;
    let bea = member(store, "Bea", Some(company), &[Role::TopManagement]).await;
    let hana = member(store, "Hana", Some(company), &[Role::Staff]).await;
    let olaf = member(store, "Olaf", None, &[Role::Staff]).await;
    let sales = new_unit(store, "Sales", Some(company), Some(hana.person_id)).await;
    let ops = new_unit(store, "Ops", Some(company), Some(olaf.person_id)).await;
    let alice = member(store, "Alice", Some(sales), &[Role::Staff]).await;
    let _bob = member(store, "Bob", Some(ops), &[Role::Staff]).await;
    let mut on_leave = person_input("Carl", "carl@example.com");
    on_leave.unit_id = Some(ops);
    on_leave.status = PersonStatus::OnLeave;
    store
        .create_person(&Actor::cli(), on_leave, today())
        .await
        .expect("on leave");
    let mut moved = person_input("Olaf", "olaf@example.com");
    moved.unit_id = Some(ops);
    store
        .update_person(&Actor::cli(), olaf.person_id, moved, today())
        .await
        .expect("Olaf in Ops");
    let hanas = hold(
        store,
        &ada,
        &hana,
        "Line manager",
        AssignmentScope::Unit { unit_id: sales },
        true,
    )
    .await;
    hold(
        store,
        &ada,
        &olaf,
        "Line manager",
        AssignmentScope::Unit { unit_id: sales },
        true,
    )
    .await;

    let (version, campaign) = published_top_policy(store, &ina, &bea).await;
    for by in [&alice, &hana] {
        let receipts = store
            .acknowledge(&[AckRequest {
                campaign_id: campaign,
                account_id: by.id,
                person_id: by.person_id,
                version_id: version,
            }])
            .await;
        assert!(receipts.iter().all(Result::is_ok), "{receipts:?}");
    }

    let facts = facts_on(store, today()).await;
    let coverage = facts.coverage.clone().expect("coverage");
    assert_eq!(coverage.version_id, version);
    assert_eq!(coverage.campaigns.len(), 1);
    assert_eq!(coverage.campaigns[0].id, campaign);
    assert_eq!(
        (coverage.staff, coverage.acknowledged),
        (7, 2),
        "Ada, Ina, Bea, Hana, Olaf, Alice and Bob are active; Carl is on leave"
    );
    let counts: Vec<(&str, i64, i64)> = coverage
        .units
        .iter()
        .map(|u| (u.unit_name.as_str(), u.staff, u.acknowledged))
        .collect();
    assert_eq!(
        counts,
        vec![("Company", 7, 2), ("Ops", 2, 0), ("Sales", 1, 1)],
        "sub-units are counted in their parents"
    );
    let r = judged(&facts, today(), "A.6.3");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(
        &r,
        "Unit 'Ops' is at 0.0 % and Unit 'Company' is at 28.5 % (below 95 %)",
    );
    assert_eq!(r.evidence[0].id, ops);

    assert_eq!(facts.units, 3);
    let heads: Vec<(&str, &str, usize)> = facts
        .unit_heads
        .iter()
        .map(|h| {
            (
                h.unit_name.as_str(),
                h.head_name.as_str(),
                h.line_manager.len(),
            )
        })
        .collect();
    assert_eq!(
        heads,
        vec![("Ops", "Olaf", 0), ("Sales", "Hana", 1)],
        "Olaf's line-manager role is for Sales, not for the unit he heads"
    );
    assert_eq!(facts.unit_heads[1].line_manager[0].assignment_id, hanas);
    assert!(facts.unit_heads[1].line_manager[0].acknowledged);
    let r = judged(&facts, today(), "5.1.h");
    assert_eq!(r.verdict, Verdict::Partial);
    assert_finds(&r, "the head of 'Ops' (Olaf) holds no line-manager role");

    // Hana leaves: her acknowledgment stays as evidence but she is no longer staff.
    let mut departed = person_input("Hana", "hana@example.com");
    departed.unit_id = Some(company);
    departed.status = PersonStatus::Departed;
    departed.departed_on = Some(today());
    store
        .update_person(&Actor::cli(), hana.person_id, departed, today())
        .await
        .expect("departed");
    let facts = facts_on(store, today()).await;
    let coverage = facts.coverage.clone().expect("coverage");
    assert_eq!((coverage.staff, coverage.acknowledged), (6, 1));
    assert_eq!(coverage.units[0].unit_name, "Company");
    assert_eq!(
        (coverage.units[0].staff, coverage.units[0].acknowledged),
        (6, 1)
    );
    assert_finds(
        &judged(&facts, today(), "5.1.h"),
        "the head of 'Sales' (Hana) has left the organization",
    );

    // Zoe joins Ops and is not asked yet (no audience sync ran): she counts as not acknowledged.
    let mut zoe = person_input("Zoe", "zoe@example.com");
    zoe.unit_id = Some(ops);
    store
        .create_person(&Actor::cli(), zoe, today())
        .await
        .expect("Zoe");
    let facts = facts_on(store, today()).await;
    let coverage = facts.coverage.expect("coverage");
    assert_eq!((coverage.staff, coverage.acknowledged), (7, 1));
    let counts: Vec<(&str, i64, i64)> = coverage
        .units
        .iter()
        .map(|u| (u.unit_name.as_str(), u.staff, u.acknowledged))
        .collect();
    assert_eq!(
        counts,
        vec![("Company", 7, 1), ("Ops", 3, 0), ("Sales", 1, 1)]
    );
}

async fn segregation_counts_only_approved_exceptions_in_force(db: TestDb) {
    let store = db.store.as_ref();
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let bea = store_account(store, "Bea", &[Role::TopManagement]).await;
    let carl = store_account(store, "Carl", &[Role::Staff]).await;
    let mut ids = Vec::new();
    for name in ["Payments approver", "Payments maker"] {
        let input = OrgRoleInput {
            name: name.into(),
            category: RoleCategory::Custom,
            purpose: String::new(),
            responsibilities: vec![format!("Act as {name}")],
            authorities: vec![format!("Decide as {name}")],
            competence: String::new(),
            required: false,
            critical: false,
            conformance_owner: false,
            performance_reporter: false,
            grants: None,
        };
        let role = store.create_role(&Actor::cli(), input).await.expect("role");
        store
            .assign_role(
                &ina,
                assignment(role.id, carl.person_id, AssignmentScope::Organization),
                today(),
            )
            .await
            .expect("assigned");
        ids.push(role.id);
    }
    let before = facts_on(store, today()).await;
    assert!(before.sod_conflicts.is_empty());
    let rule = store
        .create_sod_rule(
            &Actor::cli(),
            SodRuleInput {
                conflict: SodConflict::Roles {
                    role_a: ids[0],
                    role_b: ids[1],
                },
                rationale: "Nobody approves their own payments".into(),
            },
        )
        .await
        .expect("rule");

    let facts = facts_on(store, today()).await;
    assert_eq!(facts.sod_rules, before.sod_rules + 1);
    assert_eq!(facts.sod_conflicts.len(), 1);
    assert_eq!(facts.sod_conflicts[0].rule_id, rule.id);
    assert_eq!(facts.sod_conflicts[0].exception, None);
    let r = judged(&facts, today(), "A.5.3");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, "Carl (");
    assert_eq!(r.evidence[0].id, rule.id);

    let yesterday = today() - Duration::days(1);
    let requested = store
        .request_sod_exception(
            &ina,
            SodExceptionInput {
                rule_id: rule.id,
                person_id: carl.person_id,
                justification: "Two people in finance".into(),
                compensating_controls: "Monthly review".into(),
                expires_on: today(),
            },
            yesterday,
        )
        .await
        .expect("requested");
    let facts = facts_on(store, today()).await;
    let pending = facts.sod_conflicts[0].exception.expect("requested");
    assert_eq!(pending.decision, SodExceptionDecision::Requested);
    assert_finds(
        &judged(&facts, today(), "A.5.3"),
        "an exception is requested",
    );
    store
        .decide_sod_exception(
            &bea,
            requested.id,
            SodExceptionDecisionInput {
                approve: true,
                note: String::new(),
            },
            yesterday,
        )
        .await
        .expect("approved");

    let facts = facts_on(store, today()).await;
    assert_eq!(
        facts.sod_conflicts[0].exception,
        Some(SodExceptionFact {
            id: requested.id,
            decision: SodExceptionDecision::Approved,
            expires_on: today(),
        })
    );
    assert_eq!(
        judged(&facts, today(), "A.5.3").verdict,
        Verdict::Conforming,
        "in force through its expiry day"
    );
    let tomorrow = today() + Duration::days(1);
    let facts = facts_on(store, tomorrow).await;
    let r = judged(&facts, tomorrow, "A.5.3");
    assert_eq!(r.verdict, Verdict::Nonconforming);
    assert_finds(&r, &format!("the exception expired on {}", today()));

    let activity = store
        .create_activity(
            &Actor::cli(),
            ActivityInput {
                name: "Paying suppliers".into(),
                description: String::new(),
            },
        )
        .await
        .expect("activity");
    store
        .replace_raci(
            &Actor::cli(),
            &[activity.id],
            &[RaciCell {
                activity_id: activity.id,
                role_id: ids[1],
                duty: Duty::Responsible,
            }],
        )
        .await
        .expect("matrix");
    let facts = facts_on(store, today()).await;
    let paying = facts
        .activities
        .iter()
        .find(|a| a.id == activity.id)
        .expect("loaded");
    assert!(paying.accountable.is_empty());
    assert_eq!(paying.responsible, vec![ids[1]]);
    let r = judged(&facts, today(), "5.3.raci");
    assert_finds(&r, ": 'Paying suppliers' has no Accountable role, ");
    assert_eq!(
        r.evidence[0].id, activity.id,
        "the heaviest gap is cited first"
    );
}
