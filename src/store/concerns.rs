//! The part of the store that keeps the confidential reporting channel: concerns, follow-up codes and the answers (A.6.8).
//!
//! The reporter's side takes no account: nothing about the caller reaches these methods, and
//! their audit events name the actor `anonymous reporter`. The handlers' side takes the account
//! and re-reads its roles in the transaction: only a concern handler reads or answers.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{StoreError, StoreResult};
use crate::domain::account::Account;
use crate::domain::concern::{
    Concern, ConcernFilter, ConcernInput, ConcernReceipt, ConcernSettings, ConcernSettingsInput,
    ConcernStatus, ConcernSummary, FollowUp,
};
use crate::domain::isms_status::ConcernCounts;
use crate::domain::{Page, PageRequest};

/// Why the reporter's side refused, beyond the store's own errors.
#[derive(Debug, thiserror::Error)]
pub enum ConcernError {
    /// New reports are switched off by the handlers (409).
    #[error(
        "The reporting channel is closed for new reports at the moment. Speak to your manager or the information security team, or try again later."
    )]
    ChannelClosed,
    /// A limit: reports or replies per minute across everyone, replies per concern per day, or
    /// (from the handlers) per network source per minute, which the store never sees (429).
    #[error("{0}")]
    Throttled(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ConcernError {
    fn from(error: sqlx::Error) -> Self {
        ConcernError::Store(StoreError::Database(error))
    }
}

#[async_trait]
pub trait ConcernStore: Send + Sync {
    /// Concerns by count only (never their contents), up to yesterday: only the concerns
    /// received before the start of `now`'s UTC day are counted, and the targets are those
    /// passed by then, so the counts change at most once a day with arrivals and polling them
    /// (open to managers on `/leadership` and in reports) never tells when a report came in.
    /// Received since `period_start`, open, past their receipt or response target, and by
    /// category and by status (each with every value, zeros included) over the concerns
    /// received since `period_start` or still open; statuses as they stand now.
    async fn concern_counts(
        &self,
        now: OffsetDateTime,
        period_start: Date,
    ) -> StoreResult<ConcernCounts>;

    /// The channel's settings (anyone: the report form says whether the channel is open).
    async fn concern_settings(&self) -> StoreResult<ConcernSettings>;

    /// Changes the settings (a concern handler only, 403 otherwise): `concern_settings.updated`.
    async fn update_concern_settings(
        &self,
        by: &Account,
        input: ConcernSettingsInput,
    ) -> StoreResult<ConcernSettings>;

    /// Records a new concern received at `at` with a new follow-up code, returned once. Refused
    /// when the channel is closed or the new reports of the last minute reach their limit.
    async fn report_concern(
        &self,
        input: ConcernInput,
        at: OffsetDateTime,
    ) -> Result<ConcernReceipt, ConcernError>;

    /// The concern the code opens; any code that opens none is `NotFound("report")`, whatever
    /// the reason.
    async fn follow_up_concern(&self, code: &str, at: OffsetDateTime) -> StoreResult<FollowUp>;

    /// The reporter's reply (`concern.replied`); refused on a closed concern (409) and beyond
    /// the replies' own per-minute limit or the per-day limit of the concern (429).
    async fn reply_to_concern(
        &self,
        code: &str,
        message: &str,
        at: OffsetDateTime,
    ) -> Result<FollowUp, ConcernError>;

    /// Concerns for a handler, those past a target first, then the newest; the page's total
    /// counts every match.
    async fn list_concerns(
        &self,
        by: &Account,
        filter: ConcernFilter,
        at: OffsetDateTime,
        page: PageRequest,
    ) -> StoreResult<Page<ConcernSummary>>;

    async fn get_concern(&self, by: &Account, id: Uuid, at: OffsetDateTime)
    -> StoreResult<Concern>;

    /// A handler's answer (`concern.answered`); the first one also acknowledges receipt.
    /// Refused (409) on a closed concern, also when the close commits while the answer waits.
    async fn answer_concern(
        &self,
        by: &Account,
        id: Uuid,
        message: &str,
        at: OffsetDateTime,
    ) -> StoreResult<Concern>;

    /// Moves a concern (see `ConcernStatus::may_become`; 409 otherwise, also when another
    /// handler moved it first).
    async fn set_concern_status(
        &self,
        by: &Account,
        id: Uuid,
        status: ConcernStatus,
        at: OffsetDateTime,
    ) -> StoreResult<Concern>;
}
