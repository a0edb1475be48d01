// The Merkle tree log over the audit events (RFC 9162): leaf i is the event i + 1. Stored
// subtree hashes (level 8 and up) are extended when a checkpoint is made, so a proof reads a
// handful of them and at most two blocks of 256 events; the check of the whole log reads ranges
// on several connections at once while earlier ranges are hashed.

mod merkle_log_sql {
    use std::collections::HashMap;
    use std::sync::Arc;

    use time::OffsetDateTime;

    use super::*;
    use crate::audit_log::signer::CheckpointSigner;
    use crate::audit_log::tree::{BLOCK_EVENTS, StoredTree, reads_for};
    use crate::audit_log::verify::{
        LogFacts, LogJoiner, RANGE_EVENTS, RangeResult, STORED_LEVEL, StoredNodes, check_range,
        check_signatures,
    };
    use crate::domain::checkpoint::{Checkpoint, InclusionProof, SigningKey};
    use crate::domain::merkle::{
        Hash, Subtree, consistency_ranges, inclusion_ranges, leaf_hash, node_hash,
        perfect_subtrees, root,
    };
    use crate::store::audit_log::LogReport;

    const CHECKPOINT_COLUMNS: &str = "tree_size, root_hash, signed_at, key_id, signature";
    /// How many events one read covers when stored subtrees are extended (a multiple of 256).
    const LOG_EXTEND_BATCH: u64 = 65_536;
    /// Rows of subtree hashes per INSERT (about 80 bytes each, well under 16 KB on PostgreSQL).
    const LOG_NODE_CHUNK: usize = 100;
    /// Ranges of the check read and hashed at once.
    const LOG_VERIFY_WINDOW: usize = 4;
    /// SQLite reads the file through memory maps for the check (the default copies every page).
    const LOG_SQLITE_MMAP: &str = "PRAGMA mmap_size = 2147418112";

    type LogConn = <Db as sqlx::Database>::Connection;

