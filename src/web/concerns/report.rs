//! The report form and the page that shows the follow-up code once. Nothing here reads who the
//! caller is; their address only counts against the per-source limit, as a keyed hash held in
//! memory for at most a minute. Every answer is `Cache-Control: no-store`.

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
use crate::auth::ClientAddress;
use crate::domain::FieldErrors;
use crate::domain::concern::{
    ConcernCategory, ConcernInput, ConcernReceipt, ConcernSettings, REPORTS_PER_SOURCE, Sent,
};
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
    reports_per_source: u32,
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
        reports_per_source: REPORTS_PER_SOURCE,
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
    receipt_due: Moment,
    response_due: Moment,
    receipt_days: i64,
    response_days: i64,
}

impl ReceivedPage {
    /// The page from the receipt alone: once the report is committed, nothing read afterwards
    /// can fail and lose the code.
    async fn new(state: &AppState, receipt: ConcernReceipt, now: OffsetDateTime) -> Self {
        let received_at = receipt.received_at;
        Self {
            layout: Layout::load(state, Area::Elsewhere, "Your report was received").await,
            received: moment(received_at, now),
            receipt_due: moment(receipt.receipt_due_at, now),
            response_due: moment(receipt.response_due_at, now),
            receipt_days: (receipt.receipt_due_at - received_at).whole_days(),
            response_days: (receipt.response_due_at - received_at).whole_days(),
            receipt,
        }
    }
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
    ClientAddress(address): ClientAddress,
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
    let result = match state.concern_sources.take(&address, Sent::Report) {
        Ok(()) => state.store.report_concern(input, now).await,
        Err(message) => Err(ConcernError::Throttled(message)),
    };
    let (status, errors, refusal) = match result {
        Ok(receipt) => {
            let page = ReceivedPage::new(&state, receipt, now).await;
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
