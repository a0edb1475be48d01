//! Web tests for management reviews, their decisions and the improvement actions they start
//! (5.1.g): preparing a review by form, the review page with its pack, decisions and the chair's
//! deliberate sign-off, the action list and an action's progress form, and "My tasks".

use axum::http::StatusCode;

use crate::api_reviews::{in_days, leadership, today};
use crate::helpers::{TEST_PASSWORD, TestResponse, raw_sql};
use crate::web_trust::post_form_as;

fn location(response: &TestResponse) -> String {
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
    response.header("location").expect("location").to_owned()
}

#[tokio::test]
async fn a_review_is_prepared_by_form_with_messages_beside_the_fields() {
    let l = leadership().await;
    let new = l.app.get("/leadership/reviews/new").await;
    assert_eq!(new.status, StatusCode::OK);
    assert!(
        new.text().contains("Test chair"),
        "top management offered as chair"
    );
    let refused = l
        .app
        .post_form(
            "/leadership/reviews",
            &[
                ("title", "Review"),
                ("held_on", &today()),
                ("chair_id", ""),
                ("attendees", "nobody@example.test"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text();
    assert!(page.contains("Chair is required"), "{page}");
    assert!(
        page.contains("nobody@example.test"),
        "the unknown email is named"
    );
    assert!(page.contains("value=\"Review\""), "typed values are kept");

    let created = l
        .app
        .post_form(
            "/leadership/reviews",
            &[
                ("title", "Spring review"),
                ("held_on", &today()),
                ("chair_id", &l.chair_id),
                ("attendees", "chair@example.test\nstaff@example.test"),
                (
                    "minutes",
                    "## Conclusions\n\nKeep going. <script>alert(1)</script>",
                ),
            ],
        )
        .await;
    let to = location(&created);
    let page = l.app.get(&to).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("Spring review"));
    assert!(html.contains("top management present"));
    assert!(html.contains("<h2 id=\"sec-conclusions\">") || html.contains("Conclusions</h2>"));
    assert!(
        !html.contains("<script>alert(1)"),
        "the minutes are sanitized"
    );
    assert!(html.contains("Read live from the records"));
    assert!(html.contains("Actions from earlier reviews"));
    assert!(
        html.contains("id=\"status-objectives\""),
        "the pack shows the objectives"
    );
    assert!(
        html.contains("Only the chair, Test chair, signs"),
        "the admin does not sign"
    );
    assert!(!html.contains("Sign and lock the review"));
}

#[tokio::test]
async fn decisions_start_actions_and_the_chair_signs_deliberately() {
    let l = leadership().await;
    let review = l.draft(&[&l.chair_id]).await;
    let id = review["id"].as_str().expect("id");
    let page = format!("/leadership/reviews/{id}");
    let missing_owner = l
        .app
        .post_form(
            &format!("{page}/decisions"),
            &[
                ("kind", "improvement"),
                ("text", "Test restores"),
                ("action_title_1", "First test"),
                ("action_owner_1", "ghost@example.test"),
                ("action_due_1", &in_days(10)),
            ],
        )
        .await;
    assert_eq!(missing_owner.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing_owner
            .text()
            .contains("is not the email of anyone in Charter")
    );
    assert!(missing_owner.text().contains("value=\"First test\""));
    let decided = l
        .app
        .post_form(
            &format!("{page}/decisions"),
            &[
                ("kind", "improvement"),
                ("text", "Test restores"),
                ("action_title_1", "First test"),
                ("action_owner_1", "owner@example.test"),
                ("action_due_1", &in_days(10)),
            ],
        )
        .await;
    location(&decided);

    let read = l
        .app
        .get(&format!("/api/v1/management-reviews/{id}"))
        .await
        .json();
    let decision_id = read["decisions"][0]["id"].as_str().expect("decision");
    let form = l
        .app
        .get(&format!(
            "/leadership/actions/new?decision_id={decision_id}"
        ))
        .await;
    assert!(
        form.text().contains(decision_id),
        "the form keeps the decision"
    );
    let added = l
        .app
        .post_form(
            "/leadership/actions",
            &[
                ("decision_id", decision_id),
                ("title", "Second test"),
                ("owner_email", "owner@example.test"),
                ("due_on", &in_days(40)),
            ],
        )
        .await;
    location(&added);

    let as_chair = l.app.get_as(&l.chair, &page).await;
    assert_eq!(as_chair.status, StatusCode::OK);
    let html = as_chair.text();
    assert!(
        html.contains("First test") && html.contains("Second test"),
        "the decision shows the actions it started"
    );
    assert!(html.contains("Sign and lock the review"));
    assert!(html.contains("the record is locked"));
    let unconfirmed = post_form_as(
        &l.app,
        &l.chair,
        &format!("{page}/sign-off"),
        &[("password", TEST_PASSWORD)],
    )
    .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed.text().contains("tick the box") || unconfirmed.text().contains("Tick the box")
    );
    let signed = post_form_as(
        &l.app,
        &l.chair,
        &format!("{page}/sign-off"),
        &[("confirm", "locked"), ("password", TEST_PASSWORD)],
    )
    .await;
    location(&signed);
    let html = l.app.get(&page).await.text();
    assert!(html.contains("Frozen at the chair"));
    let hash = l
        .app
        .get(&format!("/api/v1/management-reviews/{id}"))
        .await
        .json()["pack_sha256"]
        .as_str()
        .expect("hash")
        .to_owned();
    assert!(
        html.contains(&hash),
        "the page shows the hash of the frozen inputs"
    );
    assert!(html.contains(">signed<"));
    assert!(
        !html.contains("Record a decision"),
        "no more forms once locked"
    );
    assert!(!html.contains("Change the draft"));
    let edit = l.app.get(&format!("{page}/edit")).await;
    assert_eq!(edit.status, StatusCode::CONFLICT);
    let listed = l.app.get("/leadership/reviews").await.text();
    assert!(listed.contains("Last signed review"));
    assert!(listed.contains("Annual management review"));
}

#[tokio::test]
async fn the_owner_records_progress_and_others_are_refused() {
    let l = leadership().await;
    let action = l.action("Rotate the admin passwords", &in_days(-2)).await;
    let page = format!("/leadership/actions/{}", action["id"].as_str().expect("id"));
    let by_owner = l.app.get_as(&l.owner, &page).await;
    assert_eq!(by_owner.status, StatusCode::OK);
    assert!(by_owner.text().contains("Record progress"));
    assert!(by_owner.text().contains(">overdue<"));
    assert_eq!(
        l.app.get_as(&l.staff, &page).await.status,
        StatusCode::FORBIDDEN
    );
    let refused = post_form_as(
        &l.app,
        &l.staff,
        &page,
        &[("status", "in_progress"), ("evidence", "")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let no_evidence = post_form_as(
        &l.app,
        &l.owner,
        &page,
        &[("status", "done"), ("evidence", " ")],
    )
    .await;
    assert_eq!(no_evidence.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_evidence
            .text()
            .contains("Evidence is required to mark the action done")
    );
    let done = post_form_as(
        &l.app,
        &l.owner,
        &page,
        &[
            ("status", "done"),
            ("evidence", "Rotated: vault log 2026-11"),
        ],
    )
    .await;
    location(&done);
    let html = l.app.get_as(&l.owner, &page).await.text();
    assert!(html.contains("Rotated: vault log 2026-11"));
    assert!(
        !html.contains("Record progress"),
        "a done action no longer changes"
    );
}

#[tokio::test]
async fn the_action_list_shows_overdue_first_and_exports_csv() {
    let l = leadership().await;
    l.action("Later work", &in_days(30)).await;
    l.action("Late work", &in_days(-5)).await;
    let html = l.app.get("/leadership/actions").await.text();
    let late = html.find("Late work").expect("late");
    let later = html.find("Later work").expect("later");
    assert!(late < later, "overdue first");
    let filtered = l.app.get("/leadership/actions?overdue=true").await.text();
    assert!(filtered.contains("Late work") && !filtered.contains("Later work"));
    let csv = l.app.get("/leadership/actions.csv?overdue=true").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.header("content-type")
            .is_some_and(|t| t.starts_with("text/csv"))
    );
    let text = csv.text();
    assert!(text.starts_with("title,source,review,owner,due_on,status,overdue"));
    assert_eq!(text.lines().count(), 2, "{text}");
    let created = l
        .app
        .post_form(
            "/leadership/actions",
            &[
                ("title", "Close the finding"),
                ("source", "audit_finding"),
                ("owner_email", "owner@example.test"),
                ("due_on", &in_days(7)),
            ],
        )
        .await;
    location(&created);
    let refused = l
        .app
        .post_form("/leadership/actions", &[("title", ""), ("source", "")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text().contains("Owner&#39;s email") || refused.text().contains("Owner's email")
    );
}

#[tokio::test]
async fn my_tasks_name_owned_actions_and_reviews_to_sign() {
    let l = leadership().await;
    l.action("Overdue one", &in_days(-1)).await;
    l.action("Due one", &in_days(9)).await;
    let tasks = l.app.get_as(&l.owner, "/tasks").await.text();
    assert!(
        tasks.contains("1 improvement action of yours is overdue"),
        "{tasks}"
    );
    assert!(tasks.contains("1 improvement action to complete"));
    let review = l.draft(&[&l.chair_id]).await;
    let chair_tasks = l.app.get_as(&l.chair, "/tasks").await.text();
    assert!(
        chair_tasks.contains("1 management review to sign"),
        "{chair_tasks}"
    );
    assert!(chair_tasks.contains(review["id"].as_str().expect("id")));
    let without = l.draft(&[&l.staff_id]).await;
    let chair_tasks = l.app.get_as(&l.chair, "/tasks").await.text();
    assert!(
        !chair_tasks.contains(without["id"].as_str().expect("id")),
        "a draft without top management attending is not ready to sign"
    );
}

#[tokio::test]
async fn the_review_list_survives_a_review_dated_at_the_end_of_the_calendar() {
    let l = leadership().await;
    let review = l.draft(&[&l.chair_id]).await;
    let id = review["id"].as_str().expect("id");
    let signed = l.sign(&l.chair, id, TEST_PASSWORD).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text());
    raw_sql(
        &l.app.db.location,
        "UPDATE management_reviews SET held_on = '9999-12-20'",
    )
    .await;
    let listed = l.app.get("/leadership/reviews").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
    assert!(listed.text().contains("Annual management review"));
}

#[tokio::test]
async fn the_page_says_whether_the_frozen_inputs_match_their_hash() {
    let l = leadership().await;
    let review = l.draft(&[&l.chair_id]).await;
    let id = review["id"].as_str().expect("id");
    l.sign(&l.chair, id, TEST_PASSWORD).await;
    let page = format!("/leadership/reviews/{id}");
    let html = l.app.get(&page).await.text();
    assert!(html.contains(">intact<"), "{html}");
    assert!(html.contains("still match their SHA-256"));
    raw_sql(
        &l.app.db.location,
        "UPDATE management_reviews SET pack = pack || ' '",
    )
    .await;
    let html = l.app.get(&page).await.text();
    assert!(html.contains("do not match their hash"), "{html}");
    assert!(!html.contains(">intact<"));
}

#[tokio::test]
async fn more_than_500_attendee_lines_are_refused_beside_the_field() {
    let l = leadership().await;
    let many: Vec<String> = (0..501)
        .map(|i| format!("person{i}@example.test"))
        .collect();
    let refused = l
        .app
        .post_form(
            "/leadership/reviews",
            &[
                ("title", "Town hall"),
                ("held_on", &today()),
                ("chair_id", &l.chair_id),
                ("attendees", &many.join("\n")),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(
        html.contains("ust list at most 500 people, one email a line: 501 lines were given"),
        "{html}"
    );
    assert!(
        !html.contains("ames emails of no one"),
        "nothing is looked up past the bound"
    );
    let created = l
        .app
        .post_form(
            "/leadership/reviews",
            &[
                ("title", "Spring review"),
                ("held_on", &today()),
                ("chair_id", &l.chair_id),
                ("attendees", "Chair@Example.test\nnobody@example.test"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = created.text();
    assert!(html.contains("ames emails of no one in Charter: nobody@example.test"));
    let far = l
        .app
        .post_form(
            "/leadership/reviews",
            &[
                ("title", "Spring review"),
                ("held_on", "9999-12-20"),
                ("chair_id", &l.chair_id),
                ("attendees", "Chair@Example.test"),
            ],
        )
        .await;
    assert_eq!(far.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(far.text().contains("must be within two years of today"));
    let created = l
        .app
        .post_form(
            "/leadership/reviews",
            &[
                ("title", "Spring review"),
                ("held_on", &today()),
                ("chair_id", &l.chair_id),
                ("attendees", "Chair@Example.test"),
            ],
        )
        .await;
    let html = l.app.get(&location(&created)).await.text();
    assert!(
        html.contains("top management present"),
        "emails in any case"
    );
}

#[tokio::test]
async fn my_tasks_count_every_action_owned() {
    let l = leadership().await;
    for i in 0..101 {
        l.action(&format!("Overdue {i}"), &in_days(-1)).await;
    }
    l.action("Due one", &in_days(9)).await;
    let tasks = l.app.get_as(&l.owner, "/tasks").await.text();
    assert!(
        tasks.contains("101 improvement actions of yours are overdue"),
        "{tasks}"
    );
    assert!(
        tasks.contains("1 improvement action to complete"),
        "{tasks}"
    );
    assert!(tasks.contains("Due one"));
    assert!(tasks.contains("The first 10 of 101, by due date."));
}

#[tokio::test]
async fn the_owner_is_told_who_cancels_and_a_manager_cancels_with_a_reason() {
    let l = leadership().await;
    let action = l.action("Retire the fax server", &in_days(10)).await;
    let page = format!("/leadership/actions/{}", action["id"].as_str().expect("id"));
    let html = l.app.get_as(&l.owner, &page).await.text();
    assert!(!html.contains("value=\"cancelled\""), "{html}");
    assert!(html.contains("Only an ISMS manager or an administrator cancels an action"));
    let refused = post_form_as(
        &l.app,
        &l.owner,
        &page,
        &[("status", "cancelled"), ("evidence", "Nobody uses it")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .contains("Only an ISMS manager or an administrator cancels an improvement action"),
        "{}",
        refused.text()
    );
    let html = l.app.get(&page).await.text();
    assert!(html.contains("value=\"cancelled\""), "an admin may cancel");
    let no_reason = l
        .app
        .post_form(&page, &[("status", "cancelled"), ("evidence", "")])
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason
            .text()
            .contains("Evidence is required to cancel the action")
    );
    let cancelled = l
        .app
        .post_form(
            &page,
            &[
                ("status", "cancelled"),
                ("evidence", "The fax line was cut in March"),
            ],
        )
        .await;
    location(&cancelled);
    let html = l.app.get(&page).await.text();
    assert!(html.contains(">cancelled<") && html.contains("The fax line was cut in March"));
}

#[tokio::test]
async fn a_review_ahead_is_signed_once_held() {
    let l = leadership().await;
    let body = serde_json::json!({
        "title": "Review next week",
        "held_on": in_days(7),
        "chair_id": l.chair_id,
        "attendee_ids": [l.chair_id],
    });
    let created = l.app.post_json("/api/v1/management-reviews", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id = created.json()["id"].as_str().expect("id").to_owned();
    let page = format!("/leadership/reviews/{id}");
    let html = l.app.get_as(&l.chair, &page).await.text();
    assert!(
        html.contains("a review is signed after it is held"),
        "{html}"
    );
    let early = post_form_as(
        &l.app,
        &l.chair,
        &format!("{page}/sign-off"),
        &[("confirm", "locked"), ("password", TEST_PASSWORD)],
    )
    .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(early.text().contains("A review is signed after it is held"));
    let chair_tasks = l.app.get_as(&l.chair, "/tasks").await.text();
    assert!(!chair_tasks.contains(&id), "not to sign before it is held");
}
