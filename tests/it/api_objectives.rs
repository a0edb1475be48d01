//! Objectives through the JSON API (5.1.a, 5.1.e) as an ISMS manager, an objective's owner,
//! another member of staff and an auditor use them: setting, measuring, correcting, retiring.

use axum::http::{Method, StatusCode};
use charter::domain::access::Permission::{
    ManageLeadership, ReadLeadership, RecordMeasurements, SignedIn,
};
use charter::domain::access::Role;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::authorization_matrix::RouteRule;
use crate::helpers::{TestApp, TestResponse, TestSession};

/// This area's routes (API and pages) with the permission each must declare; the authorization
/// matrix calls each as every role and as nobody.
pub const ROUTES: &[RouteRule] = &[
    ("GET", "/api/v1/objectives", ReadLeadership),
    ("POST", "/api/v1/objectives", ManageLeadership),
    ("GET", "/api/v1/objectives/{id}", SignedIn),
    ("PATCH", "/api/v1/objectives/{id}", ManageLeadership),
    ("POST", "/api/v1/objectives/{id}/retire", ManageLeadership),
    ("GET", "/api/v1/objectives/{id}/measurements", SignedIn),
    (
        "POST",
        "/api/v1/objectives/{id}/measurements",
        RecordMeasurements,
    ),
    ("GET", "/leadership/objectives", ReadLeadership),
    ("POST", "/leadership/objectives", ManageLeadership),
    ("GET", "/leadership/objectives/new", ManageLeadership),
    ("GET", "/leadership/objectives/{id}", SignedIn),
    ("POST", "/leadership/objectives/{id}", ManageLeadership),
    ("GET", "/leadership/objectives/{id}/edit", ManageLeadership),
    (
        "POST",
        "/leadership/objectives/{id}/measurements",
        RecordMeasurements,
    ),
    (
        "POST",
        "/leadership/objectives/{id}/retire",
        ManageLeadership,
    ),
];

/// Ina runs the ISMS; Olga (staff) owns the objective; Sam is other staff; Ada audits.
struct Cast {
    app: TestApp,
    ina: TestSession,
    olga: TestSession,
    sam: TestSession,
    ada: TestSession,
    olga_id: String,
}

async fn cast() -> Cast {
    let mut app = TestApp::anonymous().await;
    let ina = app.account_session("ina", &[Role::IsmsManager]).await;
    app.session = Some(ina.clone());
    let olga = app.account_session("olga", &[Role::Staff]).await;
    let sam = app.account_session("sam", &[Role::Staff]).await;
    let ada = app.account_session("ada", &[Role::Auditor]).await;
    let me = app.get_as(&olga, "/api/v1/auth/me").await;
    let olga_id = me.json()["person_id"].as_str().expect("id").to_owned();
    Cast {
        app,
        ina,
        olga,
        sam,
        ada,
        olga_id,
    }
}

impl Cast {
    async fn call(
        &self,
        who: &TestSession,
        method: Method,
        uri: &str,
        body: Value,
    ) -> TestResponse {
        if method == Method::GET {
            self.app.get_as(who, uri).await
        } else {
            self.app.json_as(who, method, uri, body).await
        }
    }

    async fn objective(&self, body: Value) -> String {
        let created = self
            .call(&self.ina, Method::POST, "/api/v1/objectives", body)
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let id = created.json()["id"].as_str().expect("id").to_owned();
        assert_eq!(
            created.header("location"),
            Some(format!("/api/v1/objectives/{id}").as_str())
        );
        id
    }
}

fn date_in(days: i64) -> String {
    (OffsetDateTime::now_utc().date() + Duration::days(days)).to_string()
}

fn objective_body(owner: &str) -> Value {
    json!({
        "statement": "Every member of staff completes security training",
        "metric": "Staff trained",
        "unit": "%",
        "target": 90,
        "direction": "at_least",
        "owner_id": owner,
        "due_on": date_in(120),
        "measurement_interval_days": 30,
        "theme": "Trust",
    })
}

fn fields(response: &TestResponse) -> Vec<String> {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    let body = response.json();
    let fields = body["error"]["fields"].as_object().expect("fields");
    fields.keys().cloned().collect()
}

