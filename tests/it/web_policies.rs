//! The policy pages, as the ISMS manager, top management, staff and an auditor would notice them:
//! the register, writing a policy by form, the lifecycle by forms with the password again, the
//! editor's content check, the diff, and titles and bodies that try to run script.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use charter::domain::access::{Permission, Role, grants};
use serde_json::{Value, json};

use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse, TestSession, raw_sql};

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

/// The id in `/policies/versions/<id>?…` or `/policies/<id>?…`.
fn id_in(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_suffix("/edit").unwrap_or(path);
    path.rsplit('/').next().unwrap_or_default().to_owned()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A form post as another browser session of the same app.
async fn post_as(
    app: &TestApp,
    who: &TestSession,
    uri: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::COOKIE,
            format!("{}={}", charter::auth::SESSION_COOKIE, who.cookie),
        )
        .header("x-csrf-token", who.csrf_token.as_str())
        .body(Body::from(body))
        .expect("request");
    app.send_raw(request).await
}

async fn person_id(app: &TestApp, label: &str) -> String {
    app.store()
        .person_by_email(&format!("{label}@example.test"))
        .await
        .expect("lookup")
        .expect("person")
        .id
        .to_string()
}

/// The fields of the new-policy form, owned by `owner`.
fn policy_fields<'a>(title: &'a str, owner: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("kind", "topic_specific"),
        ("owner_id", owner),
        ("approver_role", "top_management"),
        ("audience", "everyone"),
        ("review_interval_months", "12"),
        ("visibility", "internal"),
        ("visibility_rationale", ""),
        ("quorum", "1"),
        ("body", body),
    ]
}

/// Creates a policy by form as `who`; returns the draft's id.
async fn create_by_form(app: &TestApp, who: &TestSession, title: &str, body: &str) -> String {
    let owner = person_id(app, "admin").await;
    let created = post_as(app, who, "/policies", &policy_fields(title, &owner, body)).await;
    let to = location(&created);
    assert!(to.starts_with("/policies/versions/"), "{to}");
    id_in(&to)
}

/// A policy written, signed off and published through the API; returns (policy, version).
async fn published_policy(
    app: &TestApp,
    approver: &TestSession,
    title: &str,
    body: &str,
) -> (String, String) {
    let owner = person_id(app, "admin").await;
    let request =
        json!({"title": title, "kind": "topic_specific", "owner_id": owner, "body": body});
    let created = app.post_json("/api/v1/policies", request).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let value = created.json();
    let policy = value["policy"]["id"].as_str().expect("policy").to_owned();
    let version = value["draft"]["id"].as_str().expect("draft").to_owned();
    let step = |name: &str| format!("/api/v1/policy-versions/{version}/{name}");
    assert_eq!(
        app.post_json(&step("submit"), Value::Null).await.status,
        StatusCode::OK
    );
    let approval = json!({"password": TEST_PASSWORD, "statement": "I approve."});
    let approved = app
        .json_as(approver, Method::POST, &step("approve"), approval)
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
    assert_eq!(
        app.post_json(&step("publish"), Value::Null).await.status,
        StatusCode::OK
    );
    (policy, version)
}

