//! The audit trail as a signed Merkle tree log: checkpoints give the root of the events' tree,
//! proofs verify, tampering is named by `audit verify` (store and command), the API per role and
//! its errors, the key file; store scenarios on both databases.

use std::path::PathBuf;
use std::process::{Command, Output};

use axum::http::StatusCode;
use charter::audit_log::signer::CheckpointSigner;
use charter::domain::access::{Permission, Role};
use charter::domain::checkpoint::{Checkpoint, decode_hashes, event_leaf};
use charter::domain::merkle::{self, Hash};
use charter::domain::{Actor, AuditEvent, PageRequest};
use charter::store::{Backend, DatabaseLocation, PersonWrite, Store};
use time::OffsetDateTime;

use crate::authorization_matrix::RouteRule;
use crate::helpers::{TestApp, TestDb, person_input, raw_sql};

/// Every route of this area and the permission it declares.
pub const ROUTES: &[RouteRule] = &[
    ("GET", "/api/v1/audit/public-key", Permission::Public),
    (
        "GET",
        "/api/v1/audit/checkpoints",
        Permission::ReadConformance,
    ),
    (
        "GET",
        "/api/v1/audit/checkpoints/latest",
        Permission::ReadConformance,
    ),
    (
        "GET",
        "/api/v1/audit/events/{seq}/inclusion-proof",
        Permission::ReadConformance,
    ),
    (
        "GET",
        "/api/v1/audit/consistency-proof",
        Permission::ReadConformance,
    ),
];

/// A key file in a folder of its own.
struct Key {
    _dir: tempfile::TempDir,
    path: PathBuf,
    signer: CheckpointSigner,
}

fn key() -> Key {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("keys").join("charter-signing.key");
    let signer = CheckpointSigner::load_or_create(&path).expect("key");
    Key {
        _dir: dir,
        path,
        signer,
    }
}

async fn event_count(store: &dyn Store) -> u64 {
    let page = store
        .list_audit_events(&Default::default(), PageRequest::new(Some(1), Some(1)))
        .await
        .expect("events");
    u64::try_from(page.total).expect("count")
}

/// Adds people (an event each) until the log holds `size` events.
async fn grow_to(store: &dyn Store, size: u64) {
    let now = event_count(store).await;
    assert!(now <= size, "the log already holds {now} events");
    let writes: Vec<PersonWrite> = (now..size)
        .map(|i| {
            let id = uuid::Uuid::now_v7();
            PersonWrite {
                id,
                input: person_input(
                    &format!("Person {i}"),
                    &format!("{}@example.com", id.simple()),
                ),
                is_new: true,
            }
        })
        .collect();
    for chunk in writes.chunks(5_000) {
        store
            .write_people(&Actor::cli(), chunk)
            .await
            .expect("people");
    }
    assert_eq!(event_count(store).await, size);
}

/// Every event, in order.
async fn all_events(store: &dyn Store) -> Vec<AuditEvent> {
    let mut events = Vec::new();
    for page in 1.. {
        let items = store
            .list_audit_events(&Default::default(), PageRequest::new(Some(page), Some(500)))
            .await
            .expect("events")
            .items;
        if items.is_empty() {
            break;
        }
        events.extend(items);
    }
    events.sort_by_key(|e| e.seq);
    events
}

fn leaves(events: &[AuditEvent]) -> Vec<Hash> {
    events
        .iter()
        .map(|e| event_leaf(&e.hash).expect("a 32-byte hash"))
        .collect()
}

fn root_of(checkpoint: &Checkpoint) -> Hash {
    checkpoint.root().expect("a root")
}

async fn checkpoint_at(db: &TestDb, key: &Key, size: u64) -> Checkpoint {
    grow_to(db.store.as_ref(), size).await;
    let checkpoint = db
        .store
        .make_checkpoint(&key.signer, OffsetDateTime::now_utc())
        .await
        .expect("checkpoint");
    assert_eq!(checkpoint.tree_size, size);
    checkpoint
}

