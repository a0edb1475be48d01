//! Api tests for management reviews, their decisions and the improvement actions they start
//! (5.1.g): the whole cycle by API (prepare, decide, sign with the password again, locked after),
//! the pack live then frozen, and who may read and progress an action.

use axum::http::{Method, StatusCode};
use charter::domain::access::Permission::{
    ManageLeadership, ReadLeadership, SignReviews, SignedIn, UpdateActions,
};
use charter::domain::access::Role;
use charter::domain::assignment::{AssignmentInput, AssignmentScope};
use charter::domain::role::{OrgRoleFilter, RoleCategory};
use charter::domain::{Actor, PersonStatus};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::authorization_matrix::RouteRule;
use crate::helpers::{TEST_PASSWORD, TestApp, TestSession, person_input, raw_sql};

/// This area's routes (API and pages) with the permission each must declare; the authorization
/// matrix calls each as every role and as nobody.
pub const ROUTES: &[RouteRule] = &[
    ("GET", "/api/v1/management-reviews", ReadLeadership),
    ("POST", "/api/v1/management-reviews", ManageLeadership),
    ("GET", "/api/v1/management-reviews/{id}", ReadLeadership),
    ("PATCH", "/api/v1/management-reviews/{id}", ManageLeadership),
    (
        "GET",
        "/api/v1/management-reviews/{id}/pack",
        ReadLeadership,
    ),
    (
        "POST",
        "/api/v1/management-reviews/{id}/decisions",
        ManageLeadership,
    ),
    (
        "POST",
        "/api/v1/management-reviews/{id}/sign-off",
        SignReviews,
    ),
    ("GET", "/api/v1/improvement-actions", ReadLeadership),
    ("POST", "/api/v1/improvement-actions", ManageLeadership),
    ("GET", "/api/v1/improvement-actions/{id}", SignedIn),
    ("PATCH", "/api/v1/improvement-actions/{id}", UpdateActions),
    ("GET", "/leadership/reviews", ReadLeadership),
    ("POST", "/leadership/reviews", ManageLeadership),
    ("GET", "/leadership/reviews/new", ManageLeadership),
    ("GET", "/leadership/reviews/{id}", ReadLeadership),
    ("GET", "/leadership/reviews/{id}/edit", ManageLeadership),
    ("POST", "/leadership/reviews/{id}/edit", ManageLeadership),
    (
        "POST",
        "/leadership/reviews/{id}/decisions",
        ManageLeadership,
    ),
    ("POST", "/leadership/reviews/{id}/sign-off", SignReviews),
    ("GET", "/leadership/actions", ReadLeadership),
    ("POST", "/leadership/actions", ManageLeadership),
    ("GET", "/leadership/actions.csv", ReadLeadership),
    ("GET", "/leadership/actions/new", ManageLeadership),
    ("GET", "/leadership/actions/{id}", SignedIn),
    ("POST", "/leadership/actions/{id}", UpdateActions),
];

/// An app signed in as an admin (who prepares reviews), a chair and a second member of top
/// management (each holding the catalog's top-management role), and two staff.
pub struct Leadership {
    pub app: TestApp,
    pub chair: TestSession,
    pub chair_id: String,
    pub other_boss: TestSession,
    pub other_boss_id: String,
    pub owner: TestSession,
    pub owner_id: String,
    pub staff: TestSession,
    pub staff_id: String,
}

pub fn today() -> String {
    OffsetDateTime::now_utc().date().to_string()
}

pub fn in_days(n: i64) -> String {
    (OffsetDateTime::now_utc().date() + time::Duration::days(n)).to_string()
}

async fn person_id(app: &TestApp, label: &str) -> String {
    let email = format!("{label}@example.test");
    let person = app
        .store()
        .person_by_email(&email)
        .await
        .expect("read")
        .expect("person");
    person.id.to_string()
}

