//! Campaigns through the pages: the ISMS manager launches one by form, staff acknowledge from
//! "My tasks", the campaign page counts them (a manager's only their team), with its charts,
//! and the outbox holds the reminders for admins.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use charter::domain::Actor;
use charter::domain::access::Role;
use serde_json::{Value, json};

use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse, TestSession, person_input};
use crate::web_trust::post_form_as;

/// An organization with two units, a manager and two staff, and a published policy.
pub struct Cast {
    pub app: TestApp,
    pub manager_of_isms: TestSession,
    pub approver: TestSession,
    pub boss: TestSession,
    pub staff: TestSession,
    pub other: TestSession,
    pub admin: TestSession,
    pub policy: String,
    pub version: String,
    pub sales: String,
}

pub async fn cast() -> Cast {
    let app = TestApp::anonymous().await;
    let manager_of_isms = app.account_session("ina", &[Role::IsmsManager]).await;
    let approver = app.account_session("bea", &[Role::TopManagement]).await;
    let boss = app.account_session("max", &[Role::Manager]).await;
    let staff = app.account_session("stu", &[Role::Staff]).await;
    let other = app.account_session("sam", &[Role::Staff]).await;
    let admin = app.account_session("ada", &[Role::Admin]).await;
    let sales = unit(&app, "Sales").await;
    let ops = unit(&app, "Operations").await;
    unit(&app, "Idle unit").await;
    let max = person_id(&app, "max").await;
    place(&app, "stu", Some(sales.as_str()), Some(max.as_str())).await;
    place(&app, "sam", Some(ops.as_str()), None).await;
    let (policy, version) = published_policy(&app, &manager_of_isms, &approver).await;
    Cast {
        app,
        manager_of_isms,
        approver,
        boss,
        staff,
        other,
        admin,
        policy,
        version,
        sales,
    }
}

async fn unit(app: &TestApp, name: &str) -> String {
    let input = charter::domain::UnitInput {
        name: name.into(),
        ..Default::default()
    };
    let unit = app
        .store()
        .create_unit(&Actor::named("test"), input)
        .await
        .expect("unit");
    unit.id.to_string()
}

async fn person_id(app: &TestApp, label: &str) -> String {
    let email = format!("{label}@example.test");
    let person = app.store().person_by_email(&email).await.expect("lookup");
    person.expect("person").id.to_string()
}

/// Puts `<label>@example.test` in a unit and under a manager.
async fn place(app: &TestApp, label: &str, unit: Option<&str>, manager: Option<&str>) {
    let email = format!("{label}@example.test");
    let person = app
        .store()
        .person_by_email(&email)
        .await
        .expect("lookup")
        .expect("person");
    let mut input = person_input(&person.name, &email);
    input.unit_id = unit.map(|u| u.parse().expect("unit id"));
    input.manager_id = manager.map(|m| m.parse().expect("manager id"));
    let today = time::OffsetDateTime::now_utc().date();
    app.store()
        .update_person(&Actor::named("test"), person.id, input, today)
        .await
        .expect("update person");
}

async fn call(app: &TestApp, who: &TestSession, uri: &str, body: Value) -> Value {
    let response = app.json_as(who, Method::POST, uri, body).await;
    assert!(response.status.is_success(), "{uri}: {}", response.text());
    response.json()
}

/// A published policy for everyone, written by `writer` and signed off by `approver`.
pub async fn published_policy(
    app: &TestApp,
    writer: &TestSession,
    approver: &TestSession,
) -> (String, String) {
    let owner = person_id(app, "ina").await;
    let request = json!({
        "title": "Acceptable Use", "kind": "topic_specific", "owner_id": owner,
        "visibility": "internal", "body": "# Acceptable use\n\nUse company devices for work.\n",
    });
    let created = call(app, writer, "/api/v1/policies", request).await;
    let version = created["draft"]["id"].as_str().expect("version").to_owned();
    approve_and_publish(app, writer, approver, &version).await;
    let policy = created["policy"]["id"].as_str().expect("policy").to_owned();
    (policy, version)
}

