//! Roles through the pages: the ISMS manager writes the catalog and assigns roles by form, the
//! holder acknowledges from "My tasks" and delegates a task, a segregation rule refuses an
//! assignment on the form, the role page answers who held it on a day, staff read the escalation
//! paths, an auditor reads without buttons, and a person's page shows their roles.

use axum::http::StatusCode;
use charter::domain::Actor;
use charter::domain::access::Role;
use charter::domain::sod::{SodConflict, SodRuleInput};
use uuid::Uuid;

use crate::helpers::{TestApp, TestResponse, TestSession};
use crate::web_campaigns::{in_days, redirect};
use crate::web_trust::post_form_as;

/// An ISMS manager, two members of staff, an auditor.
struct Cast {
    app: TestApp,
    isms: TestSession,
    stu: TestSession,
    sam: TestSession,
    auditor: TestSession,
}

async fn cast() -> Cast {
    let app = TestApp::anonymous().await;
    let isms = app.account_session("ina", &[Role::IsmsManager]).await;
    let stu = app.account_session("stu", &[Role::Staff]).await;
    let sam = app.account_session("sam", &[Role::Staff]).await;
    let auditor = app.account_session("aud", &[Role::Auditor]).await;
    Cast {
        app,
        isms,
        stu,
        sam,
        auditor,
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

    async fn post(&self, who: &TestSession, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        post_form_as(&self.app, who, uri, fields).await
    }

    /// Creates a role by form; returns its id.
    async fn role(&self, name: &str, extra: &[(&str, &str)]) -> String {
        let mut fields = vec![
            ("name", name),
            ("category", "isms_governance"),
            ("purpose", "Keeps the ISMS running."),
            (
                "responsibilities",
                "Run the risk assessment\nReport incidents to the board",
            ),
            ("authorities", "Approve access exceptions"),
            ("competence", "ISO/IEC 27001 foundation"),
        ];
        fields.extend_from_slice(extra);
        let response = self.post(&self.isms, "/roles", &fields).await;
        let location = redirect(&response);
        assert!(location.ends_with("?flash=created"), "{location}");
        location
            .trim_start_matches("/roles/")
            .trim_end_matches("?flash=created")
            .to_owned()
    }

    /// Assigns a role by form to `<label>@example.test`; returns the assignment's id.
    async fn assign(&self, role: &str, label: &str, starts: &str) -> String {
        let response = self.assign_answer(role, label, starts).await;
        let location = redirect(&response);
        assert!(location.ends_with("?flash=assigned"), "{location}");
        location
            .trim_start_matches("/roles/assignments/")
            .trim_end_matches("?flash=assigned")
            .to_owned()
    }

    async fn assign_answer(&self, role: &str, label: &str, starts: &str) -> TestResponse {
        let email = format!("{label}@example.test");
        let fields = [
            ("role_id", role),
            ("person_email", email.as_str()),
            ("scope", "organization"),
            ("starts_on", starts),
            ("reason", "Named by the board."),
        ];
        self.post(&self.isms, "/roles/assignments", &fields).await
    }
}

#[tokio::test]
async fn an_isms_manager_writes_a_role_by_form_with_refusals_beside_the_fields() {
    let c = cast().await;
    let catalog = c.page(&c.isms, "/roles").await;
    assert!(
        catalog.contains("Information security manager"),
        "the standard catalog is there from the start: {catalog}"
    );
    assert!(catalog.contains("required roles have no holder today"));
    assert!(catalog.contains(r#"href="/roles/new""#));

    let refused = c
        .post(
            &c.isms,
            "/roles",
            &[("name", "ISMS manager"), ("category", "isms_governance")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = refused.text();
    assert!(form.contains(r#"id="responsibilities-error""#), "{form}");
    assert!(
        form.contains("State at least one responsibility."),
        "{form}"
    );
    assert!(
        form.contains(r#"value="ISMS manager""#),
        "what was typed is kept"
    );

    let id = c.role("ISMS manager", &[("required", "yes")]).await;
    let page = c.page(&c.isms, &format!("/roles/{id}")).await;
    assert!(page.contains("<li>Run the risk assessment</li>"), "{page}");
    assert!(page.contains("<li>Approve access exceptions</li>"));
    assert!(page.contains("Nobody holds this role today."), "{page}");
    let catalog = c.page(&c.isms, "/roles").await;
    assert!(catalog.contains(&format!(r#"href="/roles/{id}">ISMS manager</a>"#)));

    let second = c
        .post(
            &c.isms,
            "/roles",
            &[
                ("name", "Deputy ISMS manager"),
                ("category", "isms_governance"),
                ("responsibilities", "Stand in"),
                ("authorities", "Decide in absence"),
                ("conformance_owner", "yes"),
            ],
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.text());
    let form = second.text();
    assert!(form.contains("Nothing was saved."), "{form}");
    assert!(
        form.contains("is already the one"),
        "the store's reason: {form}"
    );
    assert!(form.contains(r#"value="Deputy ISMS manager""#));
}

#[tokio::test]
async fn an_assignment_by_form_is_acknowledged_by_its_holder_from_my_tasks() {
    let c = cast().await;
    let role = c.role("Risk owner for payments", &[]).await;
    let unknown = c.assign_answer(&role, "nobody", &in_days(0)).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown
            .text()
            .contains("is not the email of anyone in Charter"),
        "{}",
        unknown.text()
    );

    let assignment = c.assign(&role, "stu", &in_days(0)).await;
    let list = c.page(&c.isms, "/roles/assignments").await;
    assert!(list.contains("Test stu"), "{list}");
    assert!(
        list.contains(r#"<span class="figure-number">1</span> <span class="figure-label">Not yet acknowledged"#),
        "{list}"
    );

    let tasks = c.page(&c.stu, "/tasks").await;
    assert!(
        tasks.contains("1 role awaits your acknowledgment"),
        "{tasks}"
    );
    let href = format!("/roles/assignments/{assignment}");
    assert!(tasks.contains(&format!(r#"href="{href}""#)), "{tasks}");
    let page = c.page(&c.stu, &href).await;
    assert!(page.contains("I acknowledge this role"), "{page}");
    assert!(page.contains("Run the risk assessment"));
    assert!(
        !page.contains(&format!(r#"href="/roles/{role}""#)),
        "staff get no link to the role page they cannot open"
    );
    let other = c.app.get_as(&c.sam, &href).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "only the holder");

    let done = c.post(&c.stu, &format!("{href}/acknowledge"), &[]).await;
    assert_eq!(redirect(&done), format!("{href}?flash=acknowledged"));
    let page = c.page(&c.stu, &format!("{href}?flash=acknowledged")).await;
    assert!(page.contains("your acknowledgment of this role is recorded"));
    assert!(
        page.contains("with these responsibilities and authorities."),
        "the statement acknowledged is shown: {page}"
    );
    assert!(!page.contains("I acknowledge this role</button>"));
    let tasks = c.page(&c.stu, "/tasks").await;
    assert!(
        !tasks.contains(&href),
        "nothing left to acknowledge: {tasks}"
    );
    let list = c
        .page(&c.isms, "/roles/assignments?unacknowledged=true")
        .await;
    assert!(
        list.contains(r#"<span class="figure-number">0</span>"#),
        "{list}"
    );
    assert!(list.contains("No assignment matches this filter"), "{list}");
}

#[tokio::test]
async fn a_segregation_rule_refuses_an_assignment_on_the_form() {
    let c = cast().await;
    let requester = c.role("Access requester", &[]).await;
    let approver = c.role("Access approver", &[]).await;
    let rule = SodRuleInput {
        conflict: SodConflict::Roles {
            role_a: requester.parse().expect("id"),
            role_b: approver.parse().expect("id"),
        },
        rationale: "Nobody approves their own access.".into(),
    };
    c.app
        .store()
        .create_sod_rule(&Actor::named("test"), rule)
        .await
        .expect("rule");
    c.assign(&requester, "stu", &in_days(0)).await;

    let refused = c.assign_answer(&approver, "stu", &in_days(0)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    let form = refused.text();
    assert!(form.contains("The role was not assigned"), "{form}");
    assert!(form.contains("Nobody approves their own access."), "{form}");
    assert!(form.contains(r#"href="/roles/segregation""#), "{form}");
    assert!(
        form.contains(r#"value="stu@example.test""#),
        "what was typed is kept"
    );
    let holders = c.page(&c.isms, &format!("/roles/{approver}")).await;
    assert!(
        holders.contains("Nobody holds this role today."),
        "{holders}"
    );
}

#[tokio::test]
async fn the_role_page_answers_who_held_it_on_a_day() {
    let c = cast().await;
    let role = c.role("Owner of the asset register", &[]).await;
    let first = c.assign(&role, "stu", &in_days(-10)).await;
    let ended = c
        .post(
            &c.isms,
            &format!("/roles/assignments/{first}/end"),
            &[
                ("end_ends_on", &in_days(-3)),
                ("end_reason", "Moved to sales."),
            ],
        )
        .await;
    assert_eq!(
        redirect(&ended),
        format!("/roles/assignments/{first}?flash=ended")
    );
    c.assign(&role, "sam", &in_days(-2)).await;

    let before = c
        .page(&c.isms, &format!("/roles/{role}?on={}", in_days(-5)))
        .await;
    assert!(
        before.contains(&format!(
            "<strong>On {}</strong> Owner of the asset register was held by Test stu.",
            in_days(-5)
        )),
        "{before}"
    );
    let today = c
        .page(&c.isms, &format!("/roles/{role}?on={}", in_days(0)))
        .await;
    assert!(
        today.contains("Owner of the asset register was held by Test sam."),
        "{today}"
    );
    let history = today
        .split("Former holders")
        .nth(1)
        .expect("a history section");
    assert!(history.contains("Test stu"), "{history}");
    let nobody = c
        .page(&c.isms, &format!("/roles/{role}?on={}", in_days(-30)))
        .await;
    assert!(
        nobody.contains("nobody held Owner of the asset register"),
        "{nobody}"
    );
}

#[tokio::test]
async fn staff_read_the_escalation_paths_with_their_contacts() {
    let c = cast().await;
    let officer = c.role("Security officer", &[]).await;
    let board = c.role("Crisis board", &[]).await;
    c.assign(&officer, "stu", &in_days(0)).await;
    let saved = c
        .post(
            &c.isms,
            "/escalation/security_incident",
            &[
                ("role_ids", &officer),
                ("role_ids", &board),
                ("role_ids", ""),
            ],
        )
        .await;
    assert_eq!(
        redirect(&saved),
        "/escalation?flash=saved#matter-security_incident"
    );

    let page = c.page(&c.sam, "/escalation").await;
    let incident = page
        .split(r#"id="matter-security_incident""#)
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the security incident path");
    assert!(incident.contains("Security officer"), "{incident}");
    assert!(
        incident.contains(r#"href="mailto:stu@example.test""#),
        "{incident}"
    );
    assert!(incident.contains("Test stu"));
    let board = incident
        .split("Crisis board")
        .nth(1)
        .expect("the second step");
    assert!(
        board.contains("Nobody holds this role today: go to the next step."),
        "the board is vacant: {incident}"
    );
    assert!(
        !incident.contains("Incident response lead"),
        "the path was replaced: {incident}"
    );
    assert!(!page.contains("Change the path"), "staff cannot edit");
    assert!(
        !page.contains(r#"href="/roles/"#),
        "staff cannot open roles"
    );
    let refused = c
        .post(&c.sam, "/escalation/concern", &[("role_ids", &officer)])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let twice = c
        .post(
            &c.isms,
            "/escalation/concern",
            &[("role_ids", &officer), ("role_ids", &officer)],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice.text().contains("Names a role twice."),
        "{}",
        twice.text()
    );
}

#[tokio::test]
async fn an_auditor_reads_the_roles_without_buttons_and_is_refused_a_change() {
    let c = cast().await;
    let role = c.role("Process owner for payroll", &[]).await;
    let assignment = c.assign(&role, "stu", &in_days(0)).await;
    let catalog = c.page(&c.auditor, "/roles").await;
    assert!(catalog.contains("Process owner for payroll"), "{catalog}");
    assert!(!catalog.contains(r#"href="/roles/new""#), "{catalog}");
    let page = c.page(&c.auditor, &format!("/roles/{role}")).await;
    assert!(page.contains("Test stu"), "{page}");
    assert!(!page.contains("/roles/assignments/new"), "{page}");
    assert!(!page.contains(&format!("/roles/{role}/edit")));
    let record = c
        .page(&c.auditor, &format!("/roles/assignments/{assignment}"))
        .await;
    assert!(record.contains("Not yet acknowledged"), "{record}");
    assert!(!record.contains("End the assignment"), "{record}");
    assert!(!record.contains("Record the evidence"));
    assert!(!record.contains("I acknowledge this role"));

    let create = c
        .post(
            &c.auditor,
            "/roles",
            &[("name", "Sneaky"), ("category", "custom")],
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    let end = c
        .post(
            &c.auditor,
            &format!("/roles/assignments/{assignment}/end"),
            &[("end_ends_on", &in_days(0))],
        )
        .await;
    assert_eq!(end.status, StatusCode::FORBIDDEN);
    let still = c
        .page(&c.isms, &format!("/roles/assignments/{assignment}"))
        .await;
    assert!(still.contains("End the assignment"), "still open: {still}");
}

#[tokio::test]
async fn evidence_is_recorded_and_a_lapsed_one_is_said() {
    let c = cast().await;
    let role = c.role("Second-line auditor", &[]).await;
    let assignment = c.assign(&role, "stu", &in_days(-400)).await;
    let uri = format!("/roles/assignments/{assignment}/evidence");
    let refused = c
        .post(
            &c.isms,
            &uri,
            &[
                ("evidence_kind", "certification"),
                ("evidence_description", ""),
                ("evidence_obtained_on", &in_days(-365)),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .contains(r#"id="evidence_description-error""#),
        "{}",
        refused.text()
    );
    let recorded = c
        .post(
            &c.isms,
            &uri,
            &[
                ("evidence_kind", "certification"),
                ("evidence_description", "ISO/IEC 27001 Lead Auditor"),
                ("evidence_obtained_on", &in_days(-365)),
                ("evidence_expires_on", &in_days(-1)),
            ],
        )
        .await;
    assert_eq!(
        redirect(&recorded),
        format!("/roles/assignments/{assignment}?flash=evidence")
    );
    let page = c
        .page(&c.isms, &format!("/roles/assignments/{assignment}"))
        .await;
    assert!(page.contains("ISO/IEC 27001 Lead Auditor"), "{page}");
    assert!(
        page.contains(r#"<span class="badge red">Lapsed</span>"#),
        "{page}"
    );
}

#[tokio::test]
async fn a_delegated_task_shows_on_both_people_with_the_accountability_kept() {
    let c = cast().await;
    let role = c.role("Owner of customer data", &[]).await;
    let assignment = c.assign(&role, "stu", &in_days(0)).await;
    let uri = format!("/roles/assignments/{assignment}/delegations");
    let neither = c
        .post(&c.stu, &uri, &[("delegate_task", "Review access")])
        .await;
    assert_eq!(neither.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        neither.text().contains("Name the colleague"),
        "{}",
        neither.text()
    );
    let delegated = c
        .post(
            &c.stu,
            &uri,
            &[
                ("delegate_email", "sam@example.test"),
                ("delegate_task", "Review access to the customer files"),
                ("delegate_starts_on", &in_days(0)),
                ("delegate_ends_on", &in_days(30)),
            ],
        )
        .await;
    assert_eq!(
        redirect(&delegated),
        format!("/roles/assignments/{assignment}?flash=delegated")
    );
    let other = c.post(&c.sam, &uri, &[("delegate_task", "x")]).await;
    assert!(
        other.status == StatusCode::FORBIDDEN || other.status == StatusCode::UNPROCESSABLE_ENTITY,
        "sam does not hold the role: {}",
        other.status
    );

    let sam = person_id(&c, "sam").await;
    let stu = person_id(&c, "stu").await;
    let sams_page = c.page(&c.isms, &format!("/people/{sam}")).await;
    assert!(sams_page.contains("Delegated to Test sam"), "{sams_page}");
    assert!(
        sams_page.contains("Review access to the customer files"),
        "{sams_page}"
    );
    assert!(sams_page.contains("Accountable: <a"), "{sams_page}");
    let stus_page = c.page(&c.stu, &format!("/people/{stu}")).await;
    assert!(stus_page.contains("Your roles"), "{stus_page}");
    assert!(stus_page.contains("Owner of customer data"));
    assert!(
        stus_page.contains("Run the risk assessment"),
        "duties shown"
    );
    assert!(
        stus_page.contains("Delegated by you: you stay accountable"),
        "{stus_page}"
    );
    let tasks = c.page(&c.stu, "/tasks").await;
    assert!(
        tasks.contains("Tasks you delegated: you stay accountable"),
        "{tasks}"
    );
    let list = c.page(&c.isms, "/roles/delegations").await;
    assert!(list.contains("Accountable: <a"), "{list}");
    assert!(list.contains("Test stu"));
}

async fn person_id(c: &Cast, label: &str) -> Uuid {
    c.app
        .store()
        .person_by_email(&format!("{label}@example.test"))
        .await
        .expect("lookup")
        .expect("person")
        .id
}
