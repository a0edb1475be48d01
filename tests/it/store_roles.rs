//! The store contract for roles: the catalog, dated assignments the holder acknowledges, who held a
//! role on a day, segregation of duties on assignment, tool roles granted while a role is held,
//! handover on departure, delegations and competence evidence, on both databases.

use charter::domain::access::Role;
use charter::domain::account::{Account, SessionRecord};
use charter::domain::assignment::{
    AssignmentEnd, AssignmentFilter, AssignmentInput, AssignmentScope, CompetenceEvidenceInput,
    Delegate, DelegationInput, EvidenceKind, TenureState, role_statement,
};
use charter::domain::campaign::CampaignAudience;
use charter::domain::communication::{Channel, CommunicationInput};
use charter::domain::mail::{MailKind, OutboxFilter};
use charter::domain::role::{OrgRole, OrgRoleFilter, OrgRoleInput, RoleCategory};
use charter::domain::{Actor, AuditFilter, PageRequest, PersonStatus};
use charter::store::roles::DelegationFilter;
use charter::store::{DatabaseLocation, PersonWrite, Store, StoreError};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, person_input, raw_sql, store_account, store_person};

crate::on_both_backends!(
    the_catalog_keeps_names_unique_and_one_role_per_duty_of_5_3,
    the_holder_is_notified_and_acknowledges_what_the_role_says,
    history_answers_who_held_a_role_on_a_day,
    segregation_of_duties_refuses_an_assignment_without_an_approved_exception,
    a_role_grants_its_tool_role_only_while_it_is_held,
    a_departure_flags_the_roles_still_held_for_handover,
    the_holder_delegates_a_task_that_ends_by_itself,
    competence_evidence_is_recorded_on_the_assignment,
    holder_summaries_count_current_holders_and_name_the_first,
    an_assignment_is_ended_not_extended_and_its_delegations_end_with_it,
);

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn days(n: i64) -> Date {
    today() + Duration::days(n)
}

fn all() -> PageRequest {
    PageRequest::new(Some(1), Some(100))
}

/// Ina (ISMS manager) assigns; Alice and Bob have accounts; Carl has none.
struct Org {
    ina: Account,
    alice: Account,
    bob: Account,
    carl: Uuid,
}

async fn org(store: &dyn Store) -> Org {
    Org {
        ina: store_account(store, "Ina", &[Role::IsmsManager]).await,
        alice: store_account(store, "Alice", &[Role::Staff]).await,
        bob: store_account(store, "Bob", &[Role::Staff]).await,
        carl: store_person(store, "Carl").await,
    }
}

fn role_input(name: &str, category: RoleCategory) -> OrgRoleInput {
    OrgRoleInput {
        name: name.into(),
        category,
        purpose: format!("What the {name} is for."),
        responsibilities: vec![format!("Act as {name}"), "Report to top management".into()],
        authorities: vec![format!("Decide as {name}")],
        competence: String::new(),
        required: false,
        critical: false,
        conformance_owner: false,
        performance_reporter: false,
        grants: None,
    }
}

async fn role(store: &dyn Store, name: &str) -> OrgRole {
    store
        .create_role(&Actor::cli(), role_input(name, RoleCategory::Custom))
        .await
        .expect("role")
}

fn assignment(role: Uuid, person: Uuid, starts_on: Date) -> AssignmentInput {
    AssignmentInput {
        role_id: role,
        person_id: person,
        scope: AssignmentScope::Organization,
        deputy: false,
        starts_on,
        ends_on: None,
        reason: "Named by the management review".into(),
        sod_exception_id: None,
    }
}

fn end(ends_on: Date) -> AssignmentEnd {
    AssignmentEnd {
        ends_on,
        reason: "Moved to another team".into(),
    }
}

async fn actions(db: &TestDb, action: &str) -> usize {
    let filter = AuditFilter {
        action: Some(action.into()),
        ..AuditFilter::default()
    };
    db.store
        .list_audit_events(&filter, PageRequest::new(Some(1), Some(500)))
        .await
        .expect("events")
        .total
        .try_into()
        .expect("count")
}

fn field_of(result: Result<impl std::fmt::Debug, StoreError>) -> Vec<String> {
    match result {
        Err(StoreError::Invalid(errors)) => errors.iter().map(|(f, _)| f.to_string()).collect(),
        other => panic!("expected 422, got {other:?}"),
    }
}

fn conflict_of(result: Result<impl std::fmt::Debug, StoreError>) -> String {
    match result {
        Err(StoreError::Conflict(message)) => message,
        other => panic!("expected 409, got {other:?}"),
    }
}

fn is_forbidden(result: &Result<impl std::fmt::Debug, StoreError>) -> bool {
    matches!(result, Err(StoreError::Forbidden(_)))
}

