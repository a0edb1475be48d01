//! Store tests for management reviews, their decisions and the improvement actions they start
//! (5.1.g), on both databases: the chair is top management on the day and alone signs, once a
//! member of top management attended; the signed record is locked; actions need evidence to be
//! done and change only by their owner or an ISMS manager; overdue starts the day after the due
//! date; every change is in the audit trail.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::assignment::{AssignmentInput, AssignmentScope};
use charter::domain::improvement_action::{
    ActionFilter, ActionProgress, ActionSource, ActionStatus, ImprovementActionInput,
    NewActionFields,
};
use charter::domain::isms_status::{IsmsStatus, period_start};
use charter::domain::review::{
    DecisionInput, DecisionKind, PreviousActions, ReviewInput, ReviewInputs, ReviewPatch,
    ReviewStatus,
};
use charter::domain::role::{OrgRoleInput, RoleCategory};
use charter::domain::{Actor, AuditFilter, PageRequest, PersonStatus};
use charter::store::{Store, StoreError};
use sha2::Digest;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, person_input, store_account};

crate::on_both_backends!(
    the_chair_is_top_management_on_the_day_of_the_review,
    only_the_chair_signs_and_only_once_top_management_attended,
    a_signed_review_is_locked,
    decisions_start_improvement_actions_for_a_draft_only,
    marking_an_action_done_needs_evidence_and_closes_it,
    only_the_owner_or_an_isms_manager_records_progress,
    overdue_starts_the_day_after_the_due_date,
    the_next_review_sees_what_became_of_earlier_actions,
    every_change_is_in_the_audit_trail,
    only_an_isms_manager_cancels_an_action_and_says_why,
    a_departed_person_is_given_no_new_action,
    a_review_is_dated_near_today_and_signed_once_held,
    attendees_are_found_by_email_in_one_lookup,
);

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn days(n: i64) -> Date {
    today() + Duration::days(n)
}

/// Ina prepares (ISMS manager); Bea and Ben hold a top-management role since 200 days ago;
/// Alice and Al are staff.
struct Org {
    ina: Account,
    bea: Account,
    ben: Account,
    alice: Account,
    al: Account,
}

async fn org(store: &dyn Store) -> Org {
    let admin = store_account(store, "Ada", &[Role::Admin]).await;
    let role = OrgRoleInput {
        name: "Managing director".into(),
        category: RoleCategory::TopManagement,
        purpose: "Leads the organization.".into(),
        responsibilities: vec!["Chair the management review".into()],
        authorities: vec!["Approve the ISMS".into()],
        competence: String::new(),
        required: false,
        critical: false,
        conformance_owner: false,
        performance_reporter: false,
        grants: Some(Role::TopManagement),
    };
    let role = store.create_role(&Actor::cli(), role).await.expect("role");
    let org = Org {
        ina: store_account(store, "Ina", &[Role::IsmsManager]).await,
        bea: store_account(store, "Bea", &[Role::Staff]).await,
        ben: store_account(store, "Ben", &[Role::Staff]).await,
        alice: store_account(store, "Alice", &[Role::Staff]).await,
        al: store_account(store, "Al", &[Role::Auditor]).await,
    };
    for person in [org.bea.person_id, org.ben.person_id] {
        let input = AssignmentInput {
            role_id: role.id,
            person_id: person,
            scope: AssignmentScope::Organization,
            deputy: false,
            starts_on: days(-200),
            ends_on: None,
            reason: "Appointed by the board".into(),
            sod_exception_id: None,
        };
        store
            .assign_role(&admin, input, today())
            .await
            .expect("assigned");
    }
    let bea = store.account(org.bea.id).await.expect("Bea");
    let ben = store.account(org.ben.id).await.expect("Ben");
    Org { bea, ben, ..org }
}

fn review(org: &Org, held_on: Date, attendees: &[&Account]) -> ReviewInput {
    ReviewInput {
        title: format!("Management review {held_on}"),
        held_on,
        chair_id: org.bea.person_id,
        attendee_ids: attendees.iter().map(|a| a.person_id).collect(),
        minutes: "## Inputs\n\nDiscussed the objectives.".into(),
    }
}

/// Inputs as a sign-off freezes them (the store does not read them itself).
fn inputs(note: &str) -> ReviewInputs {
    ReviewInputs {
        isms: IsmsStatus {
            as_of: OffsetDateTime::now_utc(),
            period_start: period_start(today()),
            objectives: Vec::new(),
            coverage: None,
            overdue_reviews: Vec::new(),
            actions: Default::default(),
            exceptions: Default::default(),
            concerns: Default::default(),
            role_gaps: Default::default(),
            conformance: Some(note.into()),
        },
        previous_actions: PreviousActions::default(),
    }
}

