//! Store tests for the confidential reporting channel: concerns, follow-up codes and the answers (A.6.8).
//!
//! On both databases: what a report keeps (and the columns that could keep anything else), the
//! code kept as a hash only, the same answer for every wrong code, handler-only reads, the
//! conversation and its audit events (with no content and no reporter), the targets at their
//! boundary, the counts, and the limits that name nobody.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::concern::{
    ConcernCategory, ConcernFilter, ConcernInput, ConcernReceipt, ConcernSettingsInput,
    ConcernStatus, MAX_REPLIES_PER_DAY, MessageAuthor, code_hash,
};
use charter::domain::{Actor, AuditEvent, AuditFilter, PageRequest};
use charter::store::concerns::ConcernError;
use charter::store::{DatabaseLocation, Store, StoreError};
use time::{Duration, OffsetDateTime};

use crate::helpers::{TestDb, store_account};

crate::on_both_backends!(
    a_report_keeps_only_what_the_reporter_wrote,
    the_code_opens_the_report_and_every_wrong_code_gets_the_same_answer,
    only_a_concern_handler_reads_answers_or_moves_a_concern,
    the_concern_handler_catalog_role_grants_the_handling,
    the_conversation_runs_both_ways_and_is_audited_without_content,
    receipt_and_response_targets_are_overdue_only_past_their_boundary,
    counts_by_category_and_status_cover_the_period_and_what_is_open,
    the_limits_count_everyone_together_and_replies_per_report,
    a_closed_channel_takes_no_report_but_follow_ups_still_work,
);

/// A Monday at noon, far enough back that the limits of "now" never interfere.
fn t0() -> OffsetDateTime {
    time::macros::datetime!(2025-03-03 12:00 UTC)
}

fn input(category: ConcernCategory, description: &str, contact: Option<&str>) -> ConcernInput {
    ConcernInput {
        category,
        description: description.into(),
        contact: contact.map(str::to_owned),
    }
}

async fn report(store: &dyn Store, description: &str, at: OffsetDateTime) -> ConcernReceipt {
    store
        .report_concern(input(ConcernCategory::PolicyBreach, description, None), at)
        .await
        .expect("reported")
}

async fn handler(store: &dyn Store) -> Account {
    store_account(store, "Hana", &[Role::ConcernHandler]).await
}

async fn events(store: &dyn Store, record_type: &str) -> Vec<AuditEvent> {
    let filter = AuditFilter {
        record_type: Some(record_type.into()),
        ..AuditFilter::default()
    };
    let mut events = store
        .list_audit_events(&filter, PageRequest::new(Some(1), Some(500)))
        .await
        .expect("events")
        .items;
    events.sort_by_key(|e| e.seq);
    events
}

/// The first column of every row `sql` returns, as text.
async fn strings(location: &DatabaseLocation, sql: &str) -> Vec<String> {
    use sqlx::{Connection, Row};
    match location {
        DatabaseLocation::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
            let mut conn = sqlx::SqliteConnection::connect_with(&options)
                .await
                .expect("sqlite");
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_all(&mut conn)
                .await
                .expect("query");
            rows.iter().map(|r| r.get::<String, _>(0)).collect()
        }
        DatabaseLocation::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_all(&mut conn)
                .await
                .expect("query");
            rows.iter().map(|r| r.get::<String, _>(0)).collect()
        }
    }
}

async fn columns(db: &TestDb, table: &str) -> Vec<String> {
    let sql = match db.location {
        DatabaseLocation::Sqlite(_) => {
            format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid")
        }
        DatabaseLocation::Postgres(_) => format!(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = '{table}'
             ORDER BY ordinal_position"
        ),
    };
    strings(&db.location, &sql).await
}

