// Shared SQL for ISMS activities and the RACI matrix.

const ACTIVITY_COLUMNS: &str = "id, name, description, position, created_at";

/// How many cells one INSERT writes at most (PostgreSQL: also within `STATEMENT_BYTES`).
const CELL_CHUNK: usize = 1000;
/// About how many bytes a cell binds (two ids, the duty and their lengths).
const CELL_BYTES: usize = 64;
/// How many ids one `IN` list binds (about 10 KB on PostgreSQL).
const ID_CHUNK: usize = 500;

fn activity_from_row(row: &DbRow) -> Result<Activity, sqlx::Error> {
    Ok(Activity {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        position: row.try_get("position")?,
        created_at: row.try_get("created_at")?,
    })
}

async fn activities_in<'e, E>(executor: E) -> Result<Vec<Activity>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    dynamic(format!(
        "SELECT {ACTIVITY_COLUMNS} FROM isms_activities ORDER BY position, name, id"
    ))
    .fetch_all(executor)
    .await?
    .iter()
    .map(activity_from_row)
    .collect()
}

async fn get_activity_in<'e, E>(executor: E, id: Uuid) -> StoreResult<Activity>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "SELECT {ACTIVITY_COLUMNS} FROM isms_activities WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|r| activity_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("activity"))
}

async fn list_activities(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<Activity>> {
    Ok(activities_in(pool).await?)
}

async fn create_activity(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    input: ActivityInput,
) -> StoreResult<Activity> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let id = Uuid::now_v7();
    check_activity_name(&mut tx, id, &input.name).await?;
    let position: i32 = sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 FROM isms_activities")
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    insert_activity(
        &mut tx,
        id,
        &input.name,
        &input.description,
        position,
        now(),
    )
    .await
    .map_err(activity_write_error)?;
    let activity = get_activity_in(&mut *tx, id).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "activity.created",
            "activity",
            id,
            &activity,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(activity)
}

async fn update_activity(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    input: ActivityInput,
) -> StoreResult<Activity> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    get_activity_in(&mut *tx, id).await?;
    check_activity_name(&mut tx, id, &input.name).await?;
    sqlx::query("UPDATE isms_activities SET name = $2, description = $3 WHERE id = $1")
        .bind(id)
        .bind(input.name.as_str())
        .bind(input.description.as_str())
        .execute(&mut *tx)
        .await
        .map_err(activity_write_error)?;
    let activity = get_activity_in(&mut *tx, id).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "activity.updated",
            "activity",
            id,
            &activity,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(activity)
}

async fn insert_activity(
    tx: &mut Tx,
    id: Uuid,
    name: &str,
    description: &str,
    position: i32,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO isms_activities (id, name, description, position, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(name)
    .bind(description)
    .bind(position)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Refuses a name another activity has (422).
async fn check_activity_name(tx: &mut Tx, id: Uuid, name: &str) -> StoreResult<()> {
    let same =
        sqlx::query("SELECT id FROM isms_activities WHERE lower(name) = lower($1) AND id <> $2")
            .bind(name)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    match same {
        Some(_) => Err(duplicate_activity_name()),
        None => Ok(()),
    }
}

fn duplicate_activity_name() -> StoreError {
    StoreError::Invalid(FieldErrors::single(
        "name",
        "another activity has this name",
    ))
}

/// The unique index refused a name: two writers raced past `check_activity_name`.
fn activity_write_error(error: sqlx::Error) -> StoreError {
    if is_unique_violation(&error) {
        duplicate_activity_name()
    } else {
        StoreError::Database(error)
    }
}

async fn raci_matrix(pool: &sqlx::Pool<Db>) -> StoreResult<RaciMatrix> {
    let mut tx = begin_snapshot(pool).await?;
    let matrix = raci_matrix_in(&mut tx).await?;
    tx.commit().await?;
    Ok(matrix)
}

/// Activities in order, every catalog role in catalog order, and the cells that carry a duty.
async fn raci_matrix_in(tx: &mut Tx) -> StoreResult<RaciMatrix> {
    let activities = activities_in(&mut **tx).await?;
    let roles = sqlx::query("SELECT id, name FROM org_roles ORDER BY position, name, id")
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|row| {
            Ok(RaciRole {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let cells = raci_cells_in(&mut **tx).await?;
    Ok(RaciMatrix {
        activities,
        roles,
        cells,
    })
}

/// What `raci.changed` records: the activities whose rows were replaced and their new cells.
#[derive(Debug, serde::Serialize)]
struct RaciChange<'a> {
    activity_ids: &'a [Uuid],
    cells: &'a [RaciCell],
}

async fn replace_raci(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    activity_ids: &[Uuid],
    cells: &[RaciCell],
) -> StoreResult<RaciMatrix> {
    let mut activity_ids = activity_ids.to_vec();
    activity_ids.sort_unstable();
    activity_ids.dedup();
    crate::domain::raci::check_cells(cells).map_err(StoreError::Invalid)?;
    if let Some(stray) = cells
        .iter()
        .find(|c| activity_ids.binary_search(&c.activity_id).is_err())
    {
        return Err(StoreError::Invalid(FieldErrors::single(
            &format!("cells.{}", stray.activity_id),
            "names an activity that is not being replaced",
        )));
    }
    let mut tx = begin_write(pool).await?;
    check_raci_references(&mut tx, &activity_ids, cells).await?;
    for chunk in activity_ids.chunks(ID_CHUNK) {
        let sql = format!(
            "DELETE FROM raci_cells WHERE activity_id IN ({})",
            id_placeholders(chunk.len())
        );
        let mut query = dynamic(sql);
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut *tx).await?;
    }
    insert_cells(&mut tx, cells).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "raci.changed",
            "raci_matrix",
            "matrix",
            &RaciChange {
                activity_ids: &activity_ids,
                cells,
            },
        )],
    )
    .await?;
    let matrix = raci_matrix_in(&mut tx).await?;
    tx.commit().await?;
    Ok(matrix)
}

