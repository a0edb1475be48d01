// Shared audit-chain SQL: append events inside the caller's transaction, list, and verify.

const AUDIT_COLUMNS: &str =
    "seq, occurred_at, actor, action, record_type, record_id, record_digest, prev_hash, hash";
const VERIFY_BATCH: i64 = 50_000;

fn event_from_row(row: &DbRow) -> Result<AuditEvent, sqlx::Error> {
    Ok(AuditEvent {
        seq: row.try_get("seq")?,
        occurred_at: row.try_get("occurred_at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        record_type: row.try_get("record_type")?,
        record_id: row.try_get("record_id")?,
        record_digest: row.try_get("record_digest")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// Seals and appends `events` after the chain head; the head row's lock orders concurrent writers.
async fn append_events(tx: &mut Tx, events: Vec<NewAuditEvent>) -> Result<(), sqlx::Error> {
    if events.is_empty() {
        return Ok(());
    }
    let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
    let head = sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
        .bind(count)
        .fetch_one(&mut **tx)
        .await?;
    let mut seq: i64 = head.try_get::<i64, _>("seq")? - count;
    let mut prev_hash: String = head.try_get("hash")?;
    let at = now();
    let sealed: Vec<AuditEvent> = events
        .into_iter()
        .map(|event| {
            seq += 1;
            let sealed = event.seal(seq, at, std::mem::take(&mut prev_hash));
            prev_hash.clone_from(&sealed.hash);
            sealed
        })
        .collect();
    for chunk in sealed.chunks(500) {
        let sql = format!(
            "INSERT INTO audit_events ({AUDIT_COLUMNS}) VALUES {}",
            values_placeholders(chunk.len(), 9)
        );
        let mut query = dynamic(sql);
        for e in chunk {
            query = query
                .bind(e.seq)
                .bind(e.occurred_at)
                .bind(e.actor.as_str())
                .bind(e.action.as_str())
                .bind(e.record_type.as_str())
                .bind(e.record_id.as_str())
                .bind(e.record_digest.as_str())
                .bind(e.prev_hash.as_str())
                .bind(e.hash.as_str());
        }
        query.execute(&mut **tx).await?;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(prev_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn list_audit_events(
    pool: &sqlx::Pool<Db>,
    filter: &AuditFilter,
    page: PageRequest,
) -> StoreResult<Page<AuditEvent>> {
    let mut conditions = Conditions::default();
    let exact = [
        ("record_type = {}", &filter.record_type),
        ("record_id = {}", &filter.record_id),
        ("action = {}", &filter.action),
        ("actor = {}", &filter.actor),
    ];
    for (clause, value) in exact {
        if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            conditions.add(clause, Arg::Text(value.to_owned()));
        }
    }
    let where_sql = conditions.where_sql();
    let total = count(
        bind_args(
            dynamic(format!("SELECT COUNT(*) FROM audit_events{where_sql}")),
            &conditions.args,
        ),
        pool,
    )
    .await?;
    let n = conditions.next_placeholder();
    let sql = format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_events{where_sql} ORDER BY seq DESC LIMIT ${n} OFFSET ${}",
        n + 1
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(pool)
        .await?;
    let items = rows.iter().map(event_from_row).collect::<Result<_, _>>()?;
    Ok(Page::new(items, page, total))
}

/// Walks the whole chain in one consistent snapshot, batch by batch.
async fn verify_audit_chain(pool: &sqlx::Pool<Db>) -> StoreResult<ChainReport> {
    let mut tx = begin_snapshot(pool).await?;
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(&mut *tx)
        .await?;
    let head: Option<(i64, String)> = match head {
        Some(row) => Some((row.try_get("seq")?, row.try_get("hash")?)),
        None => None,
    };
    let mut verifier = ChainVerifier::default();
    let mut after = 0_i64;
    loop {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2"
        );
        let rows = dynamic(sql)
            .bind(after)
            .bind(VERIFY_BATCH)
            .fetch_all(&mut *tx)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("seq")?;
        let events = rows
            .iter()
            .map(event_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        if let Err(broken) = verifier.check_batch(&events) {
            return Ok(ChainReport {
                events_checked: verifier.checked(),
                broken: Some(broken),
            });
        }
    }
    tx.rollback().await?;
    let broken = verifier
        .finish(head.as_ref().map(|(seq, hash)| (*seq, hash.as_str())))
        .err();
    Ok(ChainReport {
        events_checked: verifier.checked(),
        broken,
    })
}
