//! Api tests for the confidential reporting channel: concerns, follow-up codes and the answers (A.6.8).
//!
//! Reporting works signed out and signed in and is never linked to the caller; only concern
//! handlers reach the handlers' routes (admins and auditors included in the refusals), and
//! nothing of a report shows anywhere else; the limits answer 429, a closed channel 409.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use charter::domain::access::Permission::{HandleConcerns, Public};
use charter::domain::access::Role;
use serde_json::{Value, json};

use crate::authorization_matrix::RouteRule;
use crate::helpers::{TestApp, TestResponse};

/// This area's routes (API and pages) with the permission each must declare; the authorization
/// matrix calls each as every role and as nobody.
pub const ROUTES: &[RouteRule] = &[
    ("POST", "/api/v1/concerns", Public),
    ("POST", "/api/v1/concerns/follow-up", Public),
    ("POST", "/api/v1/concerns/follow-up/reply", Public),
    ("GET", "/api/v1/concerns", HandleConcerns),
    ("GET", "/api/v1/concerns/{id}", HandleConcerns),
    ("POST", "/api/v1/concerns/{id}/messages", HandleConcerns),
    ("POST", "/api/v1/concerns/{id}/status", HandleConcerns),
    ("GET", "/api/v1/concern-settings", HandleConcerns),
    ("PUT", "/api/v1/concern-settings", HandleConcerns),
    ("GET", "/report", Public),
    ("POST", "/report", Public),
    ("GET", "/report/follow-up", Public),
    ("POST", "/report/follow-up", Public),
    ("POST", "/report/follow-up/reply", Public),
    ("GET", "/concerns", HandleConcerns),
    ("GET", "/concerns/settings", HandleConcerns),
    ("POST", "/concerns/settings", HandleConcerns),
    ("GET", "/concerns/{id}", HandleConcerns),
    ("POST", "/concerns/{id}/answer", HandleConcerns),
    ("POST", "/concerns/{id}/status", HandleConcerns),
];

const SECRET_TEXT: &str = "The finance director forwards invoices to a private mailbox.";

/// A JSON post with no session at all, as a stranger's browser or script sends it.
pub async fn post_anonymously(app: &TestApp, uri: &str, body: Value) -> TestResponse {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    app.send_raw(request).await
}

/// Reports `description` anonymously; the follow-up code.
pub async fn report(app: &TestApp, description: &str) -> String {
    let body = json!({ "category": "misconduct", "description": description });
    let response = post_anonymously(app, "/api/v1/concerns", body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    response.json()["code"].as_str().expect("code").to_owned()
}

/// The id of the only concern, read as a handler straight from the store.
async fn only_concern_id(app: &TestApp) -> String {
    let store = app.store();
    let hana = crate::helpers::store_account(store, "Hana", &[Role::ConcernHandler]).await;
    let page = store
        .list_concerns(
            &hana,
            Default::default(),
            time::OffsetDateTime::now_utc(),
            Default::default(),
        )
        .await
        .expect("list");
    page.items[0].id.to_string()
}

#[tokio::test]
async fn every_role_but_the_handler_is_refused_every_handler_route_and_sees_no_content() {
    for role in Role::ALL.into_iter().filter(|r| *r != Role::ConcernHandler) {
        let app = TestApp::as_role(role).await;
        report(&app, SECRET_TEXT).await;
        let id = only_concern_id(&app).await;
        let calls = [
            (Method::GET, "/api/v1/concerns".to_owned(), Value::Null),
            (Method::GET, format!("/api/v1/concerns/{id}"), Value::Null),
            (
                Method::POST,
                format!("/api/v1/concerns/{id}/messages"),
                json!({ "message": "hi" }),
            ),
            (
                Method::POST,
                format!("/api/v1/concerns/{id}/status"),
                json!({ "status": "closed" }),
            ),
            (
                Method::GET,
                "/api/v1/concern-settings".to_owned(),
                Value::Null,
            ),
            (Method::GET, "/concerns".to_owned(), Value::Null),
            (Method::GET, format!("/concerns/{id}"), Value::Null),
            (Method::GET, "/concerns/settings".to_owned(), Value::Null),
        ];
        for (method, uri, body) in calls {
            let response = app.json(method.clone(), &uri, body).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{role} must be refused {method} {uri}"
            );
            assert!(!response.text().contains("private mailbox"));
        }
        for page in [
            "/",
            "/tasks",
            "/audit",
            "/api/v1/audit-events",
            "/leadership",
        ] {
            let response = app.get(page).await;
            assert!(
                !response.text().contains("private mailbox"),
                "{role} reads the report on {page}"
            );
        }
    }
}

