//! Recording a verification of a process: the owner (or an ISMS manager) says on which day they
//! checked that the ISMS is still built in as described, with the evidence as it stands.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::super::error::{PageError, PageResult, parse_id};
use super::super::forms::{Field, error_summary, format_date, parse_optional_date};
use super::super::layout::{Area, Layout};
use super::processes::may_verify;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::process::{Process, VerificationInput};
use crate::store::StoreError;

#[derive(Template, WebTemplate)]
#[template(path = "commitments/process_verify.html", whitespace = "minimize")]
pub struct VerifyPage {
    layout: Layout,
    process: Process,
    summary: Vec<(String, String)>,
    verified_on: Field,
    evidence: Field,
    max_date: String,
}

/// The verification as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct VerifyForm {
    verified_on: String,
    evidence: String,
}

fn verify_page(
    layout: Layout,
    process: Process,
    form: &VerifyForm,
    errors: &FieldErrors,
) -> VerifyPage {
    let verified_on = Field::new("verified_on", "Verified on", form.verified_on.clone())
        .with_errors(errors, "verified_on");
    let evidence =
        Field::new("evidence", "Evidence", form.evidence.clone()).with_errors(errors, "evidence");
    VerifyPage {
        layout,
        process,
        summary: error_summary(&[&verified_on, &evidence]),
        verified_on,
        evidence,
        max_date: format_date(today()),
    }
}

/// The process, if the caller may verify it: others are refused with who may.
async fn verifiable(state: &AppState, caller: &Principal, raw: &str) -> PageResult<Process> {
    let process = state
        .store
        .get_process(parse_id(raw, "process")?, today())
        .await?;
    if may_verify(caller, &process) {
        Ok(process)
    } else {
        Err(PageError::Refused(
            "Only the process owner or an ISMS manager records a verification".into(),
        ))
    }
}

pub async fn verify_form(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<VerifyPage> {
    let process = verifiable(&state, &caller, &raw).await?;
    let form = VerifyForm {
        verified_on: format_date(today()),
        evidence: process.evidence.clone(),
    };
    let title = format!("Verify {}", process.name);
    let layout = Layout::load(&state, Area::Leadership, title).await;
    Ok(verify_page(layout, process, &form, &FieldErrors::new()))
}

pub async fn verify_process(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<VerifyForm>,
) -> PageResult<Response> {
    let process = verifiable(&state, &caller, &raw).await?;
    let result = match parse_optional_date(&form.verified_on) {
        Err(()) => Err(StoreError::Invalid(FieldErrors::single(
            "verified_on",
            "is not a date (YYYY-MM-DD)",
        ))),
        Ok(verified_on) => {
            let input = VerificationInput {
                verified_on,
                evidence: Some(form.evidence.clone()),
            };
            state
                .store
                .verify_process(&caller.account, process.id, input, today())
                .await
        }
    };
    match result {
        Ok(verified) => {
            let to = format!("/leadership/processes/{}?flash=verified", verified.id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let title = format!("Verify {}", process.name);
            let layout = Layout::load(&state, Area::Leadership, title).await;
            let page = verify_page(layout, process, &form, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
