//! The report form and the page that shows the follow-up code once. Nothing here reads the
//! caller; every answer is `Cache-Control: no-store`.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::OffsetDateTime;

use super::private;
use super::views::category_options;
use crate::app::AppState;
use crate::domain::FieldErrors;
use crate::domain::concern::{ConcernCategory, ConcernInput, ConcernReceipt, ConcernSettings};
use crate::store::StoreError;
use crate::store::concerns::ConcernError;
use crate::web::error::PageError;
use crate::web::forms::{Field, SelectOption, error_summary};
use crate::web::layout::{Area, Layout};
use crate::web::moment::{Moment, moment};

#[derive(Template, WebTemplate)]
#[template(path = "concerns/report.html", whitespace = "minimize")]
pub struct ReportPage {
    layout: Layout,
    settings: ConcernSettings,
    category: Field,
    categories: Vec<SelectOption>,
    hints: Vec<(String, &'static str)>,
    description: Field,
    contact: Field,
    summary: Vec<(String, String)>,
    refusal: Option<String>,
}

/// The form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    category: String,
    description: String,
    contact: String,
}

async fn report_page(
    state: &AppState,
    form: &ReportForm,
    errors: &FieldErrors,
    refusal: Option<String>,
) -> Result<ReportPage, PageError> {
    let settings = state.store.concern_settings().await?;
    let category = Field::new("category", "What is it about?", form.category.as_str())
        .with_errors(errors, "category");
    let description = Field::new("description", "What happened", form.description.as_str())
        .with_errors(errors, "description");
    let contact = Field::new(
        "contact",
        "How to reach you (optional)",
        form.contact.as_str(),
    )
    .with_errors(errors, "contact");
    let summary = error_summary(&[&category, &description, &contact]);
    Ok(ReportPage {
        layout: Layout::load(state, Area::Elsewhere, "Report a concern").await,
        settings,
        categories: category_options(&form.category),
        hints: ConcernCategory::ALL
            .iter()
            .map(|c| (c.label().to_owned(), c.hint()))
            .collect(),
        category,
        description,
        contact,
        summary,
        refusal,
    })
}

pub async fn report_form(State(state): State<AppState>) -> Result<Response, PageError> {
    let page = report_page(&state, &ReportForm::default(), &FieldErrors::new(), None).await?;
    Ok(private(StatusCode::OK, page))
}

#[derive(Template, WebTemplate)]
#[template(path = "concerns/received.html", whitespace = "minimize")]
pub struct ReceivedPage {
    layout: Layout,
    receipt: ConcernReceipt,
    received: Moment,
    receipt_days: i64,
    response_days: i64,
}

impl ReportForm {
    fn to_input(&self) -> Result<ConcernInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let category = match self.category.parse::<ConcernCategory>() {
            Ok(category) => category,
            Err(_) => {
                errors.add("category", "choose what it is about");
                ConcernCategory::Other
            }
        };
        let input = ConcernInput {
            category,
            description: self.description.clone(),
            contact: Some(self.contact.clone()),
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

/// Records the report and shows its code once; a refused form comes back as typed.
pub async fn submit_report(
    State(state): State<AppState>,
    Form(form): Form<ReportForm>,
) -> Result<Response, PageError> {
    let input = match form.to_input() {
        Ok(input) => input,
        Err(errors) => {
            let page = report_page(&state, &form, &errors, None).await?;
            return Ok(private(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let now = OffsetDateTime::now_utc();
    let (status, errors, refusal) = match state.store.report_concern(input, now).await {
        Ok(receipt) => {
            let settings = state.store.concern_settings().await?;
            let page = ReceivedPage {
                layout: Layout::load(&state, Area::Elsewhere, "Your report was received").await,
                received: moment(receipt.received_at, now),
                receipt,
                receipt_days: settings.receipt_days,
                response_days: settings.response_days,
            };
            return Ok(private(StatusCode::OK, page));
        }
        Err(ConcernError::Store(StoreError::Invalid(errors))) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors, None)
        }
        Err(error @ ConcernError::ChannelClosed) => (
            StatusCode::CONFLICT,
            FieldErrors::new(),
            Some(error.to_string()),
        ),
        Err(ConcernError::Throttled(message)) => (
            StatusCode::TOO_MANY_REQUESTS,
            FieldErrors::new(),
            Some(message),
        ),
        Err(ConcernError::Store(error)) => return Err(error.into()),
    };
    let page = report_page(&state, &form, &errors, refusal).await?;
    Ok(private(status, page))
}