crate::on_both_backends!(
    checkpoint_roots_are_the_tree_heads_of_the_events_around_stored_subtrees,
    a_first_checkpoint_over_many_events_verifies_and_proves_across_ranges,
    inclusion_proofs_verify_for_every_leaf_and_fail_for_another_event,
    consistency_proofs_between_checkpoints_verify,
    checkpoints_and_keys_are_append_only,
    an_edited_event_is_named,
    a_rewritten_chain_is_named_by_the_stored_subtree_or_the_checkpoint,
    an_edited_stored_subtree_is_named,
    a_forged_checkpoint_is_named,
    a_checkpoint_signed_by_another_key_is_named,
    concurrent_checkpoints_write_each_subtree_once,
);

async fn checkpoint_roots_are_the_tree_heads_of_the_events_around_stored_subtrees(db: TestDb) {
    let key = key();
    let store = db.store.as_ref();
    for size in [255, 256, 257, 511, 512, 513, 1_024, 3_001, 4_100] {
        let checkpoint = checkpoint_at(&db, &key, size).await;
        let leaves = leaves(&all_events(store).await);
        assert_eq!(root_of(&checkpoint), merkle::root(&leaves), "size {size}");
        assert!(checkpoint.signature_valid(&key.signer.public_key()));
        let again = store
            .make_checkpoint(&key.signer, OffsetDateTime::now_utc())
            .await
            .expect("checkpoint");
        assert_eq!(
            again, checkpoint,
            "the log did not grow: the same checkpoint"
        );
    }
    assert_eq!(store.list_checkpoints(100).await.expect("list").len(), 9);
    assert_eq!(
        store
            .latest_checkpoint()
            .await
            .expect("latest")
            .map(|c| c.tree_size),
        Some(4_100)
    );
    assert_eq!(store.checkpoint(513).await.expect("at 513").tree_size, 513);
    assert!(matches!(
        store.checkpoint(514).await,
        Err(charter::store::StoreError::NotFound(_))
    ));
    let keys = store.signing_keys().await.expect("keys");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].key_id, key.signer.key_id());
    let report = store.verify_audit_log().await.expect("verify");
    assert!(report.intact(), "{report:?}");
    assert_eq!(
        (report.events_checked, report.checkpoints_verified),
        (4_100, 9)
    );
}

async fn a_first_checkpoint_over_many_events_verifies_and_proves_across_ranges(db: TestDb) {
    let key = key();
    let store = db.store.as_ref();
    // Past one batch of stored-subtree reads (65,536) and several ranges of the check (16,384),
    // so complete ranges merge into subtrees of levels 15 and 16.
    let first = checkpoint_at(&db, &key, 70_001).await;
    let second = checkpoint_at(&db, &key, 70_500).await;
    let events = all_events(store).await;
    let leaves = leaves(&events);
    assert_eq!(root_of(&first), merkle::root(&leaves[..70_001]));
    assert_eq!(root_of(&second), merkle::root(&leaves));
    for index in [
        0_u64, 255, 256, 16_383, 16_384, 32_768, 65_535, 65_536, 70_000,
    ] {
        let proof = store.inclusion_proof(index, 70_001).await.expect("proof");
        let position = usize::try_from(index).expect("index");
        assert!(
            proof.proves(&events[position].hash, &root_of(&first)),
            "leaf {index}"
        );
        let expected: Vec<String> = merkle::inclusion_proof(&leaves[..70_001], position)
            .expect("in range")
            .iter()
            .map(hex::encode)
            .collect();
        assert_eq!(proof.hashes, expected, "leaf {index}");
    }
    let proof = store
        .consistency_proof(70_001, 70_500)
        .await
        .expect("proof");
    let proof = decode_hashes(&proof).expect("hashes");
    assert!(merkle::verify_consistency(
        70_001,
        70_500,
        &root_of(&first),
        &root_of(&second),
        &proof
    ));
    let report = store.verify_audit_log().await.expect("verify");
    assert!(report.intact(), "{report:?}");
    assert_eq!(
        (report.events_checked, report.checkpoints_verified),
        (70_500, 2)
    );
}

