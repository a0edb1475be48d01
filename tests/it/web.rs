//! The pages, as a person using a browser would notice them.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::helpers::{TestApp, TestResponse};

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

async fn upload_csv(app: &TestApp, csv: &str) -> TestResponse {
    let boundary = "charter-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let request = Request::post("/people/import")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    app.send(request).await
}

#[tokio::test]
async fn the_people_list_shows_a_created_person_and_the_filter_narrows_it() {
    let app = TestApp::new().await;
    app.person("Ada Lovelace", "ada@example.com", None).await;
    app.person("Grace Hopper", "grace@example.com", None).await;

    let all = app.get("/people").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.text().contains("Ada Lovelace") && all.text().contains("Grace Hopper"));
    assert!(
        all.text().contains(r#"<span class="count">3</span>"#),
        "the total (with the signed-in admin) is in the header"
    );

    let filtered = app.get("/people?q=grace&status=active").await.text();
    assert!(filtered.contains("Grace Hopper"));
    assert!(!filtered.contains("Ada Lovelace"));
    assert!(
        filtered.contains(r#"value="grace""#),
        "the filter stays in the form"
    );
}

#[tokio::test]
async fn the_people_list_names_unit_and_manager_and_pages_keep_the_filter() {
    let app = TestApp::new().await;
    let boss = app.person("Boss Person", "boss@example.com", None).await;
    for i in 0..3 {
        app.person(
            &format!("Report {i}"),
            &format!("report{i}@example.com"),
            Some(&boss),
        )
        .await;
    }
    let page = app.get("/people?q=report&per_page=2").await.text();
    assert!(
        page.contains(&format!(r#"<a href="/people/{boss}">Boss Person</a>"#)),
        "the manager is named and linked"
    );
    assert!(page.contains("Page 1 of 2"));
    assert!(
        page.contains(r#"href="/people?q=report&#38;per_page=2&#38;page=2""#),
        "the next page keeps the filter: {page}"
    );
}

#[tokio::test]
async fn a_filter_that_matches_no_one_says_so_and_offers_everyone() {
    let app = TestApp::new().await;
    let page = app.get("/people?q=nobody-by-this-name").await.text();
    assert!(page.contains("No one matches this filter."));
    assert!(page.contains(r#"<a class="button secondary" href="/people">Show everyone</a>"#));
}

#[tokio::test]
async fn a_malformed_email_is_refused_next_to_its_field_keeping_what_was_typed() {
    let app = TestApp::new().await;
    let response = app
        .post_form(
            "/people",
            &[
                ("name", "Ada Lovelace"),
                ("email", "ada-at-example"),
                ("kind", "employee"),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text();
    assert!(
        page.contains(r#"value="Ada Lovelace""#),
        "the typed name is kept"
    );
    assert!(
        page.contains(r#"value="ada-at-example""#),
        "the typed email is kept"
    );
    assert!(page.contains(r#"aria-describedby="email-error""#));
    assert!(
        page.contains(
            r#"<p class="field-error" id="email-error">Email is not a valid email address.</p>"#
        ),
        "{page}"
    );
    assert_eq!(
        app.store().all_people().await.expect("people").len(),
        1,
        "nothing was created"
    );
}

#[tokio::test]
async fn a_manager_is_chosen_by_email_and_an_unknown_one_is_refused() {
    let app = TestApp::new().await;
    let boss = app.person("Boss Person", "boss@example.com", None).await;
    let unknown = app
        .post_form(
            "/people",
            &[
                ("name", "Ada"),
                ("email", "ada@example.com"),
                ("manager_email", "nobody@example.com"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text().contains(r#"id="manager_email-error""#));

    let created = app
        .post_form(
            "/people",
            &[
                ("name", "Ada"),
                ("email", "ada@example.com"),
                ("manager_email", "BOSS@example.com"),
            ],
        )
        .await;
    let page = app.get(&location(&created)).await.text();
    assert!(page.contains("The person was created."));
    assert!(
        page.contains(&format!(r#"<a href="/people/{boss}">Boss Person</a>"#)),
        "the manager is linked"
    );
}

#[tokio::test]
async fn editing_a_person_changes_it_and_the_evidence_trail_lists_both_changes() {
    let app = TestApp::new().await;
    let created = app
        .post_form(
            "/people",
            &[
                ("name", "Ada"),
                ("email", "ada@example.com"),
                ("kind", "employee"),
                ("status", "active"),
            ],
        )
        .await;
    let person_page = location(&created);
    let id = person_page
        .trim_start_matches("/people/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();

    let form = app.get(&format!("/people/{id}/edit")).await.text();
    assert!(
        form.contains(r#"value="ada@example.com""#),
        "the edit form is filled in"
    );
    let saved = app
        .post_form(
            &format!("/people/{id}"),
            &[
                ("name", "Ada Lovelace"),
                ("email", "ada@example.com"),
                ("job_title", "Analyst"),
                ("kind", "contractor"),
                ("status", "active"),
            ],
        )
        .await;
    let page = app.get(&location(&saved)).await.text();
    assert!(page.contains("Your changes were saved."));
    assert!(
        page.contains("Ada Lovelace") && page.contains("Analyst") && page.contains("Contractor")
    );
    assert!(page.contains("Evidence trail"));
    assert!(
        page.contains("person.created") && page.contains("person.updated"),
        "{page}"
    );
    assert!(
        page.find("person.updated") < page.find("person.created"),
        "newest first"
    );
}

#[tokio::test]
async fn marking_a_person_as_departed_keeps_them_in_the_records() {
    let app = TestApp::new().await;
    let id = app.person("Ada Lovelace", "ada@example.com", None).await;
    let before = app.get(&format!("/people/{id}")).await.text();
    assert!(
        before.contains("never deleted"),
        "the form says what happens"
    );

    let response = app
        .post_form(&format!("/people/{id}/deactivate"), &[("departed_on", "")])
        .await;
    let page = app.get(&location(&response)).await.text();
    assert!(page.contains(r#"<span class="badge grey">Departed</span>"#));
    assert!(
        !page.contains("/deactivate"),
        "a departed person cannot depart again"
    );
    let departed = app.get("/people?status=departed").await.text();
    assert!(
        departed.contains("Ada Lovelace"),
        "the person is still listed"
    );
}

#[tokio::test]
async fn the_import_page_reports_every_bad_line_and_imports_nothing() {
    let app = TestApp::new().await;
    let csv = "name,email,kind\nAda,ada@example.com,employee\nBad One,not-an-email,employee\nBad Two,two@example.com,intern\n";
    let response = upload_csv(&app, csv).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text();
    assert!(page.contains("Nothing was imported"));
    assert!(
        page.contains(r#"<th scope="row">3</th>"#) && page.contains(r#"<th scope="row">4</th>"#),
        "{page}"
    );
    assert!(page.contains("is not a known kind"));
    assert!(
        app.store().all_people().await.expect("people").len() == 1,
        "not even the good line was written (only the signed-in admin exists)"
    );
}

#[tokio::test]
async fn a_good_file_is_imported_and_counted() {
    let app = TestApp::new().await;
    let response = upload_csv(
        &app,
        "name,email\nAda,ada@example.com\nGrace,grace@example.com\n",
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(
        response
            .text()
            .contains("2 created, 0 updated, 0 unchanged")
    );
    assert!(app.get("/people").await.text().contains("Grace"));
}

#[tokio::test]
async fn the_units_page_shows_a_child_indented_below_its_parent() {
    let app = TestApp::new().await;
    let parent = app.unit("Engineering", None).await;
    let child = app.unit("Platform", Some(&parent)).await;
    let page = app.get("/units").await.text();
    let parent_at = page
        .find(&format!(
            r#"class="tree-name depth-0"><a href="/units/{parent}">Engineering"#
        ))
        .expect("parent at depth 0");
    let child_at = page
        .find(&format!(
            r#"class="tree-name depth-1"><a href="/units/{child}">Platform"#
        ))
        .expect("child at depth 1");
    assert!(parent_at < child_at, "the child comes below its parent");
}

#[tokio::test]
async fn a_unit_is_created_and_edited_through_its_form_and_cannot_sit_below_itself() {
    let app = TestApp::new().await;
    app.person("Head Person", "head@example.com", None).await;
    let created = app
        .post_form(
            "/units",
            &[
                ("name", "Security"),
                ("description", "Keeps us safe"),
                ("head_email", "head@example.com"),
            ],
        )
        .await;
    let unit_page = location(&created);
    let id = unit_page
        .trim_start_matches("/units/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    let page = app.get(&unit_page).await.text();
    assert!(
        page.contains("The unit was created.")
            && page.contains("Head Person")
            && page.contains("unit.created")
    );
    assert!(page.contains(&format!(r#"href="/people?unit_id={id}""#)));

    let form = app.get(&format!("/units/{id}/edit")).await.text();
    assert!(
        !form.contains(&format!(r#"<option value="{id}""#)),
        "the unit is not offered as its own parent"
    );
    let empty = app
        .post_form(&format!("/units/{id}"), &[("name", " ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().contains("Name is required."));
}

#[tokio::test]
async fn the_organization_is_set_up_from_the_dashboard_and_its_themes_are_listed() {
    let app = TestApp::new().await;
    let dashboard = app.get("/").await.text();
    assert!(
        dashboard.contains("Set up the organization"),
        "an empty organization offers its setup"
    );

    let saved = app
        .post_form(
            "/organization",
            &[
                ("name", "Acme Ltd"),
                ("purpose", "Make things"),
                ("isms_scope", "All of it"),
                ("strategic_themes", "Trust\r\nGrowth\n\n"),
            ],
        )
        .await;
    let page = app.get(&location(&saved)).await.text();
    assert!(page.contains("<li>Trust</li>") && page.contains("<li>Growth</li>"));
    assert!(
        page.contains("organization.updated"),
        "the evidence trail shows the change"
    );
    let dashboard = app.get("/").await.text();
    assert!(
        dashboard.contains(r#"<a class="brand" href="/">Acme Ltd</a>"#),
        "the header names the organization"
    );
}

#[tokio::test]
async fn the_dashboard_shows_real_figures_and_the_latest_changes() {
    let app = TestApp::new().await;
    app.person("Ada Lovelace", "ada@example.com", None).await;
    app.unit("Engineering", None).await;
    // The first view's liveness panel reads the key processes, whose catalog event is written by
    // the first read; the second view counts it.
    app.get("/").await;
    let page = app.get("/").await.text();
    assert!(page.contains(
        r#"<span class="figure-number">2</span> <span class="figure-label">active people</span>"#
    ));
    let events = app.store().org_counts().await.expect("counts").audit_events;
    assert!(page.contains(&format!(
        r#"<span class="figure-number">{events}</span> <span class="figure-label">audit events</span>"#
    )));
    assert!(page.contains("person.created") && page.contains("just now"));
    assert!(page.contains(r#"aria-current="page">Dashboard"#));
}

#[tokio::test]
async fn the_audit_trail_filters_links_records_and_verifies_the_chain() {
    let app = TestApp::new().await;
    let id = app.person("Ada Lovelace", "ada@example.com", None).await;
    app.unit("Engineering", None).await;
    let page = app.get("/audit?record_type=person").await.text();
    assert!(page.contains(&format!(r#"<a href="/people/{id}">Ada Lovelace</a>"#)));
    assert!(
        !page.contains("unit.created"),
        "the filter leaves units out"
    );
    assert!(
        page.contains(r#"<code title=""#),
        "the full hash is on hover"
    );

    let events = app.store().org_counts().await.expect("counts").audit_events;
    let verify = app.get("/audit/verify").await.text();
    assert!(verify.contains(r#"<span class="badge green">Intact</span>"#));
    assert!(
        verify.contains(&format!("{events} events checked")),
        "{verify}"
    );
}

#[tokio::test]
async fn an_unknown_page_answers_404_in_the_layout() {
    let app = TestApp::new().await;
    for uri in [
        "/no-such-page",
        "/people/not-a-uuid",
        "/people/0190b3f0-0000-7000-8000-000000000000",
        "/units/0190b3f0-0000-7000-8000-000000000000",
    ] {
        let response = app.get(uri).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{uri}");
        let page = response.text();
        assert!(
            page.contains("Page not found")
                && page.contains("Skip to content")
                && page.contains(r#"href="/people""#),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn the_stylesheet_is_served_with_a_long_cache() {
    let app = TestApp::new().await;
    let css = app.get("/assets/charter.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.header("content-type")
            .unwrap_or_default()
            .starts_with("text/css")
    );
    assert!(
        css.header("cache-control")
            .unwrap_or_default()
            .contains("max-age=31536000")
    );
    assert!(css.text().contains("prefers-color-scheme: dark"));
}

#[tokio::test]
async fn no_page_carries_inline_script_or_style() {
    let app = TestApp::new().await;
    let parent = app.unit("Engineering", None).await;
    let unit = app.unit("Platform", Some(&parent)).await;
    let person = app.person("Ada Lovelace", "ada@example.com", None).await;
    let refused = app
        .post_form("/people", &[("name", ""), ("email", "bad")])
        .await;
    let mut pages = vec![refused];
    for uri in [
        "/",
        "/people",
        "/people/new",
        "/people/import",
        "/units",
        "/units/new",
        "/organization",
        "/organization/edit",
        "/audit",
        "/audit/verify",
        "/nowhere",
    ] {
        pages.push(app.get(uri).await);
    }
    for uri in [
        format!("/people/{person}"),
        format!("/people/{person}/edit"),
        format!("/units/{unit}"),
        format!("/units/{unit}/edit"),
    ] {
        pages.push(app.get(&uri).await);
    }
    for page in pages {
        let html = page.text();
        assert!(
            html.starts_with("<!doctype html>"),
            "every page is a full page: {html}"
        );
        assert!(!html.contains("<script"), "no script: {html}");
        assert!(!html.contains(" style="), "no inline style: {html}");
        assert!(!html.contains("<style"), "no style element: {html}");
    }
}
