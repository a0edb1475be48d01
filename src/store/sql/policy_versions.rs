// Shared SQL for policy versions: drafts, the lifecycle steps, sign-off decisions, comments.

const VERSION_COLUMNS: &str = "id, policy_id, major, minor, is_major, status, body, content_hash,
    change_summary, author_id, submitted_by, submitted_at, review_round, approved_at,
    published_by, published_at, retired_at, created_at, updated_at";

fn version_from_row(row: &DbRow) -> Result<PolicyVersion, sqlx::Error> {
    Ok(PolicyVersion {
        id: row.try_get("id")?,
        policy_id: row.try_get("policy_id")?,
        number: VersionNumber {
            major: row.try_get::<i32, _>("major")?.unsigned_abs(),
            minor: row.try_get::<i32, _>("minor")?.unsigned_abs(),
        },
        is_major: row.try_get("is_major")?,
        status: parse_column(row, "status")?,
        body: row.try_get("body")?,
        content_hash: row.try_get("content_hash")?,
        change_summary: row.try_get("change_summary")?,
        author_id: row.try_get("author_id")?,
        submitted_by: row.try_get("submitted_by")?,
        submitted_at: row.try_get("submitted_at")?,
        review_round: row.try_get::<i32, _>("review_round")?.unsigned_abs(),
        approved_at: row.try_get("approved_at")?,
        published_by: row.try_get("published_by")?,
        published_at: row.try_get("published_at")?,
        retired_at: row.try_get("retired_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

async fn get_version_in<'e, E>(executor: E, id: Uuid) -> StoreResult<PolicyVersion>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|r| version_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("policy version"))
}

async fn list_versions(pool: &sqlx::Pool<Db>, policy_id: Uuid) -> StoreResult<Vec<PolicyVersion>> {
    get_policy_in(pool, policy_id).await?;
    let rows = dynamic(format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE policy_id = $1
         ORDER BY major DESC, minor DESC"
    ))
    .bind(policy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(version_from_row)
        .collect::<Result<_, _>>()?)
}

async fn published_version(
    pool: &sqlx::Pool<Db>,
    policy_id: Uuid,
) -> StoreResult<Option<PolicyVersion>> {
    let row = dynamic(format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE policy_id = $1 AND status = 'published'"
    ))
    .bind(policy_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| version_from_row(&r)).transpose()?)
}

/// What the audit event of a version change digests: the number, status and content hash.
#[derive(serde::Serialize)]
struct VersionEventRecord<'a> {
    policy_id: Uuid,
    number: String,
    status: &'a str,
    content_hash: &'a str,
    detail: serde_json::Value,
}

fn version_event(
    by: &Account,
    action: &str,
    version: &PolicyVersion,
    detail: serde_json::Value,
) -> NewAuditEvent {
    NewAuditEvent::for_record(
        &account_actor(by),
        action,
        "policy_version",
        version.id,
        &VersionEventRecord {
            policy_id: version.policy_id,
            number: version.number.to_string(),
            status: version.status.as_str(),
            content_hash: &version.content_hash,
            detail,
        },
    )
}

/// The highest number among the policy's versions other than `except`.
async fn latest_number(
    tx: &mut Tx,
    policy_id: Uuid,
    except: Uuid,
) -> Result<Option<VersionNumber>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT major, minor FROM policy_versions WHERE policy_id = $1 AND id <> $2
         ORDER BY major DESC, minor DESC LIMIT 1",
    )
    .bind(policy_id)
    .bind(except)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok(VersionNumber {
            major: r.try_get::<i32, _>("major")?.unsigned_abs(),
            minor: r.try_get::<i32, _>("minor")?.unsigned_abs(),
        })
    })
    .transpose()
}

