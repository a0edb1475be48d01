// Shared SQL for people: filtered lists, single writes with their checks, and bulk writes.

const PERSON_COLUMNS: &str = "id, name, email, job_title, unit_id, manager_id, kind, status, departed_on, created_at, updated_at";

fn person_from_row(row: &DbRow) -> Result<Person, sqlx::Error> {
    Ok(Person {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        job_title: row.try_get("job_title")?,
        unit_id: row.try_get("unit_id")?,
        manager_id: row.try_get("manager_id")?,
        kind: parse_column(row, "kind")?,
        status: parse_column(row, "status")?,
        departed_on: row.try_get("departed_on")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn person_conditions(filter: &PersonFilter) -> Conditions {
    let mut conditions = Conditions::default();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        conditions.add(
            "(lower(name) LIKE {} ESCAPE '\\' OR lower(email) LIKE {} ESCAPE '\\')",
            Arg::Text(contains_pattern(q)),
        );
    }
    if let Some(unit) = filter.unit_id {
        conditions.add(
            "unit_id IN (WITH RECURSIVE below(id) AS (SELECT id FROM units WHERE id = {}
                UNION SELECT u.id FROM units u JOIN below ON u.parent_id = below.id) SELECT id FROM below)",
            Arg::Uuid(unit),
        );
    }
    if let Some(manager) = filter.manager_id {
        conditions.add("manager_id = {}", Arg::Uuid(manager));
    }
    if let Some(status) = filter.status {
        conditions.add("status = {}", Arg::Text(status.as_str().to_owned()));
    }
    if filter.without_unit {
        conditions.add_fixed("unit_id IS NULL");
    }
    if filter.manager_departed {
        conditions
            .add_fixed("manager_id IN (SELECT m.id FROM people m WHERE m.status = 'departed')");
    }
    if let Some(kind) = filter.kind {
        conditions.add("kind = {}", Arg::Text(kind.as_str().to_owned()));
    }
    conditions
}

async fn list_people(
    pool: &sqlx::Pool<Db>,
    filter: &PersonFilter,
    page: PageRequest,
) -> StoreResult<Page<Person>> {
    let conditions = person_conditions(filter);
    fetch_page(
        pool,
        "people",
        PERSON_COLUMNS,
        "name, id",
        &conditions,
        page,
        person_from_row,
    )
    .await
}

async fn all_people(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<Person>> {
    let rows = dynamic(format!(
        "SELECT {PERSON_COLUMNS} FROM people ORDER BY name, id"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(person_from_row).collect::<Result<_, _>>()?)
}

async fn get_person(pool: &sqlx::Pool<Db>, id: Uuid) -> StoreResult<Person> {
    let row = sqlx::query(
        "SELECT id, name, email, job_title, unit_id, manager_id, kind, status, departed_on, created_at, updated_at
         FROM people WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| person_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("person"))
}

async fn person_by_email(pool: &sqlx::Pool<Db>, email: &str) -> StoreResult<Option<Person>> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE lower(email) = lower($1)");
    let row = dynamic(sql)
        .bind(email.trim().to_owned())
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| person_from_row(&r)).transpose()?)
}

async fn person_names(pool: &sqlx::Pool<Db>, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, String>> {
    let mut names = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let mut query = dynamic(format!(
            "SELECT id, name FROM people WHERE id IN ({})",
            placeholders.join(", ")
        ));
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(pool).await? {
            names.insert(row.try_get("id")?, row.try_get("name")?);
        }
    }
    Ok(names)
}

/// The person and everyone above them in the reporting line (UNION stops on a loop).
async fn reporting_line(tx: &mut Tx, start: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    let rows = sqlx::query(
        "WITH RECURSIVE up(id, manager_id) AS (
            SELECT id, manager_id FROM people WHERE id = $1
            UNION SELECT p.id, p.manager_id FROM people p JOIN up ON p.id = up.manager_id)
         SELECT id FROM up",
    )
    .bind(start)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// Checks the email, unit and manager of a person inside the write transaction.
