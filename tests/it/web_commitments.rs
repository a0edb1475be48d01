//! Web tests for resource commitments, process integration and managers' briefings (5.1.b,
//! 5.1.c, 5.1.h, A.5.4): what awaits top management comes first and is decided by form with the
//! password; types nobody considered are named; stale processes come first and their owner
//! verifies them; units never briefed are flagged and their head records a briefing; and each of
//! these shows in the right person's "My tasks".

use axum::http::StatusCode;
use charter::domain::access::Role;
use charter::domain::{Actor, UnitInput};

use crate::api_commitments::person_of;
use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse, TestSession};
use crate::web_campaigns::redirect;
use crate::web_trust::post_form_as;

async fn page(app: &TestApp, who: &TestSession, uri: &str) -> String {
    let response = app.get_as(who, uri).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{uri}: {}",
        response.text()
    );
    response.text()
}

async fn post(
    app: &TestApp,
    who: &TestSession,
    uri: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    post_form_as(app, who, uri, fields).await
}

fn briefing_fields<'a>(unit_id: &'a str, today: &'a str) -> [(&'static str, &'a str); 5] {
    [
        ("unit_id", unit_id),
        ("briefed_on", today),
        ("topic", "Reporting phishing"),
        ("staff_count", "9"),
        ("attendee_emails", "bea@example.test"),
    ]
}

fn year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

