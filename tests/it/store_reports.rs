//! Store tests for performance reports: frozen snapshots submitted to and signed off by top
//! management (5.1.e, 5.3.b), on both databases.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::assignment::{AssignmentInput, AssignmentScope};
use charter::domain::mail::{MailKind, OutboxFilter};
use charter::domain::report::{ReportInput, ReportStatus, SignOffInput, snapshot_hash};
use charter::domain::role::{OrgRoleFilter, RoleCategory};
use charter::domain::{AuditFilter, PageRequest};
use charter::store::{DatabaseLocation, Store, StoreError};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, raw_sql, store_account};

crate::on_both_backends!(
    only_the_reporter_generates_and_top_management_is_told,
    the_generator_cannot_sign_and_a_signed_report_does_not_change,
    two_signing_at_once_sign_it_once,
    the_reports_awaiting_sign_off_are_those_submitted_by_someone_else,
    top_management_is_found_by_its_tool_role_through_an_index,
    the_snapshot_stays_frozen_and_its_hash_is_that_of_the_stored_text,
    the_history_is_newest_first,
);

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// Ada (admin) assigns; Ina holds the reporter role (and, directly, top management); Bea holds
/// the chief executive's role of the catalog; Cara has top management as a tool role; Sam is staff.
pub struct Org {
    pub ada: Account,
    pub ina: Account,
    pub bea: Account,
    pub cara: Account,
    pub sam: Account,
}

/// Assigns the first catalog role matching `pick` to `person` from today.
pub async fn assign(
    store: &dyn Store,
    by: &Account,
    person: Uuid,
    pick: impl Fn(&charter::domain::role::OrgRole) -> bool,
) {
    let roles = store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("roles");
    let role = roles.iter().find(|r| pick(r)).expect("a catalog role");
    let input = AssignmentInput {
        role_id: role.id,
        person_id: person,
        scope: AssignmentScope::Organization,
        deputy: false,
        starts_on: today(),
        ends_on: None,
        reason: "Appointed by the board".into(),
        sod_exception_id: None,
    };
    store
        .assign_role(by, input, today())
        .await
        .expect("assigned");
}

pub async fn org(store: &dyn Store) -> Org {
    let org = Org {
        ada: store_account(store, "Ada", &[Role::Admin]).await,
        ina: store_account(store, "Ina", &[Role::Staff, Role::TopManagement]).await,
        bea: store_account(store, "Bea", &[Role::Staff]).await,
        cara: store_account(store, "Cara", &[Role::TopManagement]).await,
        sam: store_account(store, "Sam", &[Role::Staff]).await,
    };
    assign(store, &org.ada, org.ina.person_id, |r| {
        r.performance_reporter
    })
    .await;
    assign(store, &org.ada, org.bea.person_id, |r| {
        r.category == RoleCategory::TopManagement && r.grants == Some(Role::TopManagement)
    })
    .await;
    org
}

fn input(summary: &str) -> ReportInput {
    ReportInput {
        summary: summary.into(),
    }
}

fn comments(text: &str) -> SignOffInput {
    SignOffInput {
        comments: text.into(),
    }
}

async fn actions_on(store: &dyn Store, id: Uuid) -> Vec<String> {
    let filter = AuditFilter {
        record_type: Some("performance_report".into()),
        record_id: Some(id.to_string()),
        ..AuditFilter::default()
    };
    let page = store
        .list_audit_events(&filter, PageRequest::new(Some(1), Some(50)))
        .await
        .expect("events");
    let mut actions: Vec<String> = page.items.into_iter().map(|e| e.action).collect();
    actions.sort();
    actions
}

/// The notices whose subject starts with `subject`, by address.
async fn notices(store: &dyn Store, subject: &str) -> Vec<(String, String)> {
    let filter = OutboxFilter {
        kind: Some(MailKind::Notice),
        ..OutboxFilter::default()
    };
    let page = store
        .list_outbox(&filter, PageRequest::new(Some(1), Some(100)))
        .await
        .expect("outbox");
    let mut found: Vec<(String, String)> = page
        .items
        .into_iter()
        .filter(|m| m.subject.starts_with(subject))
        .map(|m| (m.to_address, m.body))
        .collect();
    found.sort();
    found
}

