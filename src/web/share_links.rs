//! Share links to a restricted policy: made by the policy's editors for one reader, shown once,
//! listed with how often they were opened, and revoked before their expiry when needed.
//!
//! A new link is shown on the page that answers the form, never in a redirect: the token stays
//! out of URLs, browser history and the access log.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use super::error::{PageError, PageResult, parse_id};
use super::layout::{Area, Layout};
use super::moment::{Moment, moment};
use super::views::Badge;
use crate::app::AppState;
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::policy::{Policy, Visibility};
use crate::domain::policy_exception::{MAX_SHARE_DAYS, ShareLink};
use crate::error::AppError;
use crate::policy_actions;
use crate::store::StoreError;

/// How long a link works when the form does not say.
const DEFAULT_DAYS: &str = "14";

/// One link as the table shows it.
pub struct ShareLinkView {
    pub state: Badge,
    pub active: bool,
    pub expires: Moment,
    pub last_opened: Option<Moment>,
}

impl ShareLinkView {
    /// Called from the templates that list links (`share_links/_table.html`).
    pub fn of(link: &ShareLink) -> Self {
        let now = OffsetDateTime::now_utc();
        let active = link.is_active(now);
        let state = if link.revoked_at.is_some() {
            Badge::new("grey", "Revoked")
        } else if active {
            Badge::new("green", "Active")
        } else {
            Badge::new("grey", "Expired")
        };
        Self {
            state,
            active,
            expires: moment(link.expires_at, now),
            last_opened: link.last_accessed_at.map(|at| moment(at, now)),
        }
    }
}

/// A link just made: the only time its address is shown.
pub struct CreatedLink {
    pub label: String,
    pub url: String,
    pub expires: Moment,
}

#[derive(Template, WebTemplate)]
#[template(path = "share_links/page.html", whitespace = "minimize")]
pub struct ShareLinksPage {
    layout: Layout,
    policy: Policy,
    share_links: Vec<ShareLink>,
    created: Option<CreatedLink>,
    flash: Option<&'static str>,
    /// Why the last action was refused, beside the form.
    refusal: Option<String>,
    label: String,
    label_error: Option<String>,
    days: String,
    days_error: Option<String>,
}

impl ShareLinksPage {
    async fn load(state: &AppState, policy: Policy) -> PageResult<Self> {
        let share_links = state.store.list_share_links(policy.id).await?;
        let title = format!("Share links: {}", policy.title);
        Ok(Self {
            layout: Layout::load(state, Area::Policies, title).await,
            policy,
            share_links,
            created: None,
            flash: None,
            refusal: None,
            label: String::new(),
            label_error: None,
            days: DEFAULT_DAYS.to_owned(),
            days_error: None,
        })
    }

    fn is_restricted(&self) -> bool {
        self.policy.visibility == Visibility::Restricted
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ShareLinksQuery {
    #[serde(default)]
    flash: String,
}

/// The links of one policy and the form to make another.
pub async fn list_share_links(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<ShareLinksQuery>,
) -> PageResult<ShareLinksPage> {
    let policy = state.store.get_policy(parse_id(&raw, "policy")?).await?;
    let mut page = ShareLinksPage::load(&state, policy).await?;
    page.flash = (query.flash == "revoked")
        .then_some("The link was revoked: it no longer opens the policy.");
    Ok(page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShareLinkForm {
    label: String,
    days: String,
}

/// Makes a link and answers with a page that shows it once (never stored, never redirected to).
pub async fn create_share_link(
    State(state): State<AppState>,
    Caller(caller): Caller,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<ShareLinkForm>,
) -> PageResult<Response> {
    let policy = state.store.get_policy(parse_id(&raw, "policy")?).await?;
    let mut page = ShareLinksPage::load(&state, policy).await?;
    page.label = form.label.clone();
    page.days = form.days.clone();
    let days = match form.days.trim().parse::<i64>() {
        Ok(days) if (1..=MAX_SHARE_DAYS).contains(&days) => days,
        _ => {
            page.days_error = Some(format!(
                "Days must be a whole number from 1 to {MAX_SHARE_DAYS}."
            ));
            return Ok(refused(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let store = state.store.as_ref();
    match policy_actions::create_share_link(store, &caller, page.policy.id, &form.label, days).await
    {
        Ok((link, token)) => {
            page.created = Some(CreatedLink {
                label: link.label.clone(),
                url: format!("{}/trust/shared/{token}", origin(&state, &headers)),
                expires: moment(link.expires_at, OffsetDateTime::now_utc()),
            });
            page.share_links = store.list_share_links(page.policy.id).await?;
            page.label.clear();
            page.days = DEFAULT_DAYS.to_owned();
            let mut response = page.into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => {
            page.label_error = field_message(&errors, "label", "The label");
            page.days_error = field_message(&errors, "expires_at", "The expiry");
            Ok(refused(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(AppError::Conflict(message)) => {
            page.refusal = Some(sentence(&message));
            Ok(refused(StatusCode::CONFLICT, page))
        }
        Err(other) => Err(page_error(other)),
    }
}

/// Revokes a link; the policy's links are shown again.
pub async fn revoke_share_link(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "share link")?;
    match state.store.revoke_share_link(&caller.account, id).await {
        Ok(link) => Ok(Redirect::to(&format!(
            "/policies/{}/share-links?flash=revoked",
            link.policy_id
        ))
        .into_response()),
        Err(StoreError::Conflict(message)) => {
            // Already revoked (a second click): the answer does not name the policy, so the
            // message goes on the error page.
            Err(PageError::Invalid(FieldErrors::single(
                "share_link",
                message,
            )))
        }
        Err(other) => Err(other.into()),
    }
}

fn refused(status: StatusCode, page: ShareLinksPage) -> Response {
    (status, page).into_response()
}

/// `https://charter.example.org`, from the address the creator used to reach Charter.
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
        .unwrap_or("localhost");
    let scheme = if state.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

fn field_message(errors: &FieldErrors, key: &str, label: &str) -> Option<String> {
    errors
        .get(key)
        .map(|messages| sentence(&format!("{label} {}", messages.join("; "))))
}

/// A store message as a sentence: capitalized, with a full stop.
pub fn sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let text = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default();
    if text.ends_with('.') {
        text
    } else {
        format!("{text}.")
    }
}

/// An error of a shared action as a page: what the page handlers cannot word themselves.
pub fn page_error(error: AppError) -> PageError {
    match error {
        AppError::NotFound(what) => PageError::NotFound(what),
        AppError::Invalid(fields) => PageError::Invalid(fields),
        other => PageError::Store(StoreError::Config(other.to_string())),
    }
}
