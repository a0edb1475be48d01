//! Creating and editing a catalog role: responsibilities and authorities one per line, the
//! competence it needs, its category, flags and the tool role it grants. Each refusal is shown
//! beside its field; a second conformance owner or performance reporter as a message on the form.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::error::{PageResult, parse_id};
use super::forms::{Field, SelectOption, add_missing, error_summary};
use super::layout::{Area, Layout};
use super::policy_views::sentence;
use super::role_views::{category_options, grant_options, leftover_messages};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::role::{OrgRole, OrgRoleInput};
use crate::role_actions::save_role;
use crate::store::StoreError;

/// The form as submitted, all text; a checkbox sends "yes" when ticked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    name: String,
    category: String,
    purpose: String,
    responsibilities: String,
    authorities: String,
    competence: String,
    required: String,
    critical: String,
    conformance_owner: String,
    performance_reporter: String,
    grants: String,
}

fn lines(text: &[String]) -> String {
    text.join("\n")
}

fn ticked(value: bool) -> String {
    if value { "yes".into() } else { String::new() }
}

impl RoleForm {
    fn from_role(role: &OrgRole) -> Self {
        Self {
            name: role.name.clone(),
            category: role.category.as_str().to_owned(),
            purpose: role.purpose.clone(),
            responsibilities: lines(&role.responsibilities),
            authorities: lines(&role.authorities),
            competence: role.competence.clone(),
            required: ticked(role.required),
            critical: ticked(role.critical),
            conformance_owner: ticked(role.conformance_owner),
            performance_reporter: ticked(role.performance_reporter),
            grants: role
                .grants
                .map(|g| g.as_str().to_owned())
                .unwrap_or_default(),
        }
    }

    /// The input for the store, or every message the form can find without it.
    fn to_input(&self) -> Result<OrgRoleInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let category = self.category.parse().unwrap_or_else(|_| {
            errors.add("category", "is required: choose one");
            crate::domain::role::RoleCategory::Custom
        });
        let grants = match self.grants.trim() {
            "" => None,
            text => text.parse().map(Some).unwrap_or_else(|_| {
                errors.add("grants", "is not a role of Charter");
                None
            }),
        };
        let split = |text: &str| text.lines().map(str::to_owned).collect::<Vec<_>>();
        let input = OrgRoleInput {
            name: self.name.clone(),
            category,
            purpose: self.purpose.clone(),
            responsibilities: split(&self.responsibilities),
            authorities: split(&self.authorities),
            competence: self.competence.clone(),
            required: self.required == "yes",
            critical: self.critical == "yes",
            conformance_owner: self.conformance_owner == "yes",
            performance_reporter: self.performance_reporter == "yes",
            grants,
        };
        match input.clone().validate() {
            Ok(_) if errors.is_empty() => Ok(input),
            Ok(_) => Err(errors),
            Err(more) => {
                add_missing(&mut errors, &more);
                Err(errors)
            }
        }
    }
}

/// A checkbox and whether it is ticked.
pub struct Check {
    pub id: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub checked: bool,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/form.html", whitespace = "minimize")]
pub struct RoleFormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel_href: String,
    submit_label: &'static str,
    summary: Vec<(String, String)>,
    others: Vec<String>,
    refusal: Option<String>,
    name: Field,
    category: Field,
    categories: Vec<SelectOption>,
    purpose: Field,
    responsibilities: Field,
    authorities: Field,
    competence: Field,
    checks: Vec<Check>,
    grants: Field,
    grant_choices: Vec<SelectOption>,
}

const SHOWN: [&str; 11] = [
    "name",
    "category",
    "purpose",
    "responsibilities",
    "authorities",
    "competence",
    "required",
    "critical",
    "conformance_owner",
    "performance_reporter",
    "grants",
];

