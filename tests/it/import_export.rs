//! CSV import and export of people: all or nothing, every bad line reported, idempotent.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::helpers::{TestApp, TestResponse};

async fn import(app: &TestApp, csv: &str) -> TestResponse {
    app.send(
        Request::post("/api/v1/people/import")
            .header("content-type", "text/csv")
            .body(Body::from(csv.to_owned()))
            .expect("request"),
    )
    .await
}

const GOOD: &str = "name,email,job_title,unit,manager_email,kind,status,departed_on
Grace Hopper,grace@example.com,CEO,Company,,employee,active,
Ada Lovelace,ada@example.com,Engineer,Engineering,grace@example.com,contractor,active,
Alan Turing,alan@example.com,Engineer,engineering,ada@example.com,employee,departed,2025-06-30
";

#[tokio::test]
async fn a_good_file_imports_once_and_the_second_time_changes_nothing() {
    let app = TestApp::new().await;
    let company = app.unit("Company", None).await;
    app.unit("Engineering", Some(&company)).await;
    let first = import(&app, GOOD).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_eq!(
        first.json(),
        serde_json::json!({"created": 3, "updated": 0, "unchanged": 0})
    );
    let events_after_first = app.get("/api/v1/audit-events").await.json()["total"].clone();
    let second = import(&app, GOOD).await.json();
    assert_eq!(
        second,
        serde_json::json!({"created": 0, "updated": 0, "unchanged": 3})
    );
    assert_eq!(
        app.get("/api/v1/audit-events").await.json()["total"],
        events_after_first
    );
    let alan = app.get("/api/v1/people?q=alan").await.json();
    assert_eq!(
        (
            alan["items"][0]["status"].as_str(),
            alan["items"][0]["departed_on"].as_str()
        ),
        (Some("departed"), Some("2025-06-30"))
    );
}

#[tokio::test]
async fn any_bad_line_imports_nothing_and_every_bad_line_is_reported() {
    let app = TestApp::new().await;
    app.unit("Company", None).await;
    let csv = "name,email,unit,manager_email,status,departed_on
Good Person,good@example.com,Company,,,
Bad Email,not-an-email,Company,,,
Duplicate,GOOD@example.com,,,,
No Unit,nounit@example.com,Atlantis,,,
Loop A,a@example.com,,b@example.com,,
Loop B,b@example.com,,a@example.com,,
Future,future@example.com,,,departed,2999-01-01
Ghost Boss,ghost@example.com,,nobody@example.com,,
";
    let people_before = app.get("/api/v1/people").await.json()["total"].clone();
    let response = import(&app, csv).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = response.json()["error"]["fields"].clone();
    let lines: Vec<&String> = fields.as_object().expect("lines").keys().collect();
    assert_eq!(
        lines,
        vec![
            "line 3", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9"
        ]
    );
    assert!(
        fields["line 4"][0]
            .as_str()
            .expect("reason")
            .contains("first on line 2")
    );
    assert!(
        fields["line 6"][0]
            .as_str()
            .expect("reason")
            .contains("cycle")
    );
    assert!(
        fields["line 8"][0]
            .as_str()
            .expect("reason")
            .contains("future")
    );
    assert_eq!(
        app.get("/api/v1/people").await.json()["total"],
        people_before,
        "nothing was imported"
    );
}

#[tokio::test]
async fn an_export_imports_back_unchanged() {
    let app = TestApp::new().await;
    let company = app.unit("Company", None).await;
    app.unit("Engineering", Some(&company)).await;
    import(&app, GOOD).await;
    let export = app.get("/api/v1/people/export").await;
    assert_eq!(
        export.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    let csv = export.text();
    assert!(csv.starts_with("name,email,job_title,unit,manager_email,kind,status,departed_on\n"));
    assert!(csv.contains(
        "Ada Lovelace,ada@example.com,Engineer,Engineering,grace@example.com,contractor,active,"
    ));
    let everyone = app.get("/api/v1/people").await.json()["total"].clone();
    assert_eq!(import(&app, &csv).await.json()["unchanged"], everyone);
}

#[tokio::test]
async fn a_file_without_the_required_columns_is_refused() {
    let app = TestApp::new().await;
    let response = import(&app, "full_name,mail\nAda,ada@example.com\n").await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.json()["error"]["message"]
            .as_str()
            .expect("message")
            .contains("name, email")
    );
}
