// Shared SQL for whom a campaign or a communication addresses: an audience resolved to a
// condition on people, asking them (one INSERT ... SELECT), and asking those who joined later.

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
                "p.id IN (SELECT a.person_id FROM accounts a JOIN account_roles r
                    ON r.account_id = a.id WHERE a.disabled_at IS NULL AND r.role IN ({}))",
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

/// People written less than this long before a launch may not have been visible to it (a
/// concurrent import on PostgreSQL), so the late-joiner sync looks at them too.
const SYNC_MARGIN: time::Duration = time::Duration::hours(1);

/// Whom `ask_audience` asks.
struct Asking<'a> {
    audience: &'a CampaignAudience,
    units: &'a [Unit],
    /// Refuse unknown units (a launch) or leave them out (a later sync).
    strict: bool,
    /// Only people written since then: for a sync, when nothing but a change to the person can
    /// have brought them into the audience.
    changed_since: Option<OffsetDateTime>,
}

/// Adds a pending acknowledgment for every active person in the audience who has none in the
/// campaign yet; returns how many were added. Late joiners may be added by two instances at
/// once (a sync runs after every change to people): the second adds nobody twice.
async fn ask_audience(
    tx: &mut Tx,
    campaign_id: Uuid,
    asking: &Asking<'_>,
    due_on: Date,
    joined_late: bool,
) -> StoreResult<u64> {
    let (changed, first) = match asking.changed_since {
        Some(_) => (" AND p.updated_at >= $5", 6),
        None => ("", 5),
    };
    let resolved = audience_sql(asking.audience, asking.units, first, asking.strict)?;
    let not_asked = if joined_late {
        " AND NOT EXISTS (SELECT 1 FROM acknowledgments k
            WHERE k.campaign_id = $1 AND k.person_id = p.id)
         ON CONFLICT (campaign_id, person_id) DO NOTHING"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO acknowledgments (campaign_id, person_id, assigned_at, due_on, joined_late)
         SELECT $1, p.id, $2, $3, $4 FROM people p
         WHERE p.status = 'active'{changed} AND {}{not_asked}",
        resolved.clause
    );
    let mut query = dynamic(sql)
        .bind(campaign_id)
        .bind(now())
        .bind(due_on)
        .bind(joined_late);
    if let Some(since) = asking.changed_since {
        query = query.bind(since);
    }
    let done = bind_args(query, &resolved.args).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

/// An open campaign as the late-joiner sync reads it.
struct OpenCampaign {
    id: Uuid,
    audience: CampaignAudience,
    days: i64,
    launched_at: OffsetDateTime,
}

async fn open_campaigns(tx: &mut Tx) -> StoreResult<Vec<OpenCampaign>> {
    let rows = sqlx::query(
        "SELECT id, audience, days_to_acknowledge, launched_at FROM campaigns
         WHERE status = 'open' ORDER BY launched_at, id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut open = Vec::with_capacity(rows.len());
    for row in &rows {
        open.push(OpenCampaign {
            id: row.try_get("id")?,
            audience: json_column(row, "audience")?,
            days: i64::from(row.try_get::<i32, _>("days_to_acknowledge")?),
            launched_at: row.try_get("launched_at")?,
        });
    }
    Ok(open)
}

/// Which people a sync needs to look at for a campaign: for everyone, or for units whose tree
/// has not changed since the launch, only people written since (with `SYNC_MARGIN`); named
/// people and role holders are few enough to look at all.
fn changed_since(
    campaign: &OpenCampaign,
    last_unit_change: Option<OffsetDateTime>,
) -> Option<OffsetDateTime> {
    let since = campaign.launched_at - SYNC_MARGIN;
    match campaign.audience {
        CampaignAudience::Everyone => Some(since),
        CampaignAudience::Units { .. } if last_unit_change.is_none_or(|at| at < since) => {
            Some(since)
        }
        _ => None,
    }
}

/// Removes the pending acknowledgments of people who departed from open campaigns (those given
/// stay: they are evidence), with one `campaign.audience_left` event per campaign naming whom.
/// Read from the departed people (`people_departed_idx`) through `acknowledgments_person_idx`:
/// it runs on every sync, and most of them have no row left to remove.
async fn remove_departed(
    tx: &mut Tx,
    actor: &Actor,
    events: &mut Vec<NewAuditEvent>,
) -> StoreResult<()> {
    let rows = sqlx::query(
        "DELETE FROM acknowledgments
         WHERE acknowledged_at IS NULL
            AND person_id IN (SELECT id FROM people WHERE status = 'departed')
            AND EXISTS (SELECT 1 FROM campaigns c
                WHERE c.id = acknowledgments.campaign_id AND c.status = 'open')
         RETURNING campaign_id, person_id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut by_campaign: std::collections::BTreeMap<Uuid, Vec<Uuid>> =
        std::collections::BTreeMap::new();
    for row in &rows {
        by_campaign
            .entry(row.try_get("campaign_id")?)
            .or_default()
            .push(row.try_get("person_id")?);
    }
    for (campaign_id, mut people) in by_campaign {
        people.sort_unstable();
        let record = serde_json::json!({
            "campaign_id": campaign_id, "left": people.len(), "person_ids": people,
            "reason": "departed"
        });
        events.push(NewAuditEvent::for_record(
            actor,
            "campaign.audience_left",
            "campaign",
            campaign_id,
            &record,
        ));
    }
    Ok(())
}

/// Brings open campaigns up to date with the people: removes the pending acknowledgments of
/// people who departed, then asks those who joined an audience. Returns how many were asked.
async fn sync_audiences(pool: &sqlx::Pool<Db>, actor: &Actor, today: Date) -> StoreResult<u64> {
    let mut tx = begin_write(pool).await?;
    let mut events = Vec::new();
    remove_departed(&mut tx, actor, &mut events).await?;
    let campaigns = open_campaigns(&mut tx).await?;
    let audiences: Vec<&CampaignAudience> = campaigns.iter().map(|c| &c.audience).collect();
    let units = units_for(&mut *tx, &audiences).await?;
    let last_unit_change = units.iter().map(|u| u.updated_at).max();
    let mut added = 0;
    for campaign in &campaigns {
        let due_on = today.saturating_add(time::Duration::days(campaign.days));
        let asking = Asking {
            audience: &campaign.audience,
            units: &units,
            strict: false,
            changed_since: changed_since(campaign, last_unit_change),
        };
        let joined = ask_audience(&mut tx, campaign.id, &asking, due_on, true).await?;
        if joined > 0 {
            let record = serde_json::json!({
                "campaign_id": campaign.id, "joined": joined, "due_on": due_on.to_string()
            });
            events.push(NewAuditEvent::for_record(
                actor,
                "campaign.audience_joined",
                "campaign",
                campaign.id,
                &record,
            ));
        }
        added += joined;
    }
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(added)
}
