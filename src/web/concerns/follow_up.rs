//! The follow-up: the reporter types the code (sent in the form body, never in an address),
//! reads the status and the answers, and replies. Every code that opens nothing gets the same
//! page; nothing here reads who the caller is (a reply's address only counts against the
//! per-source limit, as a keyed hash held in memory for at most a minute).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::OffsetDateTime;

use super::private;
use super::views::{MessageView, reporter_view, status_badge};
use crate::app::AppState;
use crate::auth::ClientAddress;
use crate::domain::FieldErrors;
use crate::domain::concern::{ConcernStatus, FollowUp, Sent, check_message};
use crate::store::StoreError;
use crate::store::concerns::ConcernError;
use crate::web::error::PageError;
use crate::web::forms::Field;
use crate::web::layout::{Area, Layout};
use crate::web::moment::{Moment, moment};
use crate::web::views::Badge;

#[derive(Template, WebTemplate)]
#[template(path = "concerns/follow_up_code.html", whitespace = "minimize")]
pub struct CodePage {
    layout: Layout,
    code: Field,
}

/// What a code that opens nothing gets, whatever the reason.
const NO_MATCH: &str = "No report matches this code. Check it and type it again: dashes and \
                        spaces do not matter, nor do capitals.";

async fn code_page(state: &AppState, message: Option<&str>) -> Response {
    let mut code = Field::new("code", "Your follow-up code", "");
    code.error = message.map(str::to_owned);
    let status = if message.is_some() {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    let layout = Layout::load(state, Area::Elsewhere, "Follow up a report").await;
    private(status, CodePage { layout, code })
}

pub async fn follow_up_form(State(state): State<AppState>) -> Response {
    code_page(&state, None).await
}

#[derive(Template, WebTemplate)]
#[template(path = "concerns/follow_up.html", whitespace = "minimize")]
pub struct FollowUpPage {
    layout: Layout,
    /// Sent again with each reply, in the form body only.
    code: String,
    status: Badge,
    category: String,
    received: Moment,
    acknowledged: Option<Moment>,
    description: String,
    contact: Option<String>,
    conversation: Vec<MessageView>,
    closed: bool,
    replies_left: i64,
    reply: Field,
    flash: Option<&'static str>,
    refusal: Option<String>,
}

/// The follow-up, with the reply field as typed and its message.
async fn follow_up_page(
    state: &AppState,
    code: &str,
    follow_up: FollowUp,
    reply: Field,
) -> FollowUpPage {
    let now = OffsetDateTime::now_utc();
    FollowUpPage {
        layout: Layout::load(state, Area::Elsewhere, "Your report").await,
        code: code.to_owned(),
        status: status_badge(follow_up.status),
        category: follow_up.category.label().to_owned(),
        received: moment(follow_up.received_at, now),
        acknowledged: follow_up.acknowledged_at.map(|at| moment(at, now)),
        conversation: follow_up
            .conversation
            .iter()
            .map(|m| reporter_view(m, now))
            .collect(),
        closed: follow_up.status == ConcernStatus::Closed,
        replies_left: follow_up.replies_left_today,
        description: follow_up.description,
        contact: follow_up.contact,
        reply,
        flash: None,
        refusal: None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

/// Opens the report the code names.
pub async fn open_follow_up(
    State(state): State<AppState>,
    Form(form): Form<CodeForm>,
) -> Result<Response, PageError> {
    let now = OffsetDateTime::now_utc();
    match state.store.follow_up_concern(&form.code, now).await {
        Ok(follow_up) => {
            let reply = Field::new("message", "Your reply", "");
            let page = follow_up_page(&state, &form.code, follow_up, reply).await;
            Ok(private(StatusCode::OK, page))
        }
        Err(StoreError::NotFound(_)) => Ok(code_page(&state, Some(NO_MATCH)).await),
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    code: String,
    message: String,
}

/// Sends the reporter's reply and shows the conversation again.
pub async fn send_reply(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<ReplyForm>,
) -> Result<Response, PageError> {
    let now = OffsetDateTime::now_utc();
    // An empty or refused message is not counted against the source.
    let result = match check_message("message", &form.message) {
        Err(errors) => Err(ConcernError::Store(StoreError::Invalid(errors))),
        Ok(_) => match state.concern_sources.take(&address, Sent::Reply) {
            Ok(()) => {
                let store = &state.store;
                store.reply_to_concern(&form.code, &form.message, now).await
            }
            Err(message) => Err(ConcernError::Throttled(message)),
        },
    };
    let (status, errors, refusal) = match result {
        Ok(follow_up) => {
            let reply = Field::new("message", "Your reply", "");
            let mut page = follow_up_page(&state, &form.code, follow_up, reply).await;
            page.flash = Some("Your reply was sent. The handlers see it with your report.");
            return Ok(private(StatusCode::OK, page));
        }
        Err(ConcernError::Store(StoreError::NotFound(_))) => {
            return Ok(code_page(&state, Some(NO_MATCH)).await);
        }
        Err(ConcernError::Store(StoreError::Invalid(errors))) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors, None)
        }
        Err(ConcernError::Store(StoreError::Conflict(message))) => (
            StatusCode::CONFLICT,
            FieldErrors::new(),
            Some(sentence(&message)),
        ),
        Err(ConcernError::Throttled(message)) => (
            StatusCode::TOO_MANY_REQUESTS,
            FieldErrors::new(),
            Some(message),
        ),
        Err(error @ ConcernError::ChannelClosed) => (
            StatusCode::CONFLICT,
            FieldErrors::new(),
            Some(error.to_string()),
        ),
        Err(ConcernError::Store(error)) => return Err(error.into()),
    };
    let follow_up = match state.store.follow_up_concern(&form.code, now).await {
        Ok(follow_up) => follow_up,
        Err(StoreError::NotFound(_)) => return Ok(code_page(&state, Some(NO_MATCH)).await),
        Err(error) => return Err(error.into()),
    };
    let reply =
        Field::new("message", "Your reply", form.message.as_str()).with_errors(&errors, "message");
    let mut page = follow_up_page(&state, &form.code, follow_up, reply).await;
    page.refusal = refusal;
    Ok(private(status, page))
}

/// A store reason as a sentence ("this report is closed…" → "This report is closed….").
fn sentence(reason: &str) -> String {
    let mut chars = reason.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    format!("{}{}.", first.unwrap_or_default(), chars.as_str())
}
