//! The objectives list: those needing attention first (missed, at risk, not measured), then
//! those on track, then (when asked) the retired ones; filters kept in the URL.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::{attention_rank, objective_href, status_badge, target_text, with_unit};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::access::Permission;
use crate::domain::isms_status::ObjectiveStatus;
use crate::domain::objective::{Objective, ObjectiveFilter};
use crate::web::error::PageResult;
use crate::web::forms::{SelectOption, query_string};
use crate::web::layout::{Area, Layout};
use crate::web::moment::{Moment, day};
use crate::web::views::{Badge, Link};

/// One objective as a row.
pub struct ObjectiveRow {
    pub link: Link,
    pub status: Badge,
    pub theme: String,
    pub owner: Link,
    /// "87%", or empty when nothing is measured yet.
    pub latest: String,
    pub target: String,
    pub measured: Option<Moment>,
    pub due: Moment,
}

/// The list's filter as the URL carries it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ObjectivesQuery {
    theme: String,
    status: String,
    owner_id: String,
    /// "1" to show retired objectives too.
    retired: String,
    flash: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "objectives/list.html", whitespace = "minimize")]
pub struct ObjectivesPage {
    layout: Layout,
    flash: Option<&'static str>,
    attention: Vec<ObjectiveRow>,
    on_track: Vec<ObjectiveRow>,
    retired: Vec<ObjectiveRow>,
    /// Objectives matching the filter.
    shown: usize,
    /// Active objectives, whatever the filter.
    active_total: usize,
    theme_options: Vec<SelectOption>,
    status_options: Vec<SelectOption>,
    owner_options: Vec<SelectOption>,
    include_retired: bool,
    filtered: bool,
    clear_href: String,
    can_manage: bool,
}

pub async fn list_objectives(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<ObjectivesQuery>,
) -> PageResult<ObjectivesPage> {
    let today = today();
    let include_retired = query.retired == "1";
    let filter = ObjectiveFilter {
        include_retired,
        ..ObjectiveFilter::default()
    };
    let all = state.store.list_objectives(&filter, today).await?;
    let status: Option<ObjectiveStatus> = query.status.parse().ok();
    let owner: Option<Uuid> = query.owner_id.trim().parse().ok();
    let theme = query.theme.trim().to_lowercase();
    let mut chosen: Vec<&Objective> = all
        .iter()
        .filter(|o| theme.is_empty() || o.theme.to_lowercase() == theme)
        .filter(|o| status.is_none_or(|s| o.status == s))
        .filter(|o| owner.is_none_or(|id| o.owner_id == id))
        .collect();
    chosen.sort_by_key(|o| attention_rank(o.status));
    let rows = |keep: &dyn Fn(&Objective) -> bool| -> Vec<ObjectiveRow> {
        chosen
            .iter()
            .filter(|o| keep(o))
            .map(|o| objective_row(o, today))
            .collect()
    };
    let flash = match query.flash.as_str() {
        "retired" => Some("The objective is retired. Its measurements are kept."),
        _ => None,
    };
    Ok(ObjectivesPage {
        layout: Layout::load(&state, Area::Leadership, "Objectives").await,
        flash,
        attention: rows(&|o| o.active && o.status != ObjectiveStatus::OnTrack),
        on_track: rows(&|o| o.active && o.status == ObjectiveStatus::OnTrack),
        retired: rows(&|o| !o.active),
        shown: chosen.len(),
        active_total: all.iter().filter(|o| o.active).count(),
        theme_options: theme_options(&state, &all, &query.theme).await,
        status_options: status_options(&query.status),
        owner_options: owner_options(&all, &query.owner_id),
        include_retired,
        filtered: !theme.is_empty() || status.is_some() || owner.is_some(),
        clear_href: format!(
            "/leadership/objectives{}",
            query_string(&[("retired", query.retired.as_str())])
        ),
        can_manage: caller.may(Permission::ManageLeadership),
    })
}

fn objective_row(objective: &Objective, today: Date) -> ObjectiveRow {
    ObjectiveRow {
        link: Link::new(objective_href(objective), objective.statement.clone()),
        status: if objective.active {
            status_badge(objective.status)
        } else {
            Badge::new("grey", "Retired")
        },
        theme: objective.theme.clone(),
        owner: Link::new(
            format!("/people/{}", objective.owner_id),
            objective.owner_name.clone(),
        ),
        latest: objective
            .latest
            .as_ref()
            .map(|p| with_unit(p.value, &objective.unit))
            .unwrap_or_default(),
        target: target_text(objective),
        measured: objective.latest.as_ref().map(|p| day(p.at.date(), today)),
        due: day(objective.due_on, today),
    }
}

/// The organization's strategic themes and those objectives use, each once.
async fn theme_options(state: &AppState, all: &[Objective], chosen: &str) -> Vec<SelectOption> {
    let declared = state
        .store
        .organization()
        .await
        .map(|org| org.strategic_themes)
        .unwrap_or_default();
    let mut themes: Vec<String> = Vec::new();
    for theme in declared
        .into_iter()
        .chain(all.iter().map(|o| o.theme.clone()))
    {
        if !themes.iter().any(|t| t.eq_ignore_ascii_case(&theme)) {
            themes.push(theme);
        }
    }
    themes.sort_by_key(|t| t.to_lowercase());
    let chosen = chosen.trim();
    std::iter::once(SelectOption::new("", "Every theme", chosen.is_empty()))
        .chain(themes.into_iter().map(|t| {
            let selected = t.eq_ignore_ascii_case(chosen);
            SelectOption::new(t.clone(), t, selected)
        }))
        .collect()
}

fn status_options(chosen: &str) -> Vec<SelectOption> {
    std::iter::once(SelectOption::new("", "Any status", chosen.is_empty()))
        .chain(
            ObjectiveStatus::ALL.iter().map(|s| {
                SelectOption::new(s.as_str(), status_badge(*s).word, s.as_str() == chosen)
            }),
        )
        .collect()
}

/// The owners of the objectives listed, by name.
fn owner_options(all: &[Objective], chosen: &str) -> Vec<SelectOption> {
    let mut owners: Vec<(String, String)> = Vec::new();
    for o in all {
        let id = o.owner_id.to_string();
        if !owners.iter().any(|(known, _)| *known == id) {
            owners.push((id, o.owner_name.clone()));
        }
    }
    owners.sort_by(|a, b| a.1.cmp(&b.1));
    std::iter::once(SelectOption::new("", "Anyone", chosen.trim().is_empty()))
        .chain(owners.into_iter().map(|(id, name)| {
            let selected = id == chosen.trim();
            SelectOption::new(id, name, selected)
        }))
        .collect()
}
