//! What the policy pages share: badges in the one vocabulary of status, the rendered document
//! with its table of contents, the content check as rows, and the error a policy page answers
//! when an action is refused in a way no form of the page can show.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::error::{PageError, render_error};
use super::views::Badge;
use crate::document::content_check::{ContentReport, Passage, Placeholder};
use crate::document::render::{TocEntry, render_markdown};
use crate::domain::access::Role;
use crate::domain::policy::{ReviewState, Visibility};
use crate::domain::policy_version::VersionStatus;
use crate::error::AppError;
use crate::store::StoreError;

/// A policy page's answer when it cannot show itself: a missing record, a refusal or a failure.
#[derive(Debug)]
pub enum PolicyError {
    Page(PageError),
    App(AppError),
}

pub type PolicyResult<T> = Result<T, PolicyError>;

impl From<StoreError> for PolicyError {
    fn from(error: StoreError) -> Self {
        PolicyError::Page(error.into())
    }
}

impl From<PageError> for PolicyError {
    fn from(error: PageError) -> Self {
        PolicyError::Page(error)
    }
}

impl From<AppError> for PolicyError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound(what) => PolicyError::Page(PageError::NotFound(what)),
            AppError::Invalid(fields) => PolicyError::Page(PageError::Invalid(fields)),
            other => PolicyError::App(other),
        }
    }
}

impl IntoResponse for PolicyError {
    fn into_response(self) -> Response {
        match self {
            PolicyError::Page(error) => error.into_response(),
            PolicyError::App(AppError::Internal(detail)) => {
                tracing::error!(%detail, "a policy page failed");
                render_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong".to_owned(),
                    "Charter could not finish this request. Nothing was changed; try again in a moment."
                        .to_owned(),
                    Vec::new(),
                )
            }
            PolicyError::App(error) => super::error_page(error),
        }
    }
}

/// The status of a version: published is the conforming state; waiting states are amber.
pub fn version_badge(status: VersionStatus) -> Badge {
    let tone = match status {
        VersionStatus::Published => "green",
        VersionStatus::InReview | VersionStatus::Approved => "amber",
        VersionStatus::Draft | VersionStatus::Superseded | VersionStatus::Retired => "grey",
    };
    let word = match status {
        VersionStatus::Approved => "Approved, not yet published",
        other => other.label(),
    };
    Badge::new(tone, word)
}

/// Where a policy stands against its review interval, always with its word.
pub fn review_badge(state: ReviewState) -> Badge {
    match state {
        ReviewState::NotPublished => Badge::new("grey", "Not published"),
        ReviewState::Current => Badge::new("green", "Up to date"),
        ReviewState::Due => Badge::new("amber", "Review due soon"),
        ReviewState::Overdue => Badge::new("red", "Review overdue"),
    }
}

pub fn visibility_word(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Internal => "Internal",
        Visibility::Public => "Public (trust page)",
        Visibility::Restricted => "Restricted (share links)",
    }
}

pub fn role_word(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin",
        Role::IsmsManager => "ISMS manager",
        Role::TopManagement => "Top management",
        Role::Manager => "Manager",
        Role::Staff => "Staff",
        Role::Auditor => "Auditor",
        Role::ConcernHandler => "Concern handler",
    }
}

/// The first characters of a hash, enough to recognize it; the page shows the whole on hover.
pub fn short_hash(hash: &str) -> String {
    hash.chars().take(12).collect()
}

/// A policy body as the page shows it: sanitized HTML and, for long ones, a table of contents.
#[derive(Debug, Clone)]
pub struct DocumentView {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// Below this many headings a table of contents is more clutter than help.
const TOC_FROM_HEADINGS: usize = 4;

impl DocumentView {
    pub fn new(body: &str) -> Self {
        let rendered = render_markdown(body);
        Self {
            html: rendered.html,
            toc: rendered.toc,
        }
    }

    pub fn has_toc(&self) -> bool {
        self.toc.len() >= TOC_FROM_HEADINGS
    }
}

/// One required element of the top-level policy and where the text holds it.
#[derive(Debug, Clone)]
pub struct CheckRow {
    pub label: &'static str,
    pub requirement: &'static str,
    pub hint: &'static str,
    pub badge: Badge,
    pub passage: Option<Passage>,
    pub note: Option<String>,
}

/// The content check as the version page and the editor show it: a warning, never a block.
#[derive(Debug, Clone)]
pub struct CheckView {
    pub rows: Vec<CheckRow>,
    pub placeholders: Vec<Placeholder>,
    pub missing: usize,
}

impl CheckView {
    pub fn new(report: ContentReport) -> Self {
        let rows: Vec<CheckRow> = report
            .findings
            .into_iter()
            .map(|finding| CheckRow {
                label: finding.element.label(),
                requirement: finding.element.requirement(),
                hint: finding.element.hint(),
                badge: if finding.found.is_some() {
                    Badge::new("green", "Found")
                } else {
                    Badge::new("red", "Missing")
                },
                passage: finding.found,
                note: finding.note.map(|note| sentence(&note)),
            })
            .collect();
        Self {
            missing: rows.iter().filter(|r| r.passage.is_none()).count(),
            rows,
            placeholders: report.placeholders,
        }
    }

    pub fn is_complete(&self) -> bool {
        self.missing == 0 && self.placeholders.is_empty()
    }
}

/// `?flash=` names one of a few fixed messages; nothing typed by a user is echoed.
#[derive(Debug, Default, Deserialize)]
pub struct PolicyFlash {
    #[serde(default)]
    flash: String,
}

impl PolicyFlash {
    pub fn message(&self) -> Option<&'static str> {
        Some(match self.flash.as_str() {
            "created" => {
                "The policy and its first draft were created. Write the text, then submit it for review."
            }
            "saved" => "Your changes were saved.",
            "draft" => "A new draft was started from the version in force.",
            "submitted" => {
                "The version was submitted for review. Its text is frozen until it is withdrawn or rejected."
            }
            "withdrawn" => "The version was withdrawn from review and is a draft again.",
            "signed" => {
                "Your sign-off is recorded. The version needs more approvals before it can be published."
            }
            "approved" => "The version is approved. It can now be published.",
            "rejected" => "The version was rejected and returned to draft with your reason.",
            "published" => "The version was published and is now in force.",
            "retired" => "The version was retired. The policy has no version in force.",
            "commented" => "Your comment was added.",
            "reviewed" => {
                "The review is recorded: the version stays in force and the next review date moved on."
            }
            _ => return None,
        })
    }
}

/// A store or rule message as a sentence: capitalized, with its full stop.
pub fn sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let text = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default();
    if text.ends_with(['.', '!', '?']) {
        text
    } else {
        format!("{text}.")
    }
}
