//! Audit packs: a pack exported from a small organization verifies offline with the server's
//! public key and with nothing else; any other key, and any change to any kind of evidence
//! record, event, proof, checkpoint, manifest or assessment, is named. The command line (exit
//! codes 0, 1, 2), the API per role, the page, and reproducible evidence samples.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use axum::http::StatusCode;
use charter::app::AppState;
use charter::audit_log::signer::CheckpointSigner;
use charter::audit_pack::verify::{verify_bytes, verify_pack};
use charter::audit_pack::{PackRequest, build_pack};
use charter::domain::Actor;
use charter::domain::access::{Permission, Role, grants};
use charter::domain::assessment::Trigger;
use charter::domain::audit_pack::{AuditPack, EXPORT_ACTION, PACK_FORMAT};
use charter::domain::checkpoint::public_key_pem;
use charter::domain::conformance::liveness::CoveragePoint;
use charter::domain::conformance::{
    CATALOG, Evaluation, EvidenceKind, Liveness, RequirementResult, Thresholds, Verdict,
};
use charter::domain::{AuditFilter, PageRequest};
use charter::store::Store;
use serde_json::{Value, json};
use tempfile::TempDir;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::authorization_matrix::RouteRule;
use crate::helpers::{TestApp, TestDb};

/// Every route of this area and the permission it declares.
pub const ROUTES: &[RouteRule] = &[
    ("POST", "/api/v1/audit-packs", Permission::ExportAuditPacks),
    (
        "GET",
        "/api/v1/evidence/samples",
        Permission::ExportAuditPacks,
    ),
    ("GET", "/conformance/pack", Permission::ExportAuditPacks),
    ("POST", "/conformance/pack", Permission::ExportAuditPacks),
    ("GET", "/conformance/samples", Permission::ExportAuditPacks),
];

fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}

/// A signing key in its own folder.
fn signer() -> (CheckpointSigner, TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let signer = CheckpointSigner::load_or_create(&dir.path().join("signing.key")).expect("key");
    (signer, dir)
}

/// The demo's organization at 60 people: policies, campaigns, roles, leadership records.
async fn small_org(store: &dyn Store) {
    let today = today();
    charter::demo::generate(store, 60, today)
        .await
        .expect("org");
    // The demo's accounts, one per tool role, as `charter demo` makes them.
    let employees = charter::domain::PersonFilter {
        status: Some(charter::domain::PersonStatus::Active),
        kind: Some(charter::domain::PersonKind::Employee),
        ..Default::default()
    };
    let people = store
        .list_people(&employees, PageRequest::new(Some(1), Some(7)))
        .await
        .expect("people");
    for (role, person) in Role::ALL.into_iter().zip(people.items) {
        store
            .create_account(&Actor::named("demo"), person.id, None, &[role])
            .await
            .expect("account");
    }
    charter::demo::governance::seed_policies(store, today)
        .await
        .expect("policies");
    charter::demo::campaigns::seed_campaigns(store, today)
        .await
        .expect("campaigns");
    charter::demo::roles::seed_roles(store, today)
        .await
        .expect("roles");
    charter::demo::leadership::seed_leadership(store, today)
        .await
        .expect("leadership");
    let accounts = store.list_accounts().await.expect("accounts");
    let top = accounts
        .iter()
        .find(|a| a.roles.contains(&Role::TopManagement))
        .expect("top management");
    let input = serde_json::from_value(json!({
        "audience": { "kind": "everyone" }, "channel": "town_hall",
        "communicated_on": today.to_string(), "subject": "Why security matters to us",
        "body": "What we protect, for whom, and what we ask of everyone.",
    }))
    .expect("a communication");
    store
        .record_communication(top, input, today)
        .await
        .expect("communication");
}

fn first<T>(items: Vec<T>, what: &str) -> T {
    items
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the demo has a {what}"))
}

