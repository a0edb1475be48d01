// Shared audit-chain SQL: append events inside the caller's transaction, list, and verify.

const AUDIT_COLUMNS: &str =
    "seq, occurred_at, actor, action, record_type, record_id, record_digest, prev_hash, hash";
/// How many sequence numbers one verification read covers.
const VERIFY_BATCH: i64 = 8_192;

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
/// One INSERT per `AUDIT_CHUNK` events (from the backend: small on PostgreSQL, see there).
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
    for chunk in sealed.chunks(AUDIT_CHUNK) {
        let sql = format!(
            "INSERT INTO audit_events ({AUDIT_COLUMNS}) VALUES {}",
            values_placeholders(PLACEHOLDERS, chunk.len(), 9)
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
    fetch_page(
        pool,
        "audit_events",
        AUDIT_COLUMNS,
        "seq DESC",
        &conditions,
        page,
        event_from_row,
    )
    .await
}

type BatchCheck = tokio::task::JoinHandle<(ChainVerifier, Result<(), ChainBreak>)>;

/// Walks the whole chain in one consistent snapshot, in ranges of sequence numbers. Each range
/// comes back as one packed text (see `PACKED_EVENTS`), since decoding a row at a time would
/// cost more than hashing it; while one range is hashed on a blocking thread, the next is read.
async fn verify_audit_chain(pool: &sqlx::Pool<Db>) -> StoreResult<ChainReport> {
    let mut tx = begin_snapshot(pool).await?;
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(&mut *tx)
        .await?;
    let head: Option<(i64, String)> = match head {
        Some(row) => Some((row.try_get("seq")?, row.try_get("hash")?)),
        None => None,
    };
    let bounds = sqlx::query("SELECT min(seq) AS first, max(seq) AS last FROM audit_events")
        .fetch_one(&mut *tx)
        .await?;
    let (first, last): (Option<i64>, Option<i64>) =
        (bounds.try_get("first")?, bounds.try_get("last")?);
    // Events at or below zero can only have been inserted around Charter; reading from there
    // lets the verifier name them.
    let mut after = first.map_or(0, |first| first.min(1) - 1);
    let mut verifier = ChainVerifier::default();
    let mut checking: Option<BatchCheck> = None;
    while after < last.unwrap_or(0) {
        let until = after.saturating_add(VERIFY_BATCH);
        let packed: Option<String> = sqlx::query(PACKED_EVENTS)
            .bind(after)
            .bind(until)
            .fetch_one(&mut *tx)
            .await?
            .try_get("packed")?;
        after = until;
        if let Some(report) = wait_for_batch(&mut checking, &mut verifier).await? {
            return Ok(report);
        }
        let Some(packed) = packed else { continue };
        let mut batch_verifier = std::mem::take(&mut verifier);
        checking = Some(tokio::task::spawn_blocking(move || {
            let result = check_packed(&mut batch_verifier, &packed);
            (batch_verifier, result)
        }));
    }
    if let Some(report) = wait_for_batch(&mut checking, &mut verifier).await? {
        return Ok(report);
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

/// Waits for the batch being hashed, if any; the report when it found the chain broken.
async fn wait_for_batch(
    checking: &mut Option<BatchCheck>,
    verifier: &mut ChainVerifier,
) -> StoreResult<Option<ChainReport>> {
    let Some(task) = checking.take() else {
        return Ok(None);
    };
    let (checked, result) = task
        .await
        .map_err(|e| StoreError::Config(format!("the verification stopped: {e}")))?;
    *verifier = checked;
    Ok(result.err().map(|broken| ChainReport {
        events_checked: verifier.checked(),
        broken: Some(broken),
    }))
}

fn check_packed(verifier: &mut ChainVerifier, packed: &str) -> Result<(), ChainBreak> {
    let mut links = Vec::with_capacity(packed.len() / 300 + 1);
    for text in packed.split(EVENT_SEPARATOR) {
        let Some(link) = ChainLink::unpack(text) else {
            verifier.check_batch(&links)?;
            return Err(ChainBreak {
                seq: verifier.next_seq(),
                reason: "cannot be read as an event (its fields were altered)".into(),
            });
        };
        links.push(link);
    }
    links.sort_unstable_by_key(|link| link.seq);
    verifier.check_batch(&links)
}