/// `$1, $2, ...` (or `?, ?, ...`) for an `IN` list of `n` values.
fn id_placeholders(n: usize) -> String {
    values_placeholders(PLACEHOLDERS, 1, n)
        .trim_start_matches('(')
        .trim_end_matches(')')
        .to_owned()
}

/// The ids of `table` among `ids` (at most `ID_CHUNK` per query).
async fn existing_ids(tx: &mut Tx, table: &str, ids: &[Uuid]) -> Result<Vec<Uuid>, sqlx::Error> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(ID_CHUNK) {
        let sql = format!(
            "SELECT id FROM {table} WHERE id IN ({})",
            id_placeholders(chunk.len())
        );
        let mut query = dynamic(sql);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut **tx).await? {
            found.push(row.try_get("id")?);
        }
    }
    Ok(found)
}

/// Refuses (422) activities and roles that do not exist.
async fn check_raci_references(
    tx: &mut Tx,
    activity_ids: &[Uuid],
    cells: &[RaciCell],
) -> StoreResult<()> {
    let mut errors = FieldErrors::new();
    let found = existing_ids(tx, "isms_activities", activity_ids).await?;
    if found.len() < activity_ids.len() {
        errors.add("activity_ids", "names an activity that does not exist");
    }
    let mut roles: Vec<Uuid> = cells.iter().map(|c| c.role_id).collect();
    roles.sort_unstable();
    roles.dedup();
    let found = existing_ids(tx, "org_roles", &roles).await?;
    if found.len() < roles.len() {
        errors.add("cells", "names a role that is not in the catalog");
    }
    errors.into_result().map_err(StoreError::Invalid)
}

/// Writes cells in multi-row INSERTs (small enough for `STATEMENT_BYTES` on PostgreSQL).
async fn insert_cells(tx: &mut Tx, cells: &[RaciCell]) -> Result<(), sqlx::Error> {
    let rows = STATEMENT_BYTES.map_or(CELL_CHUNK, |limit| {
        (limit / CELL_BYTES).clamp(1, CELL_CHUNK)
    });
    for chunk in cells.chunks(rows) {
        let sql = format!(
            "INSERT INTO raci_cells (activity_id, role_id, duty) VALUES {}",
            values_placeholders(PLACEHOLDERS, chunk.len(), 3)
        );
        let mut query = dynamic(sql);
        for cell in chunk {
            query = query
                .bind(cell.activity_id)
                .bind(cell.role_id)
                .bind(cell.duty.as_str());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Every cell of the matrix that carries a duty (by activity, then role id).
async fn raci_cells_in<'e, E>(executor: E) -> Result<Vec<RaciCell>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query("SELECT activity_id, role_id, duty FROM raci_cells ORDER BY activity_id, role_id")
        .fetch_all(executor)
        .await?
        .iter()
        .map(|row| {
            Ok(RaciCell {
                activity_id: row.try_get("activity_id")?,
                role_id: row.try_get("role_id")?,
                duty: parse_column(row, "duty")?,
            })
        })
        .collect()
}
