//! The store contract for communication and acknowledgment: campaigns and their audiences, people
//! who join later, acknowledgments and their refusals, what publishing does to campaigns,
//! coverage, the outbox, job leases and top-management communications, on both databases.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::campaign::{
    AckFilter, AckRequest, AckState, Campaign, CampaignAudience, CampaignFilter, CampaignInput,
    CampaignStatus, DEFAULT_STATEMENT,
};
use charter::domain::communication::{Channel, CommunicationInput};
use charter::domain::mail::{
    DeliveryOutcome, MAX_ATTEMPTS, MailKind, MailStatus, NewMail, OutboxFilter,
};
use charter::domain::policy::{Audience, PolicyInput, PolicyKind, Visibility};
use charter::domain::policy_exception::{ExceptionDecisionInput, ExceptionInput};
use charter::domain::policy_version::{DraftInput, PolicyVersion, Transition};
use charter::domain::{Actor, AuditFilter, PageRequest, PersonStatus, UnitInput};
use charter::store::{DatabaseLocation, PersonWrite, Store, StoreError};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, person_input, raw_sql};

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn days(n: i64) -> Date {
    today() + Duration::days(n)
}

fn all() -> PageRequest {
    PageRequest::new(Some(1), Some(100))
}

/// Company > Sales > Sales EU, and Company > Ops; Hana heads Sales; people in each.
struct Org {
    author: Account,
    boss: Account,
    sales: Uuid,
    sales_eu: Uuid,
    ops: Uuid,
    hana: Account,
    alice: Account,
    bob: Account,
    /// In Sales, on leave: never asked.
    carl: Uuid,
    /// In Ops, reporting to Hana.
    dora: Account,
}

async fn unit(store: &dyn Store, name: &str, parent: Option<Uuid>) -> Uuid {
    let input = UnitInput {
        name: name.into(),
        description: String::new(),
        parent_id: parent,
        head_id: None,
    };
    store
        .create_unit(&Actor::cli(), input)
        .await
        .expect("unit")
        .id
}

async fn person(
    store: &dyn Store,
    name: &str,
    unit_id: Option<Uuid>,
    manager_id: Option<Uuid>,
    status: PersonStatus,
) -> Uuid {
    let mut input = person_input(name, &format!("{}@example.com", name.to_lowercase()));
    input.unit_id = unit_id;
    input.manager_id = manager_id;
    input.status = status;
    store
        .create_person(&Actor::cli(), input, today())
        .await
        .expect("person")
        .id
}

async fn account(store: &dyn Store, name: &str, unit_id: Option<Uuid>, roles: &[Role]) -> Account {
    let id = person(store, name, unit_id, None, PersonStatus::Active).await;
    store
        .create_account(&Actor::cli(), id, None, roles)
        .await
        .expect("account")
}

async fn org(store: &dyn Store) -> Org {
    let company = unit(store, "Company", None).await;
    let sales = unit(store, "Sales", Some(company)).await;
    let sales_eu = unit(store, "Sales EU", Some(sales)).await;
    let ops = unit(store, "Ops", Some(company)).await;
    let author = account(store, "Ina", None, &[Role::IsmsManager]).await;
    let boss = account(store, "Bea", None, &[Role::TopManagement]).await;
    let hana = account(store, "Hana", Some(company), &[Role::Staff]).await;
    let head = UnitInput {
        name: "Sales".into(),
        description: String::new(),
        parent_id: Some(company),
        head_id: Some(hana.person_id),
    };
    store
        .update_unit(&Actor::cli(), sales, head)
        .await
        .expect("head");
    let alice = account(store, "Alice", Some(sales), &[Role::Staff]).await;
    let bob = account(store, "Bob", Some(sales_eu), &[Role::Staff]).await;
    let carl = person(store, "Carl", Some(sales), None, PersonStatus::OnLeave).await;
    let dora_id = person(
        store,
        "Dora",
        Some(ops),
        Some(hana.person_id),
        PersonStatus::Active,
    )
    .await;
    let dora = store
        .create_account(&Actor::cli(), dora_id, None, &[Role::Staff])
        .await
        .expect("account");
    Org {
        author,
        boss,
        sales,
        sales_eu,
        ops,
        hana,
        alice,
        bob,
        carl,
        dora,
    }
}

fn draft(body: &str, is_major: bool) -> DraftInput {
    DraftInput {
        body: body.into(),
        is_major,
        change_summary: String::new(),
    }
}

/// Takes a version through review to published.
async fn publish(store: &dyn Store, org: &Org, version: &PolicyVersion) -> PolicyVersion {
    let step =
        |by, step, statement| store.transition_version(by, version.id, step, statement, today());
    step(&org.author, Transition::Submit, "")
        .await
        .expect("submitted");
    step(&org.boss, Transition::Approve, "I approve.")
        .await
        .expect("approved");
    step(&org.author, Transition::Publish, "")
        .await
        .expect("published")
}

/// A policy for everyone with version 1.0 published.
async fn published_policy(store: &dyn Store, org: &Org, title: &str) -> PolicyVersion {
    let input = PolicyInput {
        title: title.into(),
        kind: PolicyKind::TopicSpecific,
        owner_id: org.author.person_id,
        approver_role: Role::TopManagement,
        audience: Audience::Everyone,
        review_interval_months: 12,
        visibility: Visibility::Internal,
        visibility_rationale: String::new(),
        quorum: 1,
    };
    let (_, v1) = store
        .create_policy(
            &org.author,
            input,
            draft("# Rules\n\nFollow them.\n", false),
        )
        .await
        .expect("policy");
    publish(store, org, &v1).await
}

/// Launches a campaign by the ISMS manager, due in a week.
async fn launch(
    store: &dyn Store,
    org: &Org,
    version_id: Uuid,
    audience: CampaignAudience,
) -> Campaign {
    store
        .launch_campaign(
            &org.author,
            campaign_input(version_id, audience, days(7)),
            today(),
        )
        .await
        .expect("launched")
}

fn campaign_input(version_id: Uuid, audience: CampaignAudience, due_on: Date) -> CampaignInput {
    CampaignInput {
        version_id,
        title: None,
        audience: Some(audience),
        due_on,
        statement: None,
        reminders: None,
    }
}

fn ack(by: &Account, campaign_id: Uuid, version_id: Uuid) -> AckRequest {
    AckRequest {
        campaign_id,
        account_id: by.id,
        person_id: by.person_id,
        version_id,
    }
}

async fn actions(db: &TestDb, filter: AuditFilter) -> Vec<String> {
    let page = db
        .store
        .list_audit_events(&filter, PageRequest::new(Some(1), Some(500)))
        .await
        .expect("events");
    page.items.into_iter().map(|e| e.action).collect()
}

