//! The identity pages: accounts for admins, one's own account and API tokens, and "My tasks".

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use charter::domain::access::Role;
use serde_json::json;

use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse};

/// Where a successful form post sends the browser.
fn location(response: &TestResponse) -> String {
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
    response.header("location").expect("a redirect").to_owned()
}

/// The text of the field message for `id`, as the page shows it next to the field.
fn field_error(html: &str, id: &str) -> String {
    let marker = format!(r#"<p class="field-error" id="{id}-error">"#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no message for {id}: {html}"))
        + marker.len();
    let end = html[start..].find("</p>").expect("end of message") + start;
    html[start..end].to_owned()
}

async fn account_id(app: &TestApp, email: &str) -> String {
    app.store()
        .list_accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.email == email)
        .expect("the account")
        .id
        .to_string()
}

/// Creates an account for a new person through the admin form.
async fn create_account(app: &TestApp, name: &str, email: &str, roles: &[&str]) -> String {
    app.person(name, email, None).await;
    let mut fields = vec![("email", email), ("password", "a long first password")];
    fields.extend(roles.iter().map(|r| ("roles", *r)));
    let response = app.post_form("/admin/accounts", &fields).await;
    assert_eq!(location(&response), "/admin/accounts?flash=created");
    account_id(app, email).await
}

fn assert_no_inline_script_or_style(html: &str) {
    assert!(!html.contains("<script"), "no script: {html}");
    assert!(!html.contains(" style="), "no inline style: {html}");
}

