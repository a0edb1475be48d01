//! Whom to turn to: for each kind of matter, the ordered roles and the people who hold them
//! today with their email, shown to everyone; an ISMS manager sets the order of the roles.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::error::{PageError, PageResult};
use super::forms::SelectOption;
use super::layout::{Area, Layout};
use super::policy_views::sentence;
use super::role_views::role_options;
use super::views::Link;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::escalation::{EscalationPath, EscalationPathInput, Matter};
use crate::domain::role::{OrgRole, OrgRoleFilter};
use crate::store::StoreError;

/// The most steps a path has (the domain's limit).
const MAX_STEPS: usize = 10;
/// How many role choices the edit form offers at least.
const FORM_STEPS: usize = 5;

pub struct ContactView {
    pub person: Link,
    pub email: String,
    pub deputy: bool,
}

pub struct StepView {
    /// The role, linked for those who may read the catalog.
    pub role: Link,
    pub contacts: Vec<ContactView>,
}

pub struct StepChoice {
    pub id: String,
    pub number: usize,
    pub options: Vec<SelectOption>,
}

pub struct PathForm {
    pub choices: Vec<StepChoice>,
    pub error: Option<String>,
}

pub struct MatterView {
    pub id: &'static str,
    pub label: &'static str,
    pub steps: Vec<StepView>,
    pub form: Option<PathForm>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/escalation.html", whitespace = "minimize")]
pub struct EscalationPage {
    layout: Layout,
    flash: bool,
    matters: Vec<MatterView>,
    reads_roles: bool,
}

fn steps(path: &EscalationPath, reads_roles: bool) -> Vec<StepView> {
    path.steps
        .iter()
        .map(|step| StepView {
            role: Link::new(
                if reads_roles {
                    format!("/roles/{}", step.role_id)
                } else {
                    String::new()
                },
                step.role_name.clone(),
            ),
            contacts: step
                .contacts
                .iter()
                .map(|c| ContactView {
                    person: Link::new(format!("/people/{}", c.person_id), c.name.clone()),
                    email: c.email.clone(),
                    deputy: c.deputy,
                })
                .collect(),
        })
        .collect()
}

fn path_form(
    matter: Matter,
    chosen: &[String],
    roles: &[OrgRole],
    error: Option<String>,
) -> PathForm {
    let count = (chosen.len() + 1).clamp(FORM_STEPS, MAX_STEPS);
    let choices = (0..count)
        .map(|i| {
            let selected = chosen.get(i).map_or("", String::as_str);
            StepChoice {
                id: format!("{}-step-{}", matter.as_str(), i + 1),
                number: i + 1,
                options: role_options(roles, selected, "No further step"),
            }
        })
        .collect();
    PathForm { choices, error }
}

/// A refused edit: the matter, what was chosen and why it was refused.
type Refused = (Matter, Vec<String>, String);

async fn page(
    state: &AppState,
    caller: &Principal,
    refused: Option<Refused>,
) -> PageResult<EscalationPage> {
    let store = state.store.as_ref();
    let paths = store.escalation_paths(today()).await?;
    let can_manage = caller.may(Permission::ManageRoles);
    let reads_roles = caller.may(Permission::ReadRoles);
    let roles = if can_manage {
        store.list_roles(&OrgRoleFilter::default()).await?
    } else {
        Vec::new()
    };
    let matters = Matter::ALL
        .iter()
        .map(|&matter| {
            let path = paths.iter().find(|p| p.matter == matter);
            let current: Vec<String> = path
                .map(|p| p.steps.iter().map(|s| s.role_id.to_string()).collect())
                .unwrap_or_default();
            let form = can_manage.then(|| match &refused {
                Some((m, chosen, error)) if *m == matter => {
                    path_form(matter, chosen, &roles, Some(error.clone()))
                }
                _ => path_form(matter, &current, &roles, None),
            });
            MatterView {
                id: matter.as_str(),
                label: matter.label(),
                steps: path.map(|p| steps(p, reads_roles)).unwrap_or_default(),
                form,
            }
        })
        .collect();
    Ok(EscalationPage {
        layout: Layout::load(state, Area::Roles, "Escalation").await,
        flash: false,
        matters,
        reads_roles,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EscalationQuery {
    flash: String,
}

pub async fn show_escalation(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<EscalationQuery>,
) -> PageResult<EscalationPage> {
    let mut page = page(&state, &caller, None).await?;
    page.flash = query.flash == "saved";
    Ok(page)
}

/// Sets the ordered roles of one matter's path; empty choices are skipped.
pub async fn set_path(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let matter: Matter = raw.parse().map_err(|_| PageError::NotFound("matter"))?;
    let chosen: Vec<String> = pairs
        .into_iter()
        .filter(|(name, value)| name == "role_ids" && !value.trim().is_empty())
        .map(|(_, value)| value.trim().to_owned())
        .collect();
    let role_ids: Result<Vec<Uuid>, _> = chosen.iter().map(|id| Uuid::parse_str(id)).collect();
    let result = match role_ids {
        Ok(role_ids) => {
            state
                .store
                .set_escalation_path(
                    &caller.actor(),
                    matter,
                    EscalationPathInput { role_ids },
                    today(),
                )
                .await
        }
        Err(_) => Err(StoreError::Invalid(FieldErrors::single(
            "role_ids",
            "choose roles of the catalog",
        ))),
    };
    let (status, message) = match result {
        Ok(_) => {
            let to = format!("/escalation?flash=saved#matter-{}", matter.as_str());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            errors
                .iter()
                .flat_map(|(_, messages)| messages.iter().map(|m| sentence(m)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Err(StoreError::Conflict(message)) => (StatusCode::CONFLICT, sentence(&message)),
        Err(other) => return Err(other.into()),
    };
    let page = page(&state, &caller, Some((matter, chosen, message))).await?;
    Ok((status, page).into_response())
}