async fn actions_for(db: &TestDb, record_id: impl ToString) -> Vec<String> {
    let filter = AuditFilter {
        record_id: Some(record_id.to_string()),
        ..AuditFilter::default()
    };
    actions(db, filter).await
}

fn mail(key: &str, to: &str) -> NewMail {
    NewMail {
        kind: MailKind::Reminder,
        dedupe_key: key.into(),
        to_person_id: None,
        to_address: to.into(),
        subject: "Please acknowledge".into(),
        body: "Read it.".into(),
        campaign_id: None,
        communication_id: None,
    }
}

crate::on_both_backends!(
    launching_to_units_asks_the_active_people_of_their_sub_units,
    refused_launches_write_nothing,
    people_who_join_the_audience_later_are_asked_once,
    acknowledging_is_for_oneself_once_and_only_while_open,
    minor_versions_carry_acknowledgments_and_major_versions_close_campaigns,
    coverage_adds_up_by_state_unit_team_and_day,
    queued_mail_is_written_once_per_dedupe_key,
    failed_sends_back_off_then_fail_and_can_be_retried,
    a_lease_has_one_holder_until_it_expires,
    communications_need_top_management_and_queue_one_mail_per_person,
    lapsed_exceptions_are_recorded_once,
    a_large_campaign_pages_its_people_in_name_order,
    retiring_a_version_closes_its_open_campaigns,
    people_who_depart_leave_open_campaigns_but_what_they_acknowledged_stays,
    an_acknowledgment_given_meanwhile_elsewhere_is_answered_not_recorded_again,
    a_campaign_closed_meanwhile_takes_no_acknowledgment_and_is_not_closed_twice,
    people_asked_meanwhile_elsewhere_are_not_asked_twice,
    mail_of_every_size_is_queued_whole_in_one_call,
);

async fn launching_to_units_asks_the_active_people_of_their_sub_units(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let audience = CampaignAudience::Units {
        unit_ids: vec![org.sales],
    };
    assert_eq!(store.audience_size(&audience).await.expect("size"), 2);
    let campaign = store
        .launch_campaign(
            &org.author,
            campaign_input(version.id, audience, days(14)),
            today(),
        )
        .await
        .expect("launched");
    assert_eq!(campaign.title, "Acceptable use 1.0");
    assert_eq!(campaign.statement, DEFAULT_STATEMENT);
    assert_eq!(campaign.days_to_acknowledge, 14);
    assert_eq!(campaign.status, CampaignStatus::Open);
    assert_eq!(campaign.launched_by_name, "Ina");
    assert_eq!((campaign.counts.total, campaign.counts.pending), (2, 2));
    let people = store
        .list_acknowledgments(campaign.id, &AckFilter::default(), today(), all())
        .await
        .expect("list");
    let names: Vec<&str> = people
        .items
        .iter()
        .map(|a| a.person_name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Alice", "Bob"],
        "Sales and Sales EU, not Carl on leave"
    );
    assert!(
        people
            .items
            .iter()
            .all(|a| a.due_on == days(14) && !a.joined_late)
    );
    assert_eq!(people.items[1].unit_name.as_deref(), Some("Sales EU"));
    assert_eq!(actions_for(&db, campaign.id).await, ["campaign.launched"]);
    let everyone = store
        .launch_campaign(
            &org.author,
            CampaignInput {
                audience: None,
                title: Some("Everyone reads it".into()),
                ..campaign_input(version.id, CampaignAudience::Everyone, today())
            },
            today(),
        )
        .await
        .expect("the policy's own audience");
    assert_eq!(everyone.audience, CampaignAudience::Everyone);
    assert_eq!(everyone.counts.total, 6, "every active person, not Carl");
    let roles = CampaignAudience::Roles {
        roles: vec![Role::TopManagement, Role::IsmsManager],
    };
    assert_eq!(store.audience_size(&roles).await.expect("size"), 2);
    let listed = store
        .list_campaigns(&CampaignFilter::default(), today(), all())
        .await
        .expect("list");
    assert_eq!(listed.total, 2);
    assert_eq!(
        store
            .get_campaign(campaign.id, today())
            .await
            .expect("get")
            .counts
            .total,
        2
    );
}

async fn refused_launches_write_nothing(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let next = store
        .create_draft(
            &org.author,
            version.policy_id,
            draft("# Rules\n\nNew.\n", false),
        )
        .await
        .expect("draft");
    let sales = CampaignAudience::Units {
        unit_ids: vec![org.sales],
    };
    let refusals = [
        (
            campaign_input(next.id, sales.clone(), days(7)),
            "version_id",
        ),
        (
            campaign_input(
                version.id,
                CampaignAudience::Units { unit_ids: vec![] },
                days(7),
            ),
            "audience",
        ),
        (
            campaign_input(
                version.id,
                CampaignAudience::Units {
                    unit_ids: vec![Uuid::now_v7()],
                },
                days(7),
            ),
            "audience",
        ),
        (
            campaign_input(
                version.id,
                CampaignAudience::People {
                    person_ids: vec![org.carl],
                },
                days(7),
            ),
            "audience",
        ),
        (
            campaign_input(version.id, sales.clone(), days(-1)),
            "due_on",
        ),
    ];
    for (input, field) in refusals {
        match store.launch_campaign(&org.author, input, today()).await {
            Err(StoreError::Invalid(errors)) => {
                assert!(errors.get(field).is_some(), "{field}: {}", errors.summary());
            }
            other => panic!("{field}: expected 422, got {other:?}"),
        }
    }
    let draft_refusal = store
        .launch_campaign(
            &org.author,
            campaign_input(next.id, sales.clone(), days(7)),
            today(),
        )
        .await;
    let Err(StoreError::Invalid(errors)) = draft_refusal else {
        panic!("draft accepted")
    };
    assert!(errors.summary().contains("draft"), "{}", errors.summary());
    let unknown = store
        .launch_campaign(
            &org.author,
            campaign_input(Uuid::now_v7(), sales, days(7)),
            today(),
        )
        .await;
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
    let listed = store
        .list_campaigns(&CampaignFilter::default(), today(), all())
        .await
        .expect("list");
    assert_eq!(listed.total, 0, "no campaign row");
    let events = actions(
        &db,
        AuditFilter {
            record_type: Some("campaign".into()),
            ..AuditFilter::default()
        },
    )
    .await;
    assert!(events.is_empty(), "no event: {events:?}");
    assert!(
        store
            .my_acknowledgments(org.alice.person_id, today())
            .await
            .expect("mine")
            .is_empty()
    );
}

