// Shared SQL for acknowledgment campaigns: launching (one INSERT ... SELECT of the audience, see
// campaign_audiences.rs), listing and closing, and what publishing does to campaigns.

/// A campaign with the names its pages show; its counts need today's date at placeholder `$T`.
const CAMPAIGN_SELECT: &str = "SELECT c.id, c.policy_id, pol.title AS policy_title, c.version_id,
    v.major, v.minor, c.title, c.audience, c.due_on, c.days_to_acknowledge, c.statement,
    c.reminders, c.status, c.launched_by, lp.name AS launched_by_name, c.launched_at, c.closed_at,
    (SELECT COUNT(*) FROM acknowledgments k WHERE k.campaign_id = c.id) AS n_total,
    (SELECT COUNT(*) FROM acknowledgments k WHERE k.campaign_id = c.id
        AND k.acknowledged_at IS NOT NULL) AS n_acknowledged,
    (SELECT COUNT(*) FROM acknowledgments k WHERE k.campaign_id = c.id
        AND k.acknowledged_at IS NULL AND k.due_on < $T) AS n_overdue
    FROM campaigns c JOIN policies pol ON pol.id = c.policy_id
    JOIN policy_versions v ON v.id = c.version_id
    JOIN accounts la ON la.id = c.launched_by JOIN people lp ON lp.id = la.person_id";

/// `CAMPAIGN_SELECT` with today's date bound at placeholder `today`.
fn campaign_select(today: usize) -> String {
    CAMPAIGN_SELECT.replace("$T", &format!("${today}"))
}

fn json_column<T: serde::de::DeserializeOwned>(
    row: &DbRow,
    column: &str,
) -> Result<T, sqlx::Error> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(e),
    })
}

fn number_from_row(row: &DbRow) -> Result<VersionNumber, sqlx::Error> {
    Ok(VersionNumber {
        major: row.try_get::<i32, _>("major")?.unsigned_abs(),
        minor: row.try_get::<i32, _>("minor")?.unsigned_abs(),
    })
}

fn counts_from_row(row: &DbRow) -> Result<CoverageCounts, sqlx::Error> {
    let total: i64 = row.try_get("n_total")?;
    let acknowledged: i64 = row.try_get("n_acknowledged")?;
    let overdue: i64 = row.try_get("n_overdue")?;
    Ok(CoverageCounts {
        total,
        acknowledged,
        pending: total - acknowledged - overdue,
        overdue,
    })
}

fn campaign_from_row(row: &DbRow) -> Result<Campaign, sqlx::Error> {
    Ok(Campaign {
        id: row.try_get("id")?,
        policy_id: row.try_get("policy_id")?,
        policy_title: row.try_get("policy_title")?,
        version_id: row.try_get("version_id")?,
        version_number: number_from_row(row)?,
        title: row.try_get("title")?,
        audience: json_column(row, "audience")?,
        due_on: row.try_get("due_on")?,
        days_to_acknowledge: row.try_get::<i32, _>("days_to_acknowledge")?.unsigned_abs(),
        statement: row.try_get("statement")?,
        reminders: json_column(row, "reminders")?,
        status: parse_column(row, "status")?,
        launched_by: row.try_get("launched_by")?,
        launched_by_name: row.try_get("launched_by_name")?,
        launched_at: row.try_get("launched_at")?,
        closed_at: row.try_get("closed_at")?,
        counts: counts_from_row(row)?,
    })
}

async fn get_campaign_in<'e, E>(executor: E, id: Uuid, today: Date) -> StoreResult<Campaign>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!("{} WHERE c.id = $1", campaign_select(2)))
        .bind(id)
        .bind(today)
        .fetch_optional(executor)
        .await?;
    row.map(|r| campaign_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("campaign"))
}

