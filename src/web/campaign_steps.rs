//! What is done to a campaign from its page (closing it, reminding the pending people by hand)
//! and the campaign launched when a major version is published with "ask to acknowledge" ticked.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::{PageError, parse_id};
use super::forms::parse_optional_id;
use super::policy_views::{PolicyError, PolicyResult};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::campaign_actions::{
    DEFAULT_DAYS_TO_ACKNOWLEDGE, launch_reacknowledgment, send_reminders,
};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::campaign::{AckFilter, CampaignStatus, MAX_DUE_DAYS};
use crate::domain::policy_version::PolicyVersion;
use crate::error::AppError;
use crate::store::StoreError;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClosePost {
    confirm: String,
}

pub async fn close_campaign(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<ClosePost>,
) -> PolicyResult<Response> {
    let id = parse_id(&raw, "campaign")?;
    if form.confirm != "yes" {
        let message = "tick the box to confirm: the campaign stays open until you do";
        return Err(PageError::Invalid(FieldErrors::single("confirm", message)).into());
    }
    state
        .store
        .close_campaign(&caller.account, id, today())
        .await
        .map_err(refused)?;
    Ok(Redirect::to(&format!("/campaigns/{id}?flash=closed")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RemindPost {
    unit_id: String,
}

/// Queues a reminder for the pending people in scope (a manager's team), optionally one unit.
pub async fn remind_pending(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<RemindPost>,
) -> PolicyResult<Response> {
    let today = today();
    let campaign = state
        .store
        .get_campaign(parse_id(&raw, "campaign")?, today)
        .await?;
    if campaign.status != CampaignStatus::Open {
        return Err(
            AppError::Conflict("The campaign is closed: it sends no reminders.".into()).into(),
        );
    }
    let filter = AckFilter {
        unit_id: parse_optional_id(&form.unit_id).ok().flatten(),
        ..AckFilter::default()
    };
    let queued = send_reminders(&state, &caller, &campaign, filter, today)
        .await
        .map_err(refused)?;
    let to = format!("/campaigns/{}?flash=reminded&queued={queued}", campaign.id);
    Ok(Redirect::to(&to).into_response())
}

/// A store refusal as the page answers it: 403, 404, 409 or 422 with the store's words.
fn refused(error: StoreError) -> PolicyError {
    AppError::from(error).into()
}

/// After a major version is published with "ask to acknowledge" ticked: launches the campaign
/// and lands on it, or on the campaign form saying why none was launched.
pub async fn launch_after_publish(
    state: &AppState,
    caller: &Principal,
    version: &PolicyVersion,
    days: &str,
) -> Response {
    if !caller.may(Permission::ManageCampaigns) {
        let to = format!("/policies/{}?flash=published", version.policy_id);
        return Redirect::to(&to).into_response();
    }
    let days = days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=MAX_DUE_DAYS).contains(d))
        .unwrap_or(DEFAULT_DAYS_TO_ACKNOWLEDGE);
    match launch_reacknowledgment(state, &caller.account, version, days, today()).await {
        Ok(campaign) => Redirect::to(&format!("/campaigns/{}?flash=published", campaign.id)),
        Err(error) => {
            tracing::warn!(%error, version = %version.id, "no campaign was launched on publishing");
            let reason = match &error {
                StoreError::Invalid(errors) if errors.get("audience").is_some() => "nobody",
                _ => "not_launched",
            };
            Redirect::to(&format!(
                "/campaigns/new?version_id={}&flash={reason}",
                version.id
            ))
        }
    }
    .into_response()
}
