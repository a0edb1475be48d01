//! The unit pages for reading: the tree of units and one unit's page.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use uuid::Uuid;

use super::error::{PageResult, parse_id};
use super::evidence::{Evidence, evidence_trail};
use super::layout::{Area, Layout};
use super::people::FlashQuery;
use super::views::Link;
use crate::app::AppState;
use crate::domain::Unit;
use crate::domain::unit::tree_order;
use crate::store::{Store, StoreResult};

/// The deepest indentation the stylesheet draws; deeper units line up with it.
const DEEPEST: usize = 8;

/// One line of the tree.
pub struct UnitRow {
    pub link: Link,
    pub depth: usize,
    pub description: String,
    pub head: Option<Link>,
}

#[derive(Template, WebTemplate)]
#[template(path = "units/list.html", whitespace = "minimize")]
pub struct UnitsPage {
    layout: Layout,
    rows: Vec<UnitRow>,
}

pub async fn list_units(State(state): State<AppState>) -> PageResult<UnitsPage> {
    let units = state.store.all_units().await?;
    let heads = head_names(state.store.as_ref(), &units).await?;
    let rows = tree_order(&units)
        .into_iter()
        .map(|(depth, unit)| UnitRow {
            link: Link::new(format!("/units/{}", unit.id), unit.name.clone()),
            depth: depth.min(DEEPEST),
            description: unit.description.clone(),
            head: head_link(unit, &heads),
        })
        .collect();
    Ok(UnitsPage {
        layout: Layout::load(&state, Area::Units, "Units").await,
        rows,
    })
}

async fn head_names(store: &dyn Store, units: &[Unit]) -> StoreResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = units.iter().filter_map(|u| u.head_id).collect();
    if ids.is_empty() {
        Ok(HashMap::new())
    } else {
        store.person_names(&ids).await
    }
}

fn head_link(unit: &Unit, heads: &HashMap<Uuid, String>) -> Option<Link> {
    unit.head_id.and_then(|id| {
        heads
            .get(&id)
            .map(|name| Link::new(format!("/people/{id}"), name.clone()))
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "units/show.html", whitespace = "minimize")]
pub struct UnitPage {
    layout: Layout,
    flash: Option<String>,
    unit: Unit,
    head: Option<Link>,
    parent: Option<Link>,
    children: Vec<Link>,
    people_href: String,
    evidence: Evidence,
}

pub async fn show_unit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(flash): Query<FlashQuery>,
) -> PageResult<UnitPage> {
    let store = state.store.as_ref();
    let unit = store.get_unit(parse_id(&raw, "unit")?).await?;
    let units = store.all_units().await?;
    let heads = head_names(store, std::slice::from_ref(&unit)).await?;
    let link = |u: &Unit| Link::new(format!("/units/{}", u.id), u.name.clone());
    let parent = unit
        .parent_id
        .and_then(|id| units.iter().find(|u| u.id == id))
        .map(link);
    let mut children: Vec<Link> = units
        .iter()
        .filter(|u| u.parent_id == Some(unit.id))
        .map(link)
        .collect();
    children.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(UnitPage {
        layout: Layout::load(&state, Area::Units, unit.name.clone()).await,
        flash: flash.message("unit"),
        head: head_link(&unit, &heads),
        parent,
        children,
        people_href: format!("/people?unit_id={}", unit.id),
        evidence: evidence_trail(store, "unit", &unit.id.to_string()).await?,
        unit,
    })
}
