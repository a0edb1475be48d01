// Shared SQL for the role catalog: roles in catalog order, their responsibilities and authorities
// (JSON lists), the one role carrying each duty of clause 5.3, and the tool role a role grants.

const ROLE_COLUMNS: &str = "id, name, category, purpose, responsibilities, authorities,
    competence, required, critical, conformance_owner, performance_reporter, grants, created_at,
    updated_at";

fn role_from_row(row: &DbRow) -> Result<OrgRole, sqlx::Error> {
    let grants: Option<String> = row.try_get("grants")?;
    let grants = grants
        .map(|text| {
            text.parse::<Role>().map_err(|e| sqlx::Error::ColumnDecode {
                index: "grants".into(),
                source: e.into(),
            })
        })
        .transpose()?;
    Ok(OrgRole {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        category: parse_column(row, "category")?,
        purpose: row.try_get("purpose")?,
        responsibilities: json_column(row, "responsibilities")?,
        authorities: json_column(row, "authorities")?,
        competence: row.try_get("competence")?,
        required: row.try_get("required")?,
        critical: row.try_get("critical")?,
        conformance_owner: row.try_get("conformance_owner")?,
        performance_reporter: row.try_get("performance_reporter")?,
        grants,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

async fn get_role_in<'e, E>(executor: E, id: Uuid) -> StoreResult<OrgRole>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "SELECT {ROLE_COLUMNS} FROM org_roles WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|r| role_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("role"))
}

async fn list_roles(pool: &sqlx::Pool<Db>, filter: &OrgRoleFilter) -> StoreResult<Vec<OrgRole>> {
    let mut conditions = Conditions::default();
    if let Some(category) = filter.category {
        conditions.add("category = {}", Arg::Text(category.as_str().to_owned()));
    }
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        conditions.add(
            "lower(name) LIKE {} ESCAPE '\\'",
            Arg::Text(contains_pattern(q)),
        );
    }
    let sql = format!(
        "SELECT {ROLE_COLUMNS} FROM org_roles{} ORDER BY position, name, id",
        conditions.where_sql()
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(role_from_row).collect::<Result<_, _>>()?)
}

async fn get_role(pool: &sqlx::Pool<Db>, id: Uuid) -> StoreResult<OrgRole> {
    get_role_in(pool, id).await
}

async fn create_role(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    input: OrgRoleInput,
) -> StoreResult<OrgRole> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let id = Uuid::now_v7();
    check_role(&mut tx, id, &input).await?;
    let position: i32 = sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 FROM org_roles")
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    let at = now();
    let insert = sqlx::query(
        "INSERT INTO org_roles (id, name, category, purpose, responsibilities, authorities,
            competence, required, critical, conformance_owner, performance_reporter, grants,
            position, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
    );
    bind_role_fields(insert.bind(id), &input)
        .bind(position)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(role_write_error)?;
    let role = get_role_in(&mut *tx, id).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "org_role.created",
            "org_role",
            id,
            &role,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(role)
}

async fn update_role(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    input: OrgRoleInput,
) -> StoreResult<OrgRole> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    if !exists(&mut tx, "org_roles", id).await? {
        return Err(StoreError::NotFound("role"));
    }
    check_role(&mut tx, id, &input).await?;
    let update = sqlx::query(
        "UPDATE org_roles SET name = $2, category = $3, purpose = $4, responsibilities = $5,
            authorities = $6, competence = $7, required = $8, critical = $9,
            conformance_owner = $10, performance_reporter = $11, grants = $12, updated_at = $13
         WHERE id = $1",
    );
    bind_role_fields(update.bind(id), &input)
        .bind(now())
        .execute(&mut *tx)
        .await
        .map_err(role_write_error)?;
    let role = get_role_in(&mut *tx, id).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "org_role.updated",
            "org_role",
            id,
            &role,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(role)
}

/// Binds name, category, purpose, responsibilities, authorities, competence, required, critical,
/// the two duties of 5.3 and the granted role, in column order.
fn bind_role_fields<'q>(query: DbQuery<'q>, input: &'q OrgRoleInput) -> DbQuery<'q> {
    query
        .bind(input.name.as_str())
        .bind(input.category.as_str())
        .bind(input.purpose.as_str())
        .bind(to_json(&input.responsibilities))
        .bind(to_json(&input.authorities))
        .bind(input.competence.as_str())
        .bind(input.required)
        .bind(input.critical)
        .bind(input.conformance_owner)
        .bind(input.performance_reporter)
        .bind(input.grants.map(Role::as_str))
}

/// Refuses a name another role has (422) and a duty of 5.3 another role already carries (409).
async fn check_role(tx: &mut Tx, id: Uuid, input: &OrgRoleInput) -> StoreResult<()> {
    let same_name =
        sqlx::query("SELECT id FROM org_roles WHERE lower(name) = lower($1) AND id <> $2")
            .bind(input.name.as_str())
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    if same_name.is_some() {
        return Err(duplicate_role_name());
    }
    let duties = [
        (
            input.conformance_owner,
            "conformance_owner",
            "responsible for making the ISMS conform (5.3 a)",
        ),
        (
            input.performance_reporter,
            "performance_reporter",
            "reporting the ISMS's performance to top management (5.3 b)",
        ),
    ];
    for (wanted, column, duty) in duties {
        if !wanted {
            continue;
        }
        let holder = dynamic(format!(
            "SELECT name FROM org_roles WHERE {column} AND id <> $1"
        ))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(row) = holder {
            let name: String = row.try_get("name")?;
            return Err(StoreError::Conflict(format!(
                "the role '{name}' is already the one {duty}; one role carries it, so clear it \
                 on '{name}' first"
            )));
        }
    }
    Ok(())
}

fn duplicate_role_name() -> StoreError {
    StoreError::Invalid(FieldErrors::single(
        "name",
        "another role of the catalog has this name",
    ))
}

/// A unique index refused the write: two writers raced past `check_role`.
fn role_write_error(error: sqlx::Error) -> StoreError {
    let index = error
        .as_database_error()
        .filter(|e| e.is_unique_violation())
        .map(|e| e.message().to_owned());
    match index {
        Some(message) if message.contains("conformance") || message.contains("performance") => {
            StoreError::Conflict(
                "another role already carries this duty of clause 5.3; one role carries it".into(),
            )
        }
        Some(_) => duplicate_role_name(),
        None => StoreError::Database(error),
    }
}
