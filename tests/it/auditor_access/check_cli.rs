//! `charter check` and `charter assess` as a pipeline runs them: the verdicts in text or JSON,
//! exit 0 when everything conforms (or is justified as not applicable), 1 on a nonconformity
//! (and on a partial verdict with `--partial-fails`), 2 on an error.

use std::process::{Command, Output};

use charter::domain::access::Role;
use charter::domain::assessment::{JustificationDecision, JustificationInput, Trigger};
use charter::domain::conformance::{CATALOG, Verdict};
use charter::store::{DatabaseLocation, Store};
use serde_json::Value;
use time::OffsetDateTime;

use crate::helpers::{TestDb, store_account};

fn charter(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .env_remove("CHARTER_DATABASE")
        .env_remove("CHARTER_CHECK_FORMAT")
        .env_remove("CHARTER_CHECK_PARTIAL_FAILS")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn path_of(db: &TestDb) -> String {
    match &db.location {
        DatabaseLocation::Sqlite(path) => path.to_str().expect("path").to_owned(),
        DatabaseLocation::Postgres(_) => unreachable!("an sqlite test database"),
    }
}

/// `charter check` on the database with `flags`: the exit code and the JSON report.
fn check_json(path: &str, flags: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json", "--database", path];
    args.extend(flags);
    let output = charter(&args);
    let report: Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&output), stderr(&output)));
    (output.status.code().expect("an exit code"), report)
}

/// Every requirement now judged `verdict` is justified as not applicable, approved by top
/// management (asked by an ISMS manager): a database built to conform.
async fn justify_every(store: &dyn Store, verdict: Verdict, label: &str) -> usize {
    let today = OffsetDateTime::now_utc().date();
    let asker = store_account(store, &format!("Asker{label}"), &[Role::IsmsManager]).await;
    let decider = store_account(store, &format!("Decider{label}"), &[Role::TopManagement]).await;
    let evaluation = charter::conformance::evaluate_now(store, OffsetDateTime::now_utc())
        .await
        .expect("evaluation");
    let ids: Vec<String> = evaluation
        .results
        .iter()
        .filter(|r| r.verdict == verdict)
        .map(|r| r.id.clone())
        .collect();
    for id in &ids {
        let input = JustificationInput {
            requirement_id: id.clone(),
            reason: "Out of the scope of this test organization.".into(),
            expires_on: None,
        };
        let asked = store
            .request_justification(&asker, input, today)
            .await
            .expect("asked");
        let decision = JustificationDecision {
            approve: true,
            comment: "Agreed for this test organization.".into(),
        };
        store
            .decide_justification(&decider, asked.id, decision, today)
            .await
            .expect("approved");
    }
    ids.len()
}

#[tokio::test]
async fn check_exits_1_on_a_nonconformity_and_0_once_everything_conforms() {
    let db = TestDb::sqlite().await;
    let path = path_of(&db);

    // No published policy, no roles held: nonconforming.
    let text = charter(&["check", "--database", &path]);
    assert_eq!(text.status.code(), Some(1), "{}", stderr(&text));
    let lines: Vec<String> = stdout(&text).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), CATALOG.len() + 1, "{lines:#?}");
    let policy_line = lines
        .iter()
        .find(|l| l.starts_with("5.1.a "))
        .expect("5.1.a");
    assert!(policy_line.contains(" nonconforming "), "{policy_line}");
    let id_width = CATALOG.iter().map(|r| r.id.len()).max().expect("ids");
    let words = ["conforming", "partial", "nonconforming", "not applicable"];
    for (line, requirement) in lines.iter().zip(CATALOG) {
        let id = line.get(..id_width).map(str::trim_end);
        let verdict = line.get(id_width + 2..id_width + 16).map(str::trim_end);
        assert_eq!(id, Some(requirement.id), "catalog order: {line}");
        assert!(
            verdict.is_some_and(|v| words.contains(&v)),
            "the verdict in its column: {line}"
        );
    }
    let summary = lines.last().expect("summary");
    assert!(
        summary.starts_with(&format!("{} requirements: ", CATALOG.len())),
        "{summary}"
    );

    let (code, report) = check_json(&path, &[]);
    assert_eq!((code, report["exit_code"].as_i64()), (1, Some(1)));
    assert_eq!(
        report["results"].as_array().map(Vec::len),
        Some(CATALOG.len())
    );
    let counts = &report["summary"];
    let total: i64 = ["conforming", "partial", "nonconforming", "not_applicable"]
        .iter()
        .map(|k| counts[k].as_i64().expect("a count"))
        .sum();
    assert_eq!(total, i64::try_from(CATALOG.len()).expect("small"));
    assert!(counts["nonconforming"].as_i64() > Some(0));
    assert!(report["liveness"].is_object() && report["thresholds"].is_object());
    assert!(
        summary.contains(&format!("{} nonconforming", counts["nonconforming"])),
        "the text summary and the JSON agree: {summary}"
    );

    let justified = justify_every(db.store.as_ref(), Verdict::Nonconforming, "N").await;
    assert!(justified > 0);
    let (code, report) = check_json(&path, &[]);
    assert_eq!(report["summary"]["nonconforming"], 0, "{report:#}");
    assert_eq!(code, 0, "partial verdicts pass without --partial-fails");
    let partial = report["summary"]["partial"].as_i64().expect("count");
    let (strict, _) = check_json(&path, &["--partial-fails"]);
    assert_eq!(strict, i32::from(partial > 0), "{partial} partial");

    justify_every(db.store.as_ref(), Verdict::Partial, "P").await;
    let (strict, report) = check_json(&path, &["--partial-fails"]);
    assert_eq!(strict, 0, "{report:#}");
    assert!(report["summary"]["not_applicable"].as_i64() >= Some(justified as i64));
    let text = stdout(&charter(&["check", "--database", &path]));
    assert!(text.contains(" not applicable "), "{text}");
    assert!(
        db.store.latest_assessment().await.expect("read").is_none(),
        "check stores nothing"
    );
}

#[test]
fn check_exits_2_on_a_bad_flag_or_database() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("missing.db");
    let missing = missing.to_str().expect("path");
    let no_database = charter(&["check", "--database", missing]);
    assert_eq!(no_database.status.code(), Some(2));
    assert!(stderr(&no_database).contains("there is no database at"));
    assert!(
        !std::path::Path::new(missing).exists(),
        "nothing was created"
    );
    let unsupported = charter(&["check", "--database", "mysql://x@y/z"]);
    assert_eq!(unsupported.status.code(), Some(2));
    let bad_format = charter(&["check", "--format", "yaml", "--database", missing]);
    assert_eq!(bad_format.status.code(), Some(2));
}

#[tokio::test]
async fn assess_stores_an_assessment_run_from_the_command_line() {
    let db = TestDb::sqlite().await;
    let output = charter(&["assess", "--database", &path_of(&db)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let latest = db
        .store
        .latest_assessment()
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(latest.trigger, Trigger::Cli);
    assert!(latest.intact);
    let printed = stdout(&output);
    assert!(printed.contains(&latest.id.to_string()), "{printed}");
    assert!(
        printed.contains(&format!("{} requirements: ", CATALOG.len())),
        "{printed}"
    );
}
