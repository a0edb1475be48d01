//! Acknowledgment campaigns through the JSON API, as an ISMS manager, a manager, staff and an
//! admin would use them: launch, acknowledge, new versions, coverage, CSV, reminders, outbox.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use charter::domain::access::Role;
use charter::domain::campaign::DEFAULT_STATEMENT;
use charter::domain::mail::DeliveryOutcome;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse, TestSession};

/// The organization: Company > Sales > Sales North, and Ops. Mona manages Stu, Sam and Otto.
struct Org {
    app: TestApp,
    admin: TestSession,
    ina: TestSession,
    bea: TestSession,
    mona: TestSession,
    stu: TestSession,
    sue: TestSession,
    sales: String,
    north: String,
    ina_id: String,
    sam_id: String,
    nora_id: String,
    otto_id: String,
}

async fn org() -> Org {
    let mut app = TestApp::anonymous().await;
    let admin = app.account_session("admin", &[Role::Admin]).await;
    app.session = Some(admin.clone());
    let ina = app.account_session("ina", &[Role::IsmsManager]).await;
    let bea = app.account_session("bea", &[Role::TopManagement]).await;
    let mona = app.account_session("mona", &[Role::Manager]).await;
    let stu = app.account_session("stu", &[Role::Staff]).await;
    let sue = app.account_session("sue", &[Role::Staff]).await;
    let company = app.unit("Company", None).await;
    let sales = app.unit("Sales", Some(&company)).await;
    let north = app.unit("Sales North", Some(&sales)).await;
    let ops = app.unit("Ops", Some(&company)).await;
    let mona_id = person_id(&app, "mona@example.test").await;
    let stu_id = person_id(&app, "stu@example.test").await;
    let sue_id = person_id(&app, "sue@example.test").await;
    place(&app, &stu_id, &sales, Some(&mona_id)).await;
    place(&app, &sue_id, &north, None).await;
    let sam_id = member(&app, "Sam Seller", "sam", &sales, Some(&mona_id)).await;
    let nora_id = member(&app, "Nora North", "nora", &north, None).await;
    let otto_id = member(&app, "Otto Ops", "otto", &ops, Some(&mona_id)).await;
    member(&app, "Cara Company", "cara", &company, None).await;
    Org {
        ina_id: person_id(&app, "ina@example.test").await,
        app,
        admin,
        ina,
        bea,
        mona,
        stu,
        sue,
        sales,
        north,
        sam_id,
        nora_id,
        otto_id,
    }
}

async fn person_id(app: &TestApp, email: &str) -> String {
    let person = app.store().person_by_email(email).await.expect("lookup");
    person.expect("person").id.to_string()
}

async fn place(app: &TestApp, person: &str, unit: &str, manager: Option<&str>) {
    let body = json!({ "unit_id": unit, "manager_id": manager });
    let response = app
        .patch_json(&format!("/api/v1/people/{person}"), body)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

async fn member(
    app: &TestApp,
    name: &str,
    label: &str,
    unit: &str,
    manager: Option<&str>,
) -> String {
    let body = json!({ "name": name, "email": format!("{label}@example.test"),
        "unit_id": unit, "manager_id": manager });
    let response = app.post_json("/api/v1/people", body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    response.json()["id"].as_str().expect("id").to_owned()
}

fn date_in(days: i64) -> String {
    (OffsetDateTime::now_utc().date() + Duration::days(days)).to_string()
}

fn emails(page: &Value) -> BTreeSet<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            let email = item["email"].as_str().or(item["to_address"].as_str());
            email.expect("an address").to_owned()
        })
        .collect()
}

fn addresses(labels: &[&str]) -> BTreeSet<String> {
    labels.iter().map(|l| format!("{l}@example.test")).collect()
}

impl Org {
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

    async fn get(&self, who: &TestSession, uri: &str) -> Value {
        let (status, value) = self.call(who, Method::GET, uri, Value::Null).await;
        assert_eq!(status, StatusCode::OK, "GET {uri}: {value}");
        value
    }

