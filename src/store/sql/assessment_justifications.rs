// Shared SQL for "not applicable" justifications (included by `assessments.rs`): requested by
// whoever manages conformance, decided by top management (never the requester, roles read again
// in the transaction, the conditional UPDATE the gate), withdrawn; in force while approved and
// not past their expiry.

const JUSTIFICATION_SELECT: &str = "SELECT j.id, j.requirement_id, j.reason, j.expires_on,
        j.status, j.requested_by, ra.person_id AS requested_by_person,
        rp.name AS requested_by_name, j.requested_at, j.decided_by, dp.name AS decided_by_name,
        j.decided_at, j.decision_comment, wp.name AS withdrawn_by_name, j.withdrawn_at
    FROM conformance_justifications j
    JOIN accounts ra ON ra.id = j.requested_by
    JOIN people rp ON rp.id = ra.person_id
    LEFT JOIN accounts da ON da.id = j.decided_by
    LEFT JOIN people dp ON dp.id = da.person_id
    LEFT JOIN accounts wa ON wa.id = j.withdrawn_by
    LEFT JOIN people wp ON wp.id = wa.person_id";

fn justification_from_row(
    row: &DbRow,
    today: Date,
) -> Result<asmt::JustificationRecord, sqlx::Error> {
    let status: asmt::JustificationStatus = parse_column(row, "status")?;
    let expires_on: Option<Date> = row.try_get("expires_on")?;
    Ok(asmt::JustificationRecord {
        id: row.try_get("id")?,
        requirement_id: row.try_get("requirement_id")?,
        reason: row.try_get("reason")?,
        expires_on,
        status,
        state: asmt::JustificationState::on(status, expires_on, today),
        requested_by: row.try_get("requested_by")?,
        requested_by_person: row.try_get("requested_by_person")?,
        requested_by_name: row.try_get("requested_by_name")?,
        requested_at: row.try_get("requested_at")?,
        decided_by: row.try_get("decided_by")?,
        decided_by_name: row.try_get("decided_by_name")?,
        decided_at: row.try_get("decided_at")?,
        decision_comment: row.try_get("decision_comment")?,
        withdrawn_by_name: row.try_get("withdrawn_by_name")?,
        withdrawn_at: row.try_get("withdrawn_at")?,
    })
}

async fn get_justification_in<'e, E>(
    executor: E,
    id: Uuid,
    today: Date,
) -> StoreResult<asmt::JustificationRecord>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!("{JUSTIFICATION_SELECT} WHERE j.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?
        .ok_or(StoreError::NotFound("justification"))?;
    Ok(justification_from_row(&row, today)?)
}

async fn list_justifications(
    pool: &sqlx::Pool<Db>,
    today: Date,
) -> StoreResult<Vec<asmt::JustificationRecord>> {
    let rows = dynamic(format!(
        "{JUSTIFICATION_SELECT}
         ORDER BY CASE WHEN j.status = 'requested' THEN 0 ELSE 1 END, j.requested_at DESC, j.id DESC"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|row| justification_from_row(row, today))
        .collect::<Result<_, _>>()?)
}

/// Approved and not past their expiry on `today`, the latest decision first.
async fn approved_justifications(
    pool: &sqlx::Pool<Db>,
    today: Date,
) -> StoreResult<Vec<crate::domain::conformance::Justification>> {
    let rows = dynamic(format!(
        "{JUSTIFICATION_SELECT}
         WHERE j.status = 'approved' AND (j.expires_on IS NULL OR j.expires_on >= $1)
         ORDER BY j.decided_at DESC, j.id DESC"
    ))
    .bind(today)
    .fetch_all(pool)
    .await?;
    let mut approved = Vec::with_capacity(rows.len());
    for row in &rows {
        let record = justification_from_row(row, today)?;
        approved.push(crate::domain::conformance::Justification {
            requirement_id: record.requirement_id,
            reason: record.reason,
            approved_by: record.decided_by_name.unwrap_or_default(),
            approved_on: record.decided_at.map_or(today, |at| at.date()),
        });
    }
    Ok(approved)
}

fn justification_event(
    by: &Account,
    action: &str,
    record: &asmt::JustificationRecord,
) -> NewAuditEvent {
    NewAuditEvent::for_record(
        &account_actor(by),
        action,
        "conformance_justification",
        record.id,
        record,
    )
}

async fn request_justification(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: asmt::JustificationInput,
    today: Date,
) -> StoreResult<asmt::JustificationRecord> {
    let input = input.validate(today).map_err(StoreError::Invalid)?;
    let id = Uuid::now_v7();
    let mut tx = begin_write(pool).await?;
    let inserted = sqlx::query(
        "INSERT INTO conformance_justifications (id, requirement_id, reason, expires_on, status,
            requested_by, requested_at)
         VALUES ($1, $2, $3, $4, 'requested', $5, $6)",
    )
    .bind(id)
    .bind(input.requirement_id.as_str())
    .bind(input.reason.as_str())
    .bind(input.expires_on)
    .bind(by.id)
    .bind(now())
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(error) if is_unique_violation(&error) => {
            return Err(StoreError::Conflict(format!(
                "a justification for {} already awaits top management's decision",
                input.requirement_id
            )));
        }
        other => other?,
    };
    let record = get_justification_in(&mut *tx, id, today).await?;
    let event = justification_event(by, "conformance_justification.requested", &record);
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(record)
}

