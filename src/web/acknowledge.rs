//! The reading page: the exact version a campaign asks about, its number and content hash, the
//! due date and the statement, with one button. Acknowledging records exactly what was shown;
//! a version replaced meanwhile is refused and the current one offered instead.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::campaigns::state_badge;
use super::error::{parse_id, render_error};
use super::layout::{Area, Layout};
use super::moment::{Moment, day, moment};
use super::policy_views::{DocumentView, PolicyError, PolicyResult, sentence};
use super::views::Badge;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::campaign::{AckRequest, Acknowledgment, Campaign, CampaignStatus};
use crate::domain::policy_version::PolicyVersion;
use crate::error::AppError;
use crate::store::StoreError;

/// What an acknowledgment recorded, as the reader sees it afterwards.
pub struct Receipt {
    pub at: Moment,
    pub version: String,
    pub hash: String,
    pub statement: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "acknowledge/page.html", whitespace = "minimize")]
pub struct AcknowledgePage {
    layout: Layout,
    flash: bool,
    refusal: Option<String>,
    campaign: Campaign,
    version: PolicyVersion,
    document: DocumentView,
    due: Moment,
    state: Badge,
    receipt: Option<Receipt>,
    open: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AcknowledgeQuery {
    flash: String,
}

pub async fn show_acknowledgment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<AcknowledgeQuery>,
) -> PolicyResult<Response> {
    let id = parse_id(&raw, "campaign")?;
    let Some(mut page) = reading_page(&state, &caller, id).await? else {
        return Ok(not_addressed());
    };
    page.flash = query.flash == "acknowledged" && page.receipt.is_some();
    Ok(page.into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AcknowledgePost {
    version_id: String,
}

pub async fn acknowledge(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<AcknowledgePost>,
) -> PolicyResult<Response> {
    let campaign_id = parse_id(&raw, "campaign")?;
    let request = AckRequest {
        campaign_id,
        account_id: caller.account.id,
        person_id: caller.account.person_id,
        version_id: Uuid::parse_str(form.version_id.trim()).unwrap_or_default(),
    };
    let refusal = match state.acknowledger.acknowledge(request).await {
        Ok(_) => {
            let to = format!("/acknowledge/{campaign_id}?flash=acknowledged");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::NotFound(_)) => return Ok(not_addressed()),
        Err(StoreError::Conflict(message)) => sentence(&message),
        Err(other) => return Err(PolicyError::from(AppError::from(other))),
    };
    let Some(mut page) = reading_page(&state, &caller, campaign_id).await? else {
        return Ok(not_addressed());
    };
    page.refusal = Some(refusal);
    Ok((StatusCode::CONFLICT, page).into_response())
}

/// The page for the caller, or `None` when the campaign does not ask them.
async fn reading_page(
    state: &AppState,
    caller: &Principal,
    campaign_id: Uuid,
) -> PolicyResult<Option<AcknowledgePage>> {
    let store = state.store.as_ref();
    let today = today();
    let campaign = store.get_campaign(campaign_id, today).await?;
    let mine = match store
        .get_acknowledgment(campaign.id, caller.account.person_id, today)
        .await
    {
        Ok(mine) => mine,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let version = store.get_version(campaign.version_id).await?;
    let title = format!("{}, version {}", campaign.policy_title, version.number);
    Ok(Some(AcknowledgePage {
        layout: Layout::load(state, Area::Tasks, title).await,
        flash: false,
        refusal: None,
        document: DocumentView::new(&version.body),
        due: day(mine.due_on, today),
        state: state_badge(mine.state),
        receipt: receipt(&mine),
        open: campaign.status == CampaignStatus::Open,
        campaign,
        version,
    }))
}

fn receipt(mine: &Acknowledgment) -> Option<Receipt> {
    let at = mine.acknowledged_at?;
    Some(Receipt {
        at: moment(at, OffsetDateTime::now_utc()),
        version: mine
            .version_number
            .map(|v| v.to_string())
            .unwrap_or_default(),
        hash: mine.content_hash.clone().unwrap_or_default(),
        statement: mine.statement.clone().unwrap_or_default(),
    })
}

/// A campaign that does not ask the caller: nothing here is theirs to acknowledge.
fn not_addressed() -> Response {
    render_error(
        StatusCode::NOT_FOUND,
        "Nothing to acknowledge here".to_owned(),
        "This campaign does not ask you to acknowledge anything, or it does not exist. Your \
         policies to acknowledge are listed in My tasks."
            .to_owned(),
        Vec::new(),
    )
}