#[tokio::test]
async fn the_owner_records_and_others_may_not() {
    let cast = cast().await;
    let id = cast.objective(objective_body(&cast.olga_id)).await;
    let uri = format!("/api/v1/objectives/{id}/measurements");
    let body = json!({ "value": 92.5, "source": "LMS export" });
    let recorded = cast
        .call(&cast.olga, Method::POST, &uri, body.clone())
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.text());
    let refused = cast.call(&cast.sam, Method::POST, &uri, body.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let auditor = cast.call(&cast.ada, Method::POST, &uri, body).await;
    assert_eq!(auditor.status, StatusCode::FORBIDDEN);

    let own = cast
        .call(
            &cast.olga,
            Method::GET,
            &format!("/api/v1/objectives/{id}"),
            json!({}),
        )
        .await;
    assert_eq!(
        own.status,
        StatusCode::OK,
        "the owner reads their objective"
    );
    assert_eq!(own.json()["status"], "on_track");
    assert_eq!(own.json()["latest"]["value"], 92.5);
    let other = cast
        .call(
            &cast.sam,
            Method::GET,
            &format!("/api/v1/objectives/{id}"),
            json!({}),
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let read = cast.call(&cast.ada, Method::GET, &uri, json!({})).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json().as_array().map(Vec::len), Some(1));
    let missing = format!("/api/v1/objectives/{}", uuid::Uuid::now_v7());
    for path in [missing.clone(), format!("{missing}/measurements")] {
        let response = cast.call(&cast.ina, Method::GET, &path, json!({})).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn refusals_name_their_fields() {
    let cast = cast().await;
    let mut body = objective_body(&cast.olga_id);
    body["statement"] = json!(" ");
    body["theme"] = json!("");
    body["measurement_interval_days"] = json!(0);
    body["policy_id"] = json!(uuid::Uuid::now_v7());
    let refused = cast
        .call(&cast.ina, Method::POST, "/api/v1/objectives", body)
        .await;
    assert_eq!(
        fields(&refused),
        vec!["measurement_interval_days", "statement", "theme"]
    );
    let mut body = objective_body(&cast.olga_id);
    body["policy_id"] = json!(uuid::Uuid::now_v7());
    body["owner_id"] = json!(uuid::Uuid::now_v7());
    let unknown = cast
        .call(&cast.ina, Method::POST, "/api/v1/objectives", body)
        .await;
    assert_eq!(fields(&unknown), vec!["owner_id", "policy_id"]);

    let id = cast.objective(objective_body(&cast.olga_id)).await;
    let uri = format!("/api/v1/objectives/{id}/measurements");
    let sourceless = cast
        .call(
            &cast.olga,
            Method::POST,
            &uri,
            json!({ "value": 1, "source": "" }),
        )
        .await;
    assert_eq!(fields(&sourceless), vec!["source"]);
    let first = cast
        .call(
            &cast.olga,
            Method::POST,
            &uri,
            json!({ "value": 78, "source": "LMS" }),
        )
        .await;
    let first_id = first.json()["id"].clone();
    let fix = json!({ "value": 87, "source": "LMS, rerun", "corrects_id": first_id });
    let fixed = cast.call(&cast.olga, Method::POST, &uri, fix.clone()).await;
    assert_eq!(fixed.status, StatusCode::CREATED, "{}", fixed.text());
    assert_eq!(fixed.json()["corrects_id"], first_id);
    let twice = cast.call(&cast.olga, Method::POST, &uri, fix).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text());
    let history = cast.call(&cast.olga, Method::GET, &uri, json!({})).await;
    let history = history.json();
    assert_eq!(history[0]["corrected_by"], fixed.json()["id"]);

    // Finite but beyond any measure: a chart or a report could not place them.
    let huge = cast
        .call(
            &cast.olga,
            Method::POST,
            &uri,
            json!({ "value": -1e308, "source": "LMS" }),
        )
        .await;
    assert_eq!(fields(&huge), vec!["value"]);
    let mut body = objective_body(&cast.olga_id);
    body["target"] = json!(1e308);
    let huge = cast
        .call(&cast.ina, Method::POST, "/api/v1/objectives", body)
        .await;
    assert_eq!(fields(&huge), vec!["target"]);
    let patched = cast
        .call(
            &cast.ina,
            Method::PATCH,
            &format!("/api/v1/objectives/{id}"),
            json!({ "target": 2e12 }),
        )
        .await;
    assert_eq!(fields(&patched), vec!["target"]);
}

#[tokio::test]
async fn managers_edit_filter_and_retire() {
    let cast = cast().await;
    let id = cast.objective(objective_body(&cast.olga_id)).await;
    let mut growth = objective_body(&cast.olga_id);
    growth["theme"] = json!("Growth");
    let growth_id = cast.objective(growth).await;
    let uri = format!("/api/v1/objectives/{id}");
    let patched = cast
        .call(
            &cast.ina,
            Method::PATCH,
            &uri,
            json!({ "target": 95, "direction": "at_most" }),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text());
    assert_eq!(patched.json()["target"], 95.0);
    assert_eq!(patched.json()["theme"], "Trust", "untouched fields stay");
    let by_owner = cast
        .call(&cast.olga, Method::PATCH, &uri, json!({ "target": 1 }))
        .await;
    assert_eq!(by_owner.status, StatusCode::FORBIDDEN, "owners do not edit");
    let listed = cast
        .call(
            &cast.ada,
            Method::GET,
            "/api/v1/objectives?theme=growth&status=not_measured",
            json!({}),
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
    let ids: Vec<Value> = listed
        .json()
        .as_array()
        .expect("list")
        .iter()
        .map(|o| o["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(growth_id)]);
    let bad = cast
        .call(
            &cast.ada,
            Method::GET,
            "/api/v1/objectives?status=sideways",
            json!({}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let retired = cast
        .call(&cast.ina, Method::POST, &format!("{uri}/retire"), json!({}))
        .await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.text());
    assert_eq!(retired.json()["active"], false);
    let again = cast
        .call(&cast.ina, Method::POST, &format!("{uri}/retire"), json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let active = cast
        .call(&cast.ina, Method::GET, "/api/v1/objectives", json!({}))
        .await;
    assert_eq!(active.json().as_array().map(Vec::len), Some(1));
    let all = cast
        .call(
            &cast.ina,
            Method::GET,
            "/api/v1/objectives?include_retired=true",
            json!({}),
        )
        .await;
    assert_eq!(all.json().as_array().map(Vec::len), Some(2));
}
