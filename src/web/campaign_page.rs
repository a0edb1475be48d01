//! One campaign's page: its numbers, the bars by unit, the trend, its units (each with a
//! reminder button) and its people. A manager sees their team only, and the page says so.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::campaigns::{describe_audience, scoped_counts, state_badge, status_badge};
use super::charts::{BarChart, TrendChart, tone};
use super::error::parse_id;
use super::evidence::{Evidence, visible_evidence_trail};
use super::forms::{SelectOption, parse_optional_id, query_string, unit_options};
use super::layout::{Area, Layout};
use super::moment::{Moment, day, moment};
use super::policy_views::PolicyResult;
use super::views::{Badge, Pager};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::campaign_actions::CoverageScope;
use crate::domain::access::Permission;
use crate::domain::campaign::{
    AckFilter, AckState, Acknowledgment, Campaign, CampaignStatus, CoverageCounts, TrendPoint,
    roll_up, trend,
};
use crate::domain::{PageRequest, Unit};
use crate::store::Store;

/// A campaign page's filter of people, its paging, and the message after an action.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CampaignQuery {
    state: String,
    unit_id: String,
    q: String,
    page: String,
    flash: String,
    queued: String,
}

impl CampaignQuery {
    fn filter(&self) -> AckFilter {
        let q = self.q.trim();
        AckFilter {
            state: self.state.parse().ok(),
            unit_id: parse_optional_id(&self.unit_id).ok().flatten(),
            q: (!q.is_empty()).then(|| q.to_owned()),
            team_of: None,
        }
    }

    /// One of a few fixed messages; nothing typed by a user is echoed.
    fn flash(&self) -> Option<String> {
        let queued: u64 = self.queued.parse().unwrap_or(0);
        Some(match self.flash.as_str() {
            "launched" => "The campaign was launched: everyone in its audience now finds the \
                           policy to acknowledge in their tasks."
                .to_owned(),
            "published" => "The version was published and is now in force, and this campaign \
                            asks the policy's audience to acknowledge it."
                .to_owned(),
            "closed" => "The campaign was closed: it takes no more acknowledgments.".to_owned(),
            "reminded" if queued == 0 => "No reminder was queued: everyone in scope has \
                                          acknowledged or was already reminded today."
                .to_owned(),
            "reminded" => format!("{queued} reminder(s) queued in the outbox."),
            _ => return None,
        })
    }
}

pub struct UnitRow {
    pub id: Uuid,
    pub name: String,
    pub depth: usize,
    pub counts: CoverageCounts,
    pub badge: Badge,
}

pub struct PersonRow {
    pub name: String,
    pub email: String,
    pub unit: String,
    pub state: Badge,
    pub due: Moment,
    pub acknowledged: Option<Moment>,
    pub version: String,
    pub joined_late: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "campaigns/show.html", whitespace = "minimize")]
pub struct CampaignPage {
    layout: Layout,
    flash: Option<String>,
    campaign: Campaign,
    status: Badge,
    due: Moment,
    launched: Moment,
    reminders: String,
    audience: String,
    team: bool,
    counts: CoverageCounts,
    bars: BarChart,
    trend: TrendChart,
    trend_points: Vec<TrendPoint>,
    units: Vec<UnitRow>,
    people: Vec<PersonRow>,
    people_total: i64,
    pager: Pager,
    state_options: Vec<SelectOption>,
    unit_options: Vec<SelectOption>,
    q: String,
    filtered: bool,
    csv_href: String,
    can_close: bool,
    can_remind: bool,
    evidence: Option<Evidence>,
}

