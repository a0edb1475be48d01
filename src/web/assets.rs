//! The stylesheet and icon, compiled into the binary so a deployment is one file.

use axum::http::header;
use axum::response::IntoResponse;

const STYLESHEET: &str = include_str!("../../assets/charter.css");
const FAVICON: &str = include_str!("../../assets/favicon.svg");

/// The version in the link lets browsers cache the file for a year and still see a new release.
pub const STYLESHEET_HREF: &str = concat!("/assets/charter.css?v=", env!("CARGO_PKG_VERSION"));

const LONG_CACHE: &str = "public, max-age=31536000, immutable";

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, LONG_CACHE),
        ],
        STYLESHEET,
    )
}

pub async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, LONG_CACHE),
        ],
        FAVICON,
    )
}
