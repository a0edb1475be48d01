//! API tests for resource commitments, process integration and managers' briefings (5.1.b,
//! 5.1.c, 5.1.h, A.5.4): a request decided by another member of top management with the
//! password, a process verified by its owner, a briefing recorded by the manager of the unit.

use axum::http::{Method, StatusCode};
use charter::domain::access::Permission::{
    DecideResources, ManageLeadership, ReadLeadership, RecordBriefings, RequestResources,
    UpdateActions,
};
use charter::domain::access::Role;
use charter::domain::{Actor, UnitInput};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::authorization_matrix::RouteRule;
use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse, TestSession};

/// This area's routes (API and pages) with the permission each must declare; the authorization
/// matrix calls each as every role and as nobody.
pub const ROUTES: &[RouteRule] = &[
    ("GET", "/api/v1/resource-commitments", ReadLeadership),
    ("POST", "/api/v1/resource-commitments", RequestResources),
    ("GET", "/api/v1/resource-commitments/{id}", ReadLeadership),
    (
        "POST",
        "/api/v1/resource-commitments/{id}/decision",
        DecideResources,
    ),
    (
        "POST",
        "/api/v1/resource-commitments/{id}/withdraw",
        RequestResources,
    ),
    ("GET", "/api/v1/processes", ReadLeadership),
    ("POST", "/api/v1/processes", ManageLeadership),
    ("GET", "/api/v1/processes/{id}", ReadLeadership),
    ("PATCH", "/api/v1/processes/{id}", ManageLeadership),
    ("POST", "/api/v1/processes/{id}/verify", UpdateActions),
    ("GET", "/api/v1/briefings", ReadLeadership),
    ("POST", "/api/v1/briefings", RecordBriefings),
    ("GET", "/leadership/resources", ReadLeadership),
    ("POST", "/leadership/resources", RequestResources),
    ("GET", "/leadership/resources/new", RequestResources),
    ("GET", "/leadership/resources/{id}", ReadLeadership),
    (
        "POST",
        "/leadership/resources/{id}/decision",
        DecideResources,
    ),
    (
        "POST",
        "/leadership/resources/{id}/withdraw",
        RequestResources,
    ),
    ("GET", "/leadership/processes", ReadLeadership),
    ("POST", "/leadership/processes", ManageLeadership),
    ("GET", "/leadership/processes/new", ManageLeadership),
    ("GET", "/leadership/processes/{id}", ReadLeadership),
    ("POST", "/leadership/processes/{id}", ManageLeadership),
    ("GET", "/leadership/processes/{id}/edit", ManageLeadership),
    ("GET", "/leadership/processes/{id}/verify", UpdateActions),
    ("POST", "/leadership/processes/{id}/verify", UpdateActions),
    ("GET", "/leadership/briefings", ReadLeadership),
    ("POST", "/leadership/briefings", RecordBriefings),
    ("GET", "/leadership/briefings/new", RecordBriefings),
];

/// The person behind `<label>@example.test`.
pub async fn person_of(app: &TestApp, label: &str) -> Uuid {
    app.store()
        .person_by_email(&format!("{label}@example.test"))
        .await
        .expect("store")
        .expect("person")
        .id
}

async fn post(app: &TestApp, who: &TestSession, uri: &str, body: Value) -> TestResponse {
    app.json_as(who, Method::POST, uri, body).await
}

fn expect(response: &TestResponse, status: StatusCode) -> Value {
    assert_eq!(response.status, status, "{}", response.text());
    response.json()
}

fn this_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

