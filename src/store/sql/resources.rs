// Shared SQL for resource commitments (5.1.c): requests, top management's decisions (never the
// requester's), withdrawals, "none needed" decisions and the per-type summary of a period.

use crate::domain::resource::{
    Amount, CommitmentStatus, MoneyTotal, ResourceCommitment, ResourceCommitmentInput,
    ResourceDecision, ResourceDecisionInput, ResourceFilter, ResourceKind, ResourceTypeSummary,
};

const RESOURCE_TABLE: &str = "resource_commitments r
    JOIN people rp ON rp.id = r.requested_by
    LEFT JOIN people dp ON dp.id = r.decided_by";

const RESOURCE_COLUMNS: &str = "r.id, r.kind, r.description, r.amount_minor, r.currency, r.fte,
    r.period_start, r.period_end, r.none_needed, r.status, r.requested_by,
    rp.name AS requested_by_name, r.requested_at, r.decided_by, dp.name AS decided_by_name,
    r.decided_at, r.decision_comment, r.withdrawn_at";

/// Requests awaiting a decision first, the oldest of them first; then the newest.
const RESOURCE_ORDER: &str = "CASE r.status WHEN 'requested' THEN 0 ELSE 1 END,
    CASE r.status WHEN 'requested' THEN r.requested_at END,
    r.requested_at DESC, r.id";

fn resource_from_row(row: &DbRow) -> Result<ResourceCommitment, sqlx::Error> {
    let amount: Option<i64> = row.try_get("amount_minor")?;
    Ok(ResourceCommitment {
        id: row.try_get("id")?,
        kind: parse_column(row, "kind")?,
        description: row.try_get("description")?,
        amount: amount.map(Amount::from_minor),
        currency: row.try_get("currency")?,
        fte: row.try_get("fte")?,
        period_start: row.try_get("period_start")?,
        period_end: row.try_get("period_end")?,
        none_needed: row.try_get("none_needed")?,
        status: parse_column(row, "status")?,
        requested_by: row.try_get("requested_by")?,
        requested_by_name: row.try_get("requested_by_name")?,
        requested_at: row.try_get("requested_at")?,
        decided_by: row.try_get("decided_by")?,
        decided_by_name: row.try_get("decided_by_name")?,
        decided_at: row.try_get("decided_at")?,
        decision_comment: row.try_get("decision_comment")?,
        withdrawn_at: row.try_get("withdrawn_at")?,
    })
}

async fn get_resource_in<'e, E>(executor: E, id: Uuid) -> StoreResult<ResourceCommitment>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "SELECT {RESOURCE_COLUMNS} FROM {RESOURCE_TABLE} WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|r| resource_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("resource commitment"))
}

async fn get_resource_commitment(
    pool: &sqlx::Pool<Db>,
    id: Uuid,
) -> StoreResult<ResourceCommitment> {
    get_resource_in(pool, id).await
}

fn resource_event(by: &Account, action: &str, record: &ResourceCommitment) -> NewAuditEvent {
    NewAuditEvent::for_record(
        &account_actor(by),
        action,
        "resource_commitment",
        record.id,
        record,
    )
}

async fn request_resources(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: ResourceCommitmentInput,
) -> StoreResult<ResourceCommitment> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    if input.none_needed && !roles_now(&mut tx, by).await?.has_role(Role::TopManagement) {
        return Err(StoreError::Forbidden(
            "only a member of top management decides that no additional resources are needed"
                .into(),
        ));
    }
    let id = Uuid::now_v7();
    let at = now();
    let (status, decided_by, decided_at) = if input.none_needed {
        ("approved", Some(by.person_id), Some(at))
    } else {
        ("requested", None, None)
    };
    sqlx::query(
        "INSERT INTO resource_commitments (id, kind, description, amount_minor, currency, fte,
            period_start, period_end, none_needed, status, requested_by, requested_at,
            decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(id)
    .bind(input.kind.as_str())
    .bind(input.description.as_str())
    .bind(input.amount.map(Amount::minor))
    .bind(input.currency.as_deref())
    .bind(input.fte)
    .bind(input.period_start)
    .bind(input.period_end)
    .bind(input.none_needed)
    .bind(status)
    .bind(by.person_id)
    .bind(at)
    .bind(decided_by)
    .bind(decided_at)
    .execute(&mut *tx)
    .await?;
    let record = get_resource_in(&mut *tx, id).await?;
    let action = if input.none_needed {
        "resource_commitment.none_needed"
    } else {
        "resource_commitment.requested"
    };
    append_events(&mut tx, vec![resource_event(by, action, &record)]).await?;
    tx.commit().await?;
    Ok(record)
}

