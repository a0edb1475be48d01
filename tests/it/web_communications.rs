//! Top-management communications through the pages: top management records one by form and may
//! email it to its audience; others read the record but may not write it.

use axum::http::StatusCode;
use charter::domain::access::Role;

use crate::helpers::TestApp;
use crate::web_campaigns::{in_days, redirect};
use crate::web_trust::post_form_as;

#[tokio::test]
async fn top_management_records_a_communication_and_emails_it_to_everyone() {
    let app = TestApp::anonymous().await;
    let chief = app.account_session("cora", &[Role::TopManagement]).await;
    let isms = app.account_session("ina", &[Role::IsmsManager]).await;
    app.account_session("stu", &[Role::Staff]).await;

    let form = app.get_as(&chief, "/communications/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text());
    assert!(form.text().contains("Also email it to the audience"));
    let today = in_days(0);
    let fields = [
        ("subject", "Why we lock our screens"),
        ("audience", "everyone"),
        ("channel", "town_hall"),
        ("communicated_on", today.as_str()),
        (
            "body",
            "Security is everyone's job: lock your screen when you step away.",
        ),
        ("send_email", "yes"),
    ];
    let response = post_form_as(&app, &chief, "/communications", &fields).await;
    let location = redirect(&response);
    assert!(location.ends_with("?flash=recorded"), "{location}");

    let page = app.get_as(&isms, &location).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("Why we lock our screens"), "{text}");
    assert!(text.contains("Town hall"));
    assert!(text.contains("Test cora"), "the author is named");
    assert!(text.contains("<dt>Emails queued</dt><dd>3</dd>"), "{text}");
    let list = app.get_as(&isms, "/communications").await.text();
    assert!(list.contains("Why we lock our screens"), "{list}");
    assert!(
        !list.contains("Record a communication</a>"),
        "ISMS managers do not record"
    );
}

#[tokio::test]
async fn the_form_is_for_top_management_only() {
    let app = TestApp::anonymous().await;
    let isms = app.account_session("ina", &[Role::IsmsManager]).await;
    let staff = app.account_session("stu", &[Role::Staff]).await;
    assert_eq!(
        app.get_as(&isms, "/communications/new").await.status,
        StatusCode::FORBIDDEN
    );
    let fields = [("subject", "Hello"), ("audience", "everyone")];
    let posted = post_form_as(&app, &isms, "/communications", &fields).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_as(&isms, "/communications").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as(&staff, "/communications").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_refused_communication_shows_each_reason_beside_its_field() {
    let app = TestApp::anonymous().await;
    let chief = app.account_session("cora", &[Role::TopManagement]).await;
    let fields = [
        ("subject", ""),
        ("audience", "roles"),
        ("channel", "meeting"),
        ("communicated_on", &in_days(3)),
        ("body", "Kept as typed"),
    ];
    let response = post_form_as(&app, &chief, "/communications", &fields).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text();
    assert!(text.contains(r#"id="subject-error""#), "{text}");
    assert!(text.contains(r#"id="communicated_on-error""#));
    assert!(text.contains("is in the future"));
    assert!(text.contains(r#"id="audience-error""#));
    assert!(text.contains("Kept as typed"));
    let list = app.get_as(&chief, "/communications").await.text();
    assert!(
        list.contains("No communication is recorded yet"),
        "nothing was recorded"
    );
}
