//! Roles, responsibilities and authorities through the JSON API, as an ISMS manager, staff, top
//! management and an auditor would use them: the catalog, assignments and their acknowledgment,
//! history, segregation of duties and its exceptions, delegation, RACI and escalation.

use axum::http::{Method, StatusCode};
use charter::domain::access::Role;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse, TestSession};

/// Ina runs the ISMS; Sam and Sue are staff; Tom is staff who may become managing director;
/// Bea is top management; Ivy both runs the ISMS and sits in top management; Ada audits.
struct Cast {
    app: TestApp,
    ina: TestSession,
    sam: TestSession,
    sue: TestSession,
    tom: TestSession,
    bea: TestSession,
    ivy: TestSession,
    ada: TestSession,
    sam_id: String,
    sue_id: String,
    tom_id: String,
}

async fn cast() -> Cast {
    let mut app = TestApp::anonymous().await;
    let admin = app.account_session("admin", &[Role::Admin]).await;
    app.session = Some(admin);
    let ina = app.account_session("ina", &[Role::IsmsManager]).await;
    let sam = app.account_session("sam", &[Role::Staff]).await;
    let sue = app.account_session("sue", &[Role::Staff]).await;
    let tom = app.account_session("tom", &[Role::Staff]).await;
    let bea = app.account_session("bea", &[Role::TopManagement]).await;
    let ivy = app
        .account_session("ivy", &[Role::IsmsManager, Role::TopManagement])
        .await;
    let ada = app.account_session("ada", &[Role::Auditor]).await;
    let sam_id = own_person_id(&app, &sam).await;
    let sue_id = own_person_id(&app, &sue).await;
    let tom_id = own_person_id(&app, &tom).await;
    Cast {
        app,
        ina,
        sam,
        sue,
        tom,
        bea,
        ivy,
        ada,
        sam_id,
        sue_id,
        tom_id,
    }
}

async fn own_person_id(app: &TestApp, who: &TestSession) -> String {
    let me = app.get_as(who, "/api/v1/auth/me").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    me.json()["person_id"]
        .as_str()
        .expect("person id")
        .to_owned()
}

fn date_in(days: i64) -> String {
    (OffsetDateTime::now_utc().date() + Duration::days(days)).to_string()
}

fn role_body(name: &str) -> Value {
    json!({
        "name": name,
        "category": "custom",
        "responsibilities": [format!("Keep {name} duties up to date")],
        "authorities": [format!("Decide on {name} matters")],
    })
}

impl Cast {
    async fn call(
        &self,
        who: &TestSession,
        method: Method,
        uri: &str,
        body: Value,
    ) -> TestResponse {
        self.app.json_as(who, method, uri, body).await
    }

    async fn get(&self, who: &TestSession, uri: &str) -> TestResponse {
        self.app.get_as(who, uri).await
    }

    /// Posts as `who` and expects `status`; answers the JSON body.
    async fn post_expecting(
        &self,
        who: &TestSession,
        uri: &str,
        body: Value,
        status: StatusCode,
    ) -> Value {
        let response = self.call(who, Method::POST, uri, body).await;
        assert_eq!(response.status, status, "POST {uri}: {}", response.text());
        serde_json::from_slice(&response.body).unwrap_or(Value::Null)
    }

    async fn role(&self, body: Value) -> String {
        let role = self
            .post_expecting(&self.ina, "/api/v1/roles", body, StatusCode::CREATED)
            .await;
        role["id"].as_str().expect("role id").to_owned()
    }

    fn assignment_body(&self, role_id: &str, person_id: &str, starts_in: i64) -> Value {
        json!({
            "role_id": role_id,
            "person_id": person_id,
            "starts_on": date_in(starts_in),
            "reason": "Knows the systems best",
        })
    }

    async fn assign(&self, role_id: &str, person_id: &str, starts_in: i64) -> String {
        let body = self.assignment_body(role_id, person_id, starts_in);
        let assignment = self
            .post_expecting(&self.ina, "/api/v1/assignments", body, StatusCode::CREATED)
            .await;
        assignment["id"].as_str().expect("assignment id").to_owned()
    }