async fn only_the_reporter_generates_and_top_management_is_told(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let now = OffsetDateTime::now_utc();

    for outsider in [&org.cara, &org.sam, &org.ada] {
        match store.generate_report(outsider, input(""), now).await {
            Err(StoreError::Forbidden(message)) => {
                assert!(
                    message.contains("Information security manager"),
                    "{message}"
                );
                assert!(message.contains("Ina"), "names the holder: {message}");
            }
            other => panic!("only the reporter generates: {other:?}"),
        }
    }
    assert!(store.list_reports().await.expect("list").is_empty());

    let report = store
        .generate_report(&org.ina, input("  Coverage is slipping.  "), now)
        .await
        .expect("generated");
    let r = &report.report;
    assert_eq!(r.status, ReportStatus::Submitted);
    assert_eq!(
        (r.generated_by, r.generated_by_person),
        (org.ina.id, org.ina.person_id)
    );
    assert_eq!(r.generated_by_name, "Ina");
    assert_eq!(r.summary, "Coverage is slipping.");
    assert_eq!(r.period_end, today());
    assert_eq!(r.period_start, report.snapshot.period_start);
    assert!(report.intact);
    assert!(r.signed_off_by.is_none() && r.sign_off_comments.is_none());

    let told = notices(store, "Performance report to review").await;
    let addresses: Vec<&str> = told.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(
        addresses,
        ["bea@example.com", "cara@example.com"],
        "not the generator"
    );
    assert!(told[0].1.contains(&r.content_hash), "{}", told[0].1);
    assert!(
        told[0].1.contains(&format!("/reports/{}", r.id)),
        "{}",
        told[0].1
    );
    assert_eq!(
        actions_on(store, r.id).await,
        ["performance_report.generated"]
    );
}

async fn the_generator_cannot_sign_and_a_signed_report_does_not_change(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let report = store
        .generate_report(&org.ina, input(""), OffsetDateTime::now_utc())
        .await
        .expect("generated");
    let id = report.report.id;

    let refused = store
        .sign_off_report(&org.ina, id, comments("Fine by me"))
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Forbidden(m)) if m.contains("generated")),
        "the generator holds top management but cannot sign: {refused:?}"
    );
    let refused = store.sign_off_report(&org.sam, id, comments("Fine")).await;
    assert!(
        matches!(&refused, Err(StoreError::Forbidden(m)) if m.contains("top management")),
        "{refused:?}"
    );
    let blank = store.sign_off_report(&org.bea, id, comments("  ")).await;
    assert!(matches!(blank, Err(StoreError::Invalid(ref f)) if f.get("comments").is_some()));
    assert_eq!(
        store.get_report(id).await.expect("read").report.status,
        ReportStatus::Submitted
    );

    let signed = store
        .sign_off_report(&org.bea, id, comments("Fund the awareness training."))
        .await
        .expect("signed by a holder of the chief executive's role");
    let s = &signed.report;
    assert_eq!(s.status, ReportStatus::SignedOff);
    assert_eq!(s.signed_off_by, Some(org.bea.id));
    assert_eq!(s.signed_off_by_name.as_deref(), Some("Bea"));
    assert_eq!(
        s.sign_off_comments.as_deref(),
        Some("Fund the awareness training.")
    );
    assert!(s.signed_off_at.is_some());
    assert_eq!(s.content_hash, report.report.content_hash);

    let again = store
        .sign_off_report(&org.cara, id, comments("Me too"))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref m)) if m.contains("Bea")),
        "{again:?}"
    );
    let kept = store.get_report(id).await.expect("read").report;
    assert_eq!(kept, signed.report, "a signed report does not change");

    let told = notices(store, "Performance report signed off").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].0, "ina@example.com");
    assert!(told[0].1.contains("Fund the awareness training."));
    assert_eq!(
        actions_on(store, id).await,
        [
            "performance_report.generated",
            "performance_report.signed_off"
        ]
    );
}

