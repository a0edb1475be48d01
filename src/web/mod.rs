//! Server-rendered pages: browse and edit the organization, people, units and the audit trail.
//!
//! Every page works without JavaScript and carries no inline script or style, so a strict
//! Content-Security-Policy can be set. Handlers extract, call the store, and render a template;
//! a store failure becomes a readable error page through `error::PageError`.

mod assets;
mod audit;
mod dashboard;
mod error;
mod evidence;
mod forms;
mod layout;
mod moment;
mod organization;
mod people;
mod people_edit;
mod people_form;
mod people_import;
mod units;
mod units_form;
mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use crate::app::AppState;

/// A CSV of 100,000 people is about 10 MB; the default 2 MB body limit would refuse it.
const IMPORT_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::show_dashboard))
        .route("/assets/charter.css", get(assets::stylesheet))
        .route("/assets/favicon.svg", get(assets::favicon))
        .route(
            "/people",
            get(people::list_people).post(people_edit::create_person),
        )
        .route("/people/new", get(people_edit::new_person))
        .route(
            "/people/import",
            get(people_import::import_form)
                .post(people_import::import_people)
                .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route(
            "/people/{id}",
            get(people::show_person).post(people_edit::update_person),
        )
        .route("/people/{id}/edit", get(people_edit::edit_person))
        .route("/people/{id}/deactivate", post(people::deactivate_person))
        .route(
            "/units",
            get(units::list_units).post(units_form::create_unit),
        )
        .route("/units/new", get(units_form::new_unit))
        .route(
            "/units/{id}",
            get(units::show_unit).post(units_form::update_unit),
        )
        .route("/units/{id}/edit", get(units_form::edit_unit))
        .route(
            "/organization",
            get(organization::show_organization).post(organization::update_organization),
        )
        .route("/organization/edit", get(organization::edit_organization))
        .route("/audit", get(audit::list_events))
        .route("/audit/verify", get(audit::verify_chain))
}

/// The friendly 404 page, in the layout.
pub fn not_found_page() -> Response {
    error::render_error(
        StatusCode::NOT_FOUND,
        "Page not found".to_owned(),
        "There is no page at this address. It may have moved, or the link may be mistyped."
            .to_owned(),
        Vec::new(),
    )
}