async fn a_report_keeps_only_what_the_reporter_wrote(db: TestDb) {
    let store = db.store.as_ref();
    let receipt = store
        .report_concern(
            input(
                ConcernCategory::Misconduct,
                "  Someone copies the payroll file to a USB stick.  ",
                Some(" call 555-0100 "),
            ),
            t0(),
        )
        .await
        .expect("reported");
    assert_eq!(receipt.received_at, t0());
    assert_eq!(receipt.receipt_due_at, t0() + Duration::days(2));
    assert_eq!(receipt.response_due_at, t0() + Duration::days(7));

    // No column could hold an account, an address, a browser or a session.
    assert_eq!(
        columns(&db, "concerns").await,
        [
            "id",
            "code_hash",
            "category",
            "description",
            "contact",
            "status",
            "received_at",
            "receipt_due_at",
            "response_due_at",
            "acknowledged_at",
            "first_answered_at",
            "closed_at"
        ]
    );
    assert_eq!(
        columns(&db, "concern_messages").await,
        [
            "id",
            "concern_id",
            "author",
            "handler_id",
            "body",
            "sent_at"
        ]
    );
    let kept = strings(
        &db.location,
        "SELECT category || '|' || description || '|' || contact || '|' || code_hash FROM concerns",
    )
    .await;
    let hash = code_hash(&receipt.code);
    assert_eq!(
        kept,
        [format!(
            "misconduct|Someone copies the payroll file to a USB stick.|call 555-0100|{hash}"
        )],
        "the text is trimmed and the code kept as its hash only"
    );
    assert_eq!(hash.len(), 64);
    assert!(!hash.contains(&receipt.code.to_lowercase().replace('-', "")));

    let reported = events(store, "concern").await;
    assert_eq!(reported.len(), 1);
    assert_eq!(reported[0].actor, "anonymous reporter");
    assert_eq!(reported[0].action, "concern.reported");
}

async fn the_code_opens_the_report_and_every_wrong_code_gets_the_same_answer(db: TestDb) {
    let store = db.store.as_ref();
    let receipt = report(store, "The server room door is propped open.", t0()).await;
    assert_eq!(receipt.code.len(), 34, "28 characters in groups of four");
    let typed_loosely = receipt.code.to_lowercase().replace('-', " ");
    let follow_up = store
        .follow_up_concern(&typed_loosely, t0())
        .await
        .expect("the code opens it");
    assert_eq!(
        follow_up.description,
        "The server room door is propped open."
    );
    assert_eq!(follow_up.status, ConcernStatus::Received);
    assert_eq!(follow_up.replies_left_today, MAX_REPLIES_PER_DAY);

    let mut one_off = receipt.code.clone();
    one_off.replace_range(0..1, if one_off.starts_with('A') { "B" } else { "A" });
    for wrong in [
        one_off.as_str(),
        "",
        "not a code",
        &receipt.code[..10],
        &hash_of(&receipt),
    ] {
        let answer = store.follow_up_concern(wrong, t0()).await;
        assert!(
            matches!(answer, Err(StoreError::NotFound("report"))),
            "{wrong:?}: {answer:?}"
        );
        let reply = store.reply_to_concern(wrong, "Hello?", t0()).await;
        assert!(
            matches!(
                reply,
                Err(ConcernError::Store(StoreError::NotFound("report")))
            ),
            "{wrong:?}: {reply:?}"
        );
    }
}

/// The stored hash is no code either.
fn hash_of(receipt: &ConcernReceipt) -> String {
    code_hash(&receipt.code)
}

