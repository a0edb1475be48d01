// Shared SQL for managers' briefings (5.1.h, A.5.4): recorded by the manager for a unit they head
// or where their team works (or by an ISMS manager for them), and each unit's last briefing.

use crate::domain::briefing::{
    BriefedPerson, Briefing, BriefingFilter, BriefingInput, UnitBriefings,
};

const BRIEFING_TABLE: &str = "briefings b
    JOIN people m ON m.id = b.manager_id
    JOIN units u ON u.id = b.unit_id
    JOIN people rb ON rb.id = b.recorded_by";

const BRIEFING_COLUMNS: &str = "b.id, b.manager_id, m.name AS manager_name, b.unit_id,
    u.name AS unit_name, b.briefed_on, b.topic, b.staff_count, b.notes, b.recorded_by,
    rb.name AS recorded_by_name, b.recorded_at";

/// `$from, $from+1, …` for an IN list of `n` values.
fn numbered_list(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn briefing_from_row(row: &DbRow) -> Result<Briefing, sqlx::Error> {
    Ok(Briefing {
        id: row.try_get("id")?,
        manager_id: row.try_get("manager_id")?,
        manager_name: row.try_get("manager_name")?,
        unit_id: row.try_get("unit_id")?,
        unit_name: row.try_get("unit_name")?,
        briefed_on: row.try_get("briefed_on")?,
        topic: row.try_get("topic")?,
        staff_count: row.try_get("staff_count")?,
        attendees: Vec::new(),
        notes: row.try_get("notes")?,
        recorded_by: row.try_get("recorded_by")?,
        recorded_by_name: row.try_get("recorded_by_name")?,
        recorded_at: row.try_get("recorded_at")?,
    })
}

/// Fills in the people named as briefed, for up to a page of briefings in one query.
async fn attach_attendees<'e, E>(executor: E, briefings: &mut [Briefing]) -> StoreResult<()>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    if briefings.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT a.briefing_id, p.id, p.name FROM briefing_attendees a
            JOIN people p ON p.id = a.person_id
         WHERE a.briefing_id IN ({}) ORDER BY p.name, p.id",
        numbered_list(1, briefings.len())
    );
    let mut query = dynamic(sql);
    for briefing in briefings.iter() {
        query = query.bind(briefing.id);
    }
    for row in query.fetch_all(executor).await? {
        let briefing_id: Uuid = row.try_get("briefing_id")?;
        if let Some(b) = briefings.iter_mut().find(|b| b.id == briefing_id) {
            b.attendees.push(BriefedPerson {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
            });
        }
    }
    Ok(())
}

