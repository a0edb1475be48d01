//! The store contract for policies: the lifecycle and its refusals, the sign-off rule with a
//! quorum, exceptions and their expiry, reviews, and share links, on SQLite and on PostgreSQL.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::policy::{Audience, PolicyFilter, PolicyInput, PolicyKind, Visibility};
use charter::domain::policy_exception::{
    ExceptionDecisionInput, ExceptionFilter, ExceptionInput, ExceptionState,
};
use charter::domain::policy_version::{DraftInput, Transition, VersionStatus};
use charter::domain::{Actor, AuditFilter, PageRequest};
use charter::store::StoreError;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, person_input};

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

async fn account(db: &TestDb, name: &str, roles: &[Role]) -> Account {
    let email = format!("{}@example.com", name.to_lowercase());
    let person = db
        .store
        .create_person(&Actor::cli(), person_input(name, &email), today())
        .await
        .expect("person");
    db.store
        .create_account(&Actor::cli(), person.id, None, roles)
        .await
        .expect("account")
}

fn policy_input(title: &str, kind: PolicyKind, owner: Uuid, quorum: u32) -> PolicyInput {
    PolicyInput {
        title: title.into(),
        kind,
        owner_id: owner,
        approver_role: Role::TopManagement,
        audience: Audience::Everyone,
        review_interval_months: 12,
        visibility: Visibility::Internal,
        visibility_rationale: String::new(),
        quorum,
    }
}

fn draft(body: &str, is_major: bool) -> DraftInput {
    DraftInput {
        body: body.into(),
        is_major,
        change_summary: String::new(),
    }
}

async fn actions_for(db: &TestDb, record_id: Uuid) -> Vec<String> {
    let filter = AuditFilter {
        record_id: Some(record_id.to_string()),
        ..AuditFilter::default()
    };
    let page = db
        .store
        .list_audit_events(&filter, PageRequest::new(Some(1), Some(100)))
        .await
        .expect("events");
    let mut actions: Vec<String> = page.items.into_iter().map(|e| e.action).collect();
    actions.sort();
    actions
}

crate::on_both_backends!(
    a_version_goes_from_draft_to_retired_and_never_back,
    the_sign_off_rule_and_the_quorum_are_enforced_and_recorded,
    there_is_one_top_level_policy_and_titles_are_unique,
    exceptions_are_decided_by_the_approver_role_and_expire,
    reviews_and_share_links_follow_the_published_version,
);

async fn a_version_goes_from_draft_to_retired_and_never_back(db: TestDb) {
    let store = db.store.as_ref();
    let author = account(&db, "Ina", &[Role::IsmsManager]).await;
    let boss = account(&db, "Bea", &[Role::TopManagement]).await;
    let input = policy_input(
        "Access control",
        PolicyKind::TopicSpecific,
        author.person_id,
        1,
    );
    let (policy, v1) = store
        .create_policy(&author, input, draft("# Access\r\n\r\nText  \r\n", false))
        .await
        .expect("created");
    assert_eq!(
        (v1.number.to_string(), v1.status),
        ("1.0".into(), VersionStatus::Draft)
    );
    assert_eq!(v1.body, "# Access\n\nText\n", "stored canonical");
    assert_eq!(
        v1.content_hash,
        charter::document::canonical::content_hash(&v1.body)
    );
    let step = |id, step| store.transition_version(&author, id, step, "", today());
    let refused = step(v1.id, Transition::Publish).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    step(v1.id, Transition::Submit).await.expect("submitted");
    let approved = store
        .transition_version(&boss, v1.id, Transition::Approve, "I approve.", today())
        .await
        .expect("approved");
    assert_eq!(approved.status, VersionStatus::Approved);
    let edit = store
        .update_draft(&author, v1.id, draft("changed", false))
        .await;
    assert!(
        matches!(edit, Err(StoreError::Conflict(_))),
        "approved is immutable: {edit:?}"
    );
    step(v1.id, Transition::Publish).await.expect("published");
    let policy_after = store.get_policy(policy.id).await.expect("policy");
    assert_eq!(policy_after.last_reviewed_on, Some(today()));
    let again = store
        .create_draft(&author, policy.id, draft("# Access\n\nMore\n", false))
        .await;
    let v2 = again.expect("second draft");
    assert_eq!(v2.number.to_string(), "1.1");
    let third = store
        .create_draft(&author, policy.id, draft("x", true))
        .await;
    assert!(
        matches!(third, Err(StoreError::Conflict(_))),
        "one version in preparation"
    );
    let v2 = store
        .update_draft(&author, v2.id, draft("# Access\n\nMore\n", true))
        .await
        .expect("major now");
    assert_eq!(v2.number.to_string(), "2.0");
    step(v2.id, Transition::Submit).await.expect("submitted");
    store
        .transition_version(&boss, v2.id, Transition::Approve, "Approved.", today())
        .await
        .expect("approved");
    step(v2.id, Transition::Publish).await.expect("published");
    assert_eq!(
        store.get_version(v1.id).await.expect("v1").status,
        VersionStatus::Superseded
    );
    let in_force = store
        .published_version(policy.id)
        .await
        .expect("read")
        .expect("one");
    assert_eq!(in_force.id, v2.id);
    step(v2.id, Transition::Retire).await.expect("retired");
    let republish = step(v2.id, Transition::Publish).await;
    assert!(
        matches!(republish, Err(StoreError::Conflict(_))),
        "{republish:?}"
    );
    assert!(
        store
            .published_version(policy.id)
            .await
            .expect("read")
            .is_none()
    );
    let actions = actions_for(&db, v2.id).await;
    for action in [
        "drafted",
        "edited",
        "submitted",
        "signed_off",
        "approved",
        "published",
        "retired",
    ] {
        assert!(
            actions.contains(&format!("policy_version.{action}")),
            "{action}: {actions:?}"
        );
    }
    assert!(
        actions_for(&db, v1.id)
            .await
            .contains(&"policy_version.superseded".to_owned())
    );
}

