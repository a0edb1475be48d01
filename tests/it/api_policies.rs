//! Policies through the JSON API, as an ISMS manager, an approver, staff and an auditor would use
//! them: write, check, submit, sign off, publish, export, share, except, review.

use axum::http::{Method, StatusCode};
use charter::domain::access::Role;
use serde_json::{Value, json};

use crate::helpers::{TEST_PASSWORD, TestApp, TestSession};

/// A complete enough top-level policy in the organization's own words.
const POLICY: &str = "# Information Security Policy\n\n## Purpose and scope\n\nThis policy applies to all staff, systems and offices of Example Ltd.\n\n## Objectives\n\nWe set measurable information security objectives each year and review them at management review.\n\n## Our commitments\n\nWe are committed to comply with applicable legal, regulatory and contractual requirements.\nWe are committed to the continual improvement of the information security management system.\n\n## Roles and responsibilities\n\nThe CISO runs the ISMS; every manager is responsible for their team.\n\n## Exceptions\n\nExceptions to this policy must be requested, risk-assessed and approved by the policy approver, with an expiry date.\n";

struct Cast {
    app: TestApp,
    writer: TestSession,
    approver: TestSession,
    staff: TestSession,
    auditor: TestSession,
    owner_id: String,
}

async fn cast() -> Cast {
    let app = TestApp::anonymous().await;
    let writer = app.account_session("ina", &[Role::IsmsManager]).await;
    let approver = app.account_session("bea", &[Role::TopManagement]).await;
    let staff = app.account_session("stu", &[Role::Staff]).await;
    let auditor = app.account_session("aud", &[Role::Auditor]).await;
    let owner = app
        .store()
        .person_by_email("ina@example.test")
        .await
        .expect("lookup")
        .expect("owner");
    Cast {
        app,
        writer,
        approver,
        staff,
        auditor,
        owner_id: owner.id.to_string(),
    }
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

    async fn create(&self, title: &str, kind: &str, body: &str) -> (String, String) {
        let request = json!({
            "title": title, "kind": kind, "owner_id": self.owner_id,
            "visibility": "public", "body": body,
        });
        let (status, created) = self
            .call(&self.writer, Method::POST, "/api/v1/policies", request)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let policy = created["policy"]["id"]
            .as_str()
            .expect("policy id")
            .to_owned();
        let version = created["draft"]["id"]
            .as_str()
            .expect("version id")
            .to_owned();
        (policy, version)
    }

    async fn step(
        &self,
        who: &TestSession,
        version: &str,
        step: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let uri = format!("/api/v1/policy-versions/{version}/{step}");
        self.call(who, Method::POST, &uri, body).await
    }
}

fn approval() -> Value {
    json!({ "password": TEST_PASSWORD, "statement": "I approve this policy on behalf of the board." })
}

