//! The facts of the policy rules loaded from records written through the store, and the verdicts
//! they give, on SQLite and PostgreSQL.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::campaign::{AckRequest, CampaignAudience, CampaignInput};
use charter::domain::conformance::policy::{PolicyFacts, evaluate};
use charter::domain::conformance::{RequirementResult, Thresholds, Verdict};
use charter::domain::objective::{Direction, ObjectiveInput};
use charter::domain::policy::{Audience, PolicyInput, PolicyKind, Visibility, add_months};
use charter::domain::policy_exception::{ExceptionDecisionInput, ExceptionInput};
use charter::domain::policy_version::{DraftInput, PolicyVersion, Transition};
use charter::domain::role::RoleCategory;
use charter::domain::{Actor, OrgProfileInput, PersonInput, PersonStatus};
use charter::store::Store;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::{ACME_POLICY, without_section};
use crate::helpers::{TestDb, raw_sql, store_account};
use crate::store_reports::assign;

crate::on_both_backends!(
    a_complete_organization_loads_and_conforms,
    a_policy_without_a_section_fails_that_rule_and_a_tool_role_sign_off_is_partial,
    topic_policies_and_exceptions_are_judged_on_their_dates,
    an_empty_organization_has_no_policy_facts,
);

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn verdicts(facts: &PolicyFacts, on: Date) -> Vec<RequirementResult> {
    evaluate(facts, on, &Thresholds::default())
}

#[track_caller]
fn verdict_of(results: &[RequirementResult], id: &str) -> (Verdict, String) {
    let result = results
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no result for {id}"));
    (result.verdict, result.finding.clone())
}

async fn name_the_organization(store: &dyn Store) {
    let input = OrgProfileInput {
        name: "Acme Ltd".into(),
        purpose: "Software for hospitals".into(),
        isms_scope: "All sites".into(),
        strategic_themes: vec!["Customer trust".into(), "Resilience".into()],
    }
    .validate()
    .expect("a valid profile");
    store
        .update_organization(&Actor::cli(), input)
        .await
        .expect("profile");
}

fn policy_input(title: &str, kind: PolicyKind, owner: Uuid) -> PolicyInput {
    PolicyInput {
        title: title.into(),
        kind,
        owner_id: owner,
        approver_role: if kind == PolicyKind::TopLevel {
            Role::TopManagement
        } else {
            Role::IsmsManager
        },
        audience: Audience::Everyone,
        review_interval_months: 12,
        visibility: Visibility::Public,
        visibility_rationale: String::new(),
        quorum: 1,
    }
}

/// Creates the policy with `body`, submitted by `author`, signed off by `approver`, published.
async fn publish(
    store: &dyn Store,
    author: &Account,
    approver: &Account,
    input: PolicyInput,
    body: &str,
) -> PolicyVersion {
    let draft = DraftInput {
        body: body.into(),
        is_major: false,
        change_summary: String::new(),
    };
    let (_, version) = store
        .create_policy(author, input, draft)
        .await
        .expect("policy");
    store
        .transition_version(author, version.id, Transition::Submit, "", today())
        .await
        .expect("submitted");
    store
        .transition_version(
            approver,
            version.id,
            Transition::Approve,
            "I approve.",
            today(),
        )
        .await
        .expect("signed off");
    store
        .transition_version(author, version.id, Transition::Publish, "", today())
        .await
        .expect("published")
}

/// Ada (admin) writes and publishes; Bea holds a role of the top_management category (which
/// grants the tool role); Cara has the tool role top_management only; Sam and Dee are staff.
struct Org {
    ada: Account,
    bea: Account,
    cara: Account,
    sam: Account,
    dee: Account,
}

async fn org(store: &dyn Store) -> Org {
    name_the_organization(store).await;
    let org = Org {
        ada: store_account(store, "Ada", &[Role::Admin, Role::IsmsManager]).await,
        bea: store_account(store, "Bea", &[Role::Staff]).await,
        cara: store_account(store, "Cara", &[Role::TopManagement]).await,
        sam: store_account(store, "Sam", &[Role::Staff]).await,
        dee: store_account(store, "Dee", &[Role::Staff]).await,
    };
    assign(store, &org.ada, org.bea.person_id, |r| {
        r.category == RoleCategory::TopManagement && r.grants == Some(Role::TopManagement)
    })
    .await;
    org
}