async fn check_person(tx: &mut Tx, id: Uuid, input: &PersonInput) -> StoreResult<()> {
    let mut errors = FieldErrors::new();
    let same_email =
        sqlx::query("SELECT id FROM people WHERE lower(email) = lower($1) AND id <> $2")
            .bind(input.email.as_str())
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    if same_email.is_some() {
        errors.add("email", "is already used by another person");
    }
    if let Some(unit) = input.unit_id
        && !exists(tx, "units", unit).await?
    {
        errors.add("unit_id", "is not a known unit");
    }
    if let Some(manager) = input.manager_id {
        if manager == id {
            errors.add("manager_id", "a person cannot be their own manager");
        } else if !exists(tx, "people", manager).await? {
            errors.add("manager_id", "is not a known person");
        } else if reporting_line(tx, manager).await?.contains(&id) {
            errors.add(
                "manager_id",
                "would create a cycle in the reporting line (this person already manages them)",
            );
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

async fn save_person(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Option<Uuid>,
    input: PersonInput,
    today: Date,
) -> StoreResult<Person> {
    let input = input.validate(today).map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let (id, is_new) = match id {
        Some(id) if exists(&mut tx, "people", id).await? => (id, false),
        Some(_) => return Err(StoreError::NotFound("person")),
        None => (Uuid::now_v7(), true),
    };
    check_person(&mut tx, id, &input).await?;
    let write = PersonWrite { id, input, is_new };
    write_people_in(&mut tx, actor, std::slice::from_ref(&write)).await?;
    tx.commit().await?;
    get_person(pool, id).await
}

async fn write_people(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    batch: &[PersonWrite],
) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    write_people_in(&mut tx, actor, batch).await?;
    tx.commit().await?;
    Ok(())
}

/// Inserts the new people in multi-row statements, updates the others, and records an event each.
async fn write_people_in(tx: &mut Tx, actor: &Actor, batch: &[PersonWrite]) -> StoreResult<()> {
    let at = now();
    let (new, changed): (Vec<&PersonWrite>, Vec<&PersonWrite>) =
        batch.iter().partition(|w| w.is_new);
    for chunk in new.chunks(400) {
        let sql = format!(
            "INSERT INTO people ({PERSON_COLUMNS}) VALUES {}",
            values_placeholders(PLACEHOLDERS, chunk.len(), 11)
        );
        let mut query = dynamic(sql);
        for w in chunk {
            query = bind_person_fields(query, w).bind(at).bind(at);
        }
        query.execute(&mut **tx).await.map_err(person_write_error)?;
    }
    for w in &changed {
        let update = sqlx::query(
            "UPDATE people SET name = $2, email = $3, job_title = $4, unit_id = $5, manager_id = $6, kind = $7,
             status = $8, departed_on = $9, updated_at = $10 WHERE id = $1",
        );
        bind_person_fields(update, w)
            .bind(at)
            .execute(&mut **tx)
            .await
            .map_err(person_write_error)?;
    }
    let departed: Vec<Uuid> = changed
        .iter()
        .filter(|w| w.input.status == crate::domain::PersonStatus::Departed)
        .map(|w| w.id)
        .collect();
    flag_for_handover(tx, actor, &departed, at).await?;
    let events = batch
        .iter()
        .map(|w| {
            let action = if w.is_new {
                "person.created"
            } else {
                "person.updated"
            };
            NewAuditEvent::for_record(actor, action, "person", w.id, &(w.id, &w.input))
        })
        .collect();
    append_events(tx, events).await?;
    Ok(())
}

/// Flags the assignments the departed people still hold (or will) for handover, with one event.
async fn flag_for_handover(
    tx: &mut Tx,
    actor: &Actor,
    departed: &[Uuid],
    at: OffsetDateTime,
) -> StoreResult<()> {
    let mut flagged: Vec<Uuid> = Vec::new();
    for chunk in departed.chunks(500) {
        let placeholders: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "UPDATE role_assignments SET handover_flagged_at = $1
             WHERE person_id IN ({}) AND handover_flagged_at IS NULL
                AND (ends_on IS NULL OR ends_on >= {TODAY})
             RETURNING id",
            placeholders.join(", ")
        );
        let mut query = dynamic(sql).bind(at);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut **tx).await? {
            flagged.push(row.try_get("id")?);
        }
    }
    if let Some(first) = flagged.first() {
        let record = serde_json::json!({ "ids": flagged, "count": flagged.len() });
        let event = NewAuditEvent::for_record(
            actor,
            "role_assignment.handover_flagged",
            "role_assignment",
            first,
            &record,
        );
        append_events(tx, vec![event]).await?;
    }
    Ok(())
}

/// Binds id, name, email, job title, unit, manager, kind, status and departure, in column order.
fn bind_person_fields<'q>(query: DbQuery<'q>, w: &'q PersonWrite) -> DbQuery<'q> {
    let p = &w.input;
    query
        .bind(w.id)
        .bind(p.name.as_str())
        .bind(p.email.as_str())
        .bind(p.job_title.as_str())
        .bind(p.unit_id)
        .bind(p.manager_id)
        .bind(p.kind.as_str())
        .bind(p.status.as_str())
        .bind(p.departed_on)
}

fn person_write_error(error: sqlx::Error) -> StoreError {
    if is_unique_violation(&error) {
        StoreError::Invalid(FieldErrors::single(
            "email",
            "is already used by another person",
        ))
    } else {
        StoreError::Database(error)
    }
}
