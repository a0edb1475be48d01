//! API tests for assessments, thresholds and justifications (who may run, change and decide; bad
//! input and unknown ids), the daily scheduled assessment, and store scenarios on both databases:
//! the snapshots are immutable in the database itself, a tampered snapshot is reported, and two
//! decisions at once decide once.

use axum::http::{Method, StatusCode};
use charter::domain::access::Permission::{
    DecideJustifications, ManageConformance, ReadConformance, RunAssessments,
};
use charter::domain::access::Role;
use charter::domain::account::Account;
use serde_json::{Value, json};

use crate::authorization_matrix::RouteRule;
use crate::helpers::{TEST_PASSWORD, TestApp};

/// This area's routes (API and pages) with the permission each must declare; the authorization
/// matrix calls each as every role and as nobody.
pub const ROUTES: &[RouteRule] = &[
    ("GET", "/api/v1/assessments", ReadConformance),
    ("POST", "/api/v1/assessments", RunAssessments),
    ("GET", "/api/v1/assessments/latest", ReadConformance),
    ("GET", "/api/v1/assessments/{id}", ReadConformance),
    ("GET", "/api/v1/assessments/{id}/diff", ReadConformance),
    ("GET", "/api/v1/requirements", ReadConformance),
    ("GET", "/api/v1/requirements/{id}/trend", ReadConformance),
    ("GET", "/api/v1/liveness", ReadConformance),
    ("GET", "/api/v1/conformance/thresholds", ReadConformance),
    ("PUT", "/api/v1/conformance/thresholds", ManageConformance),
    ("GET", "/api/v1/conformance/justifications", ReadConformance),
    (
        "POST",
        "/api/v1/conformance/justifications",
        ManageConformance,
    ),
    (
        "POST",
        "/api/v1/conformance/justifications/{id}/decision",
        DecideJustifications,
    ),
    (
        "POST",
        "/api/v1/conformance/justifications/{id}/withdraw",
        ManageConformance,
    ),
    ("GET", "/conformance", ReadConformance),
    ("POST", "/conformance/assessments", RunAssessments),
    ("GET", "/conformance/assessments/{id}", ReadConformance),
    ("GET", "/conformance/history", ReadConformance),
    ("GET", "/conformance/requirements/{id}", ReadConformance),
    ("GET", "/conformance/diff", ReadConformance),
    ("GET", "/conformance/thresholds", ReadConformance),
    ("POST", "/conformance/thresholds", ManageConformance),
    ("GET", "/conformance/justifications", ReadConformance),
    ("POST", "/conformance/justifications", ManageConformance),
    (
        "POST",
        "/conformance/justifications/{id}/decision",
        DecideJustifications,
    ),
    (
        "POST",
        "/conformance/justifications/{id}/withdraw",
        ManageConformance,
    ),
];

pub async fn account_named(app: &TestApp, name: &str) -> Account {
    app.store()
        .list_accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.name == name)
        .expect("the account")
}

/// Runs an assessment through the API as the app's session; its JSON.
pub async fn run(app: &TestApp) -> Value {
    let response = app.post_json("/api/v1/assessments", json!({})).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let id = response.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(
        response.header("location"),
        Some(format!("/api/v1/assessments/{id}").as_str())
    );
    response.json()
}

/// The verdict of `id` in an assessment's JSON.
pub fn verdict_of(assessment: &Value, id: &str) -> String {
    assessment["evaluation"]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["id"] == id)
        .and_then(|r| r["verdict"].as_str())
        .unwrap_or_else(|| panic!("no result for {id}"))
        .to_owned()
}