async fn inclusion_proofs_verify_for_every_leaf_and_fail_for_another_event(db: TestDb) {
    let key = key();
    let store = db.store.as_ref();
    let older = checkpoint_at(&db, &key, 300).await;
    let latest = checkpoint_at(&db, &key, 600).await;
    let events = all_events(store).await;
    for (checkpoint, size) in [(&older, 300_usize), (&latest, 600)] {
        for index in 0..size {
            let proof = store
                .inclusion_proof(index as u64, checkpoint.tree_size)
                .await
                .expect("proof");
            assert!(
                proof.proves(&events[index].hash, &root_of(checkpoint)),
                "leaf {index} of {size}"
            );
            let other = &events[(index + 1) % size];
            assert!(
                !proof.proves(&other.hash, &root_of(checkpoint)),
                "leaf {index} of {size} with another event"
            );
        }
    }
    // Any size the latest checkpoint covers; none beyond it, no leaf beyond the size.
    let proof = store.inclusion_proof(10, 450).await.expect("proof");
    let expected = merkle::root(&leaves(&events[..450]));
    assert!(proof.proves(&events[10].hash, &expected));
    for (leaf, size) in [(10, 601), (450, 450)] {
        assert!(
            matches!(
                store.inclusion_proof(leaf, size).await,
                Err(charter::store::StoreError::Invalid(_))
            ),
            "leaf {leaf} of {size}"
        );
    }
}

async fn consistency_proofs_between_checkpoints_verify(db: TestDb) {
    let key = key();
    let store = db.store.as_ref();
    let mut checkpoints = Vec::new();
    for size in [1, 7, 256, 257, 700, 1_024, 1_500] {
        checkpoints.push(checkpoint_at(&db, &key, size).await);
    }
    let leaves = leaves(&all_events(store).await);
    for (i, old) in checkpoints.iter().enumerate() {
        for new in &checkpoints[i..] {
            let proof = store
                .consistency_proof(old.tree_size, new.tree_size)
                .await
                .expect("proof");
            let size = usize::try_from(new.tree_size).expect("size");
            let expected: Vec<String> = merkle::consistency_proof(
                &leaves[..size],
                usize::try_from(old.tree_size).expect("size"),
            )
            .expect("proof")
            .iter()
            .map(hex::encode)
            .collect();
            assert_eq!(proof, expected, "{} to {}", old.tree_size, new.tree_size);
            assert!(merkle::verify_consistency(
                old.tree_size,
                new.tree_size,
                &root_of(old),
                &root_of(new),
                &decode_hashes(&proof).expect("hashes")
            ));
        }
    }
    assert!(matches!(
        store.consistency_proof(700, 256).await,
        Err(charter::store::StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.consistency_proof(0, 256).await,
        Err(charter::store::StoreError::Invalid(_))
    ));
}

/// Runs SQL around Charter and says whether the database accepted it.
async fn try_sql(location: &DatabaseLocation, sql: &str) -> Result<(), String> {
    use sqlx::Connection;
    let outcome = match location {
        DatabaseLocation::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
            let mut conn = sqlx::SqliteConnection::connect_with(&options)
                .await
                .expect("sqlite");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut conn)
                .await
                .map(|_| ())
        }
        DatabaseLocation::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut conn)
                .await
                .map(|_| ())
        }
    };
    outcome.map_err(|e| e.to_string())
}

async fn checkpoints_and_keys_are_append_only(db: TestDb) {
    let key = key();
    checkpoint_at(&db, &key, 20).await;
    for sql in [
        "UPDATE audit_checkpoints SET root_hash = 'x'",
        "DELETE FROM audit_checkpoints",
        "UPDATE audit_signing_keys SET public_key = 'x'",
        "DELETE FROM audit_signing_keys",
    ] {
        let refused = try_sql(&db.location, sql).await.expect_err(sql);
        assert!(refused.contains("append-only"), "{sql}: {refused}");
    }
    assert!(db.store.verify_audit_log().await.expect("verify").intact());
}

/// The report of a log that must not verify.
async fn broken_log(db: &TestDb) -> charter::store::audit_log::LogReport {
    let report = db.store.verify_audit_log().await.expect("verify");
    assert!(!report.intact(), "the tampering is detected");
    report
}

async fn an_edited_event_is_named(db: TestDb) {
    let key = key();
    checkpoint_at(&db, &key, 300).await;
    raw_sql(
        &db.location,
        "UPDATE audit_events SET actor = 'mallory' WHERE seq = 123",
    )
    .await;
    let broken = broken_log(&db).await.broken.expect("the chain breaks");
    assert_eq!(broken.seq, 123);
    assert!(broken.reason.contains("edited"), "{}", broken.reason);
}

