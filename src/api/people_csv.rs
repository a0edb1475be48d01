//! People as CSV over HTTP: export, and an all-or-nothing import.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::error::{AppError, ErrorBody};
use crate::people_csv::{ImportError, ImportReport, export_people, import_people};

#[utoipa::path(get, path = "/api/v1/people/export", tag = "people",
    responses((status = 200, description = "Every person as CSV", content_type = "text/csv", body = String)))]
pub async fn export_people_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let csv = export_people(state.store.as_ref()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"people.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

/// Imports a CSV body; on any bad line nothing is imported and every bad line is reported.
#[utoipa::path(post, path = "/api/v1/people/import", tag = "people", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 422, body = ErrorBody), (status = 400, body = ErrorBody)))]
pub async fn import_people_csv(
    State(state): State<AppState>,
    Caller(caller): Caller,
    body: Bytes,
) -> Result<Json<ImportReport>, AppError> {
    import_people(state.store.as_ref(), &caller.actor(), &body, today())
        .await
        .map(Json)
        .map_err(import_error)
}

/// Line errors become fields named `line N`, so clients see every bad line at once.
pub fn import_error(error: ImportError) -> AppError {
    match error {
        ImportError::Invalid(lines) => {
            let mut fields = FieldErrors::new();
            for line in lines {
                for reason in line.reasons {
                    fields.add(&format!("line {}", line.line), reason);
                }
            }
            AppError::Invalid(fields)
        }
        ImportError::Unreadable(message) => AppError::BadRequest(message),
        ImportError::Store(e) => e.into(),
    }
}
