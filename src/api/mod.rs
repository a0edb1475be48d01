//! The JSON API under `/api/v1/`, and the operational endpoints, described by OpenAPI 3.1.

pub mod audit;
pub mod health;
pub mod organization;
pub mod params;
pub mod people;
pub mod people_csv;
pub mod units;

use std::sync::Arc;

use axum::extract::State;
use axum::{Json, Router, routing::get};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Charter API", version = "1", description = "The leadership layer of an ISMS (ISO/IEC 27001 clause 5). Errors are `{\"error\": {\"code\", \"message\", \"fields\"}}`."),
    tags(
        (name = "organization", description = "The organization profile"),
        (name = "units", description = "The org unit tree"),
        (name = "people", description = "People, never deleted, only departed"),
        (name = "audit", description = "The hash-chained audit trail"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
struct ApiDoc;

/// The API routes and the OpenAPI document generated from their handlers.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::metrics))
        .routes(routes!(
            organization::get_organization,
            organization::update_organization
        ))
        .routes(routes!(units::list_units, units::create_unit))
        .routes(routes!(units::get_unit, units::update_unit))
        .routes(routes!(people::list_people, people::create_person))
        .routes(routes!(people_csv::export_people_csv))
        .routes(routes!(people_csv::import_people_csv))
        .routes(routes!(people::get_person, people::update_person))
        .routes(routes!(people::deactivate_person))
        .routes(routes!(audit::list_audit_events))
        .routes(routes!(audit::verify_audit_chain))
        .split_for_parts();
    let document = Arc::new(openapi.clone());
    let router = router.route(
        "/api/v1/openapi.json",
        get(move |State(_): State<AppState>| {
            let document = Arc::clone(&document);
            async move { Json(document.as_ref().clone()) }
        }),
    );
    (router, openapi)
}
