//! Page tests for conformance: the pages render for those who read conformance and refuse the
//! rest, the run button stores an assessment, the diff shows a verdict changed by the records, a
//! threshold change is audited and moves a verdict at its boundary, justifications are requested
//! and decided from the page, and the dashboard shows the liveness panel.

use axum::http::StatusCode;
use charter::domain::access::{Permission, Role, grants};
use serde_json::json;

use crate::api_conformance::{account_named, events, run, verdict_of};
use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse};
use crate::web_trust::post_form_as;

const PAGES: [&str; 5] = [
    "/conformance",
    "/conformance/history",
    "/conformance/diff",
    "/conformance/thresholds",
    "/conformance/justifications",
];

#[tokio::test]
async fn the_pages_render_for_those_who_read_conformance_and_refuse_the_rest() {
    for role in Role::ALL {
        let app = TestApp::as_role(role).await;
        for page in PAGES {
            let response = app.get(page).await;
            if grants(role, Permission::ReadConformance) {
                assert_eq!(response.status, StatusCode::OK, "{role} {page}");
                let text = response.text();
                assert!(
                    text.contains("Latest assessment"),
                    "{role} {page}: the tabs"
                );
            } else {
                assert_eq!(response.status, StatusCode::FORBIDDEN, "{role} {page}");
            }
        }
        let empty = app.get("/conformance").await.text();
        if grants(role, Permission::ReadConformance) {
            for tab in ["/conformance/pack", "/conformance/samples"] {
                let linked = app.get(tab).await;
                assert_ne!(
                    linked.status,
                    StatusCode::FORBIDDEN,
                    "{role}: {tab} is a tab"
                );
                assert!(empty.contains(&format!("href=\"{tab}\"")), "{role}: {tab}");
            }
            assert!(
                empty.contains("No assessment yet"),
                "{role}: the empty state"
            );
            let offers = empty.contains("action=\"/conformance/assessments\"");
            assert_eq!(offers, grants(role, Permission::RunAssessments), "{role}");
        }
    }
}

