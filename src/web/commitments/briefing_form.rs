//! Recording a briefing by form: the unit (those the manager heads or where their team works;
//! every unit for an ISMS manager, who may also name another manager), day, topic, how many
//! staff, optionally who, and notes.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::super::error::PageResult;
use super::super::forms::{
    Field, SelectOption, add_missing, error_summary, format_date, parse_optional_date,
    parse_optional_id, person_by_email, unit_options,
};
use super::super::layout::{Area, Layout};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::access::Role;
use crate::domain::briefing::BriefingInput;
use crate::domain::{FieldErrors, PageRequest, PersonFilter, Unit, UnitFilter};
use crate::store::{Store, StoreError};

/// The form as typed, all text (also the query that prefills the unit).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BriefingForm {
    unit_id: String,
    manager_email: String,
    briefed_on: String,
    topic: String,
    staff_count: String,
    attendee_emails: String,
    notes: String,
}

impl BriefingForm {
    async fn to_input(&self, store: &dyn Store, today: Date) -> Result<BriefingInput, StoreError> {
        let mut errors = FieldErrors::new();
        let unit_id = parse_optional_id(&self.unit_id).ok().flatten();
        if unit_id.is_none() {
            errors.add("unit_id", "choose the unit you briefed");
        }
        let manager_id = person_by_email(store, &self.manager_email)
            .await?
            .unwrap_or_else(|()| {
                errors.add(
                    "manager_id",
                    "is not the email of anyone in the organization",
                );
                None
            });
        let briefed_on = match parse_optional_date(&self.briefed_on) {
            Ok(Some(on)) => on,
            _ => {
                errors.add("briefed_on", "is not a date (YYYY-MM-DD)");
                today
            }
        };
        let staff_count = self.staff_count.trim().parse::<i32>().unwrap_or_else(|_| {
            errors.add("staff_count", "is not a number");
            1
        });
        let mut attendee_ids = Vec::new();
        for email in self
            .attendee_emails
            .lines()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            match store.person_by_email(email).await? {
                Some(person) => attendee_ids.push(person.id),
                None => errors.add(
                    "attendee_ids",
                    format!("{email} is not anyone in the organization"),
                ),
            }
        }
        let input = BriefingInput {
            manager_id,
            unit_id: unit_id.unwrap_or_else(Uuid::nil),
            briefed_on,
            topic: self.topic.clone(),
            staff_count,
            attendee_ids,
            notes: self.notes.clone(),
        };
        match input.validate(today) {
            Ok(valid) if errors.is_empty() => Ok(valid),
            Ok(_) => Err(StoreError::Invalid(errors)),
            Err(more) => {
                add_missing(&mut errors, &more);
                Err(StoreError::Invalid(errors))
            }
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "commitments/briefing_form.html", whitespace = "minimize")]
pub struct BriefingFormPage {
    layout: Layout,
    summary: Vec<(String, String)>,
    /// An ISMS manager may record for another manager.
    for_others: bool,
    units: Vec<SelectOption>,
    unit_id: Field,
    manager_email: Field,
    briefed_on: Field,
    topic: Field,
    staff_count: Field,
    attendee_emails: Field,
    notes: Field,
    refusal: Option<String>,
    max_date: String,
}

/// The units the caller may record for: every unit for an ISMS manager; otherwise those they
/// head and those where their direct reports work.
async fn choosable_units(store: &dyn Store, caller: &Principal) -> PageResult<Vec<Unit>> {
    let all = store
        .list_units(&UnitFilter::default(), PageRequest::new(Some(1), Some(500)))
        .await?
        .items;
    if caller.account.has_role(Role::IsmsManager) {
        return Ok(all);
    }
    let me = caller.account.person_id;
    let team = PersonFilter {
        manager_id: Some(me),
        ..PersonFilter::default()
    };
    let reports = store
        .list_people(&team, PageRequest::new(Some(1), Some(500)))
        .await?;
    let team_units: Vec<Uuid> = reports.items.iter().filter_map(|p| p.unit_id).collect();
    Ok(all
        .into_iter()
        .filter(|u| u.head_id == Some(me) || team_units.contains(&u.id))
        .collect())
}

async fn form_page(
    state: &AppState,
    caller: &Principal,
    form: &BriefingForm,
    errors: &FieldErrors,
    refusal: Option<String>,
) -> PageResult<BriefingFormPage> {
    let units = choosable_units(state.store.as_ref(), caller).await?;
    let field = |id, label, value: &str, key| Field::new(id, label, value).with_errors(errors, key);
    let unit_id = field("unit_id", "Unit", &form.unit_id, "unit_id");
    let manager_email = field(
        "manager_email",
        "Manager's email",
        &form.manager_email,
        "manager_id",
    );
    let briefed_on = field(
        "briefed_on",
        "Day of the briefing",
        &form.briefed_on,
        "briefed_on",
    );
    let topic = field("topic", "Topic", &form.topic, "topic");
    let staff_count = field(
        "staff_count",
        "Staff briefed",
        &form.staff_count,
        "staff_count",
    );
    let emails = &form.attendee_emails;
    let attendee_emails = field("attendee_emails", "Who (optional)", emails, "attendee_ids");
    let notes = field("notes", "Notes", &form.notes, "notes");
    let layout = Layout::load(state, Area::Leadership, "Record a briefing").await;
    Ok(BriefingFormPage {
        layout,
        summary: error_summary(&[
            &unit_id,
            &manager_email,
            &briefed_on,
            &topic,
            &staff_count,
            &attendee_emails,
            &notes,
        ]),
        for_others: caller.account.has_role(Role::IsmsManager),
        units: unit_options(&units, &form.unit_id, "Choose the unit…", &[]),
        unit_id,
        manager_email,
        briefed_on,
        topic,
        staff_count,
        attendee_emails,
        notes,
        refusal,
        max_date: format_date(today()),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewBriefingQuery {
    unit_id: String,
}

pub async fn new_briefing(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<NewBriefingQuery>,
) -> PageResult<BriefingFormPage> {
    let form = BriefingForm {
        unit_id: query.unit_id,
        manager_email: caller.account.email.clone(),
        briefed_on: format_date(today()),
        ..BriefingForm::default()
    };
    form_page(&state, &caller, &form, &FieldErrors::new(), None).await
}

pub async fn record_briefing(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<BriefingForm>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let today = today();
    let result = match form.to_input(store, today).await {
        Ok(input) => store.record_briefing(&caller.account, input, today).await,
        Err(error) => Err(error),
    };
    let (status, errors, refusal) = match result {
        Ok(briefing) => {
            let to = format!(
                "/leadership/briefings?unit_id={}&flash=recorded",
                briefing.unit_id
            );
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Err(StoreError::Forbidden(message)) => {
            (StatusCode::FORBIDDEN, FieldErrors::new(), Some(message))
        }
        Err(other) => return Err(other.into()),
    };
    let page = form_page(&state, &caller, &form, &errors, refusal).await?;
    Ok((status, page).into_response())
}
