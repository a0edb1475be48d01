// Shared SQL for acknowledgment campaigns: launching to an audience (one INSERT ... SELECT),
// listing and closing, people who join an audience later, and what publishing does to campaigns.

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

/// The condition on a row `p` of people that an audience names, with the values it binds.
struct AudienceSql {
    clause: String,
    args: Vec<Arg>,
}

/// `$first, $first+1, ...` for `n` values.
fn placeholder_list(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Resolves an audience to SQL, numbering its placeholders from `first`. Units count with their
/// sub-units; unknown units are refused when `strict` and left out otherwise.
fn audience_sql(
    audience: &CampaignAudience,
    units: &[Unit],
    first: usize,
    strict: bool,
) -> StoreResult<AudienceSql> {
    let nobody = || AudienceSql {
        clause: "1 = 0".into(),
        args: Vec::new(),
    };
    let ids_in = |column: &str, ids: Vec<Uuid>| {
        if ids.is_empty() {
            return nobody();
        }
        AudienceSql {
            clause: format!("{column} IN ({})", placeholder_list(first, ids.len())),
            args: ids.into_iter().map(Arg::Uuid).collect(),
        }
    };
    match audience {
        CampaignAudience::Everyone => Ok(AudienceSql {
            clause: "1 = 1".into(),
            args: Vec::new(),
        }),
        CampaignAudience::Units { unit_ids } => Ok(ids_in(
            "p.unit_id",
            units_with_subunits(unit_ids, units, strict)?,
        )),
        CampaignAudience::People { person_ids } => Ok(ids_in("p.id", person_ids.clone())),
        CampaignAudience::Roles { roles } if roles.is_empty() => Ok(nobody()),
        CampaignAudience::Roles { roles } => Ok(AudienceSql {
            clause: format!(
                "EXISTS (SELECT 1 FROM accounts a JOIN account_roles r ON r.account_id = a.id
                    WHERE a.person_id = p.id AND a.disabled_at IS NULL AND r.role IN ({}))",
                placeholder_list(first, roles.len())
            ),
            args: roles
                .iter()
                .map(|r| Arg::Text(r.as_str().to_owned()))
                .collect(),
        }),
    }
}

