//! Time-limited accounts through the API: an admin creates an auditor with a last day, moves or
//! removes it; the auditor is refused from the day after, with the reason when signing in.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use charter::domain::Actor;
use charter::domain::access::Role;

use serde_json::{Value, json};
use time::{Date, Duration, OffsetDateTime};

use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse};

fn days(n: i64) -> Date {
    OffsetDateTime::now_utc().date() + Duration::days(n)
}

fn field_message(response: &TestResponse, field: &str) -> String {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    response.json()["error"]["fields"][field][0]
        .as_str()
        .unwrap_or_else(|| panic!("no message for {field}: {}", response.text()))
        .to_owned()
}

/// An auditor account created by the admin through the API, with `expires_on`.
async fn create_auditor(app: &TestApp, email: &str, expires_on: Value) -> TestResponse {
    let person = app.person("Ines Auditor", email, None).await;
    app.post_json(
        "/api/v1/accounts",
        json!({
            "person_id": person,
            "roles": ["auditor"],
            "password": TEST_PASSWORD,
            "expires_on": expires_on,
        }),
    )
    .await
}

#[tokio::test]
async fn an_admin_creates_an_auditor_until_a_day_then_moves_and_removes_the_end() {
    let app = TestApp::new().await;
    let past = create_auditor(&app, "past@example.test", json!(days(-1).to_string())).await;
    assert!(field_message(&past, "expires_on").contains("must not be in the past"));
    let far = create_auditor(&app, "far@example.test", json!(days(367).to_string())).await;
    assert!(field_message(&far, "expires_on").contains("366 days"));
    let garbled = create_auditor(&app, "garbled@example.test", json!("31/12/2030")).await;
    assert_eq!(garbled.status, StatusCode::UNPROCESSABLE_ENTITY);

    let created = create_auditor(&app, "ines@example.test", json!(days(30).to_string())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let account = created.json();
    assert_eq!(account["expires_on"], days(30).to_string());
    let id = account["id"].as_str().expect("id").to_owned();
    let uri = format!("/api/v1/accounts/{id}");

    let moved = app
        .patch_json(&uri, json!({"expires_on": days(60).to_string()}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text());
    assert_eq!(moved.json()["expires_on"], days(60).to_string());
    assert_eq!(moved.json()["roles"], json!(["auditor"]));
    let too_far = app
        .patch_json(&uri, json!({"expires_on": days(400).to_string()}))
        .await;
    assert!(field_message(&too_far, "expires_on").contains("366"));
    let staff_with_far_end = app
        .patch_json(
            &uri,
            json!({"roles": ["staff"], "expires_on": days(400).to_string()}),
        )
        .await;
    assert_eq!(
        staff_with_far_end.json()["expires_on"],
        days(400).to_string(),
        "roles and end are judged together: staff may have a far end"
    );
    let removed = app.patch_json(&uri, json!({"expires_on": null})).await;
    assert_eq!(removed.json()["expires_on"], Value::Null);
    let untouched = app.patch_json(&uri, json!({"roles": ["auditor"]})).await;
    assert_eq!(
        untouched.json()["expires_on"],
        Value::Null,
        "absent: unchanged"
    );

    let events = app
        .get(&format!(
            "/api/v1/audit-events?record_type=account&record_id={id}&action=account.expiry_changed"
        ))
        .await
        .json();
    assert_eq!(events["total"], 3, "moved, moved with the roles, removed");
}

#[tokio::test]
async fn an_auditor_works_through_the_last_day_and_is_refused_from_the_next() {
    let app = TestApp::new().await;
    let created = create_auditor(&app, "ines@example.test", json!(days(0).to_string())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id: uuid::Uuid = created.json()["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("id");

    let login = app.login("ines@example.test", TEST_PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK, "the last day still works");
    let cookie = login
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("cookie")
        .to_owned();
    let auditor = crate::helpers::TestSession {
        cookie: cookie.trim_start_matches("charter_session=").to_owned(),
        csrf_token: login.json()["csrf_token"]
            .as_str()
            .expect("csrf")
            .to_owned(),
    };
    let token = app
        .json_as(
            &auditor,
            axum::http::Method::POST,
            "/api/v1/auth/tokens",
            json!({"name": "audit", "scope": "read", "expires_in_days": 30}),
        )
        .await;
    assert_eq!(token.status, StatusCode::CREATED, "{}", token.text());
    let bearer = format!(
        "Bearer {}",
        token.json()["secret"].as_str().expect("secret")
    );
    let by_token = |uri: &str| {
        Request::get(uri)
            .header("authorization", bearer.as_str())
            .body(Body::empty())
            .expect("request")
    };
    assert_eq!(
        app.send_raw(by_token("/api/v1/policies")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as(&auditor, "/policies").await.status,
        StatusCode::OK
    );

    // The end was set yesterday to yesterday: today the account is refused everywhere.
    app.store()
        .change_account_access(&Actor::cli(), id, None, Some(Some(days(-1))), days(-1))
        .await
        .expect("ended");
    assert_eq!(
        app.send_raw(by_token("/api/v1/policies")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_as(&auditor, "/api/v1/auth/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = app.get_as(&auditor, "/policies").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        page.header("location")
            .is_some_and(|l| l.starts_with("/sign-in")),
        "the sign-in page: {:?}",
        page.header("location")
    );

    let refused = app.login("ines@example.test", TEST_PASSWORD).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let message = refused.json()["error"]["message"]
        .as_str()
        .expect("message")
        .to_owned();
    assert!(
        message.contains(&format!("This account's access ended on {}", days(-1))),
        "{message}"
    );
    let wrong = app
        .login("ines@example.test", "not the password at all")
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNAUTHORIZED,
        "without the password nothing is told"
    );
    assert!(!wrong.text().contains("ended"));

    let form = app
        .send_raw(
            Request::post("/sign-in")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "email=ines%40example.test&password={}",
                    TEST_PASSWORD.replace(' ', "+")
                )))
                .expect("request"),
        )
        .await;
    assert!(form.header("set-cookie").is_none(), "no session");
    assert!(
        form.text()
            .contains(&format!("This account&#39;s access ended on {}", days(-1))),
        "{}",
        form.text()
    );

    app.store()
        .set_account_roles(&Actor::cli(), id, &[Role::Auditor])
        .await
        .expect("an ended account can still be managed");
}