/// Two members of top management sign the same report at the same moment: one signs it, the
/// other is told who did, and the trail and the outbox hold one sign-off (on PostgreSQL both
/// transactions run at once).
async fn two_signing_at_once_sign_it_once(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    for round in 0..4 {
        let id = store
            .generate_report(&org.ina, input(""), OffsetDateTime::now_utc())
            .await
            .expect("generated")
            .report
            .id;
        let (bea, cara) = tokio::join!(
            store.sign_off_report(&org.bea, id, comments("Bea agrees")),
            store.sign_off_report(&org.cara, id, comments("Cara agrees")),
        );
        let (winner, message) = match (&bea, &cara) {
            (Ok(_), Err(StoreError::Conflict(m))) => ("Bea", m),
            (Err(StoreError::Conflict(m)), Ok(_)) => ("Cara", m),
            _ => panic!(
                "round {round}: exactly one signs, the other is told (409): {:?} / {:?}",
                bea.as_ref().map(|d| d.report.status),
                cara.as_ref().map(|d| d.report.status)
            ),
        };
        assert!(
            message.contains(&format!("already signed off by {winner}")),
            "round {round}: names who signed: {message}"
        );
        let stored = store.get_report(id).await.expect("read").report;
        assert_eq!(stored.signed_off_by_name.as_deref(), Some(winner));
        assert_eq!(
            actions_on(store, id).await,
            [
                "performance_report.generated",
                "performance_report.signed_off"
            ],
            "round {round}: one sign-off in the trail"
        );
        let told = notices(store, "Performance report signed off").await;
        assert_eq!(
            told.len(),
            round + 1,
            "round {round}: one notice per report"
        );
    }
}

async fn the_reports_awaiting_sign_off_are_those_submitted_by_someone_else(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let now = OffsetDateTime::now_utc();
    let first = store
        .generate_report(&org.ina, input("Q1"), now)
        .await
        .expect("first");
    store
        .generate_report(&org.ina, input("Q2"), now)
        .await
        .expect("second");
    store
        .sign_off_report(&org.bea, first.report.id, comments("Noted."))
        .await
        .expect("signed");
    let awaiting = |person| async move {
        store
            .reports_awaiting_sign_off(person)
            .await
            .expect("awaiting")
            .iter()
            .map(|r| r.summary.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        awaiting(org.cara.person_id).await,
        ["Q2"],
        "the signed one is done"
    );
    assert!(
        awaiting(org.ina.person_id).await.is_empty(),
        "nobody is asked to sign what they generated"
    );
}

/// The names of the indexes on `table` whose first column is `column`.
async fn indexes_led_by(location: &DatabaseLocation, table: &str, column: &str) -> Vec<String> {
    use sqlx::{Connection, Row};
    match location {
        DatabaseLocation::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
            let mut conn = sqlx::SqliteConnection::connect_with(&options)
                .await
                .expect("sqlite");
            let sql = "SELECT il.name FROM pragma_index_list($1) il
                       JOIN pragma_index_info(il.name) ii ON ii.seqno = 0
                       WHERE ii.name = $2";
            let rows = sqlx::query(sql)
                .bind(table)
                .bind(column)
                .fetch_all(&mut conn)
                .await
                .expect("indexes");
            rows.iter()
                .map(|r| r.try_get("name").expect("name"))
                .collect()
        }
        DatabaseLocation::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
            let sql = "SELECT ic.relname AS name FROM pg_index i
                       JOIN pg_class ic ON ic.oid = i.indexrelid
                       JOIN pg_class t ON t.oid = i.indrelid
                       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
                       WHERE t.oid = to_regclass($1) AND a.attname = $2";
            let rows = sqlx::query(sql)
                .bind(table)
                .bind(column)
                .fetch_all(&mut conn)
                .await
                .expect("indexes");
            rows.iter()
                .map(|r| r.try_get("name").expect("name"))
                .collect()
        }
    }
}