    async fn json_ok(&self, who: &TestSession, uri: &str) -> Value {
        let response = self.get(who, uri).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "GET {uri}: {}",
            response.text()
        );
        response.json()
    }

    /// A rule keeping the two roles apart; answers its id.
    async fn conflict(&self, role_a: &str, role_b: &str) -> String {
        let body = json!({
            "conflict": { "kind": "roles", "role_a": role_a, "role_b": role_b },
            "rationale": "Whoever approves payments must not also make them",
        });
        let rule = self
            .post_expecting(&self.ina, "/api/v1/sod/rules", body, StatusCode::CREATED)
            .await;
        rule["id"].as_str().expect("rule id").to_owned()
    }

    async fn request_exception(&self, who: &TestSession, rule_id: &str, person_id: &str) -> String {
        let body = json!({
            "rule_id": rule_id,
            "person_id": person_id,
            "justification": "Two people in finance until the new hire starts",
            "compensating_controls": "Monthly review of every payment by the auditor",
            "expires_on": date_in(90),
        });
        let exception = self
            .post_expecting(who, "/api/v1/sod/exceptions", body, StatusCode::CREATED)
            .await;
        assert_eq!(exception["decision"], "requested", "{exception}");
        exception["id"].as_str().expect("exception id").to_owned()
    }

    async fn decide(&self, who: &TestSession, exception_id: &str, password: &str) -> TestResponse {
        let body =
            json!({ "approve": true, "note": "Reviewed the controls", "password": password });
        let uri = format!("/api/v1/sod/exceptions/{exception_id}/decision");
        self.call(who, Method::POST, &uri, body).await
    }
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .filter_map(|item| item["id"].as_str())
        .collect()
}

