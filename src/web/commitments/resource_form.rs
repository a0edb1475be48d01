//! Asking for resources by form, and top management's "no additional resources needed" decision
//! for a type and period. A refused form comes back with each message beside its field.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Date;

use super::super::error::PageResult;
use super::super::forms::{Field, SelectOption, add_missing, error_summary, parse_optional_date};
use super::super::layout::{Area, Layout};
use crate::app::AppState;
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::resource::{Amount, ResourceCommitmentInput, ResourceKind};
use crate::store::StoreError;

/// The form as typed, all text (also the query that prefills it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    kind: String,
    description: String,
    amount: String,
    currency: String,
    fte: String,
    period_start: String,
    period_end: String,
    none_needed: String,
}

impl RequestForm {
    fn none_needed(&self) -> bool {
        matches!(self.none_needed.as_str(), "1" | "on" | "true")
    }

    fn to_input(&self) -> Result<ResourceCommitmentInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = self.kind.parse::<ResourceKind>().unwrap_or_else(|_| {
            errors.add("kind", "choose the type of resource");
            ResourceKind::Financial
        });
        let amount = match self.amount.trim() {
            "" => None,
            text => Amount::parse(text)
                .map_err(|message| errors.add("amount", message))
                .ok(),
        };
        let fte = match self.fte.trim().replace(',', ".").as_str() {
            "" => None,
            text => text
                .parse::<f64>()
                .map_err(|_| errors.add("fte", "is not a number (e.g. 1.5)"))
                .ok(),
        };
        let mut day = |field: &str, raw: &str| match parse_optional_date(raw) {
            Ok(Some(day)) => day,
            Ok(None) => {
                errors.add(field, "is required");
                Date::MIN
            }
            Err(()) => {
                errors.add(field, "is not a date (YYYY-MM-DD)");
                Date::MIN
            }
        };
        let period_start = day("period_start", &self.period_start);
        let period_end = day("period_end", &self.period_end);
        let currency = Some(self.currency.clone()).filter(|c| !c.trim().is_empty());
        let input = ResourceCommitmentInput {
            kind,
            description: self.description.clone(),
            amount,
            currency,
            fte,
            period_start,
            period_end,
            none_needed: self.none_needed(),
        };
        match input.validate() {
            Ok(valid) if errors.is_empty() => Ok(valid),
            Ok(_) => Err(errors),
            Err(more) => {
                add_missing(&mut errors, &more);
                Err(errors)
            }
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "commitments/resource_form.html", whitespace = "minimize")]
pub struct RequestFormPage {
    layout: Layout,
    none_needed: bool,
    summary: Vec<(String, String)>,
    kinds: Vec<SelectOption>,
    kind: Field,
    description: Field,
    amount: Field,
    currency: Field,
    fte: Field,
    period_start: Field,
    period_end: Field,
    /// Why the whole request was refused (e.g. "none needed" by someone outside top management).
    refusal: Option<String>,
}

fn form_page(
    layout: Layout,
    caller: &Principal,
    form: &RequestForm,
    errors: &FieldErrors,
) -> RequestFormPage {
    let field = |id, label, value: &str| Field::new(id, label, value).with_errors(errors, id);
    let kind = field("kind", "Type of resource", &form.kind);
    let description = field("description", "What for", &form.description);
    let amount = field("amount", "Amount", &form.amount);
    let currency = field("currency", "Currency", &form.currency);
    let fte = field("fte", "People (FTE)", &form.fte);
    let period_start = field("period_start", "Period from", &form.period_start);
    let period_end = field("period_end", "Period until", &form.period_end);
    let none_needed = field("none_needed", "Decision", "");
    let mut kinds = vec![SelectOption::new("", "Choose…", form.kind.is_empty())];
    kinds.extend(
        ResourceKind::ALL
            .iter()
            .map(|k| SelectOption::new(k.as_str(), k.label(), k.as_str() == form.kind)),
    );
    RequestFormPage {
        layout,
        none_needed: form.none_needed() && caller.may(Permission::DecideResources),
        summary: error_summary(&[
            &kind,
            &description,
            &amount,
            &currency,
            &fte,
            &period_start,
            &period_end,
            &none_needed,
        ]),
        kinds,
        kind,
        description,
        amount,
        currency,
        fte,
        period_start,
        period_end,
        refusal: none_needed.error,
    }
}

fn heading(none_needed: bool) -> &'static str {
    if none_needed {
        "Record that no additional resources are needed"
    } else {
        "Ask for resources"
    }
}

pub async fn new_request(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(form): Query<RequestForm>,
) -> PageResult<RequestFormPage> {
    let none_needed = form.none_needed() && caller.may(Permission::DecideResources);
    let layout = Layout::load(&state, Area::Leadership, heading(none_needed)).await;
    Ok(form_page(layout, &caller, &form, &FieldErrors::new()))
}

pub async fn create_request(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<RequestForm>,
) -> PageResult<Response> {
    let result = match form.to_input() {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => state.store.request_resources(&caller.account, input).await,
    };
    let (status, errors) = match result {
        Ok(record) => {
            let flash = if record.none_needed {
                "none_needed"
            } else {
                "requested"
            };
            let to = format!("/leadership/resources/{}?flash={flash}", record.id);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Err(StoreError::Forbidden(message)) => (
            StatusCode::FORBIDDEN,
            FieldErrors::single("none_needed", message),
        ),
        Err(other) => return Err(other.into()),
    };
    let none_needed = form.none_needed() && caller.may(Permission::DecideResources);
    let layout = Layout::load(&state, Area::Leadership, heading(none_needed)).await;
    let page = form_page(layout, &caller, &form, &errors);
    Ok((status, page).into_response())
}
