// Shared SQL for what auditors read: reproducible samples (keys only, one window query), the
// events of one record, one briefing, the holders of every role today, and the event an audit
// pack's export writes.

use crate::domain::audit_pack::{EXPORT_ACTION, Manifest, PackParty, sample_positions};
use crate::store::evidence::{DrawnSample, RoleHoldersToday, SampleKey, SamplePopulation};

/// The table, the condition and the order a population is counted and numbered in; `$1` is the
/// campaign when the population names one.
fn population_sql(population: SamplePopulation) -> (&'static str, &'static str, &'static str) {
    match population {
        SamplePopulation::Acknowledgments { campaign_id: None } => (
            "acknowledgments",
            "acknowledged_at IS NOT NULL",
            "campaign_id, person_id",
        ),
        SamplePopulation::Acknowledgments {
            campaign_id: Some(_),
        } => (
            "acknowledgments",
            "acknowledged_at IS NOT NULL AND campaign_id = $1",
            "campaign_id, person_id",
        ),
        SamplePopulation::Assignments => ("role_assignments", "1 = 1", "id"),
        SamplePopulation::PolicyApprovals => ("policy_decisions", "approved", "id"),
    }
}

fn key_columns(population: SamplePopulation) -> &'static str {
    match population {
        SamplePopulation::Acknowledgments { .. } => "campaign_id, person_id",
        SamplePopulation::Assignments => "id",
        SamplePopulation::PolicyApprovals => "id, version_id",
    }
}

fn sample_key(population: SamplePopulation, row: &DbRow) -> Result<(i64, SampleKey), sqlx::Error> {
    let key = match population {
        SamplePopulation::Acknowledgments { .. } => SampleKey::Acknowledgment {
            campaign_id: row.try_get("campaign_id")?,
            person_id: row.try_get("person_id")?,
        },
        SamplePopulation::Assignments => SampleKey::Assignment(row.try_get("id")?),
        SamplePopulation::PolicyApprovals => SampleKey::PolicyApproval {
            decision_id: row.try_get("id")?,
            version_id: row.try_get("version_id")?,
        },
    };
    Ok((row.try_get("n")?, key))
}

async fn draw_sample(
    pool: &sqlx::Pool<Db>,
    population: SamplePopulation,
    seed: &str,
    size: usize,
) -> StoreResult<DrawnSample> {
    let (table, condition, order) = population_sql(population);
    let campaign = match population {
        SamplePopulation::Acknowledgments { campaign_id } => campaign_id,
        _ => None,
    };
    let mut tx = begin_snapshot(pool).await?;
    let mut counting = dynamic(format!("SELECT COUNT(*) FROM {table} WHERE {condition}"));
    if let Some(campaign) = campaign {
        counting = counting.bind(campaign);
    }
    let total: i64 = counting.fetch_one(&mut *tx).await?.try_get(0)?;
    let positions = sample_positions(seed, total, size);
    if positions.is_empty() {
        tx.rollback().await?;
        return Ok(DrawnSample {
            population: total,
            keys: Vec::new(),
        });
    }
    let first = usize::from(campaign.is_some()) + 1;
    let wanted = (first..first + positions.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let keys = key_columns(population);
    let mut query = dynamic(format!(
        "SELECT {keys}, n FROM (SELECT {keys}, ROW_NUMBER() OVER (ORDER BY {order}) AS n
            FROM {table} WHERE {condition}) s
         WHERE n IN ({wanted}) ORDER BY n"
    ));
    if let Some(campaign) = campaign {
        query = query.bind(campaign);
    }
    for position in &positions {
        query = query.bind(*position);
    }
    let rows = query.fetch_all(&mut *tx).await?;
    tx.rollback().await?;
    let keys = rows
        .iter()
        .map(|row| sample_key(population, row))
        .collect::<Result<_, _>>()?;
    Ok(DrawnSample {
        population: total,
        keys,
    })
}