async fn approve_and_publish(
    app: &TestApp,
    writer: &TestSession,
    approver: &TestSession,
    version: &str,
) {
    let step = |s: &str| format!("/api/v1/policy-versions/{version}/{s}");
    call(app, writer, &step("submit"), Value::Null).await;
    let approval = json!({ "password": TEST_PASSWORD, "statement": "Approved." });
    call(app, approver, &step("approve"), approval).await;
    call(app, writer, &step("publish"), Value::Null).await;
}

pub fn in_days(days: i64) -> String {
    let date = time::OffsetDateTime::now_utc().date() + time::Duration::days(days);
    date.to_string()
}

pub fn redirect(response: &TestResponse) -> String {
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
    response.header("location").expect("a redirect").to_owned()
}

impl Cast {
    /// Launches through the form; returns the campaign's page address.
    pub async fn launch(&self, audience: &[(&str, &str)]) -> String {
        let mut fields = vec![
            ("version_id", self.version.as_str()),
            ("due_on", "PLACEHOLDER"),
            ("days_before", "7"),
            ("on_due_date", "yes"),
            ("every_days_after", "7"),
            ("statement", "I have read it and will follow it."),
        ];
        let due = in_days(14);
        fields[1].1 = due.as_str();
        fields.extend_from_slice(audience);
        let response = post_form_as(&self.app, &self.manager_of_isms, "/campaigns", &fields).await;
        let location = redirect(&response);
        assert!(location.ends_with("?flash=launched"), "{location}");
        location.trim_end_matches("?flash=launched").to_owned()
    }

    async fn page(&self, who: &TestSession, uri: &str) -> String {
        let response = self.app.get_as(who, uri).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{uri}: {}",
            response.text()
        );
        response.text()
    }
}

fn campaign_id(page: &str) -> &str {
    page.trim_start_matches("/campaigns/")
}

