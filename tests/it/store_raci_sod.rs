//! The store contract for the standard catalog, RACI, segregation of duties, escalation paths and
//! the gaps in role allocation, on both databases.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::assignment::{
    Assignment, AssignmentInput, AssignmentScope, CompetenceEvidenceInput, EvidenceKind,
};
use charter::domain::escalation::{EscalationPathInput, Matter};
use charter::domain::raci::{ActivityInput, Duty, RaciCell};
use charter::domain::role::{OrgRole, OrgRoleFilter, OrgRoleInput, RoleCategory};
use charter::domain::sod::{
    SodConflict, SodExceptionDecisionInput, SodExceptionInput, SodExceptionState, SodRuleInput,
};
use charter::domain::standard_catalog;
use charter::domain::{Actor, AuditFilter, PageRequest, PersonStatus};
use charter::store::{Store, StoreError};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, person_input, store_account, store_person};

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn days(n: i64) -> Date {
    today() + Duration::days(n)
}

async fn depart(store: &dyn Store, id: Uuid, name: &str) {
    let mut input = person_input(name, &format!("{}@example.com", name.to_lowercase()));
    input.status = PersonStatus::Departed;
    input.departed_on = Some(today());
    store
        .update_person(&Actor::cli(), id, input, today())
        .await
        .expect("departed");
}

async fn catalog_role(store: &dyn Store, name: &str) -> OrgRole {
    store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("the catalog has {name}"))
}

async fn custom_role(store: &dyn Store, name: &str) -> Uuid {
    let input = OrgRoleInput {
        name: name.into(),
        category: RoleCategory::Custom,
        purpose: String::new(),
        responsibilities: vec![format!("Do what {name} does")],
        authorities: vec![format!("Decide what {name} decides")],
        competence: String::new(),
        required: false,
        critical: false,
        conformance_owner: false,
        performance_reporter: false,
        grants: None,
    };
    store
        .create_role(&Actor::cli(), input)
        .await
        .expect("role")
        .id
}

async fn activity(store: &dyn Store, name: &str) -> Uuid {
    let input = ActivityInput {
        name: name.into(),
        description: String::new(),
    };
    store
        .create_activity(&Actor::cli(), input)
        .await
        .expect("activity")
        .id
}

/// Assigns `role` to `person` from `starts_on` (until `ends_on`), as `by`.
async fn assign_during(
    store: &dyn Store,
    by: &Account,
    role: Uuid,
    person: Uuid,
    starts_on: Date,
    ends_on: Option<Date>,
    deputy: bool,
) -> Assignment {
    let input = AssignmentInput {
        role_id: role,
        person_id: person,
        scope: AssignmentScope::Organization,
        deputy,
        starts_on,
        ends_on,
        reason: "Named in the roles register".into(),
        sod_exception_id: None,
    };
    store
        .assign_role(by, input, today())
        .await
        .expect("assigned")
}

async fn assign(store: &dyn Store, by: &Account, role: Uuid, person: Uuid) -> Assignment {
    assign_during(store, by, role, person, days(-10), None, false).await
}

async fn actions(db: &TestDb, action: &str) -> usize {
    let filter = AuditFilter {
        action: Some(action.into()),
        ..AuditFilter::default()
    };
    db.store
        .list_audit_events(&filter, PageRequest::new(Some(1), Some(100)))
        .await
        .expect("events")
        .total as usize
}

fn cell(activity_id: Uuid, role_id: Uuid, duty: Duty) -> RaciCell {
    RaciCell {
        activity_id,
        role_id,
        duty,
    }
}

crate::on_both_backends!(
    a_fresh_store_has_the_standard_catalog_once,
    the_matrix_keeps_one_accountable_role_per_activity,
    activities_keep_unique_names_in_order,
    a_duty_rule_finds_whoever_holds_both_duties_today,
    only_an_approved_unexpired_exception_covers_a_violation,
    exceptions_are_decided_by_someone_else_in_top_management,
    rules_are_checked_named_and_removed,
    escalation_paths_name_current_holders_who_have_not_left,
    gaps_in_roles_and_activities,
    gaps_in_assignments_at_their_boundaries,
);