async fn only_a_concern_handler_reads_answers_or_moves_a_concern(db: TestDb) {
    let store = db.store.as_ref();
    let receipt = report(store, "Phishing mail asked for passwords.", t0()).await;
    let hana = handler(store).await;
    let page = store
        .list_concerns(
            &hana,
            ConcernFilter::default(),
            t0(),
            PageRequest::default(),
        )
        .await
        .expect("the handler lists");
    assert_eq!(page.total, 1);
    let id = page.items[0].id;
    for role in [
        Role::Admin,
        Role::Auditor,
        Role::IsmsManager,
        Role::TopManagement,
        Role::Manager,
        Role::Staff,
    ] {
        let other = store_account(store, &format!("Other{role}"), &[role]).await;
        let refused = |what: &str, result: Result<(), StoreError>| {
            assert!(
                matches!(result, Err(StoreError::Forbidden(_))),
                "{role} must not {what}: {result:?}"
            );
        };
        let filter = ConcernFilter::default();
        let list = store.list_concerns(&other, filter, t0(), PageRequest::default());
        refused("list", list.await.map(drop));
        refused("read", store.get_concern(&other, id, t0()).await.map(drop));
        refused(
            "see overdue",
            store.overdue_concerns(&other, t0()).await.map(drop),
        );
        let answer = store.answer_concern(&other, id, "We are on it.", t0());
        refused("answer", answer.await.map(drop));
        let status = store.set_concern_status(&other, id, ConcernStatus::Closed, t0());
        refused("close", status.await.map(drop));
        let settings = ConcernSettingsInput {
            channel_enabled: false,
            receipt_days: 2,
            response_days: 7,
            reports_per_minute: 30,
        };
        refused(
            "change the settings",
            store
                .update_concern_settings(&other, settings)
                .await
                .map(drop),
        );
    }
    let concern = store.get_concern(&hana, id, t0()).await.expect("read");
    assert_eq!(concern.description, "Phishing mail asked for passwords.");
    assert_eq!(concern.summary.status, ConcernStatus::Received);
    let follow_up = store
        .follow_up_concern(&receipt.code, t0())
        .await
        .expect("open");
    assert!(follow_up.conversation.is_empty(), "nobody answered");
}

async fn the_concern_handler_catalog_role_grants_the_handling(db: TestDb) {
    let store = db.store.as_ref();
    report(store, "Shared admin password on a sticky note.", t0()).await;
    let admin = store_account(store, "Ada", &[Role::Admin]).await;
    let stan = store_account(store, "Stan", &[Role::Staff]).await;
    let filter = ConcernFilter::default();
    let before = store
        .list_concerns(&stan, filter, t0(), PageRequest::default())
        .await;
    assert!(matches!(before, Err(StoreError::Forbidden(_))));
    let roles = store
        .list_roles(&charter::domain::role::OrgRoleFilter::default())
        .await
        .expect("catalog");
    let role = roles
        .iter()
        .find(|r| r.name == "Concern handler")
        .expect("the standard catalog has a concern handler");
    let today = OffsetDateTime::now_utc().date();
    let assignment = charter::domain::assignment::AssignmentInput {
        role_id: role.id,
        person_id: stan.person_id,
        scope: charter::domain::assignment::AssignmentScope::Organization,
        deputy: false,
        starts_on: today,
        ends_on: None,
        reason: "Handles concerns from now on".into(),
        sod_exception_id: None,
    };
    store
        .assign_role(&admin, assignment, today)
        .await
        .expect("assigned");
    let page = store
        .list_concerns(&stan, filter, t0(), PageRequest::default())
        .await
        .expect("the role's holder handles concerns");
    assert_eq!(page.total, 1);
    let after = store
        .list_concerns(&admin, filter, t0(), PageRequest::default())
        .await;
    assert!(
        matches!(after, Err(StoreError::Forbidden(_))),
        "assigning the role gives the admin nothing"
    );
}