fn action(owner: &Account, due_on: Date, title: &str) -> NewActionFields {
    NewActionFields {
        title: title.into(),
        description: String::new(),
        owner_id: owner.person_id,
        due_on,
    }
}

fn standalone(owner: &Account, due_on: Date, title: &str) -> ImprovementActionInput {
    ImprovementActionInput {
        fields: action(owner, due_on, title),
        source: ActionSource::AuditFinding,
        decision_id: None,
    }
}

fn invalid_on(result: Result<impl std::fmt::Debug, StoreError>, field: &str) {
    match result {
        Err(StoreError::Invalid(errors)) => {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}")
        }
        other => panic!("expected a refusal of {field}, got {other:?}"),
    }
}

async fn the_chair_is_top_management_on_the_day_of_the_review(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let mut by_staff = review(&org, today(), &[&org.bea]);
    by_staff.chair_id = org.alice.person_id;
    invalid_on(
        store.create_management_review(&org.ina, by_staff).await,
        "chair_id",
    );
    let before_term = review(&org, days(-300), &[&org.bea]);
    invalid_on(
        store.create_management_review(&org.ina, before_term).await,
        "chair_id",
    );
    let mut stranger = review(&org, today(), &[&org.bea]);
    stranger.attendee_ids.push(Uuid::now_v7());
    invalid_on(
        store.create_management_review(&org.ina, stranger).await,
        "attendee_ids",
    );

    let created = store
        .create_management_review(&org.ina, review(&org, days(-10), &[&org.alice, &org.ben]))
        .await
        .expect("created");
    assert_eq!(created.status, ReviewStatus::Draft);
    assert_eq!(created.chair_name, "Bea");
    assert_eq!(created.prepared_by, org.ina.id);
    assert!(created.top_management_present);
    let flags: Vec<(&str, bool)> = created
        .attendees
        .iter()
        .map(|a| (a.name.as_str(), a.top_management))
        .collect();
    assert_eq!(flags, [("Alice", false), ("Ben", true)]);
    let moved = ReviewPatch {
        held_on: Some(days(-250)),
        ..ReviewPatch::default()
    };
    invalid_on(
        store
            .update_management_review(&org.ina, created.id, moved)
            .await,
        "chair_id",
    );
}

async fn only_the_chair_signs_and_only_once_top_management_attended(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let draft = store
        .create_management_review(&org.ina, review(&org, today(), &[&org.alice]))
        .await
        .expect("created");
    assert!(!draft.top_management_present);
    let refused = store
        .sign_management_review(&org.bea, draft.id, &inputs("x"))
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("top management")),
        "no top-management attendee: {refused:?}"
    );
    let with_bea = ReviewPatch {
        attendee_ids: Some(vec![org.alice.person_id, org.bea.person_id]),
        ..ReviewPatch::default()
    };
    store
        .update_management_review(&org.ina, draft.id, with_bea)
        .await
        .expect("attendees");
    for other in [&org.ben, &org.ina, &org.alice] {
        let refused = store
            .sign_management_review(other, draft.id, &inputs("x"))
            .await;
        assert!(
            matches!(refused, Err(StoreError::Forbidden(_))),
            "{} is not the chair: {refused:?}",
            other.name
        );
    }
    let frozen = inputs("the inputs as they stood");
    let signed = store
        .sign_management_review(&org.bea, draft.id, &frozen)
        .await
        .expect("signed by the chair");
    assert_eq!(signed.status, ReviewStatus::Signed);
    assert_eq!(signed.signed_by, Some(org.bea.id));
    assert_eq!(signed.signed_by_name.as_deref(), Some("Bea"));
    assert!(signed.signed_at.is_some());
    let pack = store
        .frozen_review_pack(draft.id)
        .await
        .expect("read")
        .expect("frozen");
    let hash = hex::encode(sha2::Sha256::digest(pack.json.as_bytes()));
    assert_eq!(signed.pack_sha256.as_deref(), Some(hash.as_str()));
    assert_eq!(pack.sha256, hash);
    let read: ReviewInputs = serde_json::from_str(&pack.json).expect("inputs");
    assert_eq!(read, frozen);
}

