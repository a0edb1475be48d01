//! Exceptions to a policy through the pages: staff ask by form, an approver decides with their
//! password, the register shows where each stands, and the refusals are worded on the page.

use axum::http::{Method, StatusCode};
use charter::domain::access::{Permission, Role, grants};
use serde_json::{Value, json};

use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse, TestSession};
use crate::web_trust::post_form_as;

struct Cast {
    app: TestApp,
    writer: TestSession,
    approver: TestSession,
    staff: TestSession,
    auditor: TestSession,
    policy: String,
}

/// A published internal policy approved by top management, and the people around it.
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
    let call = |who: &TestSession, uri: String, body: Value| {
        let (app, who) = (&app, who.clone());
        async move {
            let response = app.json_as(&who, Method::POST, &uri, body).await;
            assert!(response.status.is_success(), "{uri}: {}", response.text());
            response.json()
        }
    };
    let request = json!({
        "title": "Access Control", "kind": "topic_specific", "owner_id": owner.id,
        "visibility": "internal", "body": "# Access\n\nAccess is granted on need to know.\n",
    });
    let created = call(&writer, "/api/v1/policies".into(), request).await;
    let version = created["draft"]["id"].as_str().expect("version").to_owned();
    let step = |s: &str| format!("/api/v1/policy-versions/{version}/{s}");
    call(&writer, step("submit"), Value::Null).await;
    let approval = json!({ "password": TEST_PASSWORD, "statement": "Approved." });
    call(&approver, step("approve"), approval).await;
    call(&writer, step("publish"), Value::Null).await;
    Cast {
        policy: created["policy"]["id"].as_str().expect("policy").to_owned(),
        app,
        writer,
        approver,
        staff,
        auditor,
    }
}

