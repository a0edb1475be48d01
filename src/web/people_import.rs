//! Importing people from a CSV file: the whole file is checked first, then all of it is written or none.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::error::PageResult;
use super::layout::{Area, Layout};
use crate::app::{AppState, today};
use crate::auth::principal::current_actor;
use crate::people_csv::{COLUMNS, ImportError, ImportReport, LineError, import_people as import};

#[derive(Template, WebTemplate)]
#[template(path = "people/import.html", whitespace = "minimize")]
pub struct ImportPage {
    layout: Layout,
    columns: String,
    report: Option<ImportReport>,
    problem: Option<String>,
    bad_lines: Vec<LineError>,
}

async fn page(state: &AppState) -> ImportPage {
    ImportPage {
        layout: Layout::load(state, Area::People, "Import people").await,
        columns: COLUMNS.join(","),
        report: None,
        problem: None,
        bad_lines: Vec::new(),
    }
}

pub async fn import_form(State(state): State<AppState>) -> ImportPage {
    page(&state).await
}

pub async fn import_people(
    State(state): State<AppState>,
    multipart: Multipart,
) -> PageResult<Response> {
    let mut page = page(&state).await;
    let bytes = match uploaded_file(multipart).await {
        Ok(bytes) => bytes,
        Err(problem) => {
            page.problem = Some(problem);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match import(state.store.as_ref(), &current_actor(), &bytes, today()).await {
        Ok(report) => {
            page.report = Some(report);
            Ok(page.into_response())
        }
        Err(ImportError::Invalid(lines)) => {
            page.problem = Some(format!(
                "{} line(s) of the file are not valid.",
                lines.len()
            ));
            page.bad_lines = lines;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ImportError::Unreadable(reason)) => {
            page.problem = Some(format!("The file cannot be read as CSV: {reason}."));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ImportError::Store(error)) => Err(error.into()),
    }
}

/// The bytes of the `file` field, or why there are none.
async fn uploaded_file(mut multipart: Multipart) -> Result<Vec<u8>, String> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        format!("The upload could not be read: {}.", e.body_text())
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(unreadable)?;
            if bytes.is_empty() {
                return Err("Choose a CSV file to import: the upload was empty.".to_owned());
            }
            return Ok(bytes.to_vec());
        }
    }
    Err("Choose a CSV file to import.".to_owned())
}
