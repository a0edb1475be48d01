// Shared SQL for escalation paths resolved to today's holders, and the gaps in role allocation.

async fn escalation_paths(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<Vec<EscalationPath>> {
    let _ = (pool, today);
    Err(StoreError::Config(
        "escalation_paths: not written yet".into(),
    ))
}

async fn set_escalation_path(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    matter: Matter,
    input: EscalationPathInput,
    today: Date,
) -> StoreResult<EscalationPath> {
    let _ = (pool, actor, matter, input, today);
    Err(StoreError::Config(
        "set_escalation_path: not written yet".into(),
    ))
}

async fn role_gaps(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<RoleGaps> {
    let _ = (pool, today);
    Err(StoreError::Config("role_gaps: not written yet".into()))
}
