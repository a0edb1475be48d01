//! Objectives over JSON (5.1.a, 5.1.e): ISMS managers set them; their owners append measurements,
//! a correction naming the entry it corrects; the status is computed when read.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, double_option, empty_as_none};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::domain::isms_status::ObjectiveStatus;
use crate::domain::objective::{
    Direction, Measurement, MeasurementInput, Objective, ObjectiveFilter, ObjectiveInput,
};
use crate::domain::person::iso_date;
use crate::error::{AppError, ErrorBody};

/// The routes of this module, each behind its permission. Reading one objective is open to
/// every signed-in caller so its owner finds it; the handler refuses others without
/// `ReadLeadership`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    use Permission::{ManageLeadership, ReadLeadership, RecordMeasurements, SignedIn};
    OpenApiRouter::new()
        .routes(super::with(ReadLeadership, routes!(list_objectives)))
        .routes(super::with(ManageLeadership, routes!(create_objective)))
        .routes(super::with(SignedIn, routes!(get_objective)))
        .routes(super::with(ManageLeadership, routes!(update_objective)))
        .routes(super::with(ManageLeadership, routes!(retire_objective)))
        .routes(super::with(SignedIn, routes!(list_measurements)))
        .routes(super::with(RecordMeasurements, routes!(record_measurement)))
}

/// Which objectives to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObjectivesQuery {
    /// The strategic theme, exactly (ignoring case).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub theme: Option<String>,
    /// `on_track`, `at_risk`, `missed` or `not_measured`, on today's date.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>)]
    pub status: Option<ObjectiveStatus>,
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub owner_id: Option<Uuid>,
    /// Retired objectives too.
    #[serde(default)]
    pub include_retired: bool,
}

/// Objectives with their status today, by theme; only active ones unless asked.
#[utoipa::path(get, path = "/api/v1/objectives", tag = "leadership", params(ObjectivesQuery),
    responses((status = 200, body = Vec<Objective>), (status = 400, body = ErrorBody)))]
pub async fn list_objectives(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ObjectivesQuery>,
) -> Result<Json<Vec<Objective>>, AppError> {
    let filter = ObjectiveFilter {
        theme: query.theme,
        status: query.status,
        owner_id: query.owner_id,
        include_retired: query.include_retired,
    };
    Ok(Json(state.store.list_objectives(&filter, today()).await?))
}

/// Sets an objective: a metric with a target and direction, an owner, a due date, how often it
/// is measured, and the strategic theme it serves (required). 422 for an unknown or departed
/// owner or an unknown policy.
#[utoipa::path(post, path = "/api/v1/objectives", tag = "leadership", request_body = ObjectiveInput,
    responses((status = 201, body = Objective, headers(("Location" = String))), (status = 422, body = ErrorBody)))]
pub async fn create_objective(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<ObjectiveInput>,
) -> Result<impl IntoResponse, AppError> {
    let objective = state
        .store
        .create_objective(&caller.actor(), input, today())
        .await?;
    let location = format!("/api/v1/objectives/{}", objective.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(objective),
    ))
}

/// One objective with its status today; readable by those who read leadership records and by
/// its owner.
#[utoipa::path(get, path = "/api/v1/objectives/{id}", tag = "leadership", params(("id" = Uuid, Path)),
    responses((status = 200, body = Objective), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_objective(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Objective>, AppError> {
    let objective = state.store.get_objective(id, today()).await?;
    may_read(&caller, &objective)?;
    Ok(Json(objective))
}

/// The fields to change; those left out keep their value, `policy_id: null` unlinks the policy.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ObjectivePatch {
    pub statement: Option<String>,
    pub metric: Option<String>,
    pub unit: Option<String>,
    pub target: Option<f64>,
    pub direction: Option<Direction>,
    pub owner_id: Option<Uuid>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<Date>,
    pub measurement_interval_days: Option<i64>,
    pub theme: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub policy_id: Option<Option<Uuid>>,
}

impl ObjectivePatch {
    fn apply(self, input: &mut ObjectiveInput) {
        let ObjectivePatch {
            statement,
            metric,
            unit,
            target,
            direction,
            owner_id,
            due_on,
            measurement_interval_days,
            theme,
            policy_id,
        } = self;
        input.statement = statement.unwrap_or(std::mem::take(&mut input.statement));
        input.metric = metric.unwrap_or(std::mem::take(&mut input.metric));
        input.unit = unit.unwrap_or(std::mem::take(&mut input.unit));
        input.theme = theme.unwrap_or(std::mem::take(&mut input.theme));
        input.target = target.unwrap_or(input.target);
        input.direction = direction.unwrap_or(input.direction);
        input.owner_id = owner_id.unwrap_or(input.owner_id);
        input.due_on = due_on.unwrap_or(input.due_on);
        input.measurement_interval_days =
            measurement_interval_days.unwrap_or(input.measurement_interval_days);
        input.policy_id = policy_id.unwrap_or(input.policy_id);
    }
}

/// Edits an objective (its measurements stay as recorded); 409 once retired.
#[utoipa::path(patch, path = "/api/v1/objectives/{id}", tag = "leadership", params(("id" = Uuid, Path)), request_body = ObjectivePatch,
    responses((status = 200, body = Objective), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_objective(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(patch): ApiJson<ObjectivePatch>,
) -> Result<Json<Objective>, AppError> {
    let today = today();
    let mut input = ObjectiveInput::from_objective(&state.store.get_objective(id, today).await?);
    patch.apply(&mut input);
    Ok(Json(
        state
            .store
            .update_objective(&caller.actor(), id, input, today)
            .await?,
    ))
}

/// Retires an objective: its measurements stay as evidence, it leaves the lists of active
/// objectives and takes no more measurements. 409 when already retired.
#[utoipa::path(post, path = "/api/v1/objectives/{id}/retire", tag = "leadership", params(("id" = Uuid, Path)),
    responses((status = 200, body = Objective), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retire_objective(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Objective>, AppError> {
    Ok(Json(
        state
            .store
            .retire_objective(&caller.actor(), id, today())
            .await?,
    ))
}

/// Every measurement, oldest first, corrections included: each names what it corrects
/// (`corrects_id`) and each corrected one names its correction (`corrected_by`).
#[utoipa::path(get, path = "/api/v1/objectives/{id}/measurements", tag = "leadership", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Measurement>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_measurements(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<Vec<Measurement>>, AppError> {
    let objective = state.store.get_objective(id, today()).await?;
    may_read(&caller, &objective)?;
    Ok(Json(state.store.list_measurements(id).await?))
}

/// Appends a measurement; nothing recorded is changed or removed. To correct a value, send a
/// new one with `corrects_id` naming it (422 if it is not of this objective, 409 if it was
/// already corrected). Only the objective's owner and ISMS managers record (403).
#[utoipa::path(post, path = "/api/v1/objectives/{id}/measurements", tag = "leadership", params(("id" = Uuid, Path)), request_body = MeasurementInput,
    responses((status = 201, body = Measurement), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_measurement(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(input): ApiJson<MeasurementInput>,
) -> Result<impl IntoResponse, AppError> {
    let measurement = state
        .store
        .record_measurement(&caller.account, id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(measurement)))
}

fn may_read(caller: &Principal, objective: &Objective) -> Result<(), AppError> {
    if caller.may(Permission::ReadLeadership) || objective.owner_id == caller.account.person_id {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "You may read only the objectives you own.".into(),
        ))
    }
}
