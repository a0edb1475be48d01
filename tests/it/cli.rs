//! The `charter` binary as a user runs it: help, configuration errors, import, export, verify.

use std::process::{Command, Output};

use crate::helpers::{TestDb, raw_sql};

fn charter(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .env_remove("CHARTER_DATABASE")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn assert_one_line_error(output: &Output, expected: &str) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains(expected), "{text}");
    assert!(
        !text.contains("panicked") && !text.contains("backtrace"),
        "{text}"
    );
    assert_eq!(text.trim().lines().count(), 1, "one line: {text}");
}

#[test]
fn help_explains_every_command() {
    let help = stdout(&charter(&["--help"]));
    for command in ["serve", "demo", "migrate", "import", "export", "audit"] {
        assert!(help.contains(command), "{command} missing from:\n{help}");
    }
    assert!(stdout(&charter(&["serve", "--help"])).contains("[env: CHARTER_DATABASE="));
    for (command, variable) in [
        (&["user", "create", "--help"][..], "CHARTER_USER_ROLES"),
        (&["export", "people", "--help"][..], "CHARTER_EXPORT_OUT"),
    ] {
        assert!(
            stdout(&charter(command)).contains(variable),
            "{command:?} names {variable}"
        );
    }
}

#[test]
fn configuration_errors_are_one_line_and_exit_2() {
    assert_one_line_error(
        &charter(&["migrate", "--database", "mysql://x@y/z"]),
        "not a supported database",
    );
    assert_one_line_error(
        &charter(&["migrate", "--database", "/proc/charter/no/such/place.db"]),
        "cannot create the database folder",
    );
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = taken.local_addr().expect("address").to_string();
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("c.db");
    let output = charter(&[
        "serve",
        "--database",
        db.to_str().expect("path"),
        "--listen",
        &address,
    ]);
    assert_one_line_error(&output, "already in use");
}

#[test]
fn the_database_can_come_from_the_environment() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("from-env.db");
    let output = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["migrate"])
        .env("CHARTER_DATABASE", &db)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(db.exists());
}

#[tokio::test]
async fn import_reports_bad_lines_and_verify_names_a_tampered_event() {
    let db = TestDb::sqlite().await;
    let path = match &db.location {
        charter::store::DatabaseLocation::Sqlite(path) => path.to_str().expect("path").to_owned(),
        charter::store::DatabaseLocation::Postgres(_) => unreachable!("sqlite"),
    };
    let dir = tempfile::tempdir().expect("dir");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "name,email\nAda,ada@example.com\nBob,bob@\n").expect("write");
    let output = charter(&[
        "import",
        "people",
        bad.to_str().expect("path"),
        "--database",
        &path,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("line 3: email: is not a valid email address"),
        "{}",
        stderr(&output)
    );

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "name,email\nAda,ada@example.com\nBob,bob@example.com\n",
    )
    .expect("write");
    let imported = charter(&[
        "import",
        "people",
        good.to_str().expect("path"),
        "--database",
        &path,
    ]);
    assert!(
        stdout(&imported).contains("2 created, 0 updated, 0 unchanged"),
        "{}",
        stdout(&imported)
    );
    let exported = stdout(&charter(&["export", "people", "--database", &path]));
    assert!(
        exported.contains("Bob,bob@example.com,,,,employee,active,"),
        "{exported}"
    );

    let intact = charter(&["audit", "verify", "--database", &path]);
    assert_eq!(intact.status.code(), Some(0), "{}", stdout(&intact));
    // The two people after the event of the standard role catalog a fresh store installs.
    assert!(
        stdout(&intact).contains("intact: 3 events"),
        "{}",
        stdout(&intact)
    );
    raw_sql(
        &db.location,
        "UPDATE audit_events SET record_id = 'someone-else' WHERE seq = 2",
    )
    .await;
    let broken = charter(&["audit", "verify", "--database", &path]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stdout(&broken).contains("BROKEN at event 2"),
        "{}",
        stdout(&broken)
    );
}

#[test]
fn the_demo_is_mostly_conforming_with_two_nonconformities_at_its_deliberate_gaps() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.db");
    let db = db.to_str().expect("path");
    let demo = charter(&["demo", "--fresh", "--no-serve", "--database", db]);
    assert!(demo.status.success(), "{}", stderr(&demo));

    let check = charter(&["check", "--format", "json", "--database", db]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let report: serde_json::Value = serde_json::from_str(&stdout(&check)).expect("JSON");
    let results = report["results"].as_array().expect("results");
    let with = |verdict: &str| -> Vec<&serde_json::Value> {
        results.iter().filter(|r| r["verdict"] == verdict).collect()
    };
    let failing: Vec<&str> = with("nonconforming")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(failing, ["5.3.0", "A.5.2"], "{}", stdout(&check));
    for r in with("nonconforming") {
        let finding = r["finding"].as_str().expect("finding");
        assert!(
            finding.contains("'Data protection officer' (required) is vacant"),
            "{finding}"
        );
    }
    let partial = with("partial").len();
    assert!((3..=9).contains(&partial), "{partial} partial");
    assert!(
        with("conforming").len() * 2 > results.len(),
        "mostly conforming"
    );
    // Each partial finding names its gap: the lagging unit, the stale process, the overdue action.
    let text: String = with("partial")
        .iter()
        .map(|r| r["finding"].as_str().expect("finding"))
        .collect();
    for gap in [
        "Unit 'Sales'",
        "Supplier management",
        "Replace the legacy VPN gateway",
    ] {
        assert!(text.contains(gap), "{gap} in {text}");
    }
}