async fn acknowledge(store: &dyn Store, who: &Account, campaign_id: Uuid, version_id: Uuid) {
    let request = AckRequest {
        campaign_id,
        account_id: who.id,
        person_id: who.person_id,
        version_id,
    };
    for answer in store.acknowledge(&[request]).await {
        answer.expect("acknowledged");
    }
}

async fn depart(store: &dyn Store, person_id: Uuid) {
    let person = store.get_person(person_id).await.expect("person");
    let input = PersonInput {
        status: PersonStatus::Departed,
        departed_on: Some(today()),
        ..PersonInput::from_person(&person)
    };
    store
        .update_person(&Actor::cli(), person_id, input, today())
        .await
        .expect("departed");
}

fn objective(owner: Uuid, statement: &str, theme: &str, policy_id: Option<Uuid>) -> ObjectiveInput {
    ObjectiveInput {
        statement: statement.into(),
        metric: "Share of staff".into(),
        unit: "%".into(),
        target: 95.0,
        direction: Direction::AtLeast,
        owner_id: owner,
        due_on: today() + Duration::days(300),
        measurement_interval_days: 90,
        theme: theme.into(),
        policy_id,
    }
}

async fn a_complete_organization_loads_and_conforms(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let input = policy_input(
        "Information security policy",
        PolicyKind::TopLevel,
        org.ada.person_id,
    );
    let version = publish(store, &org.ada, &org.bea, input, ACME_POLICY).await;
    let objective = store
        .create_objective(
            &Actor::cli(),
            objective(
                org.bea.person_id,
                "Staff trained",
                "customer TRUST ",
                Some(version.policy_id),
            ),
            today(),
        )
        .await
        .expect("objective");
    let campaign = store
        .launch_campaign(
            &org.ada,
            CampaignInput {
                version_id: version.id,
                title: Some("Read the policy".into()),
                audience: Some(CampaignAudience::Everyone),
                due_on: today() + Duration::days(14),
                statement: None,
                reminders: None,
            },
            today(),
        )
        .await
        .expect("campaign");
    for who in [&org.bea, &org.cara, &org.sam, &org.dee] {
        acknowledge(store, who, campaign.id, version.id).await;
    }

    let facts = store.policy_facts(today()).await.expect("facts");
    assert_eq!(facts.organization_name, "Acme Ltd");
    assert_eq!(facts.strategic_themes, ["Customer trust", "Resilience"]);
    assert_eq!(facts.active_people, 5);
    let top = facts.top.as_ref().expect("the top-level policy");
    assert_eq!(top.id, version.policy_id);
    let in_force = top.in_force.as_ref().expect("in force");
    assert_eq!((in_force.id, in_force.number.as_str()), (version.id, "1.0"));
    assert_eq!(in_force.body, version.body);
    assert_eq!(top.next_review_due, Some(add_months(today(), 12)));
    assert_eq!(top.visibility, Visibility::Public);
    assert_eq!(top.published_versions.len(), 1);
    assert_eq!(top.published_versions[0].by_top_management, 1);
    assert!(top.published_versions[0].by_tool_role_only.is_empty());
    let counted = top.campaign.as_ref().expect("the campaign");
    assert_eq!(
        (
            counted.campaigns[0].id,
            counted.asked,
            counted.acknowledged_by_active
        ),
        (campaign.id, 5, 4)
    );
    assert_eq!(facts.objectives.len(), 1);
    assert_eq!(facts.objectives[0].id, objective.id);
    assert!(facts.objectives[0].linked_to_top);
    assert_eq!(facts.published.len(), 1);
    assert!(facts.published[0].approved_by_approver_role);
    assert_eq!(
        (
            facts.exceptions_active,
            facts.exceptions_lapsed_unrecorded_total
        ),
        (0, 0)
    );

    let results = verdicts(&facts, today());
    for result in &results {
        let expected = if result.id == "5.2.f" {
            Verdict::Partial
        } else {
            Verdict::Conforming
        };
        assert_eq!(
            result.verdict, expected,
            "{}: {}",
            result.id, result.finding
        );
    }
    let (_, finding) = verdict_of(&results, "5.2.f");
    assert!(
        finding.contains("80.0 %") && finding.contains("4 of 5"),
        "{finding}"
    );

    depart(store, org.dee.person_id).await;
    let facts = store.policy_facts(today()).await.expect("facts");
    let counted = facts
        .top
        .as_ref()
        .and_then(|t| t.campaign.as_ref())
        .expect("campaign");
    assert_eq!(
        (
            facts.active_people,
            counted.asked,
            counted.acknowledged_by_active
        ),
        (4, 5, 3),
        "a departed reader's acknowledgment stays as evidence but no longer counts"
    );
    let again = store
        .launch_campaign(
            &org.ada,
            CampaignInput {
                version_id: version.id,
                title: Some("Newcomers read it".into()),
                audience: Some(CampaignAudience::Everyone),
                due_on: today() + Duration::days(14),
                statement: None,
                reminders: None,
            },
            today(),
        )
        .await
        .expect("a second campaign");
    for who in [&org.ada, &org.sam] {
        acknowledge(store, who, again.id, version.id).await;
    }
    let facts = store.policy_facts(today()).await.expect("facts");
    let counted = facts
        .top
        .as_ref()
        .and_then(|t| t.campaign.as_ref())
        .expect("campaigns");
    let ids: Vec<Uuid> = counted.campaigns.iter().map(|c| c.id).collect();
    assert_eq!(ids, [again.id, campaign.id], "the latest first");
    assert_eq!(
        (counted.asked, counted.acknowledged_by_active),
        (4, 2),
        "the latest campaign is measured"
    );
    let (verdict, finding) = verdict_of(&verdicts(&facts, today()), "5.2.f");
    assert_eq!(verdict, Verdict::Partial, "{finding}");
    assert!(
        finding.contains("50.0 %") && finding.contains("(the latest of 2)"),
        "{finding}"
    );
    for who in [&org.bea, &org.cara] {
        acknowledge(store, who, again.id, version.id).await;
    }
    let facts = store.policy_facts(today()).await.expect("facts");
    let (verdict, finding) = verdict_of(&verdicts(&facts, today()), "5.2.f");
    assert_eq!(verdict, Verdict::Conforming, "{finding}");
    assert!(finding.contains("100.0 %"), "{finding}");

    let due = add_months(today(), 12);
    let on_time = store.policy_facts(due).await.expect("facts");
    assert_eq!(
        verdict_of(&verdicts(&on_time, due), "5.2.e").0,
        Verdict::Conforming
    );
    let late = due + Duration::days(1);
    let overdue = store.policy_facts(late).await.expect("facts");
    let results = verdicts(&overdue, late);
    let (verdict, finding) = verdict_of(&results, "5.2.e");
    assert_eq!(verdict, Verdict::Partial, "{finding}");
    assert!(finding.contains(&format!("due on {due}")), "{finding}");
    assert_eq!(verdict_of(&results, "A.5.1").0, Verdict::Partial);
}