pub async fn leadership() -> Leadership {
    let app = TestApp::new().await;
    let store = app.store();
    let chair = app.account_session("chair", &[Role::Staff]).await;
    let other_boss = app.account_session("boss", &[Role::Staff]).await;
    let owner = app.account_session("owner", &[Role::Staff]).await;
    let staff = app.account_session("staff", &[Role::Staff]).await;
    let role = store
        .list_roles(&OrgRoleFilter::default())
        .await
        .expect("catalog")
        .into_iter()
        .find(|r| r.category == RoleCategory::TopManagement)
        .expect("the standard catalog has a top-management role");
    let admin = store
        .list_accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.email == "admin@example.test")
        .expect("admin");
    let chair_id = person_id(&app, "chair").await;
    let other_boss_id = person_id(&app, "boss").await;
    for person in [&chair_id, &other_boss_id] {
        let input = AssignmentInput {
            role_id: role.id,
            person_id: person.parse().expect("id"),
            scope: AssignmentScope::Organization,
            deputy: false,
            starts_on: OffsetDateTime::now_utc().date() - time::Duration::days(100),
            ends_on: None,
            reason: "Appointed by the board".into(),
            sod_exception_id: None,
        };
        let today = OffsetDateTime::now_utc().date();
        store
            .assign_role(&admin, input, today)
            .await
            .expect("assigned");
    }
    Leadership {
        owner_id: person_id(&app, "owner").await,
        staff_id: person_id(&app, "staff").await,
        app,
        chair,
        chair_id,
        other_boss,
        other_boss_id,
        owner,
        staff,
    }
}

impl Leadership {
    /// A draft held today, chaired by the chair, with `attendees` (person ids).
    pub async fn draft(&self, attendees: &[&str]) -> Value {
        let body = json!({
            "title": "Annual management review",
            "held_on": today(),
            "chair_id": self.chair_id,
            "attendee_ids": attendees,
            "minutes": "## Conclusions\n\nThe ISMS is suitable. <script>alert(1)</script>",
        });
        let response = self.app.post_json("/api/v1/management-reviews", body).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        response.json()
    }

    /// An improvement action from an audit finding, owned by the owner.
    pub async fn action(&self, title: &str, due_on: &str) -> Value {
        let body = json!({
            "title": title,
            "source": "audit_finding",
            "owner_id": self.owner_id,
            "due_on": due_on,
        });
        let response = self
            .app
            .post_json("/api/v1/improvement-actions", body)
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        response.json()
    }

    pub async fn sign(
        &self,
        session: &TestSession,
        id: &str,
        password: &str,
    ) -> crate::helpers::TestResponse {
        let uri = format!("/api/v1/management-reviews/{id}/sign-off");
        self.app
            .json_as(session, Method::POST, &uri, json!({ "password": password }))
            .await
    }
}

