//! Top-management communications through the JSON API: who may record one, what is refused,
//! and the emails it sends through the outbox.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use charter::domain::access::Role;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::helpers::{TestApp, TestSession};

struct Cast {
    app: TestApp,
    admin: TestSession,
    bea: TestSession,
    ina: TestSession,
    auditor: TestSession,
    sales: String,
}

async fn cast() -> Cast {
    let mut app = TestApp::anonymous().await;
    let admin = app.account_session("admin", &[Role::Admin]).await;
    app.session = Some(admin.clone());
    let bea = app.account_session("bea", &[Role::TopManagement]).await;
    let ina = app.account_session("ina", &[Role::IsmsManager]).await;
    let auditor = app.account_session("aud", &[Role::Auditor]).await;
    let sales = app.unit("Sales", None).await;
    for label in ["sam", "sia"] {
        let body = json!({ "name": format!("Seller {label}"), "email": format!("{label}@example.test"), "unit_id": sales });
        let response = app.post_json("/api/v1/people", body).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    }
    Cast {
        app,
        admin,
        bea,
        ina,
        auditor,
        sales,
    }
}

fn date_in(days: i64) -> String {
    (OffsetDateTime::now_utc().date() + Duration::days(days)).to_string()
}

fn town_hall() -> Value {
    json!({
        "audience": { "kind": "everyone" },
        "channel": "town_hall",
        "communicated_on": date_in(0),
        "subject": "Why security matters to us",
        "body": "Our customers trust us with their data; the ISMS is how we keep that trust.",
    })
}

impl Cast {
    async fn call(
        &self,
        who: &TestSession,
        method: Method,
        uri: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let response = self.app.json_as(who, method, uri, body).await;
        let value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        (response.status, value)
    }

    async fn record(&self, who: &TestSession, body: Value) -> (StatusCode, Value) {
        self.call(who, Method::POST, "/api/v1/communications", body)
            .await
    }

    async fn total(&self) -> Value {
        let (status, page) = self
            .call(
                &self.ina,
                Method::GET,
                "/api/v1/communications",
                Value::Null,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page["total"].clone()
    }
}

#[tokio::test]
async fn top_management_records_a_communication_that_others_read() {
    let c = cast().await;
    let response = c
        .app
        .json_as(&c.bea, Method::POST, "/api/v1/communications", town_hall())
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let recorded = response.json();
    let id = recorded["id"].as_str().expect("id");
    let location = format!("/api/v1/communications/{id}");
    assert_eq!(response.header("location"), Some(location.as_str()));
    assert_eq!(
        (
            recorded["author_name"].as_str(),
            recorded["channel"].as_str(),
            recorded["emails_queued"].as_i64()
        ),
        (Some("Test bea"), Some("town_hall"), Some(0))
    );
    let (status, read) = c
        .call(&c.auditor, Method::GET, &location, Value::Null)
        .await;
    assert_eq!(
        (status, read["subject"].as_str()),
        (StatusCode::OK, Some("Why security matters to us"))
    );
    assert_eq!(c.total().await, 1);
}

#[tokio::test]
async fn only_top_management_records_communications() {
    let c = cast().await;
    let (status, error) = c.record(&c.ina, town_hall()).await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let (status, _) = c.record(&c.admin, town_hall()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an admin is not top management"
    );
    assert_eq!(c.total().await, 0);
}

#[tokio::test]
async fn sending_by_email_queues_one_message_per_person_in_the_audience() {
    let c = cast().await;
    let mut body = town_hall();
    body["channel"] = json!("email");
    body["send_email"] = json!(true);
    body["audience"] = json!({ "kind": "units", "unit_ids": [c.sales] });
    let (status, recorded) = c.record(&c.bea, body).await;
    assert_eq!(status, StatusCode::CREATED, "{recorded}");
    assert_eq!(recorded["emails_queued"], 2);
    let (_, outbox) = c
        .call(
            &c.admin,
            Method::GET,
            "/api/v1/outbox?kind=communication",
            Value::Null,
        )
        .await;
    let items = outbox["items"].as_array().expect("items");
    let to: BTreeSet<&str> = items
        .iter()
        .filter_map(|m| m["to_address"].as_str())
        .collect();
    assert_eq!(to, BTreeSet::from(["sam@example.test", "sia@example.test"]));
    assert!(
        items
            .iter()
            .all(|m| m["communication_id"] == recorded["id"])
    );
    assert!(items.iter().all(|m| {
        m["subject"]
            .as_str()
            .is_some_and(|s| s.contains("Why security matters"))
    }));
}

#[tokio::test]
async fn a_communication_in_the_future_or_without_text_is_refused() {
    let c = cast().await;
    let mut tomorrow = town_hall();
    tomorrow["communicated_on"] = json!(date_in(1));
    let (status, error) = c.record(&c.bea, tomorrow).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(
        error["error"]["fields"]["communicated_on"].is_array(),
        "{error}"
    );
    let mut empty = town_hall();
    empty["body"] = json!("");
    let (status, error) = c.record(&c.bea, empty).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["error"]["fields"]["body"].is_array(), "{error}");
    assert_eq!(c.total().await, 0, "nothing recorded");
}
