//! What the channel shows: the whole concern to handlers, the follow-up to the reporter (no
//! handler's name, no internal id), the receipt shown once, and the channel's settings.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{ConcernCategory, ConcernStatus, MAX_REPLIES_PER_DAY, MessageAuthor};

/// The channel's settings (one row for the organization).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConcernSettings {
    /// Whether new reports are accepted (follow-ups always work).
    pub channel_enabled: bool,
    /// Days within which receipt is acknowledged.
    pub receipt_days: i64,
    /// Days within which the first answer is given.
    pub response_days: i64,
    /// New reports accepted per minute across everyone.
    pub reports_per_minute: i64,
    /// Reporters' replies accepted per minute across everyone (a budget of their own, so a
    /// flood of replies never stops new reports, nor the reverse).
    pub replies_per_minute: i64,
    /// When a handler last changed them (none: the defaults).
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub updated_at: Option<OffsetDateTime>,
}

/// What the reporter gets once, right after reporting: the code is never shown again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConcernReceipt {
    /// The follow-up code, in groups of four; only its hash is kept.
    pub code: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: OffsetDateTime,
    /// Receipt is acknowledged by then.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub receipt_due_at: OffsetDateTime,
    /// A first answer is given by then.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub response_due_at: OffsetDateTime,
}

/// One concern in the handlers' list: no contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConcernSummary {
    pub id: Uuid,
    pub category: ConcernCategory,
    pub status: ConcernStatus,
    /// The description's first words.
    pub excerpt: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub receipt_due_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub response_due_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub acknowledged_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub first_answered_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<OffsetDateTime>,
    /// Messages of the conversation after the report.
    pub messages: i64,
    /// Open, not acknowledged, and past the receipt target.
    pub receipt_overdue: bool,
    /// Open, not answered, and past the response target.
    pub response_overdue: bool,
}

impl ConcernSummary {
    /// Sets the overdue flags as they stand at `now`.
    pub fn with_flags(mut self, now: OffsetDateTime) -> Self {
        let open = self.status != ConcernStatus::Closed;
        self.receipt_overdue = open && self.acknowledged_at.is_none() && self.receipt_due_at < now;
        self.response_overdue =
            open && self.first_answered_at.is_none() && self.response_due_at < now;
        self
    }

    pub fn overdue(&self) -> bool {
        self.receipt_overdue || self.response_overdue
    }
}

/// One message of the conversation, as handlers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConcernMessage {
    pub id: Uuid,
    pub author: MessageAuthor,
    /// The handler who wrote it (none for the reporter).
    pub handler_name: Option<String>,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub sent_at: OffsetDateTime,
}

/// A concern whole, for handlers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Concern {
    #[serde(flatten)]
    pub summary: ConcernSummary,
    pub description: String,
    /// Only what the reporter chose to leave.
    pub contact: Option<String>,
    /// Oldest first.
    pub conversation: Vec<ConcernMessage>,
}

/// One message as the reporter sees it: who wrote it by side only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FollowUpMessage {
    pub author: MessageAuthor,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub sent_at: OffsetDateTime,
}

/// What the follow-up code opens: the report, its status and the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FollowUp {
    pub category: ConcernCategory,
    pub status: ConcernStatus,
    pub description: String,
    pub contact: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub acknowledged_at: Option<OffsetDateTime>,
    /// Oldest first.
    pub conversation: Vec<FollowUpMessage>,
    /// Replies still accepted on this concern within the last 24 hours.
    pub replies_left_today: i64,
}

impl FollowUp {
    /// The replies left given how many were sent within the last 24 hours.
    pub fn replies_left(sent_last_day: i64) -> i64 {
        (MAX_REPLIES_PER_DAY - sent_last_day).max(0)
    }
}

/// Which concerns the handlers' list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConcernFilter {
    /// Only concerns in this status.
    #[serde(default)]
    pub status: Option<ConcernStatus>,
    /// Only concerns past their receipt or response target.
    #[serde(default)]
    pub overdue: bool,
    /// Only concerns received and not yet acknowledged while still within their receipt target
    /// (due, not overdue).
    #[serde(default)]
    pub awaiting_receipt: bool,
}
