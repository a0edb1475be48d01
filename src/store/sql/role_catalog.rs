// Shared SQL that installs the standard catalog (`domain::standard_catalog`) into an empty one.

async fn install_standard_catalog(pool: &sqlx::Pool<Db>, actor: &Actor) -> StoreResult<bool> {
    let _ = (pool, actor);
    Err(StoreError::Config(
        "install_standard_catalog: not written yet".into(),
    ))
}