#[tokio::test]
async fn a_report_works_signed_out_and_signed_in_and_is_never_linked_to_the_account() {
    let app = TestApp::as_role(Role::Staff).await;
    let anonymous = post_anonymously(
        &app,
        "/api/v1/concerns",
        json!({ "category": "privacy", "description": "HR files left on the printer." }),
    )
    .await;
    assert_eq!(
        anonymous.status,
        StatusCode::CREATED,
        "{}",
        anonymous.text()
    );
    assert_eq!(anonymous.header("cache-control"), Some("no-store"));
    let code = anonymous.json()["code"].as_str().expect("code").to_owned();
    assert_eq!(code.split('-').count(), 7);

    // Signed in, with the session cookie but no CSRF token: the route acts with no one's
    // authority, so it needs none, and it does not look at who sends it.
    let session = app.session.clone().expect("session");
    let cookie = format!("{}={}", charter::auth::SESSION_COOKIE, session.cookie);
    let body =
        json!({ "category": "other", "description": "Sent while signed in.", "contact": "" });
    let signed_in = app
        .send_raw(
            Request::post("/api/v1/concerns")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, cookie)
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(
        signed_in.status,
        StatusCode::CREATED,
        "{}",
        signed_in.text()
    );

    let account = &app.store().list_accounts().await.expect("accounts")[0];
    let filter = charter::domain::AuditFilter {
        record_type: Some("concern".into()),
        ..Default::default()
    };
    let events = app
        .store()
        .list_audit_events(&filter, charter::domain::PageRequest::default())
        .await
        .expect("events")
        .items;
    assert_eq!(events.len(), 2);
    for event in &events {
        assert_eq!(event.actor, "anonymous reporter");
        assert!(!format!("{event:?}").contains(&account.id.to_string()));
    }
    let hana = crate::helpers::store_account(app.store(), "Hana", &[Role::ConcernHandler]).await;
    let now = time::OffsetDateTime::now_utc();
    for item in app
        .store()
        .list_concerns(&hana, Default::default(), now, Default::default())
        .await
        .expect("list")
        .items
    {
        let concern = app
            .store()
            .get_concern(&hana, item.id, now)
            .await
            .expect("read");
        let whole = serde_json::to_string(&concern).expect("json");
        for trace in [
            account.id.to_string(),
            account.person_id.to_string(),
            "staff@example.test".to_owned(),
            "Test staff".to_owned(),
        ] {
            assert!(!whole.contains(&trace), "{whole} names the caller");
        }
        assert_eq!(concern.contact, None, "an empty contact is no contact");
    }
}