/// Whether the conditional UPDATE moved the justification on; otherwise 409 saying what it is.
async fn justification_still_open(
    tx: &mut Tx,
    id: Uuid,
    changed: u64,
    today: Date,
) -> StoreResult<()> {
    if changed == 1 {
        return Ok(());
    }
    let record = get_justification_in(&mut **tx, id, today).await?;
    let by = match (
        &record.status,
        &record.decided_by_name,
        &record.withdrawn_by_name,
    ) {
        (asmt::JustificationStatus::Withdrawn, _, Some(name)) => format!(" by {name}"),
        (_, Some(name), _) => format!(" by {name}"),
        _ => String::new(),
    };
    Err(StoreError::Conflict(format!(
        "this justification was already {}{by}; nothing was changed",
        record.status.as_str()
    )))
}

async fn decide_justification(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    decision: asmt::JustificationDecision,
    today: Date,
) -> StoreResult<asmt::JustificationRecord> {
    let decision = decision.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let record = get_justification_in(&mut *tx, id, today).await?;
    if !roles_now(&mut tx, by).await?.has_role(Role::TopManagement) {
        return Err(StoreError::Forbidden(
            "only a member of top management decides whether a requirement does not apply".into(),
        ));
    }
    if record.requested_by == by.id || record.requested_by_person == by.person_id {
        return Err(StoreError::Forbidden(
            "nobody decides their own request: another member of top management must decide it"
                .into(),
        ));
    }
    let (status, action) = if decision.approve {
        ("approved", "conformance_justification.approved")
    } else {
        ("rejected", "conformance_justification.rejected")
    };
    let done = sqlx::query(
        "UPDATE conformance_justifications
         SET status = $2, decided_by = $3, decided_at = $4, decision_comment = $5
         WHERE id = $1 AND status = 'requested'",
    )
    .bind(id)
    .bind(status)
    .bind(by.id)
    .bind(now())
    .bind(decision.comment.as_str())
    .execute(&mut *tx)
    .await?;
    justification_still_open(&mut tx, id, done.rows_affected(), today).await?;
    let after = get_justification_in(&mut *tx, id, today).await?;
    append_events(&mut tx, vec![justification_event(by, action, &after)]).await?;
    tx.commit().await?;
    Ok(after)
}

async fn withdraw_justification(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    today: Date,
) -> StoreResult<asmt::JustificationRecord> {
    let mut tx = begin_write(pool).await?;
    get_justification_in(&mut *tx, id, today).await?;
    let done = sqlx::query(
        "UPDATE conformance_justifications
         SET status = 'withdrawn', withdrawn_by = $2, withdrawn_at = $3
         WHERE id = $1 AND status IN ('requested', 'approved')",
    )
    .bind(id)
    .bind(by.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    justification_still_open(&mut tx, id, done.rows_affected(), today).await?;
    let after = get_justification_in(&mut *tx, id, today).await?;
    let event = justification_event(by, "conformance_justification.withdrawn", &after);
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(after)
}