async fn the_conversation_runs_both_ways_and_is_audited_without_content(db: TestDb) {
    let store = db.store.as_ref();
    let description = "Visitors badge shared between contractors.";
    let receipt = report(store, description, t0()).await;
    let hana = handler(store).await;
    let id = store
        .list_concerns(
            &hana,
            ConcernFilter::default(),
            t0(),
            PageRequest::default(),
        )
        .await
        .expect("list")
        .items[0]
        .id;
    let answered_at = t0() + Duration::hours(3);
    let answer = "Thank you. Which entrance was it?";
    let concern = store
        .answer_concern(&hana, id, answer, answered_at)
        .await
        .expect("answered");
    assert_eq!(concern.summary.status, ConcernStatus::Acknowledged);
    assert_eq!(concern.summary.acknowledged_at, Some(answered_at));
    assert_eq!(concern.summary.first_answered_at, Some(answered_at));
    assert_eq!(
        concern.conversation[0].handler_name.as_deref(),
        Some("Hana")
    );

    let follow_up = store
        .follow_up_concern(&receipt.code, answered_at)
        .await
        .expect("open");
    assert_eq!(follow_up.conversation.len(), 1);
    assert_eq!(follow_up.conversation[0].author, MessageAuthor::Handler);
    assert_eq!(follow_up.conversation[0].body, answer);
    let reply = "The north entrance, every morning.";
    let replied = store
        .reply_to_concern(&receipt.code, reply, answered_at + Duration::hours(1))
        .await
        .expect("replied");
    assert_eq!(replied.conversation.len(), 2);
    assert_eq!(replied.replies_left_today, MAX_REPLIES_PER_DAY - 1);

    let later = answered_at + Duration::days(1);
    let moved = store
        .set_concern_status(&hana, id, ConcernStatus::InProgress, later)
        .await
        .expect("in progress");
    assert_eq!(moved.summary.status, ConcernStatus::InProgress);
    let back = store
        .set_concern_status(&hana, id, ConcernStatus::Acknowledged, later)
        .await;
    assert!(matches!(back, Err(StoreError::Conflict(_))), "{back:?}");
    store
        .set_concern_status(&hana, id, ConcernStatus::Closed, later)
        .await
        .expect("closed");
    let closed_reply = store
        .reply_to_concern(&receipt.code, "One more thing", later)
        .await;
    assert!(
        matches!(
            closed_reply,
            Err(ConcernError::Store(StoreError::Conflict(_)))
        ),
        "{closed_reply:?}"
    );
    let closed_answer = store.answer_concern(&hana, id, "And another", later).await;
    assert!(matches!(closed_answer, Err(StoreError::Conflict(_))));
    let reopened = store
        .set_concern_status(&hana, id, ConcernStatus::InProgress, later)
        .await
        .expect("reopened");
    assert_eq!(reopened.summary.closed_at, None);

    let trail = events(store, "concern").await;
    let actions: Vec<(&str, &str)> = trail
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    let handler_actor = format!("account:{}", hana.id);
    let h = handler_actor.as_str();
    assert_eq!(
        actions,
        [
            ("concern.reported", "anonymous reporter"),
            ("concern.acknowledged", h),
            ("concern.answered", h),
            ("concern.replied", "anonymous reporter"),
            ("concern.in_progress", h),
            ("concern.closed", h),
            ("concern.reopened", h),
        ]
    );
    for event in &trail {
        let clear = format!(
            "{} {} {} {} {}",
            event.actor, event.action, event.record_type, event.record_id, event.record_digest
        );
        for text in [description, answer, reply, receipt.code.as_str()] {
            assert!(!clear.contains(text), "{clear} carries {text:?}");
        }
        assert_eq!(event.record_id, id.to_string());
    }
    // The digest is salted: the description alone, or with its status, does not give it.
    let guesses = [
        charter::domain::audit::record_digest(&description),
        charter::domain::audit::record_digest(&serde_json::json!({
            "id": id, "status": "received", "text": format!("{description}\n")
        })),
    ];
    assert!(guesses.iter().all(|g| *g != trail[0].record_digest));
}

async fn receipt_and_response_targets_are_overdue_only_past_their_boundary(db: TestDb) {
    let store = db.store.as_ref();
    let hana = handler(store).await;
    let period = t0().date() - Duration::days(30);
    report(store, "Unpatched VPN appliance.", t0()).await;
    let counts_at = |at| async move {
        let c = store.concern_counts(at, period).await.expect("counts");
        (c.receipt_overdue, c.response_overdue)
    };
    let receipt_due = t0() + Duration::days(2);
    let response_due = t0() + Duration::days(7);
    // Concern times are kept to the second.
    let second = Duration::seconds(1);
    assert_eq!(counts_at(receipt_due).await, (0, 0), "due, not yet overdue");
    assert_eq!(counts_at(receipt_due + second).await, (1, 0));
    assert_eq!(counts_at(response_due).await, (1, 0));
    assert_eq!(counts_at(response_due + second).await, (1, 1));

    let overdue = store
        .overdue_concerns(&hana, receipt_due + second)
        .await
        .expect("overdue");
    assert_eq!(overdue.len(), 1);
    assert!(overdue[0].receipt_overdue && !overdue[0].response_overdue);
    assert!(
        store
            .overdue_concerns(&hana, receipt_due)
            .await
            .expect("none")
            .is_empty()
    );
    let filter = ConcernFilter {
        status: None,
        overdue: true,
    };
    let listed = store
        .list_concerns(&hana, filter, receipt_due, PageRequest::default())
        .await
        .expect("list");
    assert_eq!(listed.total, 0);

    let id = overdue[0].id;
    let late = receipt_due + Duration::hours(1);
    store
        .set_concern_status(&hana, id, ConcernStatus::Acknowledged, late)
        .await
        .expect("acknowledged late");
    assert_eq!(
        counts_at(response_due + second).await,
        (0, 1),
        "answer still due"
    );
    store
        .answer_concern(&hana, id, "Patched on Friday.", response_due)
        .await
        .expect("answered");
    assert_eq!(counts_at(response_due + Duration::days(30)).await, (0, 0));

    // A target changed later applies to concerns received from then on.
    let settings = ConcernSettingsInput {
        channel_enabled: true,
        receipt_days: 5,
        response_days: 10,
        reports_per_minute: 30,
    };
    store
        .update_concern_settings(&hana, settings)
        .await
        .expect("settings");
    let newer = report(store, "Badge reader broken.", t0() + Duration::days(1)).await;
    assert_eq!(newer.receipt_due_at, t0() + Duration::days(6));
    let first = store.get_concern(&hana, id, t0()).await.expect("read");
    assert_eq!(first.summary.receipt_due_at, receipt_due, "unchanged");
}