async fn form_page(
    state: &AppState,
    id: Option<Uuid>,
    form: RoleForm,
    errors: &FieldErrors,
    refusal: Option<String>,
) -> PageResult<RoleFormPage> {
    let field = |id: &'static str, label: &'static str, value: &str| {
        Field::new(id, label, value).with_errors(errors, id)
    };
    let name = field("name", "Name", &form.name);
    let category = field("category", "Category", &form.category);
    let purpose = field("purpose", "Purpose", &form.purpose);
    let responsibilities = field(
        "responsibilities",
        "Responsibilities",
        &form.responsibilities,
    );
    let authorities = field("authorities", "Authorities", &form.authorities);
    let competence = field("competence", "Competence needed", &form.competence);
    let grants = field("grants", "Grants the tool role", &form.grants);
    let check = |id: &'static str, label, hint, value: &str| Check {
        id,
        label,
        hint,
        checked: value == "yes",
        error: errors.get(id).map(|m| sentence(&m.join(" "))),
    };
    let checks = vec![
        check(
            "required",
            "Required",
            "Someone must hold it at all times; a vacancy is a gap.",
            &form.required,
        ),
        check(
            "critical",
            "Critical",
            "Its holder needs a deputy; a holder without one is a gap.",
            &form.critical,
        ),
        check(
            "conformance_owner",
            "Responsible for making the ISMS conform (5.3 a)",
            "One role of the catalog at most.",
            &form.conformance_owner,
        ),
        check(
            "performance_reporter",
            "Reports the ISMS's performance to top management (5.3 b)",
            "One role of the catalog at most.",
            &form.performance_reporter,
        ),
    ];
    let (heading, action, cancel_href, submit_label) = match id {
        Some(id) => (
            "Edit role".to_owned(),
            format!("/roles/{id}"),
            format!("/roles/{id}"),
            "Save changes",
        ),
        None => (
            "New role".to_owned(),
            "/roles".to_owned(),
            "/roles".to_owned(),
            "Create role",
        ),
    };
    let mut summary = error_summary(&[
        &name,
        &category,
        &purpose,
        &responsibilities,
        &authorities,
        &competence,
        &grants,
    ]);
    summary.extend(
        checks
            .iter()
            .filter_map(|c| c.error.as_ref().map(|e| (format!("#{}", c.id), e.clone()))),
    );
    Ok(RoleFormPage {
        layout: Layout::load(state, Area::Roles, heading.clone()).await,
        heading,
        action,
        cancel_href,
        submit_label,
        summary,
        others: leftover_messages(errors, &SHOWN, |k| k.replace('_', " ")),
        refusal,
        categories: category_options(&category.value, Some("Choose a category")),
        grant_choices: grant_options(&grants.value),
        name,
        category,
        purpose,
        responsibilities,
        authorities,
        competence,
        checks,
        grants,
    })
}

pub async fn new_role(State(state): State<AppState>) -> PageResult<RoleFormPage> {
    let form = RoleForm {
        category: "custom".into(),
        ..RoleForm::default()
    };
    form_page(&state, None, form, &FieldErrors::new(), None).await
}

pub async fn edit_role(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PageResult<RoleFormPage> {
    let role = state.store.get_role(parse_id(&raw, "role")?).await?;
    form_page(
        &state,
        Some(role.id),
        RoleForm::from_role(&role),
        &FieldErrors::new(),
        None,
    )
    .await
}

pub async fn create_role(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<RoleForm>,
) -> PageResult<Response> {
    let result = match form.to_input() {
        Ok(input) => save_role(state.store.as_ref(), &caller, None, input, today()).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    answer(&state, None, form, result, "created").await
}

pub async fn update_role(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<RoleForm>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "role")?;
    let result = match form.to_input() {
        Ok(input) => save_role(state.store.as_ref(), &caller, Some(id), input, today()).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    answer(&state, Some(id), form, result, "saved").await
}

/// To the role's page when saved; the form again, with why, when refused.
async fn answer(
    state: &AppState,
    id: Option<Uuid>,
    form: RoleForm,
    result: Result<OrgRole, StoreError>,
    flash: &str,
) -> PageResult<Response> {
    let (status, errors, refusal) = match result {
        Ok(role) => {
            let to = format!("/roles/{}?flash={flash}", role.id);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Err(StoreError::Conflict(message)) => (
            StatusCode::CONFLICT,
            FieldErrors::new(),
            Some(sentence(&message)),
        ),
        Err(other) => return Err(other.into()),
    };
    let page = form_page(state, id, form, &errors, refusal).await?;
    Ok((status, page).into_response())
}