fn in_days(days: i64) -> String {
    let date = time::OffsetDateTime::now_utc().date() + time::Duration::days(days);
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

impl Cast {
    /// Requests an exception through the form; returns the exception's page address.
    async fn request(&self, who: &TestSession, scope: &str) -> String {
        let expiry = in_days(60);
        let response = post_form_as(
            &self.app,
            who,
            &format!("/policies/{}/exceptions", self.policy),
            &[
                ("scope", scope),
                ("justification", "The vendor's patch is not out yet."),
                (
                    "risk",
                    "An unpatched service reachable from the office network.",
                ),
                ("compensating_controls", "Firewalled to two hosts."),
                ("requested_expiry", &expiry),
            ],
        )
        .await;
        let location = redirect(&response);
        assert!(location.ends_with("?flash=requested"), "{location}");
        location.trim_end_matches("?flash=requested").to_owned()
    }

    async fn decide(
        &self,
        who: &TestSession,
        record: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        post_form_as(&self.app, who, &format!("{record}/decision"), fields).await
    }

    async fn status_of(&self, record: &str) -> String {
        let id = record.trim_start_matches("/exceptions/");
        let uri = format!("/api/v1/policy-exceptions/{id}");
        let response = self
            .app
            .json_as(&self.writer, Method::GET, &uri, Value::Null)
            .await;
        response.json()["status"]
            .as_str()
            .expect("status")
            .to_owned()
    }
}

fn redirect(response: &TestResponse) -> String {
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
    response.header("location").expect("a redirect").to_owned()
}

#[tokio::test]
async fn staff_request_an_exception_by_form_and_see_it_awaiting_a_decision() {
    let c = cast().await;
    let form = c
        .app
        .get_as(&c.staff, &format!("/policies/{}/exceptions/new", c.policy))
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text());
    assert!(form.text().contains("Request an exception"));
    assert!(form.text().contains(r#"type="date""#));

    let record = c.request(&c.staff, "Legacy payroll server").await;
    let page = c
        .app
        .get_as(&c.staff, &format!("{record}?flash=requested"))
        .await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "the requester reads their own request"
    );
    let text = page.text();
    assert!(text.contains("Your request was sent"));
    assert!(text.contains("Legacy payroll server") && text.contains("Firewalled to two hosts."));
    assert!(text.contains(r#"<span class="badge amber">Requested</span>"#));
    assert!(text.contains("Withdraw request"));
    assert!(
        !text.contains("Approve the exception"),
        "staff do not decide"
    );

    let tasks = c.app.get_as(&c.staff, "/tasks").await.text();
    assert!(
        tasks.contains("1 of your exception requests awaits a decision"),
        "{tasks}"
    );
    let approver_tasks = c.app.get_as(&c.approver, "/tasks").await.text();
    assert!(approver_tasks.contains("1 exception request awaits your decision"));
    assert!(approver_tasks.contains(&format!(r#"href="{record}""#)));
}

#[tokio::test]
async fn a_refused_request_form_shows_each_message_beside_its_field_and_keeps_what_was_typed() {
    let c = cast().await;
    let response = post_form_as(
        &c.app,
        &c.staff,
        &format!("/policies/{}/exceptions", c.policy),
        &[
            ("scope", "Meeting-room kiosk"),
            ("justification", ""),
            ("risk", "Shared screen"),
            ("requested_expiry", &in_days(-1)),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text();
    assert!(text.contains(r#"id="justification-error""#), "{text}");
    assert!(text.contains("Justification is required."));
    assert!(text.contains(r#"id="requested_expiry-error""#));
    assert!(text.contains("Meeting-room kiosk"), "typed values stay");
    let register = c.app.get_as(&c.writer, "/exceptions").await.text();
    assert!(
        !register.contains("Meeting-room kiosk"),
        "nothing was saved"
    );
}

#[tokio::test]
async fn staff_cannot_decide_and_the_requester_is_refused_even_with_the_approver_role() {
    let c = cast().await;
    let record = c.request(&c.staff, "Legacy payroll server").await;
    let approve = [("decision", "approve"), ("password", TEST_PASSWORD)];
    assert_eq!(
        c.decide(&c.staff, &record, &approve).await.status,
        StatusCode::FORBIDDEN
    );

    let boss = c.app.account_session("boss", &[Role::TopManagement]).await;
    let own = c.request(&boss, "Board laptops").await;
    let page = c.app.get_as(&boss, &own).await.text();
    assert!(
        !page.contains("Approve the exception"),
        "no form for one's own request"
    );
    assert!(page.contains("another approver decides it"));
    let refused = c.decide(&boss, &own, &approve).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .contains("You requested this exception, so you cannot decide on it."),
        "{}",
        refused.text()
    );
    assert_eq!(c.status_of(&own).await, "requested");
}

#[tokio::test]
async fn an_approver_approves_with_their_password_and_the_register_shows_it_active() {
    let c = cast().await;
    let record = c.request(&c.staff, "Legacy payroll server").await;
    let page = c.app.get_as(&c.approver, &record).await.text();
    assert!(page.contains("Approve the exception") && page.contains("Reject the request"));
    assert!(
        page.contains("You accept the risk described above"),
        "it says what will happen"
    );

    let wrong = c
        .decide(
            &c.approver,
            &record,
            &[
                ("decision", "approve"),
                ("password", "not my password"),
                ("note", "Fine until the patch"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.text().contains("is not your password"),
        "{}",
        wrong.text()
    );
    assert!(
        wrong.text().contains("Fine until the patch"),
        "the note stays"
    );
    assert_eq!(c.status_of(&record).await, "requested", "nothing changed");

    let until = in_days(30);
    let approved = c
        .decide(
            &c.approver,
            &record,
            &[
                ("decision", "approve"),
                ("password", TEST_PASSWORD),
                ("expires_on", &until),
            ],
        )
        .await;
    assert_eq!(redirect(&approved), format!("{record}?flash=approved"));
    assert_eq!(c.status_of(&record).await, "approved");

    let register = c.app.get_as(&c.approver, "/exceptions?state=active").await;
    assert_eq!(register.status, StatusCode::OK);
    let text = register.text();
    assert!(text.contains("Legacy payroll server"));
    assert!(text.contains(r#"<span class="badge green">Active</span>"#));
    assert!(text.contains("Test bea"), "the decider is named");
    assert!(text.contains(&until), "the exact expiry is there");
    assert!(
        text.contains("expiring within 30 days"),
        "and it needs attention soon"
    );
}

#[tokio::test]
async fn a_rejection_needs_a_reason() {
    let c = cast().await;
    let record = c.request(&c.staff, "Legacy payroll server").await;
    let refused = c
        .decide(
            &c.approver,
            &record,
            &[("decision", "reject"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text().contains(r#"id="reject-note-error""#),
        "{}",
        refused.text()
    );
    let rejected = c
        .decide(
            &c.approver,
            &record,
            &[
                ("decision", "reject"),
                ("password", TEST_PASSWORD),
                ("note", "Patch it now."),
            ],
        )
        .await;
    redirect(&rejected);
    let page = c.app.get_as(&c.staff, &record).await.text();
    assert!(page.contains("Patch it now.") && page.contains("Rejected"));
}

#[tokio::test]
async fn an_auditor_reads_the_register_and_records_but_sees_no_forms() {
    let c = cast().await;
    let record = c.request(&c.staff, "Legacy payroll server").await;
    let register = c.app.get_as(&c.auditor, "/exceptions").await;
    assert_eq!(register.status, StatusCode::OK);
    assert!(register.text().contains("Legacy payroll server"));
    assert!(register.text().contains("awaiting a decision"));

    let page = c.app.get_as(&c.auditor, &record).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(
        !text.contains(r#"action="/exceptions/"#),
        "no decision or withdraw form"
    );
    assert!(!text.contains("Request renewal"));
    assert!(text.contains("Evidence trail") && text.contains("policy_exception.requested"));

    assert_eq!(
        c.app.get_as(&c.staff, "/exceptions").await.status,
        StatusCode::FORBIDDEN,
        "staff do not read the register"
    );
    let other = c.app.account_session("sam", &[Role::Staff]).await;
    assert_eq!(
        c.app.get_as(&other, &record).await.status,
        StatusCode::NOT_FOUND,
        "nor other people's requests"
    );
}

#[tokio::test]
async fn the_requester_withdraws_a_request_and_renews_an_approved_exception_from_its_page() {
    let c = cast().await;
    let dropped = c.request(&c.staff, "Old printer").await;
    let withdrawn = post_form_as(&c.app, &c.staff, &format!("{dropped}/withdraw"), &[]).await;
    assert_eq!(redirect(&withdrawn), format!("{dropped}?flash=withdrawn"));
    let page = c.app.get_as(&c.staff, &dropped).await.text();
    assert!(page.contains(r#"<span class="badge grey">Withdrawn</span>"#));
    assert!(!page.contains("Withdraw request"), "only while requested");

    let record = c.request(&c.staff, "Legacy payroll server").await;
    let approve = [("decision", "approve"), ("password", TEST_PASSWORD)];
    redirect(&c.decide(&c.approver, &record, &approve).await);
    let page = c.app.get_as(&c.staff, &record).await.text();
    let id = record.trim_start_matches("/exceptions/");
    let renew_href = format!("/policies/{}/exceptions/new?renewal_of={id}", c.policy);
    assert!(
        page.contains(&renew_href),
        "Request renewal on an active one"
    );

    let form = c.app.get_as(&c.staff, &renew_href).await.text();
    assert!(form.contains("Renew an exception"));
    assert!(
        form.contains("Legacy payroll server"),
        "the scope is copied"
    );
    assert!(form.contains(&format!(r#"name="renewal_of" value="{id}""#)));
    let renewal = post_form_as(
        &c.app,
        &c.staff,
        &format!("/policies/{}/exceptions", c.policy),
        &[
            ("scope", "Legacy payroll server"),
            ("justification", "The patch slipped again."),
            ("risk", "Same as before."),
            ("requested_expiry", &in_days(90)),
            ("renewal_of", id),
        ],
    )
    .await;
    let renewed = redirect(&renewal);
    let page = c.app.get_as(&c.staff, &renewed).await.text();
    assert!(page.contains(&format!(
        r#"<a href="{record}">the exception it renews</a>"#
    )));
}

#[tokio::test]
async fn my_tasks_name_sign_offs_decisions_and_overdue_reviews_where_they_are_done() {
    let c = cast().await;
    let owner = c
        .app
        .store()
        .person_by_email("ina@example.test")
        .await
        .expect("lookup")
        .expect("owner");
    let request = json!({
        "title": "Clear Desk", "kind": "topic_specific", "owner_id": owner.id,
        "body": "# Desks\n\nLeave nothing out.\n",
    });
    let created = c
        .app
        .json_as(&c.writer, Method::POST, "/api/v1/policies", request)
        .await
        .json();
    let version = created["draft"]["id"].as_str().expect("version");
    let submitted = c
        .app
        .json_as(
            &c.writer,
            Method::POST,
            &format!("/api/v1/policy-versions/{version}/submit"),
            Value::Null,
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.text());

    let approver = c.app.get_as(&c.approver, "/tasks").await.text();
    assert!(
        approver.contains("1 policy version awaits your sign-off"),
        "{approver}"
    );
    assert!(approver.contains(&format!(r#"href="/policies/versions/{version}""#)));
    let writer = c.app.get_as(&c.writer, "/tasks").await.text();
    assert!(
        !writer.contains("awaits your sign-off"),
        "the ISMS manager neither holds this policy's approver role nor signs their own work"
    );

    // The published policy was last reviewed long ago: its owner is told, in red.
    crate::helpers::raw_sql(
        &c.app.db.location,
        "UPDATE policies SET last_reviewed_on = '2000-01-01' WHERE title = 'Access Control'",
    )
    .await;
    let writer = c.app.get_as(&c.writer, "/tasks").await.text();
    assert!(
        writer.contains("1 policy you own is due for review"),
        "{writer}"
    );
    assert!(writer.contains(r#"<span class="badge red">Overdue</span>"#));
    assert!(writer.contains(&format!(r#"href="/policies/{}""#, c.policy)));
}

/// The pages of this area and the permission each declares.
const PAGES: &[(&str, &str, Permission)] = &[
    ("GET", "/exceptions", Permission::ReadPolicyRecords),
    ("GET", "/exceptions/{id}", Permission::ReadPolicies),
    (
        "POST",
        "/exceptions/{id}/decision",
        Permission::DecidePolicies,
    ),
    (
        "POST",
        "/exceptions/{id}/withdraw",
        Permission::RequestExceptions,
    ),
    (
        "GET",
        "/policies/{id}/exceptions/new",
        Permission::RequestExceptions,
    ),
    (
        "POST",
        "/policies/{id}/exceptions",
        Permission::RequestExceptions,
    ),
    (
        "GET",
        "/policies/{id}/share-links",
        Permission::EditPolicies,
    ),
    (
        "POST",
        "/policies/{id}/share-links",
        Permission::EditPolicies,
    ),
    (
        "POST",
        "/policies/share-links/{id}/revoke",
        Permission::EditPolicies,
    ),
    ("GET", "/trust", Permission::Public),
    ("GET", "/trust/policies/{id}", Permission::Public),
    ("GET", "/trust/shared/{id}", Permission::Public),
];

async fn probe(app: &TestApp, method: &str, path: &str) -> TestResponse {
    let uri = path.replace("{id}", &uuid::Uuid::now_v7().to_string());
    if method == "GET" {
        app.get(&uri).await
    } else {
        app.post_form(&uri, &[("probe", "1")]).await
    }
}

#[tokio::test]
async fn every_page_answers_each_role_as_its_permission_says() {
    for role in Role::ALL {
        let app = TestApp::as_role(role).await;
        for &(method, path, permission) in PAGES {
            let response = probe(&app, method, path).await;
            if grants(role, permission) {
                assert_ne!(
                    response.status,
                    StatusCode::FORBIDDEN,
                    "{role} should reach {method} {path}: {}",
                    response.text()
                );
            } else {
                assert_eq!(
                    response.status,
                    StatusCode::FORBIDDEN,
                    "{role} must be refused {method} {path}"
                );
            }
        }
    }
    let anonymous = TestApp::anonymous().await;
    for &(method, path, permission) in PAGES {
        let response = probe(&anonymous, method, path).await;
        let to_sign_in = response.status == StatusCode::SEE_OTHER
            && response
                .header("location")
                .is_some_and(|l| l.starts_with("/sign-in"));
        assert_eq!(
            to_sign_in,
            permission != Permission::Public,
            "{method} {path} anonymously: {}",
            response.status
        );
    }
}