/// What a role was written with, to edit it.
fn input_of(role: &OrgRole) -> OrgRoleInput {
    OrgRoleInput {
        name: role.name.clone(),
        category: role.category,
        purpose: role.purpose.clone(),
        responsibilities: role.responsibilities.clone(),
        authorities: role.authorities.clone(),
        competence: role.competence.clone(),
        required: role.required,
        critical: role.critical,
        conformance_owner: role.conformance_owner,
        performance_reporter: role.performance_reporter,
        grants: role.grants,
    }
}

async fn the_catalog_keeps_names_unique_and_one_role_per_duty_of_5_3(db: TestDb) {
    let store = db.store.as_ref();
    let before = store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("list");
    let steward = role(store, "Payments steward").await;
    let auditor = role(store, "Audit lead").await;
    let reviewer = role(store, "Vendor reviewer").await;
    assert_eq!(
        steward.responsibilities,
        ["Act as Payments steward", "Report to top management"]
    );
    let listed = store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("list");
    assert_eq!(listed.len(), before.len() + 3);
    let names: Vec<&str> = listed.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names[before.len()..],
        ["Payments steward", "Audit lead", "Vendor reviewer"],
        "a new role comes last in the catalog"
    );
    let found = store
        .list_roles(&OrgRoleFilter {
            category: Some(RoleCategory::Custom),
            q: Some("AUDIT LE".into()),
        })
        .await
        .expect("filtered");
    assert_eq!(found, vec![auditor.clone()]);

    let duplicate = store
        .create_role(
            &Actor::cli(),
            role_input(" payments STEWARD ", RoleCategory::RiskOwner),
        )
        .await;
    assert_eq!(field_of(duplicate), ["name"]);
    let renamed = store
        .update_role(
            &Actor::cli(),
            auditor.id,
            role_input("Vendor Reviewer", RoleCategory::Custom),
        )
        .await;
    assert_eq!(field_of(renamed), ["name"]);

    // The standard catalog may already name the role carrying both duties of 5.3.
    let owner = match before.iter().find(|r| r.conformance_owner) {
        Some(owner) => owner.clone(),
        None => {
            let mut owner = role_input("Security programme owner", RoleCategory::IsmsGovernance);
            owner.conformance_owner = true;
            owner.performance_reporter = true;
            store
                .create_role(&Actor::cli(), owner)
                .await
                .expect("owner")
        }
    };
    assert!(owner.performance_reporter, "one role carries both here");
    let mut second_owner = role_input("Deputy programme owner", RoleCategory::IsmsGovernance);
    second_owner.conformance_owner = true;
    let message = conflict_of(store.create_role(&Actor::cli(), second_owner).await);
    assert!(message.contains(&format!("'{}'", owner.name)), "{message}");
    let mut second_reporter = input_of(&auditor);
    second_reporter.performance_reporter = true;
    let message = conflict_of(
        store
            .update_role(&Actor::cli(), auditor.id, second_reporter.clone())
            .await,
    );
    assert!(message.contains(&format!("'{}'", owner.name)), "{message}");

    let mut edited = input_of(&owner);
    edited.responsibilities = vec!["Run the ISMS".into()];
    edited.performance_reporter = false;
    let updated = store
        .update_role(&Actor::cli(), owner.id, edited)
        .await
        .expect("the owner keeps its own duty");
    assert!(updated.conformance_owner && !updated.performance_reporter);
    assert_eq!(updated.responsibilities, ["Run the ISMS"]);
    assert_eq!(store.get_role(owner.id).await.expect("read"), updated);
    let mut granting = second_reporter;
    granting.grants = Some(Role::Auditor);
    let reporter = store
        .update_role(&Actor::cli(), auditor.id, granting)
        .await
        .expect("the reporter duty is free again");
    assert!(reporter.performance_reporter);
    assert_eq!(reporter.grants, Some(Role::Auditor));
    let after = store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("list");
    assert_eq!(
        after.iter().position(|r| r.id == reviewer.id),
        listed.iter().position(|r| r.id == reviewer.id),
        "an edit keeps each role's place"
    );
    assert!(matches!(
        store.get_role(Uuid::now_v7()).await,
        Err(StoreError::NotFound(_))
    ));
    let created_here = after.len() - before.len();
    assert_eq!(actions(&db, "org_role.created").await, created_here);
    assert_eq!(actions(&db, "org_role.updated").await, 2);
}

