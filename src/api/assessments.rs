//! Assessments over JSON: run one now (stored as an immutable snapshot), the history, the latest,
//! one with its hash checked, what changed between two, the catalog with its latest verdicts, one
//! requirement's trend, the live liveness signs, the thresholds (changes audited) and the "not
//! applicable" justifications decided by top management with their password again.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::params::{ApiJson, ApiQuery, RecordId, empty_as_none};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::domain::assessment::{
    Assessment, AssessmentDiff, AssessmentSummary, JustificationDecision, JustificationInput,
    JustificationRecord, RequirementStatus, RequirementTrend, Trigger, catalog_status, diff,
    requirement,
};
use crate::domain::conformance::{Liveness, Thresholds};
use crate::domain::{Page, PageRequest};
use crate::error::{AppError, ErrorBody};
use crate::store::Store;

/// The routes of this module, each behind its permission.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    use Permission::{DecideJustifications, ManageConformance, ReadConformance, RunAssessments};
    OpenApiRouter::new()
        .routes(super::with(ReadConformance, routes!(list_assessments)))
        .routes(super::with(RunAssessments, routes!(run_assessment)))
        .routes(super::with(ReadConformance, routes!(latest_assessment)))
        .routes(super::with(ReadConformance, routes!(get_assessment)))
        .routes(super::with(ReadConformance, routes!(diff_assessments)))
        .routes(super::with(ReadConformance, routes!(list_requirements)))
        .routes(super::with(ReadConformance, routes!(requirement_trend)))
        .routes(super::with(ReadConformance, routes!(get_liveness)))
        .routes(super::with(ReadConformance, routes!(get_thresholds)))
        .routes(super::with(ManageConformance, routes!(set_thresholds)))
        .routes(super::with(ReadConformance, routes!(list_justifications)))
        .routes(super::with(
            ManageConformance,
            routes!(request_justification),
        ))
        .routes(super::with(
            DecideJustifications,
            routes!(decide_justification),
        ))
        .routes(super::with(
            ManageConformance,
            routes!(withdraw_justification),
        ))
}

/// A page of the history.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page (1 to 500, default 50).
    pub per_page: Option<u32>,
}

/// The assessment to compare with.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The earlier assessment (default: the one stored just before).
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    pub against: Option<Uuid>,
}

/// How many assessments a trend covers.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendQuery {
    /// The latest this many assessments (1 to 500, default 50).
    pub limit: Option<i64>,
}

/// The number of assessments a trend covers unless asked otherwise.
pub const DEFAULT_TREND_POINTS: i64 = 50;

/// A decision on a justification, confirmed with the decider's password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct JustificationDecisionRequest {
    #[serde(flatten)]
    pub decision: JustificationDecision,
    #[serde(default)]
    pub password: String,
}

/// Evaluates every requirement now and stores the result as an assessment run by `caller`.
pub(crate) async fn run_now(store: &dyn Store, caller: &Principal) -> Result<Assessment, AppError> {
    let evaluation = crate::conformance::evaluate_now(store, OffsetDateTime::now_utc()).await?;
    Ok(store
        .run_assessment(Some(&caller.account), Trigger::Manual, evaluation)
        .await?)
}

/// What changed from `against` (default: the assessment stored before `to`) to `to`.
pub(crate) async fn compare(
    store: &dyn Store,
    to: Uuid,
    against: Option<Uuid>,
) -> Result<AssessmentDiff, AppError> {
    let newer = store.get_assessment(to).await?;
    let older_id = match against {
        Some(id) => id,
        None => {
            store
                .previous_assessment(to)
                .await?
                .ok_or(AppError::NotFound("earlier assessment"))?
                .id
        }
    };
    let older = store.get_assessment(older_id).await?;
    let (before, after) = (older.evaluation.thresholds, newer.evaluation.thresholds);
    let thresholds_changed = before != after;
    Ok(AssessmentDiff {
        changes: diff(&older.evaluation, &newer.evaluation),
        from: older.summary(),
        to: newer.summary(),
        thresholds_before: thresholds_changed.then_some(before),
        thresholds_after: thresholds_changed.then_some(after),
    })
}

