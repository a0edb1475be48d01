//! Page tests for performance reports (the history, generating with a deliberate confirmation, the
//! report top management reads and signs, "My tasks"), and `charter report performance`.

use std::process::Command;

use axum::http::StatusCode;
use charter::domain::access::Role;
use charter::store::DatabaseLocation;

use crate::api_reports::{reporter_role_grants_nothing, reporting};
use crate::helpers::TEST_PASSWORD;
use crate::web_trust::post_form_as;

#[tokio::test]
async fn the_reporter_generates_from_the_page_after_confirming() {
    let r = reporting().await;
    let history = r.app.get("/reports").await.text();
    assert!(history.contains("No performance report yet"), "{history}");
    assert!(
        !history.contains("href=\"/reports/new\""),
        "only the reporter is offered the button"
    );
    assert!(history.contains("Test ina"), "names who reports: {history}");

    let refused = r
        .app
        .post_form("/reports", &[("summary", "Mine"), ("confirm", "yes")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.text().contains("only the holder of the role"),
        "{}",
        refused.text()
    );

    let mine = r.app.get_as(&r.ina, "/reports").await.text();
    assert!(mine.contains("Generate a report"), "{mine}");
    let form = r.app.get_as(&r.ina, "/reports/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text().contains("objectives on track"),
        "the live figures"
    );

    let unconfirmed = post_form_as(&r.app, &r.ina, "/reports", &[("summary", "Quarter one")]).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed.text().contains("Tick the box"),
        "{}",
        unconfirmed.text()
    );
    assert!(
        unconfirmed.text().contains("Quarter one"),
        "what was typed is kept"
    );
    assert!(r.app.store().list_reports().await.expect("list").is_empty());

    let done = post_form_as(
        &r.app,
        &r.ina,
        "/reports",
        &[("summary", "Quarter one"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let to = done.header("location").expect("redirect").to_owned();
    assert!(to.ends_with("?flash=generated"), "{to}");
    let page = r.app.get_as(&r.ina, &to).await.text();
    let report = &r.app.store().list_reports().await.expect("list")[0];
    for expected in [
        "submitted to top management",
        report.content_hash.as_str(),
        "Not yet reviewed",
        "You generated this report",
        "Quarter one",
        "objectives not measured",
    ] {
        assert!(
            page.contains(expected),
            "{expected} missing from the report page"
        );
    }
    assert!(
        !page.contains("name=\"password\""),
        "the generator is offered no sign-off form"
    );
}

#[tokio::test]
async fn top_management_signs_off_from_the_page_and_sees_it_in_their_tasks() {
    let r = reporting().await;
    let tasks = r.app.get_as(&r.ina, "/tasks").await.text();
    assert!(tasks.contains("Generate the performance report"), "{tasks}");
    let report = r.generate("").await;
    let id = report["id"].as_str().expect("id");
    let tasks = r.app.get_as(&r.ina, "/tasks").await.text();
    assert!(
        !tasks.contains("Generate the performance report"),
        "done for 90 days"
    );

    let tasks = r.app.get_as(&r.bea, "/tasks").await.text();
    assert!(
        tasks.contains("Sign off 1 performance report(s)"),
        "{tasks}"
    );
    let history = r.app.get_as(&r.bea, "/reports").await.text();
    assert!(history.contains("Awaiting review"), "{history}");

    let page = r.app.get_as(&r.bea, &format!("/reports/{id}")).await.text();
    assert!(page.contains("Sign off the report"), "{page}");
    let uri = format!("/reports/{id}/sign-off");
    let unconfirmed = post_form_as(
        &r.app,
        &r.bea,
        &uri,
        &[("comments", "Agreed."), ("password", TEST_PASSWORD)],
    )
    .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed.text().contains("Agreed."),
        "what was typed is kept"
    );
    let wrong = post_form_as(
        &r.app,
        &r.bea,
        &uri,
        &[
            ("comments", "Agreed."),
            ("confirm", "yes"),
            ("password", "nope"),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.text().contains("This is not your password"),
        "{}",
        wrong.text()
    );

    let signed = post_form_as(
        &r.app,
        &r.bea,
        &uri,
        &[
            ("comments", "Agreed."),
            ("confirm", "yes"),
            ("password", TEST_PASSWORD),
        ],
    )
    .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text());
    let page = r.app.get_as(&r.bea, &format!("/reports/{id}")).await.text();
    assert!(
        page.contains("Signed off by") && page.contains("Test bea"),
        "{page}"
    );
    assert!(
        !page.contains("Sign off the report"),
        "a signed report offers no form"
    );
    let tasks = r.app.get_as(&r.bea, "/tasks").await.text();
    assert!(!tasks.contains("performance report(s)"), "{tasks}");

    let html = r.app.get(&format!("/reports/{id}/export.html")).await;
    assert!(html.text().contains("Agreed."));
    let pdf = r.app.get(&format!("/reports/{id}/export.pdf")).await;
    assert!(pdf.body.starts_with(b"%PDF"));
}

#[tokio::test]
async fn a_reporter_with_only_the_staff_role_lands_on_the_report_they_generated() {
    let r = reporting().await;
    reporter_role_grants_nothing(&r.app).await;
    let history = r.app.get_as(&r.ina, "/reports").await;
    assert_eq!(
        history.status,
        StatusCode::FORBIDDEN,
        "Ina reads no leadership records"
    );
    let form = r.app.get_as(&r.ina, "/reports/new").await.text();
    assert!(
        !form.contains("href=\"/reports\""),
        "no link to a history Ina cannot open: {form}"
    );
    let done = post_form_as(
        &r.app,
        &r.ina,
        "/reports",
        &[("summary", "Quarter one"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let to = done.header("location").expect("redirect").to_owned();
    let page = r.app.get_as(&r.ina, &to).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    for expected in [
        "submitted to top management",
        "You generated this report",
        "Quarter one",
    ] {
        assert!(text.contains(expected), "{expected} missing: {text}");
    }
    assert!(
        !text.contains("href=\"/reports\""),
        "no link to a history Ina cannot open"
    );
    let report = r.app.store().list_reports().await.expect("list")[0].id;
    let sam = r.app.account_session("sam", &[Role::Staff]).await;
    for path in ["", "/export.html", "/export.pdf"] {
        let uri = format!("/reports/{report}{path}");
        let mine = r.app.get_as(&r.ina, &uri).await;
        assert_eq!(mine.status, StatusCode::OK, "{uri}");
        let other = r.app.get_as(&sam, &uri).await;
        assert_eq!(
            other.status,
            StatusCode::FORBIDDEN,
            "{uri}: another staff member"
        );
    }
    let refused = r
        .app
        .get_as(&sam, &format!("/reports/{report}"))
        .await
        .text();
    assert!(refused.contains("the person who generated it"), "{refused}");
    let bea = r.app.get_as(&r.bea, &format!("/reports/{report}")).await;
    assert!(
        bea.text().contains("Sign off the report"),
        "top management signs it"
    );
}

fn charter(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .env_remove("CHARTER_DATABASE")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

#[tokio::test]
async fn the_command_writes_the_latest_report_and_says_when_there_is_none() {
    let r = reporting().await;
    let DatabaseLocation::Sqlite(path) = &r.app.db.location else {
        unreachable!("the app runs on SQLite")
    };
    let database = path.to_str().expect("path");
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("report.html");
    let out = out.to_str().expect("path");

    let none = charter(&[
        "report",
        "performance",
        "--format",
        "html",
        "--out",
        out,
        "--database",
        database,
    ]);
    assert_eq!(none.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert!(stderr.contains("no performance report"), "{stderr}");

    r.generate("First").await;
    let report = r.generate("Second").await;
    let written = charter(&[
        "report",
        "performance",
        "--format",
        "html",
        "--out",
        out,
        "--database",
        database,
    ]);
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let html = std::fs::read_to_string(out).expect("written");
    assert!(html.contains(report["content_hash"].as_str().expect("hash")));
    assert!(
        html.contains("Second") && !html.contains("First"),
        "the latest report"
    );

    let json = charter(&[
        "report",
        "performance",
        "--format",
        "json",
        "--out",
        "-",
        "--database",
        database,
    ]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(value["content_hash"], report["content_hash"]);

    let unknown = charter(&["report", "annual", "--out", out, "--database", database]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("unknown report kind") && stderr.trim().lines().count() == 1,
        "{stderr}"
    );
}
