// Shared SQL for tasks delegated by the holder of an assignment (accountability stays with them).

const DELEGATION_COLUMNS: &str = "d.id, d.assignment_id, ra.role_id, o.name AS role_name,
    ra.person_id AS delegator_id, hp.name AS delegator_name, d.delegate_person_id,
    d.delegate_provider, dp.name AS delegate_person_name, d.task, d.starts_on, d.ends_on,
    d.revoked_at, d.created_at";
const DELEGATION_FROM: &str = "delegations d JOIN role_assignments ra ON ra.id = d.assignment_id
    JOIN org_roles o ON o.id = ra.role_id JOIN people hp ON hp.id = ra.person_id
    LEFT JOIN people dp ON dp.id = d.delegate_person_id";

fn delegation_from_row(row: &DbRow, today: Date) -> Result<Delegation, sqlx::Error> {
    let person: Option<Uuid> = row.try_get("delegate_person_id")?;
    let provider: Option<String> = row.try_get("delegate_provider")?;
    let (delegate, delegate_name) = match (person, provider) {
        (Some(person_id), _) => (
            Delegate::Person { person_id },
            row.try_get::<Option<String>, _>("delegate_person_name")?
                .unwrap_or_default(),
        ),
        (None, Some(provider)) => (
            Delegate::External {
                provider: provider.clone(),
            },
            provider,
        ),
        (None, None) => {
            return Err(sqlx::Error::ColumnDecode {
                index: "delegate_person_id".into(),
                source: "a delegation without a delegate".into(),
            });
        }
    };
    let starts_on: Date = row.try_get("starts_on")?;
    let ends_on: Date = row.try_get("ends_on")?;
    let revoked_at: Option<OffsetDateTime> = row.try_get("revoked_at")?;
    let state = if revoked_at.is_some() {
        TenureState::Ended
    } else {
        TenureState::on(starts_on, Some(ends_on), today)
    };
    Ok(Delegation {
        id: row.try_get("id")?,
        assignment_id: row.try_get("assignment_id")?,
        role_id: row.try_get("role_id")?,
        role_name: row.try_get("role_name")?,
        delegator_id: row.try_get("delegator_id")?,
        delegator_name: row.try_get("delegator_name")?,
        delegate,
        delegate_name,
        task: row.try_get("task")?,
        starts_on,
        ends_on,
        revoked_at,
        state,
        created_at: row.try_get("created_at")?,
    })
}

async fn get_delegation_in<'e, E>(executor: E, id: Uuid, today: Date) -> StoreResult<Delegation>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "SELECT {DELEGATION_COLUMNS} FROM {DELEGATION_FROM} WHERE d.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|r| delegation_from_row(&r, today))
        .transpose()?
        .ok_or(StoreError::NotFound("delegation"))
}

