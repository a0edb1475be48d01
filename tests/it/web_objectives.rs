//! Objectives through the pages (5.1.a, 5.1.e): the list puts what needs attention first, an
//! objective's page draws its trend with the numbers beside it and shows corrections, refused
//! forms keep what was typed, and an owner finds the measurement due in "My tasks".

use axum::http::StatusCode;
use charter::domain::Actor;
use charter::domain::access::Role;
use charter::domain::objective::{Direction, MeasurementInput, ObjectiveInput};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestApp, TestSession};
use crate::web_campaigns::redirect;
use crate::web_trust::post_form_as;

/// Ina runs the ISMS; Olga (staff) owns objectives; Sam is other staff.
struct Cast {
    app: TestApp,
    ina: TestSession,
    olga: TestSession,
    sam: TestSession,
    olga_id: Uuid,
}

async fn cast() -> Cast {
    let app = TestApp::anonymous().await;
    let ina = app.account_session("ina", &[Role::IsmsManager]).await;
    let olga = app.account_session("olga", &[Role::Staff]).await;
    let sam = app.account_session("sam", &[Role::Staff]).await;
    let me = app.get_as(&olga, "/api/v1/auth/me").await.json();
    let olga_id = me["person_id"].as_str().expect("id").parse().expect("uuid");
    Cast {
        app,
        ina,
        olga,
        sam,
        olga_id,
    }
}

impl Cast {
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

    /// An objective owned by Olga, due in `due_in` days, with `values` measured `days_ago`.
    async fn objective(&self, statement: &str, due_in: i64, values: &[(f64, i64)]) -> Uuid {
        let store = self.app.store();
        let today = OffsetDateTime::now_utc().date();
        let input = ObjectiveInput {
            statement: statement.into(),
            metric: "Staff trained".into(),
            unit: "%".into(),
            target: 90.0,
            direction: Direction::AtLeast,
            owner_id: self.olga_id,
            due_on: today + Duration::days(due_in),
            measurement_interval_days: 30,
            theme: "Trust".into(),
            policy_id: None,
        };
        let objective = store
            .create_objective(&Actor::cli(), input, today)
            .await
            .expect("objective");
        let owner = store
            .list_accounts()
            .await
            .expect("accounts")
            .into_iter()
            .find(|a| a.person_id == self.olga_id)
            .expect("Olga's account");
        for (value, days_ago) in values {
            let input = MeasurementInput {
                value: *value,
                measured_at: Some(OffsetDateTime::now_utc() - Duration::days(*days_ago)),
                source: "LMS export".into(),
                corrects_id: None,
            };
            store
                .record_measurement(&owner, objective.id, input)
                .await
                .expect("measured");
        }
        objective.id
    }
}

#[tokio::test]
async fn the_list_puts_what_needs_attention_first() {
    let cast = cast().await;
    cast.objective("Alpha on track", 60, &[(95.0, 3)]).await;
    cast.objective("Bravo never measured", 60, &[]).await;
    cast.objective("Charlie at risk", 60, &[(70.0, 3)]).await;
    cast.objective("Delta missed", -2, &[(70.0, 3)]).await;
    let html = cast.page(&cast.ina, "/leadership/objectives").await;
    let at = |text: &str| {
        html.find(text)
            .unwrap_or_else(|| panic!("{text} in {html}"))
    };
    assert!(at("Delta missed") < at("Charlie at risk"));
    assert!(at("Charlie at risk") < at("Bravo never measured"));
    assert!(at("Bravo never measured") < at("Alpha on track"));
    for badge in [
        "badge red\">Missed",
        "badge amber\">At risk",
        "badge grey\">Not measured",
        "badge green\">On track",
    ] {
        assert!(html.contains(badge), "{badge}");
    }
    assert!(
        html.contains("at least 90%"),
        "the target beside the latest value"
    );
    let missed = cast
        .page(&cast.ina, "/leadership/objectives?status=missed")
        .await;
    assert!(missed.contains("Delta missed") && !missed.contains("Alpha on track"));
    assert!(
        missed.contains("value=\"missed\" selected"),
        "the filter is kept"
    );
}

#[tokio::test]
async fn an_objective_page_draws_its_trend_with_the_numbers_beside_it() {
    let cast = cast().await;
    let id = cast
        .objective("Train everyone", 60, &[(78.0, 40), (92.0, 10)])
        .await;
    let uri = format!("/leadership/objectives/{id}");
    let history = cast
        .app
        .store()
        .list_measurements(id)
        .await
        .expect("history");
    let corrected = history[0].id.to_string();
    let fix = [
        ("value", "87"),
        ("measured_on", ""),
        ("source", "LMS export, rerun"),
        ("corrects_id", corrected.as_str()),
    ];
    let recorded = post_form_as(&cast.app, &cast.olga, &format!("{uri}/measurements"), &fix).await;
    assert!(redirect(&recorded).starts_with(&uri));
    let html = cast.page(&cast.olga, &uri).await;
    assert!(
        html.contains("<svg class=\"chart trend-chart objective-chart\""),
        "{html}"
    );
    assert!(html.contains("<line class=\"target\""));
    assert!(
        html.contains("<caption class=\"visually-hidden\">The values of the trend chart</caption>")
    );
    assert!(
        html.contains("<td class=\"num\">87%</td>"),
        "the corrected value counts"
    );
    assert!(
        html.contains("<del>78%</del>"),
        "the corrected one is struck through"
    );
    assert!(html.contains("Corrects the value of"), "{html}");
    assert!(
        html.contains("Record a measurement"),
        "the owner may record"
    );
    let other = cast.app.get_as(&cast.sam, &uri).await;
    assert_eq!(
        other.status,
        StatusCode::FORBIDDEN,
        "others without leadership access"
    );
}