async fn a_fresh_store_has_the_standard_catalog_once(db: TestDb) {
    let store = db.store.as_ref();
    let roles = store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("roles");
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    let expected: Vec<&str> = standard_catalog::ROLES.iter().map(|r| r.name).collect();
    assert_eq!(names, expected, "in catalog order");
    let matrix = store.raci_matrix().await.expect("matrix");
    assert_eq!(matrix.activities.len(), standard_catalog::ACTIVITIES.len());
    assert_eq!(matrix.roles.len(), roles.len());
    for activity in &matrix.activities {
        let accountable = matrix
            .cells
            .iter()
            .filter(|c| c.activity_id == activity.id && c.duty == Duty::Accountable)
            .count();
        assert_eq!(accountable, 1, "{}", activity.name);
    }
    let rules = store.list_sod_rules().await.expect("rules");
    assert_eq!(rules.len(), standard_catalog::SOD_RULES.len());
    assert!(
        rules
            .iter()
            .any(|r| r.side_a == "Accountable for Approving risk treatment"
                && r.side_b == "Responsible for Reviewing and auditing the ISMS"),
        "{rules:?}"
    );
    let paths = store.escalation_paths(today()).await.expect("paths");
    let incident = paths
        .iter()
        .find(|p| p.matter == Matter::SecurityIncident)
        .expect("incident path");
    let steps: Vec<&str> = incident
        .steps
        .iter()
        .map(|s| s.role_name.as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "Incident response lead",
            "Information security manager",
            "Chief executive"
        ]
    );
    assert!(paths.iter().all(|p| !p.steps.is_empty()));
    assert_eq!(actions(&db, "role_catalog.installed").await, 1);

    let again = store
        .install_standard_catalog(&Actor::cli())
        .await
        .expect("install");
    assert!(!again, "a catalog in use is left alone");
    let after = store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("roles");
    assert_eq!(after.len(), roles.len());
    assert_eq!(
        store.list_activities().await.expect("activities").len(),
        matrix.activities.len()
    );
    assert_eq!(actions(&db, "role_catalog.installed").await, 1);
}