#[tokio::test]
async fn an_assigned_role_is_listed_to_its_holder_who_alone_acknowledges_it() {
    let c = cast().await;
    let response = c
        .call(
            &c.ina,
            Method::POST,
            "/api/v1/roles",
            role_body("Backup owner"),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let role_id = response.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(
        response.header("location"),
        Some(format!("/api/v1/roles/{role_id}").as_str())
    );
    let assignment_id = c.assign(&role_id, &c.sam_id, 0).await;

    let mine = c.json_ok(&c.sam, "/api/v1/me/assignments").await;
    assert_eq!(ids(&mine["items"]), vec![assignment_id.as_str()], "{mine}");
    assert_eq!(mine["items"][0]["role_name"], "Backup owner");
    assert_eq!(mine["items"][0]["state"], "current");
    assert_eq!(mine["unacknowledged"], 1);
    let waiting = format!("/api/v1/assignments?unacknowledged=true&role_id={role_id}");
    assert_eq!(c.json_ok(&c.ina, &waiting).await["total"], 1);

    let own = format!("/api/v1/assignments/{assignment_id}");
    assert_eq!(c.get(&c.sue, &own).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        c.json_ok(&c.sam, &own).await["person_id"],
        c.sam_id.as_str()
    );
    let acknowledge = format!("/api/v1/assignments/{assignment_id}/acknowledge");
    let refused = c
        .call(&c.sue, Method::POST, &acknowledge, Value::Null)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    assert_eq!(refused.json()["error"]["code"], "forbidden");
    assert!(c.json_ok(&c.ina, &own).await["acknowledged_at"].is_null());

    let acknowledged = c
        .post_expecting(&c.sam, &acknowledge, Value::Null, StatusCode::OK)
        .await;
    assert!(
        acknowledged["acknowledged_at"].is_string(),
        "{acknowledged}"
    );
    let statement = acknowledged["acknowledged_statement"]
        .as_str()
        .expect("statement");
    assert!(
        statement.contains("Keep Backup owner duties up to date"),
        "{statement}"
    );
    assert!(
        statement.contains("Decide on Backup owner matters"),
        "{statement}"
    );
    assert_eq!(
        c.json_ok(&c.sam, "/api/v1/me/assignments").await["unacknowledged"],
        0
    );
    assert_eq!(c.json_ok(&c.ina, &waiting).await["total"], 0);
}

#[tokio::test]
async fn the_holders_of_a_role_are_answered_for_a_past_day() {
    let c = cast().await;
    let role_id = c.role(role_body("Privacy officer")).await;
    let sam_tenure = c.assign(&role_id, &c.sam_id, -60).await;
    let ended = c
        .post_expecting(
            &c.ina,
            &format!("/api/v1/assignments/{sam_tenure}/end"),
            json!({ "ends_on": date_in(-31), "reason": "Moved to sales" }),
            StatusCode::OK,
        )
        .await;
    assert_eq!(ended["state"], "ended", "{ended}");
    c.assign(&role_id, &c.sue_id, -30).await;

    let holders = |on: Option<i64>| {
        let query = on.map_or(String::new(), |days| format!("?on={}", date_in(days)));
        format!("/api/v1/roles/{role_id}/holders{query}")
    };
    let then = c.json_ok(&c.ada, &holders(Some(-45))).await;
    assert_eq!(then["on"], date_in(-45));
    let names: Vec<&str> = then["holders"]
        .as_array()
        .expect("holders")
        .iter()
        .filter_map(|h| h["person_name"].as_str())
        .collect();
    assert_eq!(names, vec!["Test sam"], "{then}");
    let now = c.json_ok(&c.ada, &holders(None)).await;
    assert_eq!(now["holders"][0]["person_name"], "Test sue", "{now}");
    assert_eq!(now["holders"].as_array().map(Vec::len), Some(1), "{now}");
    let bad_day = c
        .get(
            &c.ada,
            &format!("/api/v1/roles/{role_id}/holders?on=yesterday"),
        )
        .await;
    assert_eq!(
        bad_day.status,
        StatusCode::BAD_REQUEST,
        "{}",
        bad_day.text()
    );
}

#[tokio::test]
async fn a_conflicting_assignment_is_refused_until_top_management_approves_an_exception() {
    let c = cast().await;
    let approver = c.role(role_body("Payment approver")).await;
    let clerk = c.role(role_body("Payment clerk")).await;
    let rule_id = c.conflict(&approver, &clerk).await;
    c.assign(&approver, &c.sam_id, 0).await;

    let body = c.assignment_body(&clerk, &c.sam_id, 0);
    let refused = c
        .call(&c.ina, Method::POST, "/api/v1/assignments", body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    let message = refused.json()["error"]["message"]
        .as_str()
        .expect("message")
        .to_owned();
    assert!(
        message.contains("Payment approver") && message.contains("Payment clerk"),
        "{message}"
    );
    let sams = format!("/api/v1/assignments?person_id={}", c.sam_id);
    assert_eq!(c.json_ok(&c.ina, &sams).await["total"], 1);

    // Tom decides while he holds a role that makes him top management, and not before.
    let exception_id = c.request_exception(&c.ina, &rule_id, &c.sam_id).await;
    let director = c
        .role(json!({
            "name": "Managing director",
            "category": "top_management",
            "responsibilities": ["Direct the organization"],
            "authorities": ["Approve segregation-of-duties exceptions"],
            "grants": "top_management",
        }))
        .await;
    assert_eq!(
        c.decide(&c.tom, &exception_id, TEST_PASSWORD).await.status,
        StatusCode::FORBIDDEN
    );
    // Handing out top management is an admin's act, not the ISMS manager's.
    let by_isms = c.assignment_body(&director, &c.tom_id, -10);
    let refused = c
        .call(&c.ina, Method::POST, "/api/v1/assignments", by_isms.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let admin = c.app.session.as_ref().expect("the admin's session");
    let tenure = c
        .post_expecting(admin, "/api/v1/assignments", by_isms, StatusCode::CREATED)
        .await["id"]
        .as_str()
        .expect("assignment id")
        .to_owned();
    let wrong = c.decide(&c.tom, &exception_id, "not my password").await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.text()
    );
    assert!(
        wrong.json()["error"]["fields"]["password"].is_array(),
        "{}",
        wrong.text()
    );
    let decided = c.decide(&c.tom, &exception_id, TEST_PASSWORD).await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text());
    let decided = decided.json();
    assert_eq!(
        (decided["decision"].as_str(), decided["state"].as_str()),
        (Some("approved"), Some("active")),
        "{decided}"
    );
    assert_eq!(decided["decided_by_name"], "Test tom");

    let mut covered = body;
    covered["sod_exception_id"] = json!(exception_id);
    c.post_expecting(&c.ina, "/api/v1/assignments", covered, StatusCode::CREATED)
        .await;
    let violations = c.json_ok(&c.ada, "/api/v1/sod/violations").await;
    let sams_violation = violations
        .as_array()
        .expect("violations")
        .iter()
        .find(|v| v["person_id"] == c.sam_id.as_str())
        .unwrap_or_else(|| panic!("Sam is in conflict: {violations}"));
    assert_eq!(sams_violation["covered_by"], exception_id.as_str());

    c.post_expecting(
        &c.ina,
        &format!("/api/v1/assignments/{tenure}/end"),
        json!({ "ends_on": date_in(-1), "reason": "Stepped down" }),
        StatusCode::OK,
    )
    .await;
    let next = c.request_exception(&c.ina, &rule_id, &c.sue_id).await;
    assert_eq!(
        c.decide(&c.tom, &next, TEST_PASSWORD).await.status,
        StatusCode::FORBIDDEN
    );
    let still = c
        .json_ok(&c.ina, &format!("/api/v1/sod/exceptions/{next}"))
        .await;
    assert_eq!(still["decision"], "requested");
}

#[tokio::test]
async fn whoever_asked_for_an_exception_cannot_decide_it() {
    let c = cast().await;
    let approver = c.role(role_body("Access approver")).await;
    let admin = c.role(role_body("Access administrator")).await;
    let rule_id = c.conflict(&approver, &admin).await;
    let exception_id = c.request_exception(&c.ivy, &rule_id, &c.sam_id).await;

    let own = c.decide(&c.ivy, &exception_id, TEST_PASSWORD).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.text());
    let uri = format!("/api/v1/sod/exceptions/{exception_id}");
    assert_eq!(c.json_ok(&c.ada, &uri).await["decision"], "requested");

    let body = json!({ "approve": false, "note": "Hire first", "password": TEST_PASSWORD });
    let rejected = c
        .post_expecting(&c.bea, &format!("{uri}/decision"), body, StatusCode::OK)
        .await;
    assert_eq!(rejected["decision"], "rejected");
    assert_eq!(rejected["decided_by_name"], "Test bea");
}

