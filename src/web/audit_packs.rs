//! The audit pack page: choose an assessment and a format, and download the pack (the checkpoint
//! signed by the server, the export recorded in the audit trail).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use uuid::Uuid;

use super::error::PageResult;
use super::layout::{Area, Layout};
use crate::app::AppState;
use crate::audit_pack::PackFormat;
use crate::auth::{Caller, guarded};
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::error::AppError;

/// How many recent assessments the form offers.
const OFFERED: u32 = 20;

/// The pages of this area, each behind its permission.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/conformance/pack",
        guarded(
            Permission::ExportAuditPacks,
            get(show_pack_form).post(export_pack),
        ),
    )
}

/// One assessment offered.
pub struct AssessmentOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One format offered.
pub struct FormatOption {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit_packs/pack.html", whitespace = "minimize")]
pub struct PackPage {
    layout: Layout,
    assessments: Vec<AssessmentOption>,
    formats: Vec<FormatOption>,
    has_signer: bool,
    refusal: Option<String>,
}

/// What the form sends.
#[derive(Debug, Deserialize)]
pub struct PackForm {
    #[serde(default)]
    pub assessment_id: String,
    pub format: String,
}

async fn page(
    state: &AppState,
    chosen: Option<Uuid>,
    format: PackFormat,
    refusal: Option<String>,
) -> PageResult<PackPage> {
    let listed = state
        .store
        .list_assessments(PageRequest::new(Some(1), Some(OFFERED)))
        .await?;
    let assessments = listed
        .items
        .iter()
        .map(|a| AssessmentOption {
            value: a.id.to_string(),
            label: format!(
                "{} ({}, by {}): {} conforming, {} partial, {} nonconforming",
                a.created_at.date(),
                a.trigger.as_str(),
                a.run_by_label,
                a.counts.conforming,
                a.counts.partial,
                a.counts.nonconforming
            ),
            selected: chosen == Some(a.id),
        })
        .collect();
    let formats = PackFormat::ALL
        .iter()
        .map(|f| FormatOption {
            value: f.as_str(),
            label: f.label(),
            checked: *f == format,
        })
        .collect();
    Ok(PackPage {
        layout: Layout::load(state, Area::Conformance, "Audit pack").await,
        assessments,
        formats,
        has_signer: state.signer.is_some(),
        refusal,
    })
}

pub async fn show_pack_form(State(state): State<AppState>) -> PageResult<PackPage> {
    page(&state, None, PackFormat::Html, None).await
}

/// Downloads the pack, or shows the form again saying why not.
pub async fn export_pack(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<PackForm>,
) -> Response {
    let chosen = Uuid::parse_str(form.assessment_id.trim()).ok();
    let format = form.format.parse().unwrap_or(PackFormat::Html);
    let refused = match crate::api::audit_packs::export(&state, &caller, chosen, format).await {
        Ok(response) if response.status().is_success() => return response,
        Ok(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "This server has no checkpoint signing key, so it cannot sign an audit pack. Start it with --signing-key, or let it create one.".to_owned(),
        ),
        Err(AppError::Internal(detail)) => {
            tracing::error!(%detail, "an audit pack could not be exported");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The pack could not be written; nothing was exported. Try again, or another format.".to_owned(),
            )
        }
        Err(other) => (other.status(), other.to_string()),
    };
    match page(&state, chosen, format, Some(refused.1)).await {
        Ok(page) => (refused.0, page).into_response(),
        Err(error) => error.into_response(),
    }
}