/// The audit events with this action, newest first.
pub async fn events(app: &TestApp, action: &str) -> Vec<Value> {
    let response = app
        .get(&format!("/api/v1/audit-events?action={action}"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()["items"].as_array().expect("items").clone()
}

fn fields(response: &crate::helpers::TestResponse) -> Vec<String> {
    let body = response.json();
    assert_eq!(body["error"]["code"], "validation_failed", "{body}");
    let mut names: Vec<String> = body["error"]["fields"]
        .as_object()
        .expect("fields")
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn an_assessment_is_stored_with_the_hash_of_its_snapshot_and_an_audit_event() {
    let app = TestApp::new().await;
    let latest = app.get("/api/v1/assessments/latest").await;
    assert_eq!(
        latest.status,
        StatusCode::NOT_FOUND,
        "none before the first"
    );
    let requirements = app.get("/api/v1/requirements").await.json();
    assert_eq!(requirements.as_array().map(Vec::len), Some(26));
    assert!(requirements[0]["verdict"].is_null(), "{requirements}");

    let assessment = run(&app).await;
    let id = assessment["id"].as_str().expect("id");
    let results = assessment["evaluation"]["results"]
        .as_array()
        .expect("results");
    assert_eq!(results.len(), 26, "every requirement of the catalog");
    assert_eq!(results[0]["id"], "5.1.a");
    assert_eq!(assessment["trigger"], "manual");
    assert_eq!(assessment["run_by_label"], "Test admin");
    assert_eq!(assessment["intact"], true);
    let hash = assessment["content_sha256"].as_str().expect("hash");
    assert_eq!(hash.len(), 64);

    let read = app.get(&format!("/api/v1/assessments/{id}")).await.json();
    assert_eq!(read, assessment, "read back as stored");
    assert_eq!(app.get("/api/v1/assessments/latest").await.json()["id"], id);

    let list = app.get("/api/v1/assessments").await.json();
    assert_eq!(list["total"], 1);
    let summary = &list["items"][0];
    assert!(
        summary.get("evaluation").is_none(),
        "no snapshot in the list"
    );
    let counts = &summary["counts"];
    let total: i64 = ["conforming", "partial", "nonconforming", "not_applicable"]
        .iter()
        .map(|k| counts[k].as_i64().expect("count"))
        .sum();
    assert_eq!(total, 26);

    let run_events = events(&app, "assessment.run").await;
    assert_eq!(run_events.len(), 1);
    assert_eq!(run_events[0]["record_id"], id);
    assert_eq!(
        run_events[0]["record_digest"], hash,
        "the event's digest is the snapshot's hash"
    );
    let requirements = app.get("/api/v1/requirements").await.json();
    assert_eq!(requirements[0]["verdict"], verdict_of(&assessment, "5.1.a"));
    assert_eq!(requirements[0]["assessment_id"], id);
}

#[tokio::test]
async fn an_auditor_runs_an_assessment_but_changes_no_threshold() {
    let app = TestApp::as_role(Role::Auditor).await;
    let assessment = run(&app).await;
    assert_eq!(assessment["run_by_label"], "Test auditor");
    let thresholds = app.get("/api/v1/conformance/thresholds").await;
    assert_eq!(thresholds.status, StatusCode::OK);
    let mut changed = thresholds.json();
    changed["period_days"] = json!(180);
    let refused = app
        .json(Method::PUT, "/api/v1/conformance/thresholds", changed)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let request = json!({ "requirement_id": "A.5.3", "reason": "One person runs the firm." });
    let refused = app
        .post_json("/api/v1/conformance/justifications", request)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/conformance/thresholds").await.json()["period_days"],
        365
    );
}

#[tokio::test]
async fn thresholds_are_checked_and_each_real_change_is_audited_once() {
    let app = TestApp::new().await;
    let defaults = app.get("/api/v1/conformance/thresholds").await.json();
    assert_eq!(
        defaults,
        json!({ "period_days": 365, "reporting_interval_days": 365,
            "overdue_actions_percent": 10, "coverage_percent": 95 })
    );
    let put = |body: Value| app.json(Method::PUT, "/api/v1/conformance/thresholds", body);
    let bad = put(json!({ "period_days": 0, "reporting_interval_days": 3651,
        "overdue_actions_percent": -1, "coverage_percent": 101 }))
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&bad),
        [
            "coverage_percent",
            "overdue_actions_percent",
            "period_days",
            "reporting_interval_days"
        ]
    );
    let wrong_type = put(json!({ "period_days": "a year" })).await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);

    let edges = json!({ "period_days": 3650, "reporting_interval_days": 1,
        "overdue_actions_percent": 0, "coverage_percent": 100 });
    let saved = put(edges.clone()).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    assert_eq!(saved.json(), edges);
    assert_eq!(
        app.get("/api/v1/conformance/thresholds").await.json(),
        edges
    );
    assert_eq!(put(edges.clone()).await.status, StatusCode::OK);
    let changes = events(&app, "conformance_thresholds.changed").await;
    assert_eq!(changes.len(), 1, "the same values again change nothing");
    assert_eq!(changes[0]["record_type"], "conformance_thresholds");

    let assessment = run(&app).await;
    assert_eq!(
        assessment["evaluation"]["thresholds"], edges,
        "an assessment judges by the thresholds in force and keeps them"
    );
}

/// An app (as admin) with Bea and Cara in top management, and Ivy both managing conformance and
/// in top management.
struct Deciders {
    app: TestApp,
    bea: crate::helpers::TestSession,
    ivy: crate::helpers::TestSession,
}

async fn deciders() -> Deciders {
    let app = TestApp::new().await;
    let bea = app.account_session("bea", &[Role::TopManagement]).await;
    let ivy = app
        .account_session("ivy", &[Role::IsmsManager, Role::TopManagement])
        .await;
    Deciders { app, bea, ivy }
}

