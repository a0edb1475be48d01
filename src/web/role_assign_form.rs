//! Assigning a role by form: the role, the person by email (a list of 100,000 names is no
//! choice), the scope, deputy, dates, why, and an approved segregation-of-duties exception when
//! one is needed. A refusal by a segregation rule is shown with what to do about it.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Date;

use super::error::PageResult;
use super::forms::{
    Field, SelectOption, add_missing, error_summary, format_date, parse_optional_date,
    parse_optional_id, person_by_email, unit_options,
};
use super::layout::{Area, Layout};
use super::policy_views::sentence;
use super::role_views::{leftover_messages, role_options};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::assignment::{AssignmentInput, AssignmentScope};
use crate::domain::role::OrgRoleFilter;
use crate::store::{Store, StoreError, StoreResult};

/// The form as submitted, all text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AssignForm {
    role_id: String,
    person_email: String,
    scope: String,
    unit_id: String,
    scope_name: String,
    deputy: String,
    starts_on: String,
    ends_on: String,
    reason: String,
    sod_exception_id: String,
}

impl AssignForm {
    fn scope(&self, errors: &mut FieldErrors) -> AssignmentScope {
        let name = self.scope_name.clone();
        match self.scope.as_str() {
            "unit" => match parse_optional_id(&self.unit_id) {
                Ok(Some(unit_id)) => AssignmentScope::Unit { unit_id },
                _ => {
                    errors.add("scope.unit_id", "choose the unit");
                    AssignmentScope::Organization
                }
            },
            "asset" => AssignmentScope::Asset { name },
            "process" => AssignmentScope::Process { name },
            _ => AssignmentScope::Organization,
        }
    }

    fn date(raw: &str, key: &str, errors: &mut FieldErrors) -> Option<Date> {
        parse_optional_date(raw).unwrap_or_else(|()| {
            errors.add(key, "is not a date (YYYY-MM-DD)");
            None
        })
    }

    /// The input for the store, or every message the form can find without it.
    async fn to_input(
        &self,
        store: &dyn Store,
        today: Date,
    ) -> StoreResult<Result<AssignmentInput, FieldErrors>> {
        let mut errors = FieldErrors::new();
        let role_id = parse_optional_id(&self.role_id).ok().flatten();
        if role_id.is_none() {
            errors.add("role_id", "is required: choose a role");
        }
        let person_id = match person_by_email(store, &self.person_email).await? {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                errors.add("person_id", "is required: type the person's email");
                None
            }
            Err(()) => {
                errors.add("person_id", "is not the email of anyone in Charter");
                None
            }
        };
        let starts_on = Self::date(&self.starts_on, "starts_on", &mut errors).unwrap_or(today);
        let ends_on = Self::date(&self.ends_on, "ends_on", &mut errors);
        let sod_exception_id = parse_optional_id(&self.sod_exception_id).unwrap_or_else(|()| {
            errors.add(
                "sod_exception_id",
                "is not an exception's id: copy it from the segregation page",
            );
            None
        });
        let input = AssignmentInput {
            role_id: role_id.unwrap_or_default(),
            person_id: person_id.unwrap_or_default(),
            scope: self.scope(&mut errors),
            deputy: self.deputy == "yes",
            starts_on,
            ends_on,
            reason: self.reason.clone(),
            sod_exception_id,
        };
        Ok(match input.clone().validate() {
            Ok(_) if errors.is_empty() => Ok(input),
            Ok(_) => Err(errors),
            Err(more) => {
                add_missing(&mut errors, &more);
                Err(errors)
            }
        })
    }
}