async fn people_who_join_the_audience_later_are_asked_once(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let field = unit(store, "Field", Some(org.ops)).await;
    let finn = person(store, "Finn", Some(field), None, PersonStatus::Active).await;
    let auditor = account(store, "Aud", None, &[Role::Auditor]).await;
    let sales = CampaignAudience::Units {
        unit_ids: vec![org.sales],
    };
    let campaign = store
        .launch_campaign(
            &org.author,
            campaign_input(version.id, sales, days(10)),
            today(),
        )
        .await
        .expect("launched");
    let auditors = CampaignAudience::Roles {
        roles: vec![Role::Auditor],
    };
    let for_auditors = store
        .launch_campaign(
            &org.author,
            campaign_input(version.id, auditors, days(5)),
            today(),
        )
        .await
        .expect("launched");
    assert_eq!(for_auditors.counts.total, 1, "{}", auditor.name);
    let system = Actor::system();
    let sync = |on| store.sync_audiences(&system, on);
    assert_eq!(sync(today()).await.expect("sync"), 0);
    let newcomer = person(store, "Nia", Some(org.sales_eu), None, PersonStatus::Active).await;
    let elsewhere = person(store, "Otto", Some(org.ops), None, PersonStatus::Active).await;
    let moved = UnitInput {
        name: "Field".into(),
        description: String::new(),
        parent_id: Some(org.sales),
        head_id: None,
    };
    store
        .update_unit(&Actor::cli(), field, moved)
        .await
        .expect("Field moves under Sales");
    store
        .set_account_roles(&Actor::cli(), org.alice.id, &[Role::Staff, Role::Auditor])
        .await
        .expect("Alice audits now");
    let later = days(3);
    assert_eq!(
        sync(later).await.expect("sync"),
        3,
        "Nia and Finn in Sales, Alice among the auditors"
    );
    let joined = store
        .get_acknowledgment(campaign.id, newcomer, later)
        .await
        .expect("asked");
    assert!(joined.joined_late);
    assert_eq!(joined.due_on, days(13), "ten days from joining");
    assert_eq!(joined.state, AckState::Pending);
    let by_move = store
        .get_acknowledgment(campaign.id, finn, later)
        .await
        .expect("asked after the unit moved");
    assert!(by_move.joined_late);
    let by_role = store
        .get_acknowledgment(for_auditors.id, org.alice.person_id, later)
        .await
        .expect("asked after the role");
    assert_eq!(by_role.due_on, days(8), "five days from joining");
    let not_asked = store
        .get_acknowledgment(campaign.id, elsewhere, later)
        .await;
    assert!(
        matches!(not_asked, Err(StoreError::NotFound(_))),
        "{not_asked:?}"
    );
    assert_eq!(sync(later).await.expect("sync"), 0, "nobody twice");
    assert_eq!(
        actions_for(&db, campaign.id).await,
        ["campaign.audience_joined", "campaign.launched"]
    );
    assert_eq!(
        store
            .get_campaign(campaign.id, later)
            .await
            .expect("campaign")
            .counts
            .total,
        4
    );
}

async fn acknowledging_is_for_oneself_once_and_only_while_open(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let audience = CampaignAudience::Units {
        unit_ids: vec![org.sales],
    };
    let campaign = launch(store, &org, version.id, audience.clone()).await;
    let forged = AckRequest {
        person_id: org.bob.person_id,
        ..ack(&org.alice, campaign.id, version.id)
    };
    let results = store
        .acknowledge(&[
            forged,
            ack(&org.alice, campaign.id, version.id),
            ack(&org.dora, campaign.id, version.id),
        ])
        .await;
    assert!(
        matches!(results[0], Err(StoreError::Forbidden(_))),
        "{:?}",
        results[0]
    );
    let receipt = results[1].as_ref().expect("acknowledged");
    assert!(
        matches!(results[2], Err(StoreError::NotFound(_))),
        "not asked: {:?}",
        results[2]
    );
    assert_eq!(receipt.version_id, version.id);
    assert_eq!(receipt.content_hash, version.content_hash);
    assert_eq!(receipt.statement, DEFAULT_STATEMENT);
    let again = store
        .acknowledge(&[ack(&org.alice, campaign.id, version.id)])
        .await
        .remove(0)
        .expect("idempotent");
    assert_eq!(&again, receipt, "the first acknowledgment stands");
    let record = format!("{}:{}", campaign.id, org.alice.person_id);
    assert_eq!(actions_for(&db, &record).await, ["acknowledgment.recorded"]);
    let stored = store
        .get_acknowledgment(campaign.id, org.alice.person_id, today())
        .await
        .expect("row");
    assert_eq!(stored.state, AckState::Acknowledged);
    assert_eq!(
        stored.content_hash.as_deref(),
        Some(version.content_hash.as_str())
    );
    assert_eq!(stored.statement.as_deref(), Some(DEFAULT_STATEMENT));
    let only_bob = CampaignAudience::People {
        person_ids: vec![org.bob.person_id],
    };
    let second = launch(store, &org, version.id, only_bob).await;
    let one_batch = store
        .acknowledge(&[
            ack(&org.bob, second.id, version.id),
            ack(&org.alice, second.id, version.id),
            ack(&org.bob, second.id, version.id),
        ])
        .await;
    let first = one_batch[0].as_ref().expect("acknowledged");
    assert!(
        matches!(one_batch[1], Err(StoreError::NotFound(_))),
        "Alice was not asked: {:?}",
        one_batch[1]
    );
    assert_eq!(one_batch[2].as_ref().expect("the same"), first);
    let bob_record = format!("{}:{}", second.id, org.bob.person_id);
    assert_eq!(
        actions_for(&db, &bob_record).await,
        ["acknowledgment.recorded"],
        "twice in one batch is recorded once"
    );
    let mine = store
        .my_acknowledgments(org.bob.person_id, today())
        .await
        .expect("mine");
    let states: Vec<AckState> = mine.iter().map(|m| m.state).collect();
    assert_eq!(
        states,
        [AckState::Pending, AckState::Acknowledged],
        "to do first"
    );
    let closed = store
        .close_campaign(&org.author, campaign.id, today())
        .await
        .expect("closed");
    assert_eq!(closed.status, CampaignStatus::Closed);
    let late = store
        .acknowledge(&[ack(&org.bob, campaign.id, version.id)])
        .await;
    assert!(
        matches!(late[0], Err(StoreError::Conflict(_))),
        "{:?}",
        late[0]
    );
    let twice = store
        .close_campaign(&org.author, campaign.id, today())
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert!(
        store
            .my_acknowledgments(org.bob.person_id, today())
            .await
            .expect("mine")
            .iter()
            .all(|m| m.campaign_id == second.id),
        "a closed campaign is no longer a task"
    );
}