/// One record of every kind of evidence, from the store's own lists.
async fn one_of_each(store: &dyn Store) -> Vec<(EvidenceKind, Uuid)> {
    use charter::domain::role::OrgRoleFilter;
    let (today, page) = (today(), PageRequest::new(Some(1), Some(5)));
    let top = store.top_level_policy().await.expect("read").expect("top");
    let version = store
        .published_version(top.id)
        .await
        .expect("read")
        .expect("published");
    vec![
        (EvidenceKind::PolicyVersion, version.id),
        (
            EvidenceKind::PolicyException,
            first(
                store
                    .list_exceptions(&Default::default(), today, page)
                    .await
                    .expect("exceptions")
                    .items,
                "policy exception",
            )
            .id,
        ),
        (
            EvidenceKind::Campaign,
            store
                .list_campaigns(&Default::default(), today, PageRequest::new(None, None))
                .await
                .expect("campaigns")
                .items
                .into_iter()
                .max_by_key(|c| c.counts.acknowledged)
                .expect("the demo has a campaign")
                .id,
        ),
        (
            EvidenceKind::Role,
            first(
                store
                    .list_roles(&OrgRoleFilter::default())
                    .await
                    .expect("roles"),
                "role",
            )
            .id,
        ),
        (
            EvidenceKind::Assignment,
            first(
                store
                    .list_assignments(&Default::default(), today, page)
                    .await
                    .expect("assignments")
                    .items,
                "assignment",
            )
            .id,
        ),
        (
            EvidenceKind::RaciActivity,
            first(
                store.list_activities().await.expect("activities"),
                "activity",
            )
            .id,
        ),
        (
            EvidenceKind::SodRule,
            first(store.list_sod_rules().await.expect("rules"), "rule").id,
        ),
        (
            EvidenceKind::Unit,
            first(store.all_units().await.expect("units"), "unit").id,
        ),
        (
            EvidenceKind::Objective,
            first(
                store
                    .list_objectives(&Default::default(), today)
                    .await
                    .expect("objectives"),
                "objective",
            )
            .id,
        ),
        (
            EvidenceKind::ManagementReview,
            first(
                store
                    .list_management_reviews(&Default::default(), page)
                    .await
                    .expect("reviews")
                    .items,
                "review",
            )
            .id,
        ),
        (
            EvidenceKind::ImprovementAction,
            first(
                store
                    .list_improvement_actions(&Default::default(), today, page)
                    .await
                    .expect("actions")
                    .items,
                "action",
            )
            .id,
        ),
        (
            EvidenceKind::ResourceCommitment,
            first(
                store
                    .list_resource_commitments(&Default::default(), page)
                    .await
                    .expect("resources")
                    .items,
                "commitment",
            )
            .id,
        ),
        (
            EvidenceKind::Process,
            first(
                store.list_processes(today).await.expect("processes"),
                "process",
            )
            .id,
        ),
        (
            EvidenceKind::Briefing,
            first(
                store
                    .list_briefings(&Default::default(), page)
                    .await
                    .expect("briefings")
                    .items,
                "briefing",
            )
            .id,
        ),
        (
            EvidenceKind::PerformanceReport,
            first(store.list_reports().await.expect("reports"), "report").id,
        ),
        (
            EvidenceKind::Communication,
            first(
                store
                    .list_communications(page)
                    .await
                    .expect("communications")
                    .items,
                "communication",
            )
            .id,
        ),
        (EvidenceKind::ConcernSettings, Uuid::nil()),
    ]
}

