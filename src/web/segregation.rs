//! Segregation of duties (A.5.3): the people in conflict today and whether an exception covers
//! them, the rules (added and removed by the ISMS manager), and the exceptions with the form to
//! ask for one. The forms post to `segregation_forms`.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;
use uuid::Uuid;

use super::error::PageResult;
use super::forms::SelectOption;
use super::layout::{Area, Layout};
use super::moment::{Moment, day};
use super::raci_edit::TextField;
use super::segregation_forms::{DutiesRuleForm, ExceptionForm, RolesRuleForm};
use super::views::Badge;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::domain::raci::{Activity, Duty};
use crate::domain::role::{OrgRole, OrgRoleFilter};
use crate::domain::sod::{SodConflict, SodException, SodExceptionState, SodRule, SodViolation};

/// One rule as listed.
pub struct RuleRow {
    pub id: Uuid,
    pub kind: &'static str,
    pub side_a: String,
    pub side_b: String,
    pub rationale: String,
}

/// One person in conflict under one rule, and whether an exception covers it.
pub struct ViolationRow {
    pub person_id: Uuid,
    pub person_name: String,
    pub role_a: String,
    pub role_b: String,
    pub rule: String,
    pub rule_id: Uuid,
    pub covered: Option<Coverage>,
}

/// The exception that covers a violation, and its last day.
pub struct Coverage {
    pub id: Uuid,
    pub until: Option<Moment>,
}

/// One exception as listed.
pub struct ExceptionRow {
    pub id: Uuid,
    pub person_name: String,
    pub rule: String,
    pub state: Badge,
    pub expires: Moment,
    pub requested_by: String,
}

