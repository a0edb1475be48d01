// Shared SQL for policies: the register with its summaries, and creating and editing a policy.

const POLICY_COLUMNS: &str = "p.id, p.title, p.kind, p.owner_id, o.name AS owner_name,
    p.approver_role, p.audience, p.review_interval_months, p.visibility, p.visibility_rationale,
    p.quorum, p.last_reviewed_on, p.created_at, p.updated_at";
const POLICY_FROM: &str = "policies p JOIN people o ON o.id = p.owner_id";

fn policy_from_row(row: &DbRow) -> Result<Policy, sqlx::Error> {
    let audience: String = row.try_get("audience")?;
    Ok(Policy {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        kind: parse_column(row, "kind")?,
        owner_id: row.try_get("owner_id")?,
        owner_name: row.try_get("owner_name")?,
        approver_role: parse_column(row, "approver_role")?,
        audience: serde_json::from_str(&audience).unwrap_or(Audience::Everyone),
        review_interval_months: u32::try_from(row.try_get::<i32, _>("review_interval_months")?)
            .unwrap_or(12),
        visibility: parse_column(row, "visibility")?,
        visibility_rationale: row.try_get("visibility_rationale")?,
        quorum: u32::try_from(row.try_get::<i32, _>("quorum")?).unwrap_or(1),
        last_reviewed_on: row.try_get("last_reviewed_on")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn optional_number(row: &DbRow, prefix: &str) -> Result<Option<VersionNumber>, sqlx::Error> {
    let major: Option<i32> = row.try_get(format!("{prefix}_major").as_str())?;
    let minor: Option<i32> = row.try_get(format!("{prefix}_minor").as_str())?;
    Ok(major.zip(minor).map(|(major, minor)| VersionNumber {
        major: major.unsigned_abs(),
        minor: minor.unsigned_abs(),
    }))
}

fn summary_from_row(row: &DbRow, today: Date) -> Result<PolicySummary, sqlx::Error> {
    let policy = policy_from_row(row)?;
    let open_status: Option<String> = row.try_get("open_status")?;
    let published_at: Option<OffsetDateTime> = row.try_get("pub_at")?;
    Ok(PolicySummary {
        published_version: optional_number(row, "pub")?,
        published_on: published_at.map(OffsetDateTime::date),
        open_version: optional_number(row, "open")?,
        open_status: open_status.and_then(|s| s.parse().ok()),
        versions: row.try_get("versions")?,
        active_exceptions: row.try_get("active_exceptions")?,
        next_review_due: policy.next_review_due(),
        review_state: policy.review_state(today),
        policy,
    })
}

fn policy_conditions(filter: &PolicyFilter) -> Conditions {
    let mut conditions = Conditions::default();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        conditions.add(
            "lower(p.title) LIKE {} ESCAPE '\\'",
            Arg::Text(contains_pattern(q)),
        );
    }
    if let Some(kind) = filter.kind {
        conditions.add("p.kind = {}", Arg::Text(kind.as_str().to_owned()));
    }
    if let Some(visibility) = filter.visibility {
        conditions.add(
            "p.visibility = {}",
            Arg::Text(visibility.as_str().to_owned()),
        );
    }
    if let Some(owner) = filter.owner_id {
        conditions.add("p.owner_id = {}", Arg::Uuid(owner));
    }
    if filter.in_review {
        conditions.add_fixed("op.status = 'in_review'");
    }
    if filter.published_only {
        conditions.add_fixed(
            "EXISTS (SELECT 1 FROM policy_versions x WHERE x.policy_id = p.id AND x.status = 'published')",
        );
    }
    conditions
}

/// The summaries matching `conditions`, in register order (the top-level policy first).
async fn policy_summaries(
    pool: &sqlx::Pool<Db>,
    conditions: &Conditions,
    today: Date,
    limits: Option<PageRequest>,
) -> StoreResult<Vec<PolicySummary>> {
    let t = conditions.next_placeholder();
    let where_sql = conditions.where_sql();
    let limit_sql = if limits.is_some() {
        format!(" LIMIT ${} OFFSET ${}", t + 1, t + 2)
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT {POLICY_COLUMNS},
            pub.major AS pub_major, pub.minor AS pub_minor, pub.published_at AS pub_at,
            op.major AS open_major, op.minor AS open_minor, op.status AS open_status,
            (SELECT COUNT(*) FROM policy_versions v WHERE v.policy_id = p.id) AS versions,
            (SELECT COUNT(*) FROM policy_exceptions e WHERE e.policy_id = p.id
                AND e.status = 'approved' AND e.expires_on >= ${t}) AS active_exceptions
        FROM {POLICY_FROM}
        LEFT JOIN policy_versions pub ON pub.policy_id = p.id AND pub.status = 'published'
        LEFT JOIN policy_versions op ON op.policy_id = p.id
            AND op.status IN ('draft', 'in_review', 'approved')
        {where_sql}
        ORDER BY CASE p.kind WHEN 'top_level' THEN 0 ELSE 1 END, lower(p.title), p.id{limit_sql}"
    );
    let mut query = bind_args(dynamic(sql), &conditions.args).bind(today);
    if let Some(page) = limits {
        query = query.bind(page.limit()).bind(page.offset());
    }
    let rows = query.fetch_all(pool).await?;
    Ok(rows
        .iter()
        .map(|row| summary_from_row(row, today))
        .collect::<Result<_, _>>()?)
}

async fn list_policies(
    pool: &sqlx::Pool<Db>,
    filter: &PolicyFilter,
    today: Date,
    page: PageRequest,
) -> StoreResult<Page<PolicySummary>> {
    let conditions = policy_conditions(filter);
    if filter.overdue {
        // Overdue depends on calendar months: decided here rather than in two SQL dialects.
        let all = policy_summaries(pool, &conditions, today, None).await?;
        let overdue: Vec<PolicySummary> = all
            .into_iter()
            .filter(|s| s.review_state == ReviewState::Overdue)
            .collect();
        let total = i64::try_from(overdue.len()).unwrap_or(i64::MAX);
        let start = usize::try_from(page.offset()).unwrap_or(0);
        let items = overdue
            .into_iter()
            .skip(start)
            .take(usize::try_from(page.limit()).unwrap_or(0))
            .collect();
        return Ok(Page::new(items, page, total));
    }
    let counting = dynamic(format!(
        "SELECT COUNT(*) FROM {POLICY_FROM} LEFT JOIN policy_versions op ON op.policy_id = p.id
            AND op.status IN ('draft', 'in_review', 'approved'){}",
        conditions.where_sql()
    ));
    let total = count(bind_args(counting, &conditions.args), pool).await?;
    let items = policy_summaries(pool, &conditions, today, Some(page)).await?;
    Ok(Page::new(items, page, total))
}

async fn get_policy_in<'e, E>(executor: E, id: Uuid) -> StoreResult<Policy>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "SELECT {POLICY_COLUMNS} FROM {POLICY_FROM} WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|r| policy_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("policy"))
}

async fn top_level_policy(pool: &sqlx::Pool<Db>) -> StoreResult<Option<Policy>> {
    let row = dynamic(format!(
        "SELECT {POLICY_COLUMNS} FROM {POLICY_FROM} WHERE p.kind = 'top_level'"
    ))
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| policy_from_row(&r)).transpose()?)
}