async fn minor_versions_carry_acknowledgments_and_major_versions_close_campaigns(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let v1 = published_policy(store, &org, "Acceptable use").await;
    let audience = CampaignAudience::Units {
        unit_ids: vec![org.sales],
    };
    let campaign = launch(store, &org, v1.id, audience).await;
    store
        .acknowledge(&[ack(&org.alice, campaign.id, v1.id)])
        .await[0]
        .as_ref()
        .expect("acknowledged 1.0");
    let draft_v11 = store
        .create_draft(
            &org.author,
            v1.policy_id,
            draft("# Rules\n\nFollow them all.\n", false),
        )
        .await
        .expect("draft");
    let v11 = publish(store, &org, &draft_v11).await;
    let moved = store
        .get_campaign(campaign.id, today())
        .await
        .expect("campaign");
    assert_eq!(moved.version_id, v11.id);
    assert_eq!(moved.version_number.to_string(), "1.1");
    assert_eq!(moved.status, CampaignStatus::Open);
    assert_eq!(
        moved.counts.acknowledged, 1,
        "the 1.0 acknowledgment still counts"
    );
    let stale = store
        .acknowledge(&[ack(&org.bob, campaign.id, v1.id)])
        .await;
    match &stale[0] {
        Err(StoreError::Conflict(message)) => {
            assert!(
                message.contains("1.0") && message.contains("1.1"),
                "{message}"
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let current = store
        .acknowledge(&[ack(&org.bob, campaign.id, v11.id)])
        .await;
    assert_eq!(
        current[0]
            .as_ref()
            .expect("acknowledged")
            .version_number
            .to_string(),
        "1.1"
    );
    let alice = store
        .get_acknowledgment(campaign.id, org.alice.person_id, today())
        .await
        .expect("alice");
    assert_eq!(
        alice.version_id,
        Some(v1.id),
        "what Alice read stays recorded"
    );
    assert!(
        actions_for(&db, campaign.id)
            .await
            .contains(&"campaign.version_carried".to_owned())
    );
    let draft_v2 = store
        .create_draft(
            &org.author,
            v1.policy_id,
            draft("# Rules\n\nAll new.\n", true),
        )
        .await
        .expect("draft");
    let v2 = publish(store, &org, &draft_v2).await;
    let closed = store
        .get_campaign(campaign.id, today())
        .await
        .expect("campaign");
    assert_eq!(closed.status, CampaignStatus::Closed);
    assert_eq!(
        closed.version_id, v11.id,
        "a major version is a new campaign"
    );
    assert!(
        actions_for(&db, campaign.id)
            .await
            .contains(&"campaign.closed".to_owned())
    );
    let refused = store
        .acknowledge(&[ack(&org.alice, campaign.id, v2.id)])
        .await;
    assert!(
        matches!(refused[0], Err(StoreError::Conflict(_))),
        "{:?}",
        refused[0]
    );
}

async fn coverage_adds_up_by_state_unit_team_and_day(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let campaign = store
        .launch_campaign(
            &org.author,
            campaign_input(version.id, CampaignAudience::Everyone, today()),
            today(),
        )
        .await
        .expect("launched");
    for who in [&org.alice, &org.dora] {
        store
            .acknowledge(&[ack(who, campaign.id, version.id)])
            .await[0]
            .as_ref()
            .expect("acknowledged");
    }
    let none = AckFilter::default();
    let on_time = store
        .coverage_counts(campaign.id, &none, today())
        .await
        .expect("counts");
    assert_eq!(
        (
            on_time.total,
            on_time.acknowledged,
            on_time.pending,
            on_time.overdue
        ),
        (6, 2, 4, 0)
    );
    let tomorrow = days(1);
    let late = store
        .coverage_counts(campaign.id, &none, tomorrow)
        .await
        .expect("counts");
    assert_eq!((late.acknowledged, late.pending, late.overdue), (2, 0, 4));
    let by_unit = store
        .coverage_by_unit(campaign.id, &none, tomorrow)
        .await
        .expect("units");
    assert_eq!(by_unit[&org.sales].total, 1, "Alice directly in Sales");
    assert_eq!(by_unit[&org.sales_eu].overdue, 1, "Bob");
    assert_eq!(by_unit[&org.ops].acknowledged, 1, "Dora");
    let in_units: i64 = by_unit.values().map(|c| c.total).sum();
    assert_eq!(
        in_units, 4,
        "Hana, Alice, Bob, Dora; Ina and Bea have no unit"
    );
    let units = store.all_units().await.expect("units");
    let rolled = charter::domain::campaign::roll_up(&units, &by_unit);
    assert_eq!(rolled[0].unit_name, "Company");
    assert_eq!(rolled[0].counts.total, 4);
    let sales = AckFilter {
        unit_id: Some(org.sales),
        ..AckFilter::default()
    };
    let in_sales = store
        .coverage_counts(campaign.id, &sales, tomorrow)
        .await
        .expect("counts");
    assert_eq!(
        (in_sales.total, in_sales.acknowledged),
        (2, 1),
        "with Sales EU"
    );
    let team = AckFilter {
        team_of: Some(org.hana.person_id),
        ..AckFilter::default()
    };
    let hanas = store
        .all_acknowledgments(campaign.id, &team, tomorrow)
        .await
        .expect("team");
    let names: Vec<&str> = hanas.iter().map(|a| a.person_name.as_str()).collect();
    assert_eq!(
        names,
        ["Alice", "Bob", "Dora"],
        "the units she heads and her report"
    );
    let overdue = AckFilter {
        state: Some(AckState::Overdue),
        q: Some("BOB@".into()),
        ..AckFilter::default()
    };
    let found = store
        .list_acknowledgments(campaign.id, &overdue, tomorrow, all())
        .await
        .expect("list");
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].state, AckState::Overdue);
    let pending = store
        .pending_people(campaign.id, &team)
        .await
        .expect("pending");
    assert_eq!(pending.len(), 1, "Bob, within Hana's team");
    let per_day = store
        .acknowledgments_per_day(campaign.id, &none)
        .await
        .expect("trend");
    assert_eq!(per_day, vec![(today(), 2)]);
}

async fn queued_mail_is_written_once_per_dedupe_key(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let campaign = launch(store, &org, version.id, CampaignAudience::Everyone).await;
    let due = store.campaigns_to_remind(today()).await.expect("due");
    assert_eq!(due.len(), 1);
    let mails = [mail("a", "a@example.com"), mail("b", "b@example.com")];
    let written = store
        .queue_mail(&Actor::system(), &mails, Some((campaign.id, today())))
        .await
        .expect("queued");
    assert_eq!(written, 2);
    let again = store
        .queue_mail(&Actor::system(), &mails, None)
        .await
        .expect("queued");
    assert_eq!(again, 0, "the same keys are skipped");
    let outbox = store
        .list_outbox(&OutboxFilter::default(), all())
        .await
        .expect("outbox");
    assert_eq!(outbox.total, 2);
    assert!(outbox.items.iter().all(|m| m.status == MailStatus::Queued));
    let events = actions(
        &db,
        AuditFilter {
            action: Some("mail.queued".into()),
            ..AuditFilter::default()
        },
    )
    .await;
    assert_eq!(events.len(), 1, "one event for the call that wrote");
    assert!(
        store
            .campaigns_to_remind(today())
            .await
            .expect("due")
            .is_empty()
    );
    assert_eq!(
        store.campaigns_to_remind(days(1)).await.expect("due").len(),
        1
    );
    let nothing = store
        .queue_mail(&Actor::system(), &[], Some((campaign.id, days(1))))
        .await
        .expect("marked");
    assert_eq!(nothing, 0);
    assert!(
        store
            .campaigns_to_remind(days(1))
            .await
            .expect("due")
            .is_empty(),
        "marked reminded even with nobody to remind"
    );
}

async fn failed_sends_back_off_then_fail_and_can_be_retried(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let mails = [mail("x", "x@example.com"), mail("y", "y@example.com")];
    store
        .queue_mail(&Actor::system(), &mails, None)
        .await
        .expect("queued");
    let now = OffsetDateTime::now_utc() + Duration::seconds(1);
    let due = store.due_mail(now, 10).await.expect("due");
    assert_eq!(due.len(), 2);
    let (x, y) = (due[0].id, due[1].id);
    let refused = DeliveryOutcome::Failed {
        error: "550 mailbox unavailable".into(),
    };
    store.record_delivery(x, &refused).await.expect("recorded");
    let backing_off = store.get_mail(x).await.expect("mail");
    assert_eq!(
        (backing_off.status, backing_off.attempts),
        (MailStatus::Queued, 1)
    );
    assert!(
        backing_off.next_attempt_at > now,
        "waits before the next attempt"
    );
    assert_eq!(
        backing_off.last_error.as_deref(),
        Some("550 mailbox unavailable")
    );
    let due_now: Vec<Uuid> = store
        .due_mail(now, 10)
        .await
        .expect("due")
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(due_now, [y]);
    assert_eq!(
        store
            .due_mail(now + Duration::minutes(2), 10)
            .await
            .expect("due")
            .len(),
        2
    );
    for _ in 1..MAX_ATTEMPTS {
        store.record_delivery(x, &refused).await.expect("recorded");
    }
    let failed = store.get_mail(x).await.expect("mail");
    assert_eq!(
        (failed.status, failed.attempts),
        (MailStatus::Failed, MAX_ATTEMPTS)
    );
    let failed_list = store
        .list_outbox(
            &OutboxFilter {
                status: Some(MailStatus::Failed),
                ..OutboxFilter::default()
            },
            all(),
        )
        .await
        .expect("list");
    assert_eq!(failed_list.total, 1, "stays visible");
    let retried = store.retry_mail(&org.author, x).await.expect("retried");
    assert_eq!((retried.status, retried.attempts), (MailStatus::Queued, 0));
    store
        .record_delivery(x, &DeliveryOutcome::Sent)
        .await
        .expect("sent");
    let sent = store.get_mail(x).await.expect("mail");
    assert_eq!(sent.status, MailStatus::Sent);
    assert!(sent.sent_at.is_some());
    let again = store.retry_mail(&org.author, x).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    store
        .record_delivery(y, &DeliveryOutcome::Held)
        .await
        .expect("held");
    assert_eq!(
        store.get_mail(y).await.expect("mail").status,
        MailStatus::Held
    );
    let twice = store.record_delivery(y, &DeliveryOutcome::Sent).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    let mut recorded = actions_for(&db, x).await;
    recorded.sort();
    recorded.dedup();
    assert_eq!(
        recorded,
        ["mail.failed", "mail.queued", "mail.retried", "mail.sent"]
    );
    let unknown = store.get_mail(Uuid::now_v7()).await;
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
}

async fn a_lease_has_one_holder_until_it_expires(db: TestDb) {
    let store = db.store.as_ref();
    let now = OffsetDateTime::now_utc();
    let ttl = Duration::seconds(30);
    assert!(
        store
            .take_lease("jobs", "one", now, ttl)
            .await
            .expect("lease")
    );
    assert!(
        !store
            .take_lease("jobs", "two", now, ttl)
            .await
            .expect("lease")
    );
    let renewed = now + Duration::seconds(20);
    assert!(
        store
            .take_lease("jobs", "one", renewed, ttl)
            .await
            .expect("renewed")
    );
    assert!(
        !store
            .take_lease("jobs", "two", now + Duration::seconds(40), ttl)
            .await
            .expect("lease"),
        "the renewal holds until 50 s"
    );
    assert!(
        store
            .take_lease("other", "two", now, ttl)
            .await
            .expect("another lease")
    );
    let expired = now + Duration::seconds(51);
    assert!(
        store
            .take_lease("jobs", "two", expired, ttl)
            .await
            .expect("taken over")
    );
    assert!(
        !store
            .take_lease("jobs", "one", expired, ttl)
            .await
            .expect("lease")
    );
}

async fn communications_need_top_management_and_queue_one_mail_per_person(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let input = CommunicationInput {
        audience: CampaignAudience::Units {
            unit_ids: vec![org.sales],
        },
        channel: Channel::Email,
        communicated_on: today(),
        subject: "Why security matters".into(),
        body: "Our customers trust us with their data.".into(),
        link: Some("https://intranet.example.com/security".into()),
        send_email: true,
    };
    let refused = store
        .record_communication(&org.author, input.clone(), today())
        .await;
    assert!(
        matches!(refused, Err(StoreError::Forbidden(_))),
        "{refused:?}"
    );
    let written = store.list_communications(all()).await.expect("list");
    assert_eq!(written.total, 0, "nothing recorded");
    let outbox = store
        .list_outbox(&OutboxFilter::default(), all())
        .await
        .expect("outbox");
    assert_eq!(outbox.total, 0, "nothing queued");
    let recorded = store
        .record_communication(&org.boss, input, today())
        .await
        .expect("recorded");
    assert_eq!(recorded.author_name, "Bea");
    assert_eq!(recorded.emails_queued, 2, "Alice and Bob");
    let mails = store
        .list_outbox(
            &OutboxFilter {
                kind: Some(MailKind::Communication),
                ..OutboxFilter::default()
            },
            all(),
        )
        .await
        .expect("outbox");
    let mut to: Vec<&str> = mails.items.iter().map(|m| m.to_address.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, ["alice@example.com", "bob@example.com"]);
    assert!(
        mails.items[0]
            .body
            .contains("https://intranet.example.com/security")
    );
    assert!(
        mails
            .items
            .iter()
            .all(|m| m.communication_id == Some(recorded.id))
    );
    let spoken = CommunicationInput {
        audience: CampaignAudience::Everyone,
        channel: Channel::TownHall,
        communicated_on: days(-2),
        subject: "Town hall on security".into(),
        body: "Security objectives for the year.".into(),
        link: None,
        send_email: false,
    };
    let town_hall = store
        .record_communication(&org.boss, spoken, today())
        .await
        .expect("recorded");
    assert_eq!(town_hall.emails_queued, 0);
    let listed = store.list_communications(all()).await.expect("list");
    let ids: Vec<Uuid> = listed.items.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [recorded.id, town_hall.id],
        "newest communication first"
    );
    assert_eq!(
        store
            .get_communication(recorded.id)
            .await
            .expect("get")
            .subject,
        "Why security matters"
    );
    assert_eq!(
        actions_for(&db, recorded.id).await,
        ["communication.recorded"]
    );
}

