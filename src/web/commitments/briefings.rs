//! Briefings per unit (5.1.h, A.5.4): each unit with its last briefing and how many in the last
//! 12 months, units never briefed flagged first; then the briefings themselves, newest first.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;
use time::Date;

use super::super::error::PageResult;
use super::super::forms::parse_optional_id;
use super::super::layout::{Area, Layout};
use super::super::moment::{Moment, day};
use super::super::views::{Badge, Link, Pager};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::briefing::{Briefing, BriefingFilter, UnitBriefings, twelve_months_before};

/// One unit and its briefings.
pub struct UnitRow {
    pub link: Link,
    pub head: Option<Link>,
    pub last: Option<Moment>,
    pub in_period: i64,
    pub badge: Badge,
}

fn unit_row(unit: &UnitBriefings, since: Date, today: Date) -> UnitRow {
    let badge = match unit.last_briefed_on {
        None => Badge::new("red", "Never briefed"),
        Some(on) if on < since => Badge::new("amber", "None in 12 months"),
        Some(_) => Badge::new("green", "Briefed"),
    };
    UnitRow {
        link: Link::new(
            format!("/leadership/briefings?unit_id={}", unit.unit_id),
            unit.unit_name.clone(),
        ),
        head: unit
            .head_id
            .zip(unit.head_name.clone())
            .map(|(id, name)| Link::new(format!("/people/{id}"), name)),
        last: unit.last_briefed_on.map(|on| day(on, today)),
        in_period: unit.in_period,
        badge,
    }
}

/// One briefing as a row.
pub struct BriefingRow {
    pub on: Moment,
    pub unit: Link,
    pub manager: String,
    pub topic: String,
    pub staff_count: i32,
    pub attendees: String,
    pub notes: String,
    pub recorded_by_other: Option<String>,
}

fn briefing_row(briefing: &Briefing, today: Date) -> BriefingRow {
    BriefingRow {
        on: day(briefing.briefed_on, today),
        unit: Link::new(
            format!("/leadership/briefings?unit_id={}", briefing.unit_id),
            briefing.unit_name.clone(),
        ),
        manager: briefing.manager_name.clone(),
        topic: briefing.topic.clone(),
        staff_count: briefing.staff_count,
        attendees: briefing
            .attendees
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        notes: briefing.notes.clone(),
        recorded_by_other: (briefing.recorded_by != briefing.manager_id)
            .then(|| briefing.recorded_by_name.clone()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "commitments/briefings.html", whitespace = "minimize")]
pub struct BriefingsPage {
    layout: Layout,
    flash: Option<&'static str>,
    units: Vec<UnitRow>,
    never: usize,
    lapsed: usize,
    /// The unit the list of briefings is narrowed to.
    unit: Option<Link>,
    briefings: Vec<BriefingRow>,
    total: i64,
    pager: Pager,
    record_href: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BriefingsQuery {
    unit_id: String,
    page: Option<u32>,
    flash: String,
}

pub async fn show_briefings(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<BriefingsQuery>,
) -> PageResult<BriefingsPage> {
    let store = state.store.as_ref();
    let today = today();
    let since = twelve_months_before(today);
    let by_unit = store.briefings_by_unit(since).await?;
    let unit_id = parse_optional_id(&query.unit_id).ok().flatten();
    let unit = unit_id.and_then(|id| by_unit.iter().find(|u| u.unit_id == id));
    let filter = BriefingFilter {
        unit_id: unit.map(|u| u.unit_id),
        manager_id: None,
    };
    let page = store
        .list_briefings(&filter, PageRequest::new(query.page, Some(50)))
        .await?;
    let unit_param = unit.map(|u| u.unit_id.to_string()).unwrap_or_default();
    let pager = Pager::new("/leadership/briefings", &page, &[("unit_id", &unit_param)]);
    let record_href = caller.may(Permission::RecordBriefings).then(|| match unit {
        Some(u) => format!("/leadership/briefings/new?unit_id={}", u.unit_id),
        None => "/leadership/briefings/new".to_owned(),
    });
    Ok(BriefingsPage {
        layout: Layout::load(&state, Area::Leadership, "Briefings").await,
        flash: (query.flash == "recorded").then_some("The briefing was recorded."),
        never: by_unit
            .iter()
            .filter(|u| u.last_briefed_on.is_none())
            .count(),
        lapsed: by_unit
            .iter()
            .filter(|u| u.last_briefed_on.is_some_and(|on| on < since))
            .count(),
        unit: unit.map(|u| {
            Link::new(
                format!("/leadership/briefings?unit_id={}", u.unit_id),
                u.unit_name.clone(),
            )
        }),
        units: by_unit.iter().map(|u| unit_row(u, since, today)).collect(),
        briefings: page.items.iter().map(|b| briefing_row(b, today)).collect(),
        total: page.total,
        pager,
        record_href,
    })
}
