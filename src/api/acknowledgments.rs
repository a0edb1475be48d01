//! Acknowledgments over JSON: who stands where in a campaign (and as CSV for auditors), the
//! caller's own, and acknowledging the exact version one was shown.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use super::policy_versions::attachment;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::campaign_actions::CoverageScope;
use crate::domain::campaign::{
    AckFilter, AckReceipt, AckRequest, AckState, Acknowledgment, Campaign, MyAcknowledgment,
};
use crate::domain::{Page, PageRequest};
use crate::error::{AppError, ErrorBody};

/// Which people of a campaign to list, and the page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AcknowledgmentsQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<AckState>)]
    pub state: Option<AckState>,
    /// People of this unit and its sub-units.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub unit_id: Option<Uuid>,
    /// Text in the person's name or email.
    pub q: Option<String>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page (1 to 500, default 50).
    pub per_page: Option<u32>,
}

/// Which people of a campaign to export.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AcknowledgmentsExportQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<AckState>)]
    pub state: Option<AckState>,
    /// People of this unit and its sub-units.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub unit_id: Option<Uuid>,
    /// Text in the person's name or email.
    pub q: Option<String>,
}

/// The version the reader was shown; a person other than the caller's own is refused (403).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeRequest {
    pub version_id: Uuid,
    /// Only ever the caller's own person; nobody acknowledges for someone else.
    #[serde(default)]
    pub person_id: Option<Uuid>,
}

fn ack_filter(state: Option<AckState>, unit_id: Option<Uuid>, q: Option<String>) -> AckFilter {
    AckFilter {
        state,
        unit_id,
        q: q.filter(|q| !q.trim().is_empty()),
        team_of: None,
    }
}

/// The people of a campaign and where each stands (a manager: their team only).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/acknowledgments", tag = "campaigns",
    params(("id" = Uuid, Path), AcknowledgmentsQuery),
    responses((status = 200, body = Page<Acknowledgment>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_acknowledgments(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiQuery(query): ApiQuery<AcknowledgmentsQuery>,
) -> Result<Json<Page<Acknowledgment>>, AppError> {
    let today = today();
    state.store.get_campaign(id, today).await?;
    let filter =
        CoverageScope::of(&caller.account).narrow(ack_filter(query.state, query.unit_id, query.q));
    let page = PageRequest::new(query.page, query.per_page);
    Ok(Json(
        state
            .store
            .list_acknowledgments(id, &filter, today, page)
            .await?,
    ))
}

/// Every person under the filter as CSV for auditors: the version, content hash and statement
/// each confirmed, and when (a manager: their team only).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/acknowledgments.csv", tag = "campaigns",
    params(("id" = Uuid, Path), AcknowledgmentsExportQuery),
    responses((status = 200, description = "One line per person", content_type = "text/csv", body = String), (status = 404, body = ErrorBody)))]
pub async fn export_acknowledgments(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiQuery(query): ApiQuery<AcknowledgmentsExportQuery>,
) -> Result<Response, AppError> {
    let today = today();
    let campaign = state.store.get_campaign(id, today).await?;
    let filter =
        CoverageScope::of(&caller.account).narrow(ack_filter(query.state, query.unit_id, query.q));
    let rows = state.store.all_acknowledgments(id, &filter, today).await?;
    let csv = acknowledgments_csv(&campaign, &rows)?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        &export_file_name(&campaign, today),
        csv,
    ))
}

/// What the caller has been asked to acknowledge, and where each stands.
#[utoipa::path(get, path = "/api/v1/me/acknowledgments", tag = "campaigns",
    responses((status = 200, body = Vec<MyAcknowledgment>)))]
pub async fn my_acknowledgments(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<Vec<MyAcknowledgment>>, AppError> {
    Ok(Json(
        state
            .store
            .my_acknowledgments(caller.account.person_id, today())
            .await?,
    ))
}

/// Acknowledges the campaign's version as the caller: records the version, its content hash,
/// the statement shown and the time, and answers 201 with that record (acknowledging again
/// answers the first record). Refused: for someone else (403), a version that is no longer in
/// force (409, naming the one to read), a closed campaign (409), a person not asked (404).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/acknowledgments", tag = "campaigns",
    params(("id" = Uuid, Path)), request_body = AcknowledgeRequest,
    responses((status = 201, body = AckReceipt), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<AcknowledgeRequest>,
) -> Result<impl IntoResponse, AppError> {
    let own = caller.account.person_id;
    if request.person_id.is_some_and(|person| person != own) {
        return Err(AppError::Forbidden(
            "you can only acknowledge for yourself".into(),
        ));
    }
    let receipt = state
        .acknowledger
        .acknowledge(AckRequest {
            campaign_id: id,
            account_id: caller.account.id,
            person_id: own,
            version_id: request.version_id,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}

const CSV_COLUMNS: [&str; 14] = [
    "campaign",
    "policy",
    "version_acknowledged",
    "person",
    "email",
    "unit",
    "manager",
    "state",
    "assigned_at",
    "due_on",
    "joined_late",
    "acknowledged_at",
    "content_hash",
    "statement",
];

fn acknowledgments_csv(campaign: &Campaign, rows: &[Acknowledgment]) -> Result<Vec<u8>, AppError> {
    let failed = |e: csv::Error| AppError::Internal(format!("cannot write CSV: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 200 + 200));
    writer.write_record(CSV_COLUMNS).map_err(failed)?;
    for row in rows {
        writer
            .write_record(csv_line(campaign, row))
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| AppError::Internal(format!("cannot write CSV: {e}")))
}

fn csv_line(campaign: &Campaign, row: &Acknowledgment) -> [String; 14] {
    let rfc3339 = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    [
        campaign.title.clone(),
        campaign.policy_title.clone(),
        row.version_number
            .map(|n| n.to_string())
            .unwrap_or_default(),
        row.person_name.clone(),
        row.email.clone(),
        row.unit_name.clone().unwrap_or_default(),
        row.manager_name.clone().unwrap_or_default(),
        row.state.as_str().to_owned(),
        rfc3339(row.assigned_at),
        row.due_on.to_string(),
        if row.joined_late { "yes" } else { "no" }.to_owned(),
        row.acknowledged_at.map(rfc3339).unwrap_or_default(),
        row.content_hash.clone().unwrap_or_default(),
        row.statement.clone().unwrap_or_default(),
    ]
    .map(spreadsheet_safe)
}

/// A cell a spreadsheet would run as a formula is prefixed with an apostrophe.
pub(crate) fn spreadsheet_safe(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

fn export_file_name(campaign: &Campaign, today: Date) -> String {
    let slug: String = campaign
        .policy_title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug: Vec<&str> = slug.split('-').filter(|part| !part.is_empty()).collect();
    format!(
        "acknowledgments-{}-{}-{today}.csv",
        slug.join("-"),
        campaign.version_number
    )
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn cells_that_would_run_as_formulas_are_defused() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"x\")".into()),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Ada Lovelace".into()), "Ada Lovelace");
    }
}