/// Refuses (422) a unit that does not exist or a manager or attendee who is not an active person.
async fn check_briefing_references(
    tx: &mut Tx,
    manager: Uuid,
    input: &BriefingInput,
) -> StoreResult<()> {
    let mut errors = FieldErrors::new();
    if !exists(tx, "units", input.unit_id).await? {
        errors.add("unit_id", "is not a known unit");
    }
    let status: Option<String> = sqlx::query("SELECT status FROM people WHERE id = $1")
        .bind(manager)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| row.try_get("status"))
        .transpose()?;
    match status.as_deref() {
        None => errors.add("manager_id", "is not a known person"),
        Some("departed") => errors.add("manager_id", "has left the organization"),
        Some(_) => {}
    }
    if !input.attendee_ids.is_empty() {
        let sql = format!(
            "SELECT COUNT(*) FROM people WHERE id IN ({})",
            numbered_list(1, input.attendee_ids.len())
        );
        let mut query = dynamic(sql);
        for id in &input.attendee_ids {
            query = query.bind(*id);
        }
        let found: i64 = query.fetch_one(&mut **tx).await?.try_get(0)?;
        if usize::try_from(found).ok() != Some(input.attendee_ids.len()) {
            errors.add("attendee_ids", "names someone who is not a known person");
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

/// Whether `manager` heads the unit or has direct reports in it (their own team).
async fn leads_unit(tx: &mut Tx, manager: Uuid, unit: Uuid) -> StoreResult<bool> {
    let row = sqlx::query(
        "SELECT 1 FROM units WHERE id = $1 AND head_id = $2
         UNION ALL
         SELECT 1 FROM people WHERE unit_id = $1 AND manager_id = $2 AND status <> 'departed'
         LIMIT 1",
    )
    .bind(unit)
    .bind(manager)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

async fn record_briefing(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: BriefingInput,
    today: Date,
) -> StoreResult<Briefing> {
    let input = input.validate(today).map_err(StoreError::Invalid)?;
    let manager = input.manager_id.unwrap_or(by.person_id);
    let mut tx = begin_write(pool).await?;
    let for_another = manager != by.person_id;
    if for_another && !roles_now(&mut tx, by).await?.has_role(Role::IsmsManager) {
        return Err(StoreError::Forbidden(
            "a manager records the briefings they gave; only an ISMS manager records one for \
             another manager"
                .into(),
        ));
    }
    check_briefing_references(&mut tx, manager, &input).await?;
    if !leads_unit(&mut tx, manager, input.unit_id).await? {
        if for_another {
            return Err(StoreError::Invalid(FieldErrors::single(
                "unit_id",
                "is neither headed by this manager nor where their team works",
            )));
        }
        return Err(StoreError::Forbidden(
            "you record briefings only for units you head or where your team works".into(),
        ));
    }
    let id = Uuid::now_v7();
    insert_briefing(&mut tx, id, manager, by.person_id, &input).await?;
    let mut briefings = vec![get_briefing_row(&mut tx, id).await?];
    attach_attendees(&mut *tx, &mut briefings).await?;
    let briefing = briefings.remove(0);
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "briefing.recorded",
        "briefing",
        id,
        &briefing,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(briefing)
}

async fn insert_briefing(
    tx: &mut Tx,
    id: Uuid,
    manager: Uuid,
    recorded_by: Uuid,
    input: &BriefingInput,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO briefings (id, manager_id, unit_id, briefed_on, topic, staff_count, notes,
            recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(manager)
    .bind(input.unit_id)
    .bind(input.briefed_on)
    .bind(input.topic.as_str())
    .bind(input.staff_count)
    .bind(input.notes.as_str())
    .bind(recorded_by)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    for chunk in input.attendee_ids.chunks(200) {
        let sql = format!(
            "INSERT INTO briefing_attendees (briefing_id, person_id) VALUES {}",
            values_placeholders(PLACEHOLDERS, chunk.len(), 2)
        );
        let mut query = dynamic(sql);
        for person in chunk {
            query = query.bind(id).bind(*person);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn get_briefing_row(tx: &mut Tx, id: Uuid) -> StoreResult<Briefing> {
    let row = dynamic(format!(
        "SELECT {BRIEFING_COLUMNS} FROM {BRIEFING_TABLE} WHERE b.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| briefing_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("briefing"))
}

async fn list_briefings(
    pool: &sqlx::Pool<Db>,
    filter: &BriefingFilter,
    page: PageRequest,
) -> StoreResult<Page<Briefing>> {
    let mut conditions = Conditions::default();
    if let Some(unit) = filter.unit_id {
        conditions.add("b.unit_id = {}", Arg::Uuid(unit));
    }
    if let Some(manager) = filter.manager_id {
        conditions.add("b.manager_id = {}", Arg::Uuid(manager));
    }
    let mut listed = fetch_page(
        pool,
        BRIEFING_TABLE,
        BRIEFING_COLUMNS,
        "b.briefed_on DESC, b.id DESC",
        &conditions,
        page,
        briefing_from_row,
    )
    .await?;
    attach_attendees(pool, &mut listed.items).await?;
    Ok(listed)
}

const UNIT_BRIEFINGS_SELECT: &str = "SELECT u.id AS unit_id, u.name AS unit_name, u.head_id,
        h.name AS head_name, b.last_briefed_on, COALESCE(b.in_period, 0) AS in_period
    FROM units u
    LEFT JOIN people h ON h.id = u.head_id
    LEFT JOIN (
        SELECT unit_id, MAX(briefed_on) AS last_briefed_on,
            SUM(CASE WHEN briefed_on >= $1 THEN 1 ELSE 0 END) AS in_period
        FROM briefings GROUP BY unit_id
    ) b ON b.unit_id = u.id";

fn unit_briefings_from_row(row: &DbRow) -> Result<UnitBriefings, sqlx::Error> {
    Ok(UnitBriefings {
        unit_id: row.try_get("unit_id")?,
        unit_name: row.try_get("unit_name")?,
        head_id: row.try_get("head_id")?,
        head_name: row.try_get("head_name")?,
        last_briefed_on: row.try_get("last_briefed_on")?,
        in_period: row.try_get("in_period")?,
    })
}

async fn briefings_by_unit(pool: &sqlx::Pool<Db>, since: Date) -> StoreResult<Vec<UnitBriefings>> {
    let rows = dynamic(format!(
        "{UNIT_BRIEFINGS_SELECT}
         ORDER BY CASE WHEN b.last_briefed_on IS NULL THEN 0 ELSE 1 END, b.last_briefed_on,
            lower(u.name), u.id"
    ))
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(unit_briefings_from_row)
        .collect::<Result<_, _>>()?)
}

async fn units_awaiting_briefing(
    pool: &sqlx::Pool<Db>,
    head_id: Uuid,
    since: Date,
) -> StoreResult<Vec<UnitBriefings>> {
    let rows = sqlx::query(
        "SELECT u.id AS unit_id, u.name AS unit_name, u.head_id, h.name AS head_name,
            (SELECT MAX(b.briefed_on) FROM briefings b WHERE b.unit_id = u.id) AS last_briefed_on,
            CAST(0 AS BIGINT) AS in_period
         FROM units u
         LEFT JOIN people h ON h.id = u.head_id
         WHERE u.head_id = $2
            AND NOT EXISTS (SELECT 1 FROM briefings b WHERE b.unit_id = u.id AND b.briefed_on >= $1)
         ORDER BY lower(u.name), u.id",
    )
    .bind(since)
    .bind(head_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(unit_briefings_from_row)
        .collect::<Result<_, _>>()?)
}