#[tokio::test]
async fn a_review_is_prepared_decided_and_signed_by_its_chair_then_locked() {
    let l = leadership().await;
    let review = l.draft(&[&l.chair_id, &l.staff_id]).await;
    let id = review["id"].as_str().expect("id");
    assert_eq!(review["status"], "draft");
    assert_eq!(review["top_management_present"], true);
    let flags: Vec<bool> = review["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .map(|a| a["top_management"].as_bool().expect("flag"))
        .collect();
    assert_eq!(flags.iter().filter(|f| **f).count(), 1);

    let live = l
        .app
        .get(&format!("/api/v1/management-reviews/{id}/pack"))
        .await
        .json();
    assert_eq!(live["frozen"], false);
    assert!(live["sha256"].is_null());
    assert!(live["inputs"]["isms"]["actions"]["open"].is_number());
    assert!(live["inputs"]["previous_actions"]["items"].is_array());

    let decision = json!({
        "kind": "improvement",
        "text": "Test the backup restores every quarter.",
        "actions": [{ "title": "Run the first restore test", "owner_id": l.owner_id, "due_on": in_days(30) }],
    });
    let decided = l
        .app
        .post_json(
            &format!("/api/v1/management-reviews/{id}/decisions"),
            decision.clone(),
        )
        .await;
    assert_eq!(decided.status, StatusCode::CREATED, "{}", decided.text());
    assert_eq!(decided.json()["actions"][0]["status"], "open");
    let live = l
        .app
        .get(&format!("/api/v1/management-reviews/{id}/pack"))
        .await
        .json();
    assert_eq!(
        live["inputs"]["isms"]["actions"]["open"], 1,
        "the pack reads live"
    );

    let by_admin = l
        .app
        .post_json(
            &format!("/api/v1/management-reviews/{id}/sign-off"),
            json!({ "password": TEST_PASSWORD }),
        )
        .await;
    assert_eq!(
        by_admin.status,
        StatusCode::FORBIDDEN,
        "admins do not sign reviews"
    );
    let wrong = l.sign(&l.chair, id, "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.json()["error"]["fields"]["password"].is_array());
    let other = l.sign(&l.other_boss, id, TEST_PASSWORD).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.text());
    assert!(other.text().contains("only the chair"));

    let signed = l.sign(&l.chair, id, TEST_PASSWORD).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text());
    let signed = signed.json();
    assert_eq!(signed["status"], "signed");
    assert!(signed["signed_at"].is_string());
    let frozen = l
        .app
        .get(&format!("/api/v1/management-reviews/{id}/pack"))
        .await
        .json();
    assert_eq!(frozen["frozen"], true);
    assert_eq!(frozen["sha256"], signed["pack_sha256"]);
    assert_eq!(frozen["inputs"]["isms"]["actions"]["open"], 1);
    l.action("Raised after the review", &in_days(10)).await;
    let again = l
        .app
        .get(&format!("/api/v1/management-reviews/{id}/pack"))
        .await
        .json();
    assert_eq!(again, frozen, "the frozen pack does not follow the records");

    let patched = l
        .app
        .patch_json(
            &format!("/api/v1/management-reviews/{id}"),
            json!({ "minutes": "Rewritten" }),
        )
        .await;
    assert_eq!(patched.status, StatusCode::CONFLICT);
    let late = l
        .app
        .post_json(
            &format!("/api/v1/management-reviews/{id}/decisions"),
            decision,
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let resigned = l.sign(&l.chair, id, TEST_PASSWORD).await;
    assert_eq!(resigned.status, StatusCode::CONFLICT);
    let listed = l
        .app
        .get("/api/v1/management-reviews?status=signed")
        .await
        .json();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["decisions"], 1);
    assert_eq!(listed["items"][0]["actions"], 1);
}

#[tokio::test]
async fn the_chair_must_be_top_management_and_top_management_must_attend() {
    let l = leadership().await;
    let body = json!({ "title": "Review", "held_on": today(), "chair_id": l.staff_id });
    let refused = l.app.post_json("/api/v1/management-reviews", body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.json()["error"]["fields"]["chair_id"].is_array());

    let review = l.draft(&[&l.staff_id]).await;
    let id = review["id"].as_str().expect("id");
    assert_eq!(review["top_management_present"], false);
    let refused = l.sign(&l.chair, id, TEST_PASSWORD).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert!(refused.text().contains("no member of top management"));
    let patched = l
        .app
        .patch_json(
            &format!("/api/v1/management-reviews/{id}"),
            json!({ "attendee_ids": [l.staff_id, l.other_boss_id] }),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text());
    assert_eq!(patched.json()["top_management_present"], true);
    let signed = l.sign(&l.chair, id, TEST_PASSWORD).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text());
}

