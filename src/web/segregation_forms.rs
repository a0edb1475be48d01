//! The forms of the segregation page: a rule on two roles, a rule on two RACI duties, removing a
//! rule, and asking for an exception. A refused form comes back on the page with its messages
//! beside its fields and what was typed.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::error::{PageResult, parse_id};
use super::forms::{parse_optional_date, parse_optional_id, person_by_email};
use super::raci_edit::TextField;
use super::segregation::{Forms, blank, segregation_page};
use crate::app::{AppState, today};
use crate::auth::principal::current_actor;
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::raci::Duty;
use crate::domain::sod::{SodConflict, SodExceptionInput, SodRuleInput};
use crate::store::StoreError;

/// A rule on two roles, as shown again.
pub struct RolesRuleForm {
    pub role_a: TextField,
    pub role_b: TextField,
    pub rationale: TextField,
    /// A message about the rule as a whole ("a role cannot conflict with itself").
    pub error: Option<String>,
}

impl Default for RolesRuleForm {
    fn default() -> Self {
        Self {
            role_a: blank("roles-role-a"),
            role_b: blank("roles-role-b"),
            rationale: blank("roles-rationale"),
            error: None,
        }
    }
}

/// A rule on two RACI duties, as shown again.
pub struct DutiesRuleForm {
    pub activity_a: TextField,
    pub duty_a: TextField,
    pub activity_b: TextField,
    pub duty_b: TextField,
    pub rationale: TextField,
    pub error: Option<String>,
}

impl Default for DutiesRuleForm {
    fn default() -> Self {
        Self {
            activity_a: blank("duties-activity-a"),
            duty_a: blank("duties-duty-a"),
            activity_b: blank("duties-activity-b"),
            duty_b: blank("duties-duty-b"),
            rationale: blank("duties-rationale"),
            error: None,
        }
    }
}

/// Asking for an exception, as shown again.
pub struct ExceptionForm {
    pub rule_id: TextField,
    pub person_email: TextField,
    pub justification: TextField,
    pub compensating_controls: TextField,
    pub expires_on: TextField,
    pub error: Option<String>,
}

impl Default for ExceptionForm {
    fn default() -> Self {
        Self {
            rule_id: blank("exception-rule"),
            person_email: blank("exception-person"),
            justification: blank("exception-justification"),
            compensating_controls: blank("exception-controls"),
            expires_on: blank("exception-expires"),
            error: None,
        }
    }
}

/// Either rule form as posted (`kind` says which).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RuleFormData {
    kind: String,
    role_a: String,
    role_b: String,
    activity_a: String,
    duty_a: String,
    activity_b: String,
    duty_b: String,
    rationale: String,
}

impl RuleFormData {
    /// The rule, or every message about it (keyed like the store's).
    fn to_input(&self) -> Result<SodRuleInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut id = |field: &str, raw: &str, what: &str| match parse_optional_id(raw) {
            Ok(Some(id)) => Some(id),
            _ => {
                errors.add(field, format!("choose {what}"));
                None
            }
        };
        let conflict = if self.kind == "duties" {
            let activity_a = id("activity_a", &self.activity_a, "an activity");
            let activity_b = id("activity_b", &self.activity_b, "an activity");
            let duty_a = duty(&mut errors, "duty_a", &self.duty_a);
            let duty_b = duty(&mut errors, "duty_b", &self.duty_b);
            match (activity_a, duty_a, activity_b, duty_b) {
                (Some(activity_a), Some(duty_a), Some(activity_b), Some(duty_b)) => {
                    Some(SodConflict::Duties {
                        activity_a,
                        duty_a,
                        activity_b,
                        duty_b,
                    })
                }
                _ => None,
            }
        } else {
            let role_a = id("role_a", &self.role_a, "a role");
            let role_b = id("role_b", &self.role_b, "a role");
            role_a
                .zip(role_b)
                .map(|(role_a, role_b)| SodConflict::Roles { role_a, role_b })
        };
        let placeholder = SodConflict::Roles {
            role_a: Uuid::nil(),
            role_b: Uuid::from_u128(1),
        };
        let input = SodRuleInput {
            conflict: conflict.unwrap_or(placeholder),
            rationale: self.rationale.clone(),
        };
        match input.validate() {
            Ok(input) if errors.is_empty() => Ok(input),
            Ok(_) => Err(errors),
            Err(more) => {
                super::forms::add_missing(&mut errors, &more);
                Err(errors)
            }
        }
    }

    /// The form as typed, with the messages beside its fields.
    fn shown(&self, errors: &FieldErrors) -> Forms {
        let field = |id: &str, label, value: &str, keys: &[&str]| {
            let key = keys
                .iter()
                .find(|k| errors.get(k).is_some())
                .unwrap_or(&keys[0]);
            TextField::new(id.to_owned(), label, value, errors, key)
        };
        let whole = whole_rule_message(errors);
        if self.kind == "duties" {
            let duties_rule = DutiesRuleForm {
                activity_a: field(
                    "duties-activity-a",
                    "Activity",
                    &self.activity_a,
                    &["activity_a", "conflict.activity_a"],
                ),
                duty_a: field("duties-duty-a", "Duty", &self.duty_a, &["duty_a"]),
                activity_b: field(
                    "duties-activity-b",
                    "Activity",
                    &self.activity_b,
                    &["activity_b", "conflict.activity_b"],
                ),
                duty_b: field("duties-duty-b", "Duty", &self.duty_b, &["duty_b"]),
                rationale: field("duties-rationale", "Why", &self.rationale, &["rationale"]),
                error: whole,
            };
            Forms {
                duties_rule,
                ..Forms::default()
            }
        } else {
            let roles_rule = RolesRuleForm {
                role_a: field(
                    "roles-role-a",
                    "Role",
                    &self.role_a,
                    &["role_a", "conflict.role_a"],
                ),
                role_b: field(
                    "roles-role-b",
                    "Role",
                    &self.role_b,
                    &["role_b", "conflict.role_b"],
                ),
                rationale: field("roles-rationale", "Why", &self.rationale, &["rationale"]),
                error: whole,
            };
            Forms {
                roles_rule,
                ..Forms::default()
            }
        }
    }
}

