// Shared SQL for exceptions to policies: requests, decisions, withdrawals and the register.

const EXCEPTION_COLUMNS: &str = "e.id, e.policy_id, pol.title AS policy_title, e.scope,
    e.justification, e.risk, e.compensating_controls, e.requested_expiry, e.requested_by,
    rp.name AS requester_name, e.status, e.decided_by, dp.name AS decider_name, e.decided_at,
    e.decision_note, e.expires_on, e.renewal_of, e.created_at";
const EXCEPTION_FROM: &str = "policy_exceptions e JOIN policies pol ON pol.id = e.policy_id
    JOIN accounts ra ON ra.id = e.requested_by JOIN people rp ON rp.id = ra.person_id
    LEFT JOIN accounts da ON da.id = e.decided_by LEFT JOIN people dp ON dp.id = da.person_id";

fn exception_from_row(row: &DbRow, today: Date) -> Result<PolicyException, sqlx::Error> {
    let status: ExceptionStatus = parse_column(row, "status")?;
    let expires_on: Option<Date> = row.try_get("expires_on")?;
    Ok(PolicyException {
        id: row.try_get("id")?,
        policy_id: row.try_get("policy_id")?,
        policy_title: row.try_get("policy_title")?,
        scope: row.try_get("scope")?,
        justification: row.try_get("justification")?,
        risk: row.try_get("risk")?,
        compensating_controls: row.try_get("compensating_controls")?,
        requested_expiry: row.try_get("requested_expiry")?,
        requested_by: row.try_get("requested_by")?,
        requester_name: row.try_get("requester_name")?,
        status,
        state: PolicyException::state_on(status, expires_on, today),
        decided_by: row.try_get("decided_by")?,
        decider_name: row.try_get("decider_name")?,
        decided_at: row.try_get("decided_at")?,
        decision_note: row.try_get("decision_note")?,
        expires_on,
        renewal_of: row.try_get("renewal_of")?,
        created_at: row.try_get("created_at")?,
    })
}

async fn get_exception_in<'e, E>(executor: E, id: Uuid, today: Date) -> StoreResult<PolicyException>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "SELECT {EXCEPTION_COLUMNS} FROM {EXCEPTION_FROM} WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|r| exception_from_row(&r, today))
        .transpose()?
        .ok_or(StoreError::NotFound("exception"))
}

fn exception_event(by: &Account, action: &str, exception: &PolicyException) -> NewAuditEvent {
    NewAuditEvent::for_record(
        &account_actor(by),
        action,
        "policy_exception",
        exception.id,
        exception,
    )
}

