//! Requesting an exception to a policy: scope, justification, accepted risk, compensating
//! controls and the expiry asked for. A renewal starts from the exception it renews.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Date;

use super::error::{PageError, PageResult, parse_id};
use super::forms::{Field, error_summary, format_date, parse_optional_date, parse_optional_id};
use super::layout::{Area, Layout};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::policy::Policy;
use crate::domain::policy_exception::{
    ExceptionInput, ExceptionStatus, MAX_EXCEPTION_DAYS, PolicyException,
};
use crate::store::{Store, StoreError};

/// The form as submitted, all text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ExceptionForm {
    scope: String,
    justification: String,
    risk: String,
    compensating_controls: String,
    requested_expiry: String,
    renewal_of: String,
}

impl ExceptionForm {
    /// A renewal asks again for what the earlier exception covered; only the expiry is new.
    fn renewing(previous: &PolicyException) -> Self {
        Self {
            scope: previous.scope.clone(),
            justification: previous.justification.clone(),
            risk: previous.risk.clone(),
            compensating_controls: previous.compensating_controls.clone(),
            requested_expiry: String::new(),
            renewal_of: previous.id.to_string(),
        }
    }

    fn to_input(&self, today: Date) -> Result<ExceptionInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let expiry = match parse_optional_date(&self.requested_expiry) {
            Ok(Some(date)) => date,
            Ok(None) => {
                errors.add("requested_expiry", "is required");
                today
            }
            Err(()) => {
                errors.add("requested_expiry", "is not a date (YYYY-MM-DD)");
                today
            }
        };
        let renewal_of = parse_optional_id(&self.renewal_of).unwrap_or_else(|()| {
            errors.add("renewal_of", "is not an exception of this policy");
            None
        });
        let input = ExceptionInput {
            scope: self.scope.clone(),
            justification: self.justification.clone(),
            risk: self.risk.clone(),
            compensating_controls: self.compensating_controls.clone(),
            requested_expiry: expiry,
            renewal_of,
        };
        match input.validate(today) {
            Ok(valid) if errors.is_empty() => Ok(valid),
            Ok(_) => Err(errors),
            Err(more) => {
                super::forms::add_missing(&mut errors, &more);
                Err(errors)
            }
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "exceptions/form.html", whitespace = "minimize")]
pub struct ExceptionFormPage {
    layout: Layout,
    policy: Policy,
    renewal: Option<PolicyException>,
    summary: Vec<(String, String)>,
    scope: Field,
    justification: Field,
    risk: Field,
    compensating_controls: Field,
    requested_expiry: Field,
    renewal_of: String,
    renewal_error: Option<String>,
    min_date: String,
    max_date: String,
}

fn form_page(
    layout: Layout,
    policy: Policy,
    renewal: Option<PolicyException>,
    form: ExceptionForm,
    errors: &FieldErrors,
) -> ExceptionFormPage {
    let today = today();
    let field = |id, label, value: String| Field::new(id, label, value).with_errors(errors, id);
    let scope = field("scope", "Scope", form.scope);
    let justification = field("justification", "Justification", form.justification);
    let risk = field("risk", "Risk accepted", form.risk);
    let compensating_controls = field(
        "compensating_controls",
        "Compensating controls",
        form.compensating_controls,
    );
    let requested_expiry = field("requested_expiry", "Until", form.requested_expiry);
    let renewal_error = Field::new("renewal_of", "The renewed exception", "")
        .with_errors(errors, "renewal_of")
        .error;
    ExceptionFormPage {
        layout,
        summary: error_summary(&[
            &scope,
            &justification,
            &risk,
            &compensating_controls,
            &requested_expiry,
        ]),
        policy,
        renewal,
        scope,
        justification,
        risk,
        compensating_controls,
        requested_expiry,
        renewal_of: form.renewal_of,
        renewal_error,
        min_date: format_date(today.next_day().unwrap_or(today)),
        max_date: format_date(today + time::Duration::days(MAX_EXCEPTION_DAYS)),
    }
}

/// The policy, if the caller may read it: staff see only policies with a version in force.
async fn requestable_policy(
    store: &dyn Store,
    caller: &Principal,
    raw: &str,
) -> PageResult<Policy> {
    let policy = store.get_policy(parse_id(raw, "policy")?).await?;
    let readable = caller.may(Permission::ReadPolicyRecords)
        || store.published_version(policy.id).await?.is_some();
    if readable {
        Ok(policy)
    } else {
        Err(PageError::NotFound("policy"))
    }
}

/// The approved exception to this policy that a renewal starts from, if the URL names one.
async fn renewed(
    store: &dyn Store,
    policy: &Policy,
    raw: Option<&str>,
) -> PageResult<Option<PolicyException>> {
    let Some(id) = raw.and_then(|r| parse_optional_id(r).ok().flatten()) else {
        return Ok(None);
    };
    match store.get_exception(id, today()).await {
        Ok(e) if e.policy_id == policy.id && e.status == ExceptionStatus::Approved => Ok(Some(e)),
        Ok(_) | Err(StoreError::NotFound(_)) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewExceptionQuery {
    renewal_of: Option<String>,
}

pub async fn new_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<NewExceptionQuery>,
) -> PageResult<ExceptionFormPage> {
    let store = state.store.as_ref();
    let policy = requestable_policy(store, &caller, &raw).await?;
    let renewal = renewed(store, &policy, query.renewal_of.as_deref()).await?;
    let form = renewal
        .as_ref()
        .map(ExceptionForm::renewing)
        .unwrap_or_default();
    let layout = Layout::load(&state, Area::Policies, heading(&policy, renewal.is_some())).await;
    Ok(form_page(
        layout,
        policy,
        renewal,
        form,
        &FieldErrors::new(),
    ))
}

pub async fn create_exception(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<ExceptionForm>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let policy = requestable_policy(store, &caller, &raw).await?;
    let today = today();
    let result = match form.to_input(today) {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => {
            store
                .request_exception(&caller.account, policy.id, input, today)
                .await
        }
    };
    match result {
        Ok(exception) => {
            let to = format!("/exceptions/{}?flash=requested", exception.id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let renewal = renewed(store, &policy, Some(&form.renewal_of)).await?;
            let layout =
                Layout::load(&state, Area::Policies, heading(&policy, renewal.is_some())).await;
            let page = form_page(layout, policy, renewal, form, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

fn heading(policy: &Policy, renewal: bool) -> String {
    if renewal {
        format!("Renew an exception to {}", policy.title)
    } else {
        format!("Request an exception to {}", policy.title)
    }
}
