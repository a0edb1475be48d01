// Shared SQL for campaign coverage: counts under a filter, counts per unit in one GROUP BY, and
// acknowledgments per day. `ACK_DAY` (the UTC day of `k.acknowledged_at`) comes from the backend.

/// Total, acknowledged and overdue among the rows matched, with today at placeholder `today`.
fn coverage_columns(today: usize) -> String {
    format!(
        "COUNT(*) AS n_total,
        COALESCE(SUM(CASE WHEN k.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS n_acknowledged,
        COALESCE(SUM(CASE WHEN k.acknowledged_at IS NULL AND k.due_on < ${today} THEN 1 ELSE 0 END), 0)
            AS n_overdue"
    )
}

async fn coverage_counts(
    pool: &sqlx::Pool<Db>,
    campaign_id: Uuid,
    filter: &AckFilter,
    today: Date,
) -> StoreResult<CoverageCounts> {
    let conditions = ack_conditions(campaign_id, filter, today);
    let sql = format!(
        "SELECT {} FROM {}{}",
        coverage_columns(conditions.next_placeholder()),
        ack_from(filter),
        conditions.where_sql()
    );
    let row = bind_args(dynamic(sql), &conditions.args)
        .bind(today)
        .fetch_one(pool)
        .await?;
    Ok(counts_from_row(&row)?)
}

async fn coverage_by_unit(
    pool: &sqlx::Pool<Db>,
    campaign_id: Uuid,
    filter: &AckFilter,
    today: Date,
) -> StoreResult<HashMap<Uuid, CoverageCounts>> {
    let mut conditions = ack_conditions(campaign_id, filter, today);
    conditions.add_fixed("p.unit_id IS NOT NULL");
    let sql = format!(
        "SELECT p.unit_id, {} FROM acknowledgments k JOIN people p ON p.id = k.person_id{}
         GROUP BY p.unit_id",
        coverage_columns(conditions.next_placeholder()),
        conditions.where_sql()
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .bind(today)
        .fetch_all(pool)
        .await?;
    let mut by_unit = HashMap::with_capacity(rows.len());
    for row in rows {
        by_unit.insert(row.try_get("unit_id")?, counts_from_row(&row)?);
    }
    Ok(by_unit)
}

async fn acknowledgments_per_day(
    pool: &sqlx::Pool<Db>,
    campaign_id: Uuid,
    filter: &AckFilter,
) -> StoreResult<Vec<(Date, i64)>> {
    let today = OffsetDateTime::now_utc().date();
    let mut conditions = ack_conditions(campaign_id, filter, today);
    conditions.add_fixed("k.acknowledged_at IS NOT NULL");
    let sql = format!(
        "SELECT {ACK_DAY} AS day, COUNT(*) AS acknowledged FROM {}{}
         GROUP BY {ACK_DAY} ORDER BY {ACK_DAY}",
        ack_from(filter),
        conditions.where_sql()
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .fetch_all(pool)
        .await?;
    let mut days = Vec::with_capacity(rows.len());
    for row in rows {
        days.push((row.try_get("day")?, row.try_get("acknowledged")?));
    }
    Ok(days)
}
