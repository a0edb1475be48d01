//! The store contract: every store method, run on SQLite and on PostgreSQL with the same assertions.

use std::sync::Arc;

use charter::domain::{
    Actor, AuditFilter, OrgProfileInput, PageRequest, PersonFilter, PersonInput, PersonKind,
    PersonStatus, UnitFilter, UnitInput,
};
use charter::store::{PersonWrite, Store, StoreError};
use time::macros::date;
use uuid::Uuid;

use crate::helpers::TestDb;

const TODAY: time::Date = date!(2026 - 11 - 29);

fn person(name: &str, email: &str) -> PersonInput {
    crate::helpers::person_input(name, email)
}

fn unit(name: &str, parent_id: Option<Uuid>) -> UnitInput {
    UnitInput {
        name: name.into(),
        description: String::new(),
        parent_id,
        head_id: None,
    }
}

fn field_error(result: Result<impl std::fmt::Debug, StoreError>, field: &str) -> String {
    match result {
        Err(StoreError::Invalid(fields)) => fields
            .get(field)
            .unwrap_or_else(|| panic!("no error on {field}: {fields:?}"))
            .join(", "),
        other => panic!("expected a validation error on {field}, got {other:?}"),
    }
}

async fn events_for(store: &dyn Store, record_type: &str, id: impl ToString) -> Vec<String> {
    let filter = AuditFilter {
        record_type: Some(record_type.into()),
        record_id: Some(id.to_string()),
        ..Default::default()
    };
    let page = store
        .list_audit_events(&filter, PageRequest::default())
        .await
        .expect("events");
    page.items.into_iter().rev().map(|e| e.action).collect()
}

crate::on_both_backends!(
    migrating_twice_applies_nothing_the_second_time,
    the_organization_profile_round_trips_and_is_audited,
    units_form_a_tree_without_cycles,
    unit_names_are_unique_without_regard_to_case,
    a_person_is_created_read_updated_and_audited,
    emails_are_unique_without_regard_to_case,
    unknown_units_and_managers_are_refused,
    a_manager_cycle_is_refused,
    a_departure_in_the_future_is_refused,
    people_lists_filter_and_paginate,
    a_bulk_write_is_all_or_nothing,
    names_and_counts_answer_for_the_dashboard,
    concurrent_writers_keep_one_unbroken_chain,
    verification_reads_a_long_chain_in_several_ranges,
    filters_find_people_without_a_unit_or_whose_manager_left,
);

async fn migrating_twice_applies_nothing_the_second_time(db: TestDb) {
    assert!(db.store.migrate().await.expect("migrate").is_empty());
    db.store.ping().await.expect("ping");
}

async fn the_organization_profile_round_trips_and_is_audited(db: TestDb) {
    let store = db.store.as_ref();
    assert_eq!(store.organization().await.expect("profile").name, "");
    let input = OrgProfileInput {
        name: "Acme".into(),
        purpose: "Make anvils".into(),
        isms_scope: "All of Acme".into(),
        strategic_themes: vec!["Trust".into(), "Growth".into()],
    };
    let saved = store
        .update_organization(&Actor::cli(), input)
        .await
        .expect("update");
    assert_eq!(saved.strategic_themes, vec!["Trust", "Growth"]);
    assert!(saved.updated_at.is_some());
    assert_eq!(
        store.organization().await.expect("profile").isms_scope,
        "All of Acme"
    );
    assert_eq!(
        events_for(store, "organization", 1).await,
        vec!["organization.updated"]
    );
    let refused = store
        .update_organization(&Actor::cli(), OrgProfileInput::default())
        .await;
    assert_eq!(field_error(refused, "name"), "is required");
}

