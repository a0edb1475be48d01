// Shared SQL for the outbox (queued once by dedupe key, delivered with backoff, retried by an
// admin), the job leases that elect one instance, and the expiry of approved exceptions.

const OUTBOX_COLUMNS: &str = "id, kind, to_person_id, to_address, subject, body, campaign_id,
    communication_id, status, attempts, next_attempt_at, last_error, created_at, sent_at";
/// The columns an insert writes, in `bind_mail` order.
const OUTBOX_INSERT: &str = "id, kind, dedupe_key, to_person_id, to_address, subject, body,
    campaign_id, communication_id, status, attempts, next_attempt_at, created_at";
const OUTBOX_INSERT_WIDTH: usize = 13;

fn mail_from_row(row: &DbRow) -> Result<OutboxMessage, sqlx::Error> {
    Ok(OutboxMessage {
        id: row.try_get("id")?,
        kind: parse_column(row, "kind")?,
        to_person_id: row.try_get("to_person_id")?,
        to_address: row.try_get("to_address")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        campaign_id: row.try_get("campaign_id")?,
        communication_id: row.try_get("communication_id")?,
        status: parse_column(row, "status")?,
        attempts: row.try_get::<i32, _>("attempts")?.unsigned_abs(),
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        sent_at: row.try_get("sent_at")?,
    })
}

async fn get_mail_in<'e, E>(executor: E, id: Uuid) -> StoreResult<OutboxMessage>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    row.map(|r| mail_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("message"))
}

fn bind_mail<'q>(query: DbQuery<'q>, mail: &'q NewMail, at: OffsetDateTime) -> DbQuery<'q> {
    query
        .bind(Uuid::now_v7())
        .bind(mail.kind.as_str())
        .bind(mail.dedupe_key.as_str())
        .bind(mail.to_person_id)
        .bind(mail.to_address.as_str())
        .bind(mail.subject.as_str())
        .bind(mail.body.as_str())
        .bind(mail.campaign_id)
        .bind(mail.communication_id)
        .bind(MailStatus::Queued.as_str())
        .bind(0_i32)
        .bind(at)
        .bind(at)
}

/// How many messages one INSERT writes at most (see also `STATEMENT_BYTES`).
const MAIL_CHUNK: usize = 200;

/// About how many bytes a message binds: its texts, and the ids, status and times.
fn mail_bytes(mail: &NewMail) -> usize {
    mail.dedupe_key.len()
        + mail.to_address.len()
        + mail.subject.len()
        + mail.body.len()
        + mail.kind.as_str().len()
        + 160
}

/// The messages in INSERTs of at most `MAIL_CHUNK` rows and, with more than one row, at most
/// `STATEMENT_BYTES` (the backend's limit for one statement message, if it has one).
fn mail_chunks(mails: &[NewMail]) -> Vec<&[NewMail]> {
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < mails.len() {
        let mut end = start;
        let mut bytes = 0;
        while end < mails.len() && end - start < MAIL_CHUNK {
            bytes += mail_bytes(&mails[end]);
            if end > start && STATEMENT_BYTES.is_some_and(|limit| bytes > limit) {
                break;
            }
            end += 1;
        }
        chunks.push(&mails[start..end]);
        start = end;
    }
    chunks
}

/// Writes the messages whose dedupe key is new; returns the ids written.
async fn insert_mails(tx: &mut Tx, mails: &[NewMail]) -> Result<Vec<Uuid>, sqlx::Error> {
    let at = now();
    let mut written = Vec::new();
    for chunk in mail_chunks(mails) {
        let sql = format!(
            "INSERT INTO outbox ({OUTBOX_INSERT}) VALUES {}
             ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            values_placeholders(PLACEHOLDERS, chunk.len(), OUTBOX_INSERT_WIDTH)
        );
        let mut query = dynamic(sql);
        for mail in chunk {
            query = bind_mail(query, mail, at);
        }
        for row in query.fetch_all(&mut **tx).await? {
            written.push(row.try_get("id")?);
        }
    }
    Ok(written)
}

/// The one `mail.queued` event of a call that wrote messages: its record is the first message,
/// its digest covers every id written.
fn mail_queued_event(actor: &Actor, written: &[Uuid]) -> Option<NewAuditEvent> {
    let first = written.first()?;
    let record = serde_json::json!({ "ids": written, "count": written.len() });
    Some(NewAuditEvent::for_record(
        actor,
        "mail.queued",
        "outbox",
        first,
        &record,
    ))
}

async fn queue_mail(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    mails: &[NewMail],
    reminded: Option<(Uuid, Date)>,
) -> StoreResult<u64> {
    let mut tx = begin_write(pool).await?;
    let written = insert_mails(&mut tx, mails).await?;
    if let Some((campaign_id, day)) = reminded {
        sqlx::query("UPDATE campaigns SET last_reminded_on = $2 WHERE id = $1")
            .bind(campaign_id)
            .bind(day)
            .execute(&mut *tx)
            .await?;
    }
    append_events(
        &mut tx,
        mail_queued_event(actor, &written).into_iter().collect(),
    )
    .await?;
    tx.commit().await?;
    Ok(u64::try_from(written.len()).unwrap_or(u64::MAX))
}