async fn a_signed_review_is_locked(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let draft = store
        .create_management_review(&org.ina, review(&org, today(), &[&org.bea]))
        .await
        .expect("created");
    let decision = store
        .add_review_decision(
            &org.ina,
            draft.id,
            DecisionInput {
                kind: DecisionKind::Resources,
                text: "No additional resources are needed this year.".into(),
                actions: Vec::new(),
            },
            today(),
        )
        .await
        .expect("decided");
    store
        .sign_management_review(&org.bea, draft.id, &inputs("x"))
        .await
        .expect("signed");
    let locked = |r: Result<_, StoreError>| matches!(r, Err(StoreError::Conflict(_)));
    let patch = ReviewPatch {
        minutes: Some("Rewritten afterwards".into()),
        ..ReviewPatch::default()
    };
    assert!(locked(
        store
            .update_management_review(&org.ina, draft.id, patch)
            .await
            .map(|_| ())
    ));
    let late = DecisionInput {
        kind: DecisionKind::Improvement,
        text: "An afterthought".into(),
        actions: Vec::new(),
    };
    assert!(locked(
        store
            .add_review_decision(&org.ina, draft.id, late, today())
            .await
            .map(|_| ())
    ));
    assert!(locked(
        store
            .sign_management_review(&org.bea, draft.id, &inputs("again"))
            .await
            .map(|_| ())
    ));
    let from_decision = ImprovementActionInput {
        fields: action(&org.alice, days(30), "Late action"),
        source: ActionSource::ManagementReview,
        decision_id: Some(decision.id),
    };
    assert!(locked(
        store
            .create_improvement_action(&org.ina, from_decision, today())
            .await
            .map(|_| ())
    ));
    let after = store.get_management_review(draft.id).await.expect("read");
    assert_eq!(after.minutes, "## Inputs\n\nDiscussed the objectives.");
    assert_eq!(after.decisions.len(), 1);
}

async fn decisions_start_improvement_actions_for_a_draft_only(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let draft = store
        .create_management_review(&org.ina, review(&org, today(), &[&org.bea]))
        .await
        .expect("created");
    let mut unknown_owner = action(&org.alice, days(30), "Nobody's");
    unknown_owner.owner_id = Uuid::now_v7();
    let refused = store
        .add_review_decision(
            &org.ina,
            draft.id,
            DecisionInput {
                kind: DecisionKind::Improvement,
                text: "Improve".into(),
                actions: vec![unknown_owner],
            },
            today(),
        )
        .await;
    invalid_on(refused, "actions[0].owner_id");
    let decision = store
        .add_review_decision(
            &org.ina,
            draft.id,
            DecisionInput {
                kind: DecisionKind::PolicyChange,
                text: "Add remote work to the access control policy.".into(),
                actions: vec![
                    action(&org.alice, days(60), "Draft the remote-work section"),
                    action(&org.ben, days(90), "Approve the new version"),
                ],
            },
            today(),
        )
        .await
        .expect("decided");
    assert_eq!(decision.actions.len(), 2);
    let more = ImprovementActionInput {
        fields: action(&org.alice, days(45), "Brief the managers"),
        source: ActionSource::ManagementReview,
        decision_id: Some(decision.id),
    };
    let added = store
        .create_improvement_action(&org.ina, more, today())
        .await
        .expect("added to the decision");
    assert_eq!(added.review_id, Some(draft.id));
    assert_eq!(added.review_title.as_deref(), Some(draft.title.as_str()));
    let bogus = ImprovementActionInput {
        fields: action(&org.alice, days(45), "Orphan"),
        source: ActionSource::ManagementReview,
        decision_id: Some(Uuid::now_v7()),
    };
    invalid_on(
        store
            .create_improvement_action(&org.ina, bogus, today())
            .await,
        "decision_id",
    );
    let read = store.get_management_review(draft.id).await.expect("read");
    assert_eq!(read.decisions[0].kind, DecisionKind::PolicyChange);
    let titles: Vec<&str> = read.decisions[0]
        .actions
        .iter()
        .map(|a| a.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Brief the managers",
            "Draft the remote-work section",
            "Approve the new version"
        ],
        "by due date"
    );
    let filter = ActionFilter {
        review_id: Some(draft.id),
        source: Some(ActionSource::ManagementReview),
        ..ActionFilter::default()
    };
    let listed = store
        .list_improvement_actions(&filter, today(), PageRequest::default())
        .await
        .expect("list");
    assert_eq!(listed.total, 3);
    assert!(listed.items.iter().all(|a| a.status == ActionStatus::Open));
}