async fn units_form_a_tree_without_cycles(db: TestDb) {
    let store = db.store.as_ref();
    let root = store
        .create_unit(&Actor::cli(), unit("Company", None))
        .await
        .expect("root");
    let child = store
        .create_unit(&Actor::cli(), unit("Engineering", Some(root.id)))
        .await
        .expect("child");
    let grandchild = store
        .create_unit(&Actor::cli(), unit("Platform", Some(child.id)))
        .await
        .expect("grandchild");
    let cycle = store
        .update_unit(&Actor::cli(), root.id, unit("Company", Some(grandchild.id)))
        .await;
    assert!(field_error(cycle, "parent_id").contains("cycle"));
    let own_parent = store
        .update_unit(&Actor::cli(), root.id, unit("Company", Some(root.id)))
        .await;
    assert!(field_error(own_parent, "parent_id").contains("cycle"));
    let unknown = store
        .create_unit(&Actor::cli(), unit("Ghost", Some(Uuid::now_v7())))
        .await;
    assert_eq!(field_error(unknown, "parent_id"), "is not a known unit");
    let children = store
        .list_units(
            &UnitFilter {
                parent_id: Some(root.id),
                q: None,
            },
            PageRequest::default(),
        )
        .await
        .expect("list");
    assert_eq!(
        children
            .items
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Engineering"]
    );
    assert_eq!(store.all_units().await.expect("all").len(), 3);
    assert_eq!(
        events_for(store, "unit", root.id).await,
        vec!["unit.created"]
    );
    assert!(matches!(
        store.get_unit(Uuid::now_v7()).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn unit_names_are_unique_without_regard_to_case(db: TestDb) {
    let store = db.store.as_ref();
    store
        .create_unit(&Actor::cli(), unit("Finance", None))
        .await
        .expect("first");
    let duplicate = store
        .create_unit(&Actor::cli(), unit("FINANCE", None))
        .await;
    assert!(field_error(duplicate, "name").contains("already"));
}

async fn a_person_is_created_read_updated_and_audited(db: TestDb) {
    let store = db.store.as_ref();
    let engineering = store
        .create_unit(&Actor::cli(), unit("Engineering", None))
        .await
        .expect("unit");
    let boss = store
        .create_person(
            &Actor::cli(),
            person("Grace Hopper", "grace@example.com"),
            TODAY,
        )
        .await
        .expect("boss");
    let mut input = person("  Ada Lovelace ", "Ada@Example.com");
    input.unit_id = Some(engineering.id);
    input.manager_id = Some(boss.id);
    let ada = store
        .create_person(&Actor::cli(), input.clone(), TODAY)
        .await
        .expect("create");
    assert_eq!(ada.name, "Ada Lovelace");
    assert_eq!(store.get_person(ada.id).await.expect("get"), ada);
    input.status = PersonStatus::Departed;
    input.departed_on = Some(date!(2026 - 10 - 01));
    let departed = store
        .update_person(&Actor::cli(), ada.id, input, TODAY)
        .await
        .expect("update");
    assert_eq!(departed.status, PersonStatus::Departed);
    assert_eq!(departed.departed_on, Some(date!(2026 - 10 - 01)));
    assert_eq!(departed.created_at, ada.created_at);
    assert_eq!(
        events_for(store, "person", ada.id).await,
        vec!["person.created", "person.updated"]
    );
    let missing = store
        .update_person(
            &Actor::cli(),
            Uuid::now_v7(),
            person("X", "x@example.com"),
            TODAY,
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound("person"))));
}

async fn emails_are_unique_without_regard_to_case(db: TestDb) {
    let store = db.store.as_ref();
    store
        .create_person(&Actor::cli(), person("Ada", "ada@example.com"), TODAY)
        .await
        .expect("first");
    let duplicate = store
        .create_person(&Actor::cli(), person("Other Ada", "ADA@example.COM"), TODAY)
        .await;
    assert_eq!(
        field_error(duplicate, "email"),
        "is already used by another person"
    );
    let malformed = store
        .create_person(&Actor::cli(), person("Bob", "bob@"), TODAY)
        .await;
    assert_eq!(
        field_error(malformed, "email"),
        "is not a valid email address"
    );
}

async fn unknown_units_and_managers_are_refused(db: TestDb) {
    let mut input = person("Ada", "ada@example.com");
    input.unit_id = Some(Uuid::now_v7());
    input.manager_id = Some(Uuid::now_v7());
    let result = db.store.create_person(&Actor::cli(), input, TODAY).await;
    let Err(StoreError::Invalid(fields)) = result else {
        panic!("expected field errors")
    };
    assert_eq!(
        fields.get("unit_id"),
        Some(&["is not a known unit".to_owned()][..])
    );
    assert_eq!(
        fields.get("manager_id"),
        Some(&["is not a known person".to_owned()][..])
    );
    assert_eq!(
        db.store.org_counts().await.expect("counts").people_active,
        0
    );
}

async fn a_manager_cycle_is_refused(db: TestDb) {
    let store = db.store.as_ref();
    let a = store
        .create_person(&Actor::cli(), person("A", "a@example.com"), TODAY)
        .await
        .expect("a");
    let mut b_input = person("B", "b@example.com");
    b_input.manager_id = Some(a.id);
    let b = store
        .create_person(&Actor::cli(), b_input, TODAY)
        .await
        .expect("b");
    let mut a_input = PersonInput::from_person(&a);
    a_input.manager_id = Some(b.id);
    let cycle = store
        .update_person(&Actor::cli(), a.id, a_input.clone(), TODAY)
        .await;
    assert!(field_error(cycle, "manager_id").contains("cycle"));
    a_input.manager_id = Some(a.id);
    let own = store
        .update_person(&Actor::cli(), a.id, a_input, TODAY)
        .await;
    assert!(field_error(own, "manager_id").contains("own manager"));
}

async fn a_departure_in_the_future_is_refused(db: TestDb) {
    let mut input = person("Ada", "ada@example.com");
    input.status = PersonStatus::Departed;
    input.departed_on = Some(date!(2026 - 12 - 01));
    let result = db.store.create_person(&Actor::cli(), input, TODAY).await;
    assert!(field_error(result, "departed_on").contains("future"));
}

async fn people_lists_filter_and_paginate(db: TestDb) {
    let store = db.store.as_ref();
    let company = store
        .create_unit(&Actor::cli(), unit("Company", None))
        .await
        .expect("unit");
    let team = store
        .create_unit(&Actor::cli(), unit("Team", Some(company.id)))
        .await
        .expect("unit");
    for i in 0..12 {
        let mut input = person(&format!("Person {i:02}"), &format!("p{i}@example.com"));
        input.unit_id = Some(if i % 2 == 0 { team.id } else { company.id });
        input.kind = if i < 3 {
            PersonKind::Contractor
        } else {
            PersonKind::Employee
        };
        store
            .create_person(&Actor::cli(), input, TODAY)
            .await
            .expect("person");
    }
    let page = store
        .list_people(&PersonFilter::default(), PageRequest::new(Some(2), Some(5)))
        .await
        .expect("page");
    assert_eq!(
        (page.total, page.items.len(), page.items[0].name.as_str()),
        (12, 5, "Person 05")
    );
    let below_company = PersonFilter {
        unit_id: Some(company.id),
        ..Default::default()
    };
    assert_eq!(
        store
            .list_people(&below_company, PageRequest::default())
            .await
            .expect("subtree")
            .total,
        12
    );
    let in_team = PersonFilter {
        unit_id: Some(team.id),
        ..Default::default()
    };
    assert_eq!(
        store
            .list_people(&in_team, PageRequest::default())
            .await
            .expect("team")
            .total,
        6
    );
    let contractors = PersonFilter {
        kind: Some(PersonKind::Contractor),
        ..Default::default()
    };
    assert_eq!(
        store
            .list_people(&contractors, PageRequest::default())
            .await
            .expect("kind")
            .total,
        3
    );
    let search = PersonFilter {
        q: Some("P1@EXAMPLE".into()),
        ..Default::default()
    };
    let found = store
        .list_people(&search, PageRequest::default())
        .await
        .expect("search");
    assert_eq!(
        found
            .items
            .iter()
            .map(|p| p.email.as_str())
            .collect::<Vec<_>>(),
        vec!["p1@example.com"]
    );
    let wildcard = PersonFilter {
        q: Some("%".into()),
        ..Default::default()
    };
    assert_eq!(
        store
            .list_people(&wildcard, PageRequest::default())
            .await
            .expect("literal %")
            .total,
        0
    );
    assert_eq!(store.all_people().await.expect("all").len(), 12);
}

async fn a_bulk_write_is_all_or_nothing(db: TestDb) {
    let store = db.store.as_ref();
    let first = PersonWrite {
        id: Uuid::now_v7(),
        input: person("Ada", "ada@example.com"),
        is_new: true,
    };
    let second = PersonWrite {
        id: Uuid::now_v7(),
        input: person("Ada Again", "ADA@example.com"),
        is_new: true,
    };
    // A fresh store holds the event of its standard role catalog.
    let installed = store.org_counts().await.expect("counts").audit_events;
    let failed = store
        .write_people(&Actor::cli(), &[first.clone(), second])
        .await;
    assert!(failed.is_err());
    assert_eq!(store.all_people().await.expect("people").len(), 0);
    assert_eq!(
        store.org_counts().await.expect("counts").audit_events,
        installed
    );
    let mut report = first.clone();
    report.id = Uuid::now_v7();
    report.input = person("Bob", "bob@example.com");
    report.input.manager_id = Some(first.id);
    store
        .write_people(&Actor::cli(), &[report, first])
        .await
        .expect("manager after report in one batch");
    assert_eq!(
        store.org_counts().await.expect("counts").audit_events,
        installed + 2
    );
}

async fn names_and_counts_answer_for_the_dashboard(db: TestDb) {
    let store = db.store.as_ref();
    let installed = store.org_counts().await.expect("counts").audit_events;
    let ada = store
        .create_person(&Actor::cli(), person("Ada", "ada@example.com"), TODAY)
        .await
        .expect("ada");
    let mut input = person("Cy", "cy@example.com");
    input.kind = PersonKind::External;
    input.status = PersonStatus::OnLeave;
    store
        .create_person(&Actor::cli(), input, TODAY)
        .await
        .expect("cy");
    let names = store
        .person_names(&[ada.id, Uuid::now_v7()])
        .await
        .expect("names");
    assert_eq!(names.get(&ada.id).map(String::as_str), Some("Ada"));
    assert_eq!(names.len(), 1);
    let counts = store.org_counts().await.expect("counts");
    assert_eq!(
        (
            counts.people_active,
            counts.people_on_leave,
            counts.contractors_and_externals,
            counts.audit_events - installed
        ),
        (1, 1, 1, 2)
    );
}

async fn concurrent_writers_keep_one_unbroken_chain(db: TestDb) {
    let store: Arc<dyn Store> = db.store.clone();
    let installed = store
        .verify_audit_chain()
        .await
        .expect("verify")
        .events_checked;
    let writers = (0..8).map(|w| {
        let store = store.clone();
        tokio::spawn(async move {
            for i in 0..5 {
                let input = person(&format!("W{w} P{i}"), &format!("w{w}p{i}@example.com"));
                store
                    .create_person(&Actor::cli(), input, TODAY)
                    .await
                    .expect("concurrent create");
            }
        })
    });
    for writer in writers.collect::<Vec<_>>() {
        writer.await.expect("writer");
    }
    let report = store.verify_audit_chain().await.expect("verify");
    assert_eq!(
        (report.events_checked - installed, report.broken),
        (40, None)
    );
}

async fn verification_reads_a_long_chain_in_several_ranges(db: TestDb) {
    let installed = db
        .store
        .verify_audit_chain()
        .await
        .expect("verify")
        .events_checked;
    let batch: Vec<PersonWrite> = (0..20_000)
        .map(|i| PersonWrite {
            id: Uuid::now_v7(),
            input: person(&format!("P{i}"), &format!("p{i}@example.com")),
            is_new: true,
        })
        .collect();
    db.store
        .write_people(&Actor::cli(), &batch)
        .await
        .expect("bulk write");
    let report = db.store.verify_audit_chain().await.expect("verify");
    assert_eq!(
        (report.events_checked - installed, report.broken),
        (20_000, None)
    );
}

async fn filters_find_people_without_a_unit_or_whose_manager_left(db: TestDb) {
    let store = db.store.as_ref();
    let unit_id = store
        .create_unit(&Actor::cli(), unit("Team", None))
        .await
        .expect("unit")
        .id;
    let mut boss = person("Boss", "boss@example.com");
    boss.unit_id = Some(unit_id);
    let boss = store
        .create_person(&Actor::cli(), boss, TODAY)
        .await
        .expect("boss");
    let mut report = person("Report", "report@example.com");
    report.manager_id = Some(boss.id);
    store
        .create_person(&Actor::cli(), report, TODAY)
        .await
        .expect("report");
    let without_unit = PersonFilter {
        without_unit: true,
        ..Default::default()
    };
    let found = store
        .list_people(&without_unit, PageRequest::default())
        .await
        .expect("no unit");
    assert_eq!(
        found
            .items
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Report"]
    );
    let orphaned = PersonFilter {
        manager_departed: true,
        ..Default::default()
    };
    assert_eq!(
        store
            .list_people(&orphaned, PageRequest::default())
            .await
            .expect("orphans")
            .total,
        0
    );
    let mut gone = PersonInput::from_person(&boss);
    gone.status = PersonStatus::Departed;
    gone.departed_on = Some(TODAY);
    store
        .update_person(&Actor::cli(), boss.id, gone, TODAY)
        .await
        .expect("departs");
    let found = store
        .list_people(&orphaned, PageRequest::default())
        .await
        .expect("orphans");
    assert_eq!(
        found
            .items
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Report"]
    );
}