#[tokio::test]
async fn the_run_button_stores_an_assessment_and_shows_every_requirement() {
    let app = TestApp::as_role(Role::Auditor).await;
    let page = app.get("/conformance").await.text();
    assert!(page.contains("Run assessment now"), "{page}");
    let ran = app.post_form("/conformance/assessments", &[]).await;
    assert_eq!(ran.status, StatusCode::SEE_OTHER, "{}", ran.text());
    assert_eq!(ran.header("location"), Some("/conformance?flash=run"));
    let list = app.get("/api/v1/assessments").await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["trigger"], "manual");
    assert_eq!(list["items"][0]["run_by_label"], "Test auditor");

    let shown = app.get("/conformance?flash=run").await.text();
    for expected in [
        "The assessment was run and stored",
        "5.1 Leadership and commitment",
        "5.2 Policy",
        "5.3 Roles, responsibilities and authorities",
        "Annex A: related controls",
        "id=\"req-5-1-a\"",
        "id=\"req-a-6-8\"",
        "Alive or merely documented",
        "Last management review",
        "hash intact",
        list["items"][0]["content_sha256"].as_str().expect("hash"),
    ] {
        assert!(shown.contains(expected), "{expected}");
    }
    assert!(!shown.contains("style="), "no inline style");
    assert!(!shown.contains("<script"), "no script");
    let id = list["items"][0]["id"].as_str().expect("id");
    let one = app.get(&format!("/conformance/assessments/{id}")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.text().contains("Latest assessment"));
    let unknown = app
        .get(&format!(
            "/conformance/assessments/{}",
            uuid::Uuid::now_v7()
        ))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let staff = TestApp::as_role(Role::Staff).await;
    let refused = staff.post_form("/conformance/assessments", &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_diff_page_shows_a_verdict_changed_by_the_records() {
    let app = TestApp::new().await;
    let nothing = app.get("/conformance/diff").await.text();
    assert!(nothing.contains("No assessment yet"), "{nothing}");
    let before = run(&app).await;
    let first_only = app.get("/conformance/diff").await.text();
    assert!(first_only.contains("This is the first assessment"));
    let admin = account_named(&app, "Test admin").await;
    let rita = crate::helpers::store_person(app.store(), "Rita").await;
    crate::store_reports::assign(app.store(), &admin, rita, |r| r.performance_reporter).await;
    let after = run(&app).await;
    assert_ne!(verdict_of(&before, "5.3.b"), verdict_of(&after, "5.3.b"));

    let page = app.get("/conformance/diff").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    let row = text
        .split("<tr")
        .find(|row| row.contains(">5.3.b</a>"))
        .expect("5.3.b is among the changes");
    assert!(row.starts_with(" class=\"verdict-changed\">"), "{row}");
    assert!(
        row.contains("nonconforming") && row.contains("partial"),
        "{row}"
    );
    let before_id = before["id"].as_str().expect("id");
    let after_id = after["id"].as_str().expect("id");
    let explicit = app
        .get(&format!("/conformance/diff?from={before_id}&to={after_id}"))
        .await
        .text();
    assert!(explicit.contains("verdict-changed"));
    let same = app
        .get(&format!("/conformance/diff?from={after_id}&to={after_id}"))
        .await
        .text();
    assert!(same.contains("Nothing changed between these two assessments"));

    let history = app.get("/conformance/history").await.text();
    assert!(history.contains("Trend per requirement"));
    assert!(history.contains("href=\"/conformance/requirements/5.3.b\""));
    let requirement = app.get("/conformance/requirements/5.3.b").await;
    assert_eq!(requirement.status, StatusCode::OK);
    let requirement = requirement.text();
    assert_eq!(
        requirement.matches("class=\"mark red\"").count(),
        1,
        "{requirement}"
    );
    assert_eq!(requirement.matches("class=\"mark amber\"").count(), 1);
    assert!(
        requirement.find("mark red") < requirement.find("mark amber"),
        "oldest first"
    );
    let unknown = app.get("/conformance/requirements/Z.9").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// Generates a performance report as Ina, has Bea sign it off, then moves the sign-off back
/// `days` days, around Charter.
async fn report_signed_off_days_ago(r: &crate::api_reports::Reporting, days: i64) {
    let report = r.generate("").await;
    let id = report["id"].as_str().expect("id");
    let uri = format!("/api/v1/performance-reports/{id}/sign-off");
    let body = json!({ "comments": "Noted.", "password": TEST_PASSWORD });
    let signed = r
        .app
        .json_as(&r.bea, axum::http::Method::POST, &uri, body)
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text());
    let day = time::OffsetDateTime::now_utc().date() - time::Duration::days(days);
    let sql = format!(
        "UPDATE performance_reports SET signed_off_at = '{day}' || substr(signed_off_at, 11)"
    );
    crate::helpers::raw_sql(&r.app.db.location, &sql).await;
}

/// Saves the thresholds form with the default values but the reporting interval.
async fn save_reporting_interval(app: &TestApp, interval: &str) -> TestResponse {
    let fields = [
        ("period_days", "365"),
        ("reporting_interval_days", interval),
        ("overdue_actions_percent", "10"),
        ("coverage_percent", "95"),
    ];
    app.post_form("/conformance/thresholds", &fields).await
}

#[tokio::test]
async fn a_threshold_change_is_audited_and_moves_a_verdict_at_its_boundary() {
    let r = crate::api_reports::reporting().await;
    report_signed_off_days_ago(&r, 30).await;
    let save = |interval| save_reporting_interval(&r.app, interval);
    let saved = save("30").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    assert_eq!(
        saved.header("location"),
        Some("/conformance/thresholds?flash=saved")
    );
    let at_the_boundary = run(&r.app).await;
    // Signed off exactly 30 days ago: within a 30-day interval, so only the objectives are
    // missing (none is active).
    assert_eq!(verdict_of(&at_the_boundary, "5.1.e"), "partial");

    let saved = save("29").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let past_it = run(&r.app).await;
    assert_eq!(verdict_of(&past_it, "5.1.e"), "nonconforming");

    let changes = events(&r.app, "conformance_thresholds.changed").await;
    assert_eq!(changes.len(), 2, "each change is audited");
    let page = r.app.get("/conformance/thresholds").await.text();
    assert!(
        page.contains("conformance_thresholds.changed"),
        "the evidence trail"
    );
    assert!(page.contains("value=\"29\""), "{page}");

    let unchanged = save("29").await;
    assert_eq!(
        unchanged.header("location"),
        Some("/conformance/thresholds?flash=unchanged")
    );
    assert_eq!(
        events(&r.app, "conformance_thresholds.changed").await.len(),
        2
    );

    let refused = r
        .app
        .post_form(
            "/conformance/thresholds",
            &[("period_days", "ten"), ("reporting_interval_days", "0")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text();
    assert!(text.contains("value=\"ten\""), "keeps what was typed");
    assert!(text.contains("period_days-error"), "{text}");

    let auditor = r.app.account_session("audra", &[Role::Auditor]).await;
    let read_only = r
        .app
        .get_as(&auditor, "/conformance/thresholds")
        .await
        .text();
    assert!(!read_only.contains("Save the thresholds"));
    let refused = post_form_as(&r.app, &auditor, "/conformance/thresholds", &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_justification_is_requested_and_decided_from_the_page() {
    let app = TestApp::new().await;
    let bea = app.account_session("bea", &[Role::TopManagement]).await;
    let refused = app
        .post_form(
            "/conformance/justifications",
            &[
                ("requirement_id", "A.5.3"),
                ("reason", ""),
                ("expires_on", "soon"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("expires_on-error"));
    let requested = app
        .post_form(
            "/conformance/justifications",
            &[
                ("requirement_id", "A.5.3"),
                ("reason", "Two people run the firm; duties cannot be split."),
                ("expires_on", ""),
            ],
        )
        .await;
    assert_eq!(
        requested.status,
        StatusCode::SEE_OTHER,
        "{}",
        requested.text()
    );
    let listed = app.get("/api/v1/conformance/justifications").await.json();
    let id = listed[0]["id"].as_str().expect("id").to_owned();

    let admin_view = app.get("/conformance/justifications").await.text();
    assert!(admin_view.contains("Awaiting a decision by a member of top management"));
    assert!(
        !admin_view.contains("/decision\""),
        "no decision form for the admin"
    );
    let bea_view = app.get_as(&bea, "/conformance/justifications").await.text();
    let action = format!("/conformance/justifications/{id}/decision");
    assert!(bea_view.contains(&action), "{bea_view}");

    let wrong = post_form_as(
        &app,
        &bea,
        &action,
        &[
            ("decision", "approve"),
            ("comment", "Agreed."),
            ("password", "guess"),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().contains("This is not your password"));
    let approved = post_form_as(
        &app,
        &bea,
        &action,
        &[
            ("decision", "approve"),
            ("comment", "Agreed."),
            ("password", TEST_PASSWORD),
        ],
    )
    .await;
    assert_eq!(
        approved.status,
        StatusCode::SEE_OTHER,
        "{}",
        approved.text()
    );
    let again = post_form_as(
        &app,
        &bea,
        &action,
        &[
            ("decision", "reject"),
            ("comment", "No."),
            ("password", TEST_PASSWORD),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.text().contains("already approved by Test bea"),
        "{}",
        again.text()
    );
    let view = app.get("/conformance/justifications").await.text();
    assert!(view.contains("in force"));
    let assessment = run(&app).await;
    assert_eq!(verdict_of(&assessment, "A.5.3"), "not_applicable");
    let requirement = app.get("/conformance/requirements/A.5.3").await.text();
    assert!(requirement.contains("Two people run the firm"));
}

#[tokio::test]
async fn the_dashboard_shows_conformance_and_liveness_to_those_who_read_them() {
    let app = TestApp::new().await;
    let before = app.get("/").await.text();
    assert!(before.contains("Conformance and liveness"));
    assert!(before.contains("No assessment yet"));
    assert!(before.contains("Last management review"), "the live signs");
    run(&app).await;
    let after = app.get("/").await.text();
    assert!(after.contains("Latest assessment"));
    assert!(after.contains("verdict-counts"));
    for role in [Role::Manager, Role::Staff, Role::ConcernHandler] {
        let other = TestApp::as_role(role).await;
        let page = other.get("/").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.text().contains("Conformance and liveness"), "{role}");
    }
}