async fn due_mail(
    pool: &sqlx::Pool<Db>,
    now: OffsetDateTime,
    limit: i64,
) -> StoreResult<Vec<OutboxMessage>> {
    let rows = dynamic(format!(
        "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, created_at, id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(mail_from_row).collect::<Result<_, _>>()?)
}

/// What the audit event of a message digests: where it stands, never its text or any server
/// detail beyond the error the server gave.
fn mail_event(actor: &Actor, action: &str, mail: &OutboxMessage) -> NewAuditEvent {
    let record = serde_json::json!({
        "id": mail.id,
        "kind": mail.kind.as_str(),
        "to_address": &mail.to_address,
        "status": mail.status.as_str(),
        "attempts": mail.attempts,
        "next_attempt_at": mail.next_attempt_at.unix_timestamp(),
        "last_error": &mail.last_error,
    });
    NewAuditEvent::for_record(actor, action, "outbox", mail.id, &record)
}

async fn record_delivery(
    pool: &sqlx::Pool<Db>,
    id: Uuid,
    outcome: &DeliveryOutcome,
) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    let mail = get_mail_in(&mut *tx, id).await?;
    if mail.status != MailStatus::Queued {
        return Err(StoreError::Conflict(format!(
            "this message is {}, not queued for sending",
            mail.status
        )));
    }
    let attempts = mail.attempts + 1;
    let at = now();
    let (status, next_attempt_at) = outcome.next_state(attempts, at);
    let (action, last_error) = match outcome {
        DeliveryOutcome::Sent => ("mail.sent", None),
        DeliveryOutcome::Held => ("mail.held", None),
        DeliveryOutcome::Withdrawn { reason } => ("mail.withdrawn", Some(reason.as_str())),
        DeliveryOutcome::Failed { error } => ("mail.failed", Some(error.as_str())),
    };
    sqlx::query(
        "UPDATE outbox SET attempts = $2, status = $3, next_attempt_at = $4, last_error = $5,
            sent_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(i32::try_from(attempts).unwrap_or(i32::MAX))
    .bind(status.as_str())
    .bind(next_attempt_at)
    .bind(last_error)
    .bind((status == MailStatus::Sent).then_some(at))
    .execute(&mut *tx)
    .await?;
    let after = get_mail_in(&mut *tx, id).await?;
    append_events(&mut tx, vec![mail_event(&Actor::system(), action, &after)]).await?;
    tx.commit().await?;
    Ok(())
}

async fn list_outbox(
    pool: &sqlx::Pool<Db>,
    filter: &OutboxFilter,
    page: PageRequest,
) -> StoreResult<Page<OutboxMessage>> {
    let mut conditions = Conditions::default();
    if let Some(status) = filter.status {
        conditions.add("status = {}", Arg::Text(status.as_str().to_owned()));
    }
    if let Some(kind) = filter.kind {
        conditions.add("kind = {}", Arg::Text(kind.as_str().to_owned()));
    }
    if let Some(campaign) = filter.campaign_id {
        conditions.add("campaign_id = {}", Arg::Uuid(campaign));
    }
    fetch_page(
        pool,
        "outbox",
        OUTBOX_COLUMNS,
        "created_at DESC, id DESC",
        &conditions,
        page,
        mail_from_row,
    )
    .await
}

async fn retry_mail(pool: &sqlx::Pool<Db>, by: &Account, id: Uuid) -> StoreResult<OutboxMessage> {
    let mut tx = begin_write(pool).await?;
    let mail = get_mail_in(&mut *tx, id).await?;
    if !matches!(mail.status, MailStatus::Failed | MailStatus::Held) {
        return Err(StoreError::Conflict(format!(
            "this message is {}: only a failed or held message can be sent again",
            mail.status
        )));
    }
    sqlx::query(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let after = get_mail_in(&mut *tx, id).await?;
    append_events(
        &mut tx,
        vec![mail_event(&account_actor(by), "mail.retried", &after)],
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Takes the lease when it is free, expired or already `holder`'s; the upsert returns a row only
/// when it wrote one, so exactly one instance gets it.
async fn take_lease(
    pool: &sqlx::Pool<Db>,
    name: &str,
    holder: &str,
    at: OffsetDateTime,
    ttl: time::Duration,
) -> StoreResult<bool> {
    let at = truncate_to_micros(at);
    let taken = sqlx::query(
        "INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < $4
         RETURNING holder",
    )
    .bind(name)
    .bind(holder)
    .bind(at + ttl)
    .bind(at)
    .fetch_optional(pool)
    .await?;
    Ok(taken.is_some())
}

async fn record_exception_expiries(
    pool: &sqlx::Pool<Db>,
    today: Date,
) -> StoreResult<Vec<PolicyException>> {
    let mut tx = begin_write(pool).await?;
    let ids: Vec<Uuid> = sqlx::query(
        "UPDATE policy_exceptions SET expiry_recorded_at = $2
         WHERE status = 'approved' AND expires_on < $1 AND expiry_recorded_at IS NULL
         RETURNING id",
    )
    .bind(today)
    .bind(now())
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|row| row.try_get("id"))
    .collect::<Result<_, _>>()?;
    let mut expired = Vec::with_capacity(ids.len());
    let mut events = Vec::with_capacity(ids.len());
    for id in ids {
        let exception = get_exception_in(&mut *tx, id, today).await?;
        events.push(NewAuditEvent::for_record(
            &Actor::system(),
            "policy_exception.expired",
            "policy_exception",
            id,
            &exception,
        ));
        expired.push(exception);
    }
    expired.sort_by_key(|e| (e.expires_on, e.id));
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(expired)
}
