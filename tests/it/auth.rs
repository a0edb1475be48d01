//! Signing in and out, sessions, CSRF, API tokens, accounts, and the first-admin setup link.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use charter::domain::access::Role;
use serde_json::{Value, json};

use crate::helpers::{TEST_PASSWORD, TestApp};

fn cookie_of(response: &crate::helpers::TestResponse) -> String {
    let set = response.header("set-cookie").expect("a cookie is set");
    set.split(';').next().expect("pair").to_owned()
}

async fn get_with(
    app: &TestApp,
    uri: &str,
    name: &str,
    value: &str,
) -> crate::helpers::TestResponse {
    app.send_raw(
        Request::get(uri)
            .header(name, value)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn a_right_password_starts_a_session_in_a_safe_cookie() {
    let app = TestApp::new().await;
    let response = app.login("admin@example.test", TEST_PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let set = response.header("set-cookie").expect("cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(attribute), "{set}");
    }
    let cookie = cookie_of(&response);
    assert_ne!(
        cookie,
        format!(
            "charter_session={}",
            app.session.as_ref().expect("session").cookie
        ),
        "a new session id"
    );
    let me = get_with(&app, "/api/v1/auth/me", "cookie", &cookie).await;
    assert_eq!(me.json()["email"], "admin@example.test");
    assert_eq!(
        response.json()["csrf_token"].as_str().map(str::len),
        Some(64)
    );
}

#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_answer_then_a_delay() {
    let app = TestApp::new().await;
    let unknown = app.login("nobody@example.test", TEST_PASSWORD).await;
    let wrong = app
        .login("admin@example.test", "not the password at all")
        .await;
    assert_eq!(
        (unknown.status, wrong.status),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        unknown.json()["error"]["message"],
        wrong.json()["error"]["message"]
    );
    app.login("admin@example.test", "still not the password")
        .await;
    let throttled = app.login("admin@example.test", TEST_PASSWORD).await;
    assert_eq!(
        throttled.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        throttled.text()
    );
}

#[tokio::test]
async fn a_change_with_a_session_cookie_needs_the_csrf_token() {
    let app = TestApp::new().await;
    let session = app.session.clone().expect("session");
    let cookie = format!("charter_session={}", session.cookie);
    let body = json!({"name": "Ada", "email": "ada@example.com"}).to_string();
    let without = Request::post("/api/v1/people")
        .header("cookie", &cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.clone()))
        .expect("request");
    assert_eq!(app.send_raw(without).await.status, StatusCode::FORBIDDEN);
    let form = Request::post("/units")
        .header("cookie", &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name=Finance"))
        .expect("request");
    assert_eq!(app.send_raw(form).await.status, StatusCode::FORBIDDEN);
    let form = Request::post("/units")
        .header("cookie", &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "name=Finance&csrf_token={}",
            session.csrf_token
        )))
        .expect("request");
    assert_eq!(app.send_raw(form).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::new().await;
    assert_eq!(
        app.post_json("/api/v1/auth/logout", json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/api/v1/auth/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = app.get("/people").await;
    assert_eq!(
        (page.status, page.header("location")),
        (StatusCode::SEE_OTHER, Some("/sign-in?next=%2Fpeople"))
    );
}

#[tokio::test]
async fn api_tokens_are_scoped_shown_once_and_revocable() {
    let app = TestApp::new().await;
    let created = app
        .post_json(
            "/api/v1/auth/tokens",
            json!({"name": "reporting", "scope": "read", "expires_in_days": 30}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let body = created.json();
    let secret = body["secret"].as_str().expect("secret").to_owned();
    let bearer = format!("Bearer {secret}");
    assert_eq!(
        get_with(&app, "/api/v1/people", "authorization", &bearer)
            .await
            .status,
        StatusCode::OK
    );
    let write = app
        .send_raw(
            Request::post("/api/v1/units")
                .header("authorization", &bearer)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json!({"name": "Ops"}).to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(
        write.status,
        StatusCode::FORBIDDEN,
        "a read token changes nothing"
    );
    let listed = app.get("/api/v1/auth/tokens").await.json();
    assert!(
        !listed.to_string().contains(&secret),
        "the secret is never shown again"
    );
    let id = body["token"]["id"].as_str().expect("id");
    let revoke = app
        .send(
            Request::delete(format!("/api/v1/auth/tokens/{id}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT);
    assert_eq!(
        get_with(&app, "/api/v1/people", "authorization", &bearer)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_or_use_its_tokens() {
    let app = TestApp::new().await;
    let person = app.person("Sam Staff", "sam@example.com", None).await;
    let account = app
        .post_json(
            "/api/v1/accounts",
            json!({"person_id": person, "roles": ["staff"], "password": "a long enough password"}),
        )
        .await;
    assert_eq!(account.status, StatusCode::CREATED, "{}", account.text());
    let id = account.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.login("sam@example.com", "a long enough password")
            .await
            .status,
        StatusCode::OK
    );
    let disabled = app
        .patch_json(&format!("/api/v1/accounts/{id}"), json!({"disabled": true}))
        .await;
    assert!(disabled.json()["disabled_at"].is_string());
    assert_eq!(
        app.login("sam@example.com", "a long enough password")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_last_admin_cannot_be_removed_and_grants_are_audited() {
    let app = TestApp::new().await;
    let me: Value = app.get("/api/v1/auth/me").await.json();
    let id = me["id"].as_str().expect("id");
    let demoted = app
        .patch_json(
            &format!("/api/v1/accounts/{id}"),
            json!({"roles": ["staff"]}),
        )
        .await;
    assert_eq!(demoted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        demoted.json()["error"]["fields"]["roles"][0]
            .as_str()
            .expect("message")
            .contains("at least one active admin")
    );
    let granted = app
        .patch_json(
            &format!("/api/v1/accounts/{id}"),
            json!({"roles": ["admin", "auditor"]}),
        )
        .await;
    assert_eq!(granted.json()["roles"], json!(["admin", "auditor"]));
    let events = app
        .get(&format!(
            "/api/v1/audit-events?record_type=account&record_id={id}"
        ))
        .await
        .json();
    assert_eq!(events["items"][0]["action"], "account.roles_changed");
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_once() {
    let app = TestApp::anonymous().await;
    let token = charter::auth::secret::random_secret();
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    app.store()
        .create_setup_token(&charter::auth::secret::secret_hash(&token), expires)
        .await
        .expect("token");
    assert_eq!(
        app.get(&format!("/setup?token={token}")).await.status,
        StatusCode::OK
    );
    let fields = [
        ("token", token.as_str()),
        ("name", "Ada Admin"),
        ("email", "ada@example.com"),
        ("password", "a long enough password"),
    ];
    let done = app.post_form("/setup", &fields).await;
    assert_eq!(
        (done.status, done.header("location")),
        (StatusCode::SEE_OTHER, Some("/"))
    );
    assert!(
        done.header("set-cookie")
            .is_some_and(|c| c.contains("HttpOnly"))
    );
    let accounts = app.store().list_accounts().await.expect("accounts");
    assert_eq!(
        (accounts.len(), accounts[0].roles.clone()),
        (1, vec![Role::Admin])
    );
    assert_eq!(
        app.post_form("/setup", &fields).await.status,
        StatusCode::NOT_FOUND,
        "the link works once"
    );
}

#[tokio::test]
async fn a_staff_account_gets_a_friendly_forbidden_page() {
    let app = TestApp::as_role(Role::Staff).await;
    let page = app.get("/audit").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        page.text().contains("Not allowed") && page.text().contains("<nav"),
        "{}",
        page.text()
    );
    assert!(
        !app.get("/").await.text().contains(r#"href="/audit""#),
        "the navigation hides what is not allowed"
    );
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions() {
    let app = TestApp::new().await;
    let other = app.login("admin@example.test", TEST_PASSWORD).await;
    let other_cookie = cookie_of(&other);
    let weak = app
        .post_json(
            "/api/v1/auth/password",
            json!({"current_password": TEST_PASSWORD, "new_password": "short"}),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let wrong = app
        .post_json(
            "/api/v1/auth/password",
            json!({"current_password": "not it at all", "new_password": "a brand new passphrase"}),
        )
        .await;
    assert!(wrong.json()["error"]["fields"]["current_password"].is_array());
    let changed = app
        .post_json(
            "/api/v1/auth/password",
            json!({"current_password": TEST_PASSWORD, "new_password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.text());
    assert_eq!(
        app.get("/api/v1/auth/me").await.status,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        get_with(&app, "/api/v1/auth/me", "cookie", &other_cookie)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("admin@example.test", "a brand new passphrase")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn staff_see_no_buttons_that_lead_to_a_refusal() {
    let admin = TestApp::new().await;
    let staff = admin.account_session("reader", &[Role::Staff]).await;
    let id = admin.person("Ada Lovelace", "ada@example.com", None).await;
    let list = admin.get_as(&staff, "/people").await.text();
    assert!(list.contains("Ada Lovelace"), "staff read the directory");
    for button in [
        r#"href="/people/new""#,
        r#"href="/people/import""#,
        "/api/v1/people/export",
    ] {
        assert!(!list.contains(button), "{button} is offered to staff");
    }
    let person = admin.get_as(&staff, &format!("/people/{id}")).await.text();
    assert!(
        !person.contains("/edit\"") && !person.contains("Mark as departed"),
        "{person}"
    );
    let admin_list = admin.get("/people").await.text();
    assert!(
        admin_list.contains(r#"href="/people/new""#)
            && admin_list.contains("/api/v1/people/export")
    );
}