    async fn post(&self, who: &TestSession, uri: &str, body: Value) -> (StatusCode, Value) {
        self.call(who, Method::POST, uri, body).await
    }

    /// A published 1.0 of a new policy addressed to everyone: (policy id, version id).
    async fn policy(&self, title: &str) -> (String, String) {
        let request = json!({ "title": title, "kind": "topic_specific", "owner_id": self.ina_id,
            "body": format!("# {title}\n\nLock your screen.\n") });
        let (status, created) = self.post(&self.ina, "/api/v1/policies", request).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let policy = created["policy"]["id"].as_str().expect("policy").to_owned();
        let version = created["draft"]["id"].as_str().expect("version").to_owned();
        let published = self.publish_without_body(&version).await;
        assert_eq!(published["status"], "published");
        (policy, version)
    }

    /// A new draft of the policy.
    async fn draft(&self, policy: &str, is_major: bool) -> String {
        let body = json!({ "body": format!("# Screens\n\nLock your screen, {is_major}.\n"),
            "is_major": is_major, "change_summary": "Clearer" });
        let uri = format!("/api/v1/policies/{policy}/versions");
        let (status, draft) = self.post(&self.ina, &uri, body).await;
        assert_eq!(status, StatusCode::CREATED, "{draft}");
        draft["id"].as_str().expect("id").to_owned()
    }