#[tokio::test]
async fn the_code_reads_the_answers_and_replies_and_a_wrong_code_gets_one_answer() {
    let app = TestApp::as_role(Role::ConcernHandler).await;
    let code = report(&app, SECRET_TEXT).await;
    let id = only_concern_id(&app).await;
    let listed = app.get("/api/v1/concerns").await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.json()["items"][0]["status"], "received");
    assert!(
        listed.json()["items"][0].get("contact").is_none(),
        "no contact in the list"
    );

    let answered = app
        .post_json(
            &format!("/api/v1/concerns/{id}/messages"),
            json!({ "message": "Thank you; since when?" }),
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.text());
    assert_eq!(answered.json()["status"], "acknowledged");

    let opened =
        post_anonymously(&app, "/api/v1/concerns/follow-up", json!({ "code": code })).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text());
    assert_eq!(opened.header("cache-control"), Some("no-store"));
    let follow_up = opened.json();
    assert_eq!(
        follow_up["conversation"][0]["body"],
        "Thank you; since when?"
    );
    assert!(
        !opened.text().contains("Test concern_handler"),
        "the reporter is not told which handler answered"
    );
    let replied = post_anonymously(
        &app,
        "/api/v1/concerns/follow-up/reply",
        json!({ "code": code.to_lowercase(), "message": "Since March." }),
    )
    .await;
    assert_eq!(replied.status, StatusCode::OK, "{}", replied.text());
    assert_eq!(replied.json()["conversation"][1]["author"], "reporter");

    let mut bodies = Vec::new();
    for wrong in [
        "",
        "ABCD",
        &code[..code.len() - 1],
        "0000-0000-0000-0000-0000-0000-0000",
    ] {
        let response =
            post_anonymously(&app, "/api/v1/concerns/follow-up", json!({ "code": wrong })).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{wrong:?}");
        bodies.push(response.text());
    }
    bodies.dedup();
    assert_eq!(
        bodies.len(),
        1,
        "one answer for every wrong code: {bodies:?}"
    );

    let closed = app
        .post_json(
            &format!("/api/v1/concerns/{id}/status"),
            json!({ "status": "closed" }),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text());
    let again = app
        .post_json(
            &format!("/api/v1/concerns/{id}/status"),
            json!({ "status": "closed" }),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let late = post_anonymously(
        &app,
        "/api/v1/concerns/follow-up/reply",
        json!({ "code": code, "message": "Anyone?" }),
    )
    .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.text());
}