impl Deciders {
    async fn request(&self, session: Option<&crate::helpers::TestSession>, id: &str) -> Value {
        let body = json!({ "requirement_id": id, "reason": "No such activity here." });
        let uri = "/api/v1/conformance/justifications";
        let response = match session {
            Some(s) => self.app.json_as(s, Method::POST, uri, body).await,
            None => self.app.post_json(uri, body).await,
        };
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        response.json()
    }

    async fn decide(
        &self,
        session: &crate::helpers::TestSession,
        id: &Value,
        body: Value,
    ) -> crate::helpers::TestResponse {
        let uri = format!(
            "/api/v1/conformance/justifications/{}/decision",
            id.as_str().expect("id")
        );
        self.app.json_as(session, Method::POST, &uri, body).await
    }
}

#[tokio::test]
async fn top_management_decides_a_justification_but_never_its_own() {
    let d = deciders().await;
    let own = d.request(Some(&d.ivy), "A.5.3").await;
    assert_eq!(own["state"], "requested");
    assert_eq!(own["requested_by_name"], "Test ivy");
    let approve = json!({ "approve": true, "comment": "Agreed.", "password": TEST_PASSWORD });
    let refused = d.decide(&d.ivy, &own["id"], approve.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("their own request")),
        "{}",
        refused.text()
    );
    let again = d
        .app
        .post_json(
            "/api/v1/conformance/justifications",
            json!({ "requirement_id": "A.5.3", "reason": "Again." }),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "one request waits per requirement: {}",
        again.text()
    );

    let no_comment = d
        .decide(
            &d.bea,
            &own["id"],
            json!({ "approve": true, "password": TEST_PASSWORD }),
        )
        .await;
    assert_eq!(no_comment.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&no_comment), ["comment"]);
    let wrong = d
        .decide(
            &d.bea,
            &own["id"],
            json!({ "approve": true, "comment": "Ok", "password": "guess" }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&wrong), ["password"]);

    let approved = d.decide(&d.bea, &own["id"], approve.clone()).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
    let approved = approved.json();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["state"], "in_force");
    assert_eq!(approved["decided_by_name"], "Test bea");
    let twice = d.decide(&d.bea, &own["id"], approve).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text());

    let list = d.app.get("/api/v1/conformance/justifications").await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let trail = events(&d.app, "conformance_justification.approved").await;
    assert_eq!(trail.len(), 1);
}

#[tokio::test]
async fn an_approved_justification_makes_its_requirement_not_applicable_until_withdrawn() {
    let d = deciders().await;
    let request = d.request(None, "A.5.3").await;
    let approve = json!({ "approve": true, "comment": "Sole trader.", "password": TEST_PASSWORD });
    let decided = d.decide(&d.bea, &request["id"], approve).await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text());

    let assessment = run(&d.app).await;
    assert_eq!(verdict_of(&assessment, "A.5.3"), "not_applicable");
    let finding = assessment["evaluation"]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["id"] == "A.5.3")
        .and_then(|r| r["finding"].as_str())
        .expect("finding")
        .to_owned();
    assert!(
        finding.contains("Test bea"),
        "names who approved: {finding}"
    );

    let uri = format!(
        "/api/v1/conformance/justifications/{}/withdraw",
        request["id"].as_str().expect("id")
    );
    let withdrawn = d.app.post_json(&uri, json!({})).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.text());
    assert_eq!(withdrawn.json()["state"], "withdrawn");
    assert_eq!(
        d.app.post_json(&uri, json!({})).await.status,
        StatusCode::CONFLICT
    );
    let after = run(&d.app).await;
    assert_ne!(verdict_of(&after, "A.5.3"), "not_applicable");
}