async fn the_holder_is_notified_and_acknowledges_what_the_role_says(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let risk = role(store, "Risk treatment owner").await;
    let assigned = store
        .assign_role(
            &org.ina,
            assignment(risk.id, org.alice.person_id, today()),
            today(),
        )
        .await
        .expect("assigned");
    assert_eq!(
        (
            assigned.person_name.as_str(),
            assigned.role_name.as_str(),
            assigned.assigned_by_name.as_str(),
            assigned.state,
        ),
        ("Alice", "Risk treatment owner", "Ina", TenureState::Current)
    );
    assert!(assigned.acknowledged_at.is_none());

    let notices = store
        .list_outbox(
            &OutboxFilter {
                kind: Some(MailKind::Notice),
                ..OutboxFilter::default()
            },
            all(),
        )
        .await
        .expect("outbox");
    assert_eq!(notices.total, 1);
    let notice = &notices.items[0];
    assert_eq!(notice.to_address, "alice@example.com");
    assert_eq!(notice.subject, "You hold a new role: Risk treatment owner");
    assert!(
        notice.body.contains("- Act as Risk treatment owner\n"),
        "{}",
        notice.body
    );
    assert!(notice.body.contains("- Decide as Risk treatment owner\n"));
    assert!(
        notice
            .body
            .contains(&format!("/roles/assignments/{}", assigned.id))
    );

    let unacknowledged = AssignmentFilter {
        unacknowledged: true,
        ..AssignmentFilter::default()
    };
    let waiting = store
        .list_assignments(&unacknowledged, today(), all())
        .await
        .expect("list");
    assert_eq!(waiting.items, vec![assigned.clone()]);

    let by_bob = store
        .acknowledge_assignment(&org.bob, assigned.id, today())
        .await;
    assert!(is_forbidden(&by_bob), "{by_bob:?}");

    let acknowledged = store
        .acknowledge_assignment(&org.alice, assigned.id, today())
        .await
        .expect("acknowledged");
    let statement = role_statement(&risk.name, &risk.responsibilities, &risk.authorities);
    assert_eq!(
        acknowledged.acknowledged_statement.as_deref(),
        Some(statement.as_str())
    );
    assert!(acknowledged.acknowledged_at.is_some());
    let waiting = store
        .list_assignments(&unacknowledged, today(), all())
        .await
        .expect("list");
    assert_eq!(waiting.total, 0);

    let mut changed = role_input("Risk treatment owner", RoleCategory::RiskOwner);
    changed.responsibilities = vec!["Something else entirely".into()];
    store
        .update_role(&Actor::cli(), risk.id, changed)
        .await
        .expect("edited");
    let again = store
        .acknowledge_assignment(&org.alice, assigned.id, today())
        .await
        .expect("again");
    assert_eq!(
        again.acknowledged_statement, acknowledged.acknowledged_statement,
        "what was acknowledged stays as it was shown"
    );
    assert_eq!(again.acknowledged_at, acknowledged.acknowledged_at);
    assert_eq!(actions(&db, "role_assignment.created").await, 1);
    assert_eq!(actions(&db, "role_assignment.acknowledged").await, 1);
    assert_eq!(actions(&db, "mail.queued").await, 1);

    let missing = assignment(Uuid::now_v7(), Uuid::now_v7(), today());
    let mut fields = field_of(store.assign_role(&org.ina, missing, today()).await);
    fields.sort();
    assert_eq!(fields, ["person_id", "role_id"]);
    let mut elsewhere = assignment(risk.id, org.bob.person_id, today());
    elsewhere.scope = AssignmentScope::Unit {
        unit_id: Uuid::now_v7(),
    };
    assert_eq!(
        field_of(store.assign_role(&org.ina, elsewhere, today()).await),
        ["scope.unit_id"]
    );
}

async fn history_answers_who_held_a_role_on_a_day(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let risk = role(store, "Risk treatment owner").await;
    let alices = store
        .assign_role(
            &org.ina,
            assignment(risk.id, org.alice.person_id, days(-100)),
            today(),
        )
        .await
        .expect("Alice");
    let before_start = store
        .end_assignment(&Actor::cli(), alices.id, end(days(-101)), today())
        .await;
    assert_eq!(field_of(before_start), ["ends_on"]);
    let ended = store
        .end_assignment(&Actor::cli(), alices.id, end(days(-50)), today())
        .await
        .expect("ended");
    assert_eq!(ended.state, TenureState::Ended);
    let again = store
        .end_assignment(&Actor::cli(), alices.id, end(days(-40)), today())
        .await;
    conflict_of(again);
    store
        .assign_role(
            &org.ina,
            assignment(risk.id, org.bob.person_id, days(-49)),
            today(),
        )
        .await
        .expect("Bob");

    let holders_on = |day: Date| async move {
        store
            .role_holders(risk.id, day, today())
            .await
            .expect("holders")
            .holders
            .into_iter()
            .map(|a| a.person_name)
            .collect::<Vec<_>>()
    };
    assert_eq!(holders_on(days(-101)).await, Vec::<String>::new());
    assert_eq!(holders_on(days(-60)).await, ["Alice"]);
    assert_eq!(
        holders_on(days(-50)).await,
        ["Alice"],
        "the last day is held"
    );
    assert_eq!(holders_on(days(-49)).await, ["Bob"]);
    assert_eq!(holders_on(today()).await, ["Bob"]);

    let on_day = AssignmentFilter {
        role_id: Some(risk.id),
        on: Some(days(-60)),
        ..AssignmentFilter::default()
    };
    let listed = store
        .list_assignments(&on_day, today(), all())
        .await
        .expect("list");
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].state, TenureState::Ended);
    let everything = store
        .list_assignments(&AssignmentFilter::default(), today(), all())
        .await
        .expect("list");
    assert_eq!(
        everything
            .items
            .iter()
            .map(|a| a.person_name.as_str())
            .collect::<Vec<_>>(),
        ["Bob", "Alice"],
        "latest start first"
    );
    assert!(
        store
            .person_assignments(org.alice.person_id, today())
            .await
            .expect("Alice's")
            .is_empty(),
        "an ended assignment is no longer the person's"
    );
    let names = store
        .current_role_names(&[org.alice.person_id, org.bob.person_id], today())
        .await
        .expect("names");
    assert_eq!(
        names.get(&org.bob.person_id),
        Some(&vec!["Risk treatment owner".into()])
    );
    assert_eq!(names.get(&org.alice.person_id), None);
    assert_eq!(actions(&db, "role_assignment.ended").await, 1);
}