#[tokio::test]
async fn another_member_of_top_management_decides_a_request_with_the_password() {
    let app = TestApp::anonymous().await;
    let ina = app.account_session("ina", &[Role::IsmsManager]).await;
    let bea = app.account_session("bea", &[Role::TopManagement]).await;
    let tom = app.account_session("tom", &[Role::TopManagement]).await;
    let mia = app.account_session("mia", &[Role::Manager]).await;
    let y = this_year();
    let request = json!({
        "kind": "technical_infrastructure",
        "description": "Log collection for the SIEM",
        "amount": 24000.5,
        "currency": "eur",
        "period_start": format!("{y}-01-01"),
        "period_end": format!("{y}-12-31"),
    });
    let created = post(&app, &ina, "/api/v1/resource-commitments", request.clone()).await;
    let asked = expect(&created, StatusCode::CREATED);
    let id = asked["id"].as_str().expect("id").to_owned();
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/resource-commitments/{id}").as_str())
    );
    assert_eq!(
        (asked["amount"].as_str(), asked["currency"].as_str()),
        (Some("24000.50"), Some("EUR"))
    );
    assert_eq!(asked["status"], "requested");
    let decide = format!("/api/v1/resource-commitments/{id}/decision");
    let unconfirmed = post(
        &app,
        &bea,
        &decide,
        json!({"decision": "approve", "comment": "Needed for A.8.15"}),
    )
    .await;
    let errors = expect(&unconfirmed, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errors["error"]["fields"]["password"].is_array(), "{errors}");
    let approved = post(
        &app,
        &bea,
        &decide,
        json!({"decision": "approve", "comment": "Needed for A.8.15", "password": TEST_PASSWORD}),
    )
    .await;
    let approved = expect(&approved, StatusCode::OK);
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["decided_by_name"], "Test bea");
    let twice = post(
        &app,
        &tom,
        &decide,
        json!({"decision": "reject", "comment": "No"}),
    )
    .await;
    expect(&twice, StatusCode::CONFLICT);

    let own = post(&app, &bea, "/api/v1/resource-commitments", request).await;
    let own_id = expect(&own, StatusCode::CREATED)["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let own_decision = format!("/api/v1/resource-commitments/{own_id}/decision");
    let body = json!({"decision": "approve", "comment": "Mine", "password": TEST_PASSWORD});
    let refused = post(&app, &bea, &own_decision, body).await;
    let refused = expect(&refused, StatusCode::FORBIDDEN);
    assert_eq!(refused["error"]["code"], "forbidden");
    let rejected = post(
        &app,
        &tom,
        &own_decision,
        json!({"decision": "reject", "comment": "Covered by the SIEM budget"}),
    )
    .await;
    assert_eq!(expect(&rejected, StatusCode::OK)["status"], "rejected");

    let none = json!({
        "kind": "facilities",
        "description": "Offices suffice",
        "none_needed": true,
        "period_start": format!("{y}-01-01"),
        "period_end": format!("{y}-12-31"),
    });
    let not_top = post(&app, &mia, "/api/v1/resource-commitments", none.clone()).await;
    expect(&not_top, StatusCode::FORBIDDEN);
    let recorded = post(&app, &tom, "/api/v1/resource-commitments", none).await;
    let recorded = expect(&recorded, StatusCode::CREATED);
    assert_eq!(
        (
            recorded["status"].as_str(),
            recorded["none_needed"].as_bool()
        ),
        (Some("approved"), Some(true))
    );

    let listed = app
        .get_as(
            &mia,
            "/api/v1/resource-commitments?status=approved&kind=facilities",
        )
        .await;
    let listed = expect(&listed, StatusCode::OK);
    assert_eq!(listed["total"], 1);
    let withdraw = format!("/api/v1/resource-commitments/{id}/withdraw");
    expect(
        &post(&app, &ina, &withdraw, json!({})).await,
        StatusCode::CONFLICT,
    );
}

