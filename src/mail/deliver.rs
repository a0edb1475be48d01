//! Delivering the outbox: each due message handed to the SMTP server one at a time (or held when
//! none is configured), and each outcome recorded on its row.

use lettre::Message;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use time::OffsetDateTime;

use super::{Mailer, Transport};
use crate::domain::campaign::CampaignStatus;
use crate::domain::mail::{DeliveryOutcome, MailKind, OutboxMessage};
use crate::store::{Store, StoreError, StoreResult};

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: u64,
    pub failed: u64,
    pub held: u64,
    /// Reminders no longer needed (acknowledged meanwhile, or the campaign closed).
    pub withdrawn: u64,
    /// More messages may be due: the batch was full, or the run stopped early.
    pub more: bool,
}

impl DeliveryReport {
    pub fn add(&mut self, other: &DeliveryReport) {
        self.sent += other.sent;
        self.failed += other.failed;
        self.held += other.held;
        self.withdrawn += other.withdrawn;
        self.more = other.more;
    }

    fn count(&mut self, outcome: &DeliveryOutcome) {
        match outcome {
            DeliveryOutcome::Sent => self.sent += 1,
            DeliveryOutcome::Failed { .. } => self.failed += 1,
            DeliveryOutcome::Held => self.held += 1,
            DeliveryOutcome::Withdrawn { .. } => self.withdrawn += 1,
        }
    }
}

/// Delivers up to `limit` messages due at `now`, oldest first, recording each outcome before
/// the next send. No new send starts once `keep_going` says no; what is left stays queued.
pub async fn deliver_due(
    store: &dyn Store,
    mailer: &Mailer,
    now: OffsetDateTime,
    limit: i64,
    keep_going: &(dyn Fn() -> bool + Sync),
) -> StoreResult<DeliveryReport> {
    let due = store.due_mail(now, limit).await?;
    let mut report = DeliveryReport {
        more: due.len() as i64 >= limit,
        ..DeliveryReport::default()
    };
    for mail in &due {
        if !keep_going() {
            report.more = true;
            break;
        }
        let outcome = match still_needed(store, mail).await? {
            Some(reason) => DeliveryOutcome::Withdrawn { reason },
            None => attempt(mailer, mail).await,
        };
        store.record_delivery(mail.id, &outcome).await?;
        record_metric(&outcome);
        if let DeliveryOutcome::Failed { error } = &outcome {
            tracing::warn!(mail_id = %mail.id, attempt = mail.attempts + 1, %error, "the mail server did not accept a message; it stays in the outbox");
        }
        report.count(&outcome);
    }
    Ok(report)
}

/// Why a reminder is no longer needed: the person acknowledged meanwhile, left the campaign, or
/// the campaign closed. Other messages are always needed.
async fn still_needed(store: &dyn Store, mail: &OutboxMessage) -> StoreResult<Option<String>> {
    let reminder = matches!(mail.kind, MailKind::Reminder | MailKind::ManualReminder);
    let (true, Some(campaign_id), Some(person_id)) =
        (reminder, mail.campaign_id, mail.to_person_id)
    else {
        return Ok(None);
    };
    let today = OffsetDateTime::now_utc().date();
    let campaign = match store.get_campaign(campaign_id, today).await {
        Ok(campaign) => campaign,
        Err(StoreError::NotFound(_)) => return Ok(Some("the campaign no longer exists".into())),
        Err(other) => return Err(other),
    };
    if campaign.status == CampaignStatus::Closed {
        return Ok(Some("the campaign closed before it was sent".into()));
    }
    match store
        .get_acknowledgment(campaign_id, person_id, today)
        .await
    {
        Ok(ack) if ack.acknowledged_at.is_some() => {
            Ok(Some("the person acknowledged before it was sent".into()))
        }
        Ok(_) => Ok(None),
        Err(StoreError::NotFound(_)) => Ok(Some("the person is no longer asked".into())),
        Err(other) => Err(other),
    }
}

/// One try at handing a message over.
async fn attempt(mailer: &Mailer, mail: &OutboxMessage) -> DeliveryOutcome {
    let Transport::Smtp(smtp) = &mailer.transport else {
        return DeliveryOutcome::Held;
    };
    let sent = match build_message(&mailer.from, mail) {
        Ok(message) => smtp.send(message).await,
        Err(error) => Err(error),
    };
    match sent {
        Ok(()) => DeliveryOutcome::Sent,
        Err(error) => DeliveryOutcome::Failed { error },
    }
}

/// The email for an outbox row: plain UTF-8 text from the configured sender.
pub fn build_message(from: &Mailbox, mail: &OutboxMessage) -> Result<Message, String> {
    let to: Mailbox = mail
        .to_address
        .parse()
        .map_err(|e| format!("invalid recipient address: {e}"))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.as_str())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| format!("cannot build the message: {e}"))
}

fn record_metric(outcome: &DeliveryOutcome) {
    let label = match outcome {
        DeliveryOutcome::Sent => "sent",
        DeliveryOutcome::Failed { .. } => "failed",
        DeliveryOutcome::Held => "held",
        DeliveryOutcome::Withdrawn { .. } => "withdrawn",
    };
    metrics::counter!("charter_mail_deliveries_total", "outcome" => label).increment(1);
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::domain::mail::{MailKind, MailStatus};

    fn outbox_message(to: &str) -> OutboxMessage {
        let now = OffsetDateTime::now_utc();
        OutboxMessage {
            id: Uuid::now_v7(),
            kind: MailKind::Reminder,
            to_person_id: None,
            to_address: to.into(),
            subject: "Please acknowledge: Datenschutz für alle".into(),
            body: "Hello Zoë,\n\nRead it here:\nhttps://charter.example.com/acknowledge/1\n".into(),
            campaign_id: None,
            communication_id: None,
            status: MailStatus::Queued,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
            sent_at: None,
        }
    }

    #[test]
    fn a_message_is_plain_utf8_text_from_the_sender_to_the_person() {
        let from: Mailbox = "Charter <charter@example.com>".parse().expect("sender");
        let message =
            build_message(&from, &outbox_message("zoe@example.com")).expect("a valid message");
        let text = String::from_utf8(message.formatted()).expect("ascii on the wire");
        assert!(
            text.contains("From: Charter <charter@example.com>"),
            "{text}"
        );
        assert!(text.contains("To: zoe@example.com"), "{text}");
        assert!(
            text.contains("Content-Type: text/plain; charset=utf-8"),
            "{text}"
        );
        assert!(
            text.contains("=?utf-8?b?") && !text.contains("für"),
            "non-ASCII subject is encoded: {text}"
        );
    }

    #[test]
    fn a_bad_recipient_is_a_failed_attempt_with_the_reason() {
        let from: Mailbox = "charter@example.com".parse().expect("sender");
        let error = build_message(&from, &outbox_message("not an address")).expect_err("refused");
        assert!(error.starts_with("invalid recipient address"), "{error}");
    }
}
