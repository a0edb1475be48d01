//! API tests for performance reports: only the reporter generates, top management signs off with
//! comments and the password again, and the exports come from the frozen snapshot.

use axum::http::{Method, StatusCode};
use charter::domain::access::Permission::{
    GenerateReports, ReadLeadership, SignOffReports, SignedIn,
};
use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::role::{OrgRoleFilter, OrgRoleInput};
use serde_json::json;

use crate::authorization_matrix::RouteRule;
use crate::helpers::{TEST_PASSWORD, TestApp, TestSession};

/// This area's routes (API and pages) with the permission each must declare; the authorization
/// matrix calls each as every role and as nobody.
pub const ROUTES: &[RouteRule] = &[
    ("GET", "/api/v1/performance-reports", ReadLeadership),
    // Open to everyone but auditors: the store refuses whoever does not hold the reporter role.
    ("POST", "/api/v1/performance-reports", GenerateReports),
    ("GET", "/api/v1/performance-reports/preview", ReadLeadership),
    // Open to everyone signed in: the generator reads their own, the handler refuses the rest.
    ("GET", "/api/v1/performance-reports/{id}", SignedIn),
    (
        "POST",
        "/api/v1/performance-reports/{id}/sign-off",
        SignOffReports,
    ),
    (
        "GET",
        "/api/v1/performance-reports/{id}/export.html",
        SignedIn,
    ),
    (
        "GET",
        "/api/v1/performance-reports/{id}/export.pdf",
        SignedIn,
    ),
    ("GET", "/reports", ReadLeadership),
    ("POST", "/reports", GenerateReports),
    ("GET", "/reports/new", GenerateReports),
    ("GET", "/reports/{id}", SignedIn),
    ("POST", "/reports/{id}/sign-off", SignOffReports),
    ("GET", "/reports/{id}/export.html", SignedIn),
    ("GET", "/reports/{id}/export.pdf", SignedIn),
];

/// An app signed in as an admin, with Ina (staff) holding the reporter role of the catalog and
/// Bea (top management) to sign.
pub struct Reporting {
    pub app: TestApp,
    pub ina: TestSession,
    pub bea: TestSession,
}

async fn account_named(app: &TestApp, name: &str) -> Account {
    app.store()
        .list_accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.name == name)
        .expect("the account")
}

pub async fn reporting() -> Reporting {
    let app = TestApp::new().await;
    let ina = app.account_session("ina", &[Role::Staff]).await;
    let bea = app.account_session("bea", &[Role::TopManagement]).await;
    let admin = account_named(&app, "Test admin").await;
    let reporter = account_named(&app, "Test ina").await;
    crate::store_reports::assign(app.store(), &admin, reporter.person_id, |r| {
        r.performance_reporter
    })
    .await;
    Reporting { app, ina, bea }
}

/// The organization flags, as its reporter, a role that grants no tool role: Ina, its holder,
/// keeps only the staff role and does not read leadership records.
pub async fn reporter_role_grants_nothing(app: &TestApp) {
    let store = app.store();
    let role = store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.performance_reporter)
        .expect("the reporter role");
    let input = OrgRoleInput {
        name: role.name,
        category: role.category,
        purpose: role.purpose,
        responsibilities: role.responsibilities,
        authorities: role.authorities,
        competence: role.competence,
        required: role.required,
        critical: role.critical,
        conformance_owner: role.conformance_owner,
        performance_reporter: true,
        grants: None,
    };
    store
        .update_role(&charter::domain::Actor::cli(), role.id, input)
        .await
        .expect("updated");
}

impl Reporting {
    /// Ina generates a report through the API; its JSON.
    pub async fn generate(&self, summary: &str) -> serde_json::Value {
        let uri = "/api/v1/performance-reports";
        let response = self
            .app
            .json_as(&self.ina, Method::POST, uri, json!({ "summary": summary }))
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        let id = response.json()["id"].as_str().expect("id").to_owned();
        assert_eq!(
            response.header("location"),
            Some(format!("{uri}/{id}").as_str())
        );
        response.json()
    }
}

#[tokio::test]
async fn only_the_reporter_generates_and_is_told_who_that_is() {
    let r = reporting().await;
    let refused = r
        .app
        .post_json("/api/v1/performance-reports", json!({ "summary": "" }))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let message = refused.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("Test ina"), "names the holder: {message}");

    let report = r.generate("Awareness is the weak spot.").await;
    assert_eq!(report["status"], "submitted");
    assert_eq!(report["generated_by_name"], "Test ina");
    assert_eq!(report["intact"], true);
    assert!(report["snapshot"]["role_gaps"].is_object(), "{report}");
    assert_eq!(report["content_hash"].as_str().map(str::len), Some(64));

    let list = r.app.get("/api/v1/performance-reports").await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert!(
        list[0].get("snapshot").is_none(),
        "the history carries no snapshots"
    );
    let preview = r.app.get("/api/v1/performance-reports/preview").await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.json()["as_of"].is_string());
}

