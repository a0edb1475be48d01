// Shared SQL for tasks delegated by the holder of an assignment (accountability stays with them).

async fn delegate_task(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: DelegationInput,
    today: Date,
) -> StoreResult<Delegation> {
    let _ = (pool, by, input, today);
    Err(StoreError::Config("delegate_task: not written yet".into()))
}

async fn revoke_delegation(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    today: Date,
) -> StoreResult<Delegation> {
    let _ = (pool, by, id, today);
    Err(StoreError::Config(
        "revoke_delegation: not written yet".into(),
    ))
}

async fn get_delegation(pool: &sqlx::Pool<Db>, id: Uuid, today: Date) -> StoreResult<Delegation> {
    let _ = (pool, id, today);
    Err(StoreError::Config("get_delegation: not written yet".into()))
}

async fn list_delegations(
    pool: &sqlx::Pool<Db>,
    filter: &DelegationFilter,
    today: Date,
) -> StoreResult<Vec<Delegation>> {
    let _ = (pool, filter, today);
    Err(StoreError::Config(
        "list_delegations: not written yet".into(),
    ))
}
