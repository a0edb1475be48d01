//! Health, readiness, metrics, OpenAPI, request ids and the error format for unknown routes.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/healthz").await.text(), "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.text().as_str()),
        (StatusCode::OK, "ready")
    );
    app.db.store.close().await;
    assert_eq!(
        app.get("/readyz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_a_given_one() {
    let app = TestApp::new().await;
    let generated = app.get("/healthz").await;
    assert_eq!(generated.header("x-request-id").map(str::len), Some(36));
    let request = axum::http::Request::get("/api/v1/nothing-here")
        .header("x-request-id", "trace-me-42")
        .body(axum::body::Body::empty())
        .expect("request");
    let response = app.send(request).await;
    assert_eq!(response.header("x-request-id"), Some("trace-me-42"));
    assert_eq!(
        (response.status, response.json()["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_and_show_the_pool() {
    let app = TestApp::new().await;
    app.get("/api/v1/people").await;
    app.get(&format!("/api/v1/people/{}", uuid::Uuid::now_v7()))
        .await;
    let metrics = app.get("/metrics").await;
    assert_eq!(
        metrics.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let text = metrics.text();
    assert!(
        text.contains(
            r#"charter_http_requests_total{method="GET",route="/api/v1/people/{id}",status="404"}"#
        ),
        "{text}"
    );
    assert!(
        text.contains("charter_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(
        text.contains(r#"charter_db_pool_connections{backend="sqlite",state="idle"}"#),
        "{text}"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    assert_eq!(document["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", document);
}

#[tokio::test]
async fn the_audit_trail_is_listed_and_verified_over_the_api() {
    let app = TestApp::new().await;
    let id = app.person("Ada", "ada@example.com", None).await;
    let events = app
        .get(&format!(
            "/api/v1/audit-events?record_type=person&record_id={id}"
        ))
        .await
        .json();
    let event = &events["items"][0];
    assert_eq!(event["action"], "person.created");
    assert!(
        event["actor"]
            .as_str()
            .expect("actor")
            .starts_with("account:"),
        "the signed-in account is the actor"
    );
    assert_eq!(event["prev_hash"].as_str().map(str::len), Some(64));
    let total = app.get("/api/v1/audit-events").await.json()["total"].as_u64();
    let report = app.get("/api/v1/audit-events/verification").await.json();
    assert_eq!(
        (
            report["events_checked"].as_u64(),
            report["broken"].is_null()
        ),
        (total, true)
    );
}

#[tokio::test]
async fn every_response_confines_the_browser() {
    let app = TestApp::new().await;
    for uri in [
        "/",
        "/people",
        "/api/v1/people",
        "/healthz",
        "/no-such-page",
    ] {
        let response = app.get(uri).await;
        let csp = response
            .header("content-security-policy")
            .unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{uri}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(
            response.header("referrer-policy"),
            Some("same-origin"),
            "{uri}"
        );
    }
}
