// Shared SQL for the concern counts a management-review pack or a performance report may show:
// counted by the database, never a concern's content. Included by `concerns.rs`.

async fn concern_counts(
    pool: &sqlx::Pool<Db>,
    now: OffsetDateTime,
    period_start: Date,
) -> StoreResult<ConcernCounts> {
    let start = period_start.midnight().assume_utc();
    let mut tx = begin_snapshot(pool).await?;
    let totals = sqlx::query(
        "SELECT COUNT(CASE WHEN received_at >= $1 THEN 1 END) AS received_in_period,
            COUNT(CASE WHEN status <> 'closed' THEN 1 END) AS open,
            COUNT(CASE WHEN status <> 'closed' AND acknowledged_at IS NULL
                AND receipt_due_at < $2 THEN 1 END) AS receipt_overdue,
            COUNT(CASE WHEN status <> 'closed' AND first_answered_at IS NULL
                AND response_due_at < $2 THEN 1 END) AS response_overdue
         FROM concerns",
    )
    .bind(start)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let by_category = concern_groups(&mut tx, "category", start).await?;
    let by_status = concern_groups(&mut tx, "status", start).await?;
    Ok(ConcernCounts {
        received_in_period: totals.try_get("received_in_period")?,
        open: totals.try_get("open")?,
        receipt_overdue: totals.try_get("receipt_overdue")?,
        response_overdue: totals.try_get("response_overdue")?,
        by_category: ConcernCategory::ALL
            .iter()
            .map(|c| concern_count_line(c.label(), by_category.get(c.as_str())))
            .collect(),
        by_status: ConcernStatus::ALL
            .iter()
            .map(|s| concern_count_line(s.label(), by_status.get(s.as_str())))
            .collect(),
    })
}

fn concern_count_line(label: &str, count: Option<&i64>) -> CountLine {
    CountLine {
        label: label.to_owned(),
        count: count.copied().unwrap_or(0),
    }
}

/// Concerns received since `start` or still open, counted by `column` (a fixed column name).
async fn concern_groups(
    tx: &mut Tx,
    column: &'static str,
    start: OffsetDateTime,
) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows = dynamic(format!(
        "SELECT {column} AS value, COUNT(*) AS n FROM concerns
         WHERE received_at >= $1 OR status <> 'closed' GROUP BY {column}"
    ))
    .bind(start)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("value")?, r.try_get("n")?)))
        .collect()
}
