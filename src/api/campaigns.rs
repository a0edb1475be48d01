//! Acknowledgment campaigns over JSON: launching, listing, closing, coverage and reminders.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::campaign_actions::{CoverageScope, send_reminders_to};
use crate::domain::campaign::{
    AckFilter, Campaign, CampaignFilter, CampaignInput, CampaignStatus, CoverageCounts, TrendPoint,
    UnitCoverage, roll_up, trend,
};
use crate::domain::{FieldErrors, Page, PageRequest};
use crate::error::{AppError, ErrorBody};

/// Filters and paging for the campaign list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignsQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<CampaignStatus>)]
    pub status: Option<CampaignStatus>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub policy_id: Option<Uuid>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page (1 to 500, default 50).
    pub per_page: Option<u32>,
}

/// A campaign's coverage as the caller may see it (a manager: their team only).
#[derive(Debug, Serialize, ToSchema)]
pub struct Coverage {
    pub counts: CoverageCounts,
    /// Per unit, each counting its sub-units, in the order of the unit tree.
    pub units: Vec<UnitCoverage>,
    /// Acknowledged so far, day by day from the launch.
    pub trend: Vec<TrendPoint>,
}

/// Whom to remind; nobody named means every pending person the caller may see.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderRequest {
    /// Only the people of this unit and its sub-units.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    /// Only these people.
    #[serde(default)]
    pub person_ids: Option<Vec<Uuid>>,
}

/// How many reminders were written to the outbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemindersQueued {
    /// People already reminded by hand today are not reminded again.
    pub queued: u64,
}

/// Lists campaigns with their counts; a manager's counts are of their own team.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns", params(CampaignsQuery),
    responses((status = 200, body = Page<Campaign>), (status = 400, body = ErrorBody)))]
pub async fn list_campaigns(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiQuery(query): ApiQuery<CampaignsQuery>,
) -> Result<Json<Page<Campaign>>, AppError> {
    let filter = CampaignFilter {
        status: query.status,
        policy_id: query.policy_id,
    };
    let page = PageRequest::new(query.page, query.per_page);
    let mut campaigns = state.store.list_campaigns(&filter, today(), page).await?;
    for campaign in &mut campaigns.items {
        scope_counts(&state, &caller, campaign).await?;
    }
    Ok(Json(campaigns))
}

/// Launches a campaign: every active person in the audience now is asked at once; people who
/// join it later are asked when they join, with `days_to_acknowledge` from then. The version
/// must be published and the audience must name somebody (422 otherwise).
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "campaigns", request_body = CampaignInput,
    responses((status = 201, body = Campaign, headers(("Location" = String))), (status = 422, body = ErrorBody)))]
pub async fn launch_campaign(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<CampaignInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate(today()).map_err(AppError::Invalid)?;
    let campaign = state
        .store
        .launch_campaign(&caller.account, input, today())
        .await?;
    let location = format!("/api/v1/campaigns/{}", campaign.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(campaign),
    ))
}

/// A campaign with its counts (a manager's: their team's).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "campaigns", params(("id" = Uuid, Path)),
    responses((status = 200, body = Campaign), (status = 404, body = ErrorBody)))]
pub async fn get_campaign(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Campaign>, AppError> {
    let mut campaign = state.store.get_campaign(id, today()).await?;
    scope_counts(&state, &caller, &mut campaign).await?;
    Ok(Json(campaign))
}

/// Stops taking acknowledgments; those still pending stay recorded as never given.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/close", tag = "campaigns", params(("id" = Uuid, Path)),
    responses((status = 200, body = Campaign), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn close_campaign(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Campaign>, AppError> {
    Ok(Json(
        state
            .store
            .close_campaign(&caller.account, id, today())
            .await?,
    ))
}

/// Acknowledged, pending and overdue in all, per unit (with sub-units) and day by day; a
/// manager sees their team only.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/coverage", tag = "campaigns", params(("id" = Uuid, Path)),
    responses((status = 200, body = Coverage), (status = 404, body = ErrorBody)))]
pub async fn get_coverage(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Coverage>, AppError> {
    let today = today();
    let campaign = state.store.get_campaign(id, today).await?;
    let filter = CoverageScope::of(&caller.account).narrow(AckFilter::default());
    let store = state.store.as_ref();
    let counts = store.coverage_counts(id, &filter, today).await?;
    let by_unit = store.coverage_by_unit(id, &filter, today).await?;
    let units = roll_up(&store.all_units().await?, &by_unit);
    let per_day = store.acknowledgments_per_day(id, &filter).await?;
    let trend = trend(
        campaign.launched_at.date(),
        trend_end(&campaign, today),
        &per_day,
    );
    Ok(Json(Coverage {
        counts,
        units,
        trend,
    }))
}

/// Emails a reminder now to the pending people the caller may see (a manager: their team),
/// optionally only those of a unit or those named; at most one a day per person.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/reminders", tag = "campaigns", params(("id" = Uuid, Path)),
    request_body = Option<ReminderRequest>,
    responses((status = 200, body = RemindersQueued), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send_reminders(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    body: Bytes,
) -> Result<Json<RemindersQueued>, AppError> {
    let request: ReminderRequest = optional_body(&body)?;
    let today = today();
    let campaign = state.store.get_campaign(id, today).await?;
    if campaign.status == CampaignStatus::Closed {
        return Err(AppError::Conflict(
            "the campaign is closed: it takes no more acknowledgments".into(),
        ));
    }
    let filter = AckFilter {
        unit_id: request.unit_id,
        ..AckFilter::default()
    };
    let only = request.person_ids.as_deref();
    let queued = send_reminders_to(&state, &caller, &campaign, filter, only, today).await?;
    Ok(Json(RemindersQueued { queued }))
}

/// A JSON body that may be left out (empty, or `null`): the defaults then.
pub fn optional_body<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let parsed: Result<Option<T>, _> = serde_json::from_slice(body);
    parsed
        .map(Option::unwrap_or_default)
        .map_err(|e| match e.classify() {
            serde_json::error::Category::Data => {
                AppError::Invalid(FieldErrors::single("body", e.to_string()))
            }
            _ => AppError::BadRequest(format!("the body is not valid JSON: {e}")),
        })
}

/// For a manager, the counts of their own team instead of the whole campaign's.
async fn scope_counts(
    state: &AppState,
    caller: &Principal,
    campaign: &mut Campaign,
) -> Result<(), AppError> {
    let scope = CoverageScope::of(&caller.account);
    if scope != CoverageScope::All {
        let filter = scope.narrow(AckFilter::default());
        campaign.counts = state
            .store
            .coverage_counts(campaign.id, &filter, today())
            .await?;
    }
    Ok(())
}

/// The trend runs to today, or to the day a closed campaign stopped.
fn trend_end(campaign: &Campaign, today: Date) -> Date {
    campaign
        .closed_at
        .map_or(today, |closed| closed.date())
        .min(today)
}
