//! The draft editor: the Markdown in a large textarea, whether the change is major, a change
//! summary, and beside the text the content check of the information security policy. "Check"
//! posts the text to be checked and previewed without saving; the check warns, never blocks.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::parse_id;
use super::forms::Field;
use super::layout::{Area, Layout};
use super::policy_views::{CheckView, DocumentView, PolicyFlash, PolicyResult, sentence};
use crate::app::AppState;
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::policy::Policy;
use crate::domain::policy_version::{DraftInput, MAX_BODY_BYTES, PolicyVersion, VersionNumber};
use crate::error::AppError;
use crate::policy_actions::{self, is_top_level};
use crate::store::Store;

/// The editor as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditorPost {
    body: String,
    is_major: String,
    change_summary: String,
    /// `check` re-renders with the check and a preview; anything else saves.
    action: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "policies/editor.html", whitespace = "minimize")]
pub struct EditorPage {
    layout: Layout,
    flash: Option<&'static str>,
    policy: Policy,
    version: PolicyVersion,
    body: Field,
    change_summary: Field,
    is_major: bool,
    /// The numbers the draft takes as a minor or a major change.
    minor_number: String,
    major_number: String,
    top_level: bool,
    check: Option<CheckView>,
    preview: Option<DocumentView>,
    /// The text shown was checked but not saved.
    unsaved: bool,
    refusal: Option<String>,
    summary: Vec<(String, String)>,
}

/// What the editor shows: the saved text, or the text just posted.
struct Draft {
    body: String,
    is_major: bool,
    change_summary: String,
}

async fn editor_page(
    state: &AppState,
    version: PolicyVersion,
    draft: Draft,
    errors: &FieldErrors,
    unsaved: bool,
) -> PolicyResult<EditorPage> {
    let store = state.store.as_ref();
    let policy = store.get_policy(version.policy_id).await?;
    let latest = latest_other(store, &version).await?;
    let top_level = is_top_level(&policy);
    let check = if top_level && draft.body.len() <= MAX_BODY_BYTES {
        Some(CheckView::new(
            policy_actions::content_check(store, &draft.body).await?,
        ))
    } else {
        None
    };
    let body = Field::new("body", "Text (Markdown)", draft.body).with_errors(errors, "body");
    let change_summary = Field::new("change_summary", "What changed", draft.change_summary)
        .with_errors(errors, "change_summary");
    let summary = super::forms::error_summary(&[&body, &change_summary]);
    Ok(EditorPage {
        layout: Layout::load(
            state,
            Area::Policies,
            format!("Edit {}, version {}", policy.title, version.number),
        )
        .await,
        flash: None,
        preview: unsaved.then(|| DocumentView::new(&body.value)),
        body,
        change_summary,
        is_major: draft.is_major,
        minor_number: VersionNumber::after(latest, false).to_string(),
        major_number: VersionNumber::after(latest, true).to_string(),
        top_level,
        check,
        unsaved,
        refusal: None,
        summary,
        policy,
        version,
    })
}

/// The highest number among the policy's other versions: the draft's number follows it.
async fn latest_other(
    store: &dyn Store,
    version: &PolicyVersion,
) -> Result<Option<VersionNumber>, crate::store::StoreError> {
    Ok(store
        .list_versions(version.policy_id)
        .await?
        .iter()
        .filter(|v| v.id != version.id)
        .map(|v| v.number)
        .max())
}

pub async fn edit_draft(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(flash): Query<PolicyFlash>,
) -> PolicyResult<EditorPage> {
    let version = state
        .store
        .get_version(parse_id(&raw, "policy version")?)
        .await?;
    if !version.status.is_editable() {
        return Err(AppError::Conflict(format!(
            "Version {} is {}: only a draft can be edited. Start a new version from the policy's page.",
            version.number,
            version.status.label().to_lowercase()
        ))
        .into());
    }
    let draft = Draft {
        body: version.body.clone(),
        is_major: version.is_major,
        change_summary: version.change_summary.clone(),
    };
    let mut page = editor_page(&state, version, draft, &FieldErrors::new(), false).await?;
    page.flash = flash.message();
    Ok(page)
}

/// Saves the draft, or (`action=check`) shows the check and a preview of the text as typed.
pub async fn save_draft(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<EditorPost>,
) -> PolicyResult<Response> {
    let store = state.store.as_ref();
    let version = store.get_version(parse_id(&raw, "policy version")?).await?;
    let draft = Draft {
        body: form.body.clone(),
        is_major: form.is_major == "yes",
        change_summary: form.change_summary.clone(),
    };
    if form.action == "check" {
        let page = editor_page(&state, version, draft, &FieldErrors::new(), true).await?;
        return Ok(page.into_response());
    }
    let input = DraftInput {
        body: form.body,
        is_major: draft.is_major,
        change_summary: form.change_summary,
    };
    let result = match input.validate() {
        Ok(input) => store
            .update_draft(&caller.account, version.id, input)
            .await
            .map_err(AppError::from),
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    let error = match result {
        Ok(saved) => {
            let href = format!("/policies/versions/{}?flash=saved", saved.id);
            return Ok(Redirect::to(&href).into_response());
        }
        Err(error) => error,
    };
    let status = error.status();
    let (errors, refusal) = match error {
        AppError::Invalid(errors) => (errors, None),
        AppError::Conflict(message) | AppError::Forbidden(message) => {
            (FieldErrors::new(), Some(sentence(&message)))
        }
        other => return Err(other.into()),
    };
    // The text typed is kept, so nothing written is lost to a refusal.
    let mut page = editor_page(&state, version, draft, &errors, true).await?;
    page.refusal = refusal;
    let status = if status.is_client_error() {
        status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}