/// The liveness signs of the live records now (nothing is stored).
pub(crate) async fn live_liveness(store: &dyn Store) -> Result<Liveness, AppError> {
    let thresholds = store.conformance_thresholds().await?;
    let now = OffsetDateTime::now_utc();
    Ok(store.liveness(now, thresholds.period_days).await?)
}

/// A decision after the password check, as the API and the page both make it.
pub(crate) async fn decide(
    store: &dyn Store,
    principal: &Principal,
    id: Uuid,
    decision: JustificationDecision,
    password: &str,
) -> Result<JustificationRecord, AppError> {
    let decision = decision.validate().map_err(AppError::Invalid)?;
    crate::policy_actions::confirm(store, principal, password).await?;
    Ok(store
        .decide_justification(&principal.account, id, decision, today())
        .await?)
}

/// The history of assessments, newest first, with their counts per verdict (no snapshots).
#[utoipa::path(get, path = "/api/v1/assessments", tag = "conformance", params(HistoryQuery),
    responses((status = 200, body = Page<AssessmentSummary>), (status = 400, body = ErrorBody)))]
pub async fn list_assessments(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> Result<Json<Page<AssessmentSummary>>, AppError> {
    let page = PageRequest::new(query.page, query.per_page);
    Ok(Json(state.store.list_assessments(page).await?))
}

/// Evaluates every requirement of the catalog from the live records now and stores the result as
/// an immutable assessment (trigger `manual`), with the SHA-256 of its JSON and an audit event.
#[utoipa::path(post, path = "/api/v1/assessments", tag = "conformance",
    responses((status = 201, body = Assessment, headers(("Location" = String)))))]
pub async fn run_assessment(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<impl IntoResponse, AppError> {
    let assessment = run_now(state.store.as_ref(), &caller).await?;
    let location = format!("/api/v1/assessments/{}", assessment.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(assessment),
    ))
}

/// The newest assessment (404 before the first one).
#[utoipa::path(get, path = "/api/v1/assessments/latest", tag = "conformance",
    responses((status = 200, body = Assessment), (status = 404, body = ErrorBody)))]
pub async fn latest_assessment(
    State(state): State<AppState>,
) -> Result<Json<Assessment>, AppError> {
    let latest = state.store.latest_assessment().await?;
    Ok(Json(latest.ok_or(AppError::NotFound("assessment"))?))
}

/// One assessment with its snapshot; `intact` says whether the stored JSON still has its SHA-256.
#[utoipa::path(get, path = "/api/v1/assessments/{id}", tag = "conformance", params(("id" = Uuid, Path)),
    responses((status = 200, body = Assessment), (status = 404, body = ErrorBody)))]
pub async fn get_assessment(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> Result<Json<Assessment>, AppError> {
    Ok(Json(state.store.get_assessment(id).await?))
}

/// What changed from `against` (default: the assessment stored just before) to this one: every
/// requirement whose verdict, finding or figures differ, and the thresholds when they changed.
#[utoipa::path(get, path = "/api/v1/assessments/{id}/diff", tag = "conformance",
    params(("id" = Uuid, Path), DiffQuery),
    responses((status = 200, body = AssessmentDiff), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn diff_assessments(
    State(state): State<AppState>,
    RecordId(id): RecordId,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> Result<Json<AssessmentDiff>, AppError> {
    Ok(Json(
        compare(state.store.as_ref(), id, query.against).await?,
    ))
}

/// The requirement catalog, in order, with each requirement's verdict and finding in the latest
/// assessment (none before the first).
#[utoipa::path(get, path = "/api/v1/requirements", tag = "conformance",
    responses((status = 200, body = Vec<RequirementStatus>)))]
pub async fn list_requirements(
    State(state): State<AppState>,
) -> Result<Json<Vec<RequirementStatus>>, AppError> {
    let latest = state.store.latest_assessment().await?;
    Ok(Json(catalog_status(latest.as_ref())))
}

/// One requirement's verdict in each of the latest assessments, oldest first.
#[utoipa::path(get, path = "/api/v1/requirements/{id}/trend", tag = "conformance",
    params(("id" = String, Path, description = "A requirement id, e.g. 5.1.a"), TrendQuery),
    responses((status = 200, body = RequirementTrend), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn requirement_trend(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<TrendQuery>,
) -> Result<Json<RequirementTrend>, AppError> {
    Ok(Json(trend(state.store.as_ref(), &id, query.limit).await?))
}

/// A catalog requirement's trend (404 for an id outside the catalog).
pub(crate) async fn trend(
    store: &dyn Store,
    id: &str,
    limit: Option<i64>,
) -> Result<RequirementTrend, AppError> {
    let requirement = requirement(id).ok_or(AppError::NotFound("requirement"))?;
    let limit = limit.unwrap_or(DEFAULT_TREND_POINTS);
    Ok(RequirementTrend {
        requirement_id: requirement.id.to_owned(),
        shows: requirement.shows.to_owned(),
        points: store.requirement_trend(requirement.id, limit).await?,
    })
}

/// The liveness signs read from the live records now ("alive or merely documented"); nothing
/// is stored.
#[utoipa::path(get, path = "/api/v1/liveness", tag = "conformance",
    responses((status = 200, body = Liveness)))]
