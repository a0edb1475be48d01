//! The campaign register: every campaign with its coverage (a manager's: their team's), filtered
//! by status; and the words and badges the campaign pages share.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::charts::MiniBar;
use super::forms::query_string;
use super::layout::{Area, Layout};
use super::moment::{Moment, day};
use super::policy_views::PolicyResult;
use super::views::{Badge, Link, Pager};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::campaign_actions::CoverageScope;
use crate::domain::access::Permission;
use crate::domain::campaign::{
    AckFilter, AckState, Campaign, CampaignAudience, CampaignFilter, CampaignStatus, CoverageCounts,
};
use crate::domain::{PageRequest, Unit};
use crate::store::Store;

/// Open campaigns are still being worked on; closed ones are history.
pub fn status_badge(status: CampaignStatus) -> Badge {
    match status {
        CampaignStatus::Open => Badge::new("amber", "Open"),
        CampaignStatus::Closed => Badge::new("grey", "Closed"),
    }
}

/// Done is green, due is amber, overdue is red: the task vocabulary.
pub fn state_badge(state: AckState) -> Badge {
    let tone = match state {
        AckState::Acknowledged => "green",
        AckState::Pending => "amber",
        AckState::Overdue => "red",
    };
    Badge::new(tone, state.label())
}

/// The audience in words, naming the units it lists.
pub fn describe_audience(audience: &CampaignAudience, units: &[Unit]) -> String {
    match audience {
        CampaignAudience::Units { unit_ids } => {
            let names: Vec<&str> = units
                .iter()
                .filter(|u| unit_ids.contains(&u.id))
                .map(|u| u.name.as_str())
                .collect();
            format!("People of {} (with their sub-units)", names.join(", "))
        }
        other => other.describe(),
    }
}

/// The list's filter and paging as typed in the URL; values that do not parse are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CampaignsQuery {
    status: String,
    page: String,
}

pub struct CampaignRow {
    pub link: Link,
    pub policy: Link,
    pub version: String,
    pub audience: String,
    pub due: Moment,
    pub status: Badge,
    pub bar: MiniBar,
}

pub struct StatusTab {
    pub href: String,
    pub label: &'static str,
    pub count: i64,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "campaigns/list.html", whitespace = "minimize")]
pub struct CampaignsPage {
    layout: Layout,
    rows: Vec<CampaignRow>,
    tabs: Vec<StatusTab>,
    total: i64,
    pager: Pager,
    can_launch: bool,
    team: bool,
}

pub async fn list_campaigns(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<CampaignsQuery>,
) -> PolicyResult<CampaignsPage> {
    let store = state.store.as_ref();
    let today = today();
    let status: Option<CampaignStatus> = query.status.parse().ok();
    let filter = CampaignFilter {
        status,
        policy_id: None,
    };
    let request = PageRequest::new(query.page.trim().parse().ok(), None);
    let page = store.list_campaigns(&filter, today, request).await?;
    let scope = CoverageScope::of(&caller.account);
    let units = store.all_units().await?;
    let mut rows = Vec::with_capacity(page.items.len());
    for campaign in &page.items {
        let counts = scoped_counts(store, campaign, scope).await?;
        rows.push(CampaignRow {
            link: Link::new(
                format!("/campaigns/{}", campaign.id),
                campaign.title.clone(),
            ),
            policy: Link::new(
                format!("/policies/{}", campaign.policy_id),
                campaign.policy_title.clone(),
            ),
            version: campaign.version_number.to_string(),
            audience: describe_audience(&campaign.audience, &units),
            due: day(campaign.due_on, today),
            status: status_badge(campaign.status),
            bar: MiniBar::new(&counts),
        });
    }
    let status_text = status.map(|s| s.as_str()).unwrap_or_default();
    Ok(CampaignsPage {
        layout: Layout::load(&state, Area::Campaigns, "Campaigns").await,
        tabs: status_tabs(store, status).await?,
        pager: Pager::new("/campaigns", &page, &[("status", status_text)]),
        total: page.total,
        rows,
        can_launch: caller.may(Permission::ManageCampaigns),
        team: scope != CoverageScope::All,
    })
}

/// The campaign's counts as the caller may see them: everyone's, or their team's.
pub async fn scoped_counts(
    store: &dyn Store,
    campaign: &Campaign,
    scope: CoverageScope,
) -> PolicyResult<CoverageCounts> {
    match scope {
        CoverageScope::All => Ok(campaign.counts),
        team => {
            let filter = team.narrow(AckFilter::default());
            Ok(store.coverage_counts(campaign.id, &filter, today()).await?)
        }
    }
}

async fn status_tabs(
    store: &dyn Store,
    current: Option<CampaignStatus>,
) -> PolicyResult<Vec<StatusTab>> {
    let mut tabs = Vec::new();
    for (status, label) in [
        (None, "All"),
        (Some(CampaignStatus::Open), "Open"),
        (Some(CampaignStatus::Closed), "Closed"),
    ] {
        let filter = CampaignFilter {
            status,
            policy_id: None,
        };
        let one = PageRequest::new(Some(1), Some(1));
        let count = store.list_campaigns(&filter, today(), one).await?.total;
        let text = status.map(|s| s.as_str()).unwrap_or_default();
        tabs.push(StatusTab {
            href: format!("/campaigns{}", query_string(&[("status", text)])),
            label,
            count,
            current: status == current,
        });
    }
    Ok(tabs)
}