async fn list_campaigns(
    pool: &sqlx::Pool<Db>,
    filter: &CampaignFilter,
    today: Date,
    page: PageRequest,
) -> StoreResult<Page<Campaign>> {
    let mut conditions = Conditions::default();
    if let Some(status) = filter.status {
        conditions.add("c.status = {}", Arg::Text(status.as_str().to_owned()));
    }
    if let Some(policy) = filter.policy_id {
        conditions.add("c.policy_id = {}", Arg::Uuid(policy));
    }
    let where_sql = conditions.where_sql();
    let counting = dynamic(format!("SELECT COUNT(*) FROM campaigns c{where_sql}"));
    let total = count(bind_args(counting, &conditions.args), pool).await?;
    let n = conditions.next_placeholder();
    let sql = format!(
        "{}{where_sql} ORDER BY CASE c.status WHEN 'open' THEN 0 ELSE 1 END, c.launched_at DESC,
            c.id DESC LIMIT ${} OFFSET ${}",
        campaign_select(n),
        n + 1,
        n + 2
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .bind(today)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(pool)
        .await?;
    let items = rows
        .iter()
        .map(campaign_from_row)
        .collect::<Result<_, _>>()?;
    Ok(Page::new(items, page, total))
}

async fn campaigns_to_remind(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<Vec<Campaign>> {
    let rows = dynamic(format!(
        "{} WHERE c.status = 'open' AND (c.last_reminded_on IS NULL OR c.last_reminded_on < $1)
         ORDER BY c.launched_at, c.id",
        campaign_select(1)
    ))
    .bind(today)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(campaign_from_row)
        .collect::<Result<_, _>>()?)
}

/// The version to launch for: it must exist (404) and be the one published (422).
async fn launchable_version(tx: &mut Tx, version_id: Uuid) -> StoreResult<PolicyVersion> {
    let version = get_version_in(&mut **tx, version_id).await?;
    if version.status != VersionStatus::Published {
        return Err(StoreError::Invalid(FieldErrors::single(
            "version_id",
            format!(
                "version {} is {}: only the published version can be sent for acknowledgment",
                version.number,
                version.status.as_str().replace('_', " ")
            ),
        )));
    }
    Ok(version)
}

async fn launch_campaign(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: CampaignInput,
    today: Date,
) -> StoreResult<Campaign> {
    if input.due_on < today {
        return Err(StoreError::Invalid(FieldErrors::single(
            "due_on",
            "is in the past: choose today or a later date",
        )));
    }
    let mut tx = begin_write(pool).await?;
    let version = launchable_version(&mut tx, input.version_id).await?;
    let policy = get_policy_in(&mut *tx, version.policy_id).await?;
    let audience = input
        .audience
        .clone()
        .unwrap_or_else(|| CampaignAudience::from_policy(&policy.audience));
    checked_audience(&audience)?;
    let units = units_for(&mut *tx, &[&audience]).await?;
    let id = Uuid::now_v7();
    insert_campaign(&mut tx, id, by, &policy, &version, &input, &audience, today).await?;
    let asking = Asking {
        audience: &audience,
        units: &units,
        strict: true,
        changed_since: None,
    };
    let asked = ask_audience(&mut tx, id, &asking, input.due_on, false).await?;
    if asked == 0 {
        return Err(nobody_in_audience());
    }
    let campaign = get_campaign_in(&mut *tx, id, today).await?;
    let record = serde_json::json!({ "campaign": &campaign, "asked": asked });
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "campaign.launched",
        "campaign",
        id,
        &record,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    refresh_ack_stats(pool, asked).await;
    Ok(campaign)
}

/// Writes the campaign row with its defaults: "<policy> <version>" as title, the standard
/// statement and reminder schedule, and the days from today to the due date for late joiners.
#[allow(clippy::too_many_arguments)]
async fn insert_campaign(
    tx: &mut Tx,
    id: Uuid,
    by: &Account,
    policy: &Policy,
    version: &PolicyVersion,
    input: &CampaignInput,
    audience: &CampaignAudience,
    today: Date,
) -> Result<(), sqlx::Error> {
    let title = input
        .title
        .clone()
        .unwrap_or_else(|| format!("{} {}", policy.title, version.number));
    let statement = input
        .statement
        .as_deref()
        .unwrap_or(crate::domain::campaign::DEFAULT_STATEMENT);
    let reminders = input.reminders.clone().unwrap_or_default();
    let days = (input.due_on - today).whole_days();
    sqlx::query(
        "INSERT INTO campaigns (id, policy_id, version_id, title, audience, due_on,
            days_to_acknowledge, statement, reminders, status, launched_by, launched_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11)",
    )
    .bind(id)
    .bind(policy.id)
    .bind(version.id)
    .bind(title)
    .bind(to_json(audience))
    .bind(input.due_on)
    .bind(i32::try_from(days).unwrap_or(i32::MAX))
    .bind(statement)
    .bind(to_json(&reminders))
    .bind(by.id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// From this many rows written at once, the planner's statistics are refreshed.
const REFRESH_ACK_STATS_FROM: u64 = 1_000;

/// Refreshes the statistics of the acknowledgments after a large launch, where the backend needs
/// it. The campaign is committed already; a failure here only costs a slower plan until
/// autovacuum runs, so it is logged, not returned.
async fn refresh_ack_stats(pool: &sqlx::Pool<Db>, written: u64) {
    let Some(sql) = REFRESH_ACK_STATS.filter(|_| written >= REFRESH_ACK_STATS_FROM) else {
        return;
    };
    if let Err(error) = sqlx::query(sql).execute(pool).await {
        tracing::warn!(%error, "could not refresh the statistics of acknowledgments");
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

async fn close_campaign(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    today: Date,
) -> StoreResult<Campaign> {
    let mut tx = begin_write(pool).await?;
    let campaign = get_campaign_in(&mut *tx, id, today).await?;
    let mut events = Vec::new();
    let closed = campaign.status == CampaignStatus::Open
        && close_in(
            &mut tx,
            &account_actor(by),
            id,
            today,
            "closed by hand",
            &mut events,
        )
        .await?;
    if !closed {
        return Err(StoreError::Conflict(
            "this campaign is already closed".into(),
        ));
    }
    append_events(&mut tx, events).await?;
    let after = get_campaign_in(&mut *tx, id, today).await?;
    tx.commit().await?;
    Ok(after)
}

/// Closes a campaign if it is still open, with its `campaign.closed` event; false when it was
/// closed already (by another transaction since it was read), and then nothing is written.
async fn close_in(
    tx: &mut Tx,
    actor: &Actor,
    id: Uuid,
    today: Date,
    reason: &str,
    events: &mut Vec<NewAuditEvent>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE campaigns SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let closed = get_campaign_in(&mut **tx, id, today).await?;
    let record = serde_json::json!({ "campaign": &closed, "reason": reason });
    events.push(NewAuditEvent::for_record(
        actor,
        "campaign.closed",
        "campaign",
        id,
        &record,
    ));
    Ok(true)
}

/// The policy's open campaigns on `version_id` (`on_it`) or on another version (not `on_it`), in
/// id order: the order in which writers lock campaigns.
async fn open_campaigns_of(
    tx: &mut Tx,
    policy_id: Uuid,
    version_id: Uuid,
    on_it: bool,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let on = if on_it { "=" } else { "<>" };
    dynamic(format!(
        "SELECT id FROM campaigns WHERE policy_id = $1 AND status = 'open' AND version_id {on} $2
         ORDER BY id"
    ))
    .bind(policy_id)
    .bind(version_id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| row.try_get("id"))
    .collect()
}

/// Retiring a version closes the open campaigns that ask about it: there is nothing in force
/// left to acknowledge, and no reminder goes out for them.
async fn close_retired_campaigns(
    tx: &mut Tx,
    by: &Account,
    version: &PolicyVersion,
    today: Date,
    events: &mut Vec<NewAuditEvent>,
) -> StoreResult<()> {
    let actor = account_actor(by);
    let reason = format!("version {} retired", version.number);
    for id in open_campaigns_of(tx, version.policy_id, version.id, true).await? {
        close_in(tx, &actor, id, today, &reason, events).await?;
    }
    Ok(())
}

/// Publishing a version moves the policy's open campaigns with it: a minor version takes the
/// place of the one they asked about (acknowledgments given carry over); a major one closes them,
/// since people must read it again.
async fn carry_campaigns(
    tx: &mut Tx,
    by: &Account,
    version: &PolicyVersion,
    today: Date,
    events: &mut Vec<NewAuditEvent>,
) -> StoreResult<()> {
    let open = open_campaigns_of(tx, version.policy_id, version.id, false).await?;
    let actor = account_actor(by);
    for id in open {
        if version.is_major {
            let reason = format!("major version {} published", version.number);
            close_in(tx, &actor, id, today, &reason, events).await?;
            continue;
        }
        let moved =
            sqlx::query("UPDATE campaigns SET version_id = $2 WHERE id = $1 AND status = 'open'")
                .bind(id)
                .bind(version.id)
                .execute(&mut **tx)
                .await?;
        if moved.rows_affected() == 0 {
            continue;
        }
        let record = serde_json::json!({
            "campaign_id": id,
            "version_id": version.id,
            "number": version.number.to_string(),
            "content_hash": &version.content_hash,
        });
        events.push(NewAuditEvent::for_record(
            &actor,
            "campaign.version_carried",
            "campaign",
            id,
            &record,
        ));
    }
    Ok(())
}