#[tokio::test]
async fn an_admin_creates_an_account_for_a_person_and_it_appears_in_the_list() {
    let app = TestApp::new().await;
    let person = app.person("Grace Hopper", "grace@example.test", None).await;
    let response = app
        .post_form(
            "/admin/accounts",
            &[
                ("email", "GRACE@example.test"),
                ("roles", "staff"),
                ("roles", "auditor"),
                ("password", "a long first password"),
            ],
        )
        .await;
    let page = app.get(&location(&response)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("The account was created."), "{html}");
    assert!(
        html.contains(r#"Accounts <span class="count">2</span>"#),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"<a href="/people/{person}">Grace Hopper</a>"#)),
        "{html}"
    );
    assert!(html.contains(r#"<span class="badge grey">Auditor</span>"#));
    assert!(html.contains(r#"<span class="badge green">Active</span>"#));
    assert!(html.contains("just now"));
    assert_eq!(
        app.login("grace@example.test", "a long first password")
            .await
            .status,
        StatusCode::OK
    );

    let unknown = app
        .post_form(
            "/admin/accounts",
            &[
                ("email", "nobody@example.test"),
                ("roles", "staff"),
                ("password", "a long first password"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = unknown.text();
    assert_eq!(
        field_error(&html, "email"),
        "Email must belong to a person of the organization; no one has this email."
    );
    assert!(
        html.contains(r#"value="nobody@example.test""#),
        "keeps what was typed"
    );
}

#[tokio::test]
async fn a_weak_first_password_is_refused_next_to_its_field() {
    let app = TestApp::new().await;
    app.person("Alan Turing", "alan@example.test", None).await;
    let response = app
        .post_form(
            "/admin/accounts",
            &[
                ("email", "alan@example.test"),
                ("roles", "manager"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text();
    assert_eq!(
        field_error(&html, "password"),
        "First password must be at least 12 characters long."
    );
    assert!(html.contains(r##"<a href="#password">"##), "in the summary");
    assert!(html.contains(r#"value="alan@example.test""#));
    assert!(
        html.contains(r#"value="manager" aria-describedby="role-manager-hint" checked"#),
        "the ticked role stays ticked: {html}"
    );
    assert!(!html.contains("short"), "the password is not sent back");
    assert_eq!(
        app.store().list_accounts().await.expect("accounts").len(),
        1
    );
}

#[tokio::test]
async fn granting_roles_changes_the_badges_and_is_audited() {
    let app = TestApp::new().await;
    let id = create_account(&app, "Ada Lovelace", "ada@example.test", &["staff"]).await;
    let page = app.get(&format!("/admin/accounts/{id}")).await.text();
    assert!(page.contains(r#"value="staff" aria-describedby="role-staff-hint" checked"#));
    assert!(!page.contains("ISMS manager</dt>"));

    let response = app
        .post_form(
            &format!("/admin/accounts/{id}/roles"),
            &[("roles", "staff"), ("roles", "isms_manager")],
        )
        .await;
    let shown = app.get(&location(&response)).await.text();
    assert!(shown.contains("The roles were saved."), "{shown}");
    assert!(shown.contains("<dt>ISMS manager</dt>"), "{shown}");
    let list = app.get("/admin/accounts").await.text();
    assert!(list.contains(r#"<span class="badge grey">ISMS manager</span>"#));

    let events = app
        .get(&format!(
            "/api/v1/audit-events?record_type=account&record_id={id}"
        ))
        .await
        .json();
    assert_eq!(events["items"][0]["action"], "account.roles_changed");
}

#[tokio::test]
async fn removing_the_last_admin_is_refused_with_the_reason() {
    let app = TestApp::new().await;
    let id = account_id(&app, "admin@example.test").await;
    let response = app
        .post_form(
            &format!("/admin/accounts/{id}/roles"),
            &[("roles", "staff")],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text();
    assert!(
        html.contains(r#"<div class="alert danger" role="alert">"#),
        "{html}"
    );
    assert!(
        html.contains(
            "Charter needs at least one active admin; grant the role to someone else first."
        ),
        "{html}"
    );
    let disable = app
        .post_form(&format!("/admin/accounts/{id}/disable"), &[])
        .await;
    assert_eq!(disable.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(disable.text().contains("at least one active admin"));
    let account = &app.store().list_accounts().await.expect("accounts")[0];
    assert_eq!(account.roles, vec![Role::Admin]);
    assert!(account.is_active());
}

#[tokio::test]
async fn a_disabled_account_can_no_longer_sign_in_until_enabled() {
    let app = TestApp::new().await;
    let id = create_account(&app, "Hedy Lamarr", "hedy@example.test", &["staff"]).await;
    let credentials = ("hedy@example.test", "a long first password");
    assert_eq!(
        app.login(credentials.0, credentials.1).await.status,
        StatusCode::OK
    );
    let page = app.get(&format!("/admin/accounts/{id}")).await.text();
    assert!(page.contains("Disabling ends every session of Hedy Lamarr at once"));

    let response = app
        .post_form(&format!("/admin/accounts/{id}/disable"), &[])
        .await;
    let shown = app.get(&location(&response)).await.text();
    assert!(shown.contains("The account is disabled"), "{shown}");
    assert!(shown.contains(r#"<span class="badge grey">Disabled</span>"#));
    assert!(shown.contains("Enable Hedy Lamarr"));
    assert_eq!(
        app.login(credentials.0, credentials.1).await.status,
        StatusCode::UNAUTHORIZED
    );

    let response = app
        .post_form(&format!("/admin/accounts/{id}/enable"), &[])
        .await;
    assert_eq!(
        location(&response),
        format!("/admin/accounts/{id}?flash=enabled")
    );
    assert_eq!(
        app.login(credentials.0, credentials.1).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn only_admins_reach_the_account_pages() {
    let staff = TestApp::as_role(Role::Staff).await;
    assert_eq!(
        staff.get("/admin/accounts").await.status,
        StatusCode::FORBIDDEN
    );
    let tasks = staff.get("/tasks").await.text();
    assert!(!tasks.contains(r#"href="/admin/accounts""#), "{tasks}");
    assert!(tasks.contains(r#"<a href="/tasks" aria-current="page">My tasks</a>"#));

    let admin = TestApp::new().await;
    let tasks = admin.get("/tasks").await.text();
    assert!(
        tasks.contains(r#"<a href="/admin/accounts">Admin</a>"#),
        "{tasks}"
    );
}

#[tokio::test]
async fn the_password_is_changed_on_the_account_page_and_other_sessions_end() {
    let app = TestApp::new().await;
    let other = app.login("admin@example.test", TEST_PASSWORD).await;
    let cookie = other
        .header("set-cookie")
        .expect("a session cookie")
        .split(';')
        .next()
        .expect("name=value")
        .to_owned();

    let wrong = app
        .post_form(
            "/account/password",
            &[
                ("current_password", "not my password at all"),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = wrong.text();
    assert_eq!(
        field_error(&html, "current_password"),
        "This is not your current password."
    );
    assert!(!html.contains("a brand new passphrase"));

    let weak = app
        .post_form(
            "/account/password",
            &[
                ("current_password", TEST_PASSWORD),
                ("new_password", "short"),
            ],
        )
        .await;
    assert_eq!(
        field_error(&weak.text(), "new_password"),
        "New password must be at least 12 characters long."
    );

    let response = app
        .post_form(
            "/account/password",
            &[
                ("current_password", TEST_PASSWORD),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    let page = app.get(&location(&response)).await;
    assert_eq!(page.status, StatusCode::OK, "this session stays");
    assert!(
        page.text()
            .contains("Every other session of your account has ended")
    );
    let me = Request::get("/api/v1/auth/me")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        app.send_raw(me).await.status,
        StatusCode::UNAUTHORIZED,
        "the other session ended"
    );
    assert_eq!(
        app.login("admin@example.test", TEST_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("admin@example.test", "a brand new passphrase")
            .await
            .status,
        StatusCode::OK
    );
}

async fn with_bearer(app: &TestApp, secret: &str) -> StatusCode {
    let request = Request::get("/api/v1/people")
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .body(Body::empty())
        .expect("request");
    app.send_raw(request).await.status
}

#[tokio::test]
async fn a_token_shows_its_secret_once_works_and_stops_when_revoked() {
    let app = TestApp::new().await;
    let response = app
        .post_form(
            "/account/tokens",
            &[
                ("token_name", "Nightly report"),
                ("token_scope", "read"),
                ("token_days", "30"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let html = response.text();
    assert!(html.contains("it will not be shown again"), "{html}");
    let marker = r#"<code id="new-secret">"#;
    let start = html.find(marker).expect("the secret") + marker.len();
    let secret = html[start..start + html[start..].find('<').expect("end")].to_owned();
    assert!(secret.starts_with("charter_"), "{secret}");

    let later = app.get("/account").await.text();
    assert!(!later.contains(&secret), "the secret is shown once only");
    assert!(
        later.contains("<th scope=\"row\">Nightly report</th>"),
        "{later}"
    );
    assert!(later.contains("<td>Read only</td>"));
    assert_eq!(with_bearer(&app, &secret).await, StatusCode::OK);

    let account = account_id(&app, "admin@example.test").await;
    let tokens = app
        .store()
        .list_api_tokens(account.parse().expect("id"))
        .await
        .expect("tokens");
    let revoke = app
        .post_form(&format!("/account/tokens/{}/revoke", tokens[0].id), &[])
        .await;
    let page = app.get(&location(&revoke)).await.text();
    assert!(page.contains("The token was revoked."), "{page}");
    assert!(page.contains(r#"<span class="badge grey">Revoked</span>"#));
    assert_eq!(with_bearer(&app, &secret).await, StatusCode::UNAUTHORIZED);

    let refused = app
        .post_form(
            "/account/tokens",
            &[
                ("token_name", ""),
                ("token_scope", "read"),
                ("token_days", "1000"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert_eq!(field_error(&html, "token_name"), "Name is required.");
    assert_eq!(
        field_error(&html, "token_days"),
        "Expires after (days) must be between 1 and 365."
    );
}

#[tokio::test]
async fn tasks_name_a_unit_without_a_head_and_staff_have_nothing_to_do() {
    let app = TestApp::new().await;
    let unit = app.unit("Finance", None).await;
    let html = app.get("/tasks").await.text();
    assert!(html.contains("1 unit without a head"), "{html}");
    assert!(html.contains(&format!(r#"<a href="/units/{unit}">Finance</a>"#)));
    assert!(html.contains(&format!(r#"<a href="/units/{unit}/edit">Name a head"#)));
    assert!(html.contains("1 active person without a unit"), "the admin");
    assert!(html.contains("<dt>Admin</dt><dd>Manages accounts and roles"));
    assert!(!html.contains("Nothing needs your attention"));

    let staff = TestApp::as_role(Role::Staff).await;
    let html = staff.get("/tasks").await.text();
    assert!(html.contains("Nothing needs your attention"), "{html}");
    assert!(html.contains("<dt>Staff</dt><dd>Reads and acknowledges"));
    assert!(!html.contains("without a head"));
}

#[tokio::test]
async fn tasks_show_a_managers_team_and_reports_of_a_departed_manager() {
    let app = TestApp::new().await;
    let admin = app
        .store()
        .person_by_email("admin@example.test")
        .await
        .expect("lookup")
        .expect("the admin's person");
    let ada = app
        .person(
            "Ada Report",
            "ada@example.test",
            Some(&admin.id.to_string()),
        )
        .await;
    let boss = app.person("Old Boss", "boss@example.test", None).await;
    let left_behind = app
        .person("Left Behind", "left@example.test", Some(&boss))
        .await;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let departed = app
        .post_json(
            &format!("/api/v1/people/{boss}/deactivate"),
            json!({ "departed_on": today }),
        )
        .await;
    assert_eq!(departed.status, StatusCode::OK, "{}", departed.text());

    let html = app.get("/tasks").await.text();
    assert!(
        html.contains(r#"Your direct reports <span class="count">1</span>"#),
        "{html}"
    );
    assert!(html.contains(&format!(r#"<a href="/people/{ada}">Ada Report</a>"#)));
    assert!(
        html.contains("1 active person whose manager has departed"),
        "{html}"
    );
    assert!(html.contains(&format!(
        r#"<a href="/people/{left_behind}/edit">Choose a new manager"#
    )));
}

#[tokio::test]
async fn the_identity_pages_carry_no_inline_script_or_style() {
    let app = TestApp::new().await;
    let id = account_id(&app, "admin@example.test").await;
    app.unit("Finance", None).await;
    for path in [
        "/tasks".to_owned(),
        "/account".to_owned(),
        "/admin/accounts".to_owned(),
        format!("/admin/accounts/{id}"),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_no_inline_script_or_style(&response.text());
    }
}

/// A day counted from today, as `<input type="date">` sends it.
fn day(offset: i64) -> String {
    (time::OffsetDateTime::now_utc().date() + time::Duration::days(offset)).to_string()
}

#[tokio::test]
async fn an_admin_gives_an_auditor_a_last_day_and_the_list_shows_when_it_ended() {
    let app = TestApp::new().await;
    let form = app.get("/admin/accounts").await.text();
    assert!(
        form.contains(r#"<input type="date" id="expires_on" name="expires_on" value="""#),
        "{form}"
    );
    assert!(form.contains("For an auditor, the last day of the audit engagement"));
    assert!(
        form.contains(&format!("starting today ends on {}", day(30))),
        "{form}"
    );

    app.person("Ines Auditor", "ines@example.test", None).await;
    let past = app
        .post_form(
            "/admin/accounts",
            &[
                ("email", "ines@example.test"),
                ("roles", "auditor"),
                ("password", "a long first password"),
                ("expires_on", &day(-1)),
            ],
        )
        .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = past.text();
    assert!(
        field_error(&html, "expires_on").starts_with("Last day of access must not be in the past"),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"value="{}""#, day(-1))),
        "keeps what was typed"
    );
    assert!(
        html.contains(r##"<a href="#expires_on">"##),
        "in the summary"
    );

    let created = app
        .post_form(
            "/admin/accounts",
            &[
                ("email", "ines@example.test"),
                ("roles", "auditor"),
                ("password", "a long first password"),
                ("expires_on", &day(30)),
            ],
        )
        .await;
    assert_eq!(location(&created), "/admin/accounts?flash=created");
    let list = app.get("/admin/accounts").await.text();
    assert!(list.contains("2 active · 0 expired · 0 disabled"), "{list}");
    assert!(
        list.contains(&format!(r#"Ends <time datetime="{}""#, day(30))),
        "{list}"
    );

    // The engagement was set to end yesterday: the list now shows the account as expired.
    let id: uuid::Uuid = account_id(&app, "ines@example.test")
        .await
        .parse()
        .expect("id");
    let yesterday = time::OffsetDateTime::now_utc().date() - time::Duration::days(1);
    charter::store::AccountAccessStore::change_account_access(
        app.store(),
        &charter::domain::Actor::cli(),
        id,
        None,
        Some(Some(yesterday)),
        yesterday,
    )
    .await
    .expect("ended");
    let list = app.get("/admin/accounts").await.text();
    assert!(list.contains("1 active · 1 expired · 0 disabled"), "{list}");
    assert!(
        list.contains(r#"<span class="badge grey">Expired</span>"#),
        "{list}"
    );
    assert!(
        list.contains(&format!(r#"Ended <time datetime="{yesterday}""#)),
        "{list}"
    );
}

#[tokio::test]
async fn the_account_page_moves_or_removes_the_last_day_with_the_roles() {
    let app = TestApp::new().await;
    let id = create_account(&app, "Ines Auditor", "ines@example.test", &["auditor"]).await;
    let page = app.get(&format!("/admin/accounts/{id}")).await.text();
    assert!(page.contains("<dt>Access</dt><dd>No end</dd>"), "{page}");

    let uri = format!("/admin/accounts/{id}/roles");
    let set = app
        .post_form(&uri, &[("roles", "auditor"), ("expires_on", &day(10))])
        .await;
    let shown = app.get(&location(&set)).await.text();
    assert!(
        shown.contains("The roles and the end of access were saved."),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(r#"value="{}""#, day(10))),
        "{shown}"
    );
    assert!(shown.contains("Ends <time"), "{shown}");

    let too_far = app
        .post_form(&uri, &[("roles", "auditor"), ("expires_on", &day(400))])
        .await;
    assert_eq!(too_far.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_far
            .text()
            .contains("The last day of access must be at most 366 days ahead for an auditor"),
        "{}",
        too_far.text()
    );
    let garbled = app
        .post_form(&uri, &[("roles", "auditor"), ("expires_on", "next friday")])
        .await;
    assert_eq!(garbled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(garbled.text().contains("YYYY-MM-DD"));

    let roles_only = app
        .post_form(&uri, &[("roles", "auditor"), ("roles", "staff")])
        .await;
    let shown = app.get(&location(&roles_only)).await.text();
    assert!(
        shown.contains("The roles were saved."),
        "without the field the end stays"
    );
    assert!(shown.contains(&format!(r#"value="{}""#, day(10))));

    let removed = app
        .post_form(&uri, &[("roles", "auditor"), ("expires_on", "")])
        .await;
    let shown = app.get(&location(&removed)).await.text();
    assert!(shown.contains("<dt>Access</dt><dd>No end</dd>"), "{shown}");

    let events = app
        .get(&format!(
            "/api/v1/audit-events?record_type=account&record_id={id}&action=account.expiry_changed"
        ))
        .await
        .json();
    assert_eq!(events["total"], 2, "set and removed");
}