async fn delegate_task(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: DelegationInput,
    today: Date,
) -> StoreResult<Delegation> {
    let input = input.validate(today).map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let assignment = match get_assignment_in(&mut *tx, input.assignment_id, today).await {
        Err(StoreError::NotFound(_)) => {
            return Err(StoreError::Invalid(FieldErrors::single(
                "assignment_id",
                "is not a known assignment",
            )));
        }
        other => other?,
    };
    check_delegation(&mut tx, by, &assignment, &input).await?;
    let id = Uuid::now_v7();
    let (person, provider) = match &input.delegate {
        Delegate::Person { person_id } => (Some(*person_id), None),
        Delegate::External { provider } => (None, Some(provider.as_str())),
    };
    sqlx::query(
        "INSERT INTO delegations (id, assignment_id, delegate_person_id, delegate_provider, task,
            starts_on, ends_on, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(assignment.id)
    .bind(person)
    .bind(provider)
    .bind(input.task.as_str())
    .bind(input.starts_on)
    .bind(input.ends_on)
    .bind(by.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let delegation = get_delegation_in(&mut *tx, id, today).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            &account_actor(by),
            "delegation.created",
            "delegation",
            id,
            &delegation,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(delegation)
}

/// Only the holder of a current assignment delegates, to someone else who has not departed, for a
/// period inside the tenure.
async fn check_delegation(
    tx: &mut Tx,
    by: &Account,
    assignment: &Assignment,
    input: &DelegationInput,
) -> StoreResult<()> {
    if assignment.person_id != by.person_id {
        return Err(StoreError::Forbidden(format!(
            "only {}, who holds this role, can delegate its tasks",
            assignment.person_name
        )));
    }
    if assignment.state != TenureState::Current {
        return Err(StoreError::Conflict(format!(
            "this assignment is not held today ({}); only a role held now can be delegated",
            match assignment.state {
                TenureState::Upcoming => "it starts later",
                _ => "it has ended",
            }
        )));
    }
    let mut errors = FieldErrors::new();
    if let Delegate::Person { person_id } = input.delegate {
        let status = sqlx::query("SELECT status FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&mut **tx)
            .await?
            .map(|row| row.try_get::<String, _>("status"))
            .transpose()?;
        match status.as_deref() {
            None => errors.add("delegate.person_id", "is not a known person"),
            Some("departed") => errors.add("delegate.person_id", "has departed"),
            Some(_) if person_id == assignment.person_id => errors.add(
                "delegate.person_id",
                "a person cannot delegate a task to themselves",
            ),
            Some(_) => {}
        }
    }
    if input.starts_on < assignment.starts_on {
        errors.add(
            "starts_on",
            format!("is before the assignment starts ({})", assignment.starts_on),
        );
    }
    if let Some(end) = assignment.ends_on.filter(|end| input.ends_on > *end) {
        errors.add(
            "ends_on",
            format!("is after the assignment ends ({end}); a delegation lies within the tenure"),
        );
    }
    errors.into_result().map_err(StoreError::Invalid)
}

async fn revoke_delegation(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    today: Date,
) -> StoreResult<Delegation> {
    let mut tx = begin_write(pool).await?;
    let current = get_delegation_in(&mut *tx, id, today).await?;
    let manages = by.has_role(Role::Admin) || by.has_role(Role::IsmsManager);
    if current.delegator_id != by.person_id && !manages {
        return Err(StoreError::Forbidden(format!(
            "only {}, who delegated it, or an ISMS manager can revoke this delegation",
            current.delegator_name
        )));
    }
    if current.revoked_at.is_some() {
        return Err(StoreError::Conflict(
            "this delegation was already revoked".into(),
        ));
    }
    if current.state == TenureState::Ended {
        return Err(StoreError::Conflict(format!(
            "this delegation already ended on {}",
            current.ends_on
        )));
    }
    sqlx::query("UPDATE delegations SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    let delegation = get_delegation_in(&mut *tx, id, today).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            &account_actor(by),
            "delegation.revoked",
            "delegation",
            id,
            &delegation,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(delegation)
}

async fn get_delegation(pool: &sqlx::Pool<Db>, id: Uuid, today: Date) -> StoreResult<Delegation> {
    get_delegation_in(pool, id, today).await
}

async fn list_delegations(
    pool: &sqlx::Pool<Db>,
    filter: &DelegationFilter,
    today: Date,
) -> StoreResult<Vec<Delegation>> {
    let mut conditions = Conditions::default();
    if let Some(delegator) = filter.delegator_id {
        conditions.add("ra.person_id = {}", Arg::Uuid(delegator));
    }
    if let Some(delegate) = filter.delegate_id {
        conditions.add("d.delegate_person_id = {}", Arg::Uuid(delegate));
    }
    if let Some(assignment) = filter.assignment_id {
        conditions.add("d.assignment_id = {}", Arg::Uuid(assignment));
    }
    if let Some(day) = filter.in_force_on {
        conditions.add(
            "d.revoked_at IS NULL AND d.starts_on <= {} AND d.ends_on >= {}",
            Arg::Date(day),
        );
    }
    let sql = format!(
        "SELECT {DELEGATION_COLUMNS} FROM {DELEGATION_FROM}{}
         ORDER BY d.starts_on DESC, d.created_at DESC, d.id",
        conditions.where_sql()
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .iter()
        .map(|r| delegation_from_row(r, today))
        .collect::<Result<_, _>>()?)
}
