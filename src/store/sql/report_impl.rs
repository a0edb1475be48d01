// The `ReportStore` trait for the including backend, delegating to the shared SQL functions.

#[async_trait::async_trait]
impl ReportStore for StoreImpl {
    async fn performance_reporter(
        &self,
        today: Date,
    ) -> StoreResult<Option<perf_report::ReporterRole>> {
        performance_reporter(&self.pool, today).await
    }

    /// Refuses a caller who does not hold the reporter role before reading the state of the ISMS
    /// (the costly part), reads it outside the write transaction, and checks again inside it.
    async fn generate_report(
        &self,
        by: &Account,
        input: perf_report::ReportInput,
        now: OffsetDateTime,
    ) -> StoreResult<perf_report::PerformanceReportDetail> {
        let input = input.validate().map_err(StoreError::Invalid)?;
        let now = truncate_to_micros(now);
        let mut tx = begin_snapshot(&self.pool).await?;
        check_performance_reporter(&mut tx, by, now.date()).await?;
        tx.commit().await?;
        let status = crate::isms_status::read_isms_status(self, now).await?;
        generate_performance_report(&self.pool, by, input, &status).await
    }

    async fn sign_off_report(
        &self,
        by: &Account,
        id: Uuid,
        input: perf_report::SignOffInput,
    ) -> StoreResult<perf_report::PerformanceReportDetail> {
        sign_off_performance_report(&self.pool, by, id, input).await
    }

    async fn get_report(&self, id: Uuid) -> StoreResult<perf_report::PerformanceReportDetail> {
        get_performance_report_in(&self.pool, id).await
    }

    async fn list_reports(&self) -> StoreResult<Vec<perf_report::PerformanceReport>> {
        list_performance_reports(&self.pool, None, None).await
    }

    async fn latest_report(&self) -> StoreResult<Option<perf_report::PerformanceReport>> {
        Ok(list_performance_reports(&self.pool, None, Some(1))
            .await?
            .into_iter()
            .next())
    }

    async fn reports_awaiting_sign_off(
        &self,
        person: Uuid,
    ) -> StoreResult<Vec<perf_report::PerformanceReport>> {
        list_performance_reports(&self.pool, Some(person), None).await
    }
}
