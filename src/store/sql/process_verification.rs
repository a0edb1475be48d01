// Shared SQL for verifying a process (included by `processes.rs`): by its owner or an ISMS
// manager, never moving the last verification back, with the conditional UPDATE as the gate.

/// Why a verification did not write (the UPDATE is the gate): someone recorded a later one, or
/// emptied how the ISMS is built in, between the checks and the write (409).
async fn verified_meanwhile(tx: &mut Tx, id: Uuid, today: Date) -> StoreResult<StoreError> {
    let process = get_process_in(&mut **tx, id, today).await?;
    let message = match process.last_verified_on {
        _ if process.integration.is_empty() => {
            "say how ISMS requirements are built into this process before verifying it".to_owned()
        }
        Some(last) => format!(
            "a later verification ({last}) was recorded meanwhile; this earlier one was not \
             recorded"
        ),
        None => "the process changed meanwhile; verify it again".to_owned(),
    };
    Ok(StoreError::Conflict(message))
}

async fn verify_process(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    input: VerificationInput,
    today: Date,
) -> StoreResult<Process> {
    let (verified_on, evidence) = input.validate(today).map_err(StoreError::Invalid)?;
    record_process_catalog(pool).await?;
    let mut tx = begin_write(pool).await?;
    let process = get_process_in(&mut *tx, id, today).await?;
    let owner = process.owner_id == Some(by.person_id);
    if !owner && !roles_now(&mut tx, by).await?.has_role(Role::IsmsManager) {
        return Err(StoreError::Forbidden(
            "only the process owner or an ISMS manager verifies a process".into(),
        ));
    }
    if process.integration.is_empty() {
        return Err(StoreError::Conflict(
            "say how ISMS requirements are built into this process before verifying it".into(),
        ));
    }
    if let Some(last) = process.last_verified_on.filter(|last| *last > verified_on) {
        return Err(StoreError::Invalid(FieldErrors::single(
            "verified_on",
            format!("is before the verification already recorded ({last})"),
        )));
    }
    let recorded = sqlx::query(
        "UPDATE processes SET last_verified_on = $2, last_verified_by = $3,
            evidence = COALESCE($4, evidence), updated_at = $5
         WHERE id = $1 AND integration <> ''
            AND (last_verified_on IS NULL OR last_verified_on <= $2)",
    )
    .bind(id)
    .bind(verified_on)
    .bind(by.person_id)
    .bind(evidence.as_deref())
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if recorded != 1 {
        return Err(verified_meanwhile(&mut tx, id, today).await?);
    }
    let after = get_process_in(&mut *tx, id, today).await?;
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "process.verified",
        "process",
        id,
        &after,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(after)
}