#[tokio::test]
async fn bad_input_is_refused_with_its_fields_and_unknown_ids_are_not_found() {
    let d = deciders().await;
    let app = &d.app;
    let bad = app
        .post_json(
            "/api/v1/conformance/justifications",
            json!({ "requirement_id": "9.9.z", "reason": " ", "expires_on": "2000-01-01" }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&bad), ["expires_on", "reason", "requirement_id"]);
    let long = app
        .post_json(
            "/api/v1/conformance/justifications",
            json!({ "requirement_id": "5.1.a", "reason": "x".repeat(2001) }),
        )
        .await;
    assert_eq!(fields(&long), ["reason"]);

    let unknown = uuid::Uuid::now_v7();
    for uri in [
        format!("/api/v1/assessments/{unknown}"),
        format!("/api/v1/assessments/{unknown}/diff"),
        "/api/v1/assessments/not-an-id".to_owned(),
        "/api/v1/requirements/X.9/trend".to_owned(),
    ] {
        let response = app.get(&uri).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(response.json()["error"]["code"], "not_found", "{uri}");
    }
    let first = run(app).await;
    let id = first["id"].as_str().expect("id");
    let no_earlier = app.get(&format!("/api/v1/assessments/{id}/diff")).await;
    assert_eq!(
        no_earlier.status,
        StatusCode::NOT_FOUND,
        "the first has none before it"
    );
    let bad_against = app
        .get(&format!("/api/v1/assessments/{id}/diff?against=yesterday"))
        .await;
    assert_eq!(bad_against.status, StatusCode::BAD_REQUEST);
    let body = json!({ "approve": false, "comment": "No.", "password": TEST_PASSWORD });
    let decision = d.decide(&d.bea, &json!(unknown.to_string()), body).await;
    assert_eq!(decision.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_diff_and_the_trend_show_a_verdict_changed_by_the_records() {
    let app = TestApp::new().await;
    let before = run(&app).await;
    assert_eq!(verdict_of(&before, "5.3.b"), "nonconforming");
    let admin = account_named(&app, "Test admin").await;
    let rita = crate::helpers::store_person(app.store(), "Rita").await;
    crate::store_reports::assign(app.store(), &admin, rita, |r| r.performance_reporter).await;
    let after = run(&app).await;
    assert_eq!(verdict_of(&after, "5.3.b"), "partial");

    let id = after["id"].as_str().expect("id");
    let diff = app.get(&format!("/api/v1/assessments/{id}/diff")).await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.text());
    let diff = diff.json();
    assert_eq!(diff["from"]["id"], before["id"]);
    assert_eq!(diff["to"]["id"], after["id"]);
    let changes = diff["changes"].as_array().expect("changes");
    let change = changes
        .iter()
        .find(|c| c["id"] == "5.3.b")
        .expect("5.3.b changed");
    assert_eq!(change["verdict_before"], "nonconforming");
    assert_eq!(change["verdict_after"], "partial");
    assert!(change["finding_after"].is_string(), "{change}");
    assert!(
        changes
            .iter()
            .all(|c| c["verdict_before"] != c["verdict_after"]
                || c["finding_before"] != c["finding_after"]
                || !c["figures"].as_array().expect("figures").is_empty()),
        "unchanged requirements are left out: {diff}"
    );
    let explicit = app
        .get(&format!(
            "/api/v1/assessments/{id}/diff?against={}",
            before["id"].as_str().expect("id")
        ))
        .await
        .json();
    assert_eq!(explicit, diff);

    let trend = app.get("/api/v1/requirements/5.3.b/trend").await.json();
    let verdicts: Vec<&str> = trend["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["verdict"].as_str().expect("verdict"))
        .collect();
    assert_eq!(verdicts, ["nonconforming", "partial"], "oldest first");
    let last = app
        .get("/api/v1/requirements/5.3.b/trend?limit=1")
        .await
        .json();
    assert_eq!(last["points"][0]["assessment_id"], after["id"]);
}

#[tokio::test]
async fn the_live_liveness_is_read_without_storing_anything() {
    let app = TestApp::new().await;
    let liveness = app.get("/api/v1/liveness").await;
    assert_eq!(liveness.status, StatusCode::OK, "{}", liveness.text());
    let liveness = liveness.json();
    assert!(liveness["days_since_management_review"].is_null());
    assert_eq!(liveness["departed_holders"], 0);
    assert_eq!(app.get("/api/v1/assessments").await.json()["total"], 0);
}

#[tokio::test]
async fn the_schedule_stores_one_assessment_a_day() {
    use charter::jobs::{JobRunner, JobSettings};
    use charter::mail::{MailSettings, Mailer};
    let app = TestApp::new().await;
    let mailer = Mailer::from_settings(&MailSettings {
        smtp_url: None,
        smtp_ca_file: None,
        from: "charter@example.com".into(),
    })
    .expect("mailer");
    let runner = JobRunner::new(
        charter::app::AppState::new(app.db.store.clone()),
        mailer,
        JobSettings::every(std::time::Duration::from_secs(60)),
    );
    let first = runner.run_once().await;
    assert!(first.led);
    assert_eq!(first.assessments_stored, 1);
    let second = runner.run_once().await;
    assert_eq!(second.assessments_stored, 0, "one a day");
    let list = app.get("/api/v1/assessments").await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["trigger"], "schedule");
    assert_eq!(list["items"][0]["run_by"], Value::Null);
    let trail = events(&app, "assessment.run").await;
    assert_eq!(trail[0]["actor"], "system");
}

mod pure {
    //! The domain's pure parts: the diff, threshold limits, justification states, links.

    use charter::domain::assessment::{
        JustificationInput, JustificationState, JustificationStatus, diff, group_of,
        validate_thresholds,
    };
    use charter::domain::conformance::{
        CATALOG, Evaluation, EvidenceKind, EvidenceLink, Liveness, RequirementResult, Thresholds,
        Verdict,
    };
    use time::macros::date;
    use time::{Duration, OffsetDateTime};

    pub fn evaluation(finding: &str, verdict_of_5_1_b: Verdict) -> Evaluation {
        Evaluation {
            evaluated_at: OffsetDateTime::now_utc(),
            thresholds: Thresholds::default(),
            results: CATALOG
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let verdict = if r.id == "5.1.b" {
                        verdict_of_5_1_b
                    } else {
                        Verdict::Conforming
                    };
                    RequirementResult::new(r.id, verdict, finding).figure("records", i)
                })
                .collect(),
            liveness: Liveness::default(),
        }
    }

    #[test]
    fn the_diff_names_only_what_changed() {
        let older = evaluation("Met.", Verdict::Partial);
        assert!(diff(&older, &older).is_empty(), "nothing changed");
        let mut newer = evaluation("Met.", Verdict::Conforming);
        newer.results[3].finding = "Met, at last.".into();
        newer.results[4].figures[0].value = "99".into();
        let changes = diff(&older, &newer);
        let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, [CATALOG[1].id, CATALOG[3].id, CATALOG[4].id]);
        assert_eq!(changes[0].verdict_before, Some(Verdict::Partial));
        assert_eq!(changes[0].verdict_after, Some(Verdict::Conforming));
        assert!(
            changes[0].finding_before.is_none(),
            "the finding did not change"
        );
        assert_eq!(changes[1].finding_after.as_deref(), Some("Met, at last."));
        assert!(!changes[1].verdict_changed());
        assert_eq!(changes[2].figures[0].before.as_deref(), Some("4"));
        assert_eq!(changes[2].figures[0].after.as_deref(), Some("99"));

        let mut missing = older.clone();
        missing.results.retain(|r| r.id != "A.6.8");
        let gone = diff(&older, &missing);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].verdict_after, None, "not judged in the newer one");
    }

    #[test]
    fn thresholds_stay_within_their_limits() {
        let ok = Thresholds {
            period_days: 1,
            reporting_interval_days: 3650,
            overdue_actions_percent: 0,
            coverage_percent: 100,
        };
        assert_eq!(validate_thresholds(ok), Ok(ok));
        let days = Thresholds {
            period_days: 3651,
            reporting_interval_days: 0,
            ..ok
        };
        let errors = validate_thresholds(days).expect_err("refused");
        assert!(errors.get("period_days").is_some());
        assert!(errors.get("reporting_interval_days").is_some());
        let percents = Thresholds {
            overdue_actions_percent: 101,
            coverage_percent: -1,
            ..ok
        };
        let errors = validate_thresholds(percents).expect_err("refused");
        assert!(errors.get("overdue_actions_percent").is_some());
        assert!(errors.get("coverage_percent").is_some());
        assert!(errors.get("period_days").is_none());
    }

    #[test]
    fn an_approved_justification_lapses_the_day_after_its_expiry() {
        let today = date!(2026 - 06 - 01);
        let on = |status, expiry| JustificationState::on(status, expiry, today);
        let approved = JustificationStatus::Approved;
        assert_eq!(on(approved, Some(today)), JustificationState::InForce);
        assert_eq!(
            on(approved, Some(today - Duration::days(1))),
            JustificationState::Expired
        );
        assert_eq!(on(approved, None), JustificationState::InForce);
        assert_eq!(
            on(
                JustificationStatus::Requested,
                Some(today - Duration::days(9))
            ),
            JustificationState::Requested
        );
        let input = |expires_on| JustificationInput {
            requirement_id: " 5.1.a ".into(),
            reason: "Not here.".into(),
            expires_on,
        };
        assert!(input(Some(today)).validate(today).is_err(), "not today");
        let valid = input(Some(today + Duration::days(1)))
            .validate(today)
            .expect("tomorrow");
        assert_eq!(valid.requirement_id, "5.1.a");
    }

    #[test]
    fn requirements_fall_into_the_sections_of_the_catalog() {
        let sections: Vec<&str> = CATALOG.iter().map(|r| group_of(r.id)).collect();
        assert_eq!(sections.iter().filter(|s| **s == "5.1").count(), 8);
        assert_eq!(sections.iter().filter(|s| **s == "5.2").count(), 7);
        assert_eq!(sections.iter().filter(|s| **s == "5.3").count(), 5);
        assert_eq!(sections.iter().filter(|s| **s == "A").count(), 6);
    }

    #[test]
    fn every_kind_of_evidence_links_to_its_own_page() {
        let id = uuid::Uuid::now_v7();
        let link = |kind| EvidenceLink {
            kind,
            id,
            label: String::new(),
        };
        assert_eq!(
            link(EvidenceKind::PolicyVersion).href(),
            format!("/policies/versions/{id}")
        );
        assert_eq!(
            link(EvidenceKind::Assignment).href(),
            format!("/roles/assignments/{id}")
        );
        assert_eq!(
            link(EvidenceKind::RaciActivity).href(),
            format!("/roles/raci#activity-{id}")
        );
        assert!(
            EvidenceKind::ALL
                .iter()
                .all(|k| !link(*k).href().starts_with("/audit")),
            "a page of its own, not the audit trail"
        );
    }
}