async fn record_events(
    pool: &sqlx::Pool<Db>,
    record_type: &str,
    record_id: &str,
    action: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<AuditEvent>> {
    let of_action = if action.is_some() {
        " AND action = $4"
    } else {
        ""
    };
    let mut query = dynamic(format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_events WHERE record_type = $1 AND record_id = $2{of_action}
         ORDER BY seq DESC LIMIT $3"
    ))
    .bind(record_type)
    .bind(record_id)
    .bind(limit);
    if let Some(action) = action {
        query = query.bind(action);
    }
    let rows = query.fetch_all(pool).await?;
    let mut events = rows
        .iter()
        .map(event_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    events.reverse();
    Ok(events)
}

async fn stored_evaluation(pool: &sqlx::Pool<Db>, assessment_id: Uuid) -> StoreResult<String> {
    sqlx::query("SELECT evaluation FROM assessments WHERE id = $1")
        .bind(assessment_id)
        .fetch_optional(pool)
        .await?
        .ok_or(StoreError::NotFound("assessment"))?
        .try_get("evaluation")
        .map_err(StoreError::from)
}

async fn get_briefing(pool: &sqlx::Pool<Db>, id: Uuid) -> StoreResult<Briefing> {
    let row = dynamic(format!(
        "SELECT {BRIEFING_COLUMNS} FROM {BRIEFING_TABLE} WHERE b.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(StoreError::NotFound("briefing"))?;
    let mut briefings = vec![briefing_from_row(&row)?];
    attach_attendees(pool, &mut briefings).await?;
    briefings.pop().ok_or(StoreError::NotFound("briefing"))
}

/// Distinct holders per role (people who have not left), numbered by name.
const HOLDERS_TODAY: &str = "WITH held AS (
        SELECT DISTINCT ra.role_id, ra.person_id FROM role_assignments ra
            JOIN people p ON p.id = ra.person_id
        WHERE ra.starts_on <= $1 AND (ra.ends_on IS NULL OR ra.ends_on >= $1)
            AND p.status <> 'departed'),
    ranked AS (
        SELECT h.role_id, h.person_id, p.name, p.email,
            COUNT(*) OVER (PARTITION BY h.role_id) AS holders,
            ROW_NUMBER() OVER (PARTITION BY h.role_id ORDER BY p.name, p.id) AS k
        FROM held h JOIN people p ON p.id = h.person_id)
    SELECT role_id, person_id, name, email, holders FROM ranked WHERE k <= $2
    ORDER BY role_id, k";

async fn role_holders_today(
    pool: &sqlx::Pool<Db>,
    today: Date,
    per_role: i64,
) -> StoreResult<HashMap<Uuid, RoleHoldersToday>> {
    let rows = sqlx::query(HOLDERS_TODAY)
        .bind(today)
        .bind(per_role)
        .fetch_all(pool)
        .await?;
    let mut holders: HashMap<Uuid, RoleHoldersToday> = HashMap::new();
    for row in rows {
        let role = holders.entry(row.try_get("role_id")?).or_default();
        role.count = row.try_get("holders")?;
        role.first.push(PackParty {
            id: row.try_get("person_id")?,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
        });
    }
    Ok(holders)
}

async fn record_pack_export(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    assessment_id: Uuid,
    manifest: &Manifest,
) -> StoreResult<AuditEvent> {
    let mut tx = begin_write(pool).await?;
    let event =
        NewAuditEvent::for_record(actor, EXPORT_ACTION, "assessment", assessment_id, manifest);
    append_events(&mut tx, vec![event]).await?;
    let row = dynamic(format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_events
         WHERE seq = (SELECT seq FROM audit_head WHERE id = 1)"
    ))
    .fetch_one(&mut *tx)
    .await?;
    let sealed = event_from_row(&row)?;
    tx.commit().await?;
    Ok(sealed)
}
