// Shared SQL for measurements: appended, never changed (the table refuses UPDATE and DELETE); a
// correction is a new row naming the one it corrects, at most one correction per row. Also how
// every write holds its objective's row, so measurements, edits and retirements keep their order.

const MEASUREMENT_SELECT: &str = "SELECT m.id, m.objective_id, m.value, m.measured_at, m.source,
        m.recorded_by, p.name AS recorded_by_name, m.recorded_at, m.corrects_id,
        c.id AS corrected_by
    FROM objective_measurements m
    JOIN accounts a ON a.id = m.recorded_by JOIN people p ON p.id = a.person_id
    LEFT JOIN objective_measurements c ON c.corrects_id = m.id";

fn measurement_from_row(row: &DbRow) -> Result<Measurement, sqlx::Error> {
    Ok(Measurement {
        id: row.try_get("id")?,
        objective_id: row.try_get("objective_id")?,
        value: row.try_get("value")?,
        measured_at: row.try_get("measured_at")?,
        source: row.try_get("source")?,
        recorded_by: row.try_get("recorded_by")?,
        recorded_by_name: row.try_get("recorded_by_name")?,
        recorded_at: row.try_get("recorded_at")?,
        corrects_id: row.try_get("corrects_id")?,
        corrected_by: row.try_get("corrected_by")?,
    })
}

async fn measurement_in(tx: &mut Tx, id: Uuid) -> StoreResult<Option<Measurement>> {
    let row = dynamic(format!("{MEASUREMENT_SELECT} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|r| measurement_from_row(&r)).transpose()?)
}

async fn list_measurements(
    pool: &sqlx::Pool<Db>,
    objective_id: Uuid,
) -> StoreResult<Vec<Measurement>> {
    let mut tx = begin_snapshot(pool).await?;
    let known = sqlx::query("SELECT 1 FROM objectives WHERE id = $1")
        .bind(objective_id)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(StoreError::NotFound("objective"));
    }
    let rows = dynamic(format!(
        "{MEASUREMENT_SELECT} WHERE m.objective_id = $1
         ORDER BY m.measured_at, m.recorded_at, m.id"
    ))
    .bind(objective_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .iter()
        .map(measurement_from_row)
        .collect::<Result<_, _>>()?)
}

async fn record_measurement(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    objective_id: Uuid,
    input: MeasurementInput,
) -> StoreResult<Measurement> {
    let recorded_at = now();
    let input = input.validate(recorded_at).map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    lock_objective(&mut tx, objective_id, ObjectiveLock::Shared).await?;
    let objective = objective_in(&mut tx, objective_id, recorded_at.date()).await?;
    check_recorder(&mut tx, by, &objective).await?;
    let measured_at = match input.corrects_id {
        Some(corrected) => {
            let corrected = check_correction(&mut tx, objective_id, corrected).await?;
            input.measured_at.unwrap_or(corrected.measured_at)
        }
        None => input.measured_at.unwrap_or(recorded_at),
    };
    let id = Uuid::now_v7();
    let inserted = sqlx::query(
        "INSERT INTO objective_measurements (id, objective_id, value, measured_at, source,
            recorded_by, recorded_at, corrects_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(objective_id)
    .bind(input.value)
    .bind(truncate_to_micros(measured_at))
    .bind(input.source.as_str())
    .bind(by.id)
    .bind(recorded_at)
    .bind(input.corrects_id)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(error) if is_unique_violation(&error) => return Err(already_corrected()),
        other => other?,
    };
    let measurement = measurement_in(&mut tx, id)
        .await?
        .ok_or(StoreError::NotFound("measurement"))?;
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "objective.measured",
        "objective_measurement",
        id,
        &measurement,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(measurement)
}

/// The objective's owner records, and ISMS managers and admins (roles re-read here); nobody
/// records on a retired objective.
async fn check_recorder(tx: &mut Tx, by: &Account, objective: &Objective) -> StoreResult<()> {
    let caller = roles_now(tx, by).await?;
    let manages = caller.has_role(Role::Admin) || caller.has_role(Role::IsmsManager);
    if objective.owner_id != by.person_id && !manages {
        return Err(StoreError::Forbidden(format!(
            "only {}, who owns this objective, or an ISMS manager records its measurements",
            objective.owner_name
        )));
    }
    refuse_retired(objective, "measured")
}

/// What a correction names: a measurement of the same objective that nothing corrects yet.
async fn check_correction(
    tx: &mut Tx,
    objective_id: Uuid,
    corrected: Uuid,
) -> StoreResult<Measurement> {
    let found = measurement_in(tx, corrected).await?;
    let Some(found) = found.filter(|m| m.objective_id == objective_id) else {
        return Err(StoreError::Invalid(FieldErrors::single(
            "corrects_id",
            "is not a measurement of this objective",
        )));
    };
    if found.corrected_by.is_some() {
        return Err(already_corrected());
    }
    Ok(found)
}

fn already_corrected() -> StoreError {
    StoreError::Conflict(
        "this measurement was already corrected; correct the correction instead".into(),
    )
}

/// How an objective's row is held until the transaction ends.
#[derive(Clone, Copy)]
enum ObjectiveLock {
    /// Editing or retiring it: one at a time, and after any measurement being recorded.
    Exclusive,
    /// Recording a measurement: several at once, but never beside an edit or a retirement.
    Shared,
}

/// Holds the objective's row, so that what is read next is its latest state and stays so until
/// the commit: on PostgreSQL (READ COMMITTED) a retirement otherwise lands between the check
/// and the write of an edit or a measurement. SQLite's `BEGIN IMMEDIATE` already lets one writer
/// in at a time. An unknown id holds nothing; the read that follows answers 404.
async fn lock_objective(tx: &mut Tx, id: Uuid, lock: ObjectiveLock) -> StoreResult<()> {
    let sql = match lock {
        // The row lock an UPDATE takes, without changing anything.
        ObjectiveLock::Exclusive => {
            "UPDATE objectives SET updated_at = updated_at WHERE id = $1".to_owned()
        }
        ObjectiveLock::Shared => format!(
            "SELECT id FROM objectives WHERE id = $1{}",
            FOR_SHARE.unwrap_or_default()
        ),
    };
    dynamic(sql).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Refuses (409) to change an objective once retired.
fn refuse_retired(objective: &Objective, step: &str) -> StoreResult<()> {
    match objective.retired_at {
        Some(at) => Err(StoreError::Conflict(format!(
            "this objective was retired on {}; a retired objective is kept as it was and cannot be {step}",
            at.date()
        ))),
        None => Ok(()),
    }
}