async fn the_sign_off_rule_and_the_quorum_are_enforced_and_recorded(db: TestDb) {
    let store = db.store.as_ref();
    let author = account(&db, "Ann", &[Role::IsmsManager, Role::TopManagement]).await;
    let submitter = account(&db, "Sam", &[Role::IsmsManager, Role::TopManagement]).await;
    let staff = account(&db, "Stu", &[Role::Staff]).await;
    let first = account(&db, "Fay", &[Role::TopManagement]).await;
    let second = account(&db, "Gus", &[Role::TopManagement]).await;
    let input = policy_input(
        "Information security policy",
        PolicyKind::TopLevel,
        author.person_id,
        2,
    );
    let (_, version) = store
        .create_policy(&author, input, draft("# Policy\n", false))
        .await
        .expect("created");
    store
        .transition_version(&submitter, version.id, Transition::Submit, "", today())
        .await
        .expect("submitted");
    let decide = |who: &Account, step| {
        let who = who.clone();
        async move {
            store
                .transition_version(&who, version.id, step, "I approve.", today())
                .await
        }
    };
    for (who, why) in [
        (&author, "author"),
        (&submitter, "submitter"),
        (&staff, "staff"),
    ] {
        let refused = decide(who, Transition::Approve).await;
        assert!(
            matches!(refused, Err(StoreError::Forbidden(_))),
            "{why}: {refused:?}"
        );
    }
    let unsigned = store
        .transition_version(&first, version.id, Transition::Approve, "  ", today())
        .await;
    assert!(
        matches!(unsigned, Err(StoreError::Invalid(_))),
        "a statement is required"
    );
    let one = decide(&first, Transition::Approve)
        .await
        .expect("first sign-off");
    assert_eq!(one.status, VersionStatus::InReview, "quorum of two");
    let twice = decide(&first, Transition::Approve).await;
    assert!(
        matches!(twice, Err(StoreError::Forbidden(_))),
        "once per round"
    );
    let rejected = store
        .transition_version(
            &second,
            version.id,
            Transition::Reject,
            "Scope is vague",
            today(),
        )
        .await
        .expect("rejected");
    assert_eq!(rejected.status, VersionStatus::Draft);
    store
        .add_comment(&second, version.id, "Name the sites in scope.")
        .await
        .expect("commented");
    for step in [Transition::Submit, Transition::Withdraw, Transition::Submit] {
        store
            .transition_version(&submitter, version.id, step, "", today())
            .await
            .expect("resubmitted");
    }
    decide(&first, Transition::Approve)
        .await
        .expect("round two, first");
    let done = decide(&second, Transition::Approve)
        .await
        .expect("round two, second");
    assert_eq!(done.status, VersionStatus::Approved);
    assert_eq!(done.review_round, 3, "submitted three times");
    let decisions = store
        .version_decisions(version.id)
        .await
        .expect("decisions");
    assert_eq!(decisions.len(), 4);
    assert!(decisions.iter().all(|d| d.held_role == Role::TopManagement));
    assert!(
        decisions
            .iter()
            .all(|d| d.content_hash == version.content_hash)
    );
    assert_eq!(decisions.iter().filter(|d| !d.approved).count(), 1);
    let actions = actions_for(&db, version.id).await;
    for action in ["rejected", "withdrawn", "commented"] {
        let action = format!("policy_version.{action}");
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

async fn there_is_one_top_level_policy_and_titles_are_unique(db: TestDb) {
    let store = db.store.as_ref();
    let author = account(&db, "Ina", &[Role::IsmsManager]).await;
    let top = policy_input(
        "Information security policy",
        PolicyKind::TopLevel,
        author.person_id,
        1,
    );
    store
        .create_policy(&author, top, draft("a", false))
        .await
        .expect("first");
    let second = policy_input("Another top", PolicyKind::TopLevel, author.person_id, 1);
    let refused = store
        .create_policy(&author, second, draft("a", false))
        .await;
    let Err(StoreError::Invalid(errors)) = refused else {
        panic!("{refused:?}")
    };
    assert!(errors.get("kind").is_some());
    let same = policy_input(
        "INFORMATION security policy",
        PolicyKind::TopicSpecific,
        author.person_id,
        1,
    );
    let Err(StoreError::Invalid(errors)) =
        store.create_policy(&author, same, draft("a", false)).await
    else {
        panic!("duplicate title accepted")
    };
    assert!(errors.get("title").is_some());
    let ghost = policy_input("Ghost", PolicyKind::TopicSpecific, Uuid::now_v7(), 1);
    let Err(StoreError::Invalid(errors)) =
        store.create_policy(&author, ghost, draft("a", false)).await
    else {
        panic!("unknown owner accepted")
    };
    assert!(errors.get("owner_id").is_some());
    let listed = store
        .list_policies(
            &PolicyFilter::default(),
            today(),
            PageRequest::new(None, None),
        )
        .await
        .expect("list");
    assert_eq!(listed.total, 1, "nothing half-written");
}

async fn exceptions_are_decided_by_the_approver_role_and_expire(db: TestDb) {
    let store = db.store.as_ref();
    let author = account(&db, "Ina", &[Role::IsmsManager]).await;
    let requester = account(&db, "Rex", &[Role::Staff, Role::TopManagement]).await;
    let boss = account(&db, "Bea", &[Role::TopManagement]).await;
    let input = policy_input(
        "Cryptography",
        PolicyKind::TopicSpecific,
        author.person_id,
        1,
    );
    let (policy, _) = store
        .create_policy(&author, input, draft("a", false))
        .await
        .expect("policy");
    let expiry = today() + Duration::days(30);
    let request = ExceptionInput {
        scope: "Partner SFTP".into(),
        justification: "Partner supports only an old cipher".into(),
        risk: "Weak transport encryption".into(),
        compensating_controls: "IP allow-list".into(),
        requested_expiry: expiry,
        renewal_of: None,
    };
    let exception = store
        .request_exception(&requester, policy.id, request, today())
        .await
        .expect("requested");
    assert_eq!(exception.state, ExceptionState::Requested);
    let approve = ExceptionDecisionInput {
        approve: true,
        note: String::new(),
        expires_on: None,
    };
    for who in [&requester, &author] {
        let refused = store
            .decide_exception(who, exception.id, approve.clone(), today())
            .await;
        assert!(
            matches!(refused, Err(StoreError::Forbidden(_))),
            "{refused:?}"
        );
    }
    let decided = store
        .decide_exception(&boss, exception.id, approve.clone(), today())
        .await
        .expect("approved");
    assert_eq!(
        (decided.state, decided.expires_on),
        (ExceptionState::Active, Some(expiry))
    );
    let again = store
        .decide_exception(&boss, exception.id, approve, today())
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    let active = ExceptionFilter {
        state: Some(ExceptionState::Active),
        ..Default::default()
    };
    let page = PageRequest::new(None, None);
    assert_eq!(
        store
            .list_exceptions(&active, today(), page)
            .await
            .expect("list")
            .total,
        1
    );
    let later = expiry + Duration::days(1);
    assert_eq!(
        store
            .list_exceptions(&active, later, page)
            .await
            .expect("list")
            .total,
        0
    );
    let expired = ExceptionFilter {
        state: Some(ExceptionState::Expired),
        ..Default::default()
    };
    let listed = store
        .list_exceptions(&expired, later, page)
        .await
        .expect("list");
    assert_eq!(
        listed.items[0].state,
        ExceptionState::Expired,
        "inactive by itself"
    );
    let summaries = store
        .list_policies(&PolicyFilter::default(), today(), page)
        .await
        .expect("summaries");
    assert_eq!(summaries.items[0].active_exceptions, 1);
    let actions = actions_for(&db, exception.id).await;
    assert_eq!(
        actions,
        vec!["policy_exception.approved", "policy_exception.requested"]
    );
}

async fn reviews_and_share_links_follow_the_published_version(db: TestDb) {
    let store = db.store.as_ref();
    let author = account(&db, "Ina", &[Role::IsmsManager]).await;
    let boss = account(&db, "Bea", &[Role::TopManagement]).await;
    let mut input = policy_input(
        "Supplier security",
        PolicyKind::TopicSpecific,
        author.person_id,
        1,
    );
    let (policy, version) = store
        .create_policy(&author, input.clone(), draft("# Suppliers\n", false))
        .await
        .expect("policy");
    let early = store.record_review(&boss, policy.id, "fine", today()).await;
    assert!(
        matches!(early, Err(StoreError::Conflict(_))),
        "nothing in force yet"
    );
    let expires = OffsetDateTime::now_utc() + Duration::days(7);
    let internal = store
        .create_share_link(&author, policy.id, "Acme", expires, &"a".repeat(64))
        .await;
    assert!(
        matches!(internal, Err(StoreError::Conflict(_))),
        "internal is never shared"
    );
    input.visibility = Visibility::Restricted;
    store
        .update_policy(&author, policy.id, input)
        .await
        .expect("restricted");
    let link = store
        .create_share_link(
            &author,
            policy.id,
            "Acme due diligence",
            expires,
            &"b".repeat(64),
        )
        .await
        .expect("link");
    assert!(
        store
            .open_share_link(&"b".repeat(64), "198.51.100.7")
            .await
            .expect("open")
            .is_none(),
        "draft only"
    );
    store
        .transition_version(&author, version.id, Transition::Submit, "", today())
        .await
        .expect("submit");
    store
        .transition_version(&boss, version.id, Transition::Approve, "Yes.", today())
        .await
        .expect("approve");
    store
        .transition_version(&author, version.id, Transition::Publish, "", today())
        .await
        .expect("publish");
    let opened = store
        .open_share_link(&"b".repeat(64), "198.51.100.7")
        .await
        .expect("open");
    let opened = opened.expect("restricted and published");
    assert_eq!(
        (opened.version.id, opened.approvers.clone()),
        (version.id, vec!["Bea".to_owned()])
    );
    assert!(
        store
            .open_share_link(&"c".repeat(64), "198.51.100.7")
            .await
            .expect("open")
            .is_none()
    );
    assert!(
        store.public_policies().await.expect("public").is_empty(),
        "restricted is not public"
    );
    let links = store.list_share_links(policy.id).await.expect("links");
    assert_eq!(links[0].access_count, 1);
    store
        .revoke_share_link(&author, link.id)
        .await
        .expect("revoked");
    assert!(
        store
            .open_share_link(&"b".repeat(64), "198.51.100.7")
            .await
            .expect("open")
            .is_none()
    );
    assert!(
        actions_for(&db, policy.id)
            .await
            .contains(&"policy_share_link.opened".to_owned())
    );
    let later = today() + Duration::days(400);
    let overdue = PolicyFilter {
        overdue: true,
        ..Default::default()
    };
    let page = PageRequest::new(None, None);
    assert_eq!(
        store
            .list_policies(&overdue, later, page)
            .await
            .expect("list")
            .total,
        1
    );
    let review = store
        .record_review(&boss, policy.id, "Still right", later)
        .await
        .expect("review");
    assert_eq!(review.reviewed_on, later);
    assert_eq!(
        store
            .list_policies(&overdue, later, page)
            .await
            .expect("list")
            .total,
        0
    );
    assert_eq!(
        store.list_reviews(policy.id).await.expect("reviews").len(),
        1
    );
}
