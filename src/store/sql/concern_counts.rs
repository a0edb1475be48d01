// Shared SQL for the concern counts a management-review pack or a performance report may show:
// counted by the database, never a concern's content, and only up to yesterday (see
// `concern_counts`). Included by `concerns.rs`.

/// The start of `now`'s UTC day: the counts take in only what happened before it.
fn concern_count_cutoff(now: OffsetDateTime) -> OffsetDateTime {
    now.to_offset(time::UtcOffset::UTC)
        .date()
        .midnight()
        .assume_utc()
}

/// Counts only the concerns received before the start of `now`'s UTC day, and the targets
/// passed by then: read live by `/leadership` and the report preview, which managers open, a
/// count that moved the moment a report arrived (or a target fell due, a fixed time after it)
/// would tell them when someone reported. Up to yesterday, polling tells at most the day.
async fn concern_counts(
    pool: &sqlx::Pool<Db>,
    now: OffsetDateTime,
    period_start: Date,
) -> StoreResult<ConcernCounts> {
    let start = period_start.midnight().assume_utc();
    let cutoff = concern_count_cutoff(now);
    let mut tx = begin_snapshot(pool).await?;
    let totals = sqlx::query(
        "SELECT COUNT(CASE WHEN received_at >= $1 THEN 1 END) AS received_in_period,
            COUNT(CASE WHEN status <> 'closed' THEN 1 END) AS open,
            COUNT(CASE WHEN status <> 'closed' AND acknowledged_at IS NULL
                AND receipt_due_at < $2 THEN 1 END) AS receipt_overdue,
            COUNT(CASE WHEN status <> 'closed' AND first_answered_at IS NULL
                AND response_due_at < $2 THEN 1 END) AS response_overdue
         FROM concerns WHERE received_at < $2",
    )
    .bind(start)
    .bind(cutoff)
    .fetch_one(&mut *tx)
    .await?;
    let by_category = concern_groups(&mut tx, "category", start, cutoff).await?;
    let by_status = concern_groups(&mut tx, "status", start, cutoff).await?;
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

/// Concerns received before `cutoff` and either since `start` or still open, counted by
/// `column` (a fixed column name).
async fn concern_groups(
    tx: &mut Tx,
    column: &'static str,
    start: OffsetDateTime,
    cutoff: OffsetDateTime,
) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows = dynamic(format!(
        "SELECT {column} AS value, COUNT(*) AS n FROM concerns
         WHERE received_at < $2 AND (received_at >= $1 OR status <> 'closed')
         GROUP BY {column}"
    ))
    .bind(start)
    .bind(cutoff)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("value")?, r.try_get("n")?)))
        .collect()
}
