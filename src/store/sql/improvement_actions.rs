// Shared SQL for improvement actions: created by those who manage leadership records (on their
// own or for a decision of a draft review), progressed by their owner or an ISMS manager, counted
// for the review pack and the performance report. Overdue is read from the due date.

const ACTION_COLUMNS: &str = "a.id, a.title, a.description, a.source, a.review_id,
    m.title AS review_title, a.decision_id, a.owner_id, p.name AS owner_name, a.due_on, a.status,
    a.evidence, a.completed_on, a.created_by, a.created_at, a.updated_at";
const ACTION_FROM: &str = "improvement_actions a JOIN people p ON p.id = a.owner_id
    LEFT JOIN management_reviews m ON m.id = a.review_id";
/// Still to be done.
const ACTION_OPEN: &str = "a.status IN ('open', 'in_progress')";
/// How many overdue actions a pack or a report names.
const OVERDUE_NAMED: i64 = 100;

fn improvement_action_from_row(row: &DbRow, today: Date) -> Result<ImprovementAction, sqlx::Error> {
    let status: ActionStatus = parse_column(row, "status")?;
    let due_on: Date = row.try_get("due_on")?;
    Ok(ImprovementAction {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        source: parse_column(row, "source")?,
        review_id: row.try_get("review_id")?,
        review_title: row.try_get("review_title")?,
        decision_id: row.try_get("decision_id")?,
        owner_id: row.try_get("owner_id")?,
        owner_name: row.try_get("owner_name")?,
        due_on,
        status,
        evidence: row.try_get("evidence")?,
        completed_on: row.try_get("completed_on")?,
        overdue: crate::domain::improvement_action::is_overdue(status, due_on, today),
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// `id`, `title`, `owner_name`, `due_on`, `status` as a pack or a report lists them.
fn action_line_from_row(row: &DbRow) -> Result<ActionLine, sqlx::Error> {
    Ok(ActionLine {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        owner_name: row.try_get("owner_name")?,
        due_on: row.try_get("due_on")?,
        status: row.try_get("status")?,
    })
}

async fn get_improvement_action_in<'e, E>(
    executor: E,
    id: Uuid,
    today: Date,
) -> StoreResult<ImprovementAction>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|r| improvement_action_from_row(&r, today))
        .transpose()?
        .ok_or(StoreError::NotFound("improvement action"))
}

/// Overdue first, then open, then done, then cancelled (`today` is made from a `Date`).
fn action_order(today: Date) -> String {
    let d = date_literal(today);
    format!(
        "CASE WHEN {ACTION_OPEN} AND a.due_on < {d} THEN 0 WHEN {ACTION_OPEN} THEN 1
            WHEN a.status = 'done' THEN 2 ELSE 3 END, a.due_on, a.id"
    )
}

async fn list_improvement_actions(
    pool: &sqlx::Pool<Db>,
    filter: &ActionFilter,
    today: Date,
    page: PageRequest,
) -> StoreResult<Page<ImprovementAction>> {
    let mut conditions = Conditions::default();
    if let Some(status) = filter.status {
        conditions.add("a.status = {}", Arg::Text(status.as_str().to_owned()));
    }
    if let Some(owner) = filter.owner_id {
        conditions.add("a.owner_id = {}", Arg::Uuid(owner));
    }
    if let Some(source) = filter.source {
        conditions.add("a.source = {}", Arg::Text(source.as_str().to_owned()));
    }
    if let Some(review) = filter.review_id {
        conditions.add("a.review_id = {}", Arg::Uuid(review));
    }
    if filter.open {
        conditions.add_fixed(ACTION_OPEN);
    }
    if filter.overdue {
        conditions.add(
            &format!("{ACTION_OPEN} AND a.due_on < {{}}"),
            Arg::Date(today),
        );
    }
    if filter.upcoming {
        conditions.add(
            &format!("{ACTION_OPEN} AND a.due_on >= {{}}"),
            Arg::Date(today),
        );
    }
    let where_sql = conditions.where_sql();
    let counting = dynamic(format!(
        "SELECT COUNT(*) FROM improvement_actions a{where_sql}"
    ));
    let total = count(bind_args(counting, &conditions.args), pool).await?;
    let n = conditions.next_placeholder();
    let sql = format!(
        "SELECT {ACTION_COLUMNS} FROM {ACTION_FROM}{where_sql} ORDER BY {order}
         LIMIT ${n} OFFSET ${}",
        n + 1,
        order = action_order(today),
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(pool)
        .await?;
    let items = rows
        .iter()
        .map(|row| improvement_action_from_row(row, today))
        .collect::<Result<_, _>>()?;
    Ok(Page::new(items, page, total))
}

/// Writes one action (the caller checked its fields and references).
async fn insert_improvement_action(
    tx: &mut Tx,
    by: &Account,
    fields: &NewActionFields,
    source: ActionSource,
    review_id: Option<Uuid>,
    decision_id: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO improvement_actions (id, title, description, source, review_id, decision_id,
            owner_id, due_on, status, evidence, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', '', $9, $10, $10)",
    )
    .bind(id)
    .bind(fields.title.as_str())
    .bind(fields.description.as_str())
    .bind(source.as_str())
    .bind(review_id)
    .bind(decision_id)
    .bind(fields.owner_id)
    .bind(fields.due_on)
    .bind(by.id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

fn improvement_action_event(
    by: &Account,
    action: &str,
    record: &ImprovementAction,
) -> NewAuditEvent {
    NewAuditEvent::for_record(
        &account_actor(by),
        action,
        "improvement_action",
        record.id,
        record,
    )
}

async fn create_improvement_action(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: ImprovementActionInput,
    today: Date,
) -> StoreResult<ImprovementAction> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let mut errors = FieldErrors::new();
    if let Some(problem) = action_owner_problem(&mut tx, input.fields.owner_id).await? {
        errors.add("owner_id", problem);
    }
    let mut review_id = None;
    if let Some(decision) = input.decision_id {
        review_id = sqlx::query("SELECT review_id FROM review_decisions WHERE id = $1")
            .bind(decision)
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| row.try_get::<Uuid, _>("review_id"))
            .transpose()?;
        if review_id.is_none() {
            errors.add("decision_id", "is not a decision of a management review");
        }
    }
    errors.into_result().map_err(StoreError::Invalid)?;
    if let Some(review) = review_id {
        lock_review_draft(&mut tx, review).await?;
    }
    let id = insert_improvement_action(
        &mut tx,
        by,
        &input.fields,
        input.source,
        review_id,
        input.decision_id,
        now(),
    )
    .await?;
    let action = get_improvement_action_in(&mut *tx, id, today).await?;
    let event = improvement_action_event(by, "improvement_action.created", &action);
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(action)
}

include!("improvement_action_progress.rs");