/// Writes a roles rule straight into the table (the SoD store is another part of the issue).
async fn sod_rule(location: &DatabaseLocation, a: Uuid, b: Uuid, rationale: &str) -> Uuid {
    let id = Uuid::now_v7();
    raw_sql(
        location,
        &format!(
            "INSERT INTO sod_rules (id, kind, role_a, role_b, rationale, created_at)
             VALUES ({}, 'roles', {}, {}, '{rationale}', '2026-01-01T00:00:00Z')",
            uuid_sql(location, id),
            uuid_sql(location, a),
            uuid_sql(location, b)
        ),
    )
    .await;
    id
}

/// Writes an exception with its decision straight into the table.
async fn sod_exception(
    location: &DatabaseLocation,
    rule: Uuid,
    person: Uuid,
    decision: &str,
    expires_on: Date,
    decider: &Account,
) -> Uuid {
    let id = Uuid::now_v7();
    let decided_by = if decision == "requested" {
        "NULL".to_owned()
    } else {
        uuid_sql(location, decider.id)
    };
    raw_sql(
        location,
        &format!(
            "INSERT INTO sod_exceptions (id, rule_id, person_id, justification,
                compensating_controls, expires_on, requested_by, requested_at, decision,
                decided_by)
             VALUES ({}, {}, {}, 'Small team', 'Quarterly review', '{expires_on}', {}, 
                '2026-01-01T00:00:00Z', '{decision}', {decided_by})",
            uuid_sql(location, id),
            uuid_sql(location, rule),
            uuid_sql(location, person),
            uuid_sql(location, decider.id),
        ),
    )
    .await;
    id
}

fn uuid_sql(location: &DatabaseLocation, id: Uuid) -> String {
    match location {
        DatabaseLocation::Sqlite(_) => format!("X'{}'", id.simple()),
        DatabaseLocation::Postgres(_) => format!("'{id}'::uuid"),
    }
}