#[tokio::test]
async fn a_process_owner_verifies_by_api_and_others_are_refused() {
    let app = TestApp::anonymous().await;
    let ina = app.account_session("ina", &[Role::IsmsManager]).await;
    let olga = app.account_session("olga", &[Role::Staff]).await;
    let otto = app.account_session("otto", &[Role::Staff]).await;
    let seeded = expect(&app.get_as(&ina, "/api/v1/processes").await, StatusCode::OK);
    let seeded = seeded.as_array().expect("list");
    assert_eq!(seeded.len(), 8);
    assert!(
        seeded
            .iter()
            .all(|p| p["stale"] == true && p["key_process"] == true)
    );

    let budgeting = seeded
        .iter()
        .find(|p| p["standard_key"] == "budgeting")
        .expect("budgeting");
    let uri = format!(
        "/api/v1/processes/{}",
        budgeting["id"].as_str().expect("id")
    );
    let owner = person_of(&app, "olga").await;
    let patch = json!({
        "integration": "Every budget line for a new system carries its security cost.",
        "owner_id": owner,
        "verification_interval_days": 180,
    });
    let patched = app.json_as(&ina, Method::PATCH, &uri, patch).await;
    let patched = expect(&patched, StatusCode::OK);
    assert_eq!(patched["name"], "Budgeting");
    assert_eq!(patched["owner_name"], "Test olga");
    let unknown = app
        .json_as(&ina, Method::PATCH, &uri, json!({"colour": "red"}))
        .await;
    expect(&unknown, StatusCode::UNPROCESSABLE_ENTITY);

    let verify = format!("{uri}/verify");
    let refused = post(&app, &otto, &verify, json!({})).await;
    expect(&refused, StatusCode::FORBIDDEN);
    let verified = post(
        &app,
        &olga,
        &verify,
        json!({"evidence": "Budget 2026, section 4"}),
    )
    .await;
    let verified = expect(&verified, StatusCode::OK);
    assert_eq!(verified["stale"], false);
    assert_eq!(verified["evidence"], "Budget 2026, section 4");
    assert!(verified["verification_due_on"].is_string());

    let created = post(
        &app,
        &ina,
        "/api/v1/processes",
        json!({"name": "Incident post-mortems", "integration": "Each has a security review."}),
    )
    .await;
    let created = expect(&created, StatusCode::CREATED);
    assert_eq!(created["verification_interval_days"], 365);
    let duplicate = post(
        &app,
        &ina,
        "/api/v1/processes",
        json!({"name": "budgeting", "integration": "Again"}),
    )
    .await;
    let duplicate = expect(&duplicate, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(duplicate["error"]["fields"]["name"].is_array());
}

#[tokio::test]
async fn a_manager_records_a_briefing_for_the_unit_they_head_only() {
    let app = TestApp::anonymous().await;
    let mia = app.account_session("mia", &[Role::Manager]).await;
    let ina = app.account_session("ina", &[Role::IsmsManager]).await;
    let store = app.store();
    let head = person_of(&app, "mia").await;
    let unit = |name: &str, head_id| UnitInput {
        name: name.into(),
        head_id,
        ..UnitInput::default()
    };
    let sales = store
        .create_unit(&Actor::cli(), unit("Sales", Some(head)))
        .await
        .expect("unit");
    let legal = store
        .create_unit(&Actor::cli(), unit("Legal", None))
        .await
        .expect("unit");
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let body = |unit_id: Uuid| json!({"unit_id": unit_id, "briefed_on": today, "topic": "Clean desk", "staff_count": 12});
    let recorded = post(&app, &mia, "/api/v1/briefings", body(sales.id)).await;
    let recorded = expect(&recorded, StatusCode::CREATED);
    assert_eq!(recorded["manager_name"], "Test mia");
    assert_eq!(recorded["unit_name"], "Sales");
    let refused = post(&app, &mia, "/api/v1/briefings", body(legal.id)).await;
    expect(&refused, StatusCode::FORBIDDEN);
    let future =
        json!({"unit_id": sales.id, "briefed_on": "2999-01-01", "topic": "x", "staff_count": 1});
    let future = post(&app, &mia, "/api/v1/briefings", future).await;
    let future = expect(&future, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future["error"]["fields"]["briefed_on"].is_array());

    let uri = format!("/api/v1/briefings?unit_id={}", sales.id);
    let listed = expect(&app.get_as(&ina, &uri).await, StatusCode::OK);
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["staff_count"], 12);
}