async fn lapsed_exceptions_are_recorded_once(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let request = ExceptionInput {
        scope: "Legacy kiosk".into(),
        justification: "Vendor patch pending".into(),
        risk: "Unpatched browser".into(),
        compensating_controls: "Isolated network".into(),
        requested_expiry: days(5),
        renewal_of: None,
    };
    let exception = store
        .request_exception(&org.author, version.policy_id, request, today())
        .await
        .expect("requested");
    let approve = ExceptionDecisionInput {
        approve: true,
        note: String::new(),
        expires_on: None,
    };
    store
        .decide_exception(&org.boss, exception.id, approve, today())
        .await
        .expect("approved");
    assert!(
        store
            .record_exception_expiries(days(5))
            .await
            .expect("none yet")
            .is_empty()
    );
    let lapsed = store
        .record_exception_expiries(days(6))
        .await
        .expect("expired");
    assert_eq!(lapsed.len(), 1);
    assert_eq!(lapsed[0].id, exception.id);
    assert!(
        store
            .record_exception_expiries(days(7))
            .await
            .expect("once")
            .is_empty()
    );
    assert!(
        actions_for(&db, exception.id)
            .await
            .contains(&"policy_exception.expired".to_owned())
    );
}

async fn a_large_campaign_pages_its_people_in_name_order(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let members: Vec<PersonWrite> = (0..2_100)
        .map(|i| {
            let name = format!("Member {:04}", (i * 7_919) % 2_100);
            let mut input = person_input(&name, &format!("member{i}@example.com"));
            input.unit_id = Some(if i % 3 == 0 { org.sales_eu } else { org.ops });
            PersonWrite {
                id: Uuid::now_v7(),
                input,
                is_new: true,
            }
        })
        .collect();
    store
        .write_people(&Actor::cli(), &members)
        .await
        .expect("members");
    let campaign = launch(store, &org, version.id, CampaignAudience::Everyone).await;
    store
        .acknowledge(&[ack(&org.alice, campaign.id, version.id)])
        .await[0]
        .as_ref()
        .expect("acknowledged");
    let mut readers = Vec::new();
    for member in &members[..250] {
        let reader = store
            .create_account(&Actor::cli(), member.id, None, &[Role::Staff])
            .await
            .expect("account");
        readers.push(reader);
    }
    let ten = CampaignAudience::People {
        person_ids: readers[..10].iter().map(|r| r.person_id).collect(),
    };
    let small = launch(store, &org, version.id, ten).await;
    let mut requests: Vec<AckRequest> = readers
        .iter()
        .map(|r| ack(r, campaign.id, version.id))
        .collect();
    for (i, reader) in readers[..10].iter().enumerate() {
        requests.insert(i * 20, ack(reader, small.id, version.id));
    }
    let results = store.acknowledge(&requests).await;
    assert_eq!(results.len(), 260);
    assert!(
        results.iter().all(Result::is_ok),
        "one batch, two campaigns"
    );
    let none = AckFilter::default();
    let counted = |id| store.coverage_counts(id, &none, today());
    assert_eq!(
        counted(campaign.id).await.expect("counts").acknowledged,
        251
    );
    assert_eq!(counted(small.id).await.expect("counts").acknowledged, 10);
    let last = store
        .get_acknowledgment(campaign.id, readers[249].person_id, today())
        .await
        .expect("row");
    assert_eq!(
        last.content_hash.as_deref(),
        Some(version.content_hash.as_str())
    );
    assert_eq!(last.statement.as_deref(), Some(DEFAULT_STATEMENT));
    for filter in [
        AckFilter::default(),
        AckFilter {
            state: Some(AckState::Pending),
            ..AckFilter::default()
        },
        AckFilter {
            unit_id: Some(org.sales),
            ..AckFilter::default()
        },
        AckFilter {
            state: Some(AckState::Acknowledged),
            ..AckFilter::default()
        },
    ] {
        let everyone: Vec<Uuid> = store
            .all_acknowledgments(campaign.id, &filter, today())
            .await
            .expect("all")
            .iter()
            .map(|a| a.person_id)
            .collect();
        let last = (everyone.len() as u32).div_ceil(50).max(1);
        for number in [1, 2, last] {
            let page = store
                .list_acknowledgments(
                    campaign.id,
                    &filter,
                    today(),
                    PageRequest::new(Some(number), Some(50)),
                )
                .await
                .expect("page");
            assert_eq!(page.total, everyone.len() as i64, "{filter:?}");
            let from = ((number - 1) * 50) as usize;
            let expected = &everyone[from.min(everyone.len())..(from + 50).min(everyone.len())];
            let ids: Vec<Uuid> = page.items.iter().map(|a| a.person_id).collect();
            assert_eq!(ids, expected, "page {number} of {filter:?}");
        }
    }
    let sales = AckFilter {
        unit_id: Some(org.sales),
        ..AckFilter::default()
    };
    let in_sales = store
        .coverage_counts(campaign.id, &sales, today())
        .await
        .expect("counts");
    assert_eq!((in_sales.total, in_sales.acknowledged), (702, 85));
    let all = store
        .coverage_counts(campaign.id, &AckFilter::default(), today())
        .await
        .expect("counts");
    assert_eq!(all.total, 2_106);
}

