// Shared SQL for objectives: created, edited and retired by ISMS managers, each with its status
// computed when read from the last effective measurements. Measurements are in
// `objective_measurements.rs`, included here so both backends compile it.

use crate::domain::objective::{
    Measurement, MeasurementInput, Objective, ObjectiveFilter, ObjectiveInput,
};

include!("objective_measurements.rs");

const OBJECTIVE_SELECT: &str = "SELECT o.id, o.statement, o.metric, o.unit, o.target,
        o.direction, o.owner_id, p.name AS owner_name, o.due_on, o.interval_days, o.theme,
        o.policy_id, pol.title AS policy_title, o.retired_at, o.created_at, o.updated_at
    FROM objectives o JOIN people p ON p.id = o.owner_id
    LEFT JOIN policies pol ON pol.id = o.policy_id";

/// The objective as stored; its status and latest value are set from its series afterwards.
fn objective_from_row(row: &DbRow) -> Result<Objective, sqlx::Error> {
    let interval: i32 = row.try_get("interval_days")?;
    let retired_at: Option<OffsetDateTime> = row.try_get("retired_at")?;
    Ok(Objective {
        id: row.try_get("id")?,
        statement: row.try_get("statement")?,
        metric: row.try_get("metric")?,
        unit: row.try_get("unit")?,
        target: row.try_get("target")?,
        direction: parse_column(row, "direction")?,
        owner_id: row.try_get("owner_id")?,
        owner_name: row.try_get("owner_name")?,
        due_on: row.try_get("due_on")?,
        measurement_interval_days: i64::from(interval),
        theme: row.try_get("theme")?,
        policy_id: row.try_get("policy_id")?,
        policy_title: row.try_get("policy_title")?,
        active: retired_at.is_none(),
        retired_at,
        status: ObjectiveStatus::NotMeasured,
        latest: None,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The objectives under `conditions` (on `o`), each with its last effective points, oldest
/// first: two queries, however many objectives. Sorted by theme and statement ignoring case in
/// Rust, as SQLite's `lower()` folds only A-Z and PostgreSQL's every letter.
async fn objectives_with_points(
    tx: &mut Tx,
    conditions: &Conditions,
    today: Date,
) -> StoreResult<Vec<(Objective, Vec<TrendPoint>)>> {
    let sql = format!("{OBJECTIVE_SELECT}{}", conditions.where_sql());
    let rows = bind_args(dynamic(sql), &conditions.args)
        .fetch_all(&mut **tx)
        .await?;
    let mut points = recent_points(tx, conditions).await?;
    let mut found = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut objective = objective_from_row(row)?;
        let series = points.remove(&objective.id).unwrap_or_default();
        objective.apply_series(&series, today);
        found.push((objective, series));
    }
    found.sort_by_cached_key(|(o, _)| (o.theme.to_lowercase(), o.statement.to_lowercase(), o.id));
    Ok(found)
}

/// The last `TREND_POINTS` effective measurements of each objective under `conditions`.
async fn recent_points(
    tx: &mut Tx,
    conditions: &Conditions,
) -> StoreResult<HashMap<Uuid, Vec<TrendPoint>>> {
    let effective =
        "NOT EXISTS (SELECT 1 FROM objective_measurements c WHERE c.corrects_id = m.id)";
    let filter = match conditions.where_sql() {
        sql if sql.is_empty() => format!(" WHERE {effective}"),
        sql => format!("{sql} AND {effective}"),
    };
    let sql = format!(
        "SELECT objective_id, measured_at, value FROM (
            SELECT m.objective_id, m.measured_at, m.value, ROW_NUMBER() OVER (
                PARTITION BY m.objective_id
                ORDER BY m.measured_at DESC, m.recorded_at DESC, m.id DESC) AS position
            FROM objective_measurements m JOIN objectives o ON o.id = m.objective_id{filter}
        ) recent WHERE position <= {} ORDER BY objective_id, position DESC",
        crate::domain::objective::TREND_POINTS
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .fetch_all(&mut **tx)
        .await?;
    let mut points: HashMap<Uuid, Vec<TrendPoint>> = HashMap::new();
    for row in &rows {
        points
            .entry(row.try_get("objective_id")?)
            .or_default()
            .push(TrendPoint {
                at: row.try_get("measured_at")?,
                value: row.try_get("value")?,
            });
    }
    Ok(points)
}

fn objective_conditions(filter: &ObjectiveFilter) -> Conditions {
    let mut conditions = Conditions::default();
    if !filter.include_retired {
        conditions.add_fixed("o.retired_at IS NULL");
    }
    if let Some(owner) = filter.owner_id {
        conditions.add("o.owner_id = {}", Arg::Uuid(owner));
    }
    conditions
}

async fn objective_in(tx: &mut Tx, id: Uuid, today: Date) -> StoreResult<Objective> {
    let mut conditions = Conditions::default();
    conditions.add("o.id = {}", Arg::Uuid(id));
    objectives_with_points(tx, &conditions, today)
        .await?
        .pop()
        .map(|(objective, _)| objective)
        .ok_or(StoreError::NotFound("objective"))
}

async fn get_objective(pool: &sqlx::Pool<Db>, id: Uuid, today: Date) -> StoreResult<Objective> {
    let mut tx = begin_snapshot(pool).await?;
    let objective = objective_in(&mut tx, id, today).await?;
    tx.commit().await?;
    Ok(objective)
}

async fn list_objectives(
    pool: &sqlx::Pool<Db>,
    filter: &ObjectiveFilter,
    today: Date,
) -> StoreResult<Vec<Objective>> {
    let mut tx = begin_snapshot(pool).await?;
    let found = objectives_with_points(&mut tx, &objective_conditions(filter), today).await?;
    tx.commit().await?;
    // The theme is compared here, ignoring case for every letter, the same on both databases.
    let theme = filter.theme.as_deref().map(|t| t.trim().to_lowercase());
    Ok(found
        .into_iter()
        .map(|(objective, _)| objective)
        .filter(|o| theme.as_ref().is_none_or(|t| o.theme.to_lowercase() == *t))
        .filter(|o| filter.status.is_none_or(|s| o.status == s))
        .collect())
}

async fn objective_lines(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<Vec<ObjectiveLine>> {
    let mut tx = begin_snapshot(pool).await?;
    let found = objectives_with_points(
        &mut tx,
        &objective_conditions(&ObjectiveFilter::default()),
        today,
    )
    .await?;
    tx.commit().await?;
    Ok(found.iter().map(|(o, series)| o.line(series)).collect())
}

/// The owner is someone still here; the policy, when named, exists.
async fn check_objective_references(tx: &mut Tx, input: &ObjectiveInput) -> StoreResult<()> {
    let mut errors = FieldErrors::new();
    let status: Option<String> = sqlx::query("SELECT status FROM people WHERE id = $1")
        .bind(input.owner_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| row.try_get("status"))
        .transpose()?;
    match status.as_deref() {
        None => errors.add("owner_id", "is not a known person"),
        Some("departed") => errors.add("owner_id", "has departed: choose someone still here"),
        Some(_) => {}
    }
    if let Some(policy) = input.policy_id {
        let known = sqlx::query("SELECT 1 FROM policies WHERE id = $1")
            .bind(policy)
            .fetch_optional(&mut **tx)
            .await?;
        if known.is_none() {
            errors.add("policy_id", "is not a known policy");
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

async fn create_objective(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    input: ObjectiveInput,
    today: Date,
) -> StoreResult<Objective> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    check_objective_references(&mut tx, &input).await?;
    let id = Uuid::now_v7();
    let at = now();
    sqlx::query(
        "INSERT INTO objectives (id, statement, metric, unit, target, direction, owner_id,
            due_on, interval_days, theme, policy_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(id)
    .bind(input.statement.as_str())
    .bind(input.metric.as_str())
    .bind(input.unit.as_str())
    .bind(input.target)
    .bind(input.direction.as_str())
    .bind(input.owner_id)
    .bind(input.due_on)
    .bind(interval_column(&input))
    .bind(input.theme.as_str())
    .bind(input.policy_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    finish_objective_change(tx, actor, "objective.created", id, today).await
}

async fn update_objective(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    input: ObjectiveInput,
    today: Date,
) -> StoreResult<Objective> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    lock_objective(&mut tx, id, ObjectiveLock::Exclusive).await?;
    refuse_retired(&objective_in(&mut tx, id, today).await?, "edited")?;
    check_objective_references(&mut tx, &input).await?;
    sqlx::query(
        "UPDATE objectives SET statement = $2, metric = $3, unit = $4, target = $5,
            direction = $6, owner_id = $7, due_on = $8, interval_days = $9, theme = $10,
            policy_id = $11, updated_at = $12
         WHERE id = $1",
    )
    .bind(id)
    .bind(input.statement.as_str())
    .bind(input.metric.as_str())
    .bind(input.unit.as_str())
    .bind(input.target)
    .bind(input.direction.as_str())
    .bind(input.owner_id)
    .bind(input.due_on)
    .bind(interval_column(&input))
    .bind(input.theme.as_str())
    .bind(input.policy_id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    finish_objective_change(tx, actor, "objective.updated", id, today).await
}

async fn retire_objective(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    today: Date,
) -> StoreResult<Objective> {
    let mut tx = begin_write(pool).await?;
    lock_objective(&mut tx, id, ObjectiveLock::Exclusive).await?;
    refuse_retired(&objective_in(&mut tx, id, today).await?, "retired again")?;
    let at = now();
    sqlx::query("UPDATE objectives SET retired_at = $2, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    finish_objective_change(tx, actor, "objective.retired", id, today).await
}

/// The interval as the INTEGER column takes it (validated to at most a year).
fn interval_column(input: &ObjectiveInput) -> i32 {
    i32::try_from(input.measurement_interval_days).unwrap_or(i32::MAX)
}

/// Reads the objective back, writes its audit event and commits.
async fn finish_objective_change(
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    id: Uuid,
    today: Date,
) -> StoreResult<Objective> {
    let objective = objective_in(&mut tx, id, today).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            action,
            "objective",
            id,
            &objective,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(objective)
}