/// An evaluation of every requirement citing `links` (spread over the requirements), with a
/// coverage figure that does not survive a naive JSON round trip.
fn evaluation_citing(links: &[(EvidenceKind, Uuid)]) -> Evaluation {
    let mut results: Vec<RequirementResult> = CATALOG
        .iter()
        .map(|r| {
            RequirementResult::new(r.id, Verdict::Conforming, "Shown by the records cited.")
                .figure("records cited", links.len())
        })
        .collect();
    for (i, (kind, id)) in links.iter().enumerate() {
        let at = i % results.len();
        results[at] = results[at].clone().cites(*kind, *id, format!("the {kind}"));
    }
    Evaluation {
        evaluated_at: OffsetDateTime::now_utc(),
        thresholds: Thresholds::default(),
        results,
        liveness: Liveness {
            coverage_trend: vec![CoveragePoint {
                month: "2025-01".into(),
                percent: 100.0 * 20.0 / 21.0,
            }],
            ..Liveness::default()
        },
    }
}

async fn store_assessment(store: &dyn Store, links: &[(EvidenceKind, Uuid)]) -> Uuid {
    store
        .run_assessment(None, Trigger::Cli, evaluation_citing(links))
        .await
        .expect("assessment")
        .id
}

async fn export(store: &dyn Store, signer: &CheckpointSigner, id: Option<Uuid>) -> AuditPack {
    let request = PackRequest {
        assessment_id: id,
        actor: Actor::named("test"),
        generated_by: "Test".into(),
        now: OffsetDateTime::now_utc(),
    };
    build_pack(store, signer, &request).await.expect("pack")
}

/// The first failure's detail, or a panic when everything verified.
fn failure(pack: &AuditPack, key: &[u8]) -> String {
    let verification = verify_pack(pack, key);
    let failed = verification
        .first_failure()
        .unwrap_or_else(|| panic!("expected a failure:\n{}", verification.report()));
    format!("{}: {}", failed.name, failed.detail)
}

/// Changes the first text, number or flag found in the value.
fn tamper(value: &mut Value) -> bool {
    match value {
        Value::String(text) => {
            text.push('!');
            true
        }
        Value::Number(n) => {
            *value = json!(n.as_f64().unwrap_or(0.0) + 1.0);
            true
        }
        Value::Bool(flag) => {
            *flag = !*flag;
            true
        }
        Value::Array(items) => items.iter_mut().any(tamper),
        Value::Object(fields) => fields.values_mut().any(tamper),
        Value::Null => false,
    }
}

crate::on_both_backends!(
    a_pack_verifies_offline_and_every_tampered_kind_of_record_is_named,
    tampered_events_proofs_checkpoints_manifests_and_assessments_are_named
);

async fn a_pack_verifies_offline_and_every_tampered_kind_of_record_is_named(db: TestDb) {
    let store = db.store.as_ref();
    small_org(store).await;
    let links = one_of_each(store).await;
    let id = store_assessment(store, &links).await;
    let (signer, _dir) = signer();
    let key = signer.public_key();
    let pack = export(store, &signer, Some(id)).await;

    let verification = verify_pack(&pack, &key);
    assert!(verification.passed(), "{}", verification.report());
    assert_eq!(pack.format, PACK_FORMAT);
    assert_eq!(pack.evidence.len(), EvidenceKind::ALL.len());
    assert!(pack.roles.iter().any(|r| !r.holders.is_empty()));
    assert!(
        pack.events
            .iter()
            .any(|e| e.event.action == "acknowledgment.recorded"),
        "the sampled acknowledgments' events are proved"
    );
    let concern = pack
        .evidence
        .iter()
        .find(|e| e.kind == EvidenceKind::ConcernSettings)
        .expect("concern settings");
    assert!(concern.record["counts"].is_object());
    assert!(!concern.record.to_string().contains("\"body\""));

    // The export is in the trail, with the manifest's hash, and proved.
    let exported = store
        .list_audit_events(
            &AuditFilter {
                action: Some(EXPORT_ACTION.into()),
                ..AuditFilter::default()
            },
            PageRequest::new(None, None),
        )
        .await
        .expect("events");
    assert_eq!(exported.items.len(), 1);
    assert_eq!(exported.items[0].record_digest, pack.manifest.sha256());
    assert_eq!(exported.items[0], pack.export_event.event);

    // The HTML rendering carries the same pack and verifies too.
    let html = charter::audit_pack::html::render(&pack);
    let from_html = verify_bytes(html.as_bytes(), &key);
    assert!(from_html.passed(), "{}", from_html.report());

    // Another key does not.
    let (other, _other_dir) = self::signer();
    assert!(failure(&pack, &other.public_key()).starts_with("checkpoint:"));

    for kind in EvidenceKind::ALL {
        let mut tampered = pack.clone();
        let record = tampered
            .evidence
            .iter_mut()
            .find(|e| e.kind == *kind)
            .expect("every kind is carried");
        assert!(tamper(&mut record.record), "{kind} has a field to change");
        let id = record.id;
        let named = failure(&tampered, &key);
        let expected = format!("evidence: evidence {kind} {id}: content does not match its hash");
        assert_eq!(named, expected);
    }
}