#[tokio::test]
async fn top_management_signs_off_with_comments_and_the_password() {
    let r = reporting().await;
    let report = r.generate("").await;
    let uri = format!(
        "/api/v1/performance-reports/{}/sign-off",
        report["id"].as_str().expect("id")
    );
    let sign = |body| r.app.json_as(&r.bea, Method::POST, &uri, body);
    let no_comments = sign(json!({ "comments": "", "password": TEST_PASSWORD })).await;
    assert_eq!(no_comments.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_comments.json()["error"]["fields"]["comments"].is_array());
    let wrong = sign(json!({ "comments": "Noted.", "password": "guess" })).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.json()["error"]["fields"]["password"].is_array());

    let signed = sign(json!({ "comments": "Fund the training.", "password": TEST_PASSWORD })).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text());
    let signed = signed.json();
    assert_eq!(signed["status"], "signed_off");
    assert_eq!(signed["signed_off_by_name"], "Test bea");
    assert_eq!(signed["sign_off_comments"], "Fund the training.");
    assert_eq!(signed["content_hash"], report["content_hash"]);

    let again = sign(json!({ "comments": "Again.", "password": TEST_PASSWORD })).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
}

#[tokio::test]
async fn the_exports_show_the_hash_and_the_figures_of_the_frozen_snapshot() {
    let r = reporting().await;
    let report = r.generate("Patch faster <b>now</b>.").await;
    let id = report["id"].as_str().expect("id");
    let hash = report["content_hash"].as_str().expect("hash");

    let html = r
        .app
        .get(&format!("/api/v1/performance-reports/{id}/export.html"))
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert_eq!(
        html.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        html.header("content-disposition")
            .is_some_and(|d| d.contains("attachment") && d.contains(&hash[..8])),
        "{:?}",
        html.header("content-disposition")
    );
    let text = html.text();
    let vacant = report["snapshot"]["role_gaps"]["vacant_required"]
        .as_i64()
        .expect("gaps");
    for expected in [
        hash,
        "not yet reviewed",
        "Test ina",
        "objectives on track",
        "role gaps that break accountability",
        "Vacant required roles",
        "Patch faster ",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the HTML export"
        );
    }
    assert!(!text.contains("<b>now"), "the summary is escaped");
    assert!(
        text.contains(&format!("<td>{vacant}</td>")),
        "the frozen gap count"
    );

    let pdf = r
        .app
        .get(&format!("/api/v1/performance-reports/{id}/export.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF"), "a PDF");

    let missing = r
        .app
        .get(&format!(
            "/api/v1/performance-reports/{}/export.pdf",
            uuid::Uuid::now_v7()
        ))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reporter_with_only_the_staff_role_reads_the_report_they_generated() {
    let r = reporting().await;
    reporter_role_grants_nothing(&r.app).await;
    let history = r.app.get_as(&r.ina, "/api/v1/performance-reports").await;
    assert_eq!(
        history.status,
        StatusCode::FORBIDDEN,
        "Ina reads no leadership records"
    );
    let report = r.generate("Quarter one").await;
    let id = report["id"].as_str().expect("id");
    let sam = r.app.account_session("sam", &[Role::Staff]).await;
    for path in ["", "/export.html", "/export.pdf"] {
        let uri = format!("/api/v1/performance-reports/{id}{path}");
        let mine = r.app.get_as(&r.ina, &uri).await;
        assert_eq!(mine.status, StatusCode::OK, "{uri}: {}", mine.text());
        let theirs = r.app.get_as(&r.bea, &uri).await;
        assert_eq!(
            theirs.status,
            StatusCode::OK,
            "{uri}: top management reads it"
        );
        let other = r.app.get_as(&sam, &uri).await;
        assert_eq!(
            other.status,
            StatusCode::FORBIDDEN,
            "{uri}: another staff member"
        );
        assert!(
            other.json()["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("generated it")),
            "{}",
            other.text()
        );
    }
    let read = r
        .app
        .get_as(&r.ina, &format!("/api/v1/performance-reports/{id}"))
        .await
        .json();
    assert_eq!(read["summary"], "Quarter one");
    assert_eq!(read["content_hash"], report["content_hash"]);
}