async fn segregation_of_duties_refuses_an_assignment_without_an_approved_exception(db: TestDb) {
    let store = db.store.as_ref();
    let location = &db.location;
    let org = org(store).await;
    let boss = store_account(store, "Bea", &[Role::TopManagement]).await;
    let auditor = role(store, "Audit lead").await;
    let risk = role(store, "Risk treatment owner").await;
    let rule = sod_rule(
        location,
        auditor.id,
        risk.id,
        "auditors must not audit their own risk decisions",
    )
    .await;
    store
        .assign_role(
            &org.ina,
            assignment(risk.id, org.alice.person_id, days(-30)),
            today(),
        )
        .await
        .expect("Alice owns risks");

    let as_auditor = assignment(auditor.id, org.alice.person_id, today());
    let message = conflict_of(
        store
            .assign_role(&org.ina, as_auditor.clone(), today())
            .await,
    );
    for part in [
        "Alice",
        "'Audit lead'",
        "'Risk treatment owner'",
        "auditors must not audit their own risk decisions",
        "exception",
    ] {
        assert!(message.contains(part), "{part} missing from: {message}");
    }

    let requested = sod_exception(
        location,
        rule,
        org.alice.person_id,
        "requested",
        days(90),
        &boss,
    )
    .await;
    let rejected = sod_exception(
        location,
        rule,
        org.alice.person_id,
        "rejected",
        days(90),
        &boss,
    )
    .await;
    let expired = sod_exception(
        location,
        rule,
        org.alice.person_id,
        "approved",
        days(-1),
        &boss,
    )
    .await;
    let bobs = sod_exception(
        location,
        rule,
        org.bob.person_id,
        "approved",
        days(90),
        &boss,
    )
    .await;
    for not_covering in [requested, rejected, expired, bobs] {
        let attempt = AssignmentInput {
            sod_exception_id: Some(not_covering),
            ..as_auditor.clone()
        };
        conflict_of(store.assign_role(&org.ina, attempt, today()).await);
    }
    let unknown = AssignmentInput {
        sod_exception_id: Some(Uuid::now_v7()),
        ..as_auditor.clone()
    };
    assert_eq!(
        field_of(store.assign_role(&org.ina, unknown, today()).await),
        ["sod_exception_id"]
    );
    assert_eq!(
        actions(&db, "role_assignment.created").await,
        1,
        "nothing written"
    );

    let approved = sod_exception(
        location,
        rule,
        org.alice.person_id,
        "approved",
        days(90),
        &boss,
    )
    .await;
    let covered = AssignmentInput {
        sod_exception_id: Some(approved),
        ..as_auditor
    };
    store
        .assign_role(&org.ina, covered, today())
        .await
        .expect("an approved exception covers it");

    let bobs_risk = store
        .assign_role(
            &org.ina,
            assignment(risk.id, org.bob.person_id, days(-60)),
            today(),
        )
        .await
        .expect("Bob owned risks");
    store
        .end_assignment(&Actor::cli(), bobs_risk.id, end(days(-1)), today())
        .await
        .expect("until yesterday");
    store
        .assign_role(
            &org.ina,
            assignment(auditor.id, org.bob.person_id, today()),
            today(),
        )
        .await
        .expect("a role given up before the start is no conflict");

    store
        .assign_role(&org.ina, assignment(risk.id, org.carl, days(10)), today())
        .await
        .expect("Carl owns risks from next week");
    let overlapping = store
        .assign_role(&org.ina, assignment(auditor.id, org.carl, today()), today())
        .await;
    conflict_of(overlapping);
    let mut before = assignment(auditor.id, org.carl, days(-20));
    before.ends_on = Some(days(9));
    store
        .assign_role(&org.ina, before, today())
        .await
        .expect("an audit stint that ends before the risk role starts");
}

async fn a_role_grants_its_tool_role_only_while_it_is_held(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let mut chief = role_input("Managing director", RoleCategory::TopManagement);
    chief.grants = Some(Role::TopManagement);
    let chief = store.create_role(&Actor::cli(), chief).await.expect("role");
    let admin = store_account(store, "Ada", &[Role::Admin]).await;
    let by_isms = store
        .assign_role(
            &org.ina,
            assignment(chief.id, org.alice.person_id, today()),
            today(),
        )
        .await;
    assert!(
        matches!(by_isms, Err(StoreError::Forbidden(_))),
        "an ISMS manager cannot hand out top management: {by_isms:?}"
    );
    let to_self = store
        .assign_role(
            &admin,
            assignment(chief.id, admin.person_id, today()),
            today(),
        )
        .await;
    assert!(
        matches!(to_self, Err(StoreError::Forbidden(_))),
        "nobody grants themselves a tool role: {to_self:?}"
    );
    let started = OffsetDateTime::now_utc();
    let session = SessionRecord {
        token_hash: "alice-session".into(),
        account_id: org.alice.id,
        csrf_token: "csrf".into(),
        created_at: started,
        last_seen_at: started,
        expires_at: started + Duration::hours(12),
    };
    store.start_session(&session).await.expect("session");
    let session_roles = || async {
        store
            .session_with_account("alice-session")
            .await
            .expect("read")
            .expect("found")
            .1
            .effective_roles()
    };
    assert_eq!(session_roles().await, [Role::Staff]);

    let mut held_before = assignment(chief.id, org.alice.person_id, days(-30));
    held_before.ends_on = Some(days(-10));
    store
        .assign_role(&admin, held_before, today())
        .await
        .expect("an earlier term");
    assert_eq!(
        session_roles().await,
        [Role::Staff],
        "ended terms grant nothing"
    );
    let upcoming = assignment(chief.id, org.alice.person_id, days(5));
    let upcoming = store
        .assign_role(&admin, upcoming, today())
        .await
        .expect("a later term");
    assert_eq!(session_roles().await, [Role::Staff], "nor do later ones");
    store
        .end_assignment(&Actor::cli(), upcoming.id, end(days(6)), today())
        .await
        .expect("short");

    let term = store
        .assign_role(
            &admin,
            assignment(chief.id, org.alice.person_id, days(-3)),
            today(),
        )
        .await
        .expect("assigned");
    let alice = store.account(org.alice.id).await.expect("account");
    assert_eq!(
        alice.roles,
        [Role::Staff],
        "the account's own roles unchanged"
    );
    assert_eq!(alice.granted_roles, [Role::TopManagement]);
    let mut both = vec![Role::Staff, Role::TopManagement];
    both.sort();
    assert_eq!(session_roles().await, both);
    let listed = store.list_accounts().await.expect("accounts");
    let listed_alice = listed.iter().find(|a| a.id == org.alice.id).expect("Alice");
    assert_eq!(listed_alice, &alice);
    assert_eq!(listed.len(), 4, "one entry per account");

    let communication = CommunicationInput {
        audience: CampaignAudience::Everyone,
        channel: Channel::Meeting,
        communicated_on: today(),
        subject: "Why security matters".into(),
        body: "Said at the all-hands.".into(),
        link: None,
        send_email: false,
    };
    store
        .record_communication(&alice, communication.clone(), today())
        .await
        .expect("top management through the role, re-read when deciding");

    store
        .end_assignment(&Actor::cli(), term.id, end(days(-1)), today())
        .await
        .expect("ended yesterday");
    assert_eq!(session_roles().await, [Role::Staff]);
    assert!(
        store
            .account(org.alice.id)
            .await
            .expect("account")
            .granted_roles
            .is_empty()
    );
    let refused = store
        .record_communication(&alice, communication, today())
        .await;
    assert!(is_forbidden(&refused), "{refused:?}");

    store
        .assign_role(
            &admin,
            assignment(chief.id, org.bob.person_id, days(-3)),
            today(),
        )
        .await
        .expect("Bob");
    let mut departed = person_input("Bob", "bob@example.com");
    departed.status = PersonStatus::Departed;
    departed.departed_on = Some(today());
    store
        .update_person(&Actor::cli(), org.bob.person_id, departed, today())
        .await
        .expect("departed");
    assert!(
        store
            .account(org.bob.id)
            .await
            .expect("Bob's account")
            .granted_roles
            .is_empty(),
        "a departed person's roles grant nothing"
    );
}

