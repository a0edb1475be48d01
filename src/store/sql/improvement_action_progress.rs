// Shared SQL for what becomes of improvement actions (included by `improvement_actions.rs`): their
// progress by the owner or an ISMS manager (who alone cancels one, with the reason), decisions
// that start them, and the counts a review pack and a performance report show.

/// The owner, or someone whose roles (read again now) let them manage leadership records; only
/// the latter cancel an action.
async fn check_action_updater(
    tx: &mut Tx,
    by: &Account,
    action: &ImprovementAction,
    progress: &ActionProgress,
) -> StoreResult<()> {
    let manages = roles_now(tx, by)
        .await?
        .effective_roles()
        .into_iter()
        .any(|role| {
            crate::domain::access::grants(role, crate::domain::access::Permission::ManageLeadership)
        });
    if manages {
        return Ok(());
    }
    if by.person_id != action.owner_id {
        return Err(StoreError::Forbidden(format!(
            "only the action's owner, {}, or an ISMS manager records its progress",
            action.owner_name
        )));
    }
    if progress.cancels() {
        return Err(StoreError::Forbidden(
            "only an ISMS manager or an administrator cancels an improvement action: ask one of \
             them, saying why it is no longer needed"
                .into(),
        ));
    }
    Ok(())
}

async fn update_improvement_action(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    progress: ActionProgress,
    today: Date,
) -> StoreResult<ImprovementAction> {
    let mut tx = begin_write(pool).await?;
    let before = get_improvement_action_in(&mut *tx, id, today).await?;
    check_action_updater(&mut tx, by, &before, &progress).await?;
    if !before.status.is_open() {
        return Err(StoreError::Conflict(format!(
            "this action is {}: a closed action does not change; raise a new one if more is needed",
            before.status.label()
        )));
    }
    let (status, evidence) = progress
        .apply(before.status, &before.evidence)
        .map_err(StoreError::Invalid)?;
    let completed_on = (!status.is_open()).then_some(today);
    let changed = sqlx::query(
        "UPDATE improvement_actions SET status = $2, evidence = $3, completed_on = $4,
            updated_at = $5
         WHERE id = $1 AND status IN ('open', 'in_progress')",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(evidence.as_str())
    .bind(completed_on)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(StoreError::Conflict(
            "this action was closed meanwhile".into(),
        ));
    }
    let after = get_improvement_action_in(&mut *tx, id, today).await?;
    let name = match status {
        ActionStatus::Done => "improvement_action.done",
        ActionStatus::Cancelled => "improvement_action.cancelled",
        ActionStatus::Open | ActionStatus::InProgress => "improvement_action.updated",
    };
    append_events(&mut tx, vec![improvement_action_event(by, name, &after)]).await?;
    tx.commit().await?;
    Ok(after)
}