/// Rewrites event `seq` and seals every event after it again, with the chain head: the chain
/// verifies; only the Merkle log can tell.
async fn rewrite_chain_from(db: &TestDb, seq: i64) {
    let mut events = all_events(db.store.as_ref()).await;
    let at = usize::try_from(seq - 1).expect("seq");
    events[at].actor = "mallory".into();
    let mut prev = events[at].prev_hash.clone();
    let mut sql = String::new();
    for event in &mut events[at..] {
        event.prev_hash.clone_from(&prev);
        event.hash = event.computed_hash();
        prev.clone_from(&event.hash);
        sql.push_str(&format!(
            "UPDATE audit_events SET actor = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {};\n",
            event.actor, event.prev_hash, event.hash, event.seq
        ));
    }
    sql.push_str(&format!(
        "UPDATE audit_head SET hash = '{prev}' WHERE id = 1;"
    ));
    raw_sql(&db.location, &sql).await;
}

async fn a_rewritten_chain_is_named_by_the_stored_subtree_or_the_checkpoint(db: TestDb) {
    let key = key();
    checkpoint_at(&db, &key, 200).await;
    checkpoint_at(&db, &key, 300).await;
    rewrite_chain_from(&db, 290).await;
    let report = broken_log(&db).await;
    assert_eq!(report.broken, None, "the chain itself was sealed again");
    let problem = report.problem.expect("a problem");
    assert!(
        problem.contains("checkpoint at size 300")
            && problem.contains("forged or the log rewritten"),
        "{problem}"
    );
    rewrite_chain_from(&db, 100).await;
    let problem = broken_log(&db).await.problem.expect("a problem");
    assert!(
        problem.contains("stored hash of events 1 to 256"),
        "the subtree holding the event comes first: {problem}"
    );
}

async fn an_edited_stored_subtree_is_named(db: TestDb) {
    let key = key();
    checkpoint_at(&db, &key, 1_100).await;
    raw_sql(
        &db.location,
        &format!(
            "UPDATE audit_tree_nodes SET hash = '{}' WHERE level = 9 AND idx = 1",
            "ab".repeat(32)
        ),
    )
    .await;
    let report = broken_log(&db).await;
    let problem = report.problem.expect("a problem");
    assert!(
        problem.contains("stored hash of events 513 to 1024") && problem.contains("altered"),
        "{problem}"
    );
    // A proof through that subtree no longer verifies against the signed root.
    let checkpoint = db
        .store
        .latest_checkpoint()
        .await
        .expect("latest")
        .expect("one");
    let events = all_events(db.store.as_ref()).await;
    let proof = db.store.inclusion_proof(5, 1_100).await.expect("proof");
    assert!(!proof.proves(&events[5].hash, &root_of(&checkpoint)));
    raw_sql(
        &db.location,
        "DELETE FROM audit_tree_nodes WHERE level = 9 AND idx = 1",
    )
    .await;
    let problem = broken_log(&db).await.problem.expect("a problem");
    assert!(
        problem.contains("events 513 to 1024") && problem.contains("missing"),
        "{problem}"
    );
}

fn time_literal(backend: Backend, at: OffsetDateTime) -> String {
    let text = at
        .format(&time::format_description::well_known::Rfc3339)
        .expect("time");
    match backend {
        Backend::Sqlite => format!("'{text}'"),
        Backend::Postgres => format!("'{text}'::timestamptz"),
    }
}

async fn insert_checkpoint(db: &TestDb, checkpoint: &Checkpoint) {
    raw_sql(
        &db.location,
        &format!(
            "INSERT INTO audit_checkpoints (tree_size, root_hash, signed_at, key_id, signature)
             VALUES ({}, '{}', {}, '{}', '{}')",
            checkpoint.tree_size,
            checkpoint.root_hash,
            time_literal(db.store.backend(), checkpoint.signed_at),
            checkpoint.key_id,
            checkpoint.signature
        ),
    )
    .await;
}

async fn a_forged_checkpoint_is_named(db: TestDb) {
    let key = key();
    checkpoint_at(&db, &key, 400).await;
    let forged = Checkpoint {
        tree_size: 350,
        root_hash: "cd".repeat(32),
        signed_at: OffsetDateTime::now_utc(),
        key_id: key.signer.key_id().to_owned(),
        signature: "ef".repeat(64),
    };
    insert_checkpoint(&db, &forged).await;
    let problem = broken_log(&db).await.problem.expect("a problem");
    assert!(
        problem.contains("checkpoint at size 350") && problem.contains("forged"),
        "{problem}"
    );
}