async fn counts_by_category_and_status_cover_the_period_and_what_is_open(db: TestDb) {
    let store = db.store.as_ref();
    let hana = handler(store).await;
    let now = t0() + Duration::days(400);
    let period = now.date() - Duration::days(365);
    report(store, "An old, settled matter.", t0()).await;
    let old_open = store
        .report_concern(
            input(ConcernCategory::Privacy, "An old, open matter.", None),
            t0(),
        )
        .await
        .expect("reported");
    let fresh = now - Duration::days(10);
    for (category, text) in [
        (
            ConcernCategory::SecurityIncident,
            "Laptop stolen from a car.",
        ),
        (ConcernCategory::SecurityIncident, "Ransom note on a share."),
        (
            ConcernCategory::Vulnerability,
            "Default password on a camera.",
        ),
    ] {
        store
            .report_concern(input(category, text, None), fresh)
            .await
            .expect("reported");
    }
    let ids = store
        .list_concerns(&hana, ConcernFilter::default(), now, PageRequest::default())
        .await
        .expect("list")
        .items;
    let closed_id = ids
        .iter()
        .find(|c| c.category == ConcernCategory::PolicyBreach)
        .expect("listed")
        .id;
    store
        .set_concern_status(
            &hana,
            closed_id,
            ConcernStatus::Closed,
            t0() + Duration::days(3),
        )
        .await
        .expect("closed");
    let still_open = store
        .follow_up_concern(&old_open.code, now)
        .await
        .expect("open");
    assert_eq!(still_open.status, ConcernStatus::Received);

    let counts = store.concern_counts(now, period).await.expect("counts");
    assert_eq!(counts.received_in_period, 3);
    assert_eq!(counts.open, 4);
    let line = |lines: &[charter::domain::isms_status::CountLine], label: &str| {
        lines
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.count)
            .expect(label)
    };
    assert_eq!(
        counts.by_category.len(),
        6,
        "every category, zeros included"
    );
    assert_eq!(line(&counts.by_category, "security incident"), 2);
    assert_eq!(line(&counts.by_category, "vulnerability"), 1);
    assert_eq!(
        line(&counts.by_category, "privacy"),
        1,
        "old but still open"
    );
    assert_eq!(
        line(&counts.by_category, "policy breach"),
        0,
        "old and closed"
    );
    assert_eq!(line(&counts.by_status, "received"), 4);
    assert_eq!(line(&counts.by_status, "closed"), 0);
    assert_eq!(counts.by_status.len(), 4);
    let text = serde_json::to_string(&counts).expect("json");
    assert!(
        !text.contains("Laptop") && !text.contains("matter"),
        "counts only"
    );
}

