//! Concern: part of the confidential reporting channel: concerns, follow-up codes and the answers (A.6.8).
//!
//! A concern keeps only what the reporter chose to write (category, description, an optional
//! contact), the time it was received and the conversation; never an account, an address, a
//! browser or a session. The reporter follows it up with a random code shown once and stored
//! only as a SHA-256 hash (`follow_up_code`).

mod follow_up_code;
mod sources;
mod views;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::FieldErrors;

pub use follow_up_code::{FollowUpCode, code_hash};
pub use sources::{MAX_SOURCES, REPLIES_PER_SOURCE, REPORTS_PER_SOURCE, Sent, SourceLimiter};
pub use views::{
    Concern, ConcernFilter, ConcernMessage, ConcernReceipt, ConcernSettings, ConcernSummary,
    FollowUp, FollowUpMessage,
};

/// The audit actor of everything a reporter does: never the caller, signed in or not.
pub const ANONYMOUS_REPORTER: &str = "anonymous reporter";
/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 10_000;
/// The longest contact a reporter may leave, in characters.
pub const MAX_CONTACT: usize = 500;
/// The longest message of the conversation (an answer or a reply), in characters.
pub const MAX_MESSAGE: usize = 5_000;
/// How many replies a reporter may send on one concern within 24 hours.
pub const MAX_REPLIES_PER_DAY: i64 = 10;

/// What a concern is about, as the reporter sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConcernCategory {
    SecurityIncident,
    PolicyBreach,
    Misconduct,
    Vulnerability,
    Privacy,
    Other,
}

text_enum!(ConcernCategory, "concern category",
    SecurityIncident => "security_incident", PolicyBreach => "policy_breach",
    Misconduct => "misconduct", Vulnerability => "vulnerability", Privacy => "privacy",
    Other => "other");

impl ConcernCategory {
    pub fn label(self) -> &'static str {
        match self {
            ConcernCategory::SecurityIncident => "security incident",
            ConcernCategory::PolicyBreach => "policy breach",
            ConcernCategory::Misconduct => "misconduct",
            ConcernCategory::Vulnerability => "vulnerability",
            ConcernCategory::Privacy => "privacy",
            ConcernCategory::Other => "other",
        }
    }

    /// A sentence to help the reporter choose.
    pub fn hint(self) -> &'static str {
        match self {
            ConcernCategory::SecurityIncident => {
                "Something happened: data lost or exposed, an account misused, malware."
            }
            ConcernCategory::PolicyBreach => "A security policy or rule is not being followed.",
            ConcernCategory::Misconduct => "Someone acts dishonestly or abuses their access.",
            ConcernCategory::Vulnerability => "A weakness that could be exploited.",
            ConcernCategory::Privacy => "Personal data handled in a way it should not be.",
            ConcernCategory::Other => "Anything else about information security.",
        }
    }
}

/// Where a concern stands; handlers move it forward (and may reopen a closed one).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ConcernStatus {
    Received,
    Acknowledged,
    InProgress,
    Closed,
}

text_enum!(ConcernStatus, "concern status",
    Received => "received", Acknowledged => "acknowledged", InProgress => "in_progress",
    Closed => "closed");

impl ConcernStatus {
    pub fn label(self) -> &'static str {
        match self {
            ConcernStatus::Received => "received",
            ConcernStatus::Acknowledged => "acknowledged",
            ConcernStatus::InProgress => "in progress",
            ConcernStatus::Closed => "closed",
        }
    }

    /// Whether a handler may move a concern from `self` to `to`: forward only, or a closed
    /// concern reopened as in progress.
    pub fn may_become(self, to: ConcernStatus) -> bool {
        (to > self && to != ConcernStatus::Received)
            || (self == ConcernStatus::Closed && to == ConcernStatus::InProgress)
    }

    /// The audit action recorded when a concern moves from `self` to `to`.
    pub fn action_to(self, to: ConcernStatus) -> &'static str {
        match to {
            _ if self == ConcernStatus::Closed => "concern.reopened",
            ConcernStatus::Received | ConcernStatus::Acknowledged => "concern.acknowledged",
            ConcernStatus::InProgress => "concern.in_progress",
            ConcernStatus::Closed => "concern.closed",
        }
    }
}

/// Who wrote a message of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageAuthor {
    Reporter,
    Handler,
}

text_enum!(MessageAuthor, "message author", Reporter => "reporter", Handler => "handler");

/// A new concern as the reporter sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct ConcernInput {
    pub category: ConcernCategory,
    pub description: String,
    /// How to reach the reporter, only if they choose to say (an email, a phone number, a name).
    #[serde(default)]
    pub contact: Option<String>,
}

impl ConcernInput {
    /// Trims the text; an empty contact is no contact.
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.description = self.description.trim().to_owned();
        if self.description.is_empty() {
            errors.add(
                "description",
                "is required: say what you saw or what worries you",
            );
        } else if self.description.chars().count() > MAX_DESCRIPTION {
            errors.add(
                "description",
                format!("must be at most {MAX_DESCRIPTION} characters"),
            );
        } else if has_control(&self.description) {
            errors.add("description", CONTROL_CHARACTER);
        }
        self.contact = self
            .contact
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if let Some(contact) = &self.contact {
            if contact.chars().count() > MAX_CONTACT {
                errors.add(
                    "contact",
                    format!("must be at most {MAX_CONTACT} characters"),
                );
            } else if has_control(contact) {
                errors.add("contact", CONTROL_CHARACTER);
            }
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// Why a text with a control character (other than a line break or a tab) is refused.
const CONTROL_CHARACTER: &str = "contains an invisible control character (such as a NUL byte) \
    that cannot be kept; remove it (line breaks and tabs are fine)";

/// Whether `text` holds a control character other than a line break or a tab: none can be
/// stored on every database (PostgreSQL refuses NUL) or shown as typed.
fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// A message of the conversation, trimmed and bounded (`field` names it in the errors).
pub fn check_message(field: &str, text: &str) -> Result<String, FieldErrors> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldErrors::single(field, "is required"));
    }
    if text.chars().count() > MAX_MESSAGE {
        return Err(FieldErrors::single(
            field,
            format!("must be at most {MAX_MESSAGE} characters"),
        ));
    }
    if has_control(text) {
        return Err(FieldErrors::single(field, CONTROL_CHARACTER));
    }
    Ok(text.to_owned())
}

/// The channel's settings as a handler changes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub struct ConcernSettingsInput {
    /// Whether new reports are accepted.
    pub channel_enabled: bool,
    /// Days within which a concern's receipt is acknowledged (1 to 30).
    pub receipt_days: i64,
    /// Days within which a concern gets its first answer (1 to 90, not before the receipt).
    pub response_days: i64,
    /// New reports accepted per minute across everyone (1 to 1000).
    pub reports_per_minute: i64,
    /// Reporters' replies accepted per minute across everyone (1 to 1000).
    pub replies_per_minute: i64,
}

impl ConcernSettingsInput {
    pub fn validate(self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if !(1..=30).contains(&self.receipt_days) {
            errors.add("receipt_days", "must be between 1 and 30 days");
        }
        if !(1..=90).contains(&self.response_days) {
            errors.add("response_days", "must be between 1 and 90 days");
        } else if self.response_days < self.receipt_days {
            errors.add("response_days", "cannot be shorter than the receipt target");
        }
        if !(1..=1000).contains(&self.reports_per_minute) {
            errors.add("reports_per_minute", "must be between 1 and 1000");
        }
        if !(1..=1000).contains(&self.replies_per_minute) {
            errors.add("replies_per_minute", "must be between 1 and 1000");
        }
        errors.into_result()?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests;
