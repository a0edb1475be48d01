// Shared SQL for segregation of duties: rules, violations computed for every person, exceptions.

async fn list_sod_rules(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<SodRule>> {
    let _ = (pool,);
    Err(StoreError::Config("list_sod_rules: not written yet".into()))
}

async fn create_sod_rule(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    input: SodRuleInput,
) -> StoreResult<SodRule> {
    let _ = (pool, actor, input);
    Err(StoreError::Config(
        "create_sod_rule: not written yet".into(),
    ))
}

async fn remove_sod_rule(pool: &sqlx::Pool<Db>, actor: &Actor, id: Uuid) -> StoreResult<()> {
    let _ = (pool, actor, id);
    Err(StoreError::Config(
        "remove_sod_rule: not written yet".into(),
    ))
}

async fn sod_violations(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<Vec<SodViolation>> {
    let _ = (pool, today);
    Err(StoreError::Config("sod_violations: not written yet".into()))
}

async fn request_sod_exception(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: SodExceptionInput,
    today: Date,
) -> StoreResult<SodException> {
    let _ = (pool, by, input, today);
    Err(StoreError::Config(
        "request_sod_exception: not written yet".into(),
    ))
}

async fn decide_sod_exception(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    decision: SodExceptionDecisionInput,
    today: Date,
) -> StoreResult<SodException> {
    let _ = (pool, by, id, decision, today);
    Err(StoreError::Config(
        "decide_sod_exception: not written yet".into(),
    ))
}

async fn get_sod_exception(
    pool: &sqlx::Pool<Db>,
    id: Uuid,
    today: Date,
) -> StoreResult<SodException> {
    let _ = (pool, id, today);
    Err(StoreError::Config(
        "get_sod_exception: not written yet".into(),
    ))
}

async fn list_sod_exceptions(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<Vec<SodException>> {
    let _ = (pool, today);
    Err(StoreError::Config(
        "list_sod_exceptions: not written yet".into(),
    ))
}

/// Every pair of roles the active rules put in conflict (duty rules expanded through the RACI
/// matrix), read inside the caller's transaction; `assign_role` checks a new assignment with it.
async fn conflicting_pairs_in(tx: &mut Tx) -> StoreResult<Vec<RolePair>> {
    let rules = sqlx::query(
        "SELECT id, kind, role_a, role_b, activity_a, duty_a, activity_b, duty_b
         FROM sod_rules WHERE removed_at IS NULL",
    )
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| {
        Ok(SodRule {
            id: row.try_get("id")?,
            conflict: sod_conflict_from_row(row)?,
            rationale: String::new(),
            side_a: String::new(),
            side_b: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let cells = raci_cells_in(&mut **tx).await?;
    Ok(crate::domain::sod::conflicting_pairs(&rules, &cells))
}

/// A rule's conflict from its columns (`kind`, `role_a`, `role_b`, `activity_a`, `duty_a`,
/// `activity_b`, `duty_b`).
fn sod_conflict_from_row(row: &DbRow) -> Result<SodConflict, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    if kind == "roles" {
        return Ok(SodConflict::Roles {
            role_a: row.try_get("role_a")?,
            role_b: row.try_get("role_b")?,
        });
    }
    Ok(SodConflict::Duties {
        activity_a: row.try_get("activity_a")?,
        duty_a: parse_column(row, "duty_a")?,
        activity_b: row.try_get("activity_b")?,
        duty_b: parse_column(row, "duty_b")?,
    })
}
