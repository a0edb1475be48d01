//! The outbox: every email Charter sends is first a row here, so none is silently dropped; a
//! failed send is retried with backoff and stays visible to admins.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// How many sends are tried before a message is left as failed for an admin to retry.
pub const MAX_ATTEMPTS: u32 = 8;

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting for its next attempt.
    Queued,
    /// Accepted by the SMTP server.
    Sent,
    /// Every attempt failed; an admin may send it again.
    Failed,
    /// No SMTP server is configured: kept here for an admin to read or send later.
    Held,
    /// Not sent because it was no longer needed (the reminded person acknowledged meanwhile, or
    /// the campaign closed); the reason is kept as its last error.
    Withdrawn,
}

text_enum!(MailStatus, "mail status", Queued => "queued", Sent => "sent",
    Failed => "failed", Held => "held", Withdrawn => "withdrawn");

/// Why a message was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    /// An acknowledgment reminder from the schedule.
    Reminder,
    /// A reminder someone sent by hand (a manager to their team).
    ManualReminder,
    /// A top-management communication.
    Communication,
    /// A notice about a record of the reader's (an exception of theirs expired).
    Notice,
}

text_enum!(MailKind, "mail kind", Reminder => "reminder",
    ManualReminder => "manual_reminder", Communication => "communication", Notice => "notice");

/// A message to write to the outbox. The dedupe key makes writing it twice a no-op, so a
/// schedule run twice (or by two instances) queues each reminder once.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMail {
    pub kind: MailKind,
    pub dedupe_key: String,
    pub to_person_id: Option<Uuid>,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub campaign_id: Option<Uuid>,
    pub communication_id: Option<Uuid>,
}

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub kind: MailKind,
    pub to_person_id: Option<Uuid>,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub campaign_id: Option<Uuid>,
    pub communication_id: Option<Uuid>,
    pub status: MailStatus,
    pub attempts: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub next_attempt_at: OffsetDateTime,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub sent_at: Option<OffsetDateTime>,
}

/// What happened when a message was handed to the mail server.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryOutcome {
    Sent,
    /// The attempt failed; the message is queued again or, after the last attempt, failed.
    Failed {
        error: String,
    },
    /// No SMTP server is configured.
    Held,
    /// No longer needed, so not sent.
    Withdrawn {
        reason: String,
    },
}

impl DeliveryOutcome {
    /// The status and the time of the next attempt after `attempts` tries (this one included).
    pub fn next_state(&self, attempts: u32, now: OffsetDateTime) -> (MailStatus, OffsetDateTime) {
        match self {
            DeliveryOutcome::Sent => (MailStatus::Sent, now),
            DeliveryOutcome::Held => (MailStatus::Held, now),
            DeliveryOutcome::Withdrawn { .. } => (MailStatus::Withdrawn, now),
            DeliveryOutcome::Failed { .. } if attempts >= MAX_ATTEMPTS => (MailStatus::Failed, now),
            DeliveryOutcome::Failed { .. } => (MailStatus::Queued, now + backoff(attempts)),
        }
    }
}

/// The wait before the next attempt: one minute, doubling, at most six hours.
pub fn backoff(attempts: u32) -> Duration {
    let minutes = 1i64 << attempts.saturating_sub(1).min(9);
    Duration::minutes(minutes.min(360))
}

/// Filters for the outbox list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxFilter {
    pub status: Option<MailStatus>,
    pub kind: Option<MailKind>,
    pub campaign_id: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_sends_back_off_then_stop() {
        let now = OffsetDateTime::UNIX_EPOCH;
        let failed = DeliveryOutcome::Failed {
            error: "refused".into(),
        };
        assert_eq!(
            failed.next_state(1, now),
            (MailStatus::Queued, now + Duration::minutes(1))
        );
        assert_eq!(
            failed.next_state(3, now),
            (MailStatus::Queued, now + Duration::minutes(4))
        );
        assert_eq!(failed.next_state(MAX_ATTEMPTS, now).0, MailStatus::Failed);
        assert_eq!(backoff(30), Duration::minutes(360));
    }
}
