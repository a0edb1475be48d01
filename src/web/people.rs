//! The people pages for reading: the filtered list, one person's page, and marking a departure.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::{PageResult, parse_id};
use super::evidence::{Evidence, evidence_trail};
use super::forms::{
    SelectOption, format_date, kind_options, kind_word, parse_optional_id, status_options,
    unit_options,
};
use super::layout::{Area, Layout};
use super::moment::{Moment, day};
use super::role_person::{PersonRoles, person_roles};
use super::views::{Badge, Link, Pager, status_badge};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::auth::principal::current_actor;
use crate::domain::{PageRequest, Person, PersonFilter, PersonInput, PersonStatus, Unit};
use crate::store::Store;

/// The list's filter and paging as typed in the URL; values that do not parse are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PeopleQuery {
    q: String,
    unit_id: String,
    manager_id: String,
    status: String,
    kind: String,
    without_unit: String,
    manager_departed: String,
    page: String,
    per_page: String,
}

impl PeopleQuery {
    fn filter(&self) -> PersonFilter {
        PersonFilter {
            q: Some(self.q.trim().to_owned()).filter(|q| !q.is_empty()),
            unit_id: parse_optional_id(&self.unit_id).ok().flatten(),
            manager_id: parse_optional_id(&self.manager_id).ok().flatten(),
            status: self.status.parse().ok(),
            kind: self.kind.parse().ok(),
            without_unit: self.without_unit == "true",
            manager_departed: self.manager_departed == "true",
        }
    }

    fn page(&self) -> PageRequest {
        PageRequest::new(
            self.page.trim().parse().ok(),
            self.per_page.trim().parse().ok(),
        )
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        vec![
            ("q", &self.q),
            ("unit_id", &self.unit_id),
            ("manager_id", &self.manager_id),
            ("status", &self.status),
            ("kind", &self.kind),
            ("without_unit", &self.without_unit),
            ("manager_departed", &self.manager_departed),
        ]
    }
}