#[tokio::test]
async fn an_action_is_read_by_its_owner_and_progressed_with_evidence() {
    let l = leadership().await;
    let action = l.action("Patch the VPN gateway", &in_days(-1)).await;
    let id = action["id"].as_str().expect("id");
    assert_eq!(action["overdue"], true);
    let uri = format!("/api/v1/improvement-actions/{id}");
    assert_eq!(l.app.get_as(&l.owner, &uri).await.status, StatusCode::OK);
    assert_eq!(
        l.app.get_as(&l.staff, &uri).await.status,
        StatusCode::FORBIDDEN,
        "staff who do not own it do not read it"
    );
    let started = json!({ "status": "in_progress" });
    let by_other = l
        .app
        .json_as(&l.staff, Method::PATCH, &uri, started.clone())
        .await;
    assert_eq!(
        by_other.status,
        StatusCode::FORBIDDEN,
        "{}",
        by_other.text()
    );
    let by_owner = l.app.json_as(&l.owner, Method::PATCH, &uri, started).await;
    assert_eq!(by_owner.status, StatusCode::OK, "{}", by_owner.text());
    let no_evidence = l
        .app
        .json_as(&l.owner, Method::PATCH, &uri, json!({ "status": "done" }))
        .await;
    assert_eq!(no_evidence.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_evidence.json()["error"]["fields"]["evidence"].is_array());
    let done = json!({ "status": "done", "evidence": "Patched: change CHG-42" });
    let done = l.app.json_as(&l.owner, Method::PATCH, &uri, done).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(done.json()["completed_on"], today());
    assert_eq!(done.json()["overdue"], false);
    let reopened = l.app.patch_json(&uri, json!({ "status": "open" })).await;
    assert_eq!(reopened.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_action_list_filters_and_puts_overdue_first() {
    let l = leadership().await;
    l.action("Due later", &in_days(20)).await;
    l.action("Overdue", &in_days(-3)).await;
    let other = json!({ "title": "From an incident", "source": "incident", "owner_id": l.staff_id, "due_on": in_days(5) });
    let created = l.app.post_json("/api/v1/improvement-actions", other).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let no_decision = json!({ "title": "Orphan", "source": "management_review", "owner_id": l.staff_id, "due_on": in_days(5) });
    let refused = l
        .app
        .post_json("/api/v1/improvement-actions", no_decision)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.json()["error"]["fields"]["decision_id"].is_array());

    let titles = |body: Value| -> Vec<String> {
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|a| a["title"].as_str().expect("title").to_owned())
            .collect()
    };
    let all = l.app.get("/api/v1/improvement-actions").await.json();
    assert_eq!(titles(all), ["Overdue", "From an incident", "Due later"]);
    let overdue = l
        .app
        .get("/api/v1/improvement-actions?overdue=true")
        .await
        .json();
    assert_eq!(titles(overdue), ["Overdue"]);
    let mine = l
        .app
        .get(&format!(
            "/api/v1/improvement-actions?owner_id={}",
            l.staff_id
        ))
        .await
        .json();
    assert_eq!(titles(mine), ["From an incident"]);
    let incidents = l
        .app
        .get("/api/v1/improvement-actions?source=incident&status=open")
        .await
        .json();
    assert_eq!(titles(incidents), ["From an incident"]);
    let bad = l
        .app
        .get("/api/v1/improvement-actions?status=finished")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let auditor = TestApp::as_role(Role::Auditor).await;
    assert_eq!(
        auditor.get("/api/v1/improvement-actions").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn only_an_isms_manager_cancels_an_action_and_says_why() {
    let l = leadership().await;
    let action = l.action("Replace the old firewall", &in_days(20)).await;
    let uri = format!(
        "/api/v1/improvement-actions/{}",
        action["id"].as_str().expect("id")
    );
    let cancel = |reason: &str| json!({ "status": "cancelled", "evidence": reason });
    let by_owner = l
        .app
        .json_as(&l.owner, Method::PATCH, &uri, cancel("Not needed any more"))
        .await;
    assert_eq!(
        by_owner.status,
        StatusCode::FORBIDDEN,
        "{}",
        by_owner.text()
    );
    assert!(
        by_owner.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("only an ISMS manager or an administrator cancels")),
        "{}",
        by_owner.text()
    );
    let no_reason = l
        .app
        .patch_json(&uri, json!({ "status": "cancelled" }))
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.json()["error"]["fields"]["evidence"].is_array());
    let cancelled = l
        .app
        .patch_json(&uri, cancel("The firewall is retired with the old office"))
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text());
    assert_eq!(cancelled.json()["status"], "cancelled");
    assert_eq!(
        cancelled.json()["evidence"],
        "The firewall is retired with the old office"
    );
}

