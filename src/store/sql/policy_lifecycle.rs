// Shared SQL for the lifecycle steps of a version (submit, withdraw, sign-off decisions, publish,
// retire) and for "reviewed, no change".

async fn transition_version(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    version_id: Uuid,
    step: Transition,
    statement: &str,
    today: Date,
) -> StoreResult<PolicyVersion> {
    let mut tx = begin_write(pool).await?;
    let version = get_version_in(&mut *tx, version_id).await?;
    step.check(version.status).map_err(StoreError::Conflict)?;
    let policy = get_policy_in(&mut *tx, version.policy_id).await?;
    let mut events = Vec::new();
    match step {
        Transition::Submit => {
            set_version_status(&mut tx, &version, "in_review", Some(by.id)).await?;
        }
        Transition::Withdraw => set_version_status(&mut tx, &version, "draft", None).await?,
        Transition::Approve | Transition::Reject => {
            decide(&mut tx, by, &policy, &version, step, statement, &mut events).await?;
        }
        Transition::Publish => publish(&mut tx, by, &version, today, &mut events).await?,
        Transition::Retire => {
            set_version_status(&mut tx, &version, "retired", None).await?;
            close_retired_campaigns(&mut tx, by, &version, today, &mut events).await?;
        }
    }
    let after = get_version_in(&mut *tx, version_id).await?;
    let action = match step {
        Transition::Submit => Some("policy_version.submitted"),
        Transition::Withdraw => Some("policy_version.withdrawn"),
        Transition::Publish => Some("policy_version.published"),
        Transition::Retire => Some("policy_version.retired"),
        Transition::Approve | Transition::Reject => None,
    };
    if let Some(action) = action {
        events.push(version_event(by, action, &after, serde_json::json!({})));
    }
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(after)
}

