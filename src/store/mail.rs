//! The part of the store behind email and background work: the outbox, the leases that elect one
//! instance to run jobs, and top-management communications.

use async_trait::async_trait;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::StoreResult;
use crate::domain::account::Account;
use crate::domain::communication::{Communication, CommunicationInput};
use crate::domain::mail::{DeliveryOutcome, NewMail, OutboxFilter, OutboxMessage};
use crate::domain::policy_exception::PolicyException;
use crate::domain::{Actor, Page, PageRequest};

#[async_trait]
pub trait MailStore: Send + Sync {
    /// Writes messages to the outbox; one whose dedupe key is already there is skipped. With
    /// `reminded`, also marks that campaign's scheduled reminders as done for that day. One
    /// audit event for the batch. Returns how many were written.
    async fn queue_mail(
        &self,
        actor: &Actor,
        mails: &[NewMail],
        reminded: Option<(Uuid, Date)>,
    ) -> StoreResult<u64>;
    /// Queued messages whose next attempt is due, oldest first.
    async fn due_mail(&self, now: OffsetDateTime, limit: i64) -> StoreResult<Vec<OutboxMessage>>;
    /// Records one attempt: sent, held (no SMTP server), or failed (queued again with backoff,
    /// or failed for good after the last attempt).
    async fn record_delivery(&self, id: Uuid, outcome: &DeliveryOutcome) -> StoreResult<()>;
    async fn list_outbox(
        &self,
        filter: &OutboxFilter,
        page: PageRequest,
    ) -> StoreResult<Page<OutboxMessage>>;
    async fn get_mail(&self, id: Uuid) -> StoreResult<OutboxMessage>;
    /// Queues a failed or held message again (an admin's decision).
    async fn retry_mail(&self, by: &Account, id: Uuid) -> StoreResult<OutboxMessage>;

    /// Takes or renews the named lease for `holder` until `now + ttl`; true when `holder` has it.
    /// Row-level atomicity elects one holder among instances sharing the database.
    async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: OffsetDateTime,
        ttl: Duration,
    ) -> StoreResult<bool>;

    /// Records a communication; the author's roles are read again in the transaction and must
    /// include top management. With `send_email`, queues one message per person in the audience
    /// in the same transaction.
    async fn record_communication(
        &self,
        by: &Account,
        input: CommunicationInput,
        today: Date,
    ) -> StoreResult<Communication>;
    /// Approved exceptions that lapsed before `today` and were not yet recorded as expired: marks
    /// each, with a `policy_exception.expired` event, and returns them (to tell the requester).
    async fn record_exception_expiries(&self, today: Date) -> StoreResult<Vec<PolicyException>>;

    async fn list_communications(&self, page: PageRequest) -> StoreResult<Page<Communication>>;
    async fn get_communication(&self, id: Uuid) -> StoreResult<Communication>;
}
