//! Units and the organization profile over the JSON API.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn units_form_a_tree_and_refuse_a_cycle() {
    let app = TestApp::new().await;
    let root = app.unit("Company", None).await;
    let child = app.unit("Engineering", Some(&root)).await;
    let children = app
        .get(&format!("/api/v1/units?parent_id={root}"))
        .await
        .json();
    assert_eq!(children["items"][0]["name"], "Engineering");
    let cycle = app
        .patch_json(
            &format!("/api/v1/units/{root}"),
            json!({"parent_id": child}),
        )
        .await;
    assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        cycle.json()["error"]["fields"]["parent_id"][0]
            .as_str()
            .expect("message")
            .contains("cycle")
    );
    let head = app.person("Grace", "grace@example.com", None).await;
    let updated = app
        .patch_json(
            &format!("/api/v1/units/{child}"),
            json!({"head_id": head, "description": "Builds things"}),
        )
        .await;
    assert_eq!(
        (
            updated.json()["head_id"].as_str(),
            updated.json()["description"].as_str()
        ),
        (Some(head.as_str()), Some("Builds things"))
    );
    let duplicate = app
        .post_json("/api/v1/units", json!({"name": "company"}))
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_organization_profile_is_read_and_replaced() {
    let app = TestApp::new().await;
    let body = json!({"name": "Acme", "purpose": "Anvils", "isms_scope": "Everything", "strategic_themes": ["Trust", "trust", "Growth"]});
    let saved = app
        .json(axum::http::Method::PUT, "/api/v1/organization", body)
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    let profile = app.get("/api/v1/organization").await.json();
    assert_eq!(profile["strategic_themes"], json!(["Trust", "Growth"]));
    let events = app
        .get("/api/v1/audit-events?record_type=organization")
        .await
        .json();
    assert_eq!(events["items"][0]["action"], "organization.updated");
    let invalid = app
        .json(
            axum::http::Method::PUT,
            "/api/v1/organization",
            json!({"name": " "}),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
}