async fn request_exception(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    policy_id: Uuid,
    input: ExceptionInput,
    today: Date,
) -> StoreResult<PolicyException> {
    let mut tx = begin_write(pool).await?;
    get_policy_in(&mut *tx, policy_id).await?;
    if let Some(renewed) = input.renewal_of {
        let previous = get_exception_in(&mut *tx, renewed, today).await?;
        if previous.policy_id != policy_id || previous.status != ExceptionStatus::Approved {
            return Err(StoreError::Invalid(FieldErrors::single(
                "renewal_of",
                "must be an approved exception to the same policy",
            )));
        }
    }
    let id = Uuid::now_v7();
    let at = now();
    sqlx::query(
        "INSERT INTO policy_exceptions (id, policy_id, scope, justification, risk,
            compensating_controls, requested_expiry, requested_by, status, decision_note,
            renewal_of, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', '', $9, $10, $10)",
    )
    .bind(id)
    .bind(policy_id)
    .bind(input.scope.as_str())
    .bind(input.justification.as_str())
    .bind(input.risk.as_str())
    .bind(input.compensating_controls.as_str())
    .bind(input.requested_expiry)
    .bind(by.id)
    .bind(input.renewal_of)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let exception = get_exception_in(&mut *tx, id, today).await?;
    append_events(
        &mut tx,
        vec![exception_event(
            by,
            "policy_exception.requested",
            &exception,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(exception)
}

async fn decide_exception(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    decision: ExceptionDecisionInput,
    today: Date,
) -> StoreResult<PolicyException> {
    let mut tx = begin_write(pool).await?;
    let exception = get_exception_in(&mut *tx, id, today).await?;
    if exception.status != ExceptionStatus::Requested {
        return Err(StoreError::Conflict(format!(
            "this exception is already {}",
            exception.state.label().to_lowercase()
        )));
    }
    let policy = get_policy_in(&mut *tx, exception.policy_id).await?;
    let decider = roles_now(&mut tx, by).await?;
    if !decider.has_role(policy.approver_role) {
        return Err(StoreError::Forbidden(format!(
            "only a holder of the {} role may decide exceptions to this policy",
            policy.approver_role
        )));
    }
    if exception.requested_by == by.id {
        return Err(StoreError::Forbidden(
            "you requested this exception, so you cannot decide on it".into(),
        ));
    }
    let note = decision.note.trim();
    let expires_on = decision.expires_on.unwrap_or(exception.requested_expiry);
    let mut errors = FieldErrors::new();
    if !decision.approve && note.is_empty() {
        errors.add("note", "say why the exception is rejected");
    }
    if decision.approve && (expires_on <= today || expires_on > exception.requested_expiry) {
        errors.add(
            "expires_on",
            "must be after today and no later than the requested expiry",
        );
    }
    errors.into_result().map_err(StoreError::Invalid)?;
    sqlx::query(
        "UPDATE policy_exceptions SET status = $2, decided_by = $3, decided_at = $4,
            decision_note = $5, expires_on = $6, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(if decision.approve {
        "approved"
    } else {
        "rejected"
    })
    .bind(by.id)
    .bind(now())
    .bind(note)
    .bind(decision.approve.then_some(expires_on))
    .execute(&mut *tx)
    .await?;
    let after = get_exception_in(&mut *tx, id, today).await?;
    let action = if decision.approve {
        "policy_exception.approved"
    } else {
        "policy_exception.rejected"
    };
    append_events(&mut tx, vec![exception_event(by, action, &after)]).await?;
    tx.commit().await?;
    Ok(after)
}

async fn withdraw_exception(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    today: Date,
) -> StoreResult<PolicyException> {
    let mut tx = begin_write(pool).await?;
    let exception = get_exception_in(&mut *tx, id, today).await?;
    if exception.requested_by != by.id {
        return Err(StoreError::Forbidden(
            "only the requester may withdraw an exception request".into(),
        ));
    }
    if exception.status != ExceptionStatus::Requested {
        return Err(StoreError::Conflict(format!(
            "this exception is already {}",
            exception.state.label().to_lowercase()
        )));
    }
    sqlx::query("UPDATE policy_exceptions SET status = 'withdrawn', updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    let after = get_exception_in(&mut *tx, id, today).await?;
    append_events(
        &mut tx,
        vec![exception_event(by, "policy_exception.withdrawn", &after)],
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

async fn list_exceptions(
    pool: &sqlx::Pool<Db>,
    filter: &ExceptionFilter,
    today: Date,
    page: PageRequest,
) -> StoreResult<Page<PolicyException>> {
    let mut conditions = Conditions::default();
    if let Some(policy) = filter.policy_id {
        conditions.add("e.policy_id = {}", Arg::Uuid(policy));
    }
    match filter.state {
        Some(ExceptionState::Active) => conditions.add(
            "e.status = 'approved' AND e.expires_on >= {}",
            Arg::Date(today),
        ),
        Some(ExceptionState::Expired) => conditions.add(
            "e.status = 'approved' AND e.expires_on < {}",
            Arg::Date(today),
        ),
        Some(other) => conditions.add("e.status = {}", Arg::Text(other.as_str().to_owned())),
        None => {}
    }
    let where_sql = conditions.where_sql();
    let counting = dynamic(format!(
        "SELECT COUNT(*) FROM policy_exceptions e{where_sql}"
    ));
    let total = count(bind_args(counting, &conditions.args), pool).await?;
    let n = conditions.next_placeholder();
    let sql = format!(
        "SELECT {EXCEPTION_COLUMNS} FROM {EXCEPTION_FROM}{where_sql}
         ORDER BY CASE e.status WHEN 'requested' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END,
            e.created_at DESC, e.id LIMIT ${n} OFFSET ${}",
        n + 1
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(pool)
        .await?;
    let items = rows
        .iter()
        .map(|row| exception_from_row(row, today))
        .collect::<Result<_, _>>()?;
    Ok(Page::new(items, page, total))
}