async fn a_policy_without_a_section_fails_that_rule_and_a_tool_role_sign_off_is_partial(
    db: TestDb,
) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let input = PolicyInput {
        visibility: Visibility::Internal,
        visibility_rationale: "It names our suppliers".into(),
        ..policy_input(
            "Information security policy",
            PolicyKind::TopLevel,
            org.ada.person_id,
        )
    };
    let body = without_section("Continual improvement");
    let version = publish(store, &org.ada, &org.cara, input, &body).await;
    store
        .create_objective(
            &Actor::cli(),
            objective(org.bea.person_id, "Win an award", "Marketing", None),
            today(),
        )
        .await
        .expect("objective");

    let facts = store.policy_facts(today()).await.expect("facts");
    let top = facts.top.as_ref().expect("top");
    assert_eq!(top.published_versions[0].version_id, version.id);
    assert_eq!(top.published_versions[0].by_top_management, 0);
    assert_eq!(top.published_versions[0].by_tool_role_only, ["Cara"]);
    assert!(top.campaign.is_none());
    assert!(!facts.objectives[0].linked_to_top);
    assert!(
        facts.published[0].approved_by_approver_role,
        "Cara held the approver role (a tool role) when she signed"
    );

    let results = verdicts(&facts, today());
    let expected = [
        (
            "5.1.a",
            Verdict::Partial,
            "not signed off by top management",
        ),
        ("5.2.a", Verdict::Conforming, "names Acme Ltd"),
        ("5.2.b", Verdict::Conforming, "sets out its objectives"),
        (
            "5.2.c",
            Verdict::Conforming,
            "legal, regulatory and contractual",
        ),
        (
            "5.2.d",
            Verdict::Nonconforming,
            "no \"Commitment to continual improvement\" section",
        ),
        ("5.2.e", Verdict::Partial, "signed off only by Cara"),
        (
            "5.2.f",
            Verdict::Nonconforming,
            "No acknowledgment campaign",
        ),
        ("5.2.g", Verdict::Partial, "\"It names our suppliers\""),
        ("A.5.1", Verdict::Conforming, "All 1 published policies"),
    ];
    for (id, verdict, words) in expected {
        let (found, finding) = verdict_of(&results, id);
        assert_eq!(found, verdict, "{id}: {finding}");
        assert!(finding.contains(words), "{id}: {finding}");
    }
    let (_, finding) = verdict_of(&results, "5.1.a");
    assert!(
        finding.contains("\"Win an award\" (theme \"Marketing\")"),
        "{finding}"
    );
}

