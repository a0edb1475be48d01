// Shared SQL for the handlers' side of the concern channel: only an account holding the
// `concern_handler` tool role today (re-read in the transaction) lists, reads, answers or moves
// a concern. Included by `concerns.rs`.

const CONCERN_SUMMARY_SELECT: &str = "SELECT c.id, c.code_hash, c.category, c.status,
        substr(c.description, 1, 160) AS excerpt, c.received_at, c.receipt_due_at,
        c.response_due_at, c.acknowledged_at, c.first_answered_at, c.closed_at,
        (SELECT COUNT(*) FROM concern_messages m WHERE m.concern_id = c.id) AS messages
    FROM concerns c";

/// Open and past the receipt or the response target at `$1`.
const CONCERN_OVERDUE: &str = "(c.status <> 'closed' AND ((c.acknowledged_at IS NULL
    AND c.receipt_due_at < $1) OR (c.first_answered_at IS NULL AND c.response_due_at < $1)))";

/// Received, not yet acknowledged, and still within the receipt target at `$1`.
const CONCERN_AWAITING_RECEIPT: &str =
    "(c.status = 'received' AND c.acknowledged_at IS NULL AND c.receipt_due_at >= $1)";

/// The summary without its overdue flags (`with_flags` sets them for a moment).
fn concern_summary_from_row(row: &DbRow) -> Result<ConcernSummary, sqlx::Error> {
    Ok(ConcernSummary {
        id: row.try_get("id")?,
        category: parse_column(row, "category")?,
        status: parse_column(row, "status")?,
        excerpt: row.try_get("excerpt")?,
        received_at: row.try_get("received_at")?,
        receipt_due_at: row.try_get("receipt_due_at")?,
        response_due_at: row.try_get("response_due_at")?,
        acknowledged_at: row.try_get("acknowledged_at")?,
        first_answered_at: row.try_get("first_answered_at")?,
        closed_at: row.try_get("closed_at")?,
        messages: row.try_get("messages")?,
        receipt_overdue: false,
        response_overdue: false,
    })
}

/// Refuses (403) anyone who does not hold the concern handler role today: not admins, not
/// auditors, whatever else they may do.
async fn require_concern_handler(tx: &mut Tx, by: &Account) -> StoreResult<()> {
    let account = roles_now(tx, by).await?;
    if account.has_role(Role::ConcernHandler) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "only a concern handler reads and answers concerns".into(),
        ))
    }
}