/// The three forms of the page, as shown again after a refused post.
#[derive(Default)]
pub struct Forms {
    pub roles_rule: RolesRuleForm,
    pub duties_rule: DutiesRuleForm,
    pub exception: ExceptionForm,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/segregation.html", whitespace = "minimize")]
pub struct SegregationPage {
    layout: Layout,
    flash: Option<&'static str>,
    can_manage: bool,
    violations: Vec<ViolationRow>,
    uncovered: usize,
    rules: Vec<RuleRow>,
    exceptions: Vec<ExceptionRow>,
    role_options_a: Vec<SelectOption>,
    role_options_b: Vec<SelectOption>,
    activity_options_a: Vec<SelectOption>,
    activity_options_b: Vec<SelectOption>,
    duty_options_a: Vec<SelectOption>,
    duty_options_b: Vec<SelectOption>,
    rule_options: Vec<SelectOption>,
    forms: Forms,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SegregationQuery {
    flash: String,
    /// Preselects the rule of the exception form ("Ask for an exception" beside a violation).
    rule: String,
}

pub async fn show_segregation(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<SegregationQuery>,
) -> PageResult<SegregationPage> {
    let mut forms = Forms::default();
    forms.exception.rule_id.value = query.rule.trim().to_owned();
    let mut page = segregation_page(&state, &caller, forms).await?;
    page.flash = match query.flash.as_str() {
        "rule_added" => {
            Some("The rule was added; the people it puts in conflict are listed below.")
        }
        "rule_removed" => {
            Some("The rule was removed; it no longer finds conflicts or refuses assignments.")
        }
        _ => None,
    };
    Ok(page)
}

/// The page with the forms as given (empty, or as refused).
pub async fn segregation_page(
    state: &AppState,
    caller: &Principal,
    forms: Forms,
) -> PageResult<SegregationPage> {
    let store = state.store.as_ref();
    let today = today();
    let rules = store.list_sod_rules().await?;
    let violations = store.sod_violations(today).await?;
    let exceptions = store.list_sod_exceptions(today).await?;
    let can_manage = caller.may(Permission::ManageRoles);
    let (roles, activities) = if can_manage {
        let roles = store.list_roles(&OrgRoleFilter::default()).await?;
        (roles, store.list_activities().await?)
    } else {
        (Vec::new(), Vec::new())
    };
    let rule_names: HashMap<Uuid, String> = rules.iter().map(|r| (r.id, rule_words(r))).collect();
    let violation_rows = violation_rows(&violations, &exceptions, &rule_names);
    Ok(SegregationPage {
        layout: Layout::load(state, Area::Roles, "Segregation of duties").await,
        flash: None,
        can_manage,
        uncovered: violation_rows
            .iter()
            .filter(|v| v.covered.is_none())
            .count(),
        violations: violation_rows,
        exceptions: exception_rows(&exceptions, &rule_names),
        role_options_a: role_options(&roles, &forms.roles_rule.role_a.value),
        role_options_b: role_options(&roles, &forms.roles_rule.role_b.value),
        activity_options_a: activity_options(&activities, &forms.duties_rule.activity_a.value),
        activity_options_b: activity_options(&activities, &forms.duties_rule.activity_b.value),
        duty_options_a: duty_options(&forms.duties_rule.duty_a.value),
        duty_options_b: duty_options(&forms.duties_rule.duty_b.value),
        rule_options: rule_options(&rules, &rule_names, &forms.exception.rule_id.value),
        rules: rules.iter().map(rule_row).collect(),
        forms,
    })
}

/// "Risk owner and Internal auditor".
fn rule_words(rule: &SodRule) -> String {
    format!("{} and {}", rule.side_a, rule.side_b)
}

fn rule_row(rule: &SodRule) -> RuleRow {
    RuleRow {
        id: rule.id,
        kind: match rule.conflict {
            SodConflict::Roles { .. } => "Roles",
            SodConflict::Duties { .. } => "Duties",
        },
        side_a: rule.side_a.clone(),
        side_b: rule.side_b.clone(),
        rationale: rule.rationale.clone(),
    }
}

/// The violations, those no exception covers first.
fn violation_rows(
    violations: &[SodViolation],
    exceptions: &[SodException],
    rule_names: &HashMap<Uuid, String>,
) -> Vec<ViolationRow> {
    let today = today();
    let expiry: HashMap<Uuid, time::Date> =
        exceptions.iter().map(|e| (e.id, e.expires_on)).collect();
    let mut rows: Vec<ViolationRow> = violations
        .iter()
        .map(|v| ViolationRow {
            person_id: v.person_id,
            person_name: v.person_name.clone(),
            role_a: v.role_a_name.clone(),
            role_b: v.role_b_name.clone(),
            rule: rule_names
                .get(&v.rule_id)
                .cloned()
                .unwrap_or_else(|| v.rationale.clone()),
            rule_id: v.rule_id,
            covered: v.covered_by.map(|id| Coverage {
                id,
                until: expiry.get(&id).map(|on| day(*on, today)),
            }),
        })
        .collect();
    rows.sort_by_key(|r| r.covered.is_some());
    rows
}

fn exception_rows(
    exceptions: &[SodException],
    rule_names: &HashMap<Uuid, String>,
) -> Vec<ExceptionRow> {
    let today = today();
    exceptions
        .iter()
        .map(|e| ExceptionRow {
            id: e.id,
            person_name: e.person_name.clone(),
            rule: rule_names
                .get(&e.rule_id)
                .cloned()
                .unwrap_or_else(|| e.rationale.clone()),
            state: exception_badge(e.state),
            expires: day(e.expires_on, today),
            requested_by: e.requested_by_name.clone(),
        })
        .collect()
}

/// Requested amber, active green, expired grey, rejected red: always with the word.
pub fn exception_badge(state: SodExceptionState) -> Badge {
    match state {
        SodExceptionState::Requested => Badge::new("amber", "Requested"),
        SodExceptionState::Active => Badge::new("green", "Active"),
        SodExceptionState::Expired => Badge::new("grey", "Expired"),
        SodExceptionState::Rejected => Badge::new("red", "Rejected"),
    }
}

fn role_options(roles: &[OrgRole], selected: &str) -> Vec<SelectOption> {
    let mut options = vec![SelectOption::new("", "Choose a role", selected.is_empty())];
    options.extend(roles.iter().map(|r| {
        let id = r.id.to_string();
        let chosen = id == selected;
        SelectOption::new(id, r.name.clone(), chosen)
    }));
    options
}

fn activity_options(activities: &[Activity], selected: &str) -> Vec<SelectOption> {
    let mut options = vec![SelectOption::new(
        "",
        "Choose an activity",
        selected.is_empty(),
    )];
    options.extend(activities.iter().map(|a| {
        let id = a.id.to_string();
        let chosen = id == selected;
        SelectOption::new(id, a.name.clone(), chosen)
    }));
    options
}

fn duty_options(selected: &str) -> Vec<SelectOption> {
    let mut options = vec![SelectOption::new("", "Choose a duty", selected.is_empty())];
    options.extend(
        Duty::ALL
            .iter()
            .map(|d| SelectOption::new(d.as_str(), d.label(), d.as_str() == selected)),
    );
    options
}

fn rule_options(
    rules: &[SodRule],
    names: &HashMap<Uuid, String>,
    selected: &str,
) -> Vec<SelectOption> {
    let mut options = vec![SelectOption::new("", "Choose a rule", selected.is_empty())];
    options.extend(rules.iter().map(|r| {
        let id = r.id.to_string();
        let label = names.get(&r.id).cloned().unwrap_or_default();
        let chosen = id == selected;
        SelectOption::new(id, label, chosen)
    }));
    options
}

/// An empty text field of one of the page's forms.
pub fn blank(id: &str) -> TextField {
    TextField {
        id: id.to_owned(),
        value: String::new(),
        error: None,
    }
}