async fn the_matrix_keeps_one_accountable_role_per_activity(db: TestDb) {
    let store = db.store.as_ref();
    let act = activity(store, "Reviewing supplier access").await;
    let other = activity(store, "Renewing certificates").await;
    let (owner, manager) = (
        catalog_role(store, "Asset owner").await.id,
        catalog_role(store, "Line manager").await.id,
    );
    let events = actions(&db, "raci.changed").await;

    let two = [
        cell(act, owner, Duty::Accountable),
        cell(act, manager, Duty::Accountable),
    ];
    match store.replace_raci(&Actor::cli(), &[act], &two).await {
        Err(StoreError::Invalid(errors)) => {
            assert!(errors.get(&format!("cells.{act}")).is_some(), "{errors:?}");
        }
        other => panic!("two Accountable roles are refused, got {other:?}"),
    }
    let stray = [cell(other, owner, Duty::Accountable)];
    assert!(matches!(
        store.replace_raci(&Actor::cli(), &[act], &stray).await,
        Err(StoreError::Invalid(_))
    ));
    let unknown_role = [cell(act, Uuid::now_v7(), Duty::Accountable)];
    assert!(matches!(
        store
            .replace_raci(&Actor::cli(), &[act], &unknown_role)
            .await,
        Err(StoreError::Invalid(_))
    ));
    let unknown_activity = Uuid::now_v7();
    assert!(matches!(
        store
            .replace_raci(&Actor::cli(), &[unknown_activity], &[])
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        actions(&db, "raci.changed").await,
        events,
        "refusals write nothing"
    );

    let cells = [
        cell(act, owner, Duty::Accountable),
        cell(act, manager, Duty::Responsible),
    ];
    let matrix = store
        .replace_raci(&Actor::cli(), &[act], &cells)
        .await
        .expect("replaced");
    assert_eq!(matrix.accountable(act), Some(owner));
    assert_eq!(
        matrix.lookup().get(&(act, manager)),
        Some(&Duty::Responsible)
    );
    assert_eq!(actions(&db, "raci.changed").await, events + 1);

    // Replacing the row again swaps the duties; other activities keep theirs.
    let standard_cells = matrix.cells.iter().filter(|c| c.activity_id != act).count();
    let swapped = [
        cell(act, manager, Duty::Accountable),
        cell(act, owner, Duty::Informed),
    ];
    let matrix = store
        .replace_raci(&Actor::cli(), &[act], &swapped)
        .await
        .expect("replaced");
    assert_eq!(matrix.accountable(act), Some(manager));
    assert_eq!(
        matrix.cells.iter().filter(|c| c.activity_id != act).count(),
        standard_cells
    );
    assert_eq!(store.raci_matrix().await.expect("matrix"), matrix);
}

async fn activities_keep_unique_names_in_order(db: TestDb) {
    let store = db.store.as_ref();
    let first = activity(store, "Testing backups").await;
    let second = activity(store, "Testing restores").await;
    let listed = store.list_activities().await.expect("activities");
    let names: Vec<&str> = listed.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        &names[names.len() - 2..],
        ["Testing backups", "Testing restores"]
    );
    let duplicate = ActivityInput {
        name: " testing BACKUPS ".into(),
        description: String::new(),
    };
    assert!(matches!(
        store.create_activity(&Actor::cli(), duplicate.clone()).await,
        Err(StoreError::Invalid(e)) if e.get("name").is_some()
    ));
    assert!(matches!(
        store
            .update_activity(&Actor::cli(), second, duplicate)
            .await,
        Err(StoreError::Invalid(_))
    ));
    let renamed = ActivityInput {
        name: "Testing backup restores".into(),
        description: "Each quarter".into(),
    };
    let updated = store
        .update_activity(&Actor::cli(), first, renamed)
        .await
        .expect("updated");
    assert_eq!(updated.name, "Testing backup restores");
    assert!(matches!(
        store
            .update_activity(
                &Actor::cli(),
                Uuid::now_v7(),
                ActivityInput {
                    name: "Nobody".into(),
                    description: String::new()
                }
            )
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(actions(&db, "activity.updated").await, 1);
}

async fn a_duty_rule_finds_whoever_holds_both_duties_today(db: TestDb) {
    let store = db.store.as_ref();
    let admin = store_account(store, "Admin", &[Role::Admin]).await;
    let approver = custom_role(store, "Payments approver").await;
    let reviewer = custom_role(store, "Payments reviewer").await;
    let approving = activity(store, "Approving payments").await;
    let reviewing = activity(store, "Reviewing payments").await;
    let (pat, quinn, rosa) = (
        store_person(store, "Pat").await,
        store_person(store, "Quinn").await,
        store_person(store, "Rosa").await,
    );
    assign(store, &admin, approver, pat).await;
    assign(store, &admin, reviewer, pat).await;
    assign(store, &admin, approver, quinn).await;
    // Rosa reviewed until yesterday: not both today.
    assign(store, &admin, approver, rosa).await;
    assign_during(
        store,
        &admin,
        reviewer,
        rosa,
        days(-30),
        Some(days(-1)),
        false,
    )
    .await;
    store
        .replace_raci(
            &Actor::cli(),
            &[approving],
            &[cell(approving, approver, Duty::Accountable)],
        )
        .await
        .expect("replaced");
    store
        .replace_raci(
            &Actor::cli(),
            &[reviewing],
            &[cell(reviewing, reviewer, Duty::Responsible)],
        )
        .await
        .expect("replaced");
    let before = store.sod_violations(today()).await.expect("violations");
    assert!(before.is_empty(), "no rule yet: {before:?}");
    let rule = store
        .create_sod_rule(
            &Actor::cli(),
            SodRuleInput {
                conflict: SodConflict::Duties {
                    activity_a: approving,
                    duty_a: Duty::Accountable,
                    activity_b: reviewing,
                    duty_b: Duty::Responsible,
                },
                rationale: "Whoever approves a payment must not review it".into(),
            },
        )
        .await
        .expect("rule");
    assert_eq!(rule.side_a, "Accountable for Approving payments");
    let violations = store.sod_violations(today()).await.expect("violations");
    assert_eq!(violations.len(), 1, "{violations:?}");
    let v = &violations[0];
    assert_eq!((v.person_id, v.rule_id), (pat, rule.id));
    assert_eq!(v.person_name, "Pat");
    let mut roles = [v.role_a_name.as_str(), v.role_b_name.as_str()];
    roles.sort_unstable();
    assert_eq!(roles, ["Payments approver", "Payments reviewer"]);
    assert_eq!(v.covered_by, None);
    assert!(v.rationale.contains("approves a payment"));

    // Yesterday Rosa held both too.
    let yesterday = store.sod_violations(days(-1)).await.expect("violations");
    let people: Vec<&str> = yesterday.iter().map(|v| v.person_name.as_str()).collect();
    assert_eq!(people, ["Pat", "Rosa"]);

    // One role carrying both duties puts its holder in conflict alone; a departed holder is not
    // listed.
    store
        .replace_raci(
            &Actor::cli(),
            &[reviewing],
            &[
                cell(reviewing, reviewer, Duty::Responsible),
                cell(reviewing, approver, Duty::Responsible),
            ],
        )
        .await
        .expect("replaced");
    depart(store, pat, "Pat").await;
    let violations = store.sod_violations(today()).await.expect("violations");
    let people: Vec<(&str, Uuid, Uuid)> = violations
        .iter()
        .map(|v| (v.person_name.as_str(), v.role_a_id, v.role_b_id))
        .collect();
    assert_eq!(
        people,
        [("Quinn", approver, approver), ("Rosa", approver, approver)]
    );
}

/// Two roles the test declares in conflict after giving both to `people`.
async fn conflict_held_by(store: &dyn Store, admin: &Account, people: &[Uuid]) -> Uuid {
    let buyer = custom_role(store, "Buyer").await;
    let receiver = custom_role(store, "Goods receiver").await;
    for person in people {
        assign(store, admin, buyer, *person).await;
        assign(store, admin, receiver, *person).await;
    }
    store
        .create_sod_rule(
            &Actor::cli(),
            SodRuleInput {
                conflict: SodConflict::Roles {
                    role_a: buyer,
                    role_b: receiver,
                },
                rationale: "Whoever orders goods must not confirm their receipt".into(),
            },
        )
        .await
        .expect("rule")
        .id
}

fn request(rule_id: Uuid, person_id: Uuid, expires_on: Date) -> SodExceptionInput {
    SodExceptionInput {
        rule_id,
        person_id,
        justification: "Only one person in the warehouse until spring".into(),
        compensating_controls: "Monthly review of receipts".into(),
        expires_on,
    }
}

fn approve() -> SodExceptionDecisionInput {
    SodExceptionDecisionInput {
        approve: true,
        note: "Until the second hire".into(),
    }
}

async fn only_an_approved_unexpired_exception_covers_a_violation(db: TestDb) {
    let store = db.store.as_ref();
    let admin = store_account(store, "Admin", &[Role::Admin]).await;
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let bea = store_account(store, "Bea", &[Role::TopManagement]).await;
    let ann = store_person(store, "Ann").await;
    let ben = store_person(store, "Ben").await;
    let cat = store_person(store, "Cat").await;
    let dan = store_person(store, "Dan").await;
    let eve = store_person(store, "Eve").await;
    let rule = conflict_held_by(store, &admin, &[ann, ben, cat, dan, eve]).await;

    let approved = |person, expires_on, asked_on| {
        let ina = ina.clone();
        let bea = bea.clone();
        async move {
            let e = store
                .request_sod_exception(&ina, request(rule, person, expires_on), asked_on)
                .await
                .expect("requested");
            store
                .decide_sod_exception(&bea, e.id, approve(), asked_on)
                .await
                .expect("approved")
                .id
        }
    };
    let ann_exception = approved(ann, days(90), today()).await;
    let dan_exception = approved(dan, today(), days(-20)).await;
    approved(cat, days(-1), days(-20)).await;
    store
        .request_sod_exception(&ina, request(rule, ben, days(30)), today())
        .await
        .expect("requested only");
    let rejected = store
        .request_sod_exception(&ina, request(rule, eve, days(30)), today())
        .await
        .expect("requested");
    store
        .decide_sod_exception(
            &bea,
            rejected.id,
            SodExceptionDecisionInput {
                approve: false,
                note: "Hire a second person".into(),
            },
            today(),
        )
        .await
        .expect("decided");

    let violations = store.sod_violations(today()).await.expect("violations");
    let covered: Vec<(&str, Option<Uuid>)> = violations
        .iter()
        .map(|v| (v.person_name.as_str(), v.covered_by))
        .collect();
    assert_eq!(
        covered,
        [
            ("Ann", Some(ann_exception)),
            ("Ben", None),
            ("Cat", None),
            ("Dan", Some(dan_exception)),
            ("Eve", None),
        ],
        "approved and unexpired (Dan's expires today) cover; requested, expired and rejected do not"
    );
    let tomorrow = store.sod_violations(days(1)).await.expect("violations");
    assert_eq!(
        tomorrow.iter().filter(|v| v.covered_by.is_some()).count(),
        1,
        "Dan's exception lapses after its last day"
    );

    let states: Vec<(String, SodExceptionState)> = store
        .list_sod_exceptions(today())
        .await
        .expect("exceptions")
        .into_iter()
        .map(|e| (e.person_name, e.state))
        .collect();
    assert_eq!(states[0], ("Ben".into(), SodExceptionState::Requested));
    for (name, state) in [
        ("Ann", SodExceptionState::Active),
        ("Cat", SodExceptionState::Expired),
        ("Dan", SodExceptionState::Active),
        ("Eve", SodExceptionState::Rejected),
    ] {
        assert!(states.contains(&(name.into(), state)), "{name}: {states:?}");
    }
}

async fn exceptions_are_decided_by_someone_else_in_top_management(db: TestDb) {
    let store = db.store.as_ref();
    let admin = store_account(store, "Admin", &[Role::Admin]).await;
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let bea = store_account(store, "Bea", &[Role::TopManagement]).await;
    let tom = store_account(store, "Tom", &[Role::Staff]).await;
    let ann = store_person(store, "Ann").await;
    let rule = conflict_held_by(store, &admin, &[ann]).await;

    let own = store
        .request_sod_exception(&bea, request(rule, ann, days(60)), today())
        .await
        .expect("requested");
    match store
        .decide_sod_exception(&bea, own.id, approve(), today())
        .await
    {
        Err(StoreError::Forbidden(message)) => {
            assert!(
                message.contains("nobody decides their own request"),
                "{message}"
            );
        }
        other => panic!("the requester cannot decide, got {other:?}"),
    }
    let by_ina = store
        .request_sod_exception(&ina, request(rule, ann, days(60)), today())
        .await
        .expect("requested");
    for outsider in [&ina, &tom] {
        assert!(matches!(
            store
                .decide_sod_exception(outsider, by_ina.id, approve(), today())
                .await,
            Err(StoreError::Forbidden(_))
        ));
    }
    assert_eq!(actions(&db, "sod_exception.approved").await, 0);

    // Nor does the person the exception covers, even in top management.
    let covers_bea = store
        .request_sod_exception(&ina, request(rule, bea.person_id, days(60)), today())
        .await
        .expect("requested for Bea");
    match store
        .decide_sod_exception(&bea, covers_bea.id, approve(), today())
        .await
    {
        Err(StoreError::Forbidden(message)) => {
            assert!(message.contains("covers themselves"), "{message}");
        }
        other => panic!("Bea cannot approve her own conflict, got {other:?}"),
    }

    // Tom becomes chief executive: the catalog role grants top management while he holds it.
    let chief = catalog_role(store, "Chief executive").await;
    assign(store, &admin, chief.id, tom.person_id).await;
    let decided = store
        .decide_sod_exception(&tom, by_ina.id, approve(), today())
        .await
        .expect("the chief executive decides");
    assert_eq!(decided.state, SodExceptionState::Active);
    assert_eq!(decided.decided_by, Some(tom.id));
    assert_eq!(decided.decided_by_name.as_deref(), Some("Tom"));
    assert!(matches!(
        store
            .decide_sod_exception(&bea, by_ina.id, approve(), today())
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(actions(&db, "sod_exception.approved").await, 1);
    assert_eq!(actions(&db, "sod_exception.requested").await, 3);
    let fetched = store
        .get_sod_exception(by_ina.id, today())
        .await
        .expect("exception");
    assert_eq!(fetched, decided);
}

async fn rules_are_checked_named_and_removed(db: TestDb) {
    let store = db.store.as_ref();
    let auditor = catalog_role(store, "Internal auditor").await.id;
    let unknown = SodRuleInput {
        conflict: SodConflict::Roles {
            role_a: auditor,
            role_b: Uuid::now_v7(),
        },
        rationale: "Kept apart".into(),
    };
    assert!(matches!(
        store.create_sod_rule(&Actor::cli(), unknown).await,
        Err(StoreError::Invalid(e)) if e.get("conflict").is_some()
    ));
    let process = catalog_role(store, "Process owner").await.id;
    let rule = store
        .create_sod_rule(
            &Actor::cli(),
            SodRuleInput {
                conflict: SodConflict::Roles {
                    role_a: process,
                    role_b: auditor,
                },
                rationale: "An owner would audit their own process".into(),
            },
        )
        .await
        .expect("rule");
    assert_eq!(
        (rule.side_a.as_str(), rule.side_b.as_str()),
        ("Process owner", "Internal auditor")
    );
    let count = store.list_sod_rules().await.expect("rules").len();
    store
        .remove_sod_rule(&Actor::cli(), rule.id)
        .await
        .expect("removed");
    let rules = store.list_sod_rules().await.expect("rules");
    assert_eq!(rules.len(), count - 1);
    assert!(rules.iter().all(|r| r.id != rule.id));
    assert!(matches!(
        store.remove_sod_rule(&Actor::cli(), rule.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(actions(&db, "sod_rule.created").await, 1);
    assert_eq!(actions(&db, "sod_rule.removed").await, 1);
}

async fn escalation_paths_name_current_holders_who_have_not_left(db: TestDb) {
    let store = db.store.as_ref();
    let admin = store_account(store, "Admin", &[Role::Admin]).await;
    let lead = catalog_role(store, "Incident response lead").await.id;
    let (alma, bo, cy, dee) = (
        store_person(store, "Alma").await,
        store_person(store, "Bo").await,
        store_person(store, "Cy").await,
        store_person(store, "Dee").await,
    );
    assign(store, &admin, lead, alma).await;
    assign(store, &admin, lead, bo).await;
    assign_during(store, &admin, lead, cy, days(-30), Some(days(-1)), false).await;
    assign_during(store, &admin, lead, dee, days(-3), None, true).await;
    depart(store, bo, "Bo").await;

    let paths = store.escalation_paths(today()).await.expect("paths");
    let incident = paths
        .iter()
        .find(|p| p.matter == Matter::SecurityIncident)
        .expect("path");
    let first = &incident.steps[0];
    assert_eq!(first.role_id, lead);
    let contacts: Vec<(&str, bool)> = first
        .contacts
        .iter()
        .map(|c| (c.name.as_str(), c.deputy))
        .collect();
    assert_eq!(contacts, [("Alma", false), ("Dee", true)]);
    assert_eq!(first.contacts[0].email, "alma@example.com");
    assert!(
        incident.steps[1].contacts.is_empty(),
        "nobody is security manager"
    );

    let handler = catalog_role(store, "Concern handler").await.id;
    let input = EscalationPathInput {
        role_ids: vec![lead, handler],
    };
    let path = store
        .set_escalation_path(&Actor::cli(), Matter::PolicyBreach, input, today())
        .await
        .expect("path set");
    let names: Vec<&str> = path.steps.iter().map(|s| s.role_name.as_str()).collect();
    assert_eq!(names, ["Incident response lead", "Concern handler"]);
    assert_eq!(path.steps[0].contacts.len(), 2);
    let unknown = EscalationPathInput {
        role_ids: vec![Uuid::now_v7()],
    };
    assert!(matches!(
        store
            .set_escalation_path(&Actor::cli(), Matter::PolicyBreach, unknown, today())
            .await,
        Err(StoreError::Invalid(_))
    ));
    let again = store.escalation_paths(today()).await.expect("paths");
    let breach = again
        .iter()
        .find(|p| p.matter == Matter::PolicyBreach)
        .expect("path");
    assert_eq!(breach, &path);
    assert_eq!(actions(&db, "escalation_path.changed").await, 1);
}

async fn gaps_in_roles_and_activities(db: TestDb) {
    let store = db.store.as_ref();
    let admin = store_account(store, "Admin", &[Role::Admin]).await;
    let chief = catalog_role(store, "Chief executive").await;
    let manager = catalog_role(store, "Information security manager").await;
    let risk = catalog_role(store, "Risk owner").await;
    let gaps = store.role_gaps(today()).await.expect("gaps");
    let vacant: Vec<&str> = gaps
        .vacant_required
        .iter()
        .map(|g| g.role_name.as_str())
        .collect();
    let required: Vec<&str> = standard_catalog::ROLES
        .iter()
        .filter(|r| r.required)
        .map(|r| r.name)
        .collect();
    assert_eq!(vacant, required, "a fresh catalog is all vacant");
    assert_eq!(
        gaps.named_duties_unassigned,
        ["conformance_owner", "performance_reporter"]
    );
    assert!(gaps.activities_without_accountable.is_empty());
    assert!(gaps.activities_without_responsible.is_empty());
    assert_eq!(
        gaps.accountable_not_held.len(),
        standard_catalog::ACTIVITIES.len()
    );

    let (ceo, ivan, ola, lee) = (
        store_person(store, "Ceo").await,
        store_person(store, "Ivan").await,
        store_person(store, "Ola").await,
        store_person(store, "Lee").await,
    );
    assign(store, &admin, chief.id, ceo).await;
    assign(store, &admin, manager.id, ivan).await;
    // Ola is on leave: holding the role does not fill it.
    let mut leave = person_input("Ola", "ola@example.com");
    leave.status = PersonStatus::OnLeave;
    store
        .update_person(&Actor::cli(), ola, leave, today())
        .await
        .expect("on leave");
    assign(store, &admin, risk.id, ola).await;
    let bare = activity(store, "Watching threat feeds").await;

    let gaps = store.role_gaps(today()).await.expect("gaps");
    let vacant: Vec<Uuid> = gaps.vacant_required.iter().map(|g| g.role_id).collect();
    assert!(!vacant.contains(&chief.id) && !vacant.contains(&manager.id));
    assert!(vacant.contains(&risk.id), "held only by someone on leave");
    assert!(gaps.named_duties_unassigned.is_empty());
    let critical: Vec<Uuid> = gaps
        .critical_without_deputy
        .iter()
        .map(|g| g.role_id)
        .collect();
    assert!(
        critical.contains(&manager.id),
        "a main holder is not a deputy"
    );
    let establishing = &standard_catalog::ACTIVITIES[0];
    assert!(
        !gaps
            .accountable_not_held
            .iter()
            .any(|g| g.activity_name == establishing.name),
        "the chief executive is accountable and held"
    );
    let approving = gaps
        .accountable_not_held
        .iter()
        .find(|g| g.activity_name == "Approving risk treatment")
        .expect("the risk owner is on leave");
    assert_eq!(approving.role_id, Some(risk.id));
    let without: Vec<Uuid> = gaps
        .activities_without_accountable
        .iter()
        .map(|g| g.activity_id)
        .collect();
    assert_eq!(without, [bare]);
    assert_eq!(gaps.activities_without_responsible[0].activity_id, bare);

    assign_during(store, &admin, manager.id, lee, days(-1), None, true).await;
    let gaps = store.role_gaps(today()).await.expect("gaps");
    assert!(
        !gaps
            .critical_without_deputy
            .iter()
            .any(|g| g.role_id == manager.id)
    );
    depart(store, lee, "Lee").await;
    let gaps = store.role_gaps(today()).await.expect("gaps");
    assert!(
        gaps.critical_without_deputy
            .iter()
            .any(|g| g.role_id == manager.id),
        "a departed deputy is no deputy"
    );
    assert_eq!(gaps.departed_holders.total, 1);
    assert_eq!(gaps.departed_holders.items[0].person_id, lee);
}

async fn evidence(store: &dyn Store, by: &Account, assignment: Uuid, expires_on: Date) {
    let input = CompetenceEvidenceInput {
        kind: EvidenceKind::Certification,
        description: "Lead auditor course".into(),
        obtained_on: days(-400),
        expires_on: Some(expires_on),
    };
    store
        .add_competence_evidence(by, assignment, input, today())
        .await
        .expect("evidence");
}

async fn gaps_in_assignments_at_their_boundaries(db: TestDb) {
    let store = db.store.as_ref();
    let admin = store_account(store, "Admin", &[Role::Admin]).await;
    let auditor = catalog_role(store, "Internal auditor").await.id;
    let line = catalog_role(store, "Line manager").await.id;
    let (ada, abe, amy, max, mia, moe) = (
        store_account(store, "Ada", &[Role::Staff]).await,
        store_person(store, "Abe").await,
        store_person(store, "Amy").await,
        store_person(store, "Max").await,
        store_person(store, "Mia").await,
        store_person(store, "Moe").await,
    );
    // Competence: evidence valid through today, expired yesterday, none at all.
    let through_today = assign(store, &admin, auditor, ada.person_id).await;
    evidence(store, &admin, through_today.id, today()).await;
    let lapsed = assign(store, &admin, auditor, abe).await;
    evidence(store, &admin, lapsed.id, days(-1)).await;
    let none = assign(store, &admin, auditor, amy).await;
    // Tenure: ending in 30 days, in 31 days, ended yesterday.
    let in_30 = assign_during(store, &admin, line, max, days(-5), Some(days(30)), false).await;
    assign_during(store, &admin, line, mia, days(-5), Some(days(31)), false).await;
    assign_during(store, &admin, line, moe, days(-5), Some(days(-1)), false).await;

    let gaps = store.role_gaps(today()).await.expect("gaps");
    let lapsed_ids: Vec<(Uuid, Option<Date>)> = gaps
        .lapsed_competence
        .items
        .iter()
        .map(|g| (g.assignment_id, g.on))
        .collect();
    assert_eq!(gaps.lapsed_competence.total, 2);
    assert!(
        lapsed_ids.contains(&(lapsed.id, Some(days(-1)))),
        "{lapsed_ids:?}"
    );
    assert!(lapsed_ids.contains(&(none.id, None)), "{lapsed_ids:?}");
    let ending: Vec<(Uuid, Option<Date>)> = gaps
        .ending_soon
        .items
        .iter()
        .map(|g| (g.assignment_id, g.on))
        .collect();
    assert_eq!(ending, [(in_30.id, Some(days(30)))]);
    assert_eq!(gaps.ending_soon.total, 1);
    // Five current assignments, none acknowledged; Moe's ended.
    assert_eq!(gaps.unacknowledged.total, 5);
    store
        .acknowledge_assignment(&ada, through_today.id, today())
        .await
        .expect("acknowledged");
    let gaps = store.role_gaps(today()).await.expect("gaps");
    assert_eq!(gaps.unacknowledged.total, 4);
    assert!(
        gaps.unacknowledged
            .items
            .iter()
            .all(|g| g.assignment_id != through_today.id)
    );
    // Tomorrow Ada's evidence has lapsed too.
    let tomorrow = store.role_gaps(days(1)).await.expect("gaps");
    assert_eq!(tomorrow.lapsed_competence.total, 3);
}