async fn add_contributor(
    tx: &mut Tx,
    version_id: Uuid,
    account_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO policy_version_contributors (version_id, account_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING",
    )
    .bind(version_id)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inserts the policy's next version as a draft written by `by` (the caller checked that no
/// other version is in preparation).
async fn insert_version(
    tx: &mut Tx,
    by: &Account,
    policy_id: Uuid,
    based_on: Option<VersionNumber>,
    draft: &DraftInput,
    events: &mut Vec<NewAuditEvent>,
) -> StoreResult<PolicyVersion> {
    let id = Uuid::now_v7();
    let number = VersionNumber::after(based_on, draft.is_major);
    let body = canonical_body(&draft.body);
    let at = now();
    sqlx::query(
        "INSERT INTO policy_versions (id, policy_id, major, minor, is_major, status, body,
            content_hash, change_summary, author_id, review_round, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, 0, $10, $10)",
    )
    .bind(id)
    .bind(policy_id)
    .bind(i32::try_from(number.major).unwrap_or(i32::MAX))
    .bind(i32::try_from(number.minor).unwrap_or(i32::MAX))
    .bind(draft.is_major)
    .bind(body.as_str())
    .bind(content_hash(&body))
    .bind(draft.change_summary.as_str())
    .bind(by.id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    add_contributor(tx, id, by.id).await?;
    let version = get_version_in(&mut **tx, id).await?;
    events.push(version_event(
        by,
        "policy_version.drafted",
        &version,
        serde_json::json!({}),
    ));
    Ok(version)
}

async fn open_version_id(tx: &mut Tx, policy_id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query(
        "SELECT id FROM policy_versions WHERE policy_id = $1
            AND status IN ('draft', 'in_review', 'approved')",
    )
    .bind(policy_id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|row| row.try_get("id"))
    .transpose()
}

async fn create_draft(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    policy_id: Uuid,
    draft: DraftInput,
) -> StoreResult<PolicyVersion> {
    let mut tx = begin_write(pool).await?;
    get_policy_in(&mut *tx, policy_id).await?;
    if open_version_id(&mut tx, policy_id).await?.is_some() {
        return Err(StoreError::Conflict(
            "this policy already has a version in preparation; edit or finish that one".into(),
        ));
    }
    let latest = latest_number(&mut tx, policy_id, Uuid::nil()).await?;
    let mut events = Vec::new();
    let version = insert_version(&mut tx, by, policy_id, latest, &draft, &mut events).await?;
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(version)
}

async fn update_draft(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    version_id: Uuid,
    draft: DraftInput,
) -> StoreResult<PolicyVersion> {
    let mut tx = begin_write(pool).await?;
    let before = get_version_in(&mut *tx, version_id).await?;
    if !before.status.is_editable() {
        return Err(StoreError::Conflict(format!(
            "version {} is {}: only a draft can be edited; start a new draft instead",
            before.number,
            before.status.label().to_lowercase()
        )));
    }
    let latest = latest_number(&mut tx, before.policy_id, version_id).await?;
    let number = VersionNumber::after(latest, draft.is_major);
    let body = canonical_body(&draft.body);
    sqlx::query(
        "UPDATE policy_versions SET major = $2, minor = $3, is_major = $4, body = $5,
            content_hash = $6, change_summary = $7, updated_at = $8
         WHERE id = $1",
    )
    .bind(version_id)
    .bind(i32::try_from(number.major).unwrap_or(i32::MAX))
    .bind(i32::try_from(number.minor).unwrap_or(i32::MAX))
    .bind(draft.is_major)
    .bind(body.as_str())
    .bind(content_hash(&body))
    .bind(draft.change_summary.as_str())
    .bind(now())
    .execute(&mut *tx)
    .await?;
    add_contributor(&mut tx, version_id, by.id).await?;
    let version = get_version_in(&mut *tx, version_id).await?;
    let event = version_event(by, "policy_version.edited", &version, serde_json::json!({}));
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(version)
}

async fn version_contributors_in(tx: &mut Tx, version_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query("SELECT account_id FROM policy_version_contributors WHERE version_id = $1")
        .bind(version_id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|row| row.try_get("account_id"))
        .collect()
}

async fn version_contributors(pool: &sqlx::Pool<Db>, version_id: Uuid) -> StoreResult<Vec<Uuid>> {
    let mut tx = begin_snapshot(pool).await?;
    let ids = version_contributors_in(&mut tx, version_id).await?;
    tx.commit().await?;
    Ok(ids)
}

const DECISION_COLUMNS: &str = "d.id, d.version_id, d.account_id, p.name AS account_name,
    d.approved, d.statement, d.held_role, d.content_hash, d.review_round, d.decided_at";

fn decision_from_row(row: &DbRow) -> Result<Decision, sqlx::Error> {
    Ok(Decision {
        id: row.try_get("id")?,
        version_id: row.try_get("version_id")?,
        account_id: row.try_get("account_id")?,
        account_name: row.try_get("account_name")?,
        approved: row.try_get("approved")?,
        statement: row.try_get("statement")?,
        held_role: parse_column(row, "held_role")?,
        content_hash: row.try_get("content_hash")?,
        review_round: row.try_get::<i32, _>("review_round")?.unsigned_abs(),
        decided_at: row.try_get("decided_at")?,
    })
}

async fn version_decisions(pool: &sqlx::Pool<Db>, version_id: Uuid) -> StoreResult<Vec<Decision>> {
    let rows = dynamic(format!(
        "SELECT {DECISION_COLUMNS} FROM policy_decisions d
            JOIN accounts a ON a.id = d.account_id JOIN people p ON p.id = a.person_id
         WHERE d.version_id = $1 ORDER BY d.decided_at, d.id"
    ))
    .bind(version_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(decision_from_row)
        .collect::<Result<_, _>>()?)
}

async fn add_comment(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    version_id: Uuid,
    body: &str,
) -> StoreResult<Comment> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 10_000 {
        return Err(StoreError::Invalid(FieldErrors::single(
            "body",
            "write a comment of at most 10,000 characters",
        )));
    }
    let mut tx = begin_write(pool).await?;
    let version = get_version_in(&mut *tx, version_id).await?;
    if !matches!(
        version.status,
        VersionStatus::Draft | VersionStatus::InReview
    ) {
        return Err(StoreError::Conflict(format!(
            "version {} is {}: comments are for drafts and versions in review",
            version.number,
            version.status.label().to_lowercase()
        )));
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO policy_comments (id, version_id, account_id, body, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(version_id)
    .bind(by.id)
    .bind(body)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let event = version_event(
        by,
        "policy_version.commented",
        &version,
        serde_json::json!({ "comment_id": id, "body": body }),
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    version_comments(pool, version_id)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(StoreError::NotFound("comment"))
}

async fn version_comments(pool: &sqlx::Pool<Db>, version_id: Uuid) -> StoreResult<Vec<Comment>> {
    let rows = sqlx::query(
        "SELECT c.id, c.version_id, c.account_id, p.name AS account_name, c.body, c.created_at
         FROM policy_comments c JOIN accounts a ON a.id = c.account_id
            JOIN people p ON p.id = a.person_id
         WHERE c.version_id = $1 ORDER BY c.created_at, c.id",
    )
    .bind(version_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Comment {
                id: row.try_get("id")?,
                version_id: row.try_get("version_id")?,
                account_id: row.try_get("account_id")?,
                account_name: row.try_get("account_name")?,
                body: row.try_get("body")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::from)
}
