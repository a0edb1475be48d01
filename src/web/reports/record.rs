//! One performance report as top management reads it: the headline figures first, the frozen time
//! and hash, the reporter's summary, the sign-off (or its form, with a deliberate confirmation and
//! the password again), then every section; and its HTML and PDF exports.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::super::error::{PageError, PageResult, parse_id};
use super::super::evidence::{Evidence, visible_evidence_trail};
use super::super::forms::Field;
use super::super::layout::{Area, Layout};
use super::super::moment::{Moment, moment};
use super::super::share_links::{page_error, sentence};
use super::super::views::Badge;
use super::history::status_badge;
use crate::api::policy_versions::attachment;
use crate::api::reports::{document_for, export_document, readable, render_pdf, sign_off};
use crate::app::AppState;
use crate::auth::{Caller, Principal};
use crate::document::report_export::{ReportDocument, report_html};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::report::{PerformanceReport, ReportStatus, SignOffInput};
use crate::error::AppError;

/// The sign-off form, as shown again after a refusal (never the password).
pub struct SignOffPanel {
    pub comments: Field,
    pub confirm: Field,
    pub password: Field,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/show.html", whitespace = "minimize")]
pub struct ReportPage {
    layout: Layout,
    flash: Option<&'static str>,
    report: PerformanceReport,
    status: Badge,
    generated: Moment,
    signed_at: Option<Moment>,
    doc: ReportDocument,
    panel: Option<SignOffPanel>,
    /// Whether the caller reads the history (the generator alone may not).
    reads_history: bool,
    /// Why this caller, or nobody yet, signs it off.
    sign_off_note: Option<String>,
    refusal: Option<String>,
    evidence: Option<Evidence>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    flash: String,
}

/// What a refused sign-off brings back to the page.
#[derive(Default)]
struct Refused {
    comments: String,
    errors: FieldErrors,
    message: Option<String>,
}

pub async fn show_report(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<ReportQuery>,
) -> PageResult<ReportPage> {
    let id = parse_id(&raw, "performance report")?;
    let mut page = report_page(&state, &caller, id, Refused::default()).await?;
    page.flash = match query.flash.as_str() {
        "generated" => Some(
            "The report was frozen and submitted to top management; each member was sent a notice.",
        ),
        "signed" => Some("The report was signed off. It can no longer change."),
        _ => None,
    };
    Ok(page)
}

fn panel(refused: &Refused) -> SignOffPanel {
    let mut password = Field::new("password", "Your password, to confirm", "");
    if refused.errors.get("password").is_some() {
        password.error = Some("This is not your password. Nothing was signed.".to_owned());
    }
    SignOffPanel {
        comments: Field::new("comments", "Comments", refused.comments.clone())
            .with_errors(&refused.errors, "comments"),
        confirm: Field::new("confirm", "Confirmation", "").with_errors(&refused.errors, "confirm"),
        password,
    }
}

/// Who signs a submitted report off, as this caller should read it.
fn sign_off_note(report: &PerformanceReport, caller: &Principal) -> (bool, Option<String>) {
    if report.status != ReportStatus::Submitted {
        return (false, None);
    }
    let mine = report.generated_by_person == caller.account.person_id;
    if mine {
        let note = "You generated this report, so another member of top management signs it off.";
        return (false, Some(note.to_owned()));
    }
    if caller.may(Permission::SignOffReports) {
        return (true, None);
    }
    let note = "Awaiting sign-off by a member of top management other than the reporter.";
    (false, Some(note.to_owned()))
}

async fn report_page(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    refused: Refused,
) -> PageResult<ReportPage> {
    let store = state.store.as_ref();
    let detail = store.get_report(id).await?;
    readable(caller, &detail.report).map_err(not_shown)?;
    let (doc, _) = document_for(store, &detail).await.map_err(page_error)?;
    let report = detail.report;
    let now = OffsetDateTime::now_utc();
    let (signs, sign_off_note) = sign_off_note(&report, caller);
    let evidence =
        visible_evidence_trail(store, caller, "performance_report", &id.to_string()).await?;
    Ok(ReportPage {
        layout: Layout::load(state, Area::Reports, doc.title.clone()).await,
        flash: None,
        status: status_badge(report.status),
        generated: moment(report.generated_at, now),
        signed_at: report.signed_off_at.map(|at| moment(at, now)),
        panel: signs.then(|| panel(&refused)),
        reads_history: caller.may(Permission::ReadLeadership),
        sign_off_note,
        refusal: refused.message,
        evidence,
        doc,
        report,
    })
}

/// The sign-off as posted: comments, the confirmation box, the password.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SignOffFormData {
    comments: String,
    confirm: String,
    password: String,
}

pub async fn sign_off_report(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<SignOffFormData>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "performance report")?;
    let mut refused = Refused {
        comments: form.comments.clone(),
        ..Refused::default()
    };
    let status = if form.confirm == "yes" {
        let input = SignOffInput {
            comments: form.comments,
        };
        match sign_off(state.store.as_ref(), &caller, id, input, &form.password).await {
            Ok(_) => {
                let to = format!("/reports/{id}?flash=signed");
                return Ok(Redirect::to(&to).into_response());
            }
            Err(error) => refusal(error, &mut refused)?,
        }
    } else {
        let message = "Tick the box to sign this report off on behalf of top management.";
        refused.errors.add("confirm", message);
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = report_page(&state, &caller, id, refused).await?;
    Ok((status, page).into_response())
}

/// A refused sign-off as messages on the page, or the error page when it is not a refusal.
fn refusal(error: AppError, refused: &mut Refused) -> PageResult<StatusCode> {
    let status = error.status();
    match error {
        AppError::Invalid(errors) => refused.errors = errors,
        AppError::Forbidden(message)
        | AppError::Conflict(message)
        | AppError::TooManyRequests(message) => refused.message = Some(sentence(&message)),
        AppError::NotFound(what) => return Err(PageError::NotFound(what)),
        other => return Err(page_error(other)),
    }
    Ok(status)
}

/// A refusal to show the report as the page that says why (403); other errors as they are.
fn not_shown(error: AppError) -> PageError {
    match error {
        AppError::Forbidden(message) => PageError::Refused(sentence(&message)),
        other => page_error(other),
    }
}

/// The report as a standalone, print-ready HTML file.
pub async fn export_html(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "performance report")?;
    let (doc, name) = export_document(state.store.as_ref(), &caller, id)
        .await
        .map_err(not_shown)?;
    let html = report_html(&doc).into_bytes();
    Ok(attachment(
        "text/html; charset=utf-8",
        &format!("{name}.html"),
        html,
    ))
}

/// The report as a PDF.
pub async fn export_pdf(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "performance report")?;
    let (doc, name) = export_document(state.store.as_ref(), &caller, id)
        .await
        .map_err(not_shown)?;
    let pdf = render_pdf(doc).await.map_err(page_error)?;
    Ok(attachment("application/pdf", &format!("{name}.pdf"), pdf))
}