async fn a_departure_flags_the_roles_still_held_for_handover(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let risk = role(store, "Risk treatment owner").await;
    let asset = role(store, "Laptop fleet owner").await;
    let auditor = role(store, "Audit lead").await;
    let mut past = assignment(auditor.id, org.alice.person_id, days(-90));
    past.ends_on = Some(days(-30));
    let past = store
        .assign_role(&org.ina, past, today())
        .await
        .expect("past");
    let current = store
        .assign_role(
            &org.ina,
            assignment(risk.id, org.alice.person_id, days(-10)),
            today(),
        )
        .await
        .expect("current");
    let upcoming = store
        .assign_role(
            &org.ina,
            assignment(asset.id, org.alice.person_id, days(10)),
            today(),
        )
        .await
        .expect("upcoming");
    let bobs = store
        .assign_role(
            &org.ina,
            assignment(risk.id, org.bob.person_id, days(-10)),
            today(),
        )
        .await
        .expect("Bob");

    let mut renamed = person_input("Alice Ng", "alice@example.com");
    renamed.job_title = "Analyst".into();
    store
        .update_person(&Actor::cli(), org.alice.person_id, renamed.clone(), today())
        .await
        .expect("renamed");
    assert_eq!(actions(&db, "role_assignment.handover_flagged").await, 0);

    let mut departed = renamed;
    departed.status = PersonStatus::Departed;
    departed.departed_on = Some(today());
    store
        .update_person(
            &Actor::cli(),
            org.alice.person_id,
            departed.clone(),
            today(),
        )
        .await
        .expect("departed");
    let flagged = |id: Uuid| async move {
        store
            .get_assignment(id, today())
            .await
            .expect("assignment")
            .handover_flagged_at
            .is_some()
    };
    assert!(flagged(current.id).await && flagged(upcoming.id).await);
    assert!(
        !flagged(past.id).await,
        "an ended assignment needs no handover"
    );
    assert!(!flagged(bobs.id).await);
    assert_eq!(
        store
            .get_assignment(current.id, today())
            .await
            .expect("current")
            .person_status,
        "departed"
    );
    assert_eq!(actions(&db, "role_assignment.handover_flagged").await, 1);

    store
        .update_person(&Actor::cli(), org.alice.person_id, departed, today())
        .await
        .expect("saved again");
    assert_eq!(
        actions(&db, "role_assignment.handover_flagged").await,
        1,
        "flagged once"
    );

    let mut bob_left = person_input("Bob", "bob@example.com");
    bob_left.status = PersonStatus::Departed;
    bob_left.departed_on = Some(today());
    let import = PersonWrite {
        id: org.bob.person_id,
        input: bob_left,
        is_new: false,
    };
    store
        .write_people(&Actor::cli(), &[import])
        .await
        .expect("imported");
    assert!(flagged(bobs.id).await, "an import flags too");
    assert_eq!(actions(&db, "role_assignment.handover_flagged").await, 2);
    let refused = store
        .assign_role(
            &org.ina,
            assignment(auditor.id, org.bob.person_id, today()),
            today(),
        )
        .await;
    assert_eq!(
        field_of(refused),
        ["person_id"],
        "a departed person takes no role"
    );
}