/// The named units and every unit below them, once each.
fn units_with_subunits(unit_ids: &[Uuid], units: &[Unit], strict: bool) -> StoreResult<Vec<Uuid>> {
    let known: std::collections::HashSet<Uuid> = units.iter().map(|u| u.id).collect();
    let unknown = unit_ids.iter().filter(|id| !known.contains(id)).count();
    if strict && unknown > 0 {
        return Err(StoreError::Invalid(FieldErrors::single(
            "audience",
            format!("names {unknown} unit(s) that do not exist"),
        )));
    }
    let mut seen = std::collections::HashSet::new();
    let mut ids = Vec::new();
    for root in unit_ids.iter().filter(|id| known.contains(id)) {
        for id in crate::domain::unit::subtree_ids(units, *root) {
            if seen.insert(id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

/// Every unit, when the audience needs the tree (only unit audiences do).
async fn units_for<'e, E>(executor: E, audiences: &[&CampaignAudience]) -> StoreResult<Vec<Unit>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    if !audiences
        .iter()
        .any(|a| matches!(a, CampaignAudience::Units { .. }))
    {
        return Ok(Vec::new());
    }
    let rows = dynamic(format!("SELECT {UNIT_COLUMNS} FROM units"))
        .fetch_all(executor)
        .await?;
    Ok(rows.iter().map(unit_from_row).collect::<Result<_, _>>()?)
}

fn checked_audience(audience: &CampaignAudience) -> StoreResult<()> {
    let mut errors = FieldErrors::new();
    audience.validate(&mut errors);
    errors.into_result().map_err(StoreError::Invalid)
}

fn nobody_in_audience() -> StoreError {
    StoreError::Invalid(FieldErrors::single(
        "audience",
        "nobody active is in this audience",
    ))
}

async fn audience_size(pool: &sqlx::Pool<Db>, audience: &CampaignAudience) -> StoreResult<i64> {
    checked_audience(audience)?;
    let units = units_for(pool, &[audience]).await?;
    let resolved = audience_sql(audience, &units, 1, true)?;
    let sql = format!(
        "SELECT COUNT(*) FROM people p WHERE p.status = 'active' AND {}",
        resolved.clause
    );
    Ok(count(bind_args(dynamic(sql), &resolved.args), pool).await?)
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
    let resolved = audience_sql(&audience, &units, ASK_FIRST_PLACEHOLDER, true)?;
    let id = Uuid::now_v7();
    insert_campaign(&mut tx, id, by, &policy, &version, &input, &audience, today).await?;
    let asked = ask_audience(&mut tx, id, &resolved, input.due_on, false).await?;
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

/// Where the audience's values start in `ask_audience`'s statement (after its own four).
const ASK_FIRST_PLACEHOLDER: usize = 5;

/// Adds a pending acknowledgment for every active person in the resolved audience (resolved
/// from `ASK_FIRST_PLACEHOLDER`) who has none in the campaign yet; returns how many were added.
async fn ask_audience(
    tx: &mut Tx,
    campaign_id: Uuid,
    resolved: &AudienceSql,
    due_on: Date,
    joined_late: bool,
) -> StoreResult<u64> {
    let not_asked = if joined_late {
        " AND NOT EXISTS (SELECT 1 FROM acknowledgments k
            WHERE k.campaign_id = $1 AND k.person_id = p.id)"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO acknowledgments (campaign_id, person_id, assigned_at, due_on, joined_late)
         SELECT $1, p.id, $2, $3, $4 FROM people p
         WHERE p.status = 'active' AND {}{not_asked}",
        resolved.clause
    );
    let query = dynamic(sql)
        .bind(campaign_id)
        .bind(now())
        .bind(due_on)
        .bind(joined_late);
    let done = bind_args(query, &resolved.args).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

async fn close_campaign(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    today: Date,
) -> StoreResult<Campaign> {
    let mut tx = begin_write(pool).await?;
    let campaign = get_campaign_in(&mut *tx, id, today).await?;
    if campaign.status == CampaignStatus::Closed {
        return Err(StoreError::Conflict(
            "this campaign is already closed".into(),
        ));
    }
    let mut events = Vec::new();
    close_in(
        &mut tx,
        &account_actor(by),
        id,
        today,
        "closed by hand",
        &mut events,
    )
    .await?;
    append_events(&mut tx, events).await?;
    let after = get_campaign_in(&mut *tx, id, today).await?;
    tx.commit().await?;
    Ok(after)
}

/// Closes an open campaign, with its `campaign.closed` event.
async fn close_in(
    tx: &mut Tx,
    actor: &Actor,
    id: Uuid,
    today: Date,
    reason: &str,
    events: &mut Vec<NewAuditEvent>,
) -> StoreResult<()> {
    sqlx::query("UPDATE campaigns SET status = 'closed', closed_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    let closed = get_campaign_in(&mut **tx, id, today).await?;
    let record = serde_json::json!({ "campaign": &closed, "reason": reason });
    events.push(NewAuditEvent::for_record(
        actor,
        "campaign.closed",
        "campaign",
        id,
        &record,
    ));
    Ok(())
}

async fn sync_audiences(pool: &sqlx::Pool<Db>, actor: &Actor, today: Date) -> StoreResult<u64> {
    let mut tx = begin_write(pool).await?;
    let open = sqlx::query(
        "SELECT id, audience, days_to_acknowledge FROM campaigns WHERE status = 'open'
         ORDER BY launched_at, id",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut campaigns = Vec::with_capacity(open.len());
    for row in &open {
        let id: Uuid = row.try_get("id")?;
        let audience: CampaignAudience = json_column(row, "audience")?;
        let days = i64::from(row.try_get::<i32, _>("days_to_acknowledge")?);
        campaigns.push((id, audience, days));
    }
    let audiences: Vec<&CampaignAudience> = campaigns.iter().map(|(_, a, _)| a).collect();
    let units = units_for(&mut *tx, &audiences).await?;
    let mut added = 0;
    let mut events = Vec::new();
    for (id, audience, days) in &campaigns {
        let due_on = today.saturating_add(time::Duration::days(*days));
        let resolved = audience_sql(audience, &units, ASK_FIRST_PLACEHOLDER, false)?;
        let joined = ask_audience(&mut tx, *id, &resolved, due_on, true).await?;
        if joined > 0 {
            let record = serde_json::json!({ "campaign_id": id, "joined": joined, "due_on": due_on.to_string() });
            events.push(NewAuditEvent::for_record(
                actor,
                "campaign.audience_joined",
                "campaign",
                id,
                &record,
            ));
        }
        added += joined;
    }
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(added)
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
    let open: Vec<Uuid> = sqlx::query(
        "SELECT id FROM campaigns WHERE policy_id = $1 AND status = 'open' AND version_id <> $2",
    )
    .bind(version.policy_id)
    .bind(version.id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| row.try_get("id"))
    .collect::<Result<_, _>>()?;
    let actor = account_actor(by);
    for id in open {
        if version.is_major {
            let reason = format!("major version {} published", version.number);
            close_in(tx, &actor, id, today, &reason, events).await?;
            continue;
        }
        sqlx::query("UPDATE campaigns SET version_id = $2 WHERE id = $1")
            .bind(id)
            .bind(version.id)
            .execute(&mut **tx)
            .await?;
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
