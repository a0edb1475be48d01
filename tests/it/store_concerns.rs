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
    reports_and_replies_have_their_own_budgets_and_replies_a_daily_limit,
    a_closed_channel_takes_no_report_but_follow_ups_still_work,
    ids_are_random_and_say_nothing_of_when_they_were_made,
    counts_take_in_only_the_concerns_received_before_today,
    a_conversation_keeps_its_order_within_one_second,
    control_characters_are_refused_before_the_database,
    the_awaiting_and_overdue_lists_give_their_real_totals,
    a_change_waits_for_the_concern_row_and_reads_it_again,
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
            "seq",
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
        let overdue = ConcernFilter {
            overdue: true,
            ..ConcernFilter::default()
        };
        let overdue = store.list_concerns(&other, overdue, t0(), PageRequest::default());
        refused("see overdue", overdue.await.map(drop));
        let answer = store.answer_concern(&other, id, "We are on it.", t0());
        refused("answer", answer.await.map(drop));
        let status = store.set_concern_status(&other, id, ConcernStatus::Closed, t0());
        refused("close", status.await.map(drop));
        let settings = ConcernSettingsInput {
            channel_enabled: false,
            receipt_days: 2,
            response_days: 7,
            reports_per_minute: 30,
            replies_per_minute: 30,
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
    let receipt_due = t0() + Duration::days(2);
    let response_due = t0() + Duration::days(7);
    // Concern times are kept to the second; the handlers' list flags a target the second after.
    let second = Duration::seconds(1);
    let by = &hana;
    let overdue_at = |at| async move {
        let filter = ConcernFilter {
            overdue: true,
            ..ConcernFilter::default()
        };
        let page = PageRequest::default();
        let listed = store.list_concerns(by, filter, at, page).await;
        listed.expect("list")
    };
    assert_eq!(
        overdue_at(receipt_due).await.total,
        0,
        "due, not yet overdue"
    );
    let overdue = overdue_at(receipt_due + second).await;
    assert_eq!(overdue.total, 1);
    assert!(overdue.items[0].receipt_overdue && !overdue.items[0].response_overdue);
    assert!(!overdue_at(response_due).await.items[0].response_overdue);
    assert!(overdue_at(response_due + second).await.items[0].response_overdue);

    // The counts management sees take the targets passed by the start of the day.
    let counts_at = |at| async move {
        let c = store.concern_counts(at, period).await.expect("counts");
        (c.receipt_overdue, c.response_overdue)
    };
    let next_day = |at: OffsetDateTime| at.date().next_day().expect("day").midnight().assume_utc();
    assert_eq!(
        counts_at(receipt_due + second).await,
        (0, 0),
        "counted tomorrow"
    );
    assert_eq!(counts_at(next_day(receipt_due) - second).await, (0, 0));
    assert_eq!(counts_at(next_day(receipt_due)).await, (1, 0));
    assert_eq!(counts_at(response_due + second).await, (1, 0));
    assert_eq!(counts_at(next_day(response_due)).await, (1, 1));

    let id = overdue.items[0].id;
    let late = receipt_due + Duration::hours(1);
    store
        .set_concern_status(&hana, id, ConcernStatus::Acknowledged, late)
        .await
        .expect("acknowledged late");
    assert_eq!(
        counts_at(next_day(response_due)).await,
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
        replies_per_minute: 30,
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

async fn reports_and_replies_have_their_own_budgets_and_replies_a_daily_limit(db: TestDb) {
    let store = db.store.as_ref();
    let hana = handler(store).await;
    let settings = ConcernSettingsInput {
        channel_enabled: true,
        receipt_days: 2,
        response_days: 7,
        reports_per_minute: 3,
        replies_per_minute: 2,
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
    for n in 0..2 {
        let at = t0() + Duration::seconds(20 + n);
        store
            .reply_to_concern(&first.code, &format!("Reply {n}."), at)
            .await
            .expect("within the replies' budget");
    }
    let at = t0() + Duration::seconds(30);
    let third_reply = store.reply_to_concern(&first.code, "Third.", at).await;
    assert!(
        matches!(third_reply, Err(ConcernError::Throttled(ref m)) if m.contains("replies")),
        "{third_reply:?}"
    );
    let busy_reply = store.reply_to_concern("no such code", "Hello", at).await;
    assert!(
        matches!(busy_reply, Err(ConcernError::Throttled(_))),
        "a busy channel answers any code alike: {busy_reply:?}"
    );
    // A flood of replies leaves the new reports their whole budget.
    report(store, "Third report.", at).await;
    let fourth = store
        .report_concern(
            input(ConcernCategory::Other, "Fourth.", None),
            t0() + Duration::seconds(40),
        )
        .await;
    assert!(
        matches!(fourth, Err(ConcernError::Throttled(ref m)) if m.contains("reports")),
        "{fourth:?}"
    );
    report(store, "A minute later.", t0() + Duration::seconds(61)).await;
    store
        .reply_to_concern(&first.code, "A minute later.", t0() + Duration::seconds(81))
        .await
        .expect("replies again a minute later");

    let settings = ConcernSettingsInput {
        reports_per_minute: 1000,
        replies_per_minute: 1000,
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
        replies_per_minute: 30,
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

async fn ids_are_random_and_say_nothing_of_when_they_were_made(db: TestDb) {
    let store = db.store.as_ref();
    let hana = handler(store).await;
    let receipt = report(store, "Printer keeps scanned passports.", t0()).await;
    let id = listed(store, &hana, ConcernFilter::default()).await[0].id;
    store
        .answer_concern(&hana, id, "Thanks; which floor?", t0())
        .await
        .expect("answered");
    store
        .reply_to_concern(&receipt.code, "The third.", t0())
        .await
        .expect("replied");
    let concern = store.get_concern(&hana, id, t0()).await.expect("read");
    assert_eq!(id.get_version_num(), 4, "a random id, no time in it: {id}");
    assert_eq!(concern.conversation.len(), 2);
    for message in &concern.conversation {
        assert_eq!(message.id.get_version_num(), 4, "{}", message.id);
    }
    for event in events(store, "concern").await {
        let record: uuid::Uuid = event.record_id.parse().expect("a uuid");
        assert_eq!(record.get_version_num(), 4, "the audit trail shows no time");
    }
}

/// The concerns `by` lists with `filter` at `t0()`.
async fn listed(
    store: &dyn Store,
    by: &Account,
    filter: ConcernFilter,
) -> Vec<charter::domain::concern::ConcernSummary> {
    store
        .list_concerns(by, filter, t0(), PageRequest::default())
        .await
        .expect("list")
        .items
}

async fn counts_take_in_only_the_concerns_received_before_today(db: TestDb) {
    let store = db.store.as_ref();
    let period = t0().date() - Duration::days(30);
    let midnight = t0().date().midnight().assume_utc();
    report(
        store,
        "Reported before today.",
        midnight - Duration::hours(3),
    )
    .await;
    let before = store
        .concern_counts(midnight, period)
        .await
        .expect("counts");
    report(store, "Reported at noon.", t0()).await;
    // Polled all day long, the counts do not move when a report comes in.
    for at in [
        t0(),
        t0() + Duration::seconds(1),
        t0() + Duration::hours(6),
        midnight + Duration::days(1) - Duration::seconds(1),
    ] {
        let counts = store.concern_counts(at, period).await.expect("counts");
        assert_eq!(counts, before, "at {at}");
    }
    assert_eq!((before.received_in_period, before.open), (1, 1));
    assert_eq!(
        before.by_category.iter().map(|l| l.count).sum::<i64>(),
        1,
        "only yesterday's concern"
    );
    let tomorrow = store
        .concern_counts(midnight + Duration::days(1), period)
        .await
        .expect("counts");
    assert_eq!((tomorrow.received_in_period, tomorrow.open), (2, 2));
    let received = |c: &charter::domain::isms_status::ConcernCounts| {
        c.by_status
            .iter()
            .find(|l| l.label == "received")
            .map(|l| l.count)
    };
    assert_eq!(received(&tomorrow), Some(2));
}

async fn a_conversation_keeps_its_order_within_one_second(db: TestDb) {
    let store = db.store.as_ref();
    let hana = handler(store).await;
    let receipt = report(store, "Guest Wi-Fi reaches the servers.", t0()).await;
    let id = listed(store, &hana, ConcernFilter::default()).await[0].id;
    let at = t0() + Duration::hours(1);
    let mut sent = Vec::new();
    for n in 0..4 {
        let body = format!("Message {n}");
        if n % 2 == 0 {
            store
                .answer_concern(&hana, id, &body, at)
                .await
                .expect("answered");
        } else {
            let reply = store.reply_to_concern(&receipt.code, &body, at).await;
            reply.expect("replied");
        }
        sent.push(body);
    }
    let follow_up = store
        .follow_up_concern(&receipt.code, at)
        .await
        .expect("open");
    let read: Vec<&str> = follow_up
        .conversation
        .iter()
        .map(|m| m.body.as_str())
        .collect();
    assert_eq!(read, sent, "in the order written, though in one second");
    let concern = store.get_concern(&hana, id, at).await.expect("read");
    let read: Vec<&str> = concern
        .conversation
        .iter()
        .map(|m| m.body.as_str())
        .collect();
    assert_eq!(read, sent);
}

async fn control_characters_are_refused_before_the_database(db: TestDb) {
    let store = db.store.as_ref();
    let hana = handler(store).await;
    for (description, contact, field) in [
        ("A NUL\u{0} in the text.", None, "description"),
        ("Fine text.", Some("me\u{0}@example.test"), "contact"),
        ("An escape \u{1b}[2J sequence.", None, "description"),
    ] {
        let refused = store
            .report_concern(input(ConcernCategory::Other, description, contact), t0())
            .await;
        match refused {
            Err(ConcernError::Store(StoreError::Invalid(errors))) => {
                assert!(errors.get(field).is_some(), "{errors:?}")
            }
            other => panic!("{description:?} {contact:?}: {other:?}"),
        }
    }
    let kept = "Line one.\r\n\tLine two.";
    let receipt = report(store, kept, t0()).await;
    let opened = store
        .follow_up_concern(&receipt.code, t0())
        .await
        .expect("open");
    assert_eq!(opened.description, kept, "line breaks and tabs are kept");
    let id = listed(store, &hana, ConcernFilter::default()).await[0].id;
    let answer = store.answer_concern(&hana, id, "Hi\u{0}", t0()).await;
    assert!(matches!(answer, Err(StoreError::Invalid(_))), "{answer:?}");
    let reply = store.reply_to_concern(&receipt.code, "Hi\u{0}", t0()).await;
    assert!(
        matches!(reply, Err(ConcernError::Store(StoreError::Invalid(_)))),
        "{reply:?}"
    );
}

async fn the_awaiting_and_overdue_lists_give_their_real_totals(db: TestDb) {
    let store = db.store.as_ref();
    let hana = handler(store).await;
    for n in 0..3 {
        let at = t0() - Duration::days(5) + Duration::minutes(n);
        report(store, &format!("Old {n}."), at).await;
    }
    for n in 0..2 {
        report(store, &format!("New {n}."), t0() - Duration::hours(n + 1)).await;
    }
    let acknowledged = report(store, "Seen already.", t0() - Duration::hours(5)).await;
    let seen = listed(store, &hana, ConcernFilter::default())
        .await
        .into_iter()
        .find(|c| c.received_at == acknowledged.received_at)
        .expect("listed");
    store
        .set_concern_status(&hana, seen.id, ConcernStatus::Acknowledged, t0())
        .await
        .expect("acknowledged");
    let one = PageRequest::new(Some(1), Some(1));
    let page = |filter| store.list_concerns(&hana, filter, t0(), one);
    let awaiting = ConcernFilter {
        awaiting_receipt: true,
        ..ConcernFilter::default()
    };
    let awaiting = page(awaiting).await.expect("awaiting");
    assert_eq!((awaiting.total, awaiting.items.len()), (2, 1));
    assert!(awaiting.items[0].excerpt.starts_with("New"));
    let overdue = ConcernFilter {
        overdue: true,
        ..ConcernFilter::default()
    };
    let overdue = page(overdue).await.expect("overdue");
    assert_eq!(
        (overdue.total, overdue.items.len()),
        (3, 1),
        "beyond the page"
    );
}

/// On PostgreSQL, a change committed by another connection while `sql` holds the concern's
/// row: the connection, its transaction still open.
async fn hold_row(url: &str, sql: &str, id: uuid::Uuid) -> sqlx::PgConnection {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
    sqlx::query("BEGIN")
        .execute(&mut conn)
        .await
        .expect("begin");
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(id)
        .execute(&mut conn)
        .await
        .expect("held");
    conn
}

async fn commit_after_a_while(mut conn: sqlx::PgConnection) {
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    sqlx::query("COMMIT")
        .execute(&mut conn)
        .await
        .expect("commit");
}

const CLOSE: &str = "UPDATE concerns SET status = 'closed', acknowledged_at = now(),
    closed_at = now() WHERE id = $1";
const ACKNOWLEDGE: &str =
    "UPDATE concerns SET status = 'acknowledged', acknowledged_at = now() WHERE id = $1";

/// Read Committed on PostgreSQL: a change that read the status before another committed must
/// not write what it computed from the old one (SQLite lets one writer in at a time).
async fn a_change_waits_for_the_concern_row_and_reads_it_again(db: TestDb) {
    let DatabaseLocation::Postgres(url) = db.location.clone() else {
        return;
    };
    let hana = handler(db.store.as_ref()).await;
    let fresh = |text: &'static str| {
        let store = db.store.clone();
        let hana = hana.clone();
        async move {
            let receipt = report(store.as_ref(), text, t0()).await;
            let id = listed(store.as_ref(), &hana, ConcernFilter::default())
                .await
                .into_iter()
                .find(|c| c.excerpt == text)
                .expect("listed")
                .id;
            (receipt.code, id)
        }
    };

    // An answer while the concern is being closed: 409, not a broken CHECK (500).
    let (_, id) = fresh("Answered while closed.").await;
    let held = hold_row(&url, CLOSE, id).await;
    let (store, by) = (db.store.clone(), hana.clone());
    let answer = tokio::spawn(async move { store.answer_concern(&by, id, "On it.", t0()).await });
    commit_after_a_while(held).await;
    let answer = answer.await.expect("task");
    assert!(matches!(answer, Err(StoreError::Conflict(_))), "{answer:?}");

    // Acknowledged twice at once: one acknowledgment, the other 409.
    let (_, id) = fresh("Acknowledged twice.").await;
    let held = hold_row(&url, ACKNOWLEDGE, id).await;
    let (store, by) = (db.store.clone(), hana.clone());
    let status = ConcernStatus::Acknowledged;
    let second = tokio::spawn(async move { store.set_concern_status(&by, id, status, t0()).await });
    commit_after_a_while(held).await;
    let second = second.await.expect("task");
    assert!(matches!(second, Err(StoreError::Conflict(_))), "{second:?}");

    // A reply while the concern is being closed: 409, and no reply kept.
    let (code, id) = fresh("Replied while closed.").await;
    let held = hold_row(&url, CLOSE, id).await;
    let store = db.store.clone();
    let reply = tokio::spawn(async move { store.reply_to_concern(&code, "Hello?", t0()).await });
    commit_after_a_while(held).await;
    let reply = reply.await.expect("task");
    assert!(
        matches!(reply, Err(ConcernError::Store(StoreError::Conflict(_)))),
        "{reply:?}"
    );
    let concern = db.store.get_concern(&hana, id, t0()).await.expect("read");
    assert!(
        concern.conversation.is_empty(),
        "{:?}",
        concern.conversation
    );
}
