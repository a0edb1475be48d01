//! Tampering with the audit trail directly in the database is caught, on both databases.

use charter::domain::Actor;
use time::macros::date;

use crate::helpers::{TestDb, person_input, raw_sql};

/// Adds `count` events after those of a fresh store (its standard role catalog); returns how
/// many events the chain holds.
async fn with_events(db: &TestDb, count: usize) -> i64 {
    let installed = db
        .store
        .verify_audit_chain()
        .await
        .expect("verify")
        .events_checked;
    for i in 0..count {
        let input = person_input(&format!("Person {i}"), &format!("p{i}@example.com"));
        db.store
            .create_person(&Actor::cli(), input, date!(2026 - 11 - 29))
            .await
            .expect("person");
    }
    let report = db.store.verify_audit_chain().await.expect("verify");
    assert_eq!(
        (report.events_checked, report.broken.clone()),
        (installed + count as u64, None),
        "intact before tampering"
    );
    report.events_checked as i64
}

/// The first break, named alike by the chain's check and by the whole log's check (which reads
/// ranges at once and joins them).
async fn first_broken(db: &TestDb) -> (i64, String) {
    let report = db.store.verify_audit_chain().await.expect("verify");
    let broken = report.broken.expect("the tampering is detected");
    let log = db.store.verify_audit_log().await.expect("verify the log");
    assert_eq!(log.broken.as_ref(), Some(&broken), "both checks name it");
    assert_eq!(log.events_checked, report.events_checked);
    (broken.seq, broken.reason)
}

crate::on_both_backends!(
    an_edited_event_is_named,
    a_deleted_event_is_named,
    a_deleted_last_event_is_named,
    an_inserted_event_is_named,
    an_event_appended_with_a_valid_hash_is_named,
    reordered_events_are_named,
    an_event_slipped_in_before_the_first_is_named,
    a_field_holding_a_separator_is_named,
);

async fn an_edited_event_is_named(db: TestDb) {
    with_events(&db, 5).await;
    raw_sql(
        &db.location,
        "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3",
    )
    .await;
    let (seq, reason) = first_broken(&db).await;
    assert_eq!(seq, 3);
    assert!(reason.contains("edited"), "{reason}");
}

async fn a_deleted_event_is_named(db: TestDb) {
    with_events(&db, 5).await;
    raw_sql(&db.location, "DELETE FROM audit_events WHERE seq = 2").await;
    let (seq, reason) = first_broken(&db).await;
    assert_eq!(seq, 2);
    assert!(reason.contains("missing"), "{reason}");
}

async fn a_deleted_last_event_is_named(db: TestDb) {
    let last = with_events(&db, 5).await;
    raw_sql(
        &db.location,
        &format!("DELETE FROM audit_events WHERE seq = {last}"),
    )
    .await;
    assert_eq!(first_broken(&db).await.0, last);
}

async fn an_inserted_event_is_named(db: TestDb) {
    with_events(&db, 5).await;
    raw_sql(
        &db.location,
        "UPDATE audit_events SET seq = seq + 100 WHERE seq >= 3;
         UPDATE audit_events SET seq = seq - 99 WHERE seq >= 103;
         INSERT INTO audit_events (seq, occurred_at, actor, action, record_type, record_id, record_digest, prev_hash, hash)
         SELECT 3, occurred_at, 'mallory', 'person.created', 'person', 'forged', record_digest, hash, hash
         FROM audit_events WHERE seq = 2;",
    )
    .await;
    assert_eq!(first_broken(&db).await.0, 3);
}