async fn list_resource_commitments(
    pool: &sqlx::Pool<Db>,
    filter: &ResourceFilter,
    page: PageRequest,
) -> StoreResult<Page<ResourceCommitment>> {
    let mut conditions = Conditions::default();
    if let Some(kind) = filter.kind {
        conditions.add("r.kind = {}", Arg::Text(kind.as_str().to_owned()));
    }
    if let Some(status) = filter.status {
        conditions.add("r.status = {}", Arg::Text(status.as_str().to_owned()));
    }
    if let Some(person) = filter.requested_by {
        conditions.add("r.requested_by = {}", Arg::Uuid(person));
    }
    if let Some(person) = filter.awaiting_decision_by {
        conditions.add_fixed("r.status = 'requested'");
        conditions.add("r.requested_by <> {}", Arg::Uuid(person));
    }
    if let Some(from) = filter.from {
        conditions.add("r.period_end >= {}", Arg::Date(from));
    }
    if let Some(to) = filter.to {
        conditions.add("r.period_start <= {}", Arg::Date(to));
    }
    fetch_page(
        pool,
        RESOURCE_TABLE,
        RESOURCE_COLUMNS,
        RESOURCE_ORDER,
        &conditions,
        page,
        resource_from_row,
    )
    .await
}

/// Totals per type and currency over the commitments whose period overlaps `from..=to`, counted
/// by the database.
async fn resource_summary(
    pool: &sqlx::Pool<Db>,
    from: Date,
    to: Date,
) -> StoreResult<Vec<ResourceTypeSummary>> {
    let rows = sqlx::query(
        "SELECT kind, status, none_needed, currency, COUNT(*) AS n,
            CAST(SUM(amount_minor) AS BIGINT) AS amount_minor, SUM(fte) AS fte
         FROM resource_commitments
         WHERE period_end >= $1 AND period_start <= $2 AND status IN ('requested', 'approved')
         GROUP BY kind, status, none_needed, currency",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let mut summaries: Vec<ResourceTypeSummary> = ResourceKind::ALL
        .iter()
        .map(|&kind| ResourceTypeSummary::empty(kind))
        .collect();
    for row in &rows {
        let kind: ResourceKind = parse_column(row, "kind")?;
        let Some(summary) = summaries.iter_mut().find(|s| s.kind == kind) else {
            continue;
        };
        let n: i64 = row.try_get("n")?;
        if parse_column::<CommitmentStatus>(row, "status")? == CommitmentStatus::Requested {
            summary.awaiting += n;
        } else if row.try_get::<bool, _>("none_needed")? {
            summary.none_needed = true;
        } else {
            summary.approved += n;
            summary.fte += row.try_get::<Option<f64>, _>("fte")?.unwrap_or(0.0);
            let currency: Option<String> = row.try_get("currency")?;
            let minor: Option<i64> = row.try_get("amount_minor")?;
            if let (Some(currency), Some(minor)) = (currency, minor) {
                add_money(&mut summary.money, currency, Amount::from_minor(minor));
            }
        }
    }
    Ok(summaries)
}

fn add_money(totals: &mut Vec<MoneyTotal>, currency: String, amount: Amount) {
    match totals.iter_mut().find(|t| t.currency == currency) {
        Some(total) => total.amount = total.amount.checked_add(amount).unwrap_or(total.amount),
        None => {
            totals.push(MoneyTotal { currency, amount });
            totals.sort_by(|a, b| a.currency.cmp(&b.currency));
        }
    }
}

include!("resource_decisions.rs");
