//! The trust page for interested parties, without signing in: the organization's published
//! public policies, each readable in full, and a restricted one through its share link.
//!
//! These pages have their own plain layout (no navigation of the app) and answer every policy
//! they may not show (internal, restricted without a link, unpublished) with the same 404, so
//! nothing tells an outsider which documents exist.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use time::Date;

use super::assets::STYLESHEET_HREF;
use super::forms::format_date;
use super::layout::display_name;
use crate::api::trust::{TrustedPolicy, open_shared};
use crate::app::AppState;
use crate::auth::ClientAddress;
use crate::document::render::{RenderedDocument, TocEntry, render_markdown};
use crate::error::AppError;

/// A table of contents is shown from this many headings on.
const TOC_FROM: usize = 3;

/// The frame of the public pages: the organization's name and the stylesheet.
pub struct TrustLayout {
    pub org_name: String,
    pub title: String,
    pub stylesheet: &'static str,
}

impl TrustLayout {
    async fn load(state: &AppState, title: impl Into<String>) -> Self {
        let name = state
            .store
            .organization()
            .await
            .map(|org| org.name)
            .unwrap_or_default();
        Self {
            org_name: display_name(&name),
            title: title.into(),
            stylesheet: STYLESHEET_HREF,
        }
    }
}

/// A policy in the list of the trust page.
pub struct TrustedRow {
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    pub version: String,
    pub approved_on: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "trust/index.html", whitespace = "minimize")]
pub struct TrustIndexPage {
    layout: TrustLayout,
    policies: Vec<TrustedRow>,
}

pub async fn show_trust_center(State(state): State<AppState>) -> Result<Response, Response> {
    let published = state
        .store
        .public_policies()
        .await
        .map_err(|e| failure(e.into()))?;
    let policies = published
        .into_iter()
        .map(|p| TrustedPolicy::from_published(p, false))
        .map(|p| TrustedRow {
            href: format!("/trust/policies/{}", p.id),
            kind: p.kind.label(),
            version: p.version.to_string(),
            approved_on: p.approved_on.map(format_date),
            title: p.title,
        })
        .collect();
    let page = TrustIndexPage {
        layout: TrustLayout::load(&state, "Trust center").await,
        policies,
    };
    Ok(page.into_response())
}

/// A policy as an interested party reads it: the text and what proves it is the approved one.
#[derive(Template, WebTemplate)]
#[template(path = "trust/policy.html", whitespace = "minimize")]
pub struct TrustPolicyPage {
    layout: TrustLayout,
    policy: TrustedPolicy,
    kind: &'static str,
    approved_on: Option<String>,
    published_on: Option<String>,
    document: RenderedDocument,
    toc: Vec<TocEntry>,
    /// Reached through a share link rather than the public list.
    shared: bool,
}

impl TrustPolicyPage {
    async fn new(state: &AppState, policy: TrustedPolicy, shared: bool) -> Self {
        let document = render_markdown(policy.body.as_deref().unwrap_or_default());
        let toc = if document.toc.len() >= TOC_FROM {
            document.toc.clone()
        } else {
            Vec::new()
        };
        let date = |d: Option<Date>| d.map(format_date);
        Self {
            layout: TrustLayout::load(state, policy.title.clone()).await,
            kind: policy.kind.label(),
            approved_on: date(policy.approved_on),
            published_on: date(policy.published_on),
            policy,
            document,
            toc,
            shared,
        }
    }
}

pub async fn show_public_policy(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, Response> {
    let Ok(id) = uuid::Uuid::parse_str(&raw) else {
        return Err(not_available(&state).await);
    };
    let shared = match state.store.public_policy(id).await {
        Ok(Some(shared)) => shared,
        Ok(None) => return Err(not_available(&state).await),
        Err(error) => return Err(failure(error.into())),
    };
    let policy = TrustedPolicy::from_published(shared, true);
    Ok(TrustPolicyPage::new(&state, policy, false)
        .await
        .into_response())
}

/// A restricted policy through its link; the store counts and logs the opening. The page is
/// neither cached nor indexed: the address is a secret of its holder.
pub async fn show_shared_policy(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
) -> Response {
    let response = match open_shared(&state, &token, &address).await {
        Ok(shared) => {
            let policy = TrustedPolicy::from_published(shared, true);
            TrustPolicyPage::new(&state, policy, true)
                .await
                .into_response()
        }
        Err(AppError::NotFound(_)) => not_available(&state).await,
        Err(other) => failure(other),
    };
    private(response)
}

fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
    response
}

#[derive(Template, WebTemplate)]
#[template(path = "trust/unavailable.html", whitespace = "minimize")]
pub struct UnavailablePage {
    layout: TrustLayout,
    heading: &'static str,
    message: &'static str,
}

/// The one answer for every document an outsider may not read, in the trust layout.
async fn not_available(state: &AppState) -> Response {
    let page = UnavailablePage {
        layout: TrustLayout::load(state, "Document not available").await,
        heading: "This document is not available",
        message: "It may not exist, or the link that led here has expired or was revoked. \
                  If someone shared it with you, ask them for a new link.",
    };
    (StatusCode::NOT_FOUND, page).into_response()
}

/// A failure of the database, worded for an outsider; the details go to the log only.
fn failure(error: AppError) -> Response {
    tracing::error!(error = %error, "a trust page could not read the database");
    let page = UnavailablePage {
        layout: TrustLayout {
            org_name: "Charter".to_owned(),
            title: "Something went wrong".to_owned(),
            stylesheet: STYLESHEET_HREF,
        },
        heading: "Something went wrong",
        message: "This page could not be read just now. Try again in a moment.",
    };
    (StatusCode::INTERNAL_SERVER_ERROR, page).into_response()
}