/// Moves a version to `status`, stamping the time that status records.
async fn set_version_status(
    tx: &mut Tx,
    version: &PolicyVersion,
    status: &str,
    submitter: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    let at = now();
    let sql = match status {
        "in_review" => {
            "UPDATE policy_versions SET status = $2, updated_at = $3, submitted_at = $3,
                submitted_by = $4, review_round = review_round + 1 WHERE id = $1"
        }
        "approved" => {
            "UPDATE policy_versions SET status = $2, updated_at = $3, approved_at = $3 WHERE id = $1"
        }
        "published" => {
            "UPDATE policy_versions SET status = $2, updated_at = $3, published_at = $3,
                published_by = $4 WHERE id = $1"
        }
        "retired" => {
            "UPDATE policy_versions SET status = $2, updated_at = $3, retired_at = $3 WHERE id = $1"
        }
        _ => "UPDATE policy_versions SET status = $2, updated_at = $3 WHERE id = $1",
    };
    let mut query = sqlx::query(sql).bind(version.id).bind(status).bind(at);
    if matches!(status, "in_review" | "published") {
        query = query.bind(submitter);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// The roles the account holds now, read inside the deciding transaction.
async fn roles_now(tx: &mut Tx, account: &Account) -> StoreResult<Account> {
    let disabled: Option<OffsetDateTime> =
        sqlx::query("SELECT disabled_at FROM accounts WHERE id = $1")
            .bind(account.id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound("account"))?
            .try_get("disabled_at")?;
    if disabled.is_some() {
        return Err(StoreError::Forbidden("this account is disabled".into()));
    }
    let mut roles = Vec::new();
    for row in sqlx::query("SELECT role FROM account_roles WHERE account_id = $1")
        .bind(account.id)
        .fetch_all(&mut **tx)
        .await?
    {
        if let Ok(role) = row.try_get::<String, _>("role")?.parse() {
            roles.push(role);
        }
    }
    Ok(Account {
        roles,
        granted_roles: granted_roles_now(tx, account.person_id).await?,
        ..account.clone()
    })
}

/// The tool roles granted by the catalog roles the person holds today (who may approve follows
/// from who holds the role that day); none once the person has departed.
async fn granted_roles_now(tx: &mut Tx, person_id: Uuid) -> StoreResult<Vec<Role>> {
    let sql = format!(
        "SELECT DISTINCT o.grants FROM role_assignments ra
            JOIN org_roles o ON o.id = ra.role_id JOIN people p ON p.id = ra.person_id
         WHERE ra.person_id = $1 AND o.grants IS NOT NULL AND p.status <> 'departed'
            AND ra.starts_on <= {TODAY} AND (ra.ends_on IS NULL OR ra.ends_on >= {TODAY})"
    );
    let mut granted = Vec::new();
    for row in dynamic(sql).bind(person_id).fetch_all(&mut **tx).await? {
        if let Ok(role) = row.try_get::<String, _>("grants")?.parse() {
            granted.push(role);
        }
    }
    granted.sort();
    Ok(granted)
}

/// A sign-off or a rejection: the rule is checked against the database as it is now, and the
/// decision records the role held and the content hash decided on.
async fn decide(
    tx: &mut Tx,
    by: &Account,
    policy: &Policy,
    version: &PolicyVersion,
    step: Transition,
    statement: &str,
    events: &mut Vec<NewAuditEvent>,
) -> StoreResult<()> {
    let approve = step == Transition::Approve;
    let statement = statement.trim();
    if statement.is_empty() || statement.chars().count() > 4000 {
        let (field, what) = if approve {
            ("statement", "write the approval statement you sign")
        } else {
            ("reason", "say why the version is rejected")
        };
        return Err(StoreError::Invalid(FieldErrors::single(field, what)));
    }
    let approver = roles_now(tx, by).await?;
    let contributors = version_contributors_in(tx, version.id).await?;
    let round = i32::try_from(version.review_round).unwrap_or(i32::MAX);
    let already = sqlx::query(
        "SELECT id FROM policy_decisions WHERE version_id = $1 AND account_id = $2 AND review_round = $3",
    )
    .bind(version.id)
    .bind(by.id)
    .bind(round)
    .fetch_optional(&mut **tx)
    .await?
    .is_some();
    check_signoff(
        &approver,
        policy.approver_role,
        &contributors,
        version.submitted_by,
        already,
    )
    .map_err(|refusal| StoreError::Forbidden(refusal.to_string()))?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO policy_decisions (id, version_id, account_id, approved, statement, held_role,
            content_hash, review_round, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(version.id)
    .bind(by.id)
    .bind(approve)
    .bind(statement)
    .bind(policy.approver_role.as_str())
    .bind(version.content_hash.as_str())
    .bind(round)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    let checked = serde_json::json!({
        "decision_id": id,
        "statement": statement,
        "held_role": policy.approver_role.as_str(),
        "not_author": true,
        "not_submitter": true,
        "review_round": version.review_round,
    });
    if !approve {
        set_version_status(tx, version, "draft", None).await?;
        events.push(version_event(
            by,
            "policy_version.rejected",
            version,
            checked,
        ));
        return Ok(());
    }
    events.push(version_event(
        by,
        "policy_version.signed_off",
        version,
        checked,
    ));
    let approvals: i64 = sqlx::query(
        "SELECT COUNT(*) FROM policy_decisions WHERE version_id = $1 AND review_round = $2 AND approved",
    )
    .bind(version.id)
    .bind(round)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    if approvals >= i64::from(policy.quorum) {
        set_version_status(tx, version, "approved", None).await?;
        let approved = get_version_in(&mut **tx, version.id).await?;
        let detail = serde_json::json!({ "approvals": approvals, "quorum": policy.quorum });
        events.push(version_event(
            by,
            "policy_version.approved",
            &approved,
            detail,
        ));
    }
    Ok(())
}

/// Publishes an approved version: the one in force before it is superseded, and the policy's
/// review clock starts again today.
async fn publish(
    tx: &mut Tx,
    by: &Account,
    version: &PolicyVersion,
    today: Date,
    events: &mut Vec<NewAuditEvent>,
) -> StoreResult<()> {
    let previous = dynamic(format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE policy_id = $1 AND status = 'published'"
    ))
    .bind(version.policy_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = previous {
        let previous = version_from_row(&row)?;
        set_version_status(tx, &previous, "superseded", None).await?;
        let superseded = get_version_in(&mut **tx, previous.id).await?;
        let detail = serde_json::json!({ "superseded_by": version.id });
        events.push(version_event(
            by,
            "policy_version.superseded",
            &superseded,
            detail,
        ));
    }
    set_version_status(tx, version, "published", Some(by.id)).await?;
    carry_campaigns(tx, by, version, today, events).await?;
    sqlx::query("UPDATE policies SET last_reviewed_on = $2, updated_at = $3 WHERE id = $1")
        .bind(version.policy_id)
        .bind(today)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

const REVIEW_COLUMNS: &str =
    "r.id, r.policy_id, r.version_id, r.account_id, p.name AS account_name,
    r.note, r.reviewed_on";

fn review_from_row(row: &DbRow) -> Result<PolicyReview, sqlx::Error> {
    Ok(PolicyReview {
        id: row.try_get("id")?,
        policy_id: row.try_get("policy_id")?,
        version_id: row.try_get("version_id")?,
        account_id: row.try_get("account_id")?,
        account_name: row.try_get("account_name")?,
        note: row.try_get("note")?,
        reviewed_on: row.try_get("reviewed_on")?,
    })
}

async fn record_review(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    policy_id: Uuid,
    note: &str,
    today: Date,
) -> StoreResult<PolicyReview> {
    let note = note.trim();
    if note.chars().count() > 4000 {
        return Err(StoreError::Invalid(FieldErrors::single(
            "note",
            "must be at most 4000 characters",
        )));
    }
    let mut tx = begin_write(pool).await?;
    get_policy_in(&mut *tx, policy_id).await?;
    let Some(version_id) =
        sqlx::query("SELECT id FROM policy_versions WHERE policy_id = $1 AND status = 'published'")
            .bind(policy_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| row.try_get::<Uuid, _>("id"))
            .transpose()?
    else {
        return Err(StoreError::Conflict(
            "nothing is published yet: a review confirms the version in force".into(),
        ));
    };
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO policy_reviews (id, policy_id, version_id, account_id, note, reviewed_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(policy_id)
    .bind(version_id)
    .bind(by.id)
    .bind(note)
    .bind(today)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE policies SET last_reviewed_on = $2, updated_at = $3 WHERE id = $1")
        .bind(policy_id)
        .bind(today)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    let record = serde_json::json!({
        "version_id": version_id, "note": note, "reviewed_on": today.to_string(), "outcome": "no_change"
    });
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "policy.reviewed",
        "policy",
        policy_id,
        &record,
    );
    append_events(&mut tx, vec![event]).await?;
    let row = dynamic(format!(
        "SELECT {REVIEW_COLUMNS} FROM policy_reviews r JOIN accounts a ON a.id = r.account_id
            JOIN people p ON p.id = a.person_id WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let review = review_from_row(&row)?;
    tx.commit().await?;
    Ok(review)
}

async fn list_reviews(pool: &sqlx::Pool<Db>, policy_id: Uuid) -> StoreResult<Vec<PolicyReview>> {
    let rows = dynamic(format!(
        "SELECT {REVIEW_COLUMNS} FROM policy_reviews r JOIN accounts a ON a.id = r.account_id
            JOIN people p ON p.id = a.person_id
         WHERE r.policy_id = $1 ORDER BY r.reviewed_on DESC, r.id DESC"
    ))
    .bind(policy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(review_from_row).collect::<Result<_, _>>()?)
}
