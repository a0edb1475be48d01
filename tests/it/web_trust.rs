//! The trust page and share links, as an interested party without an account would notice them,
//! and as the ISMS manager who shares a restricted policy would.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use charter::domain::access::Role;
use serde_json::{Value, json};

use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse, TestSession, raw_sql};

/// An organization with a writer, an approver and an admin; nobody signed in by default.
struct Cast {
    app: TestApp,
    writer: TestSession,
    approver: TestSession,
    admin: TestSession,
    owner_id: String,
}

async fn cast() -> Cast {
    let app = TestApp::anonymous().await;
    let writer = app.account_session("ina", &[Role::IsmsManager]).await;
    let approver = app.account_session("bea", &[Role::TopManagement]).await;
    let admin = app.account_session("adm", &[Role::Admin]).await;
    let owner = app
        .store()
        .person_by_email("ina@example.test")
        .await
        .expect("lookup")
        .expect("owner");
    let named = app
        .json_as(
            &writer,
            Method::PUT,
            "/api/v1/organization",
            json!({ "name": "Northwind Traders" }),
        )
        .await;
    assert_eq!(named.status, StatusCode::OK, "{}", named.text());
    Cast {
        app,
        writer,
        approver,
        admin,
        owner_id: owner.id.to_string(),
    }
}

impl Cast {
    async fn call(&self, who: &TestSession, method: Method, uri: &str, body: Value) -> Value {
        let response = self.app.json_as(who, method, uri, body).await;
        assert!(response.status.is_success(), "{uri}: {}", response.text());
        response.json()
    }

    /// A policy with its first version drafted; returns the policy and version ids.
    async fn draft(&self, title: &str, visibility: &str, body: &str) -> (String, String) {
        let request = json!({
            "title": title, "kind": "topic_specific", "owner_id": self.owner_id,
            "visibility": visibility, "body": body,
        });
        let created = self
            .call(&self.writer, Method::POST, "/api/v1/policies", request)
            .await;
        let id = |v: &Value| v["id"].as_str().expect("id").to_owned();
        (id(&created["policy"]), id(&created["draft"]))
    }

    /// A policy whose first version is submitted, signed off and published.
    async fn published(&self, title: &str, visibility: &str, body: &str) -> String {
        let (policy, version) = self.draft(title, visibility, body).await;
        let step = |s: &str| format!("/api/v1/policy-versions/{version}/{s}");
        self.call(&self.writer, Method::POST, &step("submit"), Value::Null)
            .await;
        let approval = json!({ "password": TEST_PASSWORD, "statement": "Approved for the board." });
        self.call(&self.approver, Method::POST, &step("approve"), approval)
            .await;
        self.call(&self.writer, Method::POST, &step("publish"), Value::Null)
            .await;
        policy
    }

    /// Makes a share link through the page, as the ISMS manager would; returns the page.
    async fn share(&self, policy: &str, label: &str) -> TestResponse {
        post_form_as(
            &self.app,
            &self.writer,
            &format!("/policies/{policy}/share-links"),
            &[("label", label), ("days", "7")],
        )
        .await
    }
}

/// A form post as another session of the app, with its CSRF token in the form.
pub async fn post_form_as(
    app: &TestApp,
    who: &TestSession,
    uri: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let body = fields
        .iter()
        .chain([("csrf_token", who.csrf_token.as_str())].iter())
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let cookie = format!("{}={}", charter::auth::SESSION_COOKIE, who.cookie);
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .expect("request");
    app.send_raw(request).await
}

fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `/trust/shared/<token>` path shown once on the page that answered the form.
fn shared_path(page: &str) -> String {
    let start = page
        .find("/trust/shared/")
        .expect("the link is on the page");
    let token: String = page[start + "/trust/shared/".len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64, "a full token: {token}");
    format!("/trust/shared/{token}")
}

const BODY: &str = "# Purpose\n\nSuppliers who handle our data meet these requirements.\n";

