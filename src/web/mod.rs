//! Server-rendered pages: browse and edit the organization, people, units and the audit trail.

use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::app::AppState;

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new()
}

/// The friendly 404 page.
pub fn not_found_page() -> Response {
    (StatusCode::NOT_FOUND, Html("<h1>Not found</h1>")).into_response()
}