/// Submitting a report looks up everyone with the `top_management` tool role: among 100,000
/// accounts that must not read them all.
async fn top_management_is_found_by_its_tool_role_through_an_index(db: TestDb) {
    let found = indexes_led_by(&db.location, "account_roles", "role").await;
    assert!(
        !found.is_empty(),
        "no index on account_roles leads with role"
    );
}

/// The snapshot column as stored, read around Charter.
async fn stored_snapshot(location: &DatabaseLocation) -> String {
    use sqlx::{Connection, Row};
    let sql = "SELECT snapshot FROM performance_reports";
    match location {
        DatabaseLocation::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
            let mut conn = sqlx::SqliteConnection::connect_with(&options)
                .await
                .expect("sqlite");
            let row = sqlx::query(sql).fetch_one(&mut conn).await.expect("row");
            row.try_get("snapshot").expect("text")
        }
        DatabaseLocation::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
            let row = sqlx::query(sql).fetch_one(&mut conn).await.expect("row");
            row.try_get("snapshot").expect("text")
        }
    }
}

async fn the_snapshot_stays_frozen_and_its_hash_is_that_of_the_stored_text(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let generated = store
        .generate_report(&org.ina, input(""), OffsetDateTime::now_utc())
        .await
        .expect("generated");
    let id = generated.report.id;
    let text = stored_snapshot(&db.location).await;
    assert_eq!(generated.report.content_hash, snapshot_hash(&text));
    assert_eq!(generated.report.content_hash.len(), 64);

    // The live records change: another required role gets its holder.
    let vacant_before = generated.snapshot.role_gaps.vacant_required;
    assign(store, &org.ada, org.sam.person_id, |r| {
        r.required && !r.performance_reporter && r.category != RoleCategory::TopManagement
    })
    .await;
    let live = charter::isms_status::read_isms_status(store, OffsetDateTime::now_utc())
        .await
        .expect("live");
    assert_eq!(
        live.role_gaps.vacant_required,
        vacant_before - 1,
        "the live figure moved"
    );
    let read = store.get_report(id).await.expect("read");
    assert_eq!(read.snapshot, generated.snapshot, "the report did not");
    assert_eq!(read.report.content_hash, generated.report.content_hash);
    assert!(read.intact);

    // Edited around Charter, the snapshot no longer matches its hash.
    raw_sql(
        &db.location,
        "UPDATE performance_reports SET snapshot = replace(snapshot, '\"conformance\":null', '\"conformance\":\"all conforming\"')",
    )
    .await;
    let tampered = store.get_report(id).await.expect("read");
    assert_eq!(
        tampered.snapshot.conformance.as_deref(),
        Some("all conforming")
    );
    assert!(!tampered.intact, "the hash exposes the edit");
}

async fn the_history_is_newest_first(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    assert!(store.latest_report().await.expect("latest").is_none());
    let first = store
        .generate_report(&org.ina, input("Q1"), OffsetDateTime::now_utc())
        .await
        .expect("first");
    let second = store
        .generate_report(&org.ina, input("Q2"), OffsetDateTime::now_utc())
        .await
        .expect("second");
    let ids: Vec<Uuid> = store
        .list_reports()
        .await
        .expect("list")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, [second.report.id, first.report.id]);
    let latest = store.latest_report().await.expect("latest").expect("one");
    assert_eq!(latest.summary, "Q2");
    let reporter = store
        .performance_reporter(today())
        .await
        .expect("reporter")
        .expect("flagged");
    assert!(reporter.is_held_by(org.ina.person_id));
    assert!(!reporter.is_held_by(org.bea.person_id));
}