async fn marking_an_action_done_needs_evidence_and_closes_it(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let created = store
        .create_improvement_action(&org.ina, standalone(&org.alice, days(10), "Fix"), today())
        .await
        .expect("created");
    let done = |evidence: Option<&str>| ActionProgress {
        status: Some(ActionStatus::Done),
        evidence: evidence.map(str::to_owned),
    };
    invalid_on(
        store
            .update_improvement_action(&org.alice, created.id, done(None), today())
            .await,
        "evidence",
    );
    invalid_on(
        store
            .update_improvement_action(&org.alice, created.id, done(Some("  ")), today())
            .await,
        "evidence",
    );
    let finished = store
        .update_improvement_action(
            &org.alice,
            created.id,
            done(Some("Restore tested: https://tickets.example/OPS-12")),
            today(),
        )
        .await
        .expect("done");
    assert_eq!(finished.status, ActionStatus::Done);
    assert_eq!(finished.completed_on, Some(today()));
    let reopen = ActionProgress {
        status: Some(ActionStatus::Open),
        evidence: None,
    };
    let refused = store
        .update_improvement_action(&org.ina, created.id, reopen, today())
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
}

async fn only_the_owner_or_an_isms_manager_records_progress(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let created = store
        .create_improvement_action(&org.ina, standalone(&org.alice, days(10), "Fix"), today())
        .await
        .expect("created");
    let started = ActionProgress {
        status: Some(ActionStatus::InProgress),
        evidence: Some("Started".into()),
    };
    for other in [&org.ben, &org.al] {
        let refused = store
            .update_improvement_action(other, created.id, started.clone(), today())
            .await;
        assert!(
            matches!(&refused, Err(StoreError::Forbidden(m)) if m.contains("Alice")),
            "{} does not own it: {refused:?}",
            other.name
        );
    }
    let by_owner = store
        .update_improvement_action(&org.alice, created.id, started, today())
        .await
        .expect("the owner");
    assert_eq!(by_owner.status, ActionStatus::InProgress);
    let by_manager = ActionProgress {
        status: None,
        evidence: Some("Vendor contacted".into()),
    };
    let after = store
        .update_improvement_action(&org.ina, created.id, by_manager, today())
        .await
        .expect("an ISMS manager");
    assert_eq!(after.evidence, "Vendor contacted");
    assert_eq!(after.status, ActionStatus::InProgress);
}

async fn overdue_starts_the_day_after_the_due_date(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    for (due, title) in [(-1, "Yesterday"), (0, "Today"), (1, "Tomorrow")] {
        store
            .create_improvement_action(&org.ina, standalone(&org.alice, days(due), title), today())
            .await
            .expect("created");
    }
    let closed = store
        .create_improvement_action(
            &org.ina,
            standalone(&org.alice, days(-5), "Closed"),
            today(),
        )
        .await
        .expect("created");
    let cancel = ActionProgress {
        status: Some(ActionStatus::Cancelled),
        evidence: Some("Duplicate of another finding".into()),
    };
    store
        .update_improvement_action(&org.ina, closed.id, cancel, today())
        .await
        .expect("cancelled");

    let counts = store
        .action_counts(today(), period_start(today()))
        .await
        .expect("counts");
    assert_eq!((counts.open, counts.overdue, counts.tracked), (3, 1, 4));
    assert_eq!(counts.done_in_period, 0);
    let named: Vec<&str> = counts
        .overdue_actions
        .iter()
        .map(|a| a.title.as_str())
        .collect();
    assert_eq!(named, ["Yesterday"]);
    let tomorrow = store
        .action_counts(days(1), period_start(days(1)))
        .await
        .expect("counts");
    assert_eq!(tomorrow.overdue, 2, "due today is overdue from tomorrow");

    let overdue = ActionFilter {
        overdue: true,
        ..ActionFilter::default()
    };
    let listed = store
        .list_improvement_actions(&overdue, today(), PageRequest::default())
        .await
        .expect("list");
    assert_eq!(listed.total, 1);
    assert!(listed.items[0].overdue);
    let all = store
        .list_improvement_actions(&ActionFilter::default(), today(), PageRequest::default())
        .await
        .expect("list");
    let order: Vec<&str> = all.items.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(order, ["Yesterday", "Today", "Tomorrow", "Closed"]);
}