/// Every kind's link answers from a page route (a missing route answers with the site-wide "no
/// page at this address").
#[tokio::test]
async fn every_evidence_link_reaches_a_page_route() {
    use charter::domain::conformance::{EvidenceKind, EvidenceLink};
    let app = TestApp::new().await;
    for kind in EvidenceKind::ALL {
        let link = EvidenceLink {
            kind: *kind,
            id: uuid::Uuid::now_v7(),
            label: String::new(),
        };
        let href = link.href();
        let path = href.split('#').next().expect("path");
        let response = app.get(path).await;
        assert!(
            !response.text().contains("There is no page at this address"),
            "{kind:?}: {path} is not a page"
        );
    }
}

mod store {
    //! Store scenarios on SQLite and PostgreSQL.

    use charter::domain::access::Role;
    use charter::domain::assessment::{JustificationDecision, JustificationInput, Trigger};
    use charter::domain::conformance::{Thresholds, Verdict};
    use charter::domain::{AuditFilter, PageRequest};
    use charter::store::{DatabaseLocation, Store, StoreError};
    use time::{Duration, OffsetDateTime};

    use super::pure::evaluation;
    use crate::helpers::{TestDb, store_account};

    crate::on_both_backends!(
        an_assessment_cannot_be_changed_in_the_database,
        a_changed_snapshot_is_reported_as_not_intact,
        the_history_trend_and_previous_follow_the_order_of_storing,
        two_deciding_at_once_decide_once,
        justifications_are_in_force_until_they_expire,
        thresholds_default_until_changed_and_each_change_is_audited,
    );

