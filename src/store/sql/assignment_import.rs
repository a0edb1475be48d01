// Shared SQL for writing many assignments at once (the demo's benchmark load): multi-row inserts
// in one transaction with one audit event; no segregation check and no notices, so no route
// reaches it.

const ASSIGNMENT_WRITE_COLUMNS: &str = "id, role_id, person_id, scope_kind, scope_unit_id,
    scope_name, deputy, starts_on, ends_on, reason, assigned_by, acknowledged_at,
    acknowledged_statement, created_at";

async fn write_assignments(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    batch: &[AssignmentWrite],
) -> StoreResult<()> {
    let at = now();
    let mut tx = begin_write(pool).await?;
    for chunk in batch.chunks(300) {
        let sql = format!(
            "INSERT INTO role_assignments ({ASSIGNMENT_WRITE_COLUMNS}) VALUES {}",
            values_placeholders(PLACEHOLDERS, chunk.len(), 14)
        );
        let mut query = dynamic(sql);
        for w in chunk {
            let input = &w.input;
            let acknowledged = w.acknowledged.then_some(at);
            query = query
                .bind(w.id)
                .bind(input.role_id)
                .bind(input.person_id)
                .bind(input.scope.kind())
                .bind(input.scope.unit_id())
                .bind(input.scope.name().map(str::to_owned))
                .bind(input.deputy)
                .bind(input.starts_on)
                .bind(input.ends_on)
                .bind(input.reason.as_str())
                .bind(by.id)
                .bind(acknowledged)
                .bind(
                    w.acknowledged
                        .then_some("Acknowledged when the register was loaded."),
                )
                .bind(at);
        }
        query.execute(&mut *tx).await?;
    }
    let ids: Vec<Uuid> = batch.iter().map(|w| w.id).collect();
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "role_assignment.loaded",
        "role_assignments",
        ids.first().copied().unwrap_or_else(Uuid::nil),
        &ids,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    if let Some(sql) = REFRESH_ASSIGNMENT_STATS {
        sqlx::query(sql).execute(pool).await?;
    }
    Ok(())
}
