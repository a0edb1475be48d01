//! The RACI, segregation-of-duties, gaps and org-chart pages as people use them: the ISMS manager
//! edits the grid and the rules, top management decides exceptions with the password again, and
//! an auditor reads everything and changes nothing.

use axum::http::StatusCode;
use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::assignment::{AssignmentInput, AssignmentScope};
use charter::domain::raci::{ActivityInput, Duty, RaciCell};
use charter::domain::role::{OrgRoleInput, RoleCategory};
use charter::domain::{Actor, PersonStatus, UnitInput};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TEST_PASSWORD, TestApp, TestResponse, TestSession, person_input};
use crate::web_trust::post_form_as;

struct Cast {
    app: TestApp,
    isms: TestSession,
    top: TestSession,
    auditor: TestSession,
}

async fn cast() -> Cast {
    let app = TestApp::anonymous().await;
    let isms = app.account_session("ina", &[Role::IsmsManager]).await;
    let top = app.account_session("bea", &[Role::TopManagement]).await;
    let auditor = app.account_session("aud", &[Role::Auditor]).await;
    Cast {
        app,
        isms,
        top,
        auditor,
    }
}

fn actor() -> Actor {
    Actor::named("test")
}

fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}

fn in_days(days: i64) -> String {
    (today() + Duration::days(days)).to_string()
}

impl Cast {
    fn store(&self) -> &dyn charter::store::Store {
        self.app.store()
    }

    async fn role(&self, name: &str, required: bool) -> Uuid {
        let input = OrgRoleInput {
            name: name.into(),
            category: RoleCategory::Custom,
            purpose: String::new(),
            responsibilities: vec![format!("Carry out the duties of {name}")],
            authorities: vec![format!("Decide as {name}")],
            competence: String::new(),
            required,
            critical: false,
            conformance_owner: false,
            performance_reporter: false,
            grants: None,
        };
        self.store()
            .create_role(&actor(), input)
            .await
            .expect("role")
            .id
    }

    async fn activity(&self, name: &str) -> Uuid {
        let input = ActivityInput {
            name: name.into(),
            description: format!("How {name} is done"),
        };
        self.store()
            .create_activity(&actor(), input)
            .await
            .expect("activity")
            .id
    }

    async fn person(&self, name: &str, email: &str) -> Uuid {
        self.store()
            .create_person(&actor(), person_input(name, email), today())
            .await
            .expect("person")
            .id
    }

    /// The ISMS manager's account, who assigns.
    async fn assigner(&self) -> Account {
        let accounts = self.store().list_accounts().await.expect("accounts");
        accounts
            .into_iter()
            .find(|a| a.email == "ina@example.test")
            .expect("the ISMS manager's account")
    }

    async fn assign(&self, role_id: Uuid, person_id: Uuid) -> Uuid {
        let input = AssignmentInput {
            role_id,
            person_id,
            scope: AssignmentScope::Organization,
            deputy: false,
            starts_on: today(),
            ends_on: None,
            reason: "Named by the board".into(),
            sod_exception_id: None,
        };
        self.store()
            .assign_role(&self.assigner().await, input, today())
            .await
            .expect("assignment")
            .id
    }

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
}

fn redirect(response: &TestResponse) -> String {
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
    response.header("location").expect("a redirect").to_owned()
}

