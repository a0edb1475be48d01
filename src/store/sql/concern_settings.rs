// Shared SQL for the concern channel's settings: one row, read by anyone (the report form says
// whether the channel is open), changed by concern handlers with an audit event. Included by
// `concerns.rs`.

const CONCERN_SETTINGS_COLUMNS: &str =
    "channel_enabled, receipt_days, response_days, reports_per_minute, replies_per_minute,
    updated_at";

fn concern_settings_from_row(row: &DbRow) -> Result<ConcernSettings, sqlx::Error> {
    Ok(ConcernSettings {
        channel_enabled: row.try_get("channel_enabled")?,
        receipt_days: row.try_get("receipt_days")?,
        response_days: row.try_get("response_days")?,
        reports_per_minute: row.try_get("reports_per_minute")?,
        replies_per_minute: row.try_get("replies_per_minute")?,
        updated_at: row.try_get("updated_at")?,
    })
}

async fn concern_settings(pool: &sqlx::Pool<Db>) -> StoreResult<ConcernSettings> {
    let row = dynamic(format!(
        "SELECT {CONCERN_SETTINGS_COLUMNS} FROM concern_settings WHERE id = 1"
    ))
    .fetch_one(pool)
    .await?;
    Ok(concern_settings_from_row(&row)?)
}

/// Reads the settings and holds their row until the transaction ends, so concurrent reporters
/// are counted against the per-minute limits one after the other.
async fn lock_concern_settings(tx: &mut Tx) -> Result<ConcernSettings, sqlx::Error> {
    let row = dynamic(format!(
        "UPDATE concern_settings SET id = id WHERE id = 1 RETURNING {CONCERN_SETTINGS_COLUMNS}"
    ))
    .fetch_one(&mut **tx)
    .await?;
    concern_settings_from_row(&row)
}

async fn update_concern_settings(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: ConcernSettingsInput,
) -> StoreResult<ConcernSettings> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    require_concern_handler(&mut tx, by).await?;
    let row = dynamic(format!(
        "UPDATE concern_settings SET channel_enabled = $1, receipt_days = $2, response_days = $3,
            reports_per_minute = $4, replies_per_minute = $5, updated_at = $6
         WHERE id = 1 RETURNING {CONCERN_SETTINGS_COLUMNS}"
    ))
    .bind(input.channel_enabled)
    .bind(input.receipt_days)
    .bind(input.response_days)
    .bind(input.reports_per_minute)
    .bind(input.replies_per_minute)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let settings = concern_settings_from_row(&row)?;
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "concern_settings.updated",
        "concern_settings",
        1,
        &settings,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(settings)
}