async fn tampered_events_proofs_checkpoints_manifests_and_assessments_are_named(db: TestDb) {
    let store = db.store.as_ref();
    small_org(store).await;
    let links = one_of_each(store).await;
    let id = store_assessment(store, &links[..6]).await;
    let (signer, _dir) = signer();
    let key = signer.public_key();
    let pack = export(store, &signer, None).await;
    assert_eq!(pack.assessment.id, id, "the latest assessment by default");
    assert!(verify_pack(&pack, &key).passed());

    let mut edited = pack.clone();
    edited.events[0].event.actor = "someone else".into();
    let seq = edited.events[0].event.seq;
    assert!(failure(&edited, &key).starts_with(&format!("events: event {seq} ")));

    let mut rewritten = pack.clone();
    rewritten.events[0].event.actor = "someone else".into();
    rewritten.events[0].event.hash = rewritten.events[0].event.computed_hash();
    assert!(failure(&rewritten, &key).starts_with("manifest:"));

    let mut proof = pack.clone();
    let hashes = &mut proof.events[1].proof.hashes;
    hashes[0] = "00".repeat(32);
    let seq = proof.events[1].event.seq;
    assert_eq!(
        failure(&proof, &key),
        format!(
            "inclusion proofs: the inclusion proof of event {seq} does not lead to the checkpoint's root"
        )
    );

    let mut checkpoint = pack.clone();
    checkpoint.checkpoint.tree_size += 1;
    assert!(failure(&checkpoint, &key).starts_with("checkpoint: the checkpoint's signature"));

    let mut manifest = pack.clone();
    manifest.manifest.evidence[0].sha256 = "00".repeat(32);
    let first = &manifest.evidence[0];
    assert_eq!(
        failure(&manifest, &key),
        format!(
            "evidence: evidence {} {}: its hash differs from the manifest's",
            first.kind, first.id
        )
    );

    // A record changed with its hash and the manifest: the export event still holds the old
    // manifest's hash.
    let mut consistent = pack.clone();
    tamper(&mut consistent.evidence[0].record);
    let sha = charter::domain::audit::record_digest(&consistent.evidence[0].record);
    consistent.evidence[0].sha256.clone_from(&sha);
    consistent.manifest.evidence[0].sha256 = sha;
    assert!(failure(&consistent, &key).starts_with("export event: export event"));

    let mut missing = pack.clone();
    let dropped = missing.evidence.remove(2);
    assert_eq!(
        failure(&missing, &key),
        format!(
            "manifest: the manifest lists evidence {} {} that the pack does not carry",
            dropped.kind, dropped.id
        )
    );

    let mut verdict = pack.clone();
    verdict.assessment.evaluation.results[0].verdict = Verdict::Nonconforming;
    assert_eq!(
        failure(&verdict, &key),
        format!("assessment: assessment {id}: the verdicts shown differ from the stored text")
    );

    let mut text = pack.clone();
    text.assessment.evaluation_json =
        text.assessment
            .evaluation_json
            .replacen("conforming", "partial", 1);
    assert_eq!(
        failure(&text, &key),
        format!("assessment: assessment {id}: its stored text does not match its hash")
    );

    // A new text with its own hash everywhere: the log recorded another hash for it.
    let mut restated = text.clone();
    let sha = charter::domain::assessment::content_sha256(&restated.assessment.evaluation_json);
    restated.assessment.evaluation =
        serde_json::from_str(&restated.assessment.evaluation_json).expect("still an evaluation");
    restated.assessment.content_sha256.clone_from(&sha);
    restated.manifest.assessment_sha256 = sha;
    assert!(
        failure(&restated, &key).starts_with(&format!("assessment event: assessment {id}: event "))
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

fn path(p: &Path) -> &str {
    p.to_str().expect("path")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_writes_and_verifies_packs_with_exit_codes_0_1_2() {
    let db = TestDb::sqlite().await;
    let store = db.store.as_ref();
    let links = vec![(EvidenceKind::ConcernSettings, Uuid::nil())];
    let id = store_assessment(store, &links).await;
    let dir = tempfile::tempdir().expect("dir");
    let key_file = dir.path().join("signing.key");
    let database = match &db.location {
        charter::store::DatabaseLocation::Sqlite(file) => file.clone(),
        charter::store::DatabaseLocation::Postgres(_) => unreachable!("sqlite"),
    };
    let out = dir.path().join("pack.json");
    let written = charter(&[
        "report",
        "audit-pack",
        "--format",
        "json",
        "--out",
        path(&out),
        "--database",
        path(&database),
        "--signing-key",
        path(&key_file),
    ]);
    let said = String::from_utf8_lossy(&written.stdout).into_owned();
    assert_eq!(
        written.status.code(),
        Some(0),
        "{said}{}",
        String::from_utf8_lossy(&written.stderr)
    );
    assert!(said.contains(&id.to_string()), "{said}");
    let signer = CheckpointSigner::load_or_create(&key_file).expect("the key it created");
    let public = dir.path().join("public.pem");
    std::fs::write(&public, public_key_pem(&signer.public_key())).expect("write");

    let verified = charter(&[
        "audit",
        "verify-pack",
        path(&out),
        "--public-key",
        path(&public),
    ]);
    let report = String::from_utf8_lossy(&verified.stdout).into_owned();
    assert_eq!(verified.status.code(), Some(0), "{report}");
    assert!(report.contains("The audit pack verifies"), "{report}");

    let mut pack: AuditPack =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("a pack");
    tamper(&mut pack.evidence[0].record);
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, serde_json::to_vec(&pack).expect("json")).expect("write");
    let refused = charter(&[
        "audit",
        "verify-pack",
        path(&tampered),
        "--public-key",
        path(&public),
    ]);
    let report = String::from_utf8_lossy(&refused.stdout).into_owned();
    assert_eq!(refused.status.code(), Some(1), "{report}");
    assert!(
        report.contains(&format!(
            "evidence concern_settings {}: content does not match its hash",
            Uuid::nil()
        )),
        "{report}"
    );

    let missing = dir.path().join("no-such-pack.json");
    let unreadable = charter(&[
        "audit",
        "verify-pack",
        path(&missing),
        "--public-key",
        path(&public),
    ]);
    assert_eq!(unreadable.status.code(), Some(2));
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a key").expect("write");
    let bad_key = charter(&[
        "audit",
        "verify-pack",
        path(&out),
        "--public-key",
        path(&garbage),
    ]);
    assert_eq!(bad_key.status.code(), Some(2));

    let unknown = charter(&[
        "report",
        "audit-pack",
        "--format",
        "json",
        "--out",
        path(&dir.path().join("x.json")),
        "--id",
        &Uuid::now_v7().to_string(),
        "--database",
        path(&database),
        "--signing-key",
        path(&key_file),
    ]);
    assert_eq!(unknown.status.code(), Some(1));
}

/// The app with a signing key, signed in as `roles`.
async fn app_with_key(roles: &[Role]) -> (TestApp, CheckpointSigner, TempDir) {
    let db = TestDb::sqlite().await;
    let dir = tempfile::tempdir().expect("dir");
    let key_file = dir.path().join("signing.key");
    let mut state = AppState::new(db.store.clone());
    state.signer = Some(Arc::new(
        CheckpointSigner::load_or_create(&key_file).expect("key"),
    ));
    let mut app = TestApp {
        router: charter::server::app(state),
        db,
        session: None,
    };
    app.session = Some(app.account_session("exporter", roles).await);
    let signer = CheckpointSigner::load_or_create(&key_file).expect("same key");
    (app, signer, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_exports_a_pack_to_those_who_may_in_every_format() {
    for role in Role::ALL {
        let (app, signer, _dir) = app_with_key(&[role]).await;
        store_assessment(app.store(), &[]).await;
        let response = app
            .post_json("/api/v1/audit-packs", json!({ "format": "json" }))
            .await;
        if !grants(role, Permission::ExportAuditPacks) {
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{role:?}");
            continue;
        }
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{role:?}: {}",
            response.text()
        );
        assert_eq!(response.header("content-type"), Some("application/json"));
        let disposition = response.header("content-disposition").expect("attachment");
        assert!(
            disposition.starts_with("attachment; filename=\"audit-pack-")
                && disposition.ends_with(".json\""),
            "{disposition}"
        );
        let verification = verify_bytes(&response.body, &signer.public_key());
        assert!(verification.passed(), "{}", verification.report());
    }

    let (app, signer, _dir) = app_with_key(&[Role::Auditor]).await;
    let none = app
        .post_json("/api/v1/audit-packs", json!({ "format": "json" }))
        .await;
    assert_eq!(none.status, StatusCode::CONFLICT);
    assert_eq!(none.json()["error"]["code"], "conflict");
    store_assessment(app.store(), &[]).await;
    let unknown = app
        .post_json(
            "/api/v1/audit-packs",
            json!({ "format": "json", "assessment_id": Uuid::now_v7() }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad = app
        .post_json("/api/v1/audit-packs", json!({ "format": "docx" }))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["code"], "validation_failed");

    let html = app
        .post_json("/api/v1/audit-packs", json!({ "format": "html" }))
        .await;
    assert_eq!(html.status, StatusCode::OK, "{}", html.text());
    assert!(
        html.header("content-type")
            .expect("type")
            .starts_with("text/html")
    );
    assert!(verify_bytes(&html.body, &signer.public_key()).passed());
    let oscal = app
        .post_json("/api/v1/audit-packs", json!({ "format": "oscal" }))
        .await;
    assert_eq!(oscal.status, StatusCode::OK, "{}", oscal.text());
    assert!(oscal.json()["assessment-results"].is_object());
    let pdf = app
        .post_json("/api/v1/audit-packs", json!({ "format": "pdf" }))
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF"));

    let keyless = TestApp::as_role(Role::Auditor).await;
    store_assessment(keyless.store(), &[]).await;
    let unavailable = keyless
        .post_json("/api/v1/audit-packs", json!({ "format": "json" }))
        .await;
    assert_eq!(unavailable.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(unavailable.json()["error"]["code"], "unavailable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_offers_the_assessments_and_downloads_the_pack() {
    let (app, signer, _dir) = app_with_key(&[Role::Auditor]).await;
    let empty = app.get("/conformance/pack").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.text().contains("No assessment has been stored yet"));
    let id = store_assessment(app.store(), &[]).await;
    let form = app.get("/conformance/pack").await;
    assert!(form.text().contains(&id.to_string()));
    assert!(form.text().contains("Download the pack"));
    let downloaded = app
        .post_form(
            "/conformance/pack",
            &[("assessment_id", &id.to_string()), ("format", "json")],
        )
        .await;
    assert_eq!(downloaded.status, StatusCode::OK, "{}", downloaded.text());
    assert!(verify_bytes(&downloaded.body, &signer.public_key()).passed());

    let keyless = TestApp::as_role(Role::Auditor).await;
    store_assessment(keyless.store(), &[]).await;
    let refused = keyless
        .post_form("/conformance/pack", &[("format", "json")])
        .await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.text().contains("no checkpoint signing key"));
}

async fn sample(app: &TestApp, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/evidence/samples?{query}")).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{query}: {}",
        response.text()
    );
    response.json()
}

fn positions(sample: &Value) -> Vec<i64> {
    sample["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["position"].as_i64().expect("position"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn samples_are_reproducible_by_seed_bounded_and_write_nothing() {
    let app = TestApp::as_role(Role::Auditor).await;
    small_org(app.store()).await;
    let before = app.store().org_counts().await.expect("counts").audit_events;

    let once = sample(&app, "kind=assignments&size=10&seed=audit-2025").await;
    let again = sample(&app, "kind=assignments&size=10&seed=audit-2025").await;
    assert_eq!(once, again, "the same seed draws the same sample");
    assert_eq!(positions(&once).len(), 10, "{once}");
    assert!(once["population"].as_i64().expect("population") > 10);
    let other = sample(&app, "kind=assignments&size=10&seed=another").await;
    assert_ne!(positions(&once), positions(&other));
    for record in once["records"].as_array().expect("records") {
        let events = record["events"].as_array().expect("events");
        assert!(
            events
                .iter()
                .any(|e| e["record_id"] == record["record"]["id"]),
            "{record}"
        );
    }

    let all = sample(&app, "kind=policy_approvals&size=500&seed=s").await;
    let population = all["population"].as_i64().expect("population");
    assert!(population > 0);
    assert_eq!(positions(&all).len() as i64, population);
    for record in all["records"].as_array().expect("records") {
        assert_eq!(record["record"]["decision"]["approved"], true);
        assert_eq!(record["events"][0]["action"], "policy_version.signed_off");
    }

    let campaign = app
        .store()
        .list_campaigns(&Default::default(), today(), PageRequest::new(None, None))
        .await
        .expect("campaigns")
        .items
        .into_iter()
        .find(|c| c.counts.acknowledged > 0)
        .expect("a campaign with acknowledgments");
    let acks = sample(
        &app,
        &format!(
            "kind=acknowledgments&size=5&seed=x&campaign_id={}",
            campaign.id
        ),
    )
    .await;
    for record in acks["records"].as_array().expect("records") {
        assert_eq!(record["record"]["campaign_id"], campaign.id.to_string());
        assert_eq!(record["events"][0]["action"], "acknowledgment.recorded");
    }
    let fresh = sample(&app, "kind=acknowledgments").await;
    assert_eq!(positions(&fresh).len(), 25, "25 by default");
    assert!(!fresh["seed"].as_str().expect("seed").is_empty());

    for (query, status) in [
        (
            "kind=assignments&size=501",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("kind=assignments&size=0", StatusCode::UNPROCESSABLE_ENTITY),
        ("kind=everything", StatusCode::BAD_REQUEST),
        (
            "kind=assignments&campaign_id=0193c2a0-0000-7000-8000-000000000000",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let response = app.get(&format!("/api/v1/evidence/samples?{query}")).await;
        assert_eq!(response.status, status, "{query}: {}", response.text());
    }

    let page = app
        .get("/conformance/samples?kind=assignments&size=5&seed=audit-2025")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("audit-2025"));
    assert!(page.text().contains("role_assignment.created"));
    let after = app.store().org_counts().await.expect("counts").audit_events;
    assert_eq!(before, after, "sampling writes nothing");
}