async fn the_next_review_sees_what_became_of_earlier_actions(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let first = store
        .create_management_review(&org.ina, review(&org, days(-100), &[&org.bea]))
        .await
        .expect("first");
    let decided = DecisionInput {
        kind: DecisionKind::Improvement,
        text: "Test the restores".into(),
        actions: vec![
            action(&org.alice, days(-30), "Test the restore"),
            action(&org.ben, days(30), "Train the service desk"),
        ],
    };
    store
        .add_review_decision(&org.ina, first.id, decided, today())
        .await
        .expect("decided");
    let second = store
        .create_management_review(&org.ina, review(&org, today(), &[&org.bea]))
        .await
        .expect("second");
    let previous = store
        .previous_review_actions(second.id, today())
        .await
        .expect("previous");
    assert_eq!((previous.total, previous.open, previous.overdue), (2, 2, 1));
    assert_eq!(previous.items[0].title, "Test the restore", "overdue first");
    assert!(previous.items[0].overdue);
    assert_eq!(previous.items[0].review_id, first.id);
    let none = store
        .previous_review_actions(first.id, today())
        .await
        .expect("previous");
    assert_eq!(none.total, 0, "its own actions are not earlier ones");
}

async fn every_change_is_in_the_audit_trail(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let draft = store
        .create_management_review(&org.ina, review(&org, today(), &[&org.bea]))
        .await
        .expect("created");
    let patch = ReviewPatch {
        title: Some("Annual management review".into()),
        ..ReviewPatch::default()
    };
    store
        .update_management_review(&org.ina, draft.id, patch)
        .await
        .expect("updated");
    let decision = store
        .add_review_decision(
            &org.ina,
            draft.id,
            DecisionInput {
                kind: DecisionKind::RiskAcceptance,
                text: "Accept the legacy VPN risk until June.".into(),
                actions: vec![action(&org.alice, days(20), "Replace the VPN")],
            },
            today(),
        )
        .await
        .expect("decided");
    store
        .sign_management_review(&org.bea, draft.id, &inputs("x"))
        .await
        .expect("signed");
    let action_id = decision.actions[0].id;
    let done = ActionProgress {
        status: Some(ActionStatus::Done),
        evidence: Some("Replaced".into()),
    };
    store
        .update_improvement_action(&org.alice, action_id, done, today())
        .await
        .expect("done");
    let actions_of = |record_type: &str, id: Uuid| {
        let filter = AuditFilter {
            record_type: Some(record_type.into()),
            record_id: Some(id.to_string()),
            ..AuditFilter::default()
        };
        async move {
            let mut names: Vec<String> = store
                .list_audit_events(&filter, PageRequest::default())
                .await
                .expect("events")
                .items
                .into_iter()
                .map(|e| e.action)
                .collect();
            names.sort();
            names
        }
    };
    assert_eq!(
        actions_of("management_review", draft.id).await,
        [
            "management_review.created",
            "management_review.signed",
            "management_review.updated"
        ]
    );
    assert_eq!(
        actions_of("review_decision", decision.id).await,
        ["review_decision.recorded"]
    );
    assert_eq!(
        actions_of("improvement_action", action_id).await,
        ["improvement_action.created", "improvement_action.done"]
    );
    let signer = format!("account:{}", org.bea.id);
    let filter = AuditFilter {
        action: Some("management_review.signed".into()),
        ..AuditFilter::default()
    };
    let signed = store
        .list_audit_events(&filter, PageRequest::default())
        .await
        .expect("events");
    assert_eq!(signed.items[0].actor, signer);
    assert_eq!(
        store.verify_audit_chain().await.expect("verify").broken,
        None
    );
}

