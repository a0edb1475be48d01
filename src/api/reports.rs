//! Performance reports over JSON (5.1.e, 5.3.b): the holder of the reporter role freezes the state
//! of the ISMS and submits it; a member of top management other than the generator signs it off
//! with comments and their password; HTML and PDF exports are written from the frozen snapshot.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::params::{ApiJson, RecordId};
use super::policy_versions::attachment;
use crate::app::AppState;
use crate::auth::{Caller, Principal};
use crate::document::report_export::{ReportDocument, report_html, report_pdf};
use crate::domain::access::Permission;
use crate::domain::isms_status::IsmsStatus;
use crate::domain::report::{
    PerformanceReport, PerformanceReportDetail, ReportInput, SignOffInput,
};
use crate::error::{AppError, ErrorBody};
use crate::isms_status::read_isms_status;
use crate::store::Store;

/// The routes of this module, each behind its permission.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    use Permission::{GenerateReports, ReadLeadership, SignOffReports, SignedIn};
    // One report and its exports are also read by its generator, who may hold no more than the
    // staff role: the handlers check (`readable`).
    OpenApiRouter::new()
        .routes(super::with(ReadLeadership, routes!(list_reports)))
        .routes(super::with(GenerateReports, routes!(generate_report)))
        .routes(super::with(ReadLeadership, routes!(preview_report)))
        .routes(super::with(SignedIn, routes!(get_report)))
        .routes(super::with(SignOffReports, routes!(sign_off_report)))
        .routes(super::with(SignedIn, routes!(export_html)))
        .routes(super::with(SignedIn, routes!(export_pdf)))
}

/// A sign-off: the comments, confirmed with the signer's password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignOffRequest {
    #[serde(flatten)]
    pub sign_off: SignOffInput,
    #[serde(default)]
    pub password: String,
}

/// Every report, newest first (without their snapshots).
#[utoipa::path(get, path = "/api/v1/performance-reports", tag = "reports",
    responses((status = 200, body = Vec<PerformanceReport>)))]
pub async fn list_reports(
    State(state): State<AppState>,
) -> Result<Json<Vec<PerformanceReport>>, AppError> {
    Ok(Json(state.store.list_reports().await?))
}

/// Freezes the state of the ISMS now as a report and submits it to top management (each member
/// is emailed). Only the holder, today, of the role flagged `performance_reporter` generates one
/// (403 naming the role and its holders).
#[utoipa::path(post, path = "/api/v1/performance-reports", tag = "reports", request_body = ReportInput,
    responses((status = 201, body = PerformanceReportDetail, headers(("Location" = String))),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn generate_report(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let report = state
        .store
        .generate_report(&caller.account, input, OffsetDateTime::now_utc())
        .await?;
    let location = format!("/api/v1/performance-reports/{}", report.report.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(report),
    ))
}

/// The state of the ISMS a report would freeze now, read from the live records.
#[utoipa::path(get, path = "/api/v1/performance-reports/preview", tag = "reports",
    responses((status = 200, body = IsmsStatus)))]
pub async fn preview_report(State(state): State<AppState>) -> Result<Json<IsmsStatus>, AppError> {
    let status = read_isms_status(state.store.as_ref(), OffsetDateTime::now_utc()).await?;
    Ok(Json(status))
}

