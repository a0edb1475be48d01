//! Web tests for the confidential reporting channel: concerns, follow-up codes and the answers (A.6.8).
//!
//! The report page says what is kept, takes a report without signing in and shows the code
//! once; the follow-up page reads the answers and takes replies with the code in the form body;
//! handlers answer and move concerns from their pages; the channel is linked from the sign-in
//! page, every page's footer, the escalation page and the trust page.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use charter::domain::access::Role;

use crate::helpers::{TestApp, TestResponse};

/// A form post with no session at all.
async fn post_anonymously(app: &TestApp, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
    let body = serde_urlencoded::to_string(fields).expect("form");
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    app.send_raw(request).await
}

async fn get_anonymously(app: &TestApp, uri: &str) -> TestResponse {
    app.send_raw(Request::get(uri).body(Body::empty()).expect("request"))
        .await
}

/// The code shown on the confirmation page.
fn shown_code(page: &str) -> String {
    let start = page
        .find(r#"<code id="follow-up-code">"#)
        .expect("the code is shown")
        + r#"<code id="follow-up-code">"#.len();
    let end = start + page[start..].find("</code>").expect("end of the code");
    page[start..end].to_owned()
}

async fn report_by_form(app: &TestApp, description: &str, contact: &str) -> String {
    let response = post_anonymously(
        app,
        "/report",
        &[
            ("category", "security_incident"),
            ("description", description),
            ("contact", contact),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    shown_code(&response.text())
}

#[tokio::test]
async fn the_report_page_says_what_is_kept_and_shows_the_code_once() {
    let app = TestApp::anonymous().await;
    let form = get_anonymously(&app, "/report").await;
    assert_eq!(form.status, StatusCode::OK);
    let text = form.text();
    for promise in [
        "the category you choose, your description, your contact details only if you give them, the time the report is received",
        "your name, your account",
        "your browser or device",
        "<strong>Your network address</strong> is never stored or logged: only a keyed hash of it is held in memory for at most a minute",
        "only the people holding the concern handler role",
        "acknowledges receipt within 2 days and answers within 7 days",
        r#"href="/report/follow-up""#,
    ] {
        assert!(text.contains(promise), "the form says {promise:?}");
    }
    assert!(text.contains(r#"name="viewport""#), "usable on a phone");
    assert!(
        text.contains(r#"class="record-form report-form" autocomplete="off""#),
        "the browser keeps no form history of a report"
    );
    let code_form = get_anonymously(&app, "/report/follow-up").await.text();
    assert!(code_form.contains(r#"class="record-form follow-up-form" autocomplete="off""#));

    let received = post_anonymously(
        &app,
        "/report",
        &[
            ("category", "security_incident"),
            (
                "description",
                "A USB stick labelled payroll in the car park.",
            ),
        ],
    )
    .await;
    assert_eq!(received.status, StatusCode::OK, "{}", received.text());
    let page = received.text();
    let code = shown_code(&page);
    // The targets come from the receipt itself, with their dates.
    let at = |class: &str| {
        let marker = if class.is_empty() {
            r#"<time datetime=""#.to_owned()
        } else {
            format!(r#"<time class="{class}" datetime=""#)
        };
        let start = page.find(&marker).expect(class) + marker.len();
        let text = &page[start..start + 20];
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .expect("a time")
    };
    assert!(
        page.contains("acknowledges receipt within 2 days (by"),
        "{page}"
    );
    assert_eq!(at("receipt-due") - at(""), time::Duration::days(2));
    assert_eq!(at("response-due") - at(""), time::Duration::days(7));
    assert_eq!(code.len(), 34);
    assert!(!code.contains(' '));

    let opened =
        post_anonymously(&app, "/report/follow-up", &[("code", &code.to_lowercase())]).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text());
    let page = opened.text();
    assert!(page.contains("A USB stick labelled payroll in the car park."));
    assert!(page.contains("No answer yet"));
    assert!(page.contains(r#"action="/report/follow-up/reply""#));

    let replied = post_anonymously(
        &app,
        "/report/follow-up/reply",
        &[("code", &code), ("message", "It was there on Tuesday too.")],
    )
    .await;
    assert_eq!(replied.status, StatusCode::OK, "{}", replied.text());
    assert!(replied.text().contains("Your reply was sent."));
    assert!(replied.text().contains("It was there on Tuesday too."));

    let wrong = post_anonymously(&app, "/report/follow-up", &[("code", "K7QM-3XPA")]).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(wrong.text().contains("No report matches this code."));
    let wrong_reply = post_anonymously(
        &app,
        "/report/follow-up/reply",
        &[("code", "nothing"), ("message", "hello")],
    )
    .await;
    assert_eq!(
        wrong_reply.text(),
        wrong.text(),
        "the same answer whatever the reason"
    );
}

#[tokio::test]
async fn a_refused_report_comes_back_with_its_messages_and_what_was_typed() {
    let app = TestApp::anonymous().await;
    let response = post_anonymously(
        &app,
        "/report",
        &[
            ("category", ""),
            ("description", "   "),
            ("contact", "ext. 4411"),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text();
    assert!(page.contains("Choose what it is about."), "{page}");
    assert!(page.contains("What happened is required"), "{page}");
    assert!(page.contains(r#"value="ext. 4411""#), "the contact is kept");
    let reply = post_anonymously(
        &app,
        "/report/follow-up/reply",
        &[
            (
                "code",
                &report_by_form(&app, "Tailgating at gate B.", "").await,
            ),
            ("message", " "),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.text().contains("Your reply is required."),
        "{}",
        reply.text()
    );
}

#[tokio::test]
async fn a_signed_in_reporter_sees_the_report_is_not_linked_to_them() {
    let app = TestApp::as_role(Role::Staff).await;
    let elsewhere = app.get("/tasks").await;
    assert!(
        elsewhere.text().contains("Test staff"),
        "signed in elsewhere"
    );
    let form = app.get("/report").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("never read who you are"));
    assert!(
        !form.text().contains("Test staff"),
        "the reporting page does not read the session, so it cannot name the reporter"
    );
    let response = app
        .post_form(
            "/report",
            &[
                ("category", "privacy"),
                ("description", "CVs on the shared drive."),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let trail = app.get("/audit").await;
    assert_eq!(
        trail.status,
        StatusCode::FORBIDDEN,
        "staff read no audit trail"
    );
}

#[tokio::test]
async fn handlers_answer_and_move_a_concern_from_its_pages() {
    let app = TestApp::as_role(Role::ConcernHandler).await;
    let code = report_by_form(&app, "Door badge cloned by a visitor.", "desk 14").await;
    let list = app.get("/concerns").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    assert_eq!(
        list.header("cache-control"),
        Some("no-store"),
        "no cache keeps the list"
    );
    let page = list.text();
    assert!(page.contains("Counts up to yesterday"), "{page}");
    assert!(page.contains("Door badge cloned by a visitor."));
    assert!(!page.contains("desk 14"), "no contact details in the list");
    let href = page
        .match_indices(r#"href="/concerns/"#)
        .filter_map(|(i, _)| page.get(i + 6..i + 52))
        .find(|h| uuid::Uuid::parse_str(&h[10..]).is_ok())
        .expect("a link to the concern")
        .to_owned();

    let shown = app.get(&href).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(
        shown.header("cache-control"),
        Some("no-store"),
        "nor the concern"
    );
    assert!(
        shown.text().contains("desk 14"),
        "the handler sees the contact"
    );
    assert!(shown.text().contains("Acknowledge receipt"));
    let answered = app
        .post_form(
            &format!("{href}/answer"),
            &[("message", "Thanks, we are checking the logs.")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    let after = app.get(&format!("{href}?flash=answered")).await.text();
    assert!(after.contains("Your answer is sent"));
    assert!(after.contains("Thanks, we are checking the logs."));
    assert!(
        after.contains("concern.answered"),
        "the evidence trail names the step"
    );
    let empty = app
        .post_form(&format!("{href}/answer"), &[("message", "")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.header("cache-control"), Some("no-store"));
    assert!(empty.text().contains("Your answer is required."));

    let closed = app
        .post_form(&format!("{href}/status"), &[("status", "closed")])
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert!(app.get(&href).await.text().contains("Reopen"));

    let follow_up = post_anonymously(&app, "/report/follow-up", &[("code", &code)]).await;
    let text = follow_up.text();
    assert!(text.contains("Thanks, we are checking the logs."));
    assert!(
        text.contains("Concern handler"),
        "the answer is signed by the role"
    );
    assert!(
        !text.contains("Test concern_handler"),
        "not by the handler's name"
    );
    assert!(text.contains("This report is closed"));
    assert!(!text.contains(r#"action="/report/follow-up/reply""#));

    let settings = app
        .post_form(
            "/concerns/settings",
            &[
                ("receipt_days", "3"),
                ("response_days", "2"),
                ("reports_per_minute", "30"),
                ("replies_per_minute", "30"),
            ],
        )
        .await;
    assert_eq!(settings.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        settings
            .text()
            .contains("cannot be shorter than the receipt target")
    );
    let saved = app
        .post_form(
            "/concerns/settings",
            &[
                ("receipt_days", "3"),
                ("response_days", "10"),
                ("reports_per_minute", "30"),
                ("replies_per_minute", "40"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let closed_form = get_anonymously(&app, "/report").await.text();
    assert!(closed_form.contains("The channel takes no new reports at the moment"));
    assert!(!closed_form.contains(r#"action="/report""#));
}

#[tokio::test]
async fn the_channel_is_linked_from_sign_in_footer_escalation_and_trust() {
    let app = TestApp::as_role(Role::Staff).await;
    for page in ["/", "/escalation"] {
        let text = app.get(page).await.text();
        assert!(
            text.contains(r#"href="/report""#),
            "{page} links to the channel"
        );
    }
    let escalation = app.get("/escalation").await.text();
    assert!(escalation.contains("confidential reporting channel"));
    for page in ["/sign-in", "/trust"] {
        let text = get_anonymously(&app, page).await.text();
        assert!(
            text.contains(r#"<a href="/report">Report a concern</a>"#)
                || text.contains(r#"<a href="/report">reporting channel</a>"#),
            "{page} links to the channel"
        );
    }
}

#[tokio::test]
async fn my_tasks_name_the_concerns_past_their_target_and_those_to_acknowledge() {
    use charter::domain::concern::{ConcernCategory, ConcernInput};
    let app = TestApp::as_role(Role::ConcernHandler).await;
    let store = app.store();
    let input = |category, description: &str| ConcernInput {
        category,
        description: description.into(),
        contact: None,
    };
    let long_ago = time::OffsetDateTime::now_utc() - time::Duration::days(30);
    // More than any list of them would hold: the task counts them all.
    for n in 0..101 {
        let at = long_ago + time::Duration::minutes(n);
        let text = format!("Old router firmware {n}.");
        let reported = store.report_concern(input(ConcernCategory::Vulnerability, &text), at);
        reported.await.expect("reported");
    }
    let tasks = app.get("/tasks").await.text();
    assert!(tasks.contains("101 concerns past their target"), "{tasks}");
    assert!(tasks.contains("Concern (vulnerability): receipt not acknowledged"));
    assert!(
        !tasks.contains("to acknowledge"),
        "nothing is merely due yet"
    );

    let yesterday = time::OffsetDateTime::now_utc() - time::Duration::days(1);
    let fresh = input(ConcernCategory::Privacy, "Payslips in the recycling bin.");
    store
        .report_concern(fresh, yesterday)
        .await
        .expect("reported");
    let tasks = app.get("/tasks").await.text();
    assert!(tasks.contains("1 concern to acknowledge"), "{tasks}");
    assert!(
        tasks.contains("Concern (privacy): receipt due in 1 day"),
        "{tasks}"
    );
    assert!(tasks.contains(r#"href="/concerns?status=received""#));
    let staff = TestApp::as_role(Role::Staff).await;
    let theirs = staff.get("/tasks").await.text();
    assert!(!theirs.contains("concerns past") && !theirs.contains("to acknowledge"));
}

#[tokio::test]
async fn one_place_sending_too_many_reports_is_asked_to_wait_with_its_text_kept() {
    let app = TestApp::anonymous().await;
    for n in 0..5 {
        report_by_form(&app, &format!("Report number {n}."), "").await;
    }
    let refused = post_anonymously(
        &app,
        "/report",
        &[
            ("category", "privacy"),
            ("description", "The sixth report in a minute."),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.header("cache-control"), Some("no-store"));
    let page = refused.text();
    assert!(
        page.contains("5 reports came from your network within a minute"),
        "{page}"
    );
    assert!(
        page.contains("The sixth report in a minute."),
        "the text is kept"
    );
}
