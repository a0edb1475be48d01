// Shared SQL for ISMS activities and the RACI matrix.

async fn list_activities(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<Activity>> {
    let _ = (pool,);
    Err(StoreError::Config(
        "list_activities: not written yet".into(),
    ))
}

async fn create_activity(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    input: ActivityInput,
) -> StoreResult<Activity> {
    let _ = (pool, actor, input);
    Err(StoreError::Config(
        "create_activity: not written yet".into(),
    ))
}

async fn update_activity(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    input: ActivityInput,
) -> StoreResult<Activity> {
    let _ = (pool, actor, id, input);
    Err(StoreError::Config(
        "update_activity: not written yet".into(),
    ))
}

async fn raci_matrix(pool: &sqlx::Pool<Db>) -> StoreResult<RaciMatrix> {
    let _ = (pool,);
    Err(StoreError::Config("raci_matrix: not written yet".into()))
}

async fn replace_raci(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    activity_ids: &[Uuid],
    cells: &[RaciCell],
) -> StoreResult<RaciMatrix> {
    let _ = (pool, actor, activity_ids, cells);
    Err(StoreError::Config("replace_raci: not written yet".into()))
}

/// Every cell of the matrix that carries a duty.
async fn raci_cells_in<'e, E>(executor: E) -> Result<Vec<RaciCell>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query("SELECT activity_id, role_id, duty FROM raci_cells")
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