/// A refusal the form cannot pin to a field: a segregation-of-duties conflict, or another rule.
pub struct Refusal {
    pub message: String,
    /// Whether to point to the segregation page for an exception.
    pub segregation: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/assign.html", whitespace = "minimize")]
pub struct AssignPage {
    layout: Layout,
    summary: Vec<(String, String)>,
    others: Vec<String>,
    refusal: Option<Refusal>,
    role: Field,
    roles: Vec<SelectOption>,
    person_email: Field,
    scope: String,
    scope_error: Option<String>,
    unit_id: Field,
    units: Vec<SelectOption>,
    scope_name: Field,
    deputy: bool,
    starts_on: Field,
    ends_on: Field,
    reason: Field,
    sod_exception_id: Field,
}

const SHOWN: [&str; 10] = [
    "role_id",
    "person_id",
    "scope",
    "scope.unit_id",
    "scope.name",
    "starts_on",
    "ends_on",
    "reason",
    "sod_exception_id",
    "deputy",
];

async fn form_page(
    state: &AppState,
    form: AssignForm,
    errors: &FieldErrors,
    refusal: Option<Refusal>,
) -> PageResult<AssignPage> {
    let store = state.store.as_ref();
    let roles = store.list_roles(&OrgRoleFilter::default()).await?;
    let units = store.all_units().await?;
    let field = |id: &'static str, label: &'static str, value: &str, key: &str| {
        Field::new(id, label, value).with_errors(errors, key)
    };
    let role = field("role_id", "Role", &form.role_id, "role_id");
    let person_email = field(
        "person_email",
        "Person's email",
        &form.person_email,
        "person_id",
    );
    let unit_id = field("unit_id", "Unit", &form.unit_id, "scope.unit_id");
    let scope_name = field(
        "scope_name",
        "Name of the asset or process",
        &form.scope_name,
        "scope.name",
    );
    let starts_on = field("starts_on", "From", &form.starts_on, "starts_on");
    let ends_on = field("ends_on", "Until (optional)", &form.ends_on, "ends_on");
    let reason = field(
        "reason",
        "Why this person holds the role",
        &form.reason,
        "reason",
    );
    let sod_exception_id = field(
        "sod_exception_id",
        "Segregation-of-duties exception (optional)",
        &form.sod_exception_id,
        "sod_exception_id",
    );
    let scope_error = errors.get("scope").map(|m| sentence(&m.join(" ")));
    let mut summary = error_summary(&[
        &role,
        &person_email,
        &unit_id,
        &scope_name,
        &starts_on,
        &ends_on,
        &reason,
        &sod_exception_id,
    ]);
    if let Some(message) = &scope_error {
        summary.push(("#scope".to_owned(), message.clone()));
    }
    Ok(AssignPage {
        layout: Layout::load(state, Area::Roles, "Assign a role").await,
        summary,
        others: leftover_messages(errors, &SHOWN, |k| k.replace(['_', '.'], " ")),
        refusal,
        roles: role_options(&roles, &role.value, "Choose a role"),
        units: unit_options(&units, &unit_id.value, "Choose a unit", &[]),
        scope: if form.scope.is_empty() {
            "organization".to_owned()
        } else {
            form.scope.clone()
        },
        scope_error,
        deputy: form.deputy == "yes",
        role,
        person_email,
        unit_id,
        scope_name,
        starts_on,
        ends_on,
        reason,
        sod_exception_id,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewAssignmentQuery {
    role_id: String,
    person_email: String,
}

pub async fn new_assignment(
    State(state): State<AppState>,
    Query(query): Query<NewAssignmentQuery>,
) -> PageResult<AssignPage> {
    let form = AssignForm {
        role_id: query.role_id.trim().to_owned(),
        person_email: query.person_email.trim().to_owned(),
        scope: "organization".into(),
        starts_on: format_date(today()),
        ..AssignForm::default()
    };
    form_page(&state, form, &FieldErrors::new(), None).await
}

pub async fn create_assignment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<AssignForm>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let today = today();
    let result = match form.to_input(store, today).await? {
        Ok(input) => store.assign_role(&caller.account, input, today).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    let (status, errors, refusal) = match result {
        Ok(assignment) => {
            let to = format!("/roles/assignments/{}?flash=assigned", assignment.id);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Err(StoreError::Conflict(message)) => (
            StatusCode::CONFLICT,
            FieldErrors::new(),
            Some(Refusal {
                message: sentence(&message),
                segregation: true,
            }),
        ),
        Err(StoreError::Forbidden(message)) => (
            StatusCode::FORBIDDEN,
            FieldErrors::new(),
            Some(Refusal {
                message: sentence(&message),
                segregation: false,
            }),
        ),
        Err(other) => return Err(other.into()),
    };
    let page = form_page(&state, form, &errors, refusal).await?;
    Ok((status, page).into_response())
}