async fn a_checkpoint_signed_by_another_key_is_named(db: TestDb) {
    let key = key();
    let other = self::key();
    checkpoint_at(&db, &key, 400).await;
    let leaves = leaves(&all_events(db.store.as_ref()).await);
    // The right root, signed by a key the server never registered.
    let unregistered = other.signer.sign(
        350,
        &merkle::root(&leaves[..350]),
        OffsetDateTime::now_utc(),
    );
    insert_checkpoint(&db, &unregistered).await;
    let problem = broken_log(&db).await.problem.expect("a problem");
    assert!(
        problem.contains("checkpoint at size 350") && problem.contains("not registered"),
        "{problem}"
    );
    // The same, claiming the server's key.
    let mut claimed = other.signer.sign(
        300,
        &merkle::root(&leaves[..300]),
        OffsetDateTime::now_utc(),
    );
    claimed.key_id = key.signer.key_id().to_owned();
    insert_checkpoint(&db, &claimed).await;
    let problem = broken_log(&db).await.problem.expect("a problem");
    assert!(
        problem.contains("checkpoint at size 300") && problem.contains("valid signature"),
        "{problem}"
    );
}

async fn concurrent_checkpoints_write_each_subtree_once(db: TestDb) {
    let key = std::sync::Arc::new(key());
    grow_to(db.store.as_ref(), 2_000).await;
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (store, key) = (db.store.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            store
                .make_checkpoint(&key.signer, OffsetDateTime::now_utc())
                .await
        }));
    }
    for task in tasks {
        let checkpoint = task.await.expect("task").expect("checkpoint");
        assert_eq!(checkpoint.tree_size, 2_000);
    }
    assert_eq!(db.store.list_checkpoints(10).await.expect("list").len(), 1);
    assert!(db.store.verify_audit_log().await.expect("verify").intact());
}

#[test]
fn the_key_file_is_private_reused_and_never_replaced_when_corrupt() {
    let key = key();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key.path)
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let again = CheckpointSigner::load_or_create(&key.path).expect("the same key");
    assert_eq!(again.key_id(), key.signer.key_id());
    assert_eq!(again.public_key(), key.signer.public_key());
    let root = merkle::root(&[merkle::leaf_hash(b"x")]);
    let checkpoint = again.sign(1, &root, OffsetDateTime::now_utc());
    assert!(checkpoint.signature_valid(&key.signer.public_key()));
    assert!(!format!("{again:?}").contains("PRIVATE"), "{again:?}");

    std::fs::write(&key.path, b"not a key").expect("write");
    let error = format!(
        "{:#}",
        CheckpointSigner::load_or_create(&key.path).expect_err("corrupt")
    );
    assert!(
        error.contains(&key.path.display().to_string()) && error.contains("not an Ed25519"),
        "{error}"
    );
    assert_eq!(
        std::fs::read(&key.path).expect("kept"),
        b"not a key",
        "never replaced"
    );
}