/// A forger who knows the hash algorithm can seal an event that links correctly; the recorded
/// head of the chain still tells.
async fn an_event_appended_with_a_valid_hash_is_named(db: TestDb) {
    let last_seq = with_events(&db, 3).await;
    let events = db
        .store
        .list_audit_events(&Default::default(), Default::default())
        .await
        .expect("events");
    let last = &events.items[0];
    let forged = charter::domain::NewAuditEvent::for_record(
        &Actor::named("mallory"),
        "person.created",
        "person",
        "forged",
        &"x",
    )
    .seal(last.seq + 1, last.occurred_at, last.hash.clone());
    let at = forged
        .occurred_at
        .format(&time::format_description::well_known::Rfc3339)
        .expect("time");
    let time_literal = match db.store.backend() {
        charter::store::Backend::Sqlite => format!("'{at}'"),
        charter::store::Backend::Postgres => format!("'{at}'::timestamptz"),
    };
    raw_sql(
        &db.location,
        &format!(
            "INSERT INTO audit_events (seq, occurred_at, actor, action, record_type, record_id, record_digest, prev_hash, hash)
             VALUES ({}, {time_literal}, '{}', '{}', '{}', '{}', '{}', '{}', '{}')",
            forged.seq, forged.actor, forged.action, forged.record_type, forged.record_id, forged.record_digest, forged.prev_hash, forged.hash
        ),
    )
    .await;
    let (seq, reason) = first_broken(&db).await;
    assert_eq!(seq, last_seq + 1);
    assert!(reason.contains("added after"), "{reason}");
}

async fn reordered_events_are_named(db: TestDb) {
    with_events(&db, 5).await;
    raw_sql(
        &db.location,
        "UPDATE audit_events SET seq = -2 WHERE seq = 2;
         UPDATE audit_events SET seq = 2 WHERE seq = 3;
         UPDATE audit_events SET seq = 3 WHERE seq = -2;",
    )
    .await;
    assert_eq!(first_broken(&db).await.0, 2);
}

async fn an_event_slipped_in_before_the_first_is_named(db: TestDb) {
    with_events(&db, 3).await;
    raw_sql(
        &db.location,
        "INSERT INTO audit_events (seq, occurred_at, actor, action, record_type, record_id, record_digest, prev_hash, hash)
         SELECT 0, occurred_at, actor, action, record_type, record_id, record_digest, prev_hash, hash
         FROM audit_events WHERE seq = 1",
    )
    .await;
    let (seq, reason) = first_broken(&db).await;
    assert_eq!(seq, 0);
    assert!(reason.contains("out of order"), "{reason}");
}

async fn a_field_holding_a_separator_is_named(db: TestDb) {
    with_events(&db, 3).await;
    let separator = match db.store.backend() {
        charter::store::Backend::Sqlite => "char(31)",
        charter::store::Backend::Postgres => "chr(31)",
    };
    raw_sql(
        &db.location,
        &format!("UPDATE audit_events SET actor = actor || {separator} || 'x' WHERE seq = 2"),
    )
    .await;
    assert_eq!(first_broken(&db).await.0, 2);
}

/// Times as SQLite stores them are read without the general parser; every form gives the same
/// instant as the parser would.
#[test]
fn packed_times_read_as_the_parser_reads_them() {
    use charter::domain::audit::{ChainLink, FIELD_SEPARATOR};
    use time::format_description::well_known::Rfc3339;
    for text in [
        "2026-11-29T10:00:00Z",
        "2026-11-29T10:00:00.1Z",
        "2026-11-29T10:00:00.123456Z",
        "2026-11-29T10:00:00.1234567Z",
        "2026-11-29T10:00:00.123456789Z",
        "2024-02-29T23:59:59.999999+00:00",
        "2000-03-01T00:00:00.000001Z",
        "1970-01-01T00:00:00Z",
        "2100-12-31T23:59:59.5Z",
        "2026-11-29T10:00:00.5+02:00",
        "1969-12-31T23:59:59.5Z",
    ] {
        let sep = FIELD_SEPARATOR.to_string();
        let packed = ["7", text, "a", "b", "c", "d", "e", "f", "g"].join(&sep);
        let link = ChainLink::unpack(&packed).expect(text);
        let parsed = time::OffsetDateTime::parse(text, &Rfc3339).expect(text);
        let micros = i64::try_from(parsed.unix_timestamp_nanos() / 1_000).expect("micros");
        assert_eq!(link.micros, micros, "{text}");
    }
    let sep = FIELD_SEPARATOR.to_string();
    for text in [
        "2026-02-30T10:00:00Z",
        "2026-13-01T10:00:00Z",
        "2026-11-29T24:00:00Z",
    ] {
        let packed = ["7", text, "a", "b", "c", "d", "e", "f", "g"].join(&sep);
        assert_eq!(ChainLink::unpack(&packed), None, "{text}");
    }
}