/// One line of the list.
pub struct PersonRow {
    pub link: Link,
    pub email: String,
    pub job_title: String,
    pub unit: Option<Link>,
    pub manager: Option<Link>,
    pub kind: &'static str,
    pub status: Badge,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/list.html", whitespace = "minimize")]
pub struct PeopleListPage {
    layout: Layout,
    q: String,
    manager_id: String,
    unit_options: Vec<SelectOption>,
    status_options: Vec<SelectOption>,
    kind_options: Vec<SelectOption>,
    rows: Vec<PersonRow>,
    total: i64,
    filtered: bool,
    pager: Pager,
}

pub async fn list_people(
    State(state): State<AppState>,
    Query(query): Query<PeopleQuery>,
) -> PageResult<PeopleListPage> {
    let store = state.store.as_ref();
    let filter = query.filter();
    let page = store.list_people(&filter, query.page()).await?;
    let units = store.all_units().await?;
    let rows = person_rows(store, &page.items, &units).await?;
    let filtered = filter.q.is_some()
        || filter.unit_id.is_some()
        || filter.manager_id.is_some()
        || filter.status.is_some()
        || filter.kind.is_some()
        || filter.without_unit
        || filter.manager_departed;
    Ok(PeopleListPage {
        layout: Layout::load(&state, Area::People, "People").await,
        unit_options: unit_options(&units, &query.unit_id, "All units", &[]),
        status_options: status_options(&query.status, Some("Any status")),
        kind_options: kind_options(&query.kind, Some("Any kind")),
        pager: Pager::new("/people", &page, &query.pairs()),
        total: page.total,
        rows,
        filtered,
        q: query.q,
        manager_id: query.manager_id,
    })
}

/// Rows naming each person's unit and manager, with one query for all the managers of the page.
pub async fn person_rows(
    store: &dyn Store,
    people: &[Person],
    units: &[Unit],
) -> PageResult<Vec<PersonRow>> {
    let manager_ids: Vec<_> = people.iter().filter_map(|p| p.manager_id).collect();
    let managers = if manager_ids.is_empty() {
        HashMap::new()
    } else {
        store.person_names(&manager_ids).await?
    };
    let unit_names: HashMap<_, _> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    Ok(people
        .iter()
        .map(|p| PersonRow {
            link: Link::new(format!("/people/{}", p.id), p.name.clone()),
            email: p.email.clone(),
            job_title: p.job_title.clone(),
            unit: p.unit_id.and_then(|id| {
                unit_names
                    .get(&id)
                    .map(|name| Link::new(format!("/units/{id}"), *name))
            }),
            manager: p.manager_id.and_then(|id| {
                managers
                    .get(&id)
                    .map(|name| Link::new(format!("/people/{id}"), name.clone()))
            }),
            kind: kind_word(p.kind),
            status: status_badge(p.status),
        })
        .collect())
}

/// `?flash=` names one of a few fixed messages; nothing typed by a user is echoed.
#[derive(Debug, Default, Deserialize)]
pub struct FlashQuery {
    #[serde(default)]
    flash: String,
}

impl FlashQuery {
    pub fn message(&self, noun: &str) -> Option<String> {
        match self.flash.as_str() {
            "created" => Some(format!("The {noun} was created.")),
            "saved" => Some("Your changes were saved.".to_owned()),
            "departed" => {
                Some("The person is now marked as departed. Their records stay.".to_owned())
            }
            _ => None,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "people/show.html", whitespace = "minimize")]
pub struct PersonPage {
    layout: Layout,
    flash: Option<String>,
    person: Person,
    kind: &'static str,
    status: Badge,
    departed: Option<Moment>,
    unit: Option<Link>,
    manager: Option<Link>,
    reports: Vec<Link>,
    reports_total: i64,
    reports_href: String,
    today: String,
    evidence: Evidence,
    /// Roles held today, delegations in and out, escalation contacts.
    roles: PersonRoles,
}

const REPORTS_SHOWN: u32 = 50;

pub async fn show_person(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(flash): Query<FlashQuery>,
) -> PageResult<PersonPage> {
    let store = state.store.as_ref();
    let person = store.get_person(parse_id(&raw, "person")?).await?;
    let unit = match person.unit_id {
        Some(id) => Some(Link::new(
            format!("/units/{id}"),
            store.get_unit(id).await?.name,
        )),
        None => None,
    };
    let manager = match person.manager_id {
        Some(id) => store
            .person_names(&[id])
            .await?
            .remove(&id)
            .map(|name| Link::new(format!("/people/{id}"), name)),
        None => None,
    };
    let filter = PersonFilter {
        manager_id: Some(person.id),
        ..PersonFilter::default()
    };
    let reports = store
        .list_people(&filter, PageRequest::new(Some(1), Some(REPORTS_SHOWN)))
        .await?;
    Ok(PersonPage {
        layout: Layout::load(&state, Area::People, person.name.clone()).await,
        flash: flash.message("person"),
        kind: kind_word(person.kind),
        status: status_badge(person.status),
        departed: person.departed_on.map(|d| day(d, today())),
        unit,
        manager,
        reports: reports
            .items
            .iter()
            .map(|p| Link::new(format!("/people/{}", p.id), p.name.clone()))
            .collect(),
        reports_total: reports.total,
        reports_href: format!("/people?manager_id={}", person.id),
        today: format_date(today()),
        evidence: evidence_trail(store, "person", &person.id.to_string()).await?,
        roles: person_roles(store, &caller, &person, today()).await?,
        person,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct DeactivationForm {
    #[serde(default)]
    departed_on: String,
}

/// Marks the person as departed on the given day (today when empty); nothing is deleted.
pub async fn deactivate_person(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Form(form): Form<DeactivationForm>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let person = store.get_person(parse_id(&raw, "person")?).await?;
    let departed_on = super::forms::parse_optional_date(&form.departed_on).map_err(|()| {
        super::error::PageError::Invalid(crate::domain::FieldErrors::single(
            "departed_on",
            "is not a date (YYYY-MM-DD)",
        ))
    })?;
    let input = PersonInput {
        status: PersonStatus::Departed,
        departed_on: Some(departed_on.unwrap_or_else(today)),
        ..PersonInput::from_person(&person)
    };
    store
        .update_person(&current_actor(), person.id, input, today())
        .await?;
    Ok(Redirect::to(&format!("/people/{}?flash=departed", person.id)).into_response())
}