#[tokio::test]
async fn a_review_is_dated_near_today_and_signed_once_held() {
    let l = leadership().await;
    let far = |held_on: String| json!({ "title": "Review", "held_on": held_on, "chair_id": l.chair_id, "attendee_ids": [l.chair_id] });
    for held_on in ["9999-12-20".to_owned(), in_days(800), in_days(-800)] {
        let refused = l
            .app
            .post_json("/api/v1/management-reviews", far(held_on.clone()))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{held_on}: {}",
            refused.text()
        );
        assert!(
            refused.json()["error"]["fields"]["held_on"].is_array(),
            "{}",
            refused.text()
        );
    }
    let ahead = l
        .app
        .post_json("/api/v1/management-reviews", far(in_days(7)))
        .await;
    assert_eq!(ahead.status, StatusCode::CREATED, "{}", ahead.text());
    let id = ahead.json()["id"].as_str().expect("id").to_owned();
    let early = l.sign(&l.chair, &id, TEST_PASSWORD).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text());
    assert!(early.text().contains("a review is signed after it is held"));
}

#[tokio::test]
async fn a_frozen_pack_is_checked_against_its_hash_when_read() {
    let l = leadership().await;
    let review = l.draft(&[&l.chair_id]).await;
    let id = review["id"].as_str().expect("id");
    let live = l
        .app
        .get(&format!("/api/v1/management-reviews/{id}/pack"))
        .await
        .json();
    assert_eq!(live["intact"], true);
    let signed = l.sign(&l.chair, id, TEST_PASSWORD).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text());
    let pack = format!("/api/v1/management-reviews/{id}/pack");
    assert_eq!(l.app.get(&pack).await.json()["intact"], true);
    raw_sql(
        &l.app.db.location,
        "UPDATE management_reviews SET pack = pack || ' '",
    )
    .await;
    let tampered = l.app.get(&pack).await;
    assert_eq!(tampered.status, StatusCode::OK, "{}", tampered.text());
    assert_eq!(tampered.json()["intact"], false);
    assert_eq!(tampered.json()["sha256"], signed.json()["pack_sha256"]);
}

#[tokio::test]
async fn a_departed_person_is_given_no_action() {
    let l = leadership().await;
    let mut gone = person_input("Gone", "gone@example.test");
    gone.status = PersonStatus::Departed;
    gone.departed_on = Some(OffsetDateTime::now_utc().date() - time::Duration::days(2));
    let gone = l
        .app
        .store()
        .create_person(&Actor::cli(), gone, OffsetDateTime::now_utc().date())
        .await
        .expect("departed");
    let body = json!({ "title": "Hand over", "source": "other", "owner_id": gone.id, "due_on": in_days(5) });
    let refused = l.app.post_json("/api/v1/improvement-actions", body).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert!(
        refused.json()["error"]["fields"]["owner_id"][0]
            .as_str()
            .is_some_and(|m| m.contains("departed"))
    );
    let review = l.draft(&[&l.chair_id]).await;
    let decision = json!({
        "kind": "improvement",
        "text": "Hand over the runbooks.",
        "actions": [{ "title": "Hand over", "owner_id": gone.id, "due_on": in_days(5) }],
    });
    let uri = format!(
        "/api/v1/management-reviews/{}/decisions",
        review["id"].as_str().expect("id")
    );
    let refused = l.app.post_json(&uri, decision).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert!(refused.json()["error"]["fields"]["actions[0].owner_id"].is_array());
}
