// Shared SQL for the organization profile and the unit tree.

const UNIT_COLUMNS: &str = "id, name, description, parent_id, head_id, created_at, updated_at";

fn unit_from_row(row: &DbRow) -> Result<Unit, sqlx::Error> {
    Ok(Unit {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        parent_id: row.try_get("parent_id")?,
        head_id: row.try_get("head_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

async fn organization(pool: &sqlx::Pool<Db>) -> StoreResult<OrgProfile> {
    let row = sqlx::query("SELECT name, purpose, isms_scope, strategic_themes, updated_at FROM organization WHERE id = 1")
        .fetch_one(pool)
        .await?;
    let themes: String = row.try_get("strategic_themes")?;
    Ok(OrgProfile {
        name: row.try_get("name")?,
        purpose: row.try_get("purpose")?,
        isms_scope: row.try_get("isms_scope")?,
        strategic_themes: serde_json::from_str(&themes).unwrap_or_default(),
        updated_at: row.try_get("updated_at")?,
    })
}

async fn update_organization(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    input: OrgProfileInput,
) -> StoreResult<OrgProfile> {
    let mut tx = begin_write(pool).await?;
    let themes = serde_json::to_string(&input.strategic_themes).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "UPDATE organization SET name = $1, purpose = $2, isms_scope = $3, strategic_themes = $4, updated_at = $5 WHERE id = 1",
    )
    .bind(input.name.as_str())
    .bind(input.purpose.as_str())
    .bind(input.isms_scope.as_str())
    .bind(themes)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let event =
        NewAuditEvent::for_record(actor, "organization.updated", "organization", "1", &input);
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    organization(pool).await
}

async fn org_counts(pool: &sqlx::Pool<Db>) -> StoreResult<OrgCounts> {
    let row = sqlx::query(
        "SELECT
            (SELECT COUNT(*) FROM people WHERE status = 'active') AS active,
            (SELECT COUNT(*) FROM people WHERE status = 'on_leave') AS on_leave,
            (SELECT COUNT(*) FROM people WHERE status = 'departed') AS departed,
            (SELECT COUNT(*) FROM people WHERE kind <> 'employee' AND status <> 'departed') AS others,
            (SELECT COUNT(*) FROM units) AS units,
            (SELECT seq FROM audit_head WHERE id = 1) AS events",
    )
    .fetch_one(pool)
    .await?;
    Ok(OrgCounts {
        people_active: row.try_get("active")?,
        people_on_leave: row.try_get("on_leave")?,
        people_departed: row.try_get("departed")?,
        contractors_and_externals: row.try_get("others")?,
        units: row.try_get("units")?,
        audit_events: row.try_get("events")?,
    })
}

async fn list_units(
    pool: &sqlx::Pool<Db>,
    filter: &UnitFilter,
    page: PageRequest,
) -> StoreResult<Page<Unit>> {
    let mut conditions = Conditions::default();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        conditions.add(
            "lower(name) LIKE {} ESCAPE '\\'",
            Arg::Text(contains_pattern(q)),
        );
    }
    if let Some(parent) = filter.parent_id {
        conditions.add("parent_id = {}", Arg::Uuid(parent));
    }
    fetch_page(
        pool,
        "units",
        UNIT_COLUMNS,
        "name, id",
        &conditions,
        page,
        unit_from_row,
    )
    .await
}

async fn all_units(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<Unit>> {
    let rows = dynamic(format!(
        "SELECT {UNIT_COLUMNS} FROM units ORDER BY name, id"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(unit_from_row).collect::<Result<_, _>>()?)
}

async fn get_unit(pool: &sqlx::Pool<Db>, id: Uuid) -> StoreResult<Unit> {
    let row = dynamic(format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(|r| unit_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("unit"))
}

/// The unit and its ancestors, following parent links (UNION stops on a loop).
async fn unit_ancestors(tx: &mut Tx, start: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    let rows = sqlx::query(
        "WITH RECURSIVE up(id, parent_id) AS (
            SELECT id, parent_id FROM units WHERE id = $1
            UNION SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id)
         SELECT id FROM up",
    )
    .bind(start)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

async fn exists(tx: &mut Tx, table: &str, id: Uuid) -> Result<bool, sqlx::Error> {
    let row = dynamic(format!("SELECT 1 FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

/// Checks a unit's references, name and place in the tree inside the write transaction.
async fn check_unit(tx: &mut Tx, id: Uuid, input: &UnitInput) -> StoreResult<()> {
    let mut errors = FieldErrors::new();
    let same_name = sqlx::query("SELECT id FROM units WHERE lower(name) = lower($1) AND id <> $2")
        .bind(input.name.as_str())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    if same_name.is_some() {
        errors.add("name", "another unit already has this name");
    }
    if let Some(parent) = input.parent_id {
        if !exists(tx, "units", parent).await? {
            errors.add("parent_id", "is not a known unit");
        } else if unit_ancestors(tx, parent).await?.contains(&id) {
            errors.add(
                "parent_id",
                "would place the unit below itself (a cycle in the unit tree)",
            );
        }
    }
    if let Some(head) = input.head_id
        && !exists(tx, "people", head).await?
    {
        errors.add("head_id", "is not a known person");
    }
    errors.into_result().map_err(StoreError::Invalid)
}

async fn save_unit(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Option<Uuid>,
    input: UnitInput,
) -> StoreResult<Unit> {
    let mut tx = begin_write(pool).await?;
    let (id, action) = match id {
        Some(id) if exists(&mut tx, "units", id).await? => (id, "unit.updated"),
        Some(_) => return Err(StoreError::NotFound("unit")),
        None => (Uuid::now_v7(), "unit.created"),
    };
    check_unit(&mut tx, id, &input).await?;
    let at = now();
    let sql = if action == "unit.created" {
        "INSERT INTO units (id, name, description, parent_id, head_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)"
    } else {
        "UPDATE units SET name = $2, description = $3, parent_id = $4, head_id = $5, updated_at = $6 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(input.name.as_str())
        .bind(input.description.as_str())
        .bind(input.parent_id)
        .bind(input.head_id)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(unit_write_error)?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            action,
            "unit",
            id,
            &(id, &input),
        )],
    )
    .await?;
    tx.commit().await?;
    get_unit(pool, id).await
}

fn unit_write_error(error: sqlx::Error) -> StoreError {
    if is_unique_violation(&error) {
        StoreError::Invalid(FieldErrors::single(
            "name",
            "another unit already has this name",
        ))
    } else {
        StoreError::Database(error)
    }
}