#[tokio::test]
async fn top_management_decides_a_request_by_form_and_types_not_considered_are_named() {
    let app = TestApp::anonymous().await;
    let mia = app.account_session("mia", &[Role::Manager]).await;
    let bea = app.account_session("bea", &[Role::TopManagement]).await;
    let (start, end) = (format!("{}-01-01", year()), format!("{}-12-31", year()));
    let refused = post(
        &app,
        &mia,
        "/leadership/resources",
        &[
            ("kind", "financial"),
            ("description", ""),
            ("amount", "12.345"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text();
    assert!(text.contains("must have at most two decimals"), "{text}");
    assert!(text.contains("12.345"), "what was typed is kept");

    let fields = [
        ("kind", "personnel"),
        ("description", "A security analyst"),
        ("fte", "1"),
        ("amount", "65000"),
        ("currency", "EUR"),
        ("period_start", start.as_str()),
        ("period_end", end.as_str()),
    ];
    let location = redirect(&post(&app, &mia, "/leadership/resources", &fields).await);
    assert!(location.ends_with("?flash=requested"), "{location}");
    let record = location.trim_end_matches("?flash=requested").to_owned();

    let mine = page(&app, &mia, &record).await;
    assert!(mine.contains("Withdraw the request"));
    let list = page(&app, &bea, "/leadership/resources").await;
    let awaiting = list.find("Awaiting a decision").expect("awaiting section");
    assert!(list[awaiting..].contains("A security analyst"));
    assert!(list.contains("Not considered"));
    assert!(list.contains("Record that none are needed"));

    let decide = format!("{record}/decision");
    let wrong = post(
        &app,
        &bea,
        &decide,
        &[
            ("decision", "approve"),
            ("comment", "Yes"),
            ("password", "nope"),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .contains("This is not your password. Nothing was decided.")
    );
    let done = post(
        &app,
        &bea,
        &decide,
        &[
            ("decision", "approve"),
            ("comment", "Hire in Q2"),
            ("password", TEST_PASSWORD),
        ],
    )
    .await;
    assert!(redirect(&done).ends_with("?flash=approved"));
    let decided = page(&app, &bea, &record).await;
    assert!(decided.contains("Approved") && decided.contains("Hire in Q2"));
    let list = page(&app, &bea, "/leadership/resources").await;
    assert!(list.contains("EUR 65,000.00"), "{list}");
    assert!(list.contains("1 FTE"));
}

#[tokio::test]
async fn stale_processes_come_first_and_their_owner_verifies_them_from_my_tasks() {
    let app = TestApp::anonymous().await;
    let ina = app.account_session("ina", &[Role::IsmsManager]).await;
    let olga = app.account_session("olga", &[Role::Staff]).await;
    let list = page(&app, &ina, "/leadership/processes").await;
    assert!(list.contains("Never verified"));
    assert!(list.contains("HR on- and offboarding"));

    let added = post(
        &app,
        &ina,
        "/leadership/processes",
        &[
            ("name", "Vendor onboarding"),
            ("integration", "Security questionnaire before contract."),
            ("owner_email", "olga@example.test"),
            ("verification_interval_days", "365"),
        ],
    )
    .await;
    let process = redirect(&added)
        .trim_end_matches("?flash=updated")
        .to_owned();
    let tasks = page(&app, &olga, "/tasks").await;
    assert!(
        tasks.contains("Verify how the ISMS is built into Vendor onboarding"),
        "{tasks}"
    );

    let other = app.account_session("otto", &[Role::Staff]).await;
    let refused = app.get_as(&other, &format!("{process}/verify")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let form = page(&app, &olga, &format!("{process}/verify")).await;
    assert!(form.contains("Security questionnaire before contract."));
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let verified = post(
        &app,
        &olga,
        &format!("{process}/verify"),
        &[
            ("verified_on", today.as_str()),
            ("evidence", "Questionnaires 2026"),
        ],
    )
    .await;
    assert!(redirect(&verified).ends_with("?flash=verified"));
    let shown = page(&app, &ina, &process).await;
    assert!(shown.contains("Verified") && shown.contains("Questionnaires 2026"));
    assert!(
        shown.contains("process.verified"),
        "the evidence trail shows it"
    );
    let tasks = page(&app, &olga, "/tasks").await;
    assert!(!tasks.contains("Vendor onboarding"));
}

#[tokio::test]
async fn units_never_briefed_are_flagged_and_their_head_records_a_briefing() {
    let app = TestApp::anonymous().await;
    let mia = app.account_session("mia", &[Role::Manager]).await;
    let bea = app.account_session("bea", &[Role::TopManagement]).await;
    let head = person_of(&app, "mia").await;
    let store = app.store();
    let unit = |name: &str, head_id| UnitInput {
        name: name.into(),
        head_id,
        ..UnitInput::default()
    };
    let sales = store
        .create_unit(&Actor::cli(), unit("Sales", Some(head)))
        .await
        .expect("unit");
    let legal = store
        .create_unit(&Actor::cli(), unit("Legal", None))
        .await
        .expect("unit");
    let tasks = page(&app, &mia, "/tasks").await;
    assert!(tasks.contains("Record a briefing for Sales"), "{tasks}");
    let list = page(&app, &bea, "/leadership/briefings").await;
    assert!(list.contains("Never briefed"));
    assert!(list.contains("2 units were never briefed"), "{list}");

    let form = page(
        &app,
        &mia,
        &format!("/leadership/briefings/new?unit_id={}", sales.id),
    )
    .await;
    assert!(
        form.contains("Sales") && !form.contains("Legal"),
        "only her units are offered"
    );
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let (sales_id, legal_id) = (sales.id.to_string(), legal.id.to_string());
    let recorded = post(
        &app,
        &mia,
        "/leadership/briefings",
        &briefing_fields(&sales_id, &today),
    )
    .await;
    assert!(redirect(&recorded).ends_with("&flash=recorded"));
    let legal_fields = briefing_fields(&legal_id, &today);
    let refused = post(&app, &mia, "/leadership/briefings", &legal_fields).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.text().contains("units you head"));

    let list = page(
        &app,
        &bea,
        &format!("/leadership/briefings?unit_id={}", sales.id),
    )
    .await;
    assert!(list.contains("Briefings of Sales"));
    assert!(list.contains("Reporting phishing") && list.contains("Test bea"));
    let tasks = page(&app, &mia, "/tasks").await;
    assert!(!tasks.contains("Record a briefing for Sales"));
}

#[tokio::test]
async fn a_request_awaits_every_member_of_top_management_but_the_one_who_asked() {
    let app = TestApp::anonymous().await;
    let bea = app.account_session("bea", &[Role::TopManagement]).await;
    let tom = app.account_session("tom", &[Role::TopManagement]).await;
    let (start, end) = (format!("{}-01-01", year()), format!("{}-12-31", year()));
    let fields = [
        ("kind", "financial"),
        ("description", "Phishing simulation licence"),
        ("amount", "4200"),
        ("currency", "EUR"),
        ("period_start", start.as_str()),
        ("period_end", end.as_str()),
    ];
    let location = redirect(&post(&app, &bea, "/leadership/resources", &fields).await);
    let record = location.trim_end_matches("?flash=requested").to_owned();
    let hers = page(&app, &bea, &record).await;
    assert!(hers.contains("another member of top management decides"));
    assert!(
        !hers.contains("Approve the request"),
        "the requester never decides"
    );
    let his = page(&app, &tom, &record).await;
    assert!(his.contains("Approve the request"));
    let tasks = page(&app, &tom, "/tasks").await;
    assert!(
        tasks.contains("1 resource request awaits your decision"),
        "{tasks}"
    );
    assert!(tasks.contains("Phishing simulation licence"));
    let own = page(&app, &bea, "/tasks").await;
    assert!(!own.contains("awaits your decision"));
}
