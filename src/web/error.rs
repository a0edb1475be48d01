//! Why a page could not be shown, answered as a readable page in the layout (403, 404, 409, 422,
//! 500).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::layout::{Area, Layout};
use crate::domain::FieldErrors;
use crate::store::StoreError;

/// Everything a page handler can answer instead of its page.
#[derive(Debug)]
pub enum PageError {
    NotFound(&'static str),
    Invalid(FieldErrors),
    /// The record is not in a state that allows the step (409), with the store's reason.
    Conflict(String),
    /// The rule refuses this person the step (403), with the store's reason.
    Refused(String),
    Store(StoreError),
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => PageError::NotFound(what),
            StoreError::Invalid(fields) => PageError::Invalid(fields),
            StoreError::Conflict(reason) => PageError::Conflict(reason),
            StoreError::Forbidden(reason) => PageError::Refused(reason),
            other => PageError::Store(other),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html", whitespace = "minimize")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
    details: Vec<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, message, details) = match self {
            PageError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                "Page not found".to_owned(),
                format!("This {what} does not exist, or the address is mistyped."),
                Vec::new(),
            ),
            PageError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "This change was not made".to_owned(),
                "Some values were not accepted; nothing was changed. Go back and correct them:"
                    .to_owned(),
                fields
                    .iter()
                    .map(|(field, messages)| {
                        format!("{}: {}", field.replace('_', " "), messages.join(", "))
                    })
                    .collect(),
            ),
            PageError::Conflict(reason) => (
                StatusCode::CONFLICT,
                "This step is not possible now".to_owned(),
                format!("{reason}. Nothing was changed."),
                Vec::new(),
            ),
            PageError::Refused(reason) => (
                StatusCode::FORBIDDEN,
                "Not allowed".to_owned(),
                format!("{reason}. Nothing was changed."),
                Vec::new(),
            ),
            PageError::Store(error) => {
                tracing::error!(error = %error, "a page could not read or write the database");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong".to_owned(),
                    "Charter could not reach its database. Nothing was changed; try again in a moment.".to_owned(),
                    Vec::new(),
                )
            }
        };
        render_error(status, heading, message, details)
    }
}

/// The error page; it needs no state, so the header says "Charter".
pub fn render_error(
    status: StatusCode,
    heading: String,
    message: String,
    details: Vec<String>,
) -> Response {
    let page = ErrorPage {
        layout: Layout::new("Charter", Area::Elsewhere, heading.clone()),
        heading,
        message,
        details,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, "Charter could not render this page").into_response(),
    }
}

pub type PageResult<T> = Result<T, PageError>;

/// A record id from the path; anything that is not a UUID names no record.
pub fn parse_id(raw: &str, what: &'static str) -> PageResult<uuid::Uuid> {
    uuid::Uuid::parse_str(raw).map_err(|_| PageError::NotFound(what))
}