#[tokio::test]
async fn too_many_reports_in_a_minute_get_429_and_a_closed_channel_409() {
    let app = TestApp::as_role(Role::ConcernHandler).await;
    let settings = app.get("/api/v1/concern-settings").await.json();
    assert_eq!(
        (
            &settings["channel_enabled"],
            &settings["receipt_days"],
            &settings["response_days"]
        ),
        (&json!(true), &json!(2), &json!(7)),
        "the defaults"
    );
    assert_eq!(
        (
            &settings["reports_per_minute"],
            &settings["replies_per_minute"]
        ),
        (&json!(30), &json!(30)),
        "reports and replies each have their own budget"
    );
    let wrong = app
        .json(
            Method::PUT,
            "/api/v1/concern-settings",
            json!({ "channel_enabled": true, "receipt_days": 0, "response_days": 7, "reports_per_minute": 2, "replies_per_minute": 2 }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let limited = json!({ "channel_enabled": true, "receipt_days": 2, "response_days": 7, "reports_per_minute": 2, "replies_per_minute": 5 });
    let saved = app
        .json(Method::PUT, "/api/v1/concern-settings", limited)
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());

    report(&app, "One.").await;
    report(&app, "Two.").await;
    let third = post_anonymously(
        &app,
        "/api/v1/concerns",
        json!({ "category": "other", "description": "Three." }),
    )
    .await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.header("retry-after"), Some("60"));
    assert_eq!(third.json()["error"]["code"], "too_many_requests");
    assert!(
        third.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("try") || m.contains("again")),
        "{}",
        third.text()
    );

    let closed = json!({ "channel_enabled": false, "receipt_days": 2, "response_days": 7, "reports_per_minute": 100, "replies_per_minute": 100 });
    app.json(Method::PUT, "/api/v1/concern-settings", closed)
        .await;
    let refused = post_anonymously(
        &app,
        "/api/v1/concerns",
        json!({ "category": "other", "description": "While closed." }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.text().contains("closed"), "{}", refused.text());
    let invalid = post_anonymously(
        &app,
        "/api/v1/concerns",
        json!({ "category": "gossip", "description": "x" }),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A JSON post with no session, from the network address `from`.
async fn post_from(app: &TestApp, from: &str, uri: &str, body: Value) -> TestResponse {
    let peer: SocketAddr = format!("{from}:40000").parse().expect("address");
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(peer))
        .body(Body::from(body.to_string()))
        .expect("request");
    app.send_raw(request).await
}

#[tokio::test]
async fn one_network_source_sends_at_most_5_reports_and_20_replies_a_minute() {
    let app = TestApp::anonymous().await;
    let script = "203.0.113.9";
    let new_report =
        |n: usize| json!({ "category": "other", "description": format!("Report {n}.") });
    let mut codes = Vec::new();
    for n in 0..5 {
        let sent = post_from(&app, script, "/api/v1/concerns", new_report(n)).await;
        assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text());
        codes.push(sent.json()["code"].as_str().expect("code").to_owned());
    }
    let sixth = post_from(&app, script, "/api/v1/concerns", new_report(6)).await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sixth.header("retry-after"), Some("60"));
    let message = sixth.json()["error"]["message"]
        .as_str()
        .expect("message")
        .to_owned();
    assert!(
        message.contains("5 reports came from your network within a minute")
            && message.contains("Nothing was saved"),
        "{message}"
    );
    let elsewhere = post_from(&app, "198.51.100.7", "/api/v1/concerns", new_report(7)).await;
    assert_eq!(
        elsewhere.status,
        StatusCode::CREATED,
        "another source still reports"
    );

    // Replies have a budget of their own: the reports spent do not touch it.
    let reply = |code: &str, n: usize| json!({ "code": code, "message": format!("Reply {n}.") });
    for n in 0..20 {
        // At most 10 replies a day on one report: spread over two.
        let code = &codes[n % 2];
        let sent = post_from(
            &app,
            script,
            "/api/v1/concerns/follow-up/reply",
            reply(code, n),
        )
        .await;
        assert_eq!(sent.status, StatusCode::OK, "reply {n}: {}", sent.text());
    }
    let path = "/api/v1/concerns/follow-up/reply";
    let refused = post_from(&app, script, path, reply(&codes[2], 21)).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.text()
    );
    assert!(refused.text().contains("20 replies came from your network"));
    let empty = post_from(
        &app,
        script,
        path,
        json!({ "code": codes[2], "message": " " }),
    )
    .await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "checked before counted"
    );
    let other = post_from(&app, "198.51.100.7", path, reply(&codes[2], 22)).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text());

    // The address reaches no record: not the concerns, not the audit trail.
    let events = app
        .store()
        .list_audit_events(
            &charter::domain::AuditFilter::default(),
            charter::domain::PageRequest::new(Some(1), Some(500)),
        )
        .await
        .expect("events");
    let trail = format!("{:?}", events.items);
    assert!(!trail.contains(script) && !trail.contains("198.51.100.7"));
}

#[tokio::test]
async fn a_nul_byte_or_another_control_character_gets_422_not_500() {
    let app = TestApp::anonymous().await;
    let refused = post_anonymously(
        &app,
        "/api/v1/concerns",
        json!({ "category": "other", "description": "Text\u{0}with a NUL." }),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert!(
        refused.json()["error"]["fields"]["description"][0]
            .as_str()
            .is_some_and(|m| m.contains("control character")),
        "{}",
        refused.text()
    );
    let contact = post_anonymously(
        &app,
        "/api/v1/concerns",
        json!({ "category": "other", "description": "Fine.", "contact": "a\u{7}b" }),
    )
    .await;
    assert_eq!(contact.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = report(&app, "Line one.\nLine two.").await;
    let reply = post_anonymously(
        &app,
        "/api/v1/concerns/follow-up/reply",
        json!({ "code": code, "message": "\u{0}" }),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
}