async fn retiring_a_version_closes_its_open_campaigns(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let other = published_policy(store, &org, "Clear desk").await;
    let sales = CampaignAudience::Units {
        unit_ids: vec![org.sales],
    };
    let launch = |version_id| {
        store.launch_campaign(
            &org.author,
            campaign_input(version_id, sales.clone(), days(7)),
            today(),
        )
    };
    let open = launch(version.id).await.expect("launched");
    let closed_before = launch(version.id).await.expect("launched");
    let elsewhere = launch(other.id).await.expect("launched");
    store
        .close_campaign(&org.author, closed_before.id, today())
        .await
        .expect("closed");
    store
        .transition_version(&org.author, version.id, Transition::Retire, "", today())
        .await
        .expect("retired");
    let after = store
        .get_campaign(open.id, today())
        .await
        .expect("campaign");
    assert_eq!(after.status, CampaignStatus::Closed);
    assert!(after.closed_at.is_some());
    assert_eq!(
        actions_for(&db, open.id).await,
        ["campaign.closed", "campaign.launched"]
    );
    assert_eq!(
        actions_for(&db, closed_before.id).await,
        ["campaign.closed", "campaign.launched"],
        "a campaign closed already is not closed again"
    );
    assert_eq!(
        store
            .get_campaign(elsewhere.id, today())
            .await
            .expect("campaign")
            .status,
        CampaignStatus::Open,
        "another policy's campaign stays open"
    );
    let refused = store
        .acknowledge(&[ack(&org.alice, open.id, version.id)])
        .await;
    match &refused[0] {
        Err(StoreError::Conflict(message)) => {
            assert_eq!(message, "this campaign is closed");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let to_remind: Vec<Uuid> = store
        .campaigns_to_remind(today())
        .await
        .expect("due")
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        to_remind,
        [elsewhere.id],
        "no reminder for the retired version"
    );
}

async fn people_who_depart_leave_open_campaigns_but_what_they_acknowledged_stays(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let sales = CampaignAudience::Units {
        unit_ids: vec![org.sales],
    };
    let launch = |audience| {
        store.launch_campaign(
            &org.author,
            campaign_input(version.id, audience, days(7)),
            today(),
        )
    };
    let campaign = launch(sales.clone()).await.expect("launched");
    let everyone = launch(CampaignAudience::Everyone).await.expect("launched");
    let closed = launch(sales).await.expect("launched");
    store
        .close_campaign(&org.author, closed.id, today())
        .await
        .expect("closed");
    store
        .acknowledge(&[ack(&org.alice, campaign.id, version.id)])
        .await[0]
        .as_ref()
        .expect("acknowledged");
    let before = store
        .get_campaign(everyone.id, today())
        .await
        .expect("campaign")
        .counts;
    for (who, name) in [(&org.alice, "Alice"), (&org.bob, "Bob")] {
        let mut input = person_input(name, &format!("{}@example.com", name.to_lowercase()));
        input.unit_id = Some(if name == "Bob" {
            org.sales_eu
        } else {
            org.sales
        });
        input.status = PersonStatus::Departed;
        input.departed_on = Some(today());
        store
            .update_person(&Actor::cli(), who.person_id, input, today())
            .await
            .expect("departed");
    }
    let system = Actor::system();
    assert_eq!(
        store.sync_audiences(&system, today()).await.expect("sync"),
        0
    );
    let gone = store
        .get_acknowledgment(campaign.id, org.bob.person_id, today())
        .await;
    assert!(
        matches!(gone, Err(StoreError::NotFound(_))),
        "Bob no longer pending: {gone:?}"
    );
    let kept = store
        .get_acknowledgment(campaign.id, org.alice.person_id, today())
        .await
        .expect("what Alice acknowledged stays");
    assert_eq!(kept.state, AckState::Acknowledged);
    let counts = store
        .get_campaign(campaign.id, today())
        .await
        .expect("campaign")
        .counts;
    assert_eq!(
        (counts.total, counts.acknowledged, counts.pending),
        (1, 1, 0)
    );
    let after = store
        .get_campaign(everyone.id, today())
        .await
        .expect("campaign")
        .counts;
    assert_eq!(after.total, before.total - 2, "Alice and Bob were pending");
    assert_eq!(
        store
            .coverage_counts(everyone.id, &AckFilter::default(), days(30))
            .await
            .expect("counts")
            .overdue,
        after.total,
        "nobody departed is overdue later"
    );
    let in_closed = store
        .get_acknowledgment(closed.id, org.bob.person_id, today())
        .await
        .expect("a closed campaign keeps its record");
    assert_eq!(in_closed.state, AckState::Pending);
    for id in [campaign.id, everyone.id] {
        assert_eq!(
            actions_for(&db, id).await,
            ["campaign.audience_left", "campaign.launched"]
        );
    }
    assert_eq!(
        actions_for(&db, closed.id).await,
        ["campaign.closed", "campaign.launched"]
    );
    store.sync_audiences(&system, today()).await.expect("sync");
    let left = actions(
        &db,
        AuditFilter {
            action: Some("campaign.audience_left".into()),
            ..AuditFilter::default()
        },
    )
    .await;
    assert_eq!(left.len(), 2, "removed once");
}

/// Another instance's write, made around the store. On PostgreSQL it stays uncommitted until the
/// store's call waits on its locks, then commits; SQLite lets one writer in at a time, so there
/// it commits before the call.
enum Elsewhere {
    Postgres(sqlx::PgConnection),
    Sqlite,
}

impl Elsewhere {
    async fn write(db: &TestDb, statements: &[String]) -> Self {
        use sqlx::Connection;
        match &db.location {
            DatabaseLocation::Postgres(url) => {
                let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
                sqlx::raw_sql("BEGIN")
                    .execute(&mut conn)
                    .await
                    .expect("begin");
                for sql in statements {
                    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
                        .execute(&mut conn)
                        .await
                        .expect("written elsewhere");
                }
                Elsewhere::Postgres(conn)
            }
            DatabaseLocation::Sqlite(_) => {
                for sql in statements {
                    raw_sql(&db.location, sql).await;
                }
                Elsewhere::Sqlite
            }
        }
    }

    /// Waits until the store's call waits on this transaction, commits, and returns the answer.
    async fn commit_under<T>(self, call: tokio::task::JoinHandle<T>) -> T {
        if let Elsewhere::Postgres(mut conn) = self {
            let waited_on = "SELECT EXISTS (SELECT 1 FROM pg_locks l
                WHERE NOT l.granted AND pg_backend_pid() = ANY(pg_blocking_pids(l.pid)))";
            let mut tries = 0;
            while !sqlx::query_scalar::<_, bool>(waited_on)
                .fetch_one(&mut conn)
                .await
                .expect("locks")
            {
                tries += 1;
                assert!(
                    tries < 1_000,
                    "the store's call never waited on the other write"
                );
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            sqlx::raw_sql("COMMIT")
                .execute(&mut conn)
                .await
                .expect("commit");
        }
        call.await.expect("the store's call")
    }
}

fn uuid_sql(db: &TestDb, id: Uuid) -> String {
    match db.location {
        DatabaseLocation::Sqlite(_) => format!("x'{}'", id.simple()),
        DatabaseLocation::Postgres(_) => format!("'{id}'"),
    }
}

async fn chain_is_intact(db: &TestDb) {
    let report = db.store.verify_audit_chain().await.expect("verified");
    assert!(report.broken.is_none(), "{:?}", report.broken);
}

async fn an_acknowledgment_given_meanwhile_elsewhere_is_answered_not_recorded_again(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let audience = CampaignAudience::Units {
        unit_ids: vec![org.sales],
    };
    let campaign = launch(store, &org, version.id, audience).await;
    let given_at = "2026-01-02T03:04:05.000006Z";
    let elsewhere = Elsewhere::write(
        &db,
        &[format!(
            "UPDATE acknowledgments SET acknowledged_at = '{given_at}', version_id = {},
                content_hash = '{}', statement = 'Read on paper.', account_id = {}
             WHERE campaign_id = {} AND person_id = {}",
            uuid_sql(&db, version.id),
            version.content_hash,
            uuid_sql(&db, org.alice.id),
            uuid_sql(&db, campaign.id),
            uuid_sql(&db, org.alice.person_id)
        )],
    )
    .await;
    let requests = [
        ack(&org.alice, campaign.id, version.id),
        ack(&org.bob, campaign.id, version.id),
        ack(&org.alice, campaign.id, version.id),
    ];
    let shared = db.store.clone();
    let call = tokio::spawn(async move { shared.acknowledge(&requests).await });
    let results = elsewhere.commit_under(call).await;
    let alice = results[0].as_ref().expect("the stored receipt");
    assert_eq!(alice.statement, "Read on paper.");
    assert_eq!(
        alice.acknowledged_at,
        OffsetDateTime::parse(given_at, &time::format_description::well_known::Rfc3339)
            .expect("time")
    );
    assert_eq!(results[2].as_ref().expect("the same"), alice);
    let bob = results[1].as_ref().expect("recorded");
    assert_eq!(bob.statement, DEFAULT_STATEMENT);
    let record = |person: Uuid| format!("{}:{person}", campaign.id);
    assert!(
        actions_for(&db, record(org.alice.person_id))
            .await
            .is_empty(),
        "given elsewhere, not recorded here again"
    );
    assert_eq!(
        actions_for(&db, record(org.bob.person_id)).await,
        ["acknowledgment.recorded"]
    );
    chain_is_intact(&db).await;
}

async fn a_campaign_closed_meanwhile_takes_no_acknowledgment_and_is_not_closed_twice(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let audience = CampaignAudience::Units {
        unit_ids: vec![org.sales],
    };
    let launch = || {
        store.launch_campaign(
            &org.author,
            campaign_input(version.id, audience.clone(), days(7)),
            today(),
        )
    };
    let campaign = launch().await.expect("launched");
    let close = |id| {
        format!(
            "UPDATE campaigns SET status = 'closed', closed_at = '2026-01-02T03:04:05Z' WHERE id = {}",
            uuid_sql(&db, id)
        )
    };
    // Closing holds the chain's head until it commits, as every writer does.
    let elsewhere = Elsewhere::write(
        &db,
        &[
            close(campaign.id),
            "UPDATE audit_head SET seq = seq WHERE id = 1".into(),
        ],
    )
    .await;
    let request = ack(&org.bob, campaign.id, version.id);
    let shared = db.store.clone();
    let call = tokio::spawn(async move { shared.acknowledge(&[request]).await });
    let results = elsewhere.commit_under(call).await;
    match &results[0] {
        Err(StoreError::Conflict(message)) => assert_eq!(message, "this campaign is closed"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let bob = store
        .get_acknowledgment(campaign.id, org.bob.person_id, today())
        .await
        .expect("row");
    assert!(bob.acknowledged_at.is_none(), "nothing recorded");
    assert!(
        actions_for(&db, format!("{}:{}", campaign.id, org.bob.person_id))
            .await
            .is_empty()
    );
    let second = launch().await.expect("launched");
    let elsewhere = Elsewhere::write(&db, &[close(second.id)]).await;
    let (shared, by) = (db.store.clone(), org.author.clone());
    let call = tokio::spawn(async move { shared.close_campaign(&by, second.id, today()).await });
    let twice = elsewhere.commit_under(call).await;
    match twice {
        Err(StoreError::Conflict(message)) => {
            assert_eq!(message, "this campaign is already closed");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        actions_for(&db, second.id).await,
        ["campaign.launched"],
        "no second close recorded"
    );
    chain_is_intact(&db).await;
}

async fn people_asked_meanwhile_elsewhere_are_not_asked_twice(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let version = published_policy(store, &org, "Acceptable use").await;
    let campaign = launch(store, &org, version.id, CampaignAudience::Everyone).await;
    let nia = person(store, "Nia", Some(org.sales), None, PersonStatus::Active).await;
    let elsewhere = Elsewhere::write(
        &db,
        &[format!(
            "INSERT INTO acknowledgments (campaign_id, person_id, assigned_at, due_on, joined_late)
             VALUES ({}, {}, '2026-01-02T03:04:05Z', '{}', TRUE)",
            uuid_sql(&db, campaign.id),
            uuid_sql(&db, nia),
            days(7)
        )],
    )
    .await;
    let shared = db.store.clone();
    let call = tokio::spawn(async move { shared.sync_audiences(&Actor::system(), today()).await });
    let added = elsewhere.commit_under(call).await.expect("synced");
    assert_eq!(added, 0, "Nia was asked elsewhere");
    assert_eq!(actions_for(&db, campaign.id).await, ["campaign.launched"]);
    assert!(
        store
            .get_acknowledgment(campaign.id, nia, today())
            .await
            .expect("asked once")
            .joined_late
    );
    chain_is_intact(&db).await;
}

async fn mail_of_every_size_is_queued_whole_in_one_call(db: TestDb) {
    let store = db.store.as_ref();
    let mails: Vec<NewMail> = (0..450)
        .map(|i| NewMail {
            body: "Read it. ".repeat(if i % 50 == 7 { 3_000 } else { 1 + i % 90 }),
            ..mail(&format!("key-{i}"), &format!("p{i}@example.com"))
        })
        .collect();
    let written = store
        .queue_mail(&Actor::system(), &mails, None)
        .await
        .expect("queued");
    assert_eq!(written, 450);
    let outbox = store
        .list_outbox(
            &OutboxFilter::default(),
            PageRequest::new(Some(1), Some(500)),
        )
        .await
        .expect("outbox");
    assert_eq!(outbox.total, 450);
    let longest = outbox.items.iter().map(|m| m.body.len()).max();
    assert_eq!(
        longest,
        Some(27_000),
        "a message larger than a chunk is written alone"
    );
    let again = store
        .queue_mail(&Actor::system(), &mails, None)
        .await
        .expect("queued");
    assert_eq!(again, 0);
    let events = actions(
        &db,
        AuditFilter {
            action: Some("mail.queued".into()),
            ..AuditFilter::default()
        },
    )
    .await;
    assert_eq!(events.len(), 1);
}