/// Holds the concern's row until the transaction ends, then reads it: on PostgreSQL (READ
/// COMMITTED) two changes would otherwise both read the same status and write what each
/// computed from it (an answer landing on a close, two acknowledgments, a reply after the
/// close). SQLite's `BEGIN IMMEDIATE` already lets one writer in at a time. 404 when none.
async fn lock_concern(tx: &mut Tx, id: Uuid) -> StoreResult<(ConcernSummary, String)> {
    // The row lock an UPDATE takes, without changing anything.
    sqlx::query("UPDATE concerns SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    concern_state(tx, id).await
}

/// A concern and the hash of its code (the salt of its audit digests).
async fn concern_state(tx: &mut Tx, id: Uuid) -> StoreResult<(ConcernSummary, String)> {
    let row = dynamic(format!("{CONCERN_SUMMARY_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("concern"))?;
    Ok((concern_summary_from_row(&row)?, row.try_get("code_hash")?))
}

async fn get_concern_in(tx: &mut Tx, id: Uuid, at: OffsetDateTime) -> StoreResult<Concern> {
    let (summary, _) = concern_state(tx, id).await?;
    let row = sqlx::query("SELECT description, contact FROM concerns WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    let messages = sqlx::query(
        "SELECT m.id, m.author, m.body, m.sent_at, p.name AS handler_name
         FROM concern_messages m
         LEFT JOIN accounts a ON a.id = m.handler_id
         LEFT JOIN people p ON p.id = a.person_id
         WHERE m.concern_id = $1 ORDER BY m.seq",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let conversation = messages
        .iter()
        .map(|m| {
            Ok(ConcernMessage {
                id: m.try_get("id")?,
                author: parse_column(m, "author")?,
                handler_name: m.try_get("handler_name")?,
                body: m.try_get("body")?,
                sent_at: m.try_get("sent_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(Concern {
        summary: summary.with_flags(at),
        description: row.try_get("description")?,
        contact: row.try_get("contact")?,
        conversation,
    })
}

async fn get_concern(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    at: OffsetDateTime,
) -> StoreResult<Concern> {
    let mut tx = begin_snapshot(pool).await?;
    require_concern_handler(&mut tx, by).await?;
    get_concern_in(&mut tx, id, at).await
}

/// The WHERE clause of a list: `$1` is the moment, `$2` the status when filtered.
fn concern_conditions(filter: ConcernFilter) -> String {
    let mut conditions = vec!["1 = 1".to_owned()];
    if filter.status.is_some() {
        conditions.push("c.status = $2".into());
    }
    if filter.overdue {
        conditions.push(CONCERN_OVERDUE.into());
    }
    if filter.awaiting_receipt {
        conditions.push(CONCERN_AWAITING_RECEIPT.into());
    }
    conditions.join(" AND ")
}

async fn list_concerns(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    filter: ConcernFilter,
    at: OffsetDateTime,
    page: PageRequest,
) -> StoreResult<Page<ConcernSummary>> {
    let mut tx = begin_snapshot(pool).await?;
    require_concern_handler(&mut tx, by).await?;
    let where_sql = concern_conditions(filter);
    let status = filter.status.map(ConcernStatus::as_str);
    // `$1` appears in every statement so both have the same numbered parameters.
    let bind = |sql: String| {
        let query = dynamic(sql).bind(at);
        match status {
            Some(status) => query.bind(status),
            None => query,
        }
    };
    let n = if status.is_some() { 3 } else { 2 };
    let total: i64 = bind(format!(
        "SELECT COUNT(*) FROM concerns c WHERE {where_sql} AND $1 IS NOT NULL"
    ))
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let rows = bind(format!(
        "{CONCERN_SUMMARY_SELECT} WHERE {where_sql}
         ORDER BY CASE WHEN {CONCERN_OVERDUE} THEN 0 ELSE 1 END, c.received_at DESC, c.id
         LIMIT ${n} OFFSET ${}",
        n + 1
    ))
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(&mut *tx)
    .await?;
    let items = rows
        .iter()
        .map(|r| concern_summary_from_row(r).map(|s| s.with_flags(at)))
        .collect::<Result<_, _>>()?;
    Ok(Page::new(items, page, total))
}

async fn answer_concern(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    message: &str,
    at: OffsetDateTime,
) -> StoreResult<Concern> {
    let body = check_message("message", message).map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    require_concern_handler(&mut tx, by).await?;
    let (summary, salt) = lock_concern(&mut tx, id).await?;
    if summary.status == ConcernStatus::Closed {
        return Err(StoreError::Conflict(
            "this concern is closed; reopen it to answer".into(),
        ));
    }
    insert_concern_message(&mut tx, id, Some(by.id), &body, at).await?;
    let actor = account_actor(by);
    let mut events = Vec::new();
    let status = if summary.status == ConcernStatus::Received {
        let status = ConcernStatus::Acknowledged;
        events.push(concern_event(
            &actor,
            "concern.acknowledged",
            id,
            status,
            &salt,
            "",
        ));
        status
    } else {
        summary.status
    };
    sqlx::query(
        "UPDATE concerns SET status = $2, acknowledged_at = COALESCE(acknowledged_at, $3),
            first_answered_at = COALESCE(first_answered_at, $3)
         WHERE id = $1",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    events.push(concern_event(
        &actor,
        "concern.answered",
        id,
        status,
        &salt,
        &body,
    ));
    append_events(&mut tx, events).await?;
    let concern = get_concern_in(&mut tx, id, at).await?;
    tx.commit().await?;
    Ok(concern)
}

async fn set_concern_status(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    status: ConcernStatus,
    at: OffsetDateTime,
) -> StoreResult<Concern> {
    let mut tx = begin_write(pool).await?;
    require_concern_handler(&mut tx, by).await?;
    let (summary, salt) = lock_concern(&mut tx, id).await?;
    if !summary.status.may_become(status) {
        return Err(StoreError::Conflict(format!(
            "this concern is {}; it cannot become {}",
            summary.status.label(),
            status.label()
        )));
    }
    let actor = account_actor(by);
    let mut events = Vec::new();
    if summary.acknowledged_at.is_none() && status != ConcernStatus::Acknowledged {
        let acknowledged = ConcernStatus::Acknowledged;
        events.push(concern_event(
            &actor,
            "concern.acknowledged",
            id,
            acknowledged,
            &salt,
            "",
        ));
    }
    events.push(concern_event(
        &actor,
        summary.status.action_to(status),
        id,
        status,
        &salt,
        "",
    ));
    sqlx::query(
        "UPDATE concerns SET status = $2, acknowledged_at = COALESCE(acknowledged_at, $3),
            closed_at = $4
         WHERE id = $1",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(at)
    .bind((status == ConcernStatus::Closed).then_some(at))
    .execute(&mut *tx)
    .await?;
    append_events(&mut tx, events).await?;
    let concern = get_concern_in(&mut tx, id, at).await?;
    tx.commit().await?;
    Ok(concern)
}
