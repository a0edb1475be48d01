//! People over JSON: list with filters, get, create, update, deactivate; never delete. A new
//! person or a move joins the open campaigns whose audience now includes them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, response::IntoResponse};
use serde::Deserialize;
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, double_option, empty_as_none};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::campaign_actions::people_changed;
use crate::domain::{
    Page, PageRequest, Person, PersonFilter, PersonInput, PersonKind, PersonStatus,
};
use crate::error::{AppError, ErrorBody};

/// Filters and paging for the people list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Text found in the name or email.
    pub q: Option<String>,
    /// People in this unit or any unit below it.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub unit_id: Option<Uuid>,
    /// People reporting directly to this person.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub manager_id: Option<Uuid>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<PersonStatus>)]
    pub status: Option<PersonStatus>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<PersonKind>)]
    pub kind: Option<PersonKind>,
    /// Only people in no unit.
    #[serde(default)]
    pub without_unit: bool,
    /// Only people whose manager has departed.
    #[serde(default)]
    pub manager_departed: bool,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page (1 to 500, default 50).
    pub per_page: Option<u32>,
}

impl PeopleQuery {
    pub fn split(self) -> (PersonFilter, PageRequest) {
        let filter = PersonFilter {
            q: self.q,
            unit_id: self.unit_id,
            manager_id: self.manager_id,
            status: self.status,
            kind: self.kind,
            without_unit: self.without_unit,
            manager_departed: self.manager_departed,
        };
        (filter, PageRequest::new(self.page, self.per_page))
    }
}

/// A partial update: only the fields present change; `null` clears a nullable field.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonPatch {
    pub name: Option<String>,
    pub email: Option<String>,
    pub job_title: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub unit_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    pub manager_id: Option<Option<Uuid>>,
    pub kind: Option<PersonKind>,
    pub status: Option<PersonStatus>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub departed_on: Option<Option<Date>>,
}

impl PersonPatch {
    pub fn apply(self, mut input: PersonInput) -> PersonInput {
        if let Some(v) = self.name {
            input.name = v
        }
        if let Some(v) = self.email {
            input.email = v
        }
        if let Some(v) = self.job_title {
            input.job_title = v
        }
        if let Some(v) = self.unit_id {
            input.unit_id = v
        }
        if let Some(v) = self.manager_id {
            input.manager_id = v
        }
        if let Some(v) = self.kind {
            input.kind = v
        }
        if let Some(v) = self.status {
            input.status = v;
            if v != PersonStatus::Departed && self.departed_on.is_none() {
                input.departed_on = None;
            }
        }
        if let Some(v) = self.departed_on {
            input.departed_on = v
        }
        input
    }
}

/// When a person leaves; today when not given.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Deactivation {
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub departed_on: Option<Date>,
}

#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(PeopleQuery),
    responses((status = 200, body = Page<Person>), (status = 400, body = ErrorBody)))]
pub async fn list_people(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PeopleQuery>,
) -> Result<Json<Page<Person>>, AppError> {
    let (filter, page) = query.split();
    Ok(Json(state.store.list_people(&filter, page).await?))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = Uuid, Path)),
    responses((status = 200, body = Person), (status = 404, body = ErrorBody)))]
pub async fn get_person(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<Person>, AppError> {
    Ok(Json(
        state
            .store
            .get_person(id)
            .await
            .map_err(not_found_as_person)?,
    ))
}

#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = PersonInput,
    responses((status = 201, body = Person), (status = 422, body = ErrorBody)))]
pub async fn create_person(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<impl IntoResponse, AppError> {
    let person = state
        .store
        .create_person(&caller.actor(), input, today())
        .await?;
    people_changed(state.store.as_ref(), &caller.actor(), today()).await;
    Ok((StatusCode::CREATED, Json(person)))
}

#[utoipa::path(patch, path = "/api/v1/people/{id}", tag = "people", params(("id" = Uuid, Path)), request_body = PersonPatch,
    responses((status = 200, body = Person), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_person(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(patch): ApiJson<PersonPatch>,
) -> Result<Json<Person>, AppError> {
    let current = state
        .store
        .get_person(id)
        .await
        .map_err(not_found_as_person)?;
    let input = patch.apply(PersonInput::from_person(&current));
    let person = state
        .store
        .update_person(&caller.actor(), id, input, today())
        .await?;
    people_changed(state.store.as_ref(), &caller.actor(), today()).await;
    Ok(Json(person))
}

/// Marks a person as departed; their records stay, because evidence refers to them.
#[utoipa::path(post, path = "/api/v1/people/{id}/deactivate", tag = "people", params(("id" = Uuid, Path)), request_body = Option<Deactivation>,
    responses((status = 200, body = Person), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn deactivate_person(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    body: axum::body::Bytes,
) -> Result<Json<Person>, AppError> {
    let current = state
        .store
        .get_person(id)
        .await
        .map_err(not_found_as_person)?;
    let requested: Deactivation = if body.iter().all(u8::is_ascii_whitespace) {
        Deactivation::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            AppError::BadRequest(format!("the body is not a valid deactivation: {e}"))
        })?
    };
    let departed_on = requested
        .departed_on
        .or(current.departed_on)
        .unwrap_or_else(today);
    let input = PersonInput {
        status: PersonStatus::Departed,
        departed_on: Some(departed_on),
        ..PersonInput::from_person(&current)
    };
    Ok(Json(
        state
            .store
            .update_person(&caller.actor(), id, input, today())
            .await?,
    ))
}

fn not_found_as_person(error: crate::store::StoreError) -> AppError {
    match AppError::from(error) {
        AppError::NotFound(_) => AppError::NotFound("person"),
        other => other,
    }
}