#[tokio::test]
async fn refused_forms_keep_what_was_typed() {
    let cast = cast().await;
    let form = [
        ("statement", "Patch within a fortnight"),
        ("metric", "Median days to patch"),
        ("unit", "days"),
        ("target", "a fortnight"),
        ("direction", "at_most"),
        ("owner_email", "olga@example.test"),
        ("due_on", "2030-01-01"),
        ("measurement_interval_days", "90"),
        ("theme", ""),
        ("policy_id", ""),
    ];
    let refused = post_form_as(&cast.app, &cast.ina, "/leadership/objectives", &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(html.contains("value=\"Median days to patch\""), "{html}");
    assert!(html.contains("value=\"a fortnight\""));
    assert!(html.contains("Target must be a number."), "{html}");
    assert!(html.contains("Strategic theme is required"), "{html}");
    let mut fixed = form;
    fixed[3] = ("target", "14");
    fixed[8] = ("theme", "Resilience");
    let created = post_form_as(&cast.app, &cast.ina, "/leadership/objectives", &fixed).await;
    let page = redirect(&created);
    let html = cast.page(&cast.olga, &page).await;
    assert!(html.contains("at most 14 days"), "{html}");

    let id = page
        .trim_start_matches("/leadership/objectives/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    let bad = [
        ("value", "lots"),
        ("measured_on", ""),
        ("source", "Patch report"),
        ("corrects_id", ""),
    ];
    let uri = format!("/leadership/objectives/{id}/measurements");
    let refused = post_form_as(&cast.app, &cast.olga, &uri, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(
        html.contains("value=\"lots\"") && html.contains("value=\"Patch report\""),
        "{html}"
    );
    assert!(html.contains("Value must be a number."), "{html}");
    let stranger = [
        ("value", "12"),
        ("measured_on", ""),
        ("source", "Guess"),
        ("corrects_id", ""),
    ];
    let forbidden = post_form_as(&cast.app, &cast.sam, &uri, &stranger).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_owner_finds_a_measurement_due_in_my_tasks() {
    let cast = cast().await;
    let id = cast.objective("Train everyone", 60, &[(95.0, 45)]).await;
    let tasks = cast.page(&cast.olga, "/tasks").await;
    assert!(tasks.contains("1 objective needs a measurement"), "{tasks}");
    assert!(tasks.contains(&format!("/leadership/objectives/{id}#record-title")));
    let others = cast.page(&cast.sam, "/tasks").await;
    assert!(!others.contains("needs a measurement"));
    let fresh = [
        ("value", "96"),
        ("measured_on", ""),
        ("source", "LMS"),
        ("corrects_id", ""),
    ];
    let uri = format!("/leadership/objectives/{id}/measurements");
    redirect(&post_form_as(&cast.app, &cast.olga, &uri, &fresh).await);
    let tasks = cast.page(&cast.olga, "/tasks").await;
    assert!(
        !tasks.contains("needs a measurement"),
        "measured: nothing due"
    );
}

#[tokio::test]
async fn the_evidence_trail_shows_only_to_those_who_read_evidence() {
    let cast = cast().await;
    let id = cast.objective("Train everyone", 60, &[(95.0, 3)]).await;
    let uri = format!("/leadership/objectives/{id}");
    let own = cast.page(&cast.olga, &uri).await;
    assert!(own.contains("Record a measurement"), "{own}");
    assert!(
        !own.contains("Evidence trail"),
        "a staff owner does not read the audit trail: {own}"
    );
    let managed = cast.page(&cast.ina, &uri).await;
    assert!(managed.contains("Evidence trail"), "{managed}");
}

#[tokio::test]
async fn numbers_too_large_to_chart_are_refused_beside_their_field() {
    let cast = cast().await;
    let form = [
        ("statement", "Patch within a fortnight"),
        ("metric", "Median days to patch"),
        ("unit", "days"),
        ("target", "1e308"),
        ("direction", "at_most"),
        ("owner_email", "olga@example.test"),
        ("due_on", "2030-01-01"),
        ("measurement_interval_days", "90"),
        ("theme", "Resilience"),
        ("policy_id", ""),
    ];
    let refused = post_form_as(&cast.app, &cast.ina, "/leadership/objectives", &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(html.contains("value=\"1e308\""), "{html}");
    assert!(html.contains("Target must be between"), "{html}");

    let id = cast.objective("Train everyone", 60, &[(95.0, 3)]).await;
    let huge = [
        ("value", "-1e308"),
        ("measured_on", ""),
        ("source", "LMS export"),
        ("corrects_id", ""),
    ];
    let uri = format!("/leadership/objectives/{id}/measurements");
    let refused = post_form_as(&cast.app, &cast.olga, &uri, &huge).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(html.contains("Value must be between"), "{html}");
    assert!(
        !html.contains("NaN"),
        "the page around the form still draws: {html}"
    );
}