pub async fn show_campaign(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<CampaignQuery>,
) -> PolicyResult<CampaignPage> {
    let store = state.store.as_ref();
    let today = today();
    let campaign = store
        .get_campaign(parse_id(&raw, "campaign")?, today)
        .await?;
    let scope = CoverageScope::of(&caller.account);
    let base = scope.narrow(AckFilter::default());
    let units = store.all_units().await?;
    let counts = scoped_counts(store, &campaign, scope).await?;
    let direct = store.coverage_by_unit(campaign.id, &base, today).await?;
    let rolled = roll_up(&units, &direct);
    let per_day = store.acknowledgments_per_day(campaign.id, &base).await?;
    let trend_points = trend(campaign.launched_at.date(), today, &per_day);
    let people = people_section(store, &campaign, &query, scope, &units).await?;
    let open = campaign.status == CampaignStatus::Open;
    Ok(CampaignPage {
        layout: Layout::load(&state, Area::Campaigns, campaign.title.clone()).await,
        flash: query.flash(),
        status: status_badge(campaign.status),
        due: day(campaign.due_on, today),
        launched: moment(campaign.launched_at, OffsetDateTime::now_utc()),
        reminders: campaign.reminders.describe(),
        audience: describe_audience(&campaign.audience, &units),
        team: scope != CoverageScope::All,
        bars: BarChart::new("coverage-by-unit", "Acknowledged by unit", &rolled),
        trend: TrendChart::new(
            "coverage-trend",
            "Acknowledgments over time",
            &trend_points,
            counts.total,
        ),
        trend_points,
        units: rolled
            .iter()
            .map(|u| UnitRow {
                id: u.unit_id,
                name: u.unit_name.clone(),
                depth: u.depth,
                counts: u.counts,
                badge: Badge::new(
                    tone_color(u.counts.percent()),
                    format!("{}%", u.counts.percent()),
                ),
            })
            .collect(),
        counts,
        people: people.rows,
        people_total: people.total,
        pager: people.pager,
        state_options: state_options(&query.state),
        unit_options: unit_options(&units, query.unit_id.trim(), "All units", &[]),
        q: query.q.trim().to_owned(),
        filtered: people.filtered,
        csv_href: people.csv_href,
        can_close: open && caller.may(Permission::ManageCampaigns),
        can_remind: open && caller.may(Permission::SendReminders),
        evidence: evidence(store, &caller, campaign.id).await?,
        campaign,
    })
}

/// The badge colors of the chart's tones.
fn tone_color(percent: i64) -> &'static str {
    match tone(percent) {
        "good" => "green",
        "partial" => "amber",
        _ => "red",
    }
}

async fn evidence(
    store: &dyn Store,
    caller: &Principal,
    id: Uuid,
) -> PolicyResult<Option<Evidence>> {
    Ok(visible_evidence_trail(store, caller, "campaign", &id.to_string()).await?)
}

struct PeopleSection {
    rows: Vec<PersonRow>,
    total: i64,
    pager: Pager,
    filtered: bool,
    csv_href: String,
}

/// One page of the campaign's people under the filter, within the caller's scope.
async fn people_section(
    store: &dyn Store,
    campaign: &Campaign,
    query: &CampaignQuery,
    scope: CoverageScope,
    units: &[Unit],
) -> PolicyResult<PeopleSection> {
    let filter = query.filter();
    let state = filter.state.map(|s| s.as_str()).unwrap_or_default();
    let unit_id = filter.unit_id.map(|u| u.to_string()).unwrap_or_default();
    let q = filter.q.clone().unwrap_or_default();
    let pairs = [
        ("state", state),
        ("unit_id", unit_id.as_str()),
        ("q", q.as_str()),
    ];
    let filtered = !query_string(&pairs).is_empty();
    let request = PageRequest::new(query.page.trim().parse().ok(), None);
    let today = today();
    let page = store
        .list_acknowledgments(campaign.id, &scope.narrow(filter), today, request)
        .await?;
    let now = OffsetDateTime::now_utc();
    let unit_name = |a: &Acknowledgment| {
        a.unit_name
            .clone()
            .or_else(|| {
                a.unit_id
                    .and_then(|id| units.iter().find(|u| u.id == id))
                    .map(|u| u.name.clone())
            })
            .unwrap_or_default()
    };
    let rows = page
        .items
        .iter()
        .map(|a| PersonRow {
            name: a.person_name.clone(),
            email: a.email.clone(),
            unit: unit_name(a),
            state: state_badge(a.state),
            due: day(a.due_on, today),
            acknowledged: a.acknowledged_at.map(|at| moment(at, now)),
            version: a.version_number.map(|v| v.to_string()).unwrap_or_default(),
            joined_late: a.joined_late,
        })
        .collect();
    let path = format!("/campaigns/{}", campaign.id);
    Ok(PeopleSection {
        rows,
        total: page.total,
        pager: Pager::new(&path, &page, &pairs),
        filtered,
        csv_href: format!(
            "/api/v1/campaigns/{}/acknowledgments.csv{}",
            campaign.id,
            query_string(&pairs)
        ),
    })
}

fn state_options(selected: &str) -> Vec<SelectOption> {
    let selected = selected.trim();
    let mut options = vec![SelectOption::new("", "Every state", selected.is_empty())];
    options.extend(
        AckState::ALL
            .iter()
            .map(|s| SelectOption::new(s.as_str(), s.label(), s.as_str() == selected)),
    );
    options
}