/// Checks what needs the database: the owner exists, one top-level policy, a unique title.
async fn check_policy_references(tx: &mut Tx, id: Uuid, input: &PolicyInput) -> StoreResult<()> {
    let mut errors = FieldErrors::new();
    let owner = sqlx::query("SELECT status FROM people WHERE id = $1")
        .bind(input.owner_id)
        .fetch_optional(&mut **tx)
        .await?;
    match owner {
        None => errors.add("owner_id", "is not a known person"),
        Some(row) if row.try_get::<String, _>("status")? == "departed" => {
            errors.add("owner_id", "has departed; choose a current owner")
        }
        Some(_) => {}
    }
    if input.kind == PolicyKind::TopLevel {
        let other = sqlx::query("SELECT id FROM policies WHERE kind = 'top_level' AND id <> $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
        if other.is_some() {
            errors.add(
                "kind",
                "there is already an information security policy; there is exactly one",
            );
        }
    }
    let same_title =
        sqlx::query("SELECT id FROM policies WHERE lower(title) = lower($1) AND id <> $2")
            .bind(input.title.as_str())
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    if same_title.is_some() {
        errors.add("title", "another policy has this title");
    }
    if let Audience::Units { unit_ids } = &input.audience {
        for unit in unit_ids {
            let known = sqlx::query("SELECT id FROM units WHERE id = $1")
                .bind(*unit)
                .fetch_optional(&mut **tx)
                .await?;
            if known.is_none() {
                errors.add("audience", format!("unit {unit} is not known"));
            }
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

async fn write_policy_row(
    tx: &mut Tx,
    id: Uuid,
    input: &PolicyInput,
    is_new: bool,
) -> Result<(), sqlx::Error> {
    let audience = serde_json::to_string(&input.audience).unwrap_or_else(|_| "{}".into());
    let at = now();
    let sql = if is_new {
        "INSERT INTO policies (id, title, kind, owner_id, approver_role, audience,
            review_interval_months, visibility, visibility_rationale, quorum, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)"
    } else {
        "UPDATE policies SET title = $2, kind = $3, owner_id = $4, approver_role = $5, audience = $6,
            review_interval_months = $7, visibility = $8, visibility_rationale = $9, quorum = $10,
            updated_at = $11
         WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(input.title.as_str())
        .bind(input.kind.as_str())
        .bind(input.owner_id)
        .bind(input.approver_role.as_str())
        .bind(audience)
        .bind(i32::try_from(input.review_interval_months).unwrap_or(12))
        .bind(input.visibility.as_str())
        .bind(input.visibility_rationale.as_str())
        .bind(i32::try_from(input.quorum).unwrap_or(1))
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn create_policy(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: PolicyInput,
    draft: DraftInput,
) -> StoreResult<(Policy, PolicyVersion)> {
    let id = Uuid::now_v7();
    let mut tx = begin_write(pool).await?;
    check_policy_references(&mut tx, id, &input).await?;
    write_policy_row(&mut tx, id, &input, true).await?;
    let actor = account_actor(by);
    let mut events = vec![NewAuditEvent::for_record(
        &actor,
        "policy.created",
        "policy",
        id,
        &PolicyEventRecord::from_input(&input),
    )];
    let version = insert_version(&mut tx, by, id, None, &draft, &mut events).await?;
    append_events(&mut tx, events).await?;
    let policy = get_policy_in(&mut *tx, id).await?;
    tx.commit().await?;
    Ok((policy, version))
}

async fn update_policy(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    input: PolicyInput,
) -> StoreResult<Policy> {
    let mut tx = begin_write(pool).await?;
    let before = get_policy_in(&mut *tx, id).await?;
    if before.kind != input.kind {
        return Err(StoreError::Invalid(FieldErrors::single(
            "kind",
            "cannot change once the policy exists",
        )));
    }
    check_policy_references(&mut tx, id, &input).await?;
    write_policy_row(&mut tx, id, &input, false).await?;
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "policy.updated",
        "policy",
        id,
        &PolicyEventRecord::from_input(&input),
    );
    append_events(&mut tx, vec![event]).await?;
    let policy = get_policy_in(&mut *tx, id).await?;
    tx.commit().await?;
    Ok(policy)
}

/// What the audit event of a policy change digests.
#[derive(serde::Serialize)]
struct PolicyEventRecord<'a> {
    title: &'a str,
    kind: &'a str,
    owner_id: Uuid,
    approver_role: &'a str,
    audience: &'a Audience,
    review_interval_months: u32,
    visibility: &'a str,
    visibility_rationale: &'a str,
    quorum: u32,
}

impl<'a> PolicyEventRecord<'a> {
    fn from_input(input: &'a PolicyInput) -> Self {
        Self {
            title: &input.title,
            kind: input.kind.as_str(),
            owner_id: input.owner_id,
            approver_role: input.approver_role.as_str(),
            audience: &input.audience,
            review_interval_months: input.review_interval_months,
            visibility: input.visibility.as_str(),
            visibility_rationale: &input.visibility_rationale,
            quorum: input.quorum,
        }
    }
}

/// How an account appears in the audit chain (the same label requests use).
fn account_actor(account: &Account) -> Actor {
    Actor::named(format!("account:{}", account.id))
}