    fn today() -> time::Date {
        OffsetDateTime::now_utc().date()
    }

    async fn actions(store: &dyn Store, record_id: &str) -> Vec<String> {
        let filter = AuditFilter {
            record_id: Some(record_id.to_owned()),
            ..AuditFilter::default()
        };
        let page = store
            .list_audit_events(&filter, PageRequest::new(Some(1), Some(100)))
            .await
            .expect("events");
        page.items.into_iter().rev().map(|e| e.action).collect()
    }

    /// Runs `sql` around Charter; whether the database accepted it.
    async fn try_sql(location: &DatabaseLocation, sql: &str) -> bool {
        use sqlx::Connection;
        let statement = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()));
        match location {
            DatabaseLocation::Sqlite(path) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
                let mut conn = sqlx::SqliteConnection::connect_with(&options)
                    .await
                    .expect("sqlite");
                statement.execute(&mut conn).await.is_ok()
            }
            DatabaseLocation::Postgres(url) => {
                let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
                statement.execute(&mut conn).await.is_ok()
            }
        }
    }

    async fn an_assessment_cannot_be_changed_in_the_database(db: TestDb) {
        let store = db.store.as_ref();
        let stored = store
            .run_assessment(None, Trigger::Cli, evaluation("Met.", Verdict::Partial))
            .await
            .expect("stored");
        assert_eq!(stored.run_by_label, "command line");
        assert_eq!(
            actions(store, &stored.id.to_string()).await,
            ["assessment.run"]
        );
        for sql in [
            "UPDATE assessments SET run_by_label = 'someone else'",
            "UPDATE assessments SET evaluation = '{}'",
            "DELETE FROM assessments",
            "UPDATE assessment_verdicts SET verdict = 'conforming'",
            "DELETE FROM assessment_verdicts",
        ] {
            assert!(!try_sql(&db.location, sql).await, "refused: {sql}");
        }
        let read = store.get_assessment(stored.id).await.expect("read");
        assert!(read.intact);
        assert_eq!(read, stored, "unchanged");
    }

    async fn a_changed_snapshot_is_reported_as_not_intact(db: TestDb) {
        let store = db.store.as_ref();
        let stored = store
            .run_assessment(
                None,
                Trigger::Schedule,
                evaluation("Met.", Verdict::Partial),
            )
            .await
            .expect("stored");
        let (off, on) = match db.location {
            DatabaseLocation::Sqlite(_) => ("DROP TRIGGER assessments_no_update", "SELECT 1"),
            DatabaseLocation::Postgres(_) => (
                "ALTER TABLE assessments DISABLE TRIGGER assessments_immutable",
                "ALTER TABLE assessments ENABLE TRIGGER assessments_immutable",
            ),
        };
        let tamper = format!(
            "{off}; UPDATE assessments SET evaluation = replace(evaluation, 'Met.', 'Fine.'); {on}"
        );
        assert!(try_sql(&db.location, &tamper).await, "the tampering ran");
        let read = store.get_assessment(stored.id).await.expect("read");
        assert!(!read.intact, "the stored text no longer has its hash");
        assert_eq!(read.content_sha256, stored.content_sha256);
        assert_eq!(read.evaluation.results[0].finding, "Fine.");
    }

    async fn the_history_trend_and_previous_follow_the_order_of_storing(db: TestDb) {
        let store = db.store.as_ref();
        let mut ids = Vec::new();
        for verdict in [
            Verdict::Nonconforming,
            Verdict::Partial,
            Verdict::Conforming,
        ] {
            let stored = store
                .run_assessment(None, Trigger::Cli, evaluation("Met.", verdict))
                .await
                .expect("stored");
            ids.push(stored.id);
        }
        let page = store
            .list_assessments(PageRequest::new(Some(1), Some(2)))
            .await
            .expect("list");
        assert_eq!(page.total, 3);
        let listed: Vec<_> = page.items.iter().map(|s| s.id).collect();
        assert_eq!(listed, [ids[2], ids[1]], "newest first");
        assert_eq!(page.items[0].counts.conforming, 26);
        assert_eq!(page.items[1].counts.partial, 1);
        let latest = store.latest_assessment().await.expect("latest");
        assert_eq!(latest.map(|a| a.id), Some(ids[2]));
        let previous = store.previous_assessment(ids[2]).await.expect("previous");
        assert_eq!(previous.map(|s| s.id), Some(ids[1]));
        let first = store.previous_assessment(ids[0]).await.expect("previous");
        assert!(first.is_none());
        assert!(matches!(
            store.previous_assessment(uuid::Uuid::now_v7()).await,
            Err(StoreError::NotFound(_))
        ));
        let trend = store.requirement_trend("5.1.b", 50).await.expect("trend");
        let verdicts: Vec<_> = trend.iter().map(|p| p.verdict).collect();
        assert_eq!(
            verdicts,
            [
                Some(Verdict::Nonconforming),
                Some(Verdict::Partial),
                Some(Verdict::Conforming)
            ],
            "oldest first"
        );
        let last_two = store.requirement_trend("5.1.b", 2).await.expect("trend");
        assert_eq!(last_two.len(), 2);
        assert_eq!(last_two[1].assessment_id, ids[2]);
        let unjudged = store.requirement_trend("X.1", 50).await.expect("trend");
        assert!(unjudged.iter().all(|p| p.verdict.is_none()));
    }

    fn decision(approve: bool, comment: &str) -> JustificationDecision {
        JustificationDecision {
            approve,
            comment: comment.into(),
        }
    }

    /// Two members of top management decide the same request at the same moment: one decides,
    /// the other is told (409), and the trail holds one decision (on PostgreSQL both
    /// transactions run at once).
    async fn two_deciding_at_once_decide_once(db: TestDb) {
        let store = db.store.as_ref();
        let ada = store_account(store, "Ada", &[Role::IsmsManager]).await;
        let bea = store_account(store, "Bea", &[Role::TopManagement]).await;
        let cara = store_account(store, "Cara", &[Role::TopManagement]).await;
        for (round, requirement) in ["5.1.a", "5.2.g", "A.5.3", "A.6.8"].iter().enumerate() {
            let input = JustificationInput {
                requirement_id: (*requirement).into(),
                reason: "Not relevant here.".into(),
                expires_on: None,
            };
            let request = store
                .request_justification(&ada, input, today())
                .await
                .expect("requested");
            let (by_bea, by_cara) = tokio::join!(
                store.decide_justification(&bea, request.id, decision(true, "Yes"), today()),
                store.decide_justification(&cara, request.id, decision(false, "No"), today()),
            );
            let (winner, message) = match (&by_bea, &by_cara) {
                (Ok(_), Err(StoreError::Conflict(m))) => ("Bea", m),
                (Err(StoreError::Conflict(m)), Ok(_)) => ("Cara", m),
                _ => panic!(
                    "round {round}: exactly one decides, the other is told (409): {:?} / {:?}",
                    by_bea.as_ref().map(|r| r.status),
                    by_cara.as_ref().map(|r| r.status)
                ),
            };
            assert!(
                message.contains(winner),
                "round {round}: names who: {message}"
            );
            let stored = store
                .get_justification(request.id, today())
                .await
                .expect("read");
            assert_eq!(stored.decided_by_name.as_deref(), Some(winner));
            let trail = actions(store, &request.id.to_string()).await;
            assert_eq!(
                trail.len(),
                2,
                "round {round}: one decision in the trail: {trail:?}"
            );
        }
    }

    async fn justifications_are_in_force_until_they_expire(db: TestDb) {
        let store = db.store.as_ref();
        let ada = store_account(store, "Ada", &[Role::IsmsManager, Role::TopManagement]).await;
        let bea = store_account(store, "Bea", &[Role::TopManagement]).await;
        let sam = store_account(store, "Sam", &[Role::Staff]).await;
        let tomorrow = today() + Duration::days(1);
        let input = JustificationInput {
            requirement_id: "A.6.8".into(),
            reason: "Outsourced to the parent company.".into(),
            expires_on: Some(tomorrow),
        };
        let request = store
            .request_justification(&ada, input.clone(), today())
            .await
            .expect("requested");
        let twice = store.request_justification(&bea, input, today()).await;
        assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
        let own = store
            .decide_justification(&ada, request.id, decision(true, "Mine"), today())
            .await;
        assert!(matches!(own, Err(StoreError::Forbidden(_))), "{own:?}");
        let staff = store
            .decide_justification(&sam, request.id, decision(true, "Sure"), today())
            .await;
        assert!(matches!(staff, Err(StoreError::Forbidden(_))), "{staff:?}");
        assert!(
            store
                .approved_justifications(today())
                .await
                .expect("read")
                .is_empty()
        );

        store
            .decide_justification(&bea, request.id, decision(true, "Agreed"), today())
            .await
            .expect("approved");
        let in_force = store.approved_justifications(tomorrow).await.expect("read");
        assert_eq!(in_force.len(), 1);
        assert_eq!(in_force[0].requirement_id, "A.6.8");
        assert_eq!(in_force[0].approved_by, "Bea");
        assert_eq!(in_force[0].approved_on, today());
        let later = tomorrow + Duration::days(1);
        assert!(
            store
                .approved_justifications(later)
                .await
                .expect("read")
                .is_empty()
        );
        let expired = store
            .get_justification(request.id, later)
            .await
            .expect("read");
        assert_eq!(
            expired.state,
            charter::domain::assessment::JustificationState::Expired
        );
        let withdrawn = store
            .withdraw_justification(&ada, request.id, today())
            .await
            .expect("withdrawn");
        assert_eq!(withdrawn.withdrawn_by_name.as_deref(), Some("Ada"));
        assert!(
            store
                .approved_justifications(today())
                .await
                .expect("read")
                .is_empty()
        );
        assert_eq!(
            actions(store, &request.id.to_string()).await,
            [
                "conformance_justification.requested",
                "conformance_justification.approved",
                "conformance_justification.withdrawn"
            ]
        );
        let unknown = store
            .decide_justification(&bea, uuid::Uuid::now_v7(), decision(true, "?"), today())
            .await;
        assert!(
            matches!(unknown, Err(StoreError::NotFound(_))),
            "{unknown:?}"
        );
    }

    async fn thresholds_default_until_changed_and_each_change_is_audited(db: TestDb) {
        let store = db.store.as_ref();
        let ada = store_account(store, "Ada", &[Role::IsmsManager]).await;
        assert_eq!(
            store.conformance_thresholds().await.expect("read"),
            Thresholds::default()
        );
        store
            .set_thresholds(&ada, Thresholds::default())
            .await
            .expect("same");
        assert!(
            actions(store, "thresholds").await.is_empty(),
            "no change, no event"
        );
        let tighter = Thresholds {
            coverage_percent: 98,
            ..Thresholds::default()
        };
        let saved = store.set_thresholds(&ada, tighter).await.expect("saved");
        assert_eq!(saved, tighter);
        assert_eq!(store.conformance_thresholds().await.expect("read"), tighter);
        assert_eq!(
            actions(store, "thresholds").await,
            ["conformance_thresholds.changed"]
        );
        let invalid = Thresholds {
            period_days: 0,
            ..tighter
        };
        let refused = store.set_thresholds(&ada, invalid).await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{refused:?}"
        );
        assert_eq!(store.conformance_thresholds().await.expect("read"), tighter);
    }
}
