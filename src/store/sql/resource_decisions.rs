// Shared SQL for moving a resource request on (included by `resources.rs`): top management's
// decision (never the requester's) and the requester's withdrawal, the conditional UPDATE the gate.

/// Whether the conditional UPDATE moved the request on: it only moves one still waiting, so of
/// two people deciding or withdrawing at once only one does; the other is told what happened
/// (409) and writes nothing.
async fn still_waiting(tx: &mut Tx, id: Uuid, changed: u64) -> StoreResult<()> {
    if changed == 1 {
        return Ok(());
    }
    let record = get_resource_in(&mut **tx, id).await?;
    let by = match (record.status, record.decided_by_name) {
        (CommitmentStatus::Withdrawn, _) => " by its requester".to_owned(),
        (_, Some(name)) => format!(" by {name}"),
        (_, None) => String::new(),
    };
    Err(StoreError::Conflict(format!(
        "this request was already {}{by}; nothing was changed",
        record.status.as_str()
    )))
}

async fn decide_resources(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    decision: ResourceDecisionInput,
) -> StoreResult<ResourceCommitment> {
    let decision = decision.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let record = get_resource_in(&mut *tx, id).await?;
    if !roles_now(&mut tx, by).await?.has_role(Role::TopManagement) {
        return Err(StoreError::Forbidden(
            "only a member of top management decides on resources".into(),
        ));
    }
    if record.requested_by == by.person_id {
        return Err(StoreError::Forbidden(
            "nobody decides their own request: another member of top management must decide it"
                .into(),
        ));
    }
    let (status, action) = match decision.decision {
        ResourceDecision::Approve => ("approved", "resource_commitment.approved"),
        ResourceDecision::Reject => ("rejected", "resource_commitment.rejected"),
    };
    let done = sqlx::query(
        "UPDATE resource_commitments SET status = $2, decided_by = $3, decided_at = $4,
            decision_comment = $5
         WHERE id = $1 AND status = 'requested'",
    )
    .bind(id)
    .bind(status)
    .bind(by.person_id)
    .bind(now())
    .bind(decision.comment.as_str())
    .execute(&mut *tx)
    .await?;
    still_waiting(&mut tx, id, done.rows_affected()).await?;
    let after = get_resource_in(&mut *tx, id).await?;
    append_events(&mut tx, vec![resource_event(by, action, &after)]).await?;
    tx.commit().await?;
    Ok(after)
}

async fn withdraw_resources(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
) -> StoreResult<ResourceCommitment> {
    let mut tx = begin_write(pool).await?;
    let record = get_resource_in(&mut *tx, id).await?;
    if record.requested_by != by.person_id {
        return Err(StoreError::Forbidden(
            "only the person who asked may withdraw a request".into(),
        ));
    }
    let done = sqlx::query(
        "UPDATE resource_commitments SET status = 'withdrawn', withdrawn_at = $2
         WHERE id = $1 AND status = 'requested'",
    )
    .bind(id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    still_waiting(&mut tx, id, done.rows_affected()).await?;
    let after = get_resource_in(&mut *tx, id).await?;
    let event = resource_event(by, "resource_commitment.withdrawn", &after);
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(after)
}