#[tokio::test]
async fn a_policy_is_written_signed_off_published_and_read_by_staff() {
    let c = cast().await;
    let (policy, version) = c
        .create("Information Security Policy", "top_level", POLICY)
        .await;
    let (status, _) = c
        .call(
            &c.staff,
            Method::GET,
            &format!("/api/v1/policies/{policy}"),
            Value::Null,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "staff see nothing until it is in force"
    );
    let (_, check) = c
        .call(
            &c.writer,
            Method::GET,
            &format!("/api/v1/policy-versions/{version}/content-check"),
            Value::Null,
        )
        .await;
    let missing: Vec<&Value> = check["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["found"].is_null())
        .collect();
    assert!(missing.is_empty(), "every element found: {check}");
    assert_eq!(
        c.step(&c.writer, &version, "submit", Value::Null).await.0,
        StatusCode::OK
    );
    let (status, error) = c
        .step(
            &c.approver,
            &version,
            "approve",
            json!({"password": "wrong", "statement": "Yes"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error["error"]["fields"]["password"].is_array());
    let (status, approved) = c.step(&c.approver, &version, "approve", approval()).await;
    assert_eq!(
        (status, approved["status"].as_str()),
        (StatusCode::OK, Some("approved"))
    );
    let (status, published) = c.step(&c.writer, &version, "publish", Value::Null).await;
    assert_eq!(
        (status, published["status"].as_str()),
        (StatusCode::OK, Some("published"))
    );
    let (status, detail) = c
        .call(
            &c.staff,
            Method::GET,
            &format!("/api/v1/policies/{policy}"),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["published"]["number"], "1.0");
    assert_eq!(
        detail["versions"],
        json!([]),
        "staff see only the version in force"
    );
    let (_, decisions) = c
        .call(
            &c.auditor,
            Method::GET,
            &format!("/api/v1/policy-versions/{version}/decisions"),
            Value::Null,
        )
        .await;
    assert_eq!(decisions[0]["held_role"], "top_management");
    assert_eq!(decisions[0]["account_name"], "Test bea");
    let (_, events) = c
        .call(
            &c.auditor,
            Method::GET,
            &format!("/api/v1/audit-events?record_id={version}&per_page=50"),
            Value::Null,
        )
        .await;
    let actions: Vec<&str> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "policy_version.drafted",
        "policy_version.submitted",
        "policy_version.signed_off",
        "policy_version.approved",
        "policy_version.published",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn forbidden_steps_are_refused_and_change_nothing() {
    let c = cast().await;
    let both = c
        .app
        .account_session("boss", &[Role::IsmsManager, Role::TopManagement])
        .await;
    let request = json!({"title": "Acceptable use", "kind": "topic_specific", "owner_id": c.owner_id, "body": "# Use\n"});
    let (_, created) = c
        .call(&both, Method::POST, "/api/v1/policies", request)
        .await;
    let version = created["draft"]["id"].as_str().expect("id").to_owned();
    let (status, _) = c.step(&c.staff, &version, "submit", Value::Null).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "staff cannot submit");
    assert_eq!(
        c.step(&both, &version, "submit", Value::Null).await.0,
        StatusCode::OK
    );
    let (status, refusal) = c.step(&both, &version, "approve", approval()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the author cannot approve: {refusal}"
    );
    assert!(
        refusal["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("wrote or edited")
    );
    assert_eq!(
        c.step(&c.staff, &version, "approve", approval()).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.step(&c.auditor, &version, "approve", approval()).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, rejected) = c
        .step(
            &c.approver,
            &version,
            "reject",
            json!({"reason": "Too short"}),
        )
        .await;
    assert_eq!(
        (status, rejected["status"].as_str()),
        (StatusCode::OK, Some("draft"))
    );
    c.step(&both, &version, "submit", Value::Null).await;
    c.step(&c.approver, &version, "approve", approval()).await;
    let edit = json!({"body": "# Use, edited\n"});
    let (status, conflict) = c
        .call(
            &c.writer,
            Method::PUT,
            &format!("/api/v1/policy-versions/{version}"),
            edit,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an approved version is immutable: {conflict}"
    );
    assert_eq!(conflict["error"]["code"], "conflict");
    c.step(&c.writer, &version, "publish", Value::Null).await;
    assert_eq!(
        c.step(&c.writer, &version, "retire", Value::Null).await.0,
        StatusCode::OK
    );
    let (status, _) = c.step(&c.writer, &version, "publish", Value::Null).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a retired version is not published again"
    );
    let (_, version_now) = c
        .call(
            &c.writer,
            Method::GET,
            &format!("/api/v1/policy-versions/{version}"),
            Value::Null,
        )
        .await;
    assert_eq!(version_now["status"], "retired");
    assert_eq!(version_now["body"], "# Use\n");
}

#[tokio::test]
async fn a_new_version_leaves_the_published_one_in_force_and_diffs_readably() {
    let c = cast().await;
    let (policy, v1) = c
        .create(
            "Remote working",
            "topic_specific",
            "# Remote\n\nUse the VPN.\n",
        )
        .await;
    c.step(&c.writer, &v1, "submit", Value::Null).await;
    c.step(&c.approver, &v1, "approve", approval()).await;
    c.step(&c.writer, &v1, "publish", Value::Null).await;
    let body = json!({"body": "# Remote\n\nUse the gateway.\n\nReport lost laptops within one hour.\n", "is_major": true, "change_summary": "Gateway"});
    let (status, v2) = c
        .call(
            &c.writer,
            Method::POST,
            &format!("/api/v1/policies/{policy}/versions"),
            body,
        )
        .await;
    assert_eq!(
        (status, v2["number"].as_str()),
        (StatusCode::CREATED, Some("2.0"))
    );
    let (_, detail) = c
        .call(
            &c.staff,
            Method::GET,
            &format!("/api/v1/policies/{policy}"),
            Value::Null,
        )
        .await;
    assert_eq!(
        detail["published"]["id"].as_str(),
        Some(v1.as_str()),
        "1.0 stays in force"
    );
    let v2_id = v2["id"].as_str().expect("id");
    let (status, diff) = c
        .call(
            &c.writer,
            Method::GET,
            &format!("/api/v1/policy-versions/{v2_id}/diff?against={v1}"),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{diff}");
    assert_eq!(diff["added"], 2, "{diff}");
    let (status, _) = c
        .call(
            &c.staff,
            Method::GET,
            &format!("/api/v1/policy-versions/{v2_id}"),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "staff never see drafts");
}

#[tokio::test]
async fn exports_carry_the_title_block() {
    let c = cast().await;
    let (_, version) = c
        .create("Information Security Policy", "top_level", POLICY)
        .await;
    c.step(&c.writer, &version, "submit", Value::Null).await;
    c.step(&c.approver, &version, "approve", approval()).await;
    c.step(&c.writer, &version, "publish", Value::Null).await;
    let html = c
        .app
        .get_as(
            &c.staff,
            &format!("/api/v1/policy-versions/{version}/export.html"),
        )
        .await;
    assert_eq!(html.status, StatusCode::OK);
    let text = html.text();
    let hash = charter::document::canonical::content_hash(POLICY);
    assert!(
        text.contains(&hash) && text.contains("Test bea") && text.contains("1.0"),
        "title block"
    );
    let pdf = c
        .app
        .get_as(
            &c.staff,
            &format!("/api/v1/policy-versions/{version}/export.pdf"),
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with(b"%PDF-"));
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
}

#[tokio::test]
async fn exceptions_and_reviews_through_the_api() {
    let c = cast().await;
    let (policy, version) = c
        .create("Cryptography", "topic_specific", "# Crypto\n")
        .await;
    c.step(&c.writer, &version, "submit", Value::Null).await;
    c.step(&c.approver, &version, "approve", approval()).await;
    c.step(&c.writer, &version, "publish", Value::Null).await;
    let expiry = (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();
    let request = json!({"scope": "Partner SFTP", "justification": "Old cipher", "risk": "Weak transport", "requested_expiry": expiry});
    let (status, exception) = c
        .call(
            &c.staff,
            Method::POST,
            &format!("/api/v1/policies/{policy}/exceptions"),
            request,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{exception}");
    let id = exception["id"].as_str().expect("id");
    let decision = json!({"approve": true, "password": TEST_PASSWORD});
    let uri = format!("/api/v1/policy-exceptions/{id}/decision");
    assert_eq!(
        c.call(&c.staff, Method::POST, &uri, decision.clone())
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, decided) = c.call(&c.approver, Method::POST, &uri, decision).await;
    assert_eq!(
        (status, decided["state"].as_str()),
        (StatusCode::OK, Some("active")),
        "{decided}"
    );
    let (_, register) = c
        .call(
            &c.auditor,
            Method::GET,
            "/api/v1/policy-exceptions?state=active",
            Value::Null,
        )
        .await;
    assert_eq!(register["total"], 1);
    let review = json!({"password": TEST_PASSWORD, "note": "Still fits"});
    let uri = format!("/api/v1/policies/{policy}/reviews");
    assert_eq!(
        c.call(&c.staff, Method::POST, &uri, review.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, recorded) = c.call(&c.approver, Method::POST, &uri, review).await;
    assert_eq!(status, StatusCode::CREATED, "{recorded}");
    let bad_expiry =
        json!({"scope": "x", "justification": "y", "risk": "z", "requested_expiry": "2020-01-01"});
    let (status, error) = c
        .call(
            &c.staff,
            Method::POST,
            &format!("/api/v1/policies/{policy}/exceptions"),
            bad_expiry,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["error"]["fields"]["requested_expiry"].is_array());
}

#[tokio::test]
async fn the_trust_api_shows_public_policies_and_shared_ones_by_link() {
    let c = cast().await;
    let (public, v1) = c
        .create("Information Security Policy", "top_level", POLICY)
        .await;
    for (who, step, body) in [
        (&c.writer, "submit", Value::Null),
        (&c.approver, "approve", approval()),
        (&c.writer, "publish", Value::Null),
    ] {
        c.step(who, &v1, step, body).await;
    }
    let anonymous = &c.app; // no session of its own: anonymous
    let listed = anonymous.get("/api/v1/trust/policies").await.json();
    assert_eq!(listed["policies"][0]["id"].as_str(), Some(public.as_str()));
    assert_eq!(listed["policies"][0]["approvers"][0], "Test bea");
    let request = json!({"title": "Acceptable use", "kind": "topic_specific", "owner_id": c.owner_id, "body": "# Use\n", "visibility": "restricted"});
    let (_, created) = c
        .call(&c.writer, Method::POST, "/api/v1/policies", request)
        .await;
    let restricted = created["policy"]["id"].as_str().expect("id").to_owned();
    let v2 = created["draft"]["id"].as_str().expect("id").to_owned();
    for (who, step, body) in [
        (&c.writer, "submit", Value::Null),
        (&c.approver, "approve", approval()),
        (&c.writer, "publish", Value::Null),
    ] {
        c.step(who, &v2, step, body).await;
    }
    assert_eq!(
        anonymous.get("/api/v1/trust/policies").await.json()["policies"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        anonymous
            .get(&format!("/api/v1/trust/policies/{restricted}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let (status, link) = c
        .call(
            &c.writer,
            Method::POST,
            &format!("/api/v1/policies/{restricted}/share-links"),
            json!({"label": "Acme", "days": 7}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{link}");
    let path = link["path"]
        .as_str()
        .expect("path")
        .replace("/trust/shared/", "/api/v1/trust/shared/");
    let shared = anonymous.get(&path).await;
    assert_eq!(shared.status, StatusCode::OK);
    assert_eq!(shared.json()["body"], "# Use\n");
    let link_id = link["link"]["id"].as_str().expect("id");
    let revoke = format!("/api/v1/policy-share-links/{link_id}/revoke");
    assert_eq!(
        c.call(&c.writer, Method::POST, &revoke, Value::Null)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(anonymous.get(&path).await.status, StatusCode::NOT_FOUND);
}