async fn the_holder_delegates_a_task_that_ends_by_itself(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let risk = role(store, "Risk treatment owner").await;
    let held = store
        .assign_role(
            &org.ina,
            assignment(risk.id, org.alice.person_id, days(-10)),
            today(),
        )
        .await
        .expect("Alice");
    let task = |delegate: Delegate, ends_on: Date| DelegationInput {
        assignment_id: held.id,
        delegate,
        task: "Keep the risk register up to date".into(),
        starts_on: today(),
        ends_on,
    };
    let to_bob = Delegate::Person {
        person_id: org.bob.person_id,
    };

    let by_bob = store
        .delegate_task(&org.bob, task(to_bob.clone(), days(5)), today())
        .await;
    assert!(is_forbidden(&by_bob), "{by_bob:?}");
    let to_herself = Delegate::Person {
        person_id: org.alice.person_id,
    };
    assert_eq!(
        field_of(
            store
                .delegate_task(&org.alice, task(to_herself, days(5)), today())
                .await
        ),
        ["delegate.person_id"]
    );

    let delegated = store
        .delegate_task(&org.alice, task(to_bob, days(5)), today())
        .await
        .expect("delegated");
    assert_eq!(
        (
            delegated.delegator_name.as_str(),
            delegated.delegate_name.as_str(),
            delegated.role_name.as_str(),
            delegated.state,
        ),
        ("Alice", "Bob", "Risk treatment owner", TenureState::Current)
    );
    let provider = Delegate::External {
        provider: "Acme Security Ltd".into(),
    };
    let outsourced = store
        .delegate_task(&org.alice, task(provider, days(20)), today())
        .await
        .expect("outsourced");
    assert_eq!(outsourced.delegate_name, "Acme Security Ltd");

    let later = store
        .get_delegation(delegated.id, days(6))
        .await
        .expect("read");
    assert_eq!(later.state, TenureState::Ended, "ends by itself");
    let in_force = |day: Date| async move {
        store
            .list_delegations(
                &DelegationFilter {
                    delegator_id: Some(org.alice.person_id),
                    in_force_on: Some(day),
                    ..DelegationFilter::default()
                },
                today(),
            )
            .await
            .expect("list")
            .len()
    };
    assert_eq!(in_force(today()).await, 2);
    assert_eq!(in_force(days(6)).await, 1);
    let bobs = store
        .list_delegations(
            &DelegationFilter {
                delegate_id: Some(org.bob.person_id),
                ..DelegationFilter::default()
            },
            today(),
        )
        .await
        .expect("to Bob");
    assert_eq!(bobs, vec![delegated.clone()]);

    let revoked_by_bob = store
        .revoke_delegation(&org.bob, delegated.id, today())
        .await;
    assert!(is_forbidden(&revoked_by_bob), "{revoked_by_bob:?}");
    let revoked = store
        .revoke_delegation(&org.alice, delegated.id, today())
        .await
        .expect("revoked");
    assert!(revoked.revoked_at.is_some());
    assert_eq!(revoked.state, TenureState::Ended);
    conflict_of(
        store
            .revoke_delegation(&org.alice, delegated.id, today())
            .await,
    );
    store
        .revoke_delegation(&org.ina, outsourced.id, today())
        .await
        .expect("an ISMS manager may end it");
    assert_eq!(in_force(today()).await, 0);

    store
        .end_assignment(&Actor::cli(), held.id, end(days(3)), today())
        .await
        .expect("ends in three days");
    let beyond = Delegate::Person {
        person_id: org.bob.person_id,
    };
    assert_eq!(
        field_of(
            store
                .delegate_task(&org.alice, task(beyond, days(5)), today())
                .await
        ),
        ["ends_on"]
    );
    let mut leaving = person_input("Carl", "carl@example.com");
    leaving.status = PersonStatus::Departed;
    leaving.departed_on = Some(today());
    store
        .update_person(&Actor::cli(), org.carl, leaving, today())
        .await
        .expect("Carl left");
    let to_carl = Delegate::Person {
        person_id: org.carl,
    };
    assert_eq!(
        field_of(
            store
                .delegate_task(&org.alice, task(to_carl, days(2)), today())
                .await
        ),
        ["delegate.person_id"]
    );
    assert_eq!(actions(&db, "delegation.created").await, 2);
    assert_eq!(actions(&db, "delegation.revoked").await, 2);
}

