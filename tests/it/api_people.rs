//! People over the JSON API: what a client sees on success and on each kind of bad input.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_person_is_created_listed_fetched_and_patched() {
    let app = TestApp::new().await;
    let unit = app.unit("Engineering", None).await;
    let boss = app.person("Grace Hopper", "grace@example.com", None).await;
    let created = app
        .post_json("/api/v1/people", json!({"name": "Ada Lovelace", "email": "ada@example.com", "unit_id": unit, "manager_id": boss, "kind": "contractor"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let ada = created.json();
    assert_eq!(
        (ada["kind"].as_str(), ada["status"].as_str()),
        (Some("contractor"), Some("active"))
    );
    let id = ada["id"].as_str().expect("id");

    let listed = app.get("/api/v1/people?q=ada&per_page=10").await.json();
    assert_eq!(
        (
            listed["total"].as_i64(),
            listed["items"][0]["email"].as_str()
        ),
        (Some(1), Some("ada@example.com"))
    );
    assert_eq!(
        app.get(&format!("/api/v1/people?unit_id={unit}"))
            .await
            .json()["total"],
        1
    );

    let patched = app
        .patch_json(
            &format!("/api/v1/people/{id}"),
            json!({"job_title": "Analyst", "manager_id": null}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text());
    let body = patched.json();
    assert_eq!(
        (
            body["job_title"].as_str(),
            body["manager_id"].is_null(),
            body["unit_id"].as_str()
        ),
        (Some("Analyst"), true, Some(unit.as_str()))
    );
    assert_eq!(
        app.get(&format!("/api/v1/people/{id}")).await.json()["job_title"],
        "Analyst"
    );
}

#[tokio::test]
async fn bad_input_gets_a_422_with_every_field_named() {
    let app = TestApp::new().await;
    let response = app
        .post_json(
            "/api/v1/people",
            json!({"name": "", "email": "not-an-email", "status": "departed", "departed_on": "2999-01-01"}),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &response.json()["error"];
    assert_eq!(error["code"], "validation_failed");
    for field in ["name", "email", "departed_on"] {
        assert!(
            error["fields"][field][0].is_string(),
            "no message for {field}: {error}"
        );
    }
}

#[tokio::test]
async fn duplicate_emails_unknown_references_and_cycles_are_422() {
    let app = TestApp::new().await;
    let a = app.person("A", "a@example.com", None).await;
    let b = app.person("B", "b@example.com", Some(&a)).await;
    let duplicate = app
        .post_json(
            "/api/v1/people",
            json!({"name": "A2", "email": "A@EXAMPLE.COM"}),
        )
        .await;
    assert_eq!(
        duplicate.json()["error"]["fields"]["email"][0],
        "is already used by another person"
    );
    let unknown = app
        .post_json("/api/v1/people", json!({"name": "C", "email": "c@example.com", "unit_id": uuid::Uuid::now_v7(), "manager_id": uuid::Uuid::now_v7()}))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unknown.json()["error"]["fields"]["unit_id"][0],
        "is not a known unit"
    );
    let cycle = app
        .patch_json(&format!("/api/v1/people/{a}"), json!({"manager_id": b}))
        .await;
    assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        cycle.json()["error"]["fields"]["manager_id"][0]
            .as_str()
            .expect("message")
            .contains("cycle")
    );
}

#[tokio::test]
async fn people_are_deactivated_never_deleted() {
    let app = TestApp::new().await;
    let id = app.person("Ada", "ada@example.com", None).await;
    let response = app
        .post_json(
            &format!("/api/v1/people/{id}/deactivate"),
            json!({"departed_on": "2026-01-31"}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(
        (
            response.json()["status"].as_str(),
            response.json()["departed_on"].as_str()
        ),
        (Some("departed"), Some("2026-01-31"))
    );
    let delete = app
        .send(
            axum::http::Request::delete(format!("/api/v1/people/{id}"))
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(delete.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        app.get(&format!("/api/v1/people/{id}")).await.json()["status"],
        "departed"
    );
}

#[tokio::test]
async fn malformed_bodies_and_ids_answer_in_the_error_format() {
    let app = TestApp::new().await;
    let syntax = app
        .send(
            axum::http::Request::post("/api/v1/people")
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{not json"))
                .expect("request"),
        )
        .await;
    assert_eq!(
        (syntax.status, syntax.json()["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    let wrong_type = app
        .post_json(
            "/api/v1/people",
            json!({"name": 42, "email": "x@example.com"}),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    let not_json = app
        .send(
            axum::http::Request::post("/api/v1/people")
                .body(axum::body::Body::from("name=x"))
                .expect("request"),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app.get("/api/v1/people/not-a-uuid").await.status,
        StatusCode::NOT_FOUND
    );
    let missing = app
        .get(&format!("/api/v1/people/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(
        (missing.status, missing.json()["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    assert_eq!(
        app.get("/api/v1/people?status=retired").await.json()["error"]["code"],
        "bad_request"
    );
}