    /// Submits and signs off a draft.
    async fn approve(&self, version: &str) {
        let approval = json!({ "password": TEST_PASSWORD, "statement": "Approved for the board." });
        let (status, submitted) = self.step(&self.ina, version, "submit", Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{submitted}");
        let (status, approved) = self.step(&self.bea, version, "approve", approval).await;
        assert_eq!(status, StatusCode::OK, "{approved}");
    }

    /// Submits, signs off and publishes a draft with the publish body given (JSON `null` is
    /// what older clients send).
    async fn publish(&self, version: &str, body: Value) -> Value {
        self.approve(version).await;
        let (status, published) = self.step(&self.ina, version, "publish", body).await;
        assert_eq!(status, StatusCode::OK, "{published}");
        published
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

    /// Publishes with no body at all.
    async fn publish_without_body(&self, version: &str) -> Value {
        self.approve(version).await;
        let uri = format!("/api/v1/policy-versions/{version}/publish");
        let cookie = format!("{}={}", charter::auth::SESSION_COOKIE, self.ina.cookie);
        let request = axum::http::Request::post(&uri)
            .header("cookie", cookie)
            .header("x-csrf-token", self.ina.csrf_token.as_str())
            .body(axum::body::Body::empty())
            .expect("request");
        let response: TestResponse = self.app.send_raw(request).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response.json()
    }

    /// Launches a campaign as the ISMS manager and returns it.
    async fn launch(&self, version: &str, audience: Value) -> Value {
        let body = json!({ "version_id": version, "audience": audience, "due_on": date_in(10) });
        let (status, campaign) = self.post(&self.ina, "/api/v1/campaigns", body).await;
        assert_eq!(status, StatusCode::CREATED, "{campaign}");
        campaign
    }

    fn sales(&self) -> Value {
        json!({ "kind": "units", "unit_ids": [self.sales] })
    }

    async fn acknowledge(
        &self,
        who: &TestSession,
        campaign: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let uri = format!("/api/v1/campaigns/{campaign}/acknowledgments");
        self.post(who, &uri, body).await
    }
}

fn id(record: &Value) -> String {
    record["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn launching_to_a_unit_asks_its_people_and_its_sub_units_people() {
    let org = org().await;
    let (_, version) = org.policy("Clear screen").await;
    let body = json!({ "version_id": version, "audience": org.sales(), "due_on": date_in(10) });
    let response = org
        .app
        .json_as(&org.ina, Method::POST, "/api/v1/campaigns", body)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let campaign = response.json();
    let location = format!("/api/v1/campaigns/{}", id(&campaign));
    assert_eq!(response.header("location"), Some(location.as_str()));
    assert_eq!(
        campaign["counts"],
        json!({"total": 4, "acknowledged": 0, "pending": 4, "overdue": 0})
    );
    assert_eq!(campaign["statement"], DEFAULT_STATEMENT);

    let asked = org
        .get(&org.ina, &format!("{location}/acknowledgments"))
        .await;
    assert_eq!(
        emails(&asked),
        addresses(&["stu", "sue", "sam", "nora"]),
        "Ops and Company are not asked"
    );
    let mine = org.get(&org.stu, "/api/v1/me/acknowledgments").await;
    assert_eq!(mine[0]["campaign_id"], campaign["id"]);
    assert_eq!(mine[0]["state"], "pending");
    assert_eq!(
        org.get(&org.ina, "/api/v1/me/acknowledgments").await,
        json!([])
    );
    let listed = org.get(&org.ina, "/api/v1/campaigns?status=open").await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["counts"]["total"], 4);
}

#[tokio::test]
async fn bad_campaigns_are_refused_with_the_reason_and_nothing_is_launched() {
    let org = org().await;
    let (policy, version) = org.policy("Clear screen").await;
    let draft = org.draft(&policy, false).await;
    let empty_unit = org.app.unit("Nobody here", None).await;
    let cases = [
        (
            json!({ "version_id": draft, "due_on": date_in(5) }),
            "version_id",
        ),
        (
            json!({ "version_id": version, "due_on": date_in(5),
            "audience": {"kind": "units", "unit_ids": []} }),
            "audience",
        ),
        (
            json!({ "version_id": version, "due_on": date_in(5),
            "audience": {"kind": "units", "unit_ids": [empty_unit]} }),
            "audience",
        ),
        (
            json!({ "version_id": version, "due_on": date_in(-1) }),
            "due_on",
        ),
    ];
    for (body, field) in cases {
        let (status, error) = org.post(&org.ina, "/api/v1/campaigns", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        assert_eq!(error["error"]["code"], "validation_failed");
        assert!(
            error["error"]["fields"][field].is_array(),
            "{field} named: {error}"
        );
    }
    assert_eq!(org.get(&org.ina, "/api/v1/campaigns").await["total"], 0);
}

#[tokio::test]
async fn people_acknowledge_for_themselves_only_and_coverage_moves() {
    let org = org().await;
    let (_, version) = org.policy("Clear screen").await;
    let campaign = id(&org.launch(&version, org.sales()).await);
    let (status, error) = org
        .acknowledge(
            &org.stu,
            &campaign,
            json!({ "version_id": version, "person_id": org.sam_id }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    assert_eq!(error["error"]["code"], "forbidden");
    assert!(
        error["error"]["message"]
            .as_str()
            .expect("message")
            .contains("yourself")
    );
    let acknowledged = format!("/api/v1/campaigns/{campaign}/acknowledgments?state=acknowledged");
    assert_eq!(
        org.get(&org.ina, &acknowledged).await["total"],
        0,
        "nothing recorded"
    );

    let (status, receipt) = org
        .acknowledge(&org.stu, &campaign, json!({ "version_id": version }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    let shown = org
        .get(&org.stu, &format!("/api/v1/policy-versions/{version}"))
        .await;
    assert_eq!(receipt["version_id"], json!(version));
    assert_eq!(receipt["version_number"], "1.0");
    assert_eq!(receipt["content_hash"], shown["content_hash"]);
    assert_eq!(receipt["statement"], DEFAULT_STATEMENT);
    assert!(receipt["acknowledged_at"].is_string());
    let again = org
        .acknowledge(&org.stu, &campaign, json!({ "version_id": version }))
        .await;
    assert_eq!(
        again.1["acknowledged_at"], receipt["acknowledged_at"],
        "the first record stands"
    );

    let listed = org.get(&org.ina, &acknowledged).await;
    assert_eq!(emails(&listed), addresses(&["stu"]));
    assert_eq!(listed["items"][0]["content_hash"], shown["content_hash"]);
    let coverage = org
        .get(&org.ina, &format!("/api/v1/campaigns/{campaign}/coverage"))
        .await;
    assert_eq!(
        coverage["counts"],
        json!({"total": 4, "acknowledged": 1, "pending": 3, "overdue": 0})
    );
    let units: Vec<(&str, i64)> = coverage["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| {
            (
                u["unit_name"].as_str().expect("name"),
                u["counts"]["total"].as_i64().expect("total"),
            )
        })
        .collect();
    assert_eq!(
        units,
        vec![("Company", 4), ("Sales", 4), ("Sales North", 2)]
    );
    assert_eq!(
        coverage["trend"]
            .as_array()
            .expect("trend")
            .last()
            .expect("today")["acknowledged"],
        1
    );
    assert_eq!(
        org.get(&org.stu, "/api/v1/me/acknowledgments").await[0]["state"],
        "acknowledged"
    );

    let (status, _) = org
        .acknowledge(&org.ina, &campaign, json!({ "version_id": version }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "ina was not asked");
}

#[tokio::test]
async fn a_closed_campaign_takes_no_acknowledgments() {
    let org = org().await;
    let (_, version) = org.policy("Clear screen").await;
    let campaign = id(&org.launch(&version, org.sales()).await);
    let (status, closed) = org
        .post(
            &org.ina,
            &format!("/api/v1/campaigns/{campaign}/close"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, closed["status"].as_str()),
        (StatusCode::OK, Some("closed"))
    );
    let (status, error) = org
        .acknowledge(&org.stu, &campaign, json!({ "version_id": version }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    let (status, _) = org
        .post(
            &org.ina,
            &format!("/api/v1/campaigns/{campaign}/reminders"),
            json!({}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "nobody is reminded of a closed campaign"
    );
}

#[tokio::test]
async fn a_minor_version_keeps_acknowledgments_and_refuses_the_old_text() {
    let org = org().await;
    let (policy, old) = org.policy("Clear screen").await;
    let campaign = id(&org.launch(&old, org.sales()).await);
    let (status, _) = org
        .acknowledge(&org.stu, &campaign, json!({ "version_id": old }))
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let minor = org.draft(&policy, false).await;
    let published = org.publish(&minor, Value::Null).await;
    assert_eq!(published["number"], "1.1");
    assert!(published["reacknowledgment"].is_null(), "{published}");
    let now = org
        .get(&org.ina, &format!("/api/v1/campaigns/{campaign}"))
        .await;
    assert_eq!(
        (now["status"].as_str(), now["version_number"].as_str()),
        (Some("open"), Some("1.1"))
    );
    assert_eq!(
        now["counts"]["acknowledged"], 1,
        "Stu's acknowledgment carries over"
    );

    let (status, error) = org
        .acknowledge(&org.sue, &campaign, json!({ "version_id": old }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .expect("message")
            .contains("1.1"),
        "{error}"
    );
    let (status, receipt) = org
        .acknowledge(&org.sue, &campaign, json!({ "version_id": minor }))
        .await;
    assert_eq!(
        (status, receipt["version_number"].as_str()),
        (StatusCode::CREATED, Some("1.1"))
    );
}

#[tokio::test]
async fn a_major_version_replaces_the_campaign_unless_told_not_to() {
    let org = org().await;
    let (policy, first) = org.policy("Clear screen").await;
    let old = id(&org.launch(&first, org.sales()).await);

    let major = org.draft(&policy, true).await;
    let published = org.publish(&major, Value::Null).await;
    assert_eq!(published["number"], "2.0");
    let new = &published["reacknowledgment"]["campaign"];
    assert_eq!(
        (new["version_number"].as_str(), new["status"].as_str()),
        (Some("2.0"), Some("open")),
        "{published}"
    );
    assert_eq!(
        new["counts"]["total"], 10,
        "the policy's audience: everyone"
    );
    let old = org.get(&org.ina, &format!("/api/v1/campaigns/{old}")).await;
    assert_eq!(old["status"], "closed");

    let quiet = org.draft(&policy, true).await;
    let published = org.publish(&quiet, json!({ "reacknowledge": false })).await;
    assert_eq!(published["number"], "3.0");
    assert!(published["reacknowledgment"].is_null(), "{published}");
    let open = org
        .get(
            &org.ina,
            &format!("/api/v1/campaigns?status=open&policy_id={policy}"),
        )
        .await;
    assert_eq!(
        open["total"], 0,
        "3.0 closed the 2.0 campaign and launched none"
    );

    let refused = org.draft(&policy, true).await;
    org.approve(&refused).await;
    let (status, error) = org
        .step(&org.ina, &refused, "publish", json!({ "due_in_days": 0 }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(error["error"]["fields"]["due_in_days"].is_array());
    let version = org
        .get(&org.ina, &format!("/api/v1/policy-versions/{refused}"))
        .await;
    assert_eq!(version["status"], "approved", "not published on a refusal");
}

#[tokio::test]
async fn a_manager_sees_and_reminds_only_their_team() {
    let org = org().await;
    let (_, version) = org.policy("Clear screen").await;
    let campaign = id(&org.launch(&version, org.sales()).await);
    let base = format!("/api/v1/campaigns/{campaign}");

    let coverage = org.get(&org.mona, &format!("{base}/coverage")).await;
    assert_eq!(
        coverage["counts"]["total"], 2,
        "Stu and Sam; Otto is not asked"
    );
    assert_eq!(org.get(&org.mona, &base).await["counts"]["total"], 2);
    assert_eq!(
        org.get(&org.mona, "/api/v1/campaigns").await["items"][0]["counts"]["total"],
        2
    );
    assert_eq!(org.get(&org.ina, &base).await["counts"]["total"], 4);
    let team = org.get(&org.mona, &format!("{base}/acknowledgments")).await;
    assert_eq!(emails(&team), addresses(&["stu", "sam"]));
    let csv = org
        .app
        .get_as(&org.mona, &format!("{base}/acknowledgments.csv"))
        .await;
    assert_eq!(csv_rows(&csv.body).len(), 2, "{}", csv.text());

    let (status, sent) = org
        .post(&org.mona, &format!("{base}/reminders"), json!({}))
        .await;
    assert_eq!(
        (status, sent["queued"].as_u64()),
        (StatusCode::OK, Some(2)),
        "{sent}"
    );
    let (_, again) = org
        .post(&org.mona, &format!("{base}/reminders"), json!({}))
        .await;
    assert_eq!(again["queued"], 0, "one reminder a day per person");
    let (status, _) = org
        .post(&org.stu, &format!("{base}/reminders"), json!({}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, named) = org
        .post(
            &org.ina,
            &format!("{base}/reminders"),
            json!({ "person_ids": [org.nora_id] }),
        )
        .await;
    assert_eq!(named["queued"], 1, "{named}");

    let outbox = org
        .get(&org.admin, "/api/v1/outbox?kind=manual_reminder")
        .await;
    assert_eq!(emails(&outbox), addresses(&["stu", "sam", "nora"]));
    let message = &outbox["items"][0];
    assert_eq!(message["status"], "queued");
    assert!(
        message["body"]
            .as_str()
            .expect("body")
            .contains(&format!("/acknowledge/{campaign}"))
    );
    let (status, _) = org
        .call(&org.ina, Method::GET, "/api/v1/outbox", Value::Null)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the outbox is for admins");
}

fn csv_rows(body: &[u8]) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_reader(body);
    reader.records().map(|r| r.expect("record")).collect()
}

#[tokio::test]
async fn the_csv_export_has_a_line_per_person_with_what_they_confirmed() {
    let org = org().await;
    let (_, version) = org.policy("Clear screen").await;
    let campaign = id(&org.launch(&version, org.sales()).await);
    org.acknowledge(&org.stu, &campaign, json!({ "version_id": version }))
        .await;
    let uri = format!("/api/v1/campaigns/{campaign}/acknowledgments.csv");
    let response = org.app.get_as(&org.ina, &uri).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    let disposition = response.header("content-disposition").expect("file name");
    assert!(
        disposition.starts_with("attachment; filename=\"acknowledgments-clear-screen-1.0-"),
        "{disposition}"
    );

    let mut reader = csv::Reader::from_reader(response.body.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header[..4],
        ["campaign", "policy", "version_acknowledged", "person"]
    );
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows = csv_rows(&response.body);
    assert_eq!(rows.len(), 4);
    let hash = org
        .get(&org.ina, &format!("/api/v1/policy-versions/{version}"))
        .await["content_hash"]
        .clone();
    for row in &rows {
        let acknowledged = &row[column("email")] == "stu@example.test";
        let state = if acknowledged {
            "acknowledged"
        } else {
            "pending"
        };
        assert_eq!(&row[column("state")], state, "{row:?}");
        assert_eq!(row[column("acknowledged_at")].is_empty(), !acknowledged);
        if acknowledged {
            assert_eq!(&row[column("content_hash")], hash.as_str().expect("hash"));
            assert_eq!(&row[column("statement")], DEFAULT_STATEMENT);
            assert_eq!(&row[column("version_acknowledged")], "1.0");
            assert_eq!(&row[column("manager")], "Test mona");
            assert_eq!(&row[column("unit")], "Sales");
        }
    }
    let pending = org
        .app
        .get_as(&org.ina, &format!("{uri}?state=pending"))
        .await;
    assert_eq!(csv_rows(&pending.body).len(), 3);
}

#[tokio::test]
async fn admins_retry_held_mail_but_not_mail_already_sent() {
    let org = org().await;
    let (_, version) = org.policy("Clear screen").await;
    let campaign = id(&org.launch(&version, org.sales()).await);
    org.post(
        &org.ina,
        &format!("/api/v1/campaigns/{campaign}/reminders"),
        json!({}),
    )
    .await;
    let outbox = org
        .get(
            &org.admin,
            &format!("/api/v1/outbox?campaign_id={campaign}"),
        )
        .await;
    assert_eq!(outbox["total"], 4);
    let sent = outbox["items"][0]["id"].as_str().expect("id").to_owned();
    let held = outbox["items"][1]["id"].as_str().expect("id").to_owned();
    let store = org.app.store();
    store
        .record_delivery(sent.parse().expect("uuid"), &DeliveryOutcome::Sent)
        .await
        .expect("sent");
    store
        .record_delivery(held.parse().expect("uuid"), &DeliveryOutcome::Held)
        .await
        .expect("held");

    let (status, error) = org
        .post(
            &org.admin,
            &format!("/api/v1/outbox/{sent}/retry"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert_eq!(
        org.get(&org.admin, &format!("/api/v1/outbox/{sent}")).await["status"],
        "sent"
    );
    let (status, retried) = org
        .post(
            &org.admin,
            &format!("/api/v1/outbox/{held}/retry"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, retried["status"].as_str()),
        (StatusCode::OK, Some("queued")),
        "{retried}"
    );
    let held_list = org.get(&org.admin, "/api/v1/outbox?status=held").await;
    assert_eq!(held_list["total"], 0);
}

#[tokio::test]
async fn people_who_join_a_campaigns_units_are_asked_as_joined_late() {
    let org = org().await;
    let (_, version) = org.policy("Clear screen").await;
    let campaign = org.launch(&version, org.sales()).await;
    let base = format!("/api/v1/campaigns/{}/acknowledgments", id(&campaign));
    let hired = member(&org.app, "Nia New", "nia", &org.north, None).await;
    place(&org.app, &org.otto_id, &org.sales, None).await;
    let late = org.get(&org.ina, &format!("{base}?q=nia")).await;
    assert_eq!(late["total"], 1, "the new hire is asked at once");
    let nia = &late["items"][0];
    assert_eq!(nia["person_id"], json!(hired));
    assert_eq!(nia["joined_late"], true);
    let days = campaign["days_to_acknowledge"].as_i64().expect("days");
    assert_eq!(nia["due_on"], json!(date_in(days)));
    let moved = org.get(&org.ina, &format!("{base}?q=otto")).await;
    assert_eq!(
        moved["items"][0]["joined_late"], true,
        "a move into Sales is asked too"
    );
    let stu = org.get(&org.ina, &format!("{base}?q=stu")).await;
    assert_eq!(stu["items"][0]["joined_late"], false);
    assert_eq!(org.get(&org.ina, &base).await["total"], 6);
}