fn charter(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .env_remove("CHARTER_DATABASE")
        .env_remove("CHARTER_SIGNING_KEY")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn the_command_verifies_the_log_and_names_a_forged_checkpoint() {
    let db = TestDb::sqlite().await;
    let key = key();
    let DatabaseLocation::Sqlite(path) = &db.location else {
        unreachable!("sqlite")
    };
    let path = path.to_str().expect("path").to_owned();
    checkpoint_at(&db, &key, 300).await;
    checkpoint_at(&db, &key, 700).await;
    let intact = charter(&["audit", "verify", "--database", &path]);
    let text = stdout(&intact);
    assert_eq!(intact.status.code(), Some(0), "{text}");
    let latest = db
        .store
        .latest_checkpoint()
        .await
        .expect("latest")
        .expect("one");
    assert!(
        text.contains(&format!(
            "intact: 700 events, 2 signed checkpoints verified, latest at size 700, root {}",
            latest.root_hash
        )),
        "{text}"
    );
    let key_path = key.path.to_str().expect("path");
    let printed = charter(&[
        "audit",
        "public-key",
        "--database",
        &path,
        "--signing-key",
        key_path,
    ]);
    assert_eq!(stdout(&printed), key.signer.public_key_pem());
    // Without the key file here, the key registered in the database.
    let missing = PathBuf::from(key_path).with_file_name("elsewhere.key");
    let registered = charter(&[
        "audit",
        "public-key",
        "--database",
        &path,
        "--signing-key",
        missing.to_str().expect("path"),
    ]);
    assert_eq!(stdout(&registered), key.signer.public_key_pem());
    assert!(!missing.exists(), "printing the key creates none");

    let forged = key.signer.sign(500, &[7; 32], OffsetDateTime::now_utc());
    insert_checkpoint(&db, &forged).await;
    let broken = charter(&["audit", "verify", "--database", &path]);
    let text = stdout(&broken);
    assert_eq!(broken.status.code(), Some(1), "{text}");
    assert!(
        text.contains("BROKEN") && text.contains("checkpoint at size 500"),
        "{text}"
    );
}

#[tokio::test]
async fn the_background_runner_signs_the_log_when_it_grew() {
    use charter::jobs::{JobRunner, JobSettings};
    use charter::mail::{MailSettings, Mailer};
    let key = key();
    let app = TestApp::with_signing_key(TestDb::sqlite().await, &key.path);
    let mailer = Mailer::from_settings(&MailSettings {
        smtp_url: None,
        smtp_ca_file: None,
        from: "charter@example.com".into(),
    })
    .expect("mailer");
    let mut state = charter::app::AppState::new(app.db.store.clone());
    state.signer = Some(std::sync::Arc::new(
        CheckpointSigner::load(&key.path).expect("key"),
    ));
    let runner = JobRunner::new(
        state,
        mailer,
        JobSettings::every(std::time::Duration::from_secs(60)),
    );
    runner.run_once().await;
    let first = app
        .store()
        .latest_checkpoint()
        .await
        .expect("latest")
        .expect("signed");
    assert_eq!(first.tree_size, event_count(app.store()).await);
    let unchanged = event_count(app.store()).await;
    runner.run_once().await;
    let after = event_count(app.store()).await;
    let latest = app
        .store()
        .latest_checkpoint()
        .await
        .expect("latest")
        .expect("signed");
    // A run that wrote nothing signs nothing new; one that did is signed.
    assert_eq!(latest.tree_size, after);
    if after == unchanged {
        assert_eq!(latest, first);
    }
    grow_to(app.store(), after + 3).await;
    runner.run_once().await;
    let grown = app
        .store()
        .latest_checkpoint()
        .await
        .expect("latest")
        .expect("signed");
    assert!(grown.tree_size >= after + 3);
    assert!(grown.signature_valid(&key.signer.public_key()));
}

/// An app with a signing key and a signed log of `size` events, signed in as `role`.
async fn signed_app(role: Role, size: u64) -> (TestApp, Key) {
    let key = key();
    let mut app = TestApp::with_signing_key(TestDb::sqlite().await, &key.path);
    app.session = Some(app.account_session(role.as_str(), &[role]).await);
    grow_to(app.store(), size).await;
    app.store()
        .make_checkpoint(&key.signer, OffsetDateTime::now_utc())
        .await
        .expect("checkpoint");
    (app, key)
}

fn error_code(response: &crate::helpers::TestResponse) -> String {
    response.json()["error"]["code"]
        .as_str()
        .expect("an error in the error format")
        .to_owned()
}

#[tokio::test]
async fn an_auditor_gets_checkpoints_and_proofs_that_verify() {
    let (app, key) = signed_app(Role::Auditor, 600).await;
    let latest = app.get("/api/v1/audit/checkpoints/latest").await;
    assert_eq!(latest.status, StatusCode::OK, "{}", latest.text());
    let latest: Checkpoint = serde_json::from_slice(&latest.body).expect("checkpoint");
    assert_eq!(latest.tree_size, 600);
    assert!(latest.signature_valid(&key.signer.public_key()));
    grow_to(app.store(), 700).await;
    let newer = app
        .store()
        .make_checkpoint(&key.signer, OffsetDateTime::now_utc())
        .await
        .expect("checkpoint");
    let list = app.get("/api/v1/audit/checkpoints").await.json();
    assert_eq!(list[0]["tree_size"], newer.tree_size, "newest first");
    assert_eq!(list[1]["tree_size"], 600);
    assert_eq!(
        app.get("/api/v1/audit/checkpoints?limit=1")
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    let answer = app
        .get("/api/v1/audit/events/42/inclusion-proof?tree_size=600")
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let answer = answer.json();
    let event: AuditEvent = serde_json::from_value(answer["event"].clone()).expect("event");
    let proof: charter::domain::checkpoint::InclusionProof =
        serde_json::from_value(answer["proof"].clone()).expect("proof");
    let checkpoint: Checkpoint =
        serde_json::from_value(answer["checkpoint"].clone()).expect("checkpoint");
    assert_eq!((event.seq, answer["leaf_index"].as_u64()), (42, Some(41)));
    assert_eq!(event.hash, event.computed_hash());
    assert!(checkpoint.signature_valid(&key.signer.public_key()));
    assert!(proof.proves(&event.hash, &root_of(&checkpoint)));
    let by_default = app
        .get("/api/v1/audit/events/42/inclusion-proof")
        .await
        .json();
    assert_eq!(
        by_default["checkpoint"]["tree_size"], newer.tree_size,
        "the latest"
    );

    let consistency = app
        .get(&format!(
            "/api/v1/audit/consistency-proof?from=600&to={}",
            newer.tree_size
        ))
        .await;
    assert_eq!(consistency.status, StatusCode::OK, "{}", consistency.text());
    let consistency = consistency.json();
    let proof: Vec<String> = serde_json::from_value(consistency["proof"].clone()).expect("proof");
    assert!(merkle::verify_consistency(
        600,
        newer.tree_size,
        &root_of(&latest),
        &root_of(&newer),
        &decode_hashes(&proof).expect("hashes")
    ));
    assert_eq!(consistency["from"]["tree_size"], 600);

    let pem = app.get("/api/v1/audit/public-key").await;
    assert_eq!(pem.status, StatusCode::OK);
    assert!(
        pem.header("content-type")
            .is_some_and(|t| t.starts_with("text/plain"))
    );
    assert_eq!(pem.text(), key.signer.public_key_pem());
    let json = app.get("/api/v1/audit/public-key?format=json").await.json();
    assert_eq!(json["key_id"], key.signer.key_id());
    assert_eq!(json["public_key_pem"], key.signer.public_key_pem());
}

#[tokio::test]
async fn bad_parameters_are_answered_in_the_error_format() {
    let (app, _key) = signed_app(Role::IsmsManager, 300).await;
    for (uri, status, code) in [
        (
            "/api/v1/audit/events/abc/inclusion-proof",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/v1/audit/events/0/inclusion-proof",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/v1/audit/events/999999/inclusion-proof",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/v1/audit/events/5/inclusion-proof?tree_size=x",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/events/5/inclusion-proof?tree_size=299",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/v1/audit/consistency-proof",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/consistency-proof?from=300",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/consistency-proof?from=300&to=1",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/consistency-proof?from=0&to=300",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/consistency-proof?from=5&to=300",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/v1/audit/checkpoints?limit=0",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/public-key?format=xml",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
    ] {
        let response = app.get(uri).await;
        assert_eq!(response.status, status, "{uri}: {}", response.text());
        assert_eq!(error_code(&response), code, "{uri}");
    }
    // An event after the checkpoint asked for.
    grow_to(app.store(), 310).await;
    let late = app
        .get("/api/v1/audit/events/305/inclusion-proof?tree_size=300")
        .await;
    assert_eq!(
        late.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        late.text()
    );
    assert_eq!(error_code(&late), "validation_failed");
}

#[tokio::test]
async fn before_any_key_there_is_no_public_key_or_checkpoint() {
    let app = TestApp::new().await;
    let pem = app.get("/api/v1/audit/public-key").await;
    assert_eq!(pem.status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&pem), "not_found");
    let latest = app.get("/api/v1/audit/checkpoints/latest").await;
    assert_eq!(latest.status, StatusCode::NOT_FOUND);
    let proof = app.get("/api/v1/audit/events/1/inclusion-proof").await;
    assert_eq!(proof.status, StatusCode::NOT_FOUND);
    let staff = TestApp::as_role(Role::Staff).await;
    assert_eq!(
        staff.get("/api/v1/audit/checkpoints").await.status,
        StatusCode::FORBIDDEN
    );
    assert_ne!(
        staff.get("/api/v1/audit/public-key").await.status,
        StatusCode::FORBIDDEN
    );
}
