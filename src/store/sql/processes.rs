// Shared SQL for process integration (5.1.b): the organization's processes, how the ISMS is built
// into each, and their verification by the owner or an ISMS manager.

use crate::domain::process::{Process, ProcessInput, VerificationInput, is_stale};

const PROCESS_SELECT: &str = "SELECT pr.id, pr.name, pr.standard_key, pr.key_process,
        pr.integration, pr.owner_id, o.name AS owner_name, pr.evidence, pr.last_verified_on,
        pr.last_verified_by, v.name AS last_verified_by_name, pr.verification_interval_days,
        pr.created_at, pr.updated_at
    FROM processes pr
    LEFT JOIN people o ON o.id = pr.owner_id
    LEFT JOIN people v ON v.id = pr.last_verified_by";

fn process_from_row(row: &DbRow, today: Date) -> Result<Process, sqlx::Error> {
    let last_verified_on: Option<Date> = row.try_get("last_verified_on")?;
    let interval: i32 = row.try_get("verification_interval_days")?;
    Ok(Process {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        standard_key: row.try_get("standard_key")?,
        key_process: row.try_get("key_process")?,
        integration: row.try_get("integration")?,
        owner_id: row.try_get("owner_id")?,
        owner_name: row.try_get("owner_name")?,
        evidence: row.try_get("evidence")?,
        last_verified_on,
        last_verified_by: row.try_get("last_verified_by")?,
        last_verified_by_name: row.try_get("last_verified_by_name")?,
        verification_interval_days: interval,
        verification_due_on: last_verified_on
            .map(|on| crate::domain::process::verification_due(on, interval)),
        stale: is_stale(last_verified_on, interval, today),
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// What the seeded catalog holds, the record of its audit event.
#[derive(Debug, serde::Serialize)]
struct SeededProcess {
    id: Uuid,
    name: String,
    standard_key: String,
}

/// Writes `process_catalog.installed` once, for the key processes the migration seeded (SQL
/// cannot compute the hash chain). Claiming the marker row first makes a concurrent caller find
/// nothing to do.
async fn record_process_catalog(pool: &sqlx::Pool<Db>) -> StoreResult<()> {
    let marker = sqlx::query("SELECT installed_event_at FROM process_catalog WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    let pending = match marker {
        Some(row) => row
            .try_get::<Option<OffsetDateTime>, _>("installed_event_at")?
            .is_none(),
        None => false,
    };
    if !pending {
        return Ok(());
    }
    let mut tx = begin_write(pool).await?;
    let claimed = sqlx::query(
        "UPDATE process_catalog SET installed_event_at = $1
         WHERE id = 1 AND installed_event_at IS NULL",
    )
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(());
    }
    let seeded = sqlx::query(
        "SELECT id, name, standard_key FROM processes WHERE standard_key IS NOT NULL
         ORDER BY standard_key",
    )
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|row| {
        Ok(SeededProcess {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            standard_key: row.try_get("standard_key")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let event = NewAuditEvent::for_record(
        &Actor::system(),
        "process_catalog.installed",
        "process_catalog",
        "standard",
        &seeded,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(())
}

async fn get_process_in<'e, E>(executor: E, id: Uuid, today: Date) -> StoreResult<Process>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!("{PROCESS_SELECT} WHERE pr.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    row.map(|r| process_from_row(&r, today))
        .transpose()?
        .ok_or(StoreError::NotFound("process"))
}

async fn get_process(pool: &sqlx::Pool<Db>, id: Uuid, today: Date) -> StoreResult<Process> {
    record_process_catalog(pool).await?;
    get_process_in(pool, id, today).await
}

async fn list_processes_where(
    pool: &sqlx::Pool<Db>,
    owner: Option<Uuid>,
    today: Date,
) -> StoreResult<Vec<Process>> {
    record_process_catalog(pool).await?;
    let rows = match owner {
        Some(person) => {
            dynamic(format!("{PROCESS_SELECT} WHERE pr.owner_id = $1"))
                .bind(person)
                .fetch_all(pool)
                .await?
        }
        None => dynamic(PROCESS_SELECT.to_owned()).fetch_all(pool).await?,
    };
    let mut processes = rows
        .iter()
        .map(|row| process_from_row(row, today))
        .collect::<Result<Vec<_>, _>>()?;
    crate::domain::process::stale_first(&mut processes);
    Ok(processes)
}

/// Refuses (422) an owner who is not a person of the organization, or who has left.
async fn check_process_owner(tx: &mut Tx, owner: Option<Uuid>) -> StoreResult<()> {
    let Some(owner) = owner else {
        return Ok(());
    };
    let status: Option<String> = sqlx::query("SELECT status FROM people WHERE id = $1")
        .bind(owner)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| row.try_get("status"))
        .transpose()?;
    let message = match status.as_deref() {
        None => "is not a known person",
        Some("departed") => "has left the organization",
        Some(_) => return Ok(()),
    };
    Err(StoreError::Invalid(FieldErrors::single(
        "owner_id", message,
    )))
}

/// The name as its uniqueness is checked (the `name_key` column): folded here rather than by
/// SQL, so that "État" and "état" clash on both databases (SQLite's `lower()` folds only A-Z).
fn process_name_key(name: &str) -> String {
    name.to_lowercase()
}

fn duplicate_process_name(error: sqlx::Error) -> StoreError {
    if is_unique_violation(&error) {
        StoreError::Invalid(FieldErrors::single(
            "name",
            "is already the name of another process",
        ))
    } else {
        error.into()
    }
}

async fn create_process(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    input: ProcessInput,
    today: Date,
) -> StoreResult<Process> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    record_process_catalog(pool).await?;
    let mut tx = begin_write(pool).await?;
    check_process_owner(&mut tx, input.owner_id).await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO processes (id, name, name_key, standard_key, key_process, integration,
            owner_id, evidence, verification_interval_days, created_at, updated_at)
         VALUES ($1, $2, $9, NULL, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(id)
    .bind(input.name.as_str())
    .bind(input.key_process)
    .bind(input.integration.as_str())
    .bind(input.owner_id)
    .bind(input.evidence.as_str())
    .bind(input.verification_interval_days)
    .bind(now())
    .bind(process_name_key(&input.name))
    .execute(&mut *tx)
    .await
    .map_err(duplicate_process_name)?;
    let process = get_process_in(&mut *tx, id, today).await?;
    let event = NewAuditEvent::for_record(actor, "process.created", "process", id, &process);
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(process)
}

async fn update_process(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    input: ProcessInput,
    today: Date,
) -> StoreResult<Process> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    record_process_catalog(pool).await?;
    let mut tx = begin_write(pool).await?;
    get_process_in(&mut *tx, id, today).await?;
    check_process_owner(&mut tx, input.owner_id).await?;
    sqlx::query(
        "UPDATE processes SET name = $2, name_key = $9, key_process = $3, integration = $4,
            owner_id = $5, evidence = $6, verification_interval_days = $7, updated_at = $8
         WHERE id = $1",
    )
    .bind(id)
    .bind(input.name.as_str())
    .bind(input.key_process)
    .bind(input.integration.as_str())
    .bind(input.owner_id)
    .bind(input.evidence.as_str())
    .bind(input.verification_interval_days)
    .bind(now())
    .bind(process_name_key(&input.name))
    .execute(&mut *tx)
    .await
    .map_err(duplicate_process_name)?;
    let process = get_process_in(&mut *tx, id, today).await?;
    let event = NewAuditEvent::for_record(actor, "process.updated", "process", id, &process);
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(process)
}

include!("process_verification.rs");