async fn only_an_isms_manager_cancels_an_action_and_says_why(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let created = store
        .create_improvement_action(&org.ina, standalone(&org.alice, days(10), "Fix"), today())
        .await
        .expect("created");
    let cancel = |reason: Option<&str>| ActionProgress {
        status: Some(ActionStatus::Cancelled),
        evidence: reason.map(str::to_owned),
    };
    let by_owner = store
        .update_improvement_action(&org.alice, created.id, cancel(Some("Not needed")), today())
        .await;
    assert!(
        matches!(&by_owner, Err(StoreError::Forbidden(m)) if m.contains("only an ISMS manager")),
        "the owner does not cancel alone: {by_owner:?}"
    );
    let mut claiming = org.alice.clone();
    claiming.roles = vec![Role::IsmsManager];
    let stale = store
        .update_improvement_action(&claiming, created.id, cancel(Some("Not needed")), today())
        .await;
    assert!(
        matches!(stale, Err(StoreError::Forbidden(_))),
        "the roles are read again: {stale:?}"
    );
    let started = ActionProgress {
        status: Some(ActionStatus::InProgress),
        evidence: Some("Vendor contacted".into()),
    };
    store
        .update_improvement_action(&org.alice, created.id, started, today())
        .await
        .expect("the owner still records progress");
    for no_reason in [None, Some("  "), Some("Vendor contacted")] {
        invalid_on(
            store
                .update_improvement_action(&org.ina, created.id, cancel(no_reason), today())
                .await,
            "evidence",
        );
    }
    let cancelled = store
        .update_improvement_action(
            &org.ina,
            created.id,
            cancel(Some("Superseded by the new backup contract")),
            today(),
        )
        .await
        .expect("an ISMS manager cancels, saying why");
    assert_eq!(cancelled.status, ActionStatus::Cancelled);
    assert_eq!(cancelled.evidence, "Superseded by the new backup contract");
    assert_eq!(cancelled.completed_on, Some(today()));
}

async fn a_departed_person_is_given_no_new_action(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let mut gone = person_input("Gus", "gus@example.com");
    gone.status = PersonStatus::Departed;
    gone.departed_on = Some(days(-3));
    let gone = store
        .create_person(&Actor::cli(), gone, today())
        .await
        .expect("departed");
    let mut alone = standalone(&org.alice, days(10), "Fix");
    alone.fields.owner_id = gone.id;
    let refused = store
        .create_improvement_action(&org.ina, alone, today())
        .await;
    match refused {
        Err(StoreError::Invalid(errors)) => {
            let messages = errors.get("owner_id").expect("owner_id").join(" ");
            assert!(messages.contains("departed"), "{messages}");
        }
        other => panic!("a departed owner: {other:?}"),
    }
    let draft = store
        .create_management_review(&org.ina, review(&org, today(), &[&org.bea]))
        .await
        .expect("created");
    let mut theirs = action(&org.alice, days(30), "Theirs");
    theirs.owner_id = gone.id;
    let decided = DecisionInput {
        kind: DecisionKind::Improvement,
        text: "Improve".into(),
        actions: vec![action(&org.alice, days(30), "Alice's"), theirs],
    };
    invalid_on(
        store
            .add_review_decision(&org.ina, draft.id, decided, today())
            .await,
        "actions[1].owner_id",
    );
    let read = store.get_management_review(draft.id).await.expect("read");
    assert!(read.decisions.is_empty(), "nothing was recorded");
}

async fn a_review_is_dated_near_today_and_signed_once_held(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    for far in [days(800), days(-800)] {
        invalid_on(
            store
                .create_management_review(&org.ina, review(&org, far, &[&org.bea]))
                .await,
            "held_on",
        );
    }
    let ahead = store
        .create_management_review(&org.ina, review(&org, days(10), &[&org.bea]))
        .await
        .expect("a review planned for next week");
    let moved = ReviewPatch {
        held_on: Some(days(900)),
        ..ReviewPatch::default()
    };
    invalid_on(
        store
            .update_management_review(&org.ina, ahead.id, moved)
            .await,
        "held_on",
    );
    let early = store
        .sign_management_review(&org.bea, ahead.id, &inputs("x"))
        .await;
    assert!(
        matches!(&early, Err(StoreError::Conflict(m)) if m.contains("signed after it is held")),
        "not yet held: {early:?}"
    );
    let today_patch = ReviewPatch {
        held_on: Some(today()),
        ..ReviewPatch::default()
    };
    store
        .update_management_review(&org.ina, ahead.id, today_patch)
        .await
        .expect("held today");
    store
        .sign_management_review(&org.bea, ahead.id, &inputs("x"))
        .await
        .expect("signed on the day");
}

async fn attendees_are_found_by_email_in_one_lookup(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let alice = store.get_person(org.alice.person_id).await.expect("Alice");
    let emails = vec![
        alice.email.to_uppercase(),
        "nobody@example.com".to_owned(),
        format!(" {} ", org.ben.email),
    ];
    let found = store.people_ids_by_email(&emails).await.expect("found");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found.get(&alice.email.to_lowercase()),
        Some(&org.alice.person_id)
    );
    assert_eq!(
        found.get(&org.ben.email.to_lowercase()),
        Some(&org.ben.person_id)
    );
    assert!(
        store
            .people_ids_by_email(&[])
            .await
            .expect("none")
            .is_empty()
    );
}