/// One report with its frozen snapshot; `intact` says whether the stored text still has its
/// SHA-256 (`content_hash`). For those who read leadership records and for the report's
/// generator (403 for anyone else).
#[utoipa::path(get, path = "/api/v1/performance-reports/{id}", tag = "reports", params(("id" = Uuid, Path)),
    responses((status = 200, body = PerformanceReportDetail), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_report(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<PerformanceReportDetail>, AppError> {
    let detail = state.store.get_report(id).await?;
    readable(&caller, &detail.report)?;
    Ok(Json(detail))
}

/// Signs a submitted report off with comments (required), confirmed with the signer's password
/// (422 when wrong). The signer holds top management today and did not generate the report
/// (403); a signed report does not change (409).
#[utoipa::path(post, path = "/api/v1/performance-reports/{id}/sign-off", tag = "reports",
    params(("id" = Uuid, Path)), request_body = SignOffRequest,
    responses((status = 200, body = PerformanceReportDetail), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sign_off_report(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<SignOffRequest>,
) -> Result<Json<PerformanceReportDetail>, AppError> {
    let store = state.store.as_ref();
    let signed = sign_off(store, &caller, id, request.sign_off, &request.password).await?;
    Ok(Json(signed))
}

/// The report as a standalone, printable HTML file, written from its frozen snapshot (for those
/// who read leadership records and for its generator).
#[utoipa::path(get, path = "/api/v1/performance-reports/{id}/export.html", tag = "reports",
    params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "text/html", body = String), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn export_html(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Response, AppError> {
    let (doc, name) = export_document(state.store.as_ref(), &caller, id).await?;
    let html = report_html(&doc).into_bytes();
    Ok(attachment(
        "text/html; charset=utf-8",
        &format!("{name}.html"),
        html,
    ))
}

/// The report as a PDF, written from its frozen snapshot (for those who read leadership records
/// and for its generator).
#[utoipa::path(get, path = "/api/v1/performance-reports/{id}/export.pdf", tag = "reports",
    params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn export_pdf(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Response, AppError> {
    let (doc, name) = export_document(state.store.as_ref(), &caller, id).await?;
    let pdf = render_pdf(doc).await?;
    Ok(attachment("application/pdf", &format!("{name}.pdf"), pdf))
}

/// The sign-off after the password check, as the API and the page both make it.
pub(crate) async fn sign_off(
    store: &dyn Store,
    principal: &Principal,
    id: Uuid,
    input: SignOffInput,
    password: &str,
) -> Result<PerformanceReportDetail, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    crate::policy_actions::confirm(store, principal, password).await?;
    Ok(store.sign_off_report(&principal.account, id, input).await?)
}

/// Refuses (403) a caller who neither reads leadership records nor generated the report: the
/// holder of the reporter role may hold no more than the staff role, and reads what they submitted.
pub fn readable(caller: &Principal, report: &PerformanceReport) -> Result<(), AppError> {
    if report.generated_by_person == caller.account.person_id
        || caller.may(Permission::ReadLeadership)
    {
        return Ok(());
    }
    Err(AppError::Forbidden(
        "a performance report is shown to those who read leadership records and to the person \
         who generated it"
            .into(),
    ))
}

/// A stored report, when `reader` may read it (403 otherwise), as a document (with the
/// organization's name) and its file name without extension:
/// `performance-report-<end of period>-<first 8 hex of the hash>`.
pub async fn export_document(
    store: &dyn Store,
    reader: &Principal,
    id: Uuid,
) -> Result<(ReportDocument, String), AppError> {
    let detail = store.get_report(id).await?;
    readable(reader, &detail.report)?;
    document_for(store, &detail).await
}

/// A report already read, as a document and its file name.
pub async fn document_for(
    store: &dyn Store,
    detail: &PerformanceReportDetail,
) -> Result<(ReportDocument, String), AppError> {
    let organization = store.organization().await?.name;
    let name = format!(
        "performance-report-{}-{}",
        detail.report.period_end,
        detail.report.content_hash.get(..8).unwrap_or_default()
    );
    Ok((ReportDocument::new(&organization, detail), name))
}

/// Lays the document out as PDF off the request threads (typst is CPU-bound).
pub async fn render_pdf(doc: ReportDocument) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || report_pdf(&doc))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A stored report rendered to PDF bytes, as the exports do (for benchmarks).
pub async fn stored_report_pdf(store: &dyn Store, id: Uuid) -> Result<Vec<u8>, AppError> {
    let detail = store.get_report(id).await?;
    let (doc, _) = document_for(store, &detail).await?;
    render_pdf(doc).await
}