async fn the_limits_count_everyone_together_and_replies_per_report(db: TestDb) {
    let store = db.store.as_ref();
    let hana = handler(store).await;
    let settings = ConcernSettingsInput {
        channel_enabled: true,
        receipt_days: 2,
        response_days: 7,
        reports_per_minute: 3,
    };
    store
        .update_concern_settings(&hana, settings)
        .await
        .expect("settings");
    // Reports recorded out of order (as a demo seeds them) count only in their own minute.
    for n in 0..3 {
        let later = t0() + Duration::days(1) + Duration::seconds(n);
        report(store, &format!("Tomorrow {n}."), later).await;
    }
    let first = report(store, "First.", t0()).await;
    report(store, "Second.", t0() + Duration::seconds(10)).await;
    store
        .reply_to_concern(&first.code, "And a reply.", t0() + Duration::seconds(20))
        .await
        .expect("a reply counts too");
    let fourth = store
        .report_concern(
            input(ConcernCategory::Other, "Fourth.", None),
            t0() + Duration::seconds(30),
        )
        .await;
    assert!(
        matches!(fourth, Err(ConcernError::Throttled(_))),
        "{fourth:?}"
    );
    let busy_reply = store
        .reply_to_concern("no such code", "Hello", t0() + Duration::seconds(30))
        .await;
    assert!(
        matches!(busy_reply, Err(ConcernError::Throttled(_))),
        "a busy channel answers any code alike: {busy_reply:?}"
    );
    report(store, "A minute later.", t0() + Duration::seconds(61)).await;

    let settings = ConcernSettingsInput {
        reports_per_minute: 1000,
        ..settings
    };
    store
        .update_concern_settings(&hana, settings)
        .await
        .expect("settings");
    let day = t0() + Duration::days(3);
    for n in 0..MAX_REPLIES_PER_DAY {
        store
            .reply_to_concern(
                &first.code,
                &format!("Reply {n}"),
                day + Duration::minutes(n),
            )
            .await
            .expect("within the daily limit");
    }
    let one_more = store
        .reply_to_concern(&first.code, "One too many", day + Duration::hours(1))
        .await;
    assert!(
        matches!(one_more, Err(ConcernError::Throttled(_))),
        "{one_more:?}"
    );
    store
        .reply_to_concern(&first.code, "Two days on", day + Duration::days(2))
        .await
        .expect("once the day has passed");
    let too_long = "x".repeat(charter::domain::concern::MAX_MESSAGE + 1);
    let refused = store
        .reply_to_concern(&first.code, &too_long, day + Duration::days(3))
        .await;
    assert!(matches!(
        refused,
        Err(ConcernError::Store(StoreError::Invalid(_)))
    ));
}

async fn a_closed_channel_takes_no_report_but_follow_ups_still_work(db: TestDb) {
    let store = db.store.as_ref();
    let hana = handler(store).await;
    let earlier = report(store, "Reported while open.", t0()).await;
    let closed = ConcernSettingsInput {
        channel_enabled: false,
        receipt_days: 3,
        response_days: 10,
        reports_per_minute: 30,
    };
    let settings = store
        .update_concern_settings(&hana, closed)
        .await
        .expect("closed");
    assert!(!settings.channel_enabled);
    assert_eq!(store.concern_settings().await.expect("read"), settings);
    let refused = report_result(store).await;
    assert!(
        matches!(refused, Err(ConcernError::ChannelClosed)),
        "{refused:?}"
    );
    store
        .reply_to_concern(&earlier.code, "Still there?", t0() + Duration::hours(1))
        .await
        .expect("follow-ups still work");

    let invalid = ConcernSettingsInput {
        receipt_days: 10,
        response_days: 5,
        ..closed
    };
    let wrong = store.update_concern_settings(&hana, invalid).await;
    assert!(matches!(wrong, Err(StoreError::Invalid(_))), "{wrong:?}");
    let trail = events(store, "concern_settings").await;
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "concern_settings.updated");
    assert_eq!(
        trail[0].actor,
        Actor::named(format!("account:{}", hana.id)).as_str()
    );
}

async fn report_result(store: &dyn Store) -> Result<ConcernReceipt, ConcernError> {
    store
        .report_concern(
            input(ConcernCategory::Other, "While closed.", None),
            t0() + Duration::hours(2),
        )
        .await
}
