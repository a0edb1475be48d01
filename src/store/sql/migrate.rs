// Shared migration runner (see `store::migrations`): each pending migration in its own
// transaction, recorded with its checksum; a changed applied migration is refused. The run that
// creates the role catalog's tables installs the standard catalog after they commit.

async fn run_migrations(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<i64>> {
    sqlx::query(crate::store::migrations::CREATE_LEDGER)
        .execute(pool)
        .await?;
    let mut applied_now = Vec::new();
    for migration in MIGRATIONS {
        let mut tx = begin_write(pool).await?;
        lock_for_migration(&mut tx).await?;
        let recorded: Option<String> =
            sqlx::query("SELECT checksum FROM charter_migrations WHERE version = $1")
                .bind(migration.version)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get("checksum"))
                .transpose()?;
        match recorded {
            Some(checksum) if checksum == migration.checksum() => continue,
            Some(_) => {
                return Err(StoreError::Config(format!(
                    "migration {} ({}) was changed after it was applied; restore the original file",
                    migration.version, migration.name
                )));
            }
            None => {}
        }
        sqlx::raw_sql(sqlx::AssertSqlSafe(migration.sql))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO charter_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
            .bind(migration.version)
            .bind(migration.name)
            .bind(migration.checksum())
            .bind(now().format(&time::format_description::well_known::Rfc3339).unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        applied_now.push(migration.version);
    }
    if applied_now.contains(&ROLE_CATALOG_MIGRATION) {
        install_standard_catalog(pool, &Actor::system()).await?;
    }
    Ok(applied_now)
}
