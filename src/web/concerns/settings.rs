//! The channel's settings page: open or closed, the receipt and response targets, the limits
//! per minute (new reports and replies each their own). Concern handlers change them (they run
//! the channel); each change is audited.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::concern::{
    ConcernSettings, ConcernSettingsInput, REPLIES_PER_SOURCE, REPORTS_PER_SOURCE,
};
use crate::store::StoreError;
use crate::web::error::{PageError, PageResult};
use crate::web::evidence::{Evidence, evidence_trail};
use crate::web::forms::{Field, error_summary};
use crate::web::layout::{Area, Layout};

#[derive(Template, WebTemplate)]
#[template(path = "concerns/settings.html", whitespace = "minimize")]
pub struct SettingsPage {
    layout: Layout,
    channel_enabled: bool,
    receipt_days: Field,
    response_days: Field,
    reports_per_minute: Field,
    replies_per_minute: Field,
    summary: Vec<(String, String)>,
    flash: Option<&'static str>,
    evidence: Evidence,
    /// The fixed limits per network source: (reports, replies) a minute.
    per_source: (u32, u32),
}

/// The form as posted (numbers as typed, so a wrong one comes back as it was).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    channel_enabled: String,
    receipt_days: String,
    response_days: String,
    reports_per_minute: String,
    replies_per_minute: String,
}

impl SettingsForm {
    fn from_settings(settings: &ConcernSettings) -> Self {
        Self {
            channel_enabled: if settings.channel_enabled { "yes" } else { "" }.to_owned(),
            receipt_days: settings.receipt_days.to_string(),
            response_days: settings.response_days.to_string(),
            reports_per_minute: settings.reports_per_minute.to_string(),
            replies_per_minute: settings.replies_per_minute.to_string(),
        }
    }

    fn to_input(&self) -> Result<ConcernSettingsInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut number = |field: &str, raw: &str| {
            raw.trim().parse::<i64>().unwrap_or_else(|_| {
                errors.add(field, "must be a whole number");
                0
            })
        };
        let input = ConcernSettingsInput {
            channel_enabled: self.channel_enabled == "yes",
            receipt_days: number("receipt_days", &self.receipt_days),
            response_days: number("response_days", &self.response_days),
            reports_per_minute: number("reports_per_minute", &self.reports_per_minute),
            replies_per_minute: number("replies_per_minute", &self.replies_per_minute),
        };
        match input.validate() {
            Ok(input) if errors.is_empty() => Ok(input),
            Ok(_) => Err(errors),
            Err(more) => {
                crate::web::forms::add_missing(&mut errors, &more);
                Err(errors)
            }
        }
    }
}

async fn settings_page(
    state: &AppState,
    form: &SettingsForm,
    errors: &FieldErrors,
    flash: Option<&'static str>,
) -> PageResult<SettingsPage> {
    let field = |id: &'static str, label: &'static str, value: &str| {
        Field::new(id, label, value).with_errors(errors, id)
    };
    let receipt_days = field("receipt_days", "Receipt target (days)", &form.receipt_days);
    let response_days = field(
        "response_days",
        "Response target (days)",
        &form.response_days,
    );
    let reports_per_minute = field(
        "reports_per_minute",
        "New reports per minute",
        &form.reports_per_minute,
    );
    let replies_per_minute = field(
        "replies_per_minute",
        "Replies per minute",
        &form.replies_per_minute,
    );
    Ok(SettingsPage {
        layout: Layout::load(state, Area::Concerns, "Concern channel settings").await,
        channel_enabled: form.channel_enabled == "yes",
        summary: error_summary(&[
            &receipt_days,
            &response_days,
            &reports_per_minute,
            &replies_per_minute,
        ]),
        receipt_days,
        response_days,
        reports_per_minute,
        replies_per_minute,
        flash,
        evidence: evidence_trail(state.store.as_ref(), "concern_settings", "1").await?,
        per_source: (REPORTS_PER_SOURCE, REPLIES_PER_SOURCE),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsQuery {
    flash: String,
}

pub async fn settings_form(
    State(state): State<AppState>,
    Query(query): Query<SettingsQuery>,
) -> PageResult<SettingsPage> {
    let settings = state.store.concern_settings().await?;
    let flash = (query.flash == "saved").then_some("The settings are saved.");
    settings_page(
        &state,
        &SettingsForm::from_settings(&settings),
        &FieldErrors::new(),
        flash,
    )
    .await
}

pub async fn save_settings(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<SettingsForm>,
) -> Result<Response, PageError> {
    let result = match form.to_input() {
        Ok(input) => {
            state
                .store
                .update_concern_settings(&caller.account, input)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/concerns/settings?flash=saved").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let page = settings_page(&state, &form, &errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