#[tokio::test]
async fn the_trust_page_lists_only_published_public_policies() {
    let c = cast().await;
    let public = c.published("Supplier Security", "public", BODY).await;
    c.published("Backup and Recovery", "internal", BODY).await;
    c.published("Acceptable Use", "restricted", BODY).await;
    c.draft("Remote Working", "public", BODY).await;

    let page = c.app.get("/trust").await;
    assert_eq!(page.status, StatusCode::OK, "no sign-in needed");
    let text = page.text();
    assert!(
        text.contains("Northwind Traders"),
        "the organization is named"
    );
    assert!(text.contains(&format!(r#"href="/trust/policies/{public}""#)));
    assert!(text.contains("Supplier Security") && text.contains("version 1.0"));
    assert!(text.contains("approved on"), "with its approval date");
    for hidden in ["Backup and Recovery", "Acceptable Use", "Remote Working"] {
        assert!(!text.contains(hidden), "{hidden} is not on the trust page");
    }
    assert!(
        text.contains("personal link"),
        "it says restricted documents come through a link"
    );
    assert!(
        !text.contains(r#"href="/people""#),
        "the public layout has none of the app's navigation"
    );

    let read = c.app.get(&format!("/trust/policies/{public}")).await;
    assert_eq!(read.status, StatusCode::OK);
    let text = read.text();
    assert!(text.contains("<h1") && text.contains("Suppliers who handle our data"));
    assert!(text.contains("Test bea"), "the approver is named");
    assert!(text.contains("Content fingerprint"));
}

#[tokio::test]
async fn internal_restricted_and_unpublished_policies_are_not_found_on_the_trust_page() {
    let c = cast().await;
    let internal = c.published("Backup and Recovery", "internal", BODY).await;
    let restricted = c.published("Acceptable Use", "restricted", BODY).await;
    let (draft_only, _) = c.draft("Remote Working", "public", BODY).await;
    for id in [
        internal.as_str(),
        restricted.as_str(),
        draft_only.as_str(),
        "not-an-id",
    ] {
        let page = c.app.get(&format!("/trust/policies/{id}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{id}");
        assert!(page.text().contains("not available"));
        assert!(
            !page
                .text()
                .contains(BODY.trim_start_matches("# Purpose\n\n"))
        );
    }
}

#[tokio::test]
async fn a_share_link_opens_a_restricted_policy_until_it_is_revoked_and_every_opening_is_logged() {
    let c = cast().await;
    let policy = c.published("Acceptable Use", "restricted", BODY).await;

    let created = c.share(&policy, "Acme Corp due diligence").await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text());
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let path = shared_path(&created.text());
    assert!(created.text().contains("shown only this once"));
    assert!(
        created.text().contains("Sign out"),
        "in the signed-in layout"
    );

    let opened = c.app.get(&path).await;
    assert_eq!(opened.status, StatusCode::OK, "no sign-in needed");
    assert!(opened.text().contains("Acceptable Use"));
    assert!(opened.text().contains("Suppliers who handle our data"));
    assert_eq!(opened.header("cache-control"), Some("no-store"));
    assert!(
        opened
            .header("x-robots-tag")
            .is_some_and(|v| v.contains("noindex"))
    );

    let events = c
        .call(
            &c.admin,
            Method::GET,
            &format!("/api/v1/audit-events?record_id={policy}&action=policy_share_link.opened"),
            Value::Null,
        )
        .await;
    assert_eq!(events["total"], 1, "{events}");
    assert_eq!(events["items"][0]["action"], "policy_share_link.opened");

    let links = c
        .call(
            &c.writer,
            Method::GET,
            &format!("/api/v1/policies/{policy}/share-links"),
            Value::Null,
        )
        .await;
    assert_eq!(links[0]["access_count"], 1);
    let listed = c
        .app
        .get_as(&c.writer, &format!("/policies/{policy}/share-links"))
        .await
        .text();
    assert!(listed.contains("Acme Corp due diligence"));
    assert!(
        !listed.contains(&path),
        "the link itself is never shown again"
    );

    let link_id = links[0]["id"].as_str().expect("link id");
    let revoked = post_form_as(
        &c.app,
        &c.writer,
        &format!("/policies/share-links/{link_id}/revoke"),
        &[],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.text());
    let after = c.app.get(&path).await;
    assert_eq!(after.status, StatusCode::NOT_FOUND);
    assert!(!after.text().contains("Suppliers who handle our data"));
}

#[tokio::test]
async fn unknown_and_expired_links_are_not_found() {
    let c = cast().await;
    let policy = c.published("Acceptable Use", "restricted", BODY).await;
    let unknown = format!("/trust/shared/{}", "ab".repeat(32));
    for path in [unknown.as_str(), "/trust/shared/short", "/trust/shared/"] {
        let page = c.app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }

    let path = shared_path(&c.share(&policy, "Auditor of Acme").await.text());
    assert_eq!(c.app.get(&path).await.status, StatusCode::OK);
    // Links cannot be made already expired, so the expiry is moved into the past around Charter.
    raw_sql(
        &c.app.db.location,
        "UPDATE policy_share_links SET expires_at = '2000' || substr(expires_at, 5)",
    )
    .await;
    let expired = c.app.get(&path).await;
    assert_eq!(expired.status, StatusCode::NOT_FOUND);
    assert!(expired.text().contains("expired or was revoked"));
}

#[tokio::test]
async fn links_are_only_for_restricted_policies_and_forms_keep_what_was_typed() {
    let c = cast().await;
    let public = c.published("Supplier Security", "public", BODY).await;
    let refused = c.share(&public, "Acme").await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert!(!refused.text().contains("/trust/shared/"));
    assert!(
        refused
            .text()
            .contains("Share links are for restricted policies")
    );

    let restricted = c.published("Acceptable Use", "restricted", BODY).await;
    let wrong = post_form_as(
        &c.app,
        &c.writer,
        &format!("/policies/{restricted}/share-links"),
        &[("label", "Acme"), ("days", "365")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().contains("from 1 to 90"));
    assert!(wrong.text().contains(r#"value="Acme""#));
    assert!(!wrong.text().contains("/trust/shared/"));
}

#[tokio::test]
async fn script_in_a_public_policy_never_reaches_the_trust_page() {
    let c = cast().await;
    let body = "# Terms\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\nPlain words stay.\n";
    let policy = c
        .published("<script>alert(1)</script>", "public", body)
        .await;
    for path in ["/trust".to_owned(), format!("/trust/policies/{policy}")] {
        let page = c.app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let text = page.text();
        for needle in ["<script>alert", "javascript:", "onerror"] {
            assert!(!text.contains(needle), "{needle} on {path}: {text}");
        }
    }
    let read = c.app.get(&format!("/trust/policies/{policy}")).await.text();
    assert!(read.contains("Plain words stay."));
    assert!(
        read.contains("&#60;script&#62;alert(1)"),
        "the title is shown as text"
    );
}