#[tokio::test]
async fn an_isms_manager_launches_a_campaign_by_form_and_lands_on_its_counts() {
    let c = cast().await;
    let form = c.page(&c.manager_of_isms, "/campaigns/new").await;
    assert!(form.contains("Acceptable Use, version 1.0"), "{form}");
    assert!(form.contains(r#"type="date""#));

    let campaign = c.launch(&[("audience", "everyone")]).await;
    let page = c
        .page(&c.manager_of_isms, &format!("{campaign}?flash=launched"))
        .await;
    assert!(page.contains("The campaign was launched"), "{page}");
    // Six accounts, six active people: nobody has acknowledged yet.
    assert!(page.contains("acknowledged of 6"), "{page}");
    assert!(page.contains(r#"<span class="figure-number">0%</span>"#));
    assert!(page.contains("7 day(s) before, on the due date, every 7 day(s) after"));
    let list = c.page(&c.manager_of_isms, "/campaigns").await;
    assert!(list.contains(&format!(r#"href="{campaign}""#)), "{list}");
    assert!(list.contains("0 of 6 acknowledged, 6 pending, 0 overdue"));
}

#[tokio::test]
async fn the_form_gives_readable_reasons_and_launches_nothing() {
    let c = cast().await;
    let fields = [
        ("version_id", c.version.as_str()),
        ("audience", "units"),
        ("due_on", &in_days(-1)),
        ("statement", "Read it."),
    ];
    let response = post_form_as(&c.app, &c.manager_of_isms, "/campaigns", &fields).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text();
    assert!(text.contains(r#"id="due_on-error""#), "{text}");
    assert!(text.contains("Due date is in the past: choose today or a later date."));
    assert!(text.contains(r#"id="audience-error""#));
    assert!(text.contains("names nobody"), "{text}");
    assert!(text.contains("Read it."), "what was typed stays");

    let draft = call(
        &c.app,
        &c.manager_of_isms,
        &format!("/api/v1/policies/{}/versions", c.policy),
        json!({ "body": "# Acceptable use\n\nA new rule.\n", "is_major": true }),
    )
    .await;
    let draft_id = draft["id"].as_str().expect("draft");
    let fields = [
        ("version_id", draft_id),
        ("audience", "everyone"),
        ("due_on", &in_days(10)),
    ];
    let response = post_form_as(&c.app, &c.manager_of_isms, "/campaigns", &fields).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text();
    assert!(text.contains(r#"id="version_id-error""#), "{text}");
    assert!(
        text.contains("is draft: only the published version"),
        "{text}"
    );

    let list = c.page(&c.manager_of_isms, "/campaigns").await;
    assert!(
        list.contains("No campaign here yet"),
        "nothing was launched"
    );
}

#[tokio::test]
async fn an_unknown_email_among_named_people_is_named_beside_the_field() {
    let c = cast().await;
    let fields = [
        ("version_id", c.version.as_str()),
        ("audience", "people"),
        ("people", "stu@example.test\nnobody@example.test"),
        ("due_on", &in_days(10)),
    ];
    let response = post_form_as(&c.app, &c.manager_of_isms, "/campaigns", &fields).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text();
    assert!(text.contains(r#"id="people-error""#), "{text}");
    assert!(
        text.contains("No one has the email nobody@example.test"),
        "{text}"
    );
}

#[tokio::test]
async fn staff_acknowledge_from_my_tasks_and_the_campaign_counts_it() {
    let c = cast().await;
    let campaign = c.launch(&[("audience", "everyone")]).await;
    let id = campaign_id(&campaign);
    let reading = format!("/acknowledge/{id}");

    let tasks = c.page(&c.staff, "/tasks").await;
    assert!(
        tasks.contains("1 policy awaits your acknowledgment"),
        "{tasks}"
    );
    assert!(tasks.contains(&format!(r#"href="{reading}""#)));

    let version = c
        .app
        .json_as(
            &c.staff,
            Method::GET,
            &format!("/api/v1/policy-versions/{}", c.version),
            Value::Null,
        )
        .await
        .json();
    let hash = version["content_hash"].as_str().expect("hash");
    let page = c.page(&c.staff, &reading).await;
    assert!(page.contains("version 1.0"), "{page}");
    assert!(page.contains(hash), "the exact content hash is shown");
    assert!(page.contains("Use company devices for work."));
    assert!(page.contains("I have read it and will follow it."));

    let response = post_form_as(&c.app, &c.staff, &reading, &[("version_id", &c.version)]).await;
    assert_eq!(redirect(&response), format!("{reading}?flash=acknowledged"));
    let done = c
        .page(&c.staff, &format!("{reading}?flash=acknowledged"))
        .await;
    assert!(done.contains("Thank you: your acknowledgment is recorded."));
    assert!(done.contains("Acknowledged on"), "{done}");
    assert!(done.contains(&format!(
        "version 1.0, hash <code class=\"hash\">{hash}</code>"
    )));
    assert!(!done.contains(">Acknowledge</button>"), "no second button");

    let tasks = c.page(&c.staff, "/tasks").await;
    assert!(!tasks.contains(&reading), "the task is gone: {tasks}");
    let counts = c.page(&c.manager_of_isms, &campaign).await;
    assert!(
        counts.contains("1</span> <span class=\"figure-label\">acknowledged of 6"),
        "{counts}"
    );
    let acknowledged = c
        .page(
            &c.manager_of_isms,
            &format!("{campaign}?state=acknowledged"),
        )
        .await;
    assert!(acknowledged.contains("Test stu"), "{acknowledged}");
    assert!(!acknowledged.contains("Test sam"));
    let csv_href = acknowledged
        .split("href=\"")
        .map(|rest| rest.split('"').next().unwrap_or_default())
        .find(|href| href.contains("acknowledgments.csv"))
        .expect("a Download CSV link")
        .replace("&amp;", "&");
    let csv = c.app.get_as(&c.manager_of_isms, &csv_href).await;
    assert_eq!(
        csv.status,
        StatusCode::OK,
        "the link works with the session"
    );
    let rows = csv.text();
    assert!(rows.contains("stu@example.test"), "{rows}");
    assert!(
        !rows.contains("sam@example.test"),
        "the download keeps the filter"
    );
}

#[tokio::test]
async fn a_replaced_version_is_refused_with_a_way_to_the_current_one() {
    let c = cast().await;
    let campaign = c.launch(&[("audience", "everyone")]).await;
    let reading = format!("/acknowledge/{}", campaign_id(&campaign));
    let stale = uuid::Uuid::now_v7().to_string();
    let response = post_form_as(&c.app, &c.staff, &reading, &[("version_id", &stale)]).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    let text = response.text();
    assert!(
        text.contains("Read version 1.0 and acknowledge that. Nothing was recorded."),
        "{text}"
    );
    assert!(text.contains(&format!(r#"<a href="{reading}">Read version 1.0"#)));
    let tasks = c.page(&c.staff, "/tasks").await;
    assert!(tasks.contains(&reading), "still to do");
}

#[tokio::test]
async fn only_the_audience_may_read_and_anonymous_readers_sign_in_first() {
    let c = cast().await;
    let campaign = c
        .launch(&[("audience", "people"), ("people", "stu@example.test")])
        .await;
    let reading = format!("/acknowledge/{}", campaign_id(&campaign));
    let outsider = c.app.get_as(&c.other, &reading).await;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND);
    assert!(outsider.text().contains("Nothing to acknowledge here"));
    let posted = post_form_as(&c.app, &c.other, &reading, &[("version_id", &c.version)]).await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);

    let request = Request::get(&reading).body(Body::empty()).expect("request");
    let anonymous = c.app.send_raw(request).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    let next = charter::web::encode_component(&reading);
    assert_eq!(
        anonymous.header("location"),
        Some(format!("/sign-in?next={next}").as_str())
    );
}

#[tokio::test]
async fn a_manager_sees_their_team_only_and_may_remind_it() {
    let c = cast().await;
    let campaign = c.launch(&[("audience", "everyone")]).await;
    let page = c.page(&c.boss, &campaign).await;
    assert!(page.contains("Your team."), "{page}");
    assert!(page.contains("Test stu"), "{page}");
    assert!(!page.contains("Test sam"), "not in their team");
    assert!(page.contains("acknowledged of 1"));
    assert!(
        !page.contains("Close campaign"),
        "managers do not close campaigns"
    );

    let remind = post_form_as(&c.app, &c.boss, &format!("{campaign}/remind"), &[]).await;
    assert_eq!(
        redirect(&remind),
        format!("{campaign}?flash=reminded&queued=1")
    );
    let again = post_form_as(&c.app, &c.boss, &format!("{campaign}/remind"), &[]).await;
    let flashed = c.page(&c.boss, &redirect(&again)).await;
    assert!(
        flashed.contains("No reminder was queued"),
        "one a day per person"
    );
}

#[tokio::test]
async fn staff_are_refused_campaigns_and_the_outbox_is_for_admins() {
    let c = cast().await;
    let campaign = c.launch(&[("audience", "everyone")]).await;
    assert_eq!(
        c.app.get_as(&c.staff, "/campaigns").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.app.get_as(&c.staff, &campaign).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.app.get_as(&c.manager_of_isms, "/outbox").await.status,
        StatusCode::FORBIDDEN
    );

    let remind = post_form_as(
        &c.app,
        &c.manager_of_isms,
        &format!("{campaign}/remind"),
        &[],
    )
    .await;
    assert_eq!(
        redirect(&remind),
        format!("{campaign}?flash=reminded&queued=6")
    );
    let outbox = c.page(&c.admin, "/outbox?status=queued").await;
    assert!(
        outbox.contains("Please acknowledge: Acceptable Use"),
        "{outbox}"
    );
    assert!(outbox.contains("stu@example.test"));
    let message = outbox
        .split("href=\"/outbox/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a message link");
    let shown = c.page(&c.admin, &format!("/outbox/{message}")).await;
    assert!(
        shown.contains(&format!("/acknowledge/{}", campaign_id(&campaign))),
        "{shown}"
    );
    let retry = post_form_as(&c.app, &c.admin, &format!("/outbox/{message}/retry"), &[]).await;
    assert_eq!(
        retry.status,
        StatusCode::CONFLICT,
        "a queued message is not retried"
    );
}

#[tokio::test]
async fn the_campaign_page_draws_one_bar_per_unit_with_people_and_the_trend() {
    let c = cast().await;
    let campaign = c.launch(&[("audience", "everyone")]).await;
    let reading = format!("/acknowledge/{}", campaign_id(&campaign));
    post_form_as(&c.app, &c.staff, &reading, &[("version_id", &c.version)]).await;

    let page = c.page(&c.manager_of_isms, &campaign).await;
    assert_eq!(
        page.matches("<rect class=\"bar ").count(),
        2,
        "Sales and Operations: {page}"
    );
    assert!(page.contains("<title id=\"coverage-by-unit-title\">Acknowledged by unit</title>"));
    assert!(page.contains("<rect class=\"bar good\""), "Sales: 1 of 1");
    assert!(
        page.contains("<rect class=\"bar lagging\""),
        "Operations: 0 of 1"
    );
    assert!(
        !page.contains(">Idle unit</a>"),
        "a unit with nobody has no bar"
    );
    assert!(page.contains("<polyline class=\"trend-line\""));
    assert!(page.contains("<desc id=\"coverage-trend-desc\">"));
    assert!(
        page.contains(&format!("?unit_id={}", c.sales)),
        "the table beside the bars"
    );
}

#[tokio::test]
async fn closing_a_campaign_needs_the_box_and_ends_acknowledging() {
    let c = cast().await;
    let campaign = c.launch(&[("audience", "everyone")]).await;
    let close = format!("{campaign}/close");
    let unconfirmed = post_form_as(&c.app, &c.manager_of_isms, &close, &[]).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let closed = post_form_as(&c.app, &c.manager_of_isms, &close, &[("confirm", "yes")]).await;
    assert_eq!(redirect(&closed), format!("{campaign}?flash=closed"));
    let reading = format!("/acknowledge/{}", campaign_id(&campaign));
    let page = c.page(&c.staff, &reading).await;
    assert!(page.contains("This campaign is closed"), "{page}");
    let refused = post_form_as(&c.app, &c.staff, &reading, &[("version_id", &c.version)]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn publishing_a_major_version_offers_and_launches_a_campaign() {
    let c = cast().await;
    let draft = call(
        &c.app,
        &c.manager_of_isms,
        &format!("/api/v1/policies/{}/versions", c.policy),
        json!({ "body": "# Acceptable use\n\nNo personal use.\n", "is_major": true }),
    )
    .await;
    let version = draft["id"].as_str().expect("draft").to_owned();
    let step = |s: &str| format!("/api/v1/policy-versions/{version}/{s}");
    call(&c.app, &c.manager_of_isms, &step("submit"), Value::Null).await;
    let approval = json!({ "password": TEST_PASSWORD, "statement": "Approved." });
    call(&c.app, &c.approver, &step("approve"), approval).await;

    let page = c
        .page(&c.manager_of_isms, &format!("/policies/versions/{version}"))
        .await;
    assert!(
        page.contains("Ask the policy's audience to acknowledge this version"),
        "{page}"
    );
    assert!(page.contains(r#"name="reacknowledge" value="yes" checked"#));
    let fields = [
        ("confirm", "yes"),
        ("reacknowledge", "yes"),
        ("days_to_acknowledge", "21"),
    ];
    let published = post_form_as(
        &c.app,
        &c.manager_of_isms,
        &format!("/policies/versions/{version}/publish"),
        &fields,
    )
    .await;
    let location = redirect(&published);
    assert!(location.ends_with("?flash=published"), "{location}");
    let campaign = c.page(&c.manager_of_isms, &location).await;
    assert!(campaign.contains("The version was published and is now in force, and this campaign"));
    assert!(campaign.contains("version 2.0"), "{campaign}");
    assert!(campaign.contains(&in_days(21)), "due in 21 days");
    let tasks = c.page(&c.staff, "/tasks").await;
    assert!(tasks.contains("Acceptable Use, version 2.0"), "{tasks}");
}