pub async fn get_liveness(State(state): State<AppState>) -> Result<Json<Liveness>, AppError> {
    Ok(Json(live_liveness(state.store.as_ref()).await?))
}

/// The organization's thresholds (the catalog's defaults until one is changed).
#[utoipa::path(get, path = "/api/v1/conformance/thresholds", tag = "conformance",
    responses((status = 200, body = Thresholds)))]
pub async fn get_thresholds(State(state): State<AppState>) -> Result<Json<Thresholds>, AppError> {
    Ok(Json(state.store.conformance_thresholds().await?))
}

/// Sets the thresholds (days from 1 to 3650, percents from 0 to 100). A change is audited with
/// the values before and after; the next assessment judges by them.
#[utoipa::path(put, path = "/api/v1/conformance/thresholds", tag = "conformance",
    request_body = Thresholds,
    responses((status = 200, body = Thresholds), (status = 422, body = ErrorBody)))]
pub async fn set_thresholds(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(thresholds): ApiJson<Thresholds>,
) -> Result<Json<Thresholds>, AppError> {
    Ok(Json(
        state
            .store
            .set_thresholds(&caller.account, thresholds)
            .await?,
    ))
}

/// Every justification, awaiting a decision first, with its state today.
#[utoipa::path(get, path = "/api/v1/conformance/justifications", tag = "conformance",
    responses((status = 200, body = Vec<JustificationRecord>)))]
pub async fn list_justifications(
    State(state): State<AppState>,
) -> Result<Json<Vec<JustificationRecord>>, AppError> {
    Ok(Json(state.store.list_justifications(today()).await?))
}

/// Asks top management to judge a requirement not applicable, saying why (409 while another
/// request for it awaits a decision).
#[utoipa::path(post, path = "/api/v1/conformance/justifications", tag = "conformance",
    request_body = JustificationInput,
    responses((status = 201, body = JustificationRecord), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn request_justification(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<JustificationInput>,
) -> Result<impl IntoResponse, AppError> {
    let input = input.validate(today()).map_err(AppError::Invalid)?;
    let record = state
        .store
        .request_justification(&caller.account, input, today())
        .await?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// Approves or rejects a requested justification with a comment, confirmed with the decider's
/// password (422 when wrong). The decider holds top management today and did not ask for it
/// (403); one already decided or withdrawn is a 409.
#[utoipa::path(post, path = "/api/v1/conformance/justifications/{id}/decision", tag = "conformance",
    params(("id" = Uuid, Path)), request_body = JustificationDecisionRequest,
    responses((status = 200, body = JustificationRecord), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn decide_justification(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    ApiJson(request): ApiJson<JustificationDecisionRequest>,
) -> Result<Json<JustificationRecord>, AppError> {
    let store = state.store.as_ref();
    let decided = decide(store, &caller, id, request.decision, &request.password).await?;
    Ok(Json(decided))
}

/// Withdraws a request, or ends an approved justification (the requirement is judged again).
#[utoipa::path(post, path = "/api/v1/conformance/justifications/{id}/withdraw", tag = "conformance",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = JustificationRecord), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn withdraw_justification(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
) -> Result<Json<JustificationRecord>, AppError> {
    let record = state
        .store
        .withdraw_justification(&caller.account, id, today())
        .await?;
    Ok(Json(record))
}