#[tokio::test]
async fn bad_input_is_refused_with_field_details_and_nothing_is_written() {
    let c = cast().await;
    let before = c.json_ok(&c.ina, "/api/v1/roles").await;
    let response = c
        .call(
            &c.ina,
            Method::POST,
            "/api/v1/roles",
            json!({ "name": " ", "category": "custom", "responsibilities": [], "authorities": ["Sign"] }),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    let error = &response.json()["error"];
    assert_eq!(error["code"], "validation_failed");
    assert!(error["message"].is_string());
    assert!(error["fields"]["name"].is_array(), "{error}");
    assert!(error["fields"]["responsibilities"].is_array(), "{error}");
    assert_eq!(c.json_ok(&c.ina, "/api/v1/roles").await, before);

    let role_id = c.role(role_body("Asset owner for laptops")).await;
    let mut body = c.assignment_body(&role_id, &c.sam_id, 0);
    body["reason"] = json!("");
    body["ends_on"] = json!(date_in(-5));
    let response = c
        .call(&c.ina, Method::POST, "/api/v1/assignments", body)
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    let fields = &response.json()["error"]["fields"];
    assert!(
        fields["reason"].is_array() && fields["ends_on"].is_array(),
        "{fields}"
    );
    let sams = format!("/api/v1/assignments?person_id={}", c.sam_id);
    assert_eq!(c.json_ok(&c.ina, &sams).await["total"], 0);

    let unknown_category = c
        .call(
            &c.ina,
            Method::POST,
            "/api/v1/roles",
            json!({ "name": "Oddity", "category": "wizard", "responsibilities": ["x"], "authorities": ["y"] }),
        )
        .await;
    assert_eq!(unknown_category.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unknown_category.json()["error"]["code"],
        "validation_failed"
    );
}

#[tokio::test]
async fn a_delegated_task_keeps_the_delegator_accountable() {
    let c = cast().await;
    let role_id = c.role(role_body("Backup operator")).await;
    let assignment_id = c.assign(&role_id, &c.sam_id, 0).await;
    let body = json!({
        "assignment_id": assignment_id,
        "delegate": { "kind": "external", "provider": "Acme Backup Ltd" },
        "task": "Run the monthly restore test",
        "starts_on": date_in(0),
        "ends_on": date_in(30),
    });
    let refused = c
        .call(&c.sue, Method::POST, "/api/v1/delegations", body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let delegation = c
        .post_expecting(&c.sam, "/api/v1/delegations", body, StatusCode::CREATED)
        .await;
    assert_eq!(delegation["delegator_id"], c.sam_id.as_str());
    assert_eq!(delegation["delegator_name"], "Test sam");
    assert_eq!(delegation["delegate_name"], "Acme Backup Ltd");
    assert_eq!(delegation["state"], "current");
    let id = delegation["id"].as_str().expect("id");

    let listed = c
        .json_ok(
            &c.ada,
            &format!("/api/v1/delegations?delegator_id={}", c.sam_id),
        )
        .await;
    assert_eq!(ids(&listed), vec![id]);
    assert_eq!(listed[0]["delegator_name"], "Test sam");
    let one = format!("/api/v1/delegations/{id}");
    assert_eq!(
        c.json_ok(&c.sam, &one).await["delegator_id"],
        c.sam_id.as_str()
    );
    assert_eq!(c.get(&c.sue, &one).await.status, StatusCode::FORBIDDEN);

    let document = c.json_ok(&c.ada, "/api/v1/openapi.json").await;
    let post = &document["paths"]["/api/v1/delegations"]["post"];
    let described: Vec<&str> = ["summary", "description"]
        .iter()
        .filter_map(|key| post[*key].as_str())
        .flat_map(str::split_whitespace)
        .collect();
    let described = described.join(" ");
    assert!(
        described.contains("accountability stays with the delegator"),
        "{described}"
    );

    let revoke = format!("/api/v1/delegations/{id}/revoke");
    let refused = c.call(&c.sue, Method::POST, &revoke, Value::Null).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let revoked = c
        .post_expecting(&c.sam, &revoke, Value::Null, StatusCode::OK)
        .await;
    assert!(revoked["revoked_at"].is_string(), "{revoked}");
    assert_eq!(revoked["delegator_name"], "Test sam");
}

#[tokio::test]
async fn the_raci_matrix_takes_one_accountable_role_and_exports_as_csv() {
    let c = cast().await;
    let owner = c.role(role_body("Continuity owner")).await;
    let operator = c.role(role_body("Continuity operator")).await;
    let activity = c
        .post_expecting(
            &c.ina,
            "/api/v1/activities",
            json!({ "name": "Testing the continuity plan", "description": "Once a year" }),
            StatusCode::CREATED,
        )
        .await;
    let activity_id = activity["id"].as_str().expect("id").to_owned();
    let cell = |role: &str, duty: &str| json!({ "activity_id": activity_id, "role_id": role, "duty": duty });

    let two = json!({ "activity_ids": [activity_id], "cells": [cell(&owner, "accountable"), cell(&operator, "accountable")] });
    let refused = c.call(&c.ina, Method::PUT, "/api/v1/raci", two).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    let fields = &refused.json()["error"]["fields"];
    assert!(
        fields[format!("cells.{activity_id}")].is_array(),
        "{fields}"
    );
    let matrix = c.json_ok(&c.ada, "/api/v1/raci").await;
    assert!(
        !matrix["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .any(|c| c["activity_id"] == activity_id.as_str()),
        "{matrix}"
    );

    let one = json!({ "activity_ids": [activity_id], "cells": [cell(&owner, "accountable"), cell(&operator, "responsible")] });
    let response = c.call(&c.ina, Method::PUT, "/api/v1/raci", one).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let mut duties: Vec<(String, String)> = response.json()["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .filter(|c| c["activity_id"] == activity_id.as_str())
        .map(|c| {
            (
                c["role_id"].as_str().unwrap_or_default().to_owned(),
                c["duty"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    duties.sort();
    let mut expected = vec![
        (owner.clone(), "accountable".to_owned()),
        (operator.clone(), "responsible".to_owned()),
    ];
    expected.sort();
    assert_eq!(duties, expected);

    let csv = c.get(&c.ada, "/api/v1/raci.csv").await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text());
    assert!(
        csv.header("content-type")
            .is_some_and(|t| t.starts_with("text/csv"))
    );
    assert!(
        csv.header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment"))
    );
    let text = csv.text();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    assert_eq!(header[0], "activity");
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let (a, r) = (column("Continuity owner"), column("Continuity operator"));
    let row: Vec<&str> = lines
        .find(|l| l.starts_with("Testing the continuity plan,"))
        .expect("the activity's row")
        .split(',')
        .collect();
    assert_eq!((row[a], row[r]), ("A", "R"));
}

#[tokio::test]
async fn staff_see_whom_to_turn_to_and_only_isms_managers_set_it() {
    let c = cast().await;
    let coordinator = c.role(role_body("Incident coordinator")).await;
    c.assign(&coordinator, &c.sam_id, 0).await;
    let path = json!({ "role_ids": [coordinator] });
    let refused = c
        .call(
            &c.sue,
            Method::PUT,
            "/api/v1/escalation-paths/security_incident",
            path.clone(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let unknown = c
        .call(
            &c.ina,
            Method::PUT,
            "/api/v1/escalation-paths/tsunami",
            path.clone(),
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.text()
    );
    assert!(unknown.json()["error"]["fields"]["matter"].is_array());
    let set = c
        .call(
            &c.ina,
            Method::PUT,
            "/api/v1/escalation-paths/security_incident",
            path,
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());

    let paths = c.json_ok(&c.sue, "/api/v1/escalation-paths").await;
    let incident = paths
        .as_array()
        .expect("paths")
        .iter()
        .find(|p| p["matter"] == "security_incident")
        .unwrap_or_else(|| panic!("a path for incidents: {paths}"));
    assert_eq!(incident["steps"][0]["role_name"], "Incident coordinator");
    assert_eq!(
        incident["steps"][0]["contacts"][0]["name"], "Test sam",
        "{incident}"
    );
}

#[tokio::test]
async fn an_auditor_reads_everything_about_roles_and_changes_nothing() {
    let c = cast().await;
    let role_id = c
        .role(json!({
            "name": "Vacant steward",
            "category": "custom",
            "responsibilities": ["Keep watch"],
            "authorities": ["Raise the alarm"],
            "required": true,
        }))
        .await;
    let held = c.role(role_body("Records keeper")).await;
    let assignment_id = c.assign(&held, &c.sam_id, 0).await;
    let evidence = json!({ "kind": "training", "description": "Records management course", "obtained_on": date_in(-10), "expires_on": date_in(300) });
    let competence = format!("/api/v1/assignments/{assignment_id}/competence");
    c.post_expecting(&c.ina, &competence, evidence.clone(), StatusCode::CREATED)
        .await;
    assert_eq!(
        c.json_ok(&c.sam, &competence)
            .await
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        c.get(&c.sue, &competence).await.status,
        StatusCode::FORBIDDEN
    );

    for uri in [
        "/api/v1/roles".to_owned(),
        format!("/api/v1/roles/{role_id}"),
        format!("/api/v1/roles/{role_id}/holders"),
        "/api/v1/assignments".to_owned(),
        format!("/api/v1/assignments/{assignment_id}"),
        competence.clone(),
        "/api/v1/delegations".to_owned(),
        "/api/v1/activities".to_owned(),
        "/api/v1/raci".to_owned(),
        "/api/v1/raci.csv".to_owned(),
        "/api/v1/sod/rules".to_owned(),
        "/api/v1/sod/violations".to_owned(),
        "/api/v1/sod/exceptions".to_owned(),
        "/api/v1/escalation-paths".to_owned(),
        "/api/v1/role-gaps".to_owned(),
    ] {
        let response = c.get(&c.ada, &uri).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "GET {uri}: {}",
            response.text()
        );
    }
    let gaps = c.json_ok(&c.ada, "/api/v1/role-gaps").await;
    assert!(
        gaps["vacant_required"]
            .as_array()
            .expect("vacant")
            .iter()
            .any(|g| g["role_id"] == role_id.as_str()),
        "{gaps}"
    );

    let assignment = format!("/api/v1/assignments/{assignment_id}");
    let before = c.json_ok(&c.ina, &assignment).await;
    let changes = [
        (
            Method::POST,
            "/api/v1/roles".to_owned(),
            role_body("Auditor's own"),
        ),
        (
            Method::PUT,
            format!("/api/v1/roles/{role_id}"),
            role_body("Renamed"),
        ),
        (
            Method::POST,
            "/api/v1/assignments".to_owned(),
            c.assignment_body(&role_id, &c.sue_id, 0),
        ),
        (
            Method::POST,
            format!("{assignment}/acknowledge"),
            Value::Null,
        ),
        (
            Method::POST,
            format!("{assignment}/end"),
            json!({ "ends_on": date_in(0) }),
        ),
        (Method::POST, competence.clone(), evidence),
        (Method::POST, "/api/v1/delegations".to_owned(), json!({})),
        (
            Method::POST,
            "/api/v1/activities".to_owned(),
            json!({ "name": "Auditing" }),
        ),
        (
            Method::PUT,
            "/api/v1/raci".to_owned(),
            json!({ "activity_ids": [], "cells": [] }),
        ),
        (Method::POST, "/api/v1/sod/rules".to_owned(), json!({})),
        (Method::POST, "/api/v1/sod/exceptions".to_owned(), json!({})),
        (
            Method::PUT,
            "/api/v1/escalation-paths/concern".to_owned(),
            json!({ "role_ids": [role_id] }),
        ),
    ];
    for (method, uri, body) in changes {
        let response = c.call(&c.ada, method.clone(), &uri, body).await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{method} {uri}: {}",
            response.text()
        );
    }
    assert_eq!(c.json_ok(&c.ina, &assignment).await, before);
    assert_eq!(
        c.json_ok(&c.ada, &format!("/api/v1/roles/{role_id}")).await["name"],
        "Vacant steward"
    );
}

#[tokio::test]
async fn nobody_widens_their_own_access_through_a_role_or_their_account() {
    let c = cast().await;
    let ina_person = own_person_id(&c.app, &c.ina).await;
    let role_id = c.role(role_body("Security champion")).await;
    c.assign(&role_id, &ina_person, 0).await;
    let mut granting = role_body("Security champion");
    granting["grants"] = json!("concern_handler");
    let uri = format!("/api/v1/roles/{role_id}");

    // Ina holds the role and manages roles, but may not make it grant a tool role.
    let refused = c.call(&c.ina, Method::PUT, &uri, granting.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    assert!(refused.text().contains("only an admin"));
    let still = c.json_ok(&c.ina, &uri).await;
    assert!(still["grants"].is_null(), "nothing written: {still}");

    // An admin who does not hold it may; one who holds it may not.
    let admin = c.app.session.as_ref().expect("admin session");
    let granted = c.call(admin, Method::PUT, &uri, granting.clone()).await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.text());
    let admin_person = own_person_id(&c.app, admin).await;
    let other = c.role(role_body("Deputy champion")).await;
    c.assign(&other, &admin_person, 0).await;
    let mut widening = role_body("Deputy champion");
    widening["grants"] = json!("concern_handler");
    let own = c
        .call(
            admin,
            Method::PUT,
            &format!("/api/v1/roles/{other}"),
            widening,
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.text());

    // Nor does an admin add a role to their own account.
    let me = c.app.get_as(admin, "/api/v1/auth/me").await.json();
    let account = me["id"].as_str().expect("account id").to_owned();
    let body = json!({"roles": ["admin", "concern_handler"]});
    let own_account = c
        .call(
            admin,
            Method::PATCH,
            &format!("/api/v1/accounts/{account}"),
            body,
        )
        .await;
    assert_eq!(
        own_account.status,
        StatusCode::FORBIDDEN,
        "{}",
        own_account.text()
    );
    let concerns = c.app.get_as(admin, "/api/v1/concerns").await;
    assert_eq!(concerns.status, StatusCode::FORBIDDEN);
}