#[tokio::test]
async fn the_register_shows_state_first_and_staff_see_only_policies_in_force() {
    let app = TestApp::new().await;
    let boss = app.account_session("boss", &[Role::TopManagement]).await;
    let staff = app.account_session("staff", &[Role::Staff]).await;
    let empty = app.get("/policies").await.text();
    assert!(
        empty.contains("Write the information security policy"),
        "the empty register says what to do, with the button"
    );
    published_policy(
        &app,
        &boss,
        "Access control",
        "# Access control\n\nNeed to know.\n",
    )
    .await;
    published_policy(&app, &boss, "Backup", "# Backup\n\nDaily.\n").await;
    create_by_form(
        &app,
        app.session.as_ref().expect("admin"),
        "Remote working",
        "# Remote\n",
    )
    .await;
    raw_sql(
        &app.db.location,
        "UPDATE policies SET last_reviewed_on = '2020-01-15' WHERE title = 'Backup'",
    )
    .await;

    let register = app.get("/policies").await;
    assert_eq!(register.status, StatusCode::OK);
    let page = register.text();
    assert!(page.contains("Needs attention"), "{page}");
    assert!(page.contains("Drafts in preparation"));
    assert!(page.contains("Review overdue"));
    assert!(
        page.contains(r#"<span class="count">3</span>"#),
        "three policies counted"
    );
    for title in ["Access control", "Backup", "Remote working"] {
        assert!(page.contains(title), "{title} listed");
    }
    assert!(
        page.contains(">Draft</span>"),
        "the version in preparation has its status word"
    );

    let overdue = app.get("/policies?overdue=true").await.text();
    assert!(overdue.contains("Backup"));
    assert!(
        !overdue.contains(">Access control</a>"),
        "only overdue policies: {overdue}"
    );
    assert!(
        overdue.contains(r#"name="overdue" value="true" checked"#),
        "the filter stays"
    );

    let seen_by_staff = app.get_as(&staff, "/policies").await.text();
    assert!(seen_by_staff.contains("Access control"));
    assert!(
        !seen_by_staff.contains("Remote working"),
        "a draft-only policy is hidden"
    );
    assert!(!seen_by_staff.contains("Needs attention"));
    assert!(!seen_by_staff.contains("New policy"));
}

#[tokio::test]
async fn a_policy_created_by_form_opens_its_draft_and_a_refused_form_keeps_what_was_typed() {
    let app = TestApp::new().await;
    let manager = app.account_session("manager", &[Role::IsmsManager]).await;
    let form = app
        .get_as(&manager, "/policies/new?kind=top_level")
        .await
        .text();
    assert!(
        form.contains("## Purpose"),
        "the top-level template is prefilled"
    );
    assert!(form.contains(r#"value="Information security policy""#));
    let choice = app.get_as(&manager, "/policies/new").await.text();
    assert!(
        choice.contains("/policies/new?kind=topic_specific"),
        "the kind is chosen first"
    );

    let owner = person_id(&app, "manager").await;
    let typed = "# Clean desk\n\nDesks are cleared every evening.\n";
    let refused = post_as(
        &app,
        &manager,
        "/policies",
        &policy_fields("  ", &owner, typed),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text();
    assert!(page.contains("Title is required."), "{page}");
    assert!(
        page.contains("Desks are cleared every evening."),
        "the body is kept"
    );
    assert!(
        page.contains(&format!(r#"<option value="{owner}" selected>"#)),
        "the owner stays chosen"
    );

    let draft = create_by_form(&app, &manager, "Clean desk", typed).await;
    let shown = app
        .get_as(&manager, &format!("/policies/versions/{draft}"))
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    let shown = shown.text();
    assert!(shown.contains("Clean desk") && shown.contains(">Draft</span>"));
    assert!(shown.contains("Desks are cleared every evening."));
    assert!(shown.contains("Submit version 1.0 for review"));
}

#[tokio::test]
async fn staff_and_auditors_get_no_forms_and_are_refused_when_they_post() {
    let app = TestApp::new().await;
    let staff = app.account_session("staff", &[Role::Staff]).await;
    let auditor = app.account_session("auditor", &[Role::Auditor]).await;
    let admin = app.session.clone().expect("admin");
    let draft = create_by_form(&app, &admin, "Acceptable use", "# Use\n\nBe sensible.\n").await;
    let version = format!("/policies/versions/{draft}");

    assert_eq!(
        app.get_as(&staff, "/policies/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_as(&staff, &version).await.status,
        StatusCode::NOT_FOUND
    );
    let approval = [
        ("password", TEST_PASSWORD),
        ("statement", "Yes"),
        ("confirm", "yes"),
    ];
    let refused = post_as(&app, &staff, &format!("{version}/approve"), &approval).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let read = app.get_as(&auditor, &version).await;
    assert_eq!(read.status, StatusCode::OK, "auditors read drafts");
    let page = read.text();
    assert!(page.contains("Be sensible."));
    assert!(
        !page.contains("What you can do"),
        "no action forms for an auditor"
    );
    assert!(!page.contains("/submit\""));
    assert!(!page.contains("Add comment"));
    let submitted = post_as(&app, &auditor, &format!("{version}/submit"), &[]).await;
    assert_eq!(submitted.status, StatusCode::FORBIDDEN);
    assert!(
        app.get(&version).await.text().contains(">Draft</span>"),
        "nothing changed"
    );
}

#[tokio::test]
async fn a_version_is_written_submitted_signed_off_and_published_by_forms() {
    let app = TestApp::anonymous().await;
    let manager = app.account_session("manager", &[Role::IsmsManager]).await;
    let boss = app.account_session("boss", &[Role::TopManagement]).await;
    let owner = person_id(&app, "manager").await;
    let body = "# Access control\n\nAccess is granted on a need-to-know basis.\n";
    let created = post_as(
        &app,
        &manager,
        "/policies",
        &policy_fields("Access control", &owner, body),
    )
    .await;
    let draft = id_in(&location(&created));
    let version = format!("/policies/versions/{draft}");
    location(&post_as(&app, &manager, &format!("{version}/submit"), &[]).await);

    let offered = app.get_as(&boss, &version).await.text();
    assert!(offered.contains("I approve version 1.0 of Access control for publication."));
    let wrong = [
        ("password", "not my password"),
        ("statement", "I approve."),
        ("confirm", "yes"),
    ];
    let refused = post_as(&app, &boss, &format!("{version}/approve"), &wrong).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text();
    assert!(page.contains("This is not your password."), "{page}");
    assert!(
        page.contains(r#"value="yes""#) && page.contains("In review"),
        "nothing changed"
    );
    assert!(page.contains("No one has signed this version off"));

    let unticked = [("password", TEST_PASSWORD), ("statement", "I approve.")];
    let unconfirmed = post_as(&app, &boss, &format!("{version}/approve"), &unticked).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.text().contains("Tick the box to confirm"));

    let approval = [
        ("password", TEST_PASSWORD),
        ("statement", "I approve version 1.0 for the board."),
        ("confirm", "yes"),
    ];
    let approved = location(&post_as(&app, &boss, &format!("{version}/approve"), &approval).await);
    assert!(approved.ends_with("flash=approved"), "{approved}");
    let publish = post_as(
        &app,
        &manager,
        &format!("{version}/publish"),
        &[("confirm", "yes")],
    )
    .await;
    let policy_page = location(&publish);
    assert!(policy_page.starts_with("/policies/"), "{policy_page}");

    let page = app.get_as(&manager, &policy_page).await.text();
    assert!(page.contains("The version was published and is now in force."));
    assert!(page.contains("Version in force"));
    assert!(
        page.contains(r#">1.0</a> <span class="badge green">In force</span>"#),
        "{page}"
    );
    assert!(page.contains("Test boss"), "the approver is named");
    assert!(page.contains("Access is granted on a need-to-know basis."));
    assert!(page.contains("/export.pdf"));
    let decisions = app.get_as(&boss, &version).await.text();
    assert!(decisions.contains("I approve version 1.0 for the board."));
    assert!(decisions.contains("Top management"));
}

#[tokio::test]
async fn an_author_who_also_approves_is_refused_with_the_reason() {
    let app = TestApp::new().await;
    let both = app
        .account_session("both", &[Role::IsmsManager, Role::TopManagement])
        .await;
    let draft = create_by_form(&app, &both, "Cryptography", "# Crypto\n\nUse TLS.\n").await;
    let version = format!("/policies/versions/{draft}");
    location(&post_as(&app, &both, &format!("{version}/submit"), &[]).await);
    let offered = app.get_as(&both, &version).await.text();
    assert!(
        offered.contains("You cannot sign this version off"),
        "{offered}"
    );

    let approval = [
        ("password", TEST_PASSWORD),
        ("statement", "Mine."),
        ("confirm", "yes"),
    ];
    let refused = post_as(&app, &both, &format!("{version}/approve"), &approval).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = refused.text();
    assert!(
        page.contains("so you cannot approve or reject it"),
        "{page}"
    );
    assert!(page.contains("In review"), "the version stays in review");
}

#[tokio::test]
async fn the_editor_checks_the_text_without_saving_and_flags_what_is_missing() {
    let app = TestApp::new().await;
    let owner = person_id(&app, "admin").await;
    let saved = "# Information security policy\n\n## Purpose and scope\n\nThis policy applies to all staff.\n";
    let mut fields = policy_fields("Information security policy", &owner, saved);
    fields[1] = ("kind", "top_level");
    let draft = id_in(&location(&app.post_form("/policies", &fields).await));
    let editor = format!("/policies/versions/{draft}/edit");

    let opened = app.get(&editor).await.text();
    assert!(
        opened.contains("Content check") && opened.contains("Missing"),
        "{opened}"
    );

    let typed = "# Information security policy\n\n## Purpose and scope\n\nThis policy applies to all staff of [Organization name].\n";
    let checked = app
        .post_form(&editor, &[("body", typed), ("action", "check")])
        .await;
    assert_eq!(checked.status, StatusCode::OK);
    let page = checked.text();
    assert!(page.contains("Checked, not saved yet"));
    assert!(page.contains("Exceptions procedure"));
    assert!(
        page.contains(
            r#"<span class="badge red">Missing</span> <strong>Exceptions procedure</strong>"#
        ),
        "{page}"
    );
    assert!(page.contains("Placeholders to replace") && page.contains("[Organization name]"));
    assert!(
        page.contains(
            r#"<span class="badge green">Found</span> <strong>Purpose and scope</strong>"#
        )
    );
    let unchanged = app.get(&format!("/policies/versions/{draft}")).await.text();
    assert!(
        !unchanged.contains("[Organization name]"),
        "checking saved nothing"
    );

    let save = [
        ("body", typed),
        ("change_summary", "Names the organization"),
        ("action", "save"),
    ];
    location(&app.post_form(&editor, &save).await);
    let after = app.get(&format!("/policies/versions/{draft}")).await.text();
    assert!(after.contains("Names the organization"));
    assert!(
        after.contains("template placeholder"),
        "the version page warns before submitting"
    );
}

#[tokio::test]
async fn the_diff_shows_added_lines_and_changed_words() {
    let app = TestApp::new().await;
    let boss = app.account_session("boss", &[Role::TopManagement]).await;
    let first = "# Access reviews\n\nAccess is reviewed yearly by managers.\n";
    let (policy, published) = published_policy(&app, &boss, "Access reviews", first).await;
    let editor = location(
        &app.post_form(&format!("/policies/{policy}/versions"), &[])
            .await,
    );
    assert!(
        editor.contains("/edit"),
        "a new version opens its editor: {editor}"
    );
    let draft = id_in(&editor);
    let second = "# Access reviews\n\nAccess is reviewed quarterly by managers.\n\nAdmins are reviewed monthly.\n";
    let save = [("body", second), ("is_major", "yes"), ("action", "save")];
    location(
        &app.post_form(&format!("/policies/versions/{draft}/edit"), &save)
            .await,
    );

    let diff = app
        .get(&format!(
            "/policies/versions/{draft}/diff?against={published}"
        ))
        .await;
    assert_eq!(diff.status, StatusCode::OK);
    let page = diff.text();
    assert!(
        page.contains("<del>yearly</del>") || page.contains("<del>yearly"),
        "{page}"
    );
    assert!(page.contains("<ins>quarterly"), "{page}");
    assert!(
        page.contains(r#"<tr class="diff-added">"#)
            && page.contains("Admins are reviewed monthly.")
    );
    assert!(
        page.contains(">Changed<") && page.contains(">Added<"),
        "changes are named in words"
    );
    assert!(page.contains("Version 2.0"), "the draft is a major change");

    let policy_page = app.get(&format!("/policies/{policy}")).await.text();
    assert!(policy_page.contains("Compare with the previous version"));
}

#[tokio::test]
async fn script_in_a_title_or_a_body_never_runs() {
    let app = TestApp::new().await;
    let boss = app.account_session("boss", &[Role::TopManagement]).await;
    let evil = "<script>alert(1)</script>";
    let body = "# Policy\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n";
    let (policy, version) = published_policy(&app, &boss, evil, body).await;
    let draft = location(
        &app.post_form(&format!("/policies/{policy}/versions"), &[])
            .await,
    );
    let draft = id_in(&draft);
    for page in [
        "/policies".to_owned(),
        format!("/policies/{policy}"),
        format!("/policies/versions/{version}"),
        format!("/policies/versions/{draft}/edit"),
        format!("/policies/versions/{draft}/diff?against={version}"),
        format!("/policies/{policy}/edit"),
    ] {
        let response = app.get(&page).await;
        assert_eq!(response.status, StatusCode::OK, "{page}");
        let text = response.text();
        assert!(
            !text.contains("<script>alert"),
            "{page} carries the script: {text}"
        );
        assert!(!text.contains("<img src=x onerror"), "{page}");
        assert!(
            !text.contains("onerror=\"") && !text.contains("href=\"javascript:"),
            "{page}"
        );
        assert!(
            text.contains("&lt;script&gt;") || text.contains("&#60;script&#62;"),
            "{page} shows the title as text"
        );
    }
}

/// Every policy page with the permission its handler declares (the JSON API's twin's).
const PAGES: &[(&str, &str, Permission)] = &[
    ("GET", "/policies", Permission::ReadPolicies),
    ("POST", "/policies", Permission::EditPolicies),
    ("GET", "/policies/new", Permission::EditPolicies),
    ("GET", "/policies/{id}", Permission::ReadPolicies),
    ("POST", "/policies/{id}", Permission::EditPolicies),
    ("GET", "/policies/{id}/edit", Permission::EditPolicies),
    ("POST", "/policies/{id}/versions", Permission::EditPolicies),
    ("POST", "/policies/{id}/reviews", Permission::DecidePolicies),
    ("GET", "/policies/versions/{id}", Permission::ReadPolicies),
    (
        "GET",
        "/policies/versions/{id}/edit",
        Permission::EditPolicies,
    ),
    (
        "POST",
        "/policies/versions/{id}/edit",
        Permission::EditPolicies,
    ),
    (
        "GET",
        "/policies/versions/{id}/diff",
        Permission::ReadPolicyRecords,
    ),
    (
        "GET",
        "/policies/versions/{id}/export.html",
        Permission::ReadPolicies,
    ),
    (
        "GET",
        "/policies/versions/{id}/export.pdf",
        Permission::ReadPolicies,
    ),
    (
        "POST",
        "/policies/versions/{id}/submit",
        Permission::EditPolicies,
    ),
    (
        "POST",
        "/policies/versions/{id}/withdraw",
        Permission::EditPolicies,
    ),
    (
        "POST",
        "/policies/versions/{id}/approve",
        Permission::DecidePolicies,
    ),
    (
        "POST",
        "/policies/versions/{id}/reject",
        Permission::DecidePolicies,
    ),
    (
        "POST",
        "/policies/versions/{id}/publish",
        Permission::EditPolicies,
    ),
    (
        "POST",
        "/policies/versions/{id}/retire",
        Permission::EditPolicies,
    ),
    (
        "POST",
        "/policies/versions/{id}/comments",
        Permission::ReviewPolicies,
    ),
];

#[tokio::test]
async fn every_policy_page_answers_each_role_as_its_permission_says() {
    let unknown = uuid::Uuid::now_v7().to_string();
    for role in Role::ALL {
        let app = TestApp::as_role(role).await;
        for &(method, path, permission) in PAGES {
            let uri = path.replace("{id}", &unknown);
            let response = if method == "GET" {
                app.get(&uri).await
            } else {
                app.post_form(&uri, &[("probe", "1")]).await
            };
            if grants(role, permission) {
                assert_ne!(
                    response.status,
                    StatusCode::FORBIDDEN,
                    "{role} reaches {method} {path}"
                );
            } else {
                assert_eq!(
                    response.status,
                    StatusCode::FORBIDDEN,
                    "{role} is refused {method} {path}"
                );
            }
        }
    }
}
