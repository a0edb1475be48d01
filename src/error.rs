//! The web boundary's error: one enum, a stable snake_case code, JSON `{"error": {...}}` for the API.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::FieldErrors;
use crate::store::StoreError;

/// Everything a handler can answer instead of success.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("some fields are not valid")]
    Invalid(FieldErrors),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the database is not reachable")]
    Unavailable,
    #[error("internal error")]
    Internal(String),
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `not_found`, `validation_failed`, `bad_request`, ...
    pub code: &'static str,
    /// For people.
    pub message: String,
    /// Per-field messages, with `validation_failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub fields: Option<FieldErrors>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::Invalid(_) => "validation_failed",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unsupported(_) => "unsupported_media_type",
            AppError::Unauthenticated(_) => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Conflict(_) => "conflict",
            AppError::Unavailable => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn body(&self) -> ErrorBody {
        let fields = match self {
            AppError::Invalid(fields) => Some(fields.clone()),
            _ => None,
        };
        ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                fields,
            },
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Invalid(fields) => AppError::Invalid(fields),
            StoreError::Conflict(message) => AppError::Conflict(message),
            StoreError::Forbidden(message) => AppError::Forbidden(message),
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            ) => AppError::Unavailable,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        (self.status(), Json(self.body())).into_response()
    }
}