fn duty(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<Duty> {
    match raw.trim().parse::<Duty>() {
        Ok(duty) => Some(duty),
        Err(_) => {
            errors.add(field, "choose a duty");
            None
        }
    }
}

/// The messages about the rule as a whole (the store's `conflict` and anything else unplaced).
fn whole_rule_message(errors: &FieldErrors) -> Option<String> {
    const PLACED: [&str; 9] = [
        "role_a",
        "role_b",
        "activity_a",
        "activity_b",
        "duty_a",
        "duty_b",
        "rationale",
        "conflict.role_a",
        "conflict.role_b",
    ];
    let messages: Vec<String> = errors
        .iter()
        .filter(|(key, _)| !PLACED.contains(key) && !key.starts_with("conflict.activity"))
        .flat_map(|(_, messages)| messages.iter().map(|m| super::share_links::sentence(m)))
        .collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

pub async fn add_rule(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<RuleFormData>,
) -> PageResult<Response> {
    let result = match form.to_input() {
        Ok(input) => state.store.create_sod_rule(&current_actor(), input).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/roles/segregation?flash=rule_added#violations").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let forms = form.shown(&errors);
            refused(&state, &caller, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn remove_rule(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "rule")?;
    state.store.remove_sod_rule(&current_actor(), id).await?;
    Ok(Redirect::to("/roles/segregation?flash=rule_removed").into_response())
}

/// The exception request as posted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ExceptionFormData {
    rule_id: String,
    person_email: String,
    justification: String,
    compensating_controls: String,
    expires_on: String,
}

impl ExceptionFormData {
    async fn to_input(&self, state: &AppState) -> Result<SodExceptionInput, StoreError> {
        let mut errors = FieldErrors::new();
        let rule_id = parse_optional_id(&self.rule_id).ok().flatten();
        if rule_id.is_none() {
            errors.add("rule_id", "choose the rule the exception is for");
        }
        let person_id = match person_by_email(state.store.as_ref(), &self.person_email).await? {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                errors.add("person_id", "type the email of the person in conflict");
                None
            }
            Err(()) => {
                errors.add("person_id", "is not the email of anyone in Charter");
                None
            }
        };
        let expires_on = match parse_optional_date(&self.expires_on) {
            Ok(Some(on)) => Some(on),
            _ => {
                errors.add("expires_on", "choose the last day the exception covers");
                None
            }
        };
        let input = SodExceptionInput {
            rule_id: rule_id.unwrap_or_default(),
            person_id: person_id.unwrap_or_default(),
            justification: self.justification.clone(),
            compensating_controls: self.compensating_controls.clone(),
            expires_on: expires_on.unwrap_or_else(|| today().next_day().unwrap_or(today())),
        };
        match input.validate(today()) {
            Ok(input) if errors.is_empty() => Ok(input),
            Ok(_) => Err(StoreError::Invalid(errors)),
            Err(more) => {
                super::forms::add_missing(&mut errors, &more);
                Err(StoreError::Invalid(errors))
            }
        }
    }

    /// The form as typed, with the store's reason for refusing it above.
    fn with_reason(&self, reason: &str) -> Forms {
        let mut forms = self.shown(&FieldErrors::new());
        forms.exception.error = Some(super::share_links::sentence(reason));
        forms
    }

    fn shown(&self, errors: &FieldErrors) -> Forms {
        let field = |id: &str, label, value: &str, key: &str| {
            TextField::new(id.to_owned(), label, value, errors, key)
        };
        let exception = ExceptionForm {
            rule_id: field("exception-rule", "Rule", &self.rule_id, "rule_id"),
            person_email: field(
                "exception-person",
                "Person",
                &self.person_email,
                "person_id",
            ),
            justification: field(
                "exception-justification",
                "Justification",
                &self.justification,
                "justification",
            ),
            compensating_controls: field(
                "exception-controls",
                "Compensating controls",
                &self.compensating_controls,
                "compensating_controls",
            ),
            expires_on: field("exception-expires", "Until", &self.expires_on, "expires_on"),
            error: None,
        };
        Forms {
            exception,
            ..Forms::default()
        }
    }
}

pub async fn request_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<ExceptionFormData>,
) -> PageResult<Response> {
    let result = match form.to_input(&state).await {
        Ok(input) => {
            state
                .store
                .request_sod_exception(&caller.account, input, today())
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(exception) => {
            let to = format!(
                "/roles/segregation/exceptions/{}?flash=requested",
                exception.id
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let forms = form.shown(&errors);
            refused(&state, &caller, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(StoreError::Conflict(reason)) => {
            let forms = form.with_reason(&reason);
            refused(&state, &caller, forms, StatusCode::CONFLICT).await
        }
        Err(StoreError::Forbidden(reason)) => {
            let forms = form.with_reason(&reason);
            refused(&state, &caller, forms, StatusCode::FORBIDDEN).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn refused(
    state: &AppState,
    caller: &Principal,
    forms: Forms,
    status: StatusCode,
) -> PageResult<Response> {
    let page = segregation_page(state, caller, forms).await?;
    Ok((status, page).into_response())
}