async fn competence_evidence_is_recorded_on_the_assignment(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let auditor = role(store, "Audit lead").await;
    let held = store
        .assign_role(
            &org.ina,
            assignment(auditor.id, org.alice.person_id, today()),
            today(),
        )
        .await
        .expect("assigned");
    let certificate = CompetenceEvidenceInput {
        kind: EvidenceKind::Certification,
        description: "ISO/IEC 27001 Lead Auditor".into(),
        obtained_on: days(-400),
        expires_on: Some(days(695)),
    };
    let recorded = store
        .add_competence_evidence(&org.ina, held.id, certificate.clone(), today())
        .await
        .expect("recorded");
    assert!(recorded.is_valid_on(today()));
    let future = CompetenceEvidenceInput {
        obtained_on: days(1),
        ..certificate.clone()
    };
    assert_eq!(
        field_of(
            store
                .add_competence_evidence(&org.ina, held.id, future, today())
                .await
        ),
        ["obtained_on"]
    );
    let nowhere = store
        .add_competence_evidence(&org.ina, Uuid::now_v7(), certificate, today())
        .await;
    assert!(
        matches!(nowhere, Err(StoreError::NotFound(_))),
        "{nowhere:?}"
    );
    assert_eq!(
        store.competence_evidence(held.id).await.expect("list"),
        vec![recorded]
    );
    assert_eq!(actions(&db, "competence_evidence.recorded").await, 1);
}

async fn holder_summaries_count_current_holders_and_name_the_first(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let staff = role(store, "Fire warden").await;
    let risk = role(store, "Risk treatment owner").await;
    let vacant = role(store, "Vacant post").await;
    let dan = store_person(store, "Dan").await;
    let eve = store_person(store, "Eve").await;
    for holder in [dan, org.bob.person_id, org.alice.person_id, org.carl, eve] {
        store
            .assign_role(&org.ina, assignment(staff.id, holder, days(-5)), today())
            .await
            .expect("staff");
    }
    let mut second_scope = assignment(staff.id, org.alice.person_id, days(-5));
    second_scope.scope = AssignmentScope::Process {
        name: "Payroll".into(),
    };
    store
        .assign_role(&org.ina, second_scope, today())
        .await
        .expect("Alice twice");
    let mut ended = assignment(risk.id, org.bob.person_id, days(-50));
    ended.ends_on = Some(days(-1));
    store
        .assign_role(&org.ina, ended, today())
        .await
        .expect("ended");
    store
        .assign_role(&org.ina, assignment(risk.id, eve, days(-1)), today())
        .await
        .expect("Eve");
    let mut gone = person_input("Carl", "carl@example.com");
    gone.status = PersonStatus::Departed;
    gone.departed_on = Some(today());
    store
        .update_person(&Actor::cli(), org.carl, gone, today())
        .await
        .expect("Carl left");

    let summaries = store
        .role_holder_summaries(today(), &[staff.id, risk.id, vacant.id])
        .await
        .expect("summaries");
    let only_risk = store
        .role_holder_summaries(today(), &[risk.id])
        .await
        .expect("one role");
    assert_eq!(
        only_risk.keys().collect::<Vec<_>>(),
        [&risk.id],
        "only the roles asked for"
    );
    assert!(
        !summaries.contains_key(&vacant.id),
        "nobody holds the vacant role"
    );
    let staff_holders = &summaries[&staff.id];
    assert_eq!(staff_holders.count, 4, "Alice once, Carl departed");
    assert_eq!(staff_holders.names, ["Alice", "Bob", "Dan"]);
    let risk_holders = &summaries[&risk.id];
    assert_eq!(
        (risk_holders.count, risk_holders.names.clone()),
        (1, vec!["Eve".to_owned()])
    );
}

async fn an_assignment_is_ended_not_extended_and_its_delegations_end_with_it(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let risk = role(store, "Risk treatment owner").await;
    let mut planned = assignment(risk.id, org.alice.person_id, days(-10));
    planned.ends_on = Some(days(60));
    let held = store
        .assign_role(&org.ina, planned, today())
        .await
        .expect("Alice until in two months");
    let task = |starts_on: Date, ends_on: Date| DelegationInput {
        assignment_id: held.id,
        delegate: Delegate::Person {
            person_id: org.bob.person_id,
        },
        task: "Keep the risk register up to date".into(),
        starts_on,
        ends_on,
    };
    let running = store
        .delegate_task(&org.alice, task(today(), days(50)), today())
        .await
        .expect("now to day 50");
    let later = store
        .delegate_task(&org.alice, task(days(40), days(55)), today())
        .await
        .expect("day 40 to 55");

    let longer = store
        .end_assignment(&Actor::cli(), held.id, end(days(90)), today())
        .await;
    assert_eq!(field_of(longer), ["ends_on"], "not extended past its plan");
    store
        .end_assignment(&Actor::cli(), held.id, end(days(20)), today())
        .await
        .expect("ends on day 20");
    let running = store
        .get_delegation(running.id, today())
        .await
        .expect("running");
    assert_eq!(running.ends_on, days(20), "cut back to the role's last day");
    let later = store
        .get_delegation(later.id, today())
        .await
        .expect("later");
    assert!(later.revoked_at.is_some(), "never starts: {later:?}");
}