async fn topic_policies_and_exceptions_are_judged_on_their_dates(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let top = policy_input(
        "Information security policy",
        PolicyKind::TopLevel,
        org.ada.person_id,
    );
    publish(store, &org.ada, &org.bea, top, ACME_POLICY).await;
    let topic = policy_input(
        "Access control",
        PolicyKind::TopicSpecific,
        org.ada.person_id,
    );
    let topic_version = publish(store, &org.ada, &ina, topic, "# Access control\n\nText.\n").await;
    let expiry = today() + Duration::days(30);
    let request = ExceptionInput {
        scope: "Shared admin account".into(),
        justification: "Legacy system".into(),
        risk: "No individual accountability".into(),
        compensating_controls: "Session recording".into(),
        requested_expiry: expiry,
        renewal_of: None,
    };
    let exception = store
        .request_exception(&org.sam, topic_version.policy_id, request, today())
        .await
        .expect("requested");
    let approve = ExceptionDecisionInput {
        approve: true,
        note: String::new(),
        expires_on: None,
    };
    store
        .decide_exception(&ina, exception.id, approve, today())
        .await
        .expect("approved");

    let on_expiry = store.policy_facts(expiry).await.expect("facts");
    assert_eq!(on_expiry.published.len(), 2);
    assert_eq!(on_expiry.published[0].kind, PolicyKind::TopLevel);
    assert!(
        on_expiry
            .published
            .iter()
            .all(|p| p.approved_by_approver_role)
    );
    assert_eq!(
        (
            on_expiry.exceptions_active,
            on_expiry.exceptions_lapsed_unrecorded_total
        ),
        (1, 0)
    );
    let (verdict, finding) = verdict_of(&verdicts(&on_expiry, expiry), "A.5.1");
    assert_eq!(verdict, Verdict::Conforming, "{finding}");

    let after = expiry + Duration::days(1);
    let lapsed = store.policy_facts(after).await.expect("facts");
    assert_eq!(
        (
            lapsed.exceptions_active,
            lapsed.exceptions_lapsed_unrecorded_total
        ),
        (0, 1)
    );
    assert_eq!(lapsed.exceptions_lapsed_unrecorded[0].id, exception.id);
    assert_eq!(
        lapsed.exceptions_lapsed_unrecorded[0].policy_title,
        "Access control"
    );
    let (verdict, finding) = verdict_of(&verdicts(&lapsed, after), "A.5.1");
    assert_eq!(verdict, Verdict::Partial, "{finding}");
    assert!(
        finding.contains("\"Shared admin account\" to Access control"),
        "{finding}"
    );

    store
        .record_exception_expiries(after)
        .await
        .expect("the expiry job ran");
    let recorded = store.policy_facts(after).await.expect("facts");
    assert_eq!(recorded.exceptions_lapsed_unrecorded_total, 0);
    assert_eq!(
        verdict_of(&verdicts(&recorded, after), "A.5.1").0,
        Verdict::Conforming
    );

    raw_sql(
        &db.location,
        "UPDATE policy_decisions SET content_hash = 'edited' WHERE held_role = 'isms_manager'",
    )
    .await;
    let tampered = store.policy_facts(after).await.expect("facts");
    assert!(
        !tampered.published[1].approved_by_approver_role,
        "a sign-off counts only on the content published"
    );
    let (verdict, finding) = verdict_of(&verdicts(&tampered, after), "A.5.1");
    assert_eq!(verdict, Verdict::Partial, "{finding}");
    assert!(
        finding.contains("Not signed off by their approver role: Access control v1.0"),
        "{finding}"
    );
}

async fn an_empty_organization_has_no_policy_facts(db: TestDb) {
    let store = db.store.as_ref();
    let facts = store.policy_facts(today()).await.expect("facts");
    assert!(facts.top.is_none());
    assert!(facts.published.is_empty() && facts.objectives.is_empty());
    let results = verdicts(&facts, today());
    assert_eq!(results.len(), 9);
    assert!(results.iter().all(|r| r.verdict == Verdict::Nonconforming));
}
