// Shared SQL for sharing published policies: share links to restricted policies (every opening
// logged) and what the public trust page reads.

const SHARE_COLUMNS: &str = "id, policy_id, label, expires_at, revoked_at, created_by, created_at,
    access_count, last_accessed_at";

fn share_link_from_row(row: &DbRow) -> Result<ShareLink, sqlx::Error> {
    Ok(ShareLink {
        id: row.try_get("id")?,
        policy_id: row.try_get("policy_id")?,
        label: row.try_get("label")?,
        expires_at: row.try_get("expires_at")?,
        revoked_at: row.try_get("revoked_at")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        access_count: row.try_get("access_count")?,
        last_accessed_at: row.try_get("last_accessed_at")?,
    })
}

async fn get_share_link_in(tx: &mut Tx, id: Uuid) -> StoreResult<ShareLink> {
    let row = dynamic(format!(
        "SELECT {SHARE_COLUMNS} FROM policy_share_links WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| share_link_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("share link"))
}

async fn create_share_link(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    policy_id: Uuid,
    label: &str,
    expires_at: OffsetDateTime,
    token_hash: &str,
) -> StoreResult<ShareLink> {
    let label = label.trim();
    let mut errors = FieldErrors::new();
    if label.is_empty() || label.chars().count() > 200 {
        errors.add("label", "say whom the link is for (at most 200 characters)");
    }
    let at = now();
    if expires_at <= at || expires_at > at + time::Duration::days(MAX_SHARE_DAYS) {
        errors.add(
            "expires_at",
            format!("must be within the next {MAX_SHARE_DAYS} days"),
        );
    }
    errors.into_result().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let policy = get_policy_in(&mut *tx, policy_id).await?;
    if policy.visibility != Visibility::Restricted {
        return Err(StoreError::Conflict(
            "share links are for restricted policies; make the policy restricted first".into(),
        ));
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO policy_share_links (id, policy_id, token_hash, label, expires_at, created_by,
            created_at, access_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
    )
    .bind(id)
    .bind(policy_id)
    .bind(token_hash)
    .bind(label)
    .bind(truncate_to_micros(expires_at))
    .bind(by.id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let link = get_share_link_in(&mut tx, id).await?;
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "policy_share_link.created",
        "policy_share_link",
        id,
        &link,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(link)
}

async fn revoke_share_link(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
) -> StoreResult<ShareLink> {
    let mut tx = begin_write(pool).await?;
    let link = get_share_link_in(&mut tx, id).await?;
    if link.revoked_at.is_some() {
        return Err(StoreError::Conflict("this link is already revoked".into()));
    }
    sqlx::query("UPDATE policy_share_links SET revoked_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    let link = get_share_link_in(&mut tx, id).await?;
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "policy_share_link.revoked",
        "policy_share_link",
        id,
        &link,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(link)
}

async fn list_share_links(pool: &sqlx::Pool<Db>, policy_id: Uuid) -> StoreResult<Vec<ShareLink>> {
    let rows = dynamic(format!(
        "SELECT {SHARE_COLUMNS} FROM policy_share_links WHERE policy_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(policy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(share_link_from_row)
        .collect::<Result<_, _>>()?)
}

async fn open_share_link(
    pool: &sqlx::Pool<Db>,
    token_hash: &str,
    address: &str,
) -> StoreResult<Option<PublishedPolicy>> {
    // Anyone may try a token: an unknown or dead one is answered from a plain read, so guessing
    // never takes the write lock that every change of the organization waits for.
    let known = sqlx::query(
        "SELECT id FROM policy_share_links WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(pool)
    .await?;
    if known.is_none() {
        return Ok(None);
    }
    let mut tx = begin_write(pool).await?;
    let Some(row) = dynamic(format!(
        "SELECT {SHARE_COLUMNS} FROM policy_share_links WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let link = share_link_from_row(&row)?;
    let at = now();
    if !link.is_active(at) {
        return Ok(None);
    }
    let Some(shared) = published_policy_in(&mut tx, link.policy_id).await? else {
        return Ok(None);
    };
    if shared.policy.visibility != Visibility::Restricted {
        return Ok(None);
    }
    sqlx::query(
        "UPDATE policy_share_links SET access_count = access_count + 1, last_accessed_at = $2
         WHERE id = $1",
    )
    .bind(link.id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let record = serde_json::json!({
        "share_link_id": link.id, "label": link.label, "address": address,
        "version_id": shared.version.id, "content_hash": shared.version.content_hash,
    });
    let event = NewAuditEvent::for_record(
        &Actor::named(format!("share_link:{}", link.id)),
        "policy_share_link.opened",
        "policy",
        link.policy_id,
        &record,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(Some(shared))
}

/// The policy with its published version and the names of its approvers.
async fn published_policy_in(tx: &mut Tx, policy_id: Uuid) -> StoreResult<Option<PublishedPolicy>> {
    let policy = get_policy_in(&mut **tx, policy_id).await?;
    let Some(row) = dynamic(format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE policy_id = $1 AND status = 'published'"
    ))
    .bind(policy_id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    let version = version_from_row(&row)?;
    let approvers = sqlx::query(
        "SELECT p.name FROM policy_decisions d JOIN accounts a ON a.id = d.account_id
            JOIN people p ON p.id = a.person_id
         WHERE d.version_id = $1 AND d.approved AND d.review_round = $2 ORDER BY d.decided_at",
    )
    .bind(version.id)
    .bind(i32::try_from(version.review_round).unwrap_or(i32::MAX))
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| row.try_get("name"))
    .collect::<Result<_, _>>()?;
    Ok(Some(PublishedPolicy {
        policy,
        version,
        approvers,
    }))
}

async fn public_policies(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<PublishedPolicy>> {
    let mut tx = begin_snapshot(pool).await?;
    let ids: Vec<Uuid> = sqlx::query(
        "SELECT p.id FROM policies p JOIN policy_versions v ON v.policy_id = p.id
         WHERE p.visibility = 'public' AND v.status = 'published'
         ORDER BY CASE p.kind WHEN 'top_level' THEN 0 ELSE 1 END, lower(p.title), p.id",
    )
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|row| row.try_get("id"))
    .collect::<Result<_, _>>()?;
    let mut policies = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(shared) = published_policy_in(&mut tx, id).await? {
            policies.push(shared);
        }
    }
    tx.commit().await?;
    Ok(policies)
}

async fn public_policy(pool: &sqlx::Pool<Db>, id: Uuid) -> StoreResult<Option<PublishedPolicy>> {
    let mut tx = begin_snapshot(pool).await?;
    let shared = match published_policy_in(&mut tx, id).await {
        Ok(found) => found.filter(|s| s.policy.visibility == Visibility::Public),
        Err(StoreError::NotFound(_)) => None,
        Err(other) => return Err(other),
    };
    tx.commit().await?;
    Ok(shared)
}