/// The markup of one `<select>` of the grid.
fn select(page: &str, activity: Uuid, role: Uuid) -> &str {
    let name = format!(r#"name="cell.{activity}.{role}""#);
    let start = page
        .find(&name)
        .unwrap_or_else(|| panic!("{name} in {page}"));
    let end = start + page[start..].find("</select>").expect("end of select");
    &page[start..end]
}

/// The markup of one activity's row of the heatmap.
fn row(page: &str, activity: Uuid) -> &str {
    let id = format!(r#"<tr id="activity-{activity}""#);
    let start = page.find(&id).unwrap_or_else(|| panic!("{id} in {page}"));
    let end = start + page[start..].find("</tr>").expect("end of row");
    &page[start..end]
}

/// The content of the page without the header, whose sign-out button is a form on every page.
fn content(page: &str) -> &str {
    page.split_once(r#"<main id="main""#)
        .map_or(page, |(_, main)| main)
}

#[tokio::test]
async fn the_heatmap_shows_each_duty_and_who_holds_each_role() {
    let c = cast().await;
    let owner = c.role("Treasury owner", true).await;
    let auditor_role = c.role("Treasury checker", false).await;
    c.role("Role without duties", false).await;
    let assess = c.activity("Cash forecast").await;
    let audit = c.activity("Treasury audit").await;
    let cells = [
        RaciCell {
            activity_id: assess,
            role_id: owner,
            duty: Duty::Accountable,
        },
        RaciCell {
            activity_id: assess,
            role_id: auditor_role,
            duty: Duty::Consulted,
        },
        RaciCell {
            activity_id: audit,
            role_id: auditor_role,
            duty: Duty::Accountable,
        },
    ];
    c.store()
        .replace_raci(&actor(), &[assess, audit], &cells)
        .await
        .expect("matrix");
    for (name, email) in [
        ("Ada Ng", "ada@example.test"),
        ("Bo Li", "bo@example.test"),
        ("Cy Do", "cy@example.test"),
        ("Di Fu", "di@example.test"),
    ] {
        let person = c.person(name, email).await;
        c.assign(owner, person).await;
    }

    let page = c.page(&c.isms, "/roles/raci").await;
    assert!(
        page.contains(r#"<td class="duty duty-a"><abbr title="Accountable">A</abbr></td>"#),
        "{page}"
    );
    assert!(page.contains(r#"<abbr title="Consulted">C</abbr>"#));
    assert!(page.contains("Ada Ng, Bo Li, Cy Do and 1 more"), "{page}");
    assert!(page.contains(r#"<span class="raci-holders vacant">vacant</span>"#));
    assert!(
        !page.contains("Role without duties"),
        "only roles with a duty are columns"
    );
    assert!(
        !row(&page, assess).contains("badge"),
        "Cash forecast is answered for"
    );
    assert!(
        row(&page, audit).contains(r#"<span class="badge amber">Accountable role vacant</span>"#),
        "Treasury audit is flagged"
    );
    assert!(page.contains("No one answers for"));
    assert!(page.contains(r#"href="/roles/raci/edit""#));
    assert!(page.contains(r#"href="/api/v1/raci.csv""#));
}

#[tokio::test]
async fn the_grid_saves_duties_and_two_accountable_roles_come_back_with_the_choices_kept() {
    let c = cast().await;
    let ciso = c.role("Vault keeper", true).await;
    let owner = c.role("Vault auditor", false).await;
    let activity = c.activity("Access review").await;
    let grid = c.page(&c.isms, "/roles/raci/edit").await;
    assert!(select(&grid, activity, ciso).contains("<option selected>-</option>"));
    let labelled = select(&grid, activity, ciso)
        .split_once(r#"aria-labelledby=""#)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(ids, _)| ids.to_owned())
        .expect("every select is named by its column and row");
    for id in labelled.split(' ') {
        assert!(
            grid.contains(&format!(r#"id="{id}""#)),
            "{id} names nothing"
        );
    }
    let (role_head, activity_name) = labelled.split_once(' ').expect("two ids");
    assert!(grid.contains(&format!(r#"id="{role_head}">Vault keeper</th>"#)));
    assert!(grid.contains(&format!(r#"id="{activity_name}">Access review</a>"#)));

    let activity_id = activity.to_string();
    let ciso_cell = format!("cell.{activity}.{ciso}");
    let owner_cell = format!("cell.{activity}.{owner}");
    let twice = [
        ("activity", activity_id.as_str()),
        (ciso_cell.as_str(), "A"),
        (owner_cell.as_str(), "A"),
    ];
    let response = c.post(&c.isms, "/roles/raci/edit", &twice).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text();
    assert!(text.contains("more than one Accountable role"), "{text}");
    assert!(text.contains(&format!(r#"<tr id="activity-{activity}" class="invalid">"#)));
    assert!(select(&text, activity, ciso).contains("<option selected>A</option>"));
    assert!(select(&text, activity, owner).contains("<option selected>A</option>"));
    let matrix = c.store().raci_matrix().await.expect("matrix");
    assert!(
        !matrix.cells.iter().any(|cell| cell.activity_id == activity),
        "nothing was saved"
    );

    let once = [
        ("activity", activity_id.as_str()),
        (ciso_cell.as_str(), "A"),
        (owner_cell.as_str(), "R"),
    ];
    let response = c.post(&c.isms, "/roles/raci/edit", &once).await;
    assert_eq!(redirect(&response), "/roles/raci?flash=saved");
    let matrix = c.store().raci_matrix().await.expect("matrix");
    assert_eq!(matrix.accountable(activity), Some(ciso));
    let heatmap = c.page(&c.isms, "/roles/raci?flash=saved").await;
    assert!(heatmap.contains("The matrix was saved."));
    assert!(
        heatmap.contains(r#"<abbr title="Responsible">R</abbr>"#),
        "{heatmap}"
    );
}

#[tokio::test]
async fn activities_are_added_and_renamed_by_form() {
    let c = cast().await;
    let response = c
        .post(
            &c.isms,
            "/roles/raci/activities",
            &[("name", " "), ("description", "Typed")],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text();
    assert!(text.contains("Name is required."), "{text}");
    assert!(text.contains(">Typed</textarea>"), "what was typed stays");

    let fields = [("name", "Supplier review"), ("description", "Yearly")];
    let response = c.post(&c.isms, "/roles/raci/activities", &fields).await;
    assert!(redirect(&response).starts_with("/roles/raci/edit?flash=activity_added"));
    let activities = c.store().list_activities().await.expect("activities");
    let added = activities
        .iter()
        .find(|a| a.name == "Supplier review")
        .expect("added");

    let uri = format!("/roles/raci/activities/{}", added.id);
    let response = c
        .post(
            &c.isms,
            &uri,
            &[("name", "Supplier assessment"), ("description", "")],
        )
        .await;
    assert!(redirect(&response).contains("flash=activity_renamed"));
    let grid = c.page(&c.isms, "/roles/raci/edit").await;
    assert!(grid.contains("Supplier assessment"), "{grid}");
}

#[tokio::test]
async fn a_rule_added_by_form_finds_the_person_holding_both_roles() {
    let c = cast().await;
    let approver = c.role("Change approver", false).await;
    let implementer = c.role("Change implementer", false).await;
    let person = c.person("Eve Ko", "eve@example.test").await;
    c.assign(approver, person).await;
    c.assign(implementer, person).await;
    let (a, b) = (approver.to_string(), implementer.to_string());
    let missing = [("kind", "roles"), ("role_a", a.as_str()), ("rationale", "")];
    let response = c.post(&c.isms, "/roles/segregation/rules", &missing).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text();
    assert!(text.contains(r#"id="roles-role-b-error""#), "{text}");
    assert!(text.contains(r#"id="roles-rationale-error""#));

    let fields = [
        ("kind", "roles"),
        ("role_a", a.as_str()),
        ("role_b", b.as_str()),
        ("rationale", "Nobody approves their own change."),
    ];
    let response = c.post(&c.isms, "/roles/segregation/rules", &fields).await;
    assert!(redirect(&response).starts_with("/roles/segregation?flash=rule_added"));
    let page = c.page(&c.isms, "/roles/segregation").await;
    assert!(page.contains("Nobody approves their own change."));
    assert!(
        page.contains(&format!(r#"<a href="/people/{person}">Eve Ko</a>"#)),
        "{page}"
    );
    assert!(page.contains(r#"<span class="badge red">Not covered</span>"#));
    assert!(page.contains("1 conflict(s) not covered by an exception"));
}

/// A rule between two roles that `person` both holds; returns the rule's id.
async fn conflict(c: &Cast, person: Uuid) -> String {
    let approver = c.role("Payment approver", false).await;
    let payer = c.role("Payment maker", false).await;
    c.assign(approver, person).await;
    c.assign(payer, person).await;
    let (a, b) = (approver.to_string(), payer.to_string());
    let fields = [
        ("kind", "roles"),
        ("role_a", a.as_str()),
        ("role_b", b.as_str()),
        ("rationale", "Nobody pays what they approved."),
    ];
    redirect(&c.post(&c.isms, "/roles/segregation/rules", &fields).await);
    let rules = c.store().list_sod_rules().await.expect("rules");
    let rule = rules
        .iter()
        .find(|r| r.rationale == "Nobody pays what they approved.");
    rule.expect("the rule added").id.to_string()
}

/// Asks for an exception by form; returns the exception page's address.
async fn ask(c: &Cast, who: &TestSession, rule: &str) -> String {
    let until = in_days(60);
    let fields = [
        ("rule_id", rule),
        ("person_email", "fay@example.test"),
        (
            "justification",
            "Only Fay knows the bank portal until June.",
        ),
        (
            "compensating_controls",
            "The CFO reviews every payment weekly.",
        ),
        ("expires_on", until.as_str()),
    ];
    let response = c.post(who, "/roles/segregation/exceptions", &fields).await;
    let location = redirect(&response);
    assert!(location.ends_with("?flash=requested"), "{location}");
    location.trim_end_matches("?flash=requested").to_owned()
}

#[tokio::test]
async fn an_exception_approved_with_the_password_by_top_management_covers_the_conflict() {
    let c = cast().await;
    let fay = c.person("Fay Wu", "fay@example.test").await;
    let rule = conflict(&c, fay).await;
    let exception = ask(&c, &c.isms, &rule).await;

    let record = c.page(&c.top, &exception).await;
    assert!(record.contains("Approve the exception"), "{record}");
    assert!(record.contains("Only Fay knows the bank portal"));
    let decision = format!("{exception}/decision");
    let wrong = [
        ("decision", "approve"),
        ("password", "not it"),
        ("note", "Fine"),
    ];
    let response = c.post(&c.top, &decision, &wrong).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text();
    assert!(
        text.contains("This is not your password. Nothing was decided."),
        "{text}"
    );
    assert!(text.contains(">Fine</textarea>"));

    let right = [
        ("decision", "approve"),
        ("password", TEST_PASSWORD),
        ("note", "Until the second person is trained."),
    ];
    let response = c.post(&c.top, &decision, &right).await;
    assert_eq!(redirect(&response), format!("{exception}?flash=approved"));
    let record = c
        .page(&c.isms, &format!("{exception}?flash=approved"))
        .await;
    assert!(
        record.contains(r#"<span class="badge green">Active</span>"#),
        "{record}"
    );
    assert!(record.contains("Until the second person is trained."));
    assert!(record.contains("Test bea"), "the decider is named");

    let page = c.page(&c.isms, "/roles/segregation").await;
    assert!(
        page.contains(r#"<span class="badge green">Covered</span>"#),
        "{page}"
    );
    assert!(page.contains(&format!("until <time datetime=\"{}\"", in_days(60))));
    assert!(!page.contains("Not covered"));
}

#[tokio::test]
async fn whoever_asked_for_an_exception_is_told_someone_else_decides_it() {
    let c = cast().await;
    let both = c
        .app
        .account_session("dua", &[Role::IsmsManager, Role::TopManagement])
        .await;
    let fay = c.person("Fay Wu", "fay@example.test").await;
    let rule = conflict(&c, fay).await;
    let exception = ask(&c, &both, &rule).await;

    let record = c.page(&both, &exception).await;
    assert!(
        record.contains(
            "You asked for this exception, so another member of top management decides it."
        ),
        "{record}"
    );
    assert!(!record.contains("Approve the exception"));
    let fields = [("decision", "approve"), ("password", TEST_PASSWORD)];
    let response = c
        .post(&both, &format!("{exception}/decision"), &fields)
        .await;
    assert_eq!(
        response.status,
        StatusCode::FORBIDDEN,
        "{}",
        response.text()
    );
    let text = response.text();
    assert!(text.contains("Not done"), "{text}");
    assert!(text.contains(r#"<span class="badge amber">Requested</span>"#));
    let page = c.page(&c.isms, "/roles/segregation").await;
    assert!(
        page.contains("Not covered"),
        "the request is still undecided"
    );
}

#[tokio::test]
async fn the_gaps_page_names_a_vacant_required_role_and_a_departed_holder() {
    let c = cast().await;
    let vacant = c.role("Security officer", true).await;
    let owner = c.role("Data owner", false).await;
    let gil = c.person("Gil Ma", "gil@example.test").await;
    let assignment = c.assign(owner, gil).await;
    let person = c.store().get_person(gil).await.expect("person");
    let mut input = person_input("Gil Ma", "gil@example.test");
    input.status = PersonStatus::Departed;
    input.departed_on = Some(today());
    c.store()
        .update_person(&actor(), person.id, input, today())
        .await
        .expect("departure");

    let page = c.page(&c.isms, "/roles/gaps").await;
    assert!(page.contains("Required roles nobody holds"), "{page}");
    assert!(page.contains(&format!(
        r#"<a href="/roles/{vacant}">Security officer</a>"#
    )));
    assert!(page.contains("Departed people still holding roles"));
    assert!(page.contains(&format!(
        r#"<a href="/roles/assignments/{assignment}">Gil Ma still holds Data owner</a>"#
    )));
    assert!(page.contains("Hand each role over"));
}

#[tokio::test]
async fn the_org_chart_draws_the_people_of_a_unit_with_their_roles() {
    let c = cast().await;
    let unit = |name: &str, parent: Option<Uuid>| UnitInput {
        name: name.into(),
        parent_id: parent,
        ..UnitInput::default()
    };
    let engineering = c
        .store()
        .create_unit(&actor(), unit("Engineering", None))
        .await
        .expect("unit")
        .id;
    let platform = c
        .store()
        .create_unit(&actor(), unit("Platform", Some(engineering)))
        .await
        .expect("unit")
        .id;
    let sales = c
        .store()
        .create_unit(&actor(), unit("Sales", None))
        .await
        .expect("unit")
        .id;
    let place = |name: &str, email: &str, unit: Uuid, manager: Option<Uuid>| {
        let mut input = person_input(name, email);
        input.unit_id = Some(unit);
        input.manager_id = manager;
        input.job_title = "Engineer".into();
        input
    };
    let hal = c
        .store()
        .create_person(
            &actor(),
            place("Hal Ek", "hal@example.test", engineering, None),
            today(),
        )
        .await
        .expect("person")
        .id;
    let ivy = c
        .store()
        .create_person(
            &actor(),
            place("Ivy Oh", "ivy@example.test", platform, Some(hal)),
            today(),
        )
        .await
        .expect("person")
        .id;
    c.store()
        .create_person(
            &actor(),
            place("Jo Seller", "jo@example.test", sales, None),
            today(),
        )
        .await
        .expect("person");
    let role = c.role("Platform asset owner", false).await;
    c.assign(role, ivy).await;

    let page = c
        .page(&c.isms, &format!("/roles/org-chart?unit_id={engineering}"))
        .await;
    assert!(page.contains("<svg class=\"org-chart\""), "{page}");
    assert_eq!(page.matches("<rect").count(), 2, "{page}");
    assert!(page.contains(">Hal Ek</text>"));
    assert!(page.contains(">Ivy Oh</text>"));
    assert!(page.contains(">Platform asset owner</text>"), "{page}");
    assert_eq!(page.matches(r#"<path class="org-line""#).count(), 1);
    assert!(!page.contains("Jo Seller"), "Sales is outside the unit");
    assert!(page.contains(&format!(r#"<a href="/people/{ivy}">Ivy Oh</a>, Engineer"#)));

    let whole = c.page(&c.isms, "/roles/org-chart").await;
    assert!(whole.contains("Jo Seller"), "{whole}");
}

#[tokio::test]
async fn an_auditor_reads_every_page_but_finds_no_form_and_cannot_post() {
    let c = cast().await;
    let kim = c.person("Kim Lo", "kim@example.test").await;
    let rule = conflict(&c, kim).await;
    let activity = c.activity("Management review").await;
    let until = in_days(30);
    let fields = [
        ("rule_id", rule.as_str()),
        ("person_email", "kim@example.test"),
        ("justification", "A small team."),
        ("expires_on", until.as_str()),
    ];
    let exception = redirect(
        &c.post(&c.isms, "/roles/segregation/exceptions", &fields)
            .await,
    );
    let exception = exception.trim_end_matches("?flash=requested");
    for uri in [
        "/roles/raci",
        "/roles/segregation",
        exception,
        "/roles/gaps",
        "/roles/org-chart",
    ] {
        let page = c.page(&c.auditor, uri).await;
        assert!(
            !content(&page).contains(r#"method="post""#),
            "{uri} offers the auditor a form: {page}"
        );
        assert!(
            !page.contains("/roles/raci/edit\""),
            "{uri} links to the grid"
        );
    }
    let refused = [
        ("/roles/raci/edit", vec![("activity", activity.to_string())]),
        (
            "/roles/raci/activities",
            vec![("name", "Sneaky".to_owned())],
        ),
        (
            "/roles/segregation/rules",
            vec![("kind", "roles".to_owned())],
        ),
        (
            "/roles/segregation/exceptions",
            vec![("rule_id", rule.clone())],
        ),
    ];
    for (uri, fields) in refused {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = c.post(&c.auditor, uri, &fields).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{uri}");
    }
    let decision = format!("{exception}/decision");
    let fields = [("decision", "approve"), ("password", TEST_PASSWORD)];
    let response = c.post(&c.auditor, &decision, &fields).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_dashboard_counts_the_gaps_for_those_who_read_roles() {
    let c = cast().await;
    let staff = c.app.account_session("stu", &[Role::Staff]).await;
    let vacant = c.role("Backup steward", true).await;
    let gaps = c.store().role_gaps(today()).await.expect("gaps");
    assert!(gaps.vacant_required.iter().any(|g| g.role_id == vacant));

    let page = c.page(&c.isms, "/").await;
    let figure = format!(
        r#"<a href="/roles/gaps"><span class="figure-number">{}</span> <span class="figure-label">gaps in roles</span></a>"#,
        gaps.total()
    );
    assert!(page.contains(&figure), "{page}");
    let page = c.page(&staff, "/").await;
    assert!(!page.contains("/roles/gaps"), "staff do not read roles");
}
