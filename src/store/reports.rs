//! The part of the store that keeps performance reports: frozen snapshots submitted to and signed
//! off by top management (5.1.e, 5.3.b).

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::StoreResult;
use crate::domain::account::Account;
use crate::domain::report::{
    PerformanceReport, PerformanceReportDetail, ReportInput, ReporterRole, SignOffInput,
};

#[async_trait]
pub trait ReportStore: Send + Sync {
    /// The catalog role flagged `performance_reporter` and its holders on `today` (none when no
    /// role is flagged).
    async fn performance_reporter(&self, today: Date) -> StoreResult<Option<ReporterRole>>;
    /// Freezes the state of the ISMS at `now` as a new report and submits it to top management
    /// (each member is sent a notice through the outbox). Only a holder, today, of the reporter
    /// role generates one (403 naming the role and its holders), checked again inside the
    /// transaction that writes it.
    async fn generate_report(
        &self,
        by: &Account,
        input: ReportInput,
        now: OffsetDateTime,
    ) -> StoreResult<PerformanceReportDetail>;
    /// Signs a submitted report off with comments: the signer holds top management today and
    /// did not generate it (403); a signed report does not change (409).
    async fn sign_off_report(
        &self,
        by: &Account,
        id: Uuid,
        input: SignOffInput,
    ) -> StoreResult<PerformanceReportDetail>;
    async fn get_report(&self, id: Uuid) -> StoreResult<PerformanceReportDetail>;
    /// Every report, newest first, without snapshots.
    async fn list_reports(&self) -> StoreResult<Vec<PerformanceReport>>;
    /// The newest report, if any.
    async fn latest_report(&self) -> StoreResult<Option<PerformanceReport>>;
    /// The reports submitted and not yet signed off that `person` did not generate (nobody
    /// signs their own), newest first, without snapshots.
    async fn reports_awaiting_sign_off(&self, person: Uuid) -> StoreResult<Vec<PerformanceReport>>;
}