async fn add_review_decision(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    review_id: Uuid,
    input: DecisionInput,
    today: Date,
) -> StoreResult<ReviewDecision> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    lock_review_draft(&mut tx, review_id).await?;
    check_action_owners(&mut tx, &input.actions).await?;
    let (id, at) = (Uuid::now_v7(), now());
    sqlx::query(
        "INSERT INTO review_decisions (id, review_id, kind, decision_text, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(review_id)
    .bind(input.kind.as_str())
    .bind(input.text.as_str())
    .bind(by.id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let source = ActionSource::ManagementReview;
    let mut actions = Vec::with_capacity(input.actions.len());
    for fields in &input.actions {
        let action_id =
            insert_improvement_action(&mut tx, by, fields, source, Some(review_id), Some(id), at)
                .await?;
        actions.push(get_improvement_action_in(&mut *tx, action_id, today).await?);
    }
    let decision = ReviewDecision {
        id,
        review_id,
        kind: input.kind,
        text: input.text,
        created_at: at,
        actions: actions.iter().map(ImprovementAction::line).collect(),
    };
    let mut events = vec![NewAuditEvent::for_record(
        &account_actor(by),
        "review_decision.recorded",
        "review_decision",
        id,
        &decision,
    )];
    events.extend(
        actions
            .iter()
            .map(|a| improvement_action_event(by, "improvement_action.created", a)),
    );
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(decision)
}

/// Refuses (422) actions whose owner is not a known person or has departed.
async fn check_action_owners(tx: &mut Tx, actions: &[NewActionFields]) -> StoreResult<()> {
    let mut errors = FieldErrors::new();
    for (i, action) in actions.iter().enumerate() {
        if let Some(problem) = action_owner_problem(tx, action.owner_id).await? {
            errors.add(&format!("actions[{i}].owner_id"), problem);
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

/// Why `person` cannot own an action (unknown, or departed), if they cannot.
async fn action_owner_problem(tx: &mut Tx, person: Uuid) -> StoreResult<Option<&'static str>> {
    let status: Option<String> = sqlx::query("SELECT status FROM people WHERE id = $1")
        .bind(person)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| row.try_get("status"))
        .transpose()?;
    Ok(match status.as_deref() {
        None => Some("is not a known person"),
        Some("departed") => Some("has departed: choose someone still here"),
        Some(_) => None,
    })
}

async fn improvement_action_counts(
    pool: &sqlx::Pool<Db>,
    today: Date,
    period_start: Date,
) -> StoreResult<ActionCounts> {
    let mut tx = begin_snapshot(pool).await?;
    let row = dynamic(format!(
        "SELECT COUNT(CASE WHEN {ACTION_OPEN} THEN 1 END) AS open,
            COUNT(CASE WHEN {ACTION_OPEN} AND a.due_on < $1 THEN 1 END) AS overdue,
            COUNT(CASE WHEN a.status = 'done' AND a.completed_on >= $2 THEN 1 END) AS done,
            COUNT(CASE WHEN {ACTION_OPEN} OR a.completed_on >= $2 THEN 1 END) AS tracked
         FROM improvement_actions a"
    ))
    .bind(today)
    .bind(period_start)
    .fetch_one(&mut *tx)
    .await?;
    let overdue_actions = dynamic(format!(
        "SELECT a.id, a.title, p.name AS owner_name, a.due_on, a.status
         FROM improvement_actions a JOIN people p ON p.id = a.owner_id
         WHERE {ACTION_OPEN} AND a.due_on < $1 ORDER BY a.due_on, a.id LIMIT $2"
    ))
    .bind(today)
    .bind(OVERDUE_NAMED)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(action_line_from_row)
    .collect::<Result<_, _>>()?;
    tx.commit().await?;
    Ok(ActionCounts {
        open: row.try_get("open")?,
        overdue: row.try_get("overdue")?,
        done_in_period: row.try_get("done")?,
        tracked: row.try_get("tracked")?,
        overdue_actions,
    })
}

/// Actions raised by the reviews held before this one (by date, then by creation): all those
/// still open, and those closed within the 12 months before this review.
const PREVIOUS_ACTIONS: &str = "(m.held_on < $2 OR (m.held_on = $2 AND m.id < $1))
    AND (a.status IN ('open', 'in_progress') OR a.completed_on >= $3)";
const PREVIOUS_FROM: &str = "improvement_actions a JOIN management_reviews m ON m.id = a.review_id";

async fn previous_review_actions(
    pool: &sqlx::Pool<Db>,
    review_id: Uuid,
    today: Date,
) -> StoreResult<PreviousActions> {
    let mut tx = begin_snapshot(pool).await?;
    let held_on: Date = sqlx::query("SELECT held_on FROM management_reviews WHERE id = $1")
        .bind(review_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("management review"))?
        .try_get("held_on")?;
    let since = crate::domain::isms_status::period_start(held_on);
    let mut previous = previous_action_counts(&mut tx, review_id, held_on, since, today).await?;
    let rows = dynamic(format!(
        "SELECT a.id, a.title, p.name AS owner_name, a.due_on, a.status, a.completed_on,
            m.id AS review_id, m.title AS review_title
         FROM {PREVIOUS_FROM} JOIN people p ON p.id = a.owner_id
         WHERE {PREVIOUS_ACTIONS} ORDER BY {order} LIMIT $4",
        order = action_order(today),
    ))
    .bind(review_id)
    .bind(held_on)
    .bind(since)
    .bind(OVERDUE_NAMED)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    previous.items = rows
        .iter()
        .map(|row| previous_action_from_row(row, today))
        .collect::<Result<_, _>>()?;
    Ok(previous)
}

/// The counts of the earlier reviews' actions (the items are left empty).
async fn previous_action_counts(
    tx: &mut Tx,
    review_id: Uuid,
    held_on: Date,
    since: Date,
    today: Date,
) -> StoreResult<PreviousActions> {
    let counts = dynamic(format!(
        "SELECT COUNT(*) AS total, COUNT(CASE WHEN {ACTION_OPEN} THEN 1 END) AS open,
            COUNT(CASE WHEN {ACTION_OPEN} AND a.due_on < $4 THEN 1 END) AS overdue,
            COUNT(CASE WHEN a.status = 'done' THEN 1 END) AS done,
            COUNT(CASE WHEN a.status = 'cancelled' THEN 1 END) AS cancelled
         FROM {PREVIOUS_FROM} WHERE {PREVIOUS_ACTIONS}"
    ))
    .bind(review_id)
    .bind(held_on)
    .bind(since)
    .bind(today)
    .fetch_one(&mut **tx)
    .await?;
    Ok(PreviousActions {
        total: counts.try_get("total")?,
        open: counts.try_get("open")?,
        overdue: counts.try_get("overdue")?,
        done: counts.try_get("done")?,
        cancelled: counts.try_get("cancelled")?,
        items: Vec::new(),
    })
}

fn previous_action_from_row(row: &DbRow, today: Date) -> Result<PreviousAction, sqlx::Error> {
    let status: ActionStatus = parse_column(row, "status")?;
    let due_on: Date = row.try_get("due_on")?;
    Ok(PreviousAction {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        owner_name: row.try_get("owner_name")?,
        due_on,
        status,
        overdue: crate::domain::improvement_action::is_overdue(status, due_on, today),
        completed_on: row.try_get("completed_on")?,
        review_id: row.try_get("review_id")?,
        review_title: row.try_get("review_title")?,
    })
}