    /// The hashes of the events after `$1` up to `$2`, in order, as one text.
    fn log_hashes_sql() -> &'static str {
        match BACKEND {
            Backend::Sqlite => {
                "SELECT group_concat(hash, '' ORDER BY seq) AS packed FROM audit_events
                 WHERE seq > $1 AND seq <= $2"
            }
            Backend::Postgres => {
                "SELECT string_agg(hash, '' ORDER BY seq) AS packed FROM audit_events
                 WHERE seq > $1 AND seq <= $2"
            }
        }
    }

    /// Stored subtree hashes as `level:idx:hash` joined by commas (`{}`: the condition).
    fn log_nodes_sql(condition: &str) -> String {
        let aggregate = match BACKEND {
            Backend::Sqlite => "group_concat",
            Backend::Postgres => "string_agg",
        };
        format!(
            "SELECT {aggregate}(level || ':' || idx || ':' || hash, ',') AS packed
             FROM audit_tree_nodes WHERE {condition}"
        )
    }

    fn log_size(value: i64, what: &str) -> StoreResult<u64> {
        u64::try_from(value)
            .map_err(|_| StoreError::Conflict(format!("{what} {value} is negative")))
    }

    fn log_seq(value: u64) -> StoreResult<i64> {
        i64::try_from(value).map_err(|_| StoreError::NotFound("audit event"))
    }

    fn checkpoint_from_row(row: &DbRow) -> Result<Checkpoint, sqlx::Error> {
        let size: i64 = row.try_get("tree_size")?;
        Ok(Checkpoint {
            tree_size: u64::try_from(size).map_err(|_| sqlx::Error::ColumnDecode {
                index: "tree_size".into(),
                source: format!("negative tree size {size}").into(),
            })?,
            root_hash: row.try_get("root_hash")?,
            signed_at: row.try_get("signed_at")?,
            key_id: row.try_get("key_id")?,
            signature: row.try_get("signature")?,
        })
    }

    fn log_altered(what: String) -> StoreError {
        StoreError::Conflict(format!(
            "{what}: the audit log was altered; run `charter audit verify`"
        ))
    }

    /// The leaf hashes of the events after `after` up to `until` (all must be there).
    async fn read_log_leaves(conn: &mut LogConn, after: u64, until: u64) -> StoreResult<Vec<Hash>> {
        let packed: Option<String> = sqlx::query(log_hashes_sql())
            .bind(log_seq(after)?)
            .bind(log_seq(until)?)
            .fetch_one(&mut *conn)
            .await?
            .try_get("packed")?;
        let packed = packed.unwrap_or_default();
        let expected = usize::try_from(until - after).unwrap_or(usize::MAX);
        let altered = || {
            log_altered(format!(
                "events {} to {until} cannot be read as hashes",
                after + 1
            ))
        };
        if packed.len() != expected.saturating_mul(64) {
            return Err(altered());
        }
        packed
            .as_bytes()
            .chunks_exact(64)
            .map(|hex_hash| {
                let mut raw = [0_u8; 32];
                hex::decode_to_slice(hex_hash, &mut raw).ok()?;
                Some(leaf_hash(&raw))
            })
            .collect::<Option<Vec<Hash>>>()
            .ok_or_else(altered)
    }

    fn parse_log_nodes(packed: Option<&str>) -> StoreResult<StoredNodes> {
        let mut nodes = StoredNodes::new();
        for entry in packed
            .unwrap_or_default()
            .split(',')
            .filter(|e| !e.is_empty())
        {
            let mut parts = entry.split(':');
            let parsed = (|| {
                let level = parts.next()?.parse().ok()?;
                let index = parts.next()?.parse().ok()?;
                let mut hash = [0_u8; 32];
                hex::decode_to_slice(parts.next()?, &mut hash).ok()?;
                Some((Subtree::new(level, index), hash))
            })();
            let (subtree, hash) = parsed.ok_or_else(|| {
                log_altered(format!("the stored subtree hash {entry:?} cannot be read"))
            })?;
            nodes.insert(subtree, hash);
        }
        Ok(nodes)
    }

    /// The stored hashes of these subtrees (those stored).
    async fn read_stored_nodes(
        conn: &mut LogConn,
        subtrees: &[Subtree],
    ) -> StoreResult<StoredNodes> {
        if subtrees.is_empty() {
            return Ok(StoredNodes::new());
        }
        let condition = subtrees
            .iter()
            .map(|s| format!("(level = {} AND idx = {})", s.level, s.index))
            .collect::<Vec<_>>()
            .join(" OR ");
        let packed: Option<String> = dynamic(log_nodes_sql(&condition))
            .fetch_one(&mut *conn)
            .await?
            .try_get("packed")?;
        parse_log_nodes(packed.as_deref())
    }

    /// Reads what the node ranges need, in a tree of `size` events.
    async fn read_stored_tree(
        conn: &mut LogConn,
        ranges: &[(u64, u64)],
        size: u64,
    ) -> StoreResult<StoredTree> {
        let reads = reads_for(ranges);
        let mut tree = StoredTree {
            nodes: read_stored_nodes(conn, &reads.subtrees).await?,
            blocks: HashMap::new(),
        };
        for block in reads.blocks {
            let from = block * BLOCK_EVENTS;
            let leaves = read_log_leaves(conn, from, (from + BLOCK_EVENTS).min(size)).await?;
            tree.blocks.insert(block, leaves);
        }
        if let Some(missing) = tree.first_missing(ranges) {
            return Err(log_altered(format!(
                "the stored hash of events {} to {} is missing",
                missing.start() + 1,
                missing.end()
            )));
        }
        Ok(tree)
    }

    pub(super) async fn latest_log_checkpoint(
        conn: &mut LogConn,
    ) -> StoreResult<Option<Checkpoint>> {
        let sql = format!(
            "SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1"
        );
        let row = dynamic(sql).fetch_optional(&mut *conn).await?;
        Ok(row.as_ref().map(checkpoint_from_row).transpose()?)
    }

    /// The tree size a proof may use: one the latest checkpoint covers.
    async fn covered_size(conn: &mut LogConn, size: u64) -> StoreResult<()> {
        let latest = latest_log_checkpoint(conn)
            .await?
            .map_or(0, |c| c.tree_size);
        if size > latest {
            return Err(StoreError::Invalid(FieldErrors::single(
                "tree_size",
                format!("no checkpoint covers {size} events yet (the latest covers {latest})"),
            )));
        }
        Ok(())
    }

    pub(super) async fn log_inclusion_proof(
        pool: &sqlx::Pool<Db>,
        leaf_index: u64,
        tree_size: u64,
    ) -> StoreResult<InclusionProof> {
        let Some(ranges) = inclusion_ranges(leaf_index, tree_size) else {
            return Err(StoreError::Invalid(FieldErrors::single(
                "tree_size",
                format!(
                    "event {} is not in a tree of {tree_size} events",
                    leaf_index + 1
                ),
            )));
        };
        let mut conn = pool.acquire().await?;
        covered_size(&mut conn, tree_size).await?;
        let tree = read_stored_tree(&mut conn, &ranges, tree_size).await?;
        let hashes = ranges
            .iter()
            .filter_map(|&(start, end)| tree.range_root(start, end))
            .map(hex::encode)
            .collect();
        Ok(InclusionProof {
            leaf_index,
            tree_size,
            hashes,
        })
    }

    pub(super) async fn log_consistency_proof(
        pool: &sqlx::Pool<Db>,
        old_size: u64,
        new_size: u64,
    ) -> StoreResult<Vec<String>> {
        let Some(ranges) = consistency_ranges(old_size, new_size) else {
            return Err(StoreError::Invalid(FieldErrors::single(
                "from",
                format!(
                    "a consistency proof goes from 1 to {new_size} events, not from {old_size}"
                ),
            )));
        };
        let mut conn = pool.acquire().await?;
        covered_size(&mut conn, new_size).await?;
        let tree = read_stored_tree(&mut conn, &ranges, new_size).await?;
        Ok(ranges
            .iter()
            .filter_map(|&(start, end)| tree.range_root(start, end))
            .map(hex::encode)
            .collect())
    }

    /// Stores the subtree hashes from `old` to `size` events and returns the root at `size`; the
    /// stored ones cover `old` (the latest checkpoint's size).
    async fn extend_stored_tree(tx: &mut Tx, old: u64, size: u64) -> StoreResult<Hash> {
        let frontier: Vec<Subtree> = perfect_subtrees(0, old - old % BLOCK_EVENTS);
        let mut nodes = read_stored_nodes(tx, &frontier).await?;
        if let Some(missing) = frontier.iter().find(|s| !nodes.contains_key(s)) {
            return Err(log_altered(format!(
                "the stored hash of events {} to {} is missing",
                missing.start() + 1,
                missing.end()
            )));
        }
        let mut new = Vec::new();
        let (mut at, full) = (old - old % BLOCK_EVENTS, size - size % BLOCK_EVENTS);
        while at < full {
            let until = (at + LOG_EXTEND_BATCH).min(full);
            let leaves = read_log_leaves(tx, at, until).await?;
            for (i, block) in leaves.chunks_exact(BLOCK_EVENTS as usize).enumerate() {
                new.push((
                    Subtree::new(STORED_LEVEL, at / BLOCK_EVENTS + i as u64),
                    root(block),
                ));
            }
            at = until;
        }
        nodes.extend(new.iter().copied());
        for level in STORED_LEVEL + 1..u64::BITS {
            let (from, to) = (old >> level, size >> level);
            for index in from..to {
                let left = nodes.get(&Subtree::new(level - 1, 2 * index));
                let right = nodes.get(&Subtree::new(level - 1, 2 * index + 1));
                let (Some(left), Some(right)) = (left, right) else {
                    return Err(log_altered(format!(
                        "a subtree of level {level} cannot be built"
                    )));
                };
                let hash = node_hash(left, right);
                nodes.insert(Subtree::new(level, index), hash);
                new.push((Subtree::new(level, index), hash));
            }
        }
        insert_log_nodes(tx, &new).await?;
        let mut tree = StoredTree {
            nodes,
            blocks: HashMap::new(),
        };
        if !size.is_multiple_of(BLOCK_EVENTS) {
            tree.blocks
                .insert(full / BLOCK_EVENTS, read_log_leaves(tx, full, size).await?);
        }
        if size == 0 {
            return Ok(root(&[]));
        }
        tree.range_root(0, size)
            .ok_or_else(|| log_altered(format!("the root of {size} events cannot be computed")))
    }

    async fn insert_log_nodes(tx: &mut Tx, nodes: &[(Subtree, Hash)]) -> StoreResult<()> {
        for chunk in nodes.chunks(LOG_NODE_CHUNK) {
            let sql = format!(
                "INSERT INTO audit_tree_nodes (level, idx, hash) VALUES {}",
                values_placeholders(PLACEHOLDERS, chunk.len(), 3)
            );
            let mut query = dynamic(sql);
            for (subtree, hash) in chunk {
                query = query
                    .bind(i64::from(subtree.level))
                    .bind(log_seq(subtree.index)?)
                    .bind(hex::encode(hash));
            }
            query.execute(&mut **tx).await?;
        }
        Ok(())
    }

    pub(super) async fn make_log_checkpoint(
        pool: &sqlx::Pool<Db>,
        signer: &CheckpointSigner,
        now: OffsetDateTime,
    ) -> StoreResult<Checkpoint> {
        let mut tx = begin_write(pool).await?;
        // The chain head's lock: events are not appended meanwhile, and a concurrent checkpoint
        // waits, then finds this one.
        let head: i64 = sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq")
            .fetch_one(&mut *tx)
            .await?
            .try_get("seq")?;
        let size = log_size(head, "the chain head")?;
        let latest = latest_log_checkpoint(&mut tx).await?;
        let old = latest.as_ref().map_or(0, |c| c.tree_size);
        if let Some(latest) = latest {
            if latest.tree_size == size {
                tx.rollback().await?;
                return Ok(latest);
            }
            if latest.tree_size > size {
                return Err(log_altered(format!(
                    "the latest checkpoint covers {} events but the log holds {size}",
                    latest.tree_size
                )));
            }
        }
        let root = extend_stored_tree(&mut tx, old, size).await?;
        let checkpoint = signer.sign(size, &root, now);
        sqlx::query(
            "INSERT INTO audit_signing_keys (key_id, public_key, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (key_id) DO NOTHING",
        )
        .bind(signer.key_id())
        .bind(hex::encode(signer.public_key()))
        .bind(checkpoint.signed_at)
        .execute(&mut *tx)
        .await?;
        let sql = format!(
            "INSERT INTO audit_checkpoints ({CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"
        );
        dynamic(sql)
            .bind(log_seq(checkpoint.tree_size)?)
            .bind(checkpoint.root_hash.as_str())
            .bind(checkpoint.signed_at)
            .bind(checkpoint.key_id.as_str())
            .bind(checkpoint.signature.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(checkpoint)
    }

    pub(super) async fn list_log_checkpoints(
        pool: &sqlx::Pool<Db>,
        limit: u32,
    ) -> StoreResult<Vec<Checkpoint>> {
        let sql = format!(
            "SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY tree_size DESC LIMIT $1"
        );
        let rows = dynamic(sql).bind(i64::from(limit)).fetch_all(pool).await?;
        Ok(rows
            .iter()
            .map(checkpoint_from_row)
            .collect::<Result<_, _>>()?)
    }

    pub(super) async fn log_checkpoint(
        pool: &sqlx::Pool<Db>,
        tree_size: u64,
    ) -> StoreResult<Checkpoint> {
        let size = i64::try_from(tree_size).map_err(|_| StoreError::NotFound("checkpoint"))?;
        let sql =
            format!("SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE tree_size = $1");
        let row = dynamic(sql)
            .bind(size)
            .fetch_optional(pool)
            .await?
            .ok_or(StoreError::NotFound("checkpoint"))?;
        Ok(checkpoint_from_row(&row)?)
    }

    async fn all_log_checkpoints(conn: &mut LogConn) -> StoreResult<Vec<Checkpoint>> {
        let sql = format!("SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY tree_size");
        let rows = dynamic(sql).fetch_all(&mut *conn).await?;
        Ok(rows
            .iter()
            .map(checkpoint_from_row)
            .collect::<Result<_, _>>()?)
    }

    pub(super) async fn log_signing_keys(conn: &mut LogConn) -> StoreResult<Vec<SigningKey>> {
        let rows = sqlx::query(
            "SELECT key_id, public_key, created_at FROM audit_signing_keys ORDER BY created_at, key_id",
        )
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SigningKey {
                    key_id: row.try_get("key_id")?,
                    public_key: row.try_get("public_key")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    pub(super) async fn log_audit_event(
        pool: &sqlx::Pool<Db>,
        seq: i64,
    ) -> StoreResult<AuditEvent> {
        let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_events WHERE seq = $1");
        let row = dynamic(sql)
            .bind(seq)
            .fetch_optional(pool)
            .await?
            .ok_or(StoreError::NotFound("audit event"))?;
        Ok(event_from_row(&row)?)
    }

    /// The chain head, the bounds of the events and the log's facts, in one snapshot.
    async fn read_log_facts(
        pool: &sqlx::Pool<Db>,
    ) -> StoreResult<(Option<(i64, String)>, Option<i64>, Option<i64>, LogFacts)> {
        let mut tx = begin_snapshot(pool).await?;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| Ok::<_, sqlx::Error>((row.try_get("seq")?, row.try_get("hash")?)))
            .transpose()?;
        let bounds = sqlx::query("SELECT min(seq) AS first, max(seq) AS last FROM audit_events")
            .fetch_one(&mut *tx)
            .await?;
        let packed: Option<String> = dynamic(log_nodes_sql("1 = 1"))
            .fetch_one(&mut *tx)
            .await?
            .try_get("packed")?;
        let facts = LogFacts {
            checkpoints: all_log_checkpoints(&mut tx).await?,
            keys: log_signing_keys(&mut tx).await?,
            nodes: parse_log_nodes(packed.as_deref())?,
        };
        tx.rollback().await?;
        Ok((
            head,
            bounds.try_get("first")?,
            bounds.try_get("last")?,
            facts,
        ))
    }

    /// Reads one range of events packed (see `PACKED_EVENTS`) and checks it on a blocking thread.
    async fn check_log_range(
        pool: sqlx::Pool<Db>,
        after: i64,
        until: i64,
        facts: Arc<LogFacts>,
    ) -> StoreResult<RangeResult> {
        let mut conn = pool.acquire().await?;
        if BACKEND == Backend::Sqlite {
            sqlx::query(LOG_SQLITE_MMAP).execute(&mut *conn).await?;
        }
        let packed: Option<String> = sqlx::query(PACKED_EVENTS)
            .bind(after)
            .bind(until)
            .fetch_one(&mut *conn)
            .await?
            .try_get("packed")?;
        drop(conn);
        tokio::task::spawn_blocking(move || check_range(after, packed.as_deref(), &facts))
            .await
            .map_err(|e| StoreError::Config(format!("the verification stopped: {e}")))
    }

    /// The ranges of the check: events at or below zero (only ever inserted around Charter) on
    /// their own, then aligned ranges of `RANGE_EVENTS`.
    fn log_ranges(first: Option<i64>, last: Option<i64>) -> Vec<(i64, i64)> {
        let mut ranges = Vec::new();
        if let Some(first) = first.filter(|f| *f < 1) {
            ranges.push((first - 1, 0));
        }
        let step = i64::try_from(RANGE_EVENTS).unwrap_or(i64::MAX);
        let mut after = 0;
        while after < last.unwrap_or(0) {
            ranges.push((after, after.saturating_add(step)));
            after = after.saturating_add(step);
        }
        ranges
    }

    pub(super) async fn verify_audit_log(pool: &sqlx::Pool<Db>) -> StoreResult<LogReport> {
        let (head, first, last, facts) = read_log_facts(pool).await?;
        let facts = Arc::new(facts);
        let signing = {
            let facts = facts.clone();
            tokio::task::spawn_blocking(move || check_signatures(&facts.checkpoints, &facts.keys))
        };
        let mut pending = log_ranges(first, last).into_iter();
        let mut window = std::collections::VecDeque::new();
        let mut joiner = LogJoiner::new(&facts);
        let report = |events_checked, broken, checkpoints_verified, problem| LogReport {
            events_checked,
            broken,
            checkpoints_verified,
            latest: facts.checkpoints.last().cloned(),
            problem,
        };
        loop {
            while window.len() < LOG_VERIFY_WINDOW
                && let Some((after, until)) = pending.next()
            {
                window.push_back(tokio::spawn(check_log_range(
                    pool.clone(),
                    after,
                    until,
                    facts.clone(),
                )));
            }
            let Some(task) = window.pop_front() else {
                break;
            };
            let range = task
                .await
                .map_err(|e| StoreError::Config(format!("the verification stopped: {e}")))??;
            if let Err(broken) = joiner.add(range) {
                window.iter().for_each(tokio::task::JoinHandle::abort);
                signing.abort();
                return Ok(report(joiner.events_checked(), Some(broken), 0, None));
            }
        }
        let signatures = signing
            .await
            .map_err(|e| StoreError::Config(format!("the verification stopped: {e}")))?;
        let findings = joiner.finish(head.as_ref().map(|(s, h)| (*s, h.as_str())), signatures);
        Ok(report(
            findings.events_checked,
            findings.broken,
            findings.checkpoints_verified,
            findings.problem.map(|p| p.message),
        ))
    }
}
