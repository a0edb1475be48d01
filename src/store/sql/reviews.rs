// Shared SQL for management reviews (5.1.g): drafts prepared by the ISMS team, decisions with the
// improvement actions they start, and the chair's sign-off that freezes the inputs and locks the
// record. Every change first takes the draft's row (`lock_review_draft`), so a change and a
// sign-off never pass each other on PostgreSQL either.

#[allow(unused_imports)]
use crate::domain::improvement_action::{
    ActionFilter, ActionProgress, ActionSource, ActionStatus, ImprovementAction,
    ImprovementActionInput, NewActionFields,
};
#[allow(unused_imports)]
use crate::domain::review::{
    Attendee, DecisionInput, DecisionKind, ManagementReview, PreviousAction, PreviousActions,
    ReviewDecision, ReviewFilter, ReviewInput, ReviewInputs, ReviewPatch, ReviewStatus,
    ReviewSummary,
};
#[allow(unused_imports)]
use crate::store::reviews::{FrozenPack, TopManager};

const REVIEW_SELECT: &str = "SELECT m.id, m.title, m.held_on, m.chair_id, cp.name AS chair_name,
        m.minutes, m.status, m.prepared_by, pp.name AS prepared_by_name, m.signed_by,
        sp.name AS signed_by_name, m.signed_at, m.pack_sha256, m.created_at, m.updated_at
    FROM management_reviews m
    JOIN people cp ON cp.id = m.chair_id
    JOIN accounts pa ON pa.id = m.prepared_by JOIN people pp ON pp.id = pa.person_id
    LEFT JOIN accounts sa ON sa.id = m.signed_by LEFT JOIN people sp ON sp.id = sa.person_id";

/// Whether the person in column `person` held a role of the `top_management` category on `day`
/// (a column or a placeholder).
fn top_management_held(person: &str, day: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM role_assignments ra JOIN org_roles o ON o.id = ra.role_id
            WHERE ra.person_id = {person} AND o.category = 'top_management'
              AND ra.starts_on <= {day} AND (ra.ends_on IS NULL OR ra.ends_on >= {day}))"
    )
}

/// The review with its attendees and decisions, read in the caller's transaction.
async fn read_management_review(tx: &mut Tx, id: Uuid) -> StoreResult<ManagementReview> {
    let row = dynamic(format!("{REVIEW_SELECT} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("management review"))?;
    let attendees = review_attendees(tx, id).await?;
    let decisions = review_decisions(tx, id).await?;
    Ok(ManagementReview {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        held_on: row.try_get("held_on")?,
        chair_id: row.try_get("chair_id")?,
        chair_name: row.try_get("chair_name")?,
        top_management_present: attendees.iter().any(|a| a.top_management),
        attendees,
        minutes: row.try_get("minutes")?,
        status: parse_column(&row, "status")?,
        prepared_by: row.try_get("prepared_by")?,
        prepared_by_name: row.try_get("prepared_by_name")?,
        decisions,
        signed_by: row.try_get("signed_by")?,
        signed_by_name: row.try_get("signed_by_name")?,
        signed_at: row.try_get("signed_at")?,
        pack_sha256: row.try_get("pack_sha256")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

async fn review_attendees(tx: &mut Tx, id: Uuid) -> StoreResult<Vec<Attendee>> {
    let sql = format!(
        "SELECT a.person_id, p.name, p.email, CASE WHEN {held} THEN 1 ELSE 0 END AS top_management
         FROM review_attendees a JOIN people p ON p.id = a.person_id
         JOIN management_reviews m ON m.id = a.review_id
         WHERE a.review_id = $1 ORDER BY p.name, p.id",
        held = top_management_held("a.person_id", "m.held_on"),
    );
    let rows = dynamic(sql).bind(id).fetch_all(&mut **tx).await?;
    let mut attendees = Vec::with_capacity(rows.len());
    for row in rows {
        attendees.push(Attendee {
            person_id: row.try_get("person_id")?,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            top_management: row.try_get::<i32, _>("top_management")? != 0,
        });
    }
    Ok(attendees)
}

async fn review_decisions(tx: &mut Tx, id: Uuid) -> StoreResult<Vec<ReviewDecision>> {
    let rows = sqlx::query(
        "SELECT id, review_id, kind, decision_text, created_at FROM review_decisions
         WHERE review_id = $1 ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let actions = sqlx::query(
        "SELECT a.id, a.decision_id, a.title, p.name AS owner_name, a.due_on, a.status
         FROM improvement_actions a JOIN people p ON p.id = a.owner_id
         WHERE a.review_id = $1 ORDER BY a.due_on, a.id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let mut by_decision: HashMap<Uuid, Vec<ActionLine>> = HashMap::new();
    for row in &actions {
        by_decision
            .entry(row.try_get("decision_id")?)
            .or_default()
            .push(action_line_from_row(row)?);
    }
    let mut decisions = Vec::with_capacity(rows.len());
    for row in rows {
        let id: Uuid = row.try_get("id")?;
        decisions.push(ReviewDecision {
            id,
            review_id: row.try_get("review_id")?,
            kind: parse_column(&row, "kind")?,
            text: row.try_get("decision_text")?,
            created_at: row.try_get("created_at")?,
            actions: by_decision.remove(&id).unwrap_or_default(),
        });
    }
    Ok(decisions)
}

async fn get_management_review(pool: &sqlx::Pool<Db>, id: Uuid) -> StoreResult<ManagementReview> {
    let mut tx = begin_snapshot(pool).await?;
    let review = read_management_review(&mut tx, id).await?;
    tx.commit().await?;
    Ok(review)
}

fn review_summary_from_row(row: &DbRow) -> Result<ReviewSummary, sqlx::Error> {
    Ok(ReviewSummary {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        held_on: row.try_get("held_on")?,
        chair_id: row.try_get("chair_id")?,
        chair_name: row.try_get("chair_name")?,
        status: parse_column(row, "status")?,
        decisions: row.try_get("decisions")?,
        actions: row.try_get("actions")?,
        signed_at: row.try_get("signed_at")?,
    })
}

async fn list_management_reviews(
    pool: &sqlx::Pool<Db>,
    filter: &ReviewFilter,
    page: PageRequest,
) -> StoreResult<Page<ReviewSummary>> {
    let mut conditions = Conditions::default();
    if let Some(status) = filter.status {
        conditions.add("m.status = {}", Arg::Text(status.as_str().to_owned()));
    }
    if let Some(chair) = filter.chair_id {
        conditions.add("m.chair_id = {}", Arg::Uuid(chair));
    }
    fetch_page(
        pool,
        "management_reviews m JOIN people cp ON cp.id = m.chair_id",
        "m.id, m.title, m.held_on, m.chair_id, cp.name AS chair_name, m.status, m.signed_at,
            (SELECT COUNT(*) FROM review_decisions d WHERE d.review_id = m.id) AS decisions,
            (SELECT COUNT(*) FROM improvement_actions a WHERE a.review_id = m.id) AS actions",
        "m.held_on DESC, m.id DESC",
        &conditions,
        page,
        review_summary_from_row,
    )
    .await
}

fn review_event(by: &Account, action: &str, review: &ManagementReview) -> NewAuditEvent {
    NewAuditEvent::for_record(
        &account_actor(by),
        action,
        "management_review",
        review.id,
        review,
    )
}

async fn create_management_review(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: ReviewInput,
) -> StoreResult<ManagementReview> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    check_review_people(&mut tx, &input).await?;
    let (id, at) = (Uuid::now_v7(), now());
    sqlx::query(
        "INSERT INTO management_reviews (id, title, held_on, chair_id, minutes, status,
            prepared_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $7)",
    )
    .bind(id)
    .bind(input.title.as_str())
    .bind(input.held_on)
    .bind(input.chair_id)
    .bind(input.minutes.as_str())
    .bind(by.id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    write_review_attendees(&mut tx, id, &input.attendee_ids).await?;
    let review = read_management_review(&mut tx, id).await?;
    append_events(
        &mut tx,
        vec![review_event(by, "management_review.created", &review)],
    )
    .await?;
    tx.commit().await?;
    Ok(review)
}

/// Takes the row of a draft for this transaction: 404 when there is no such review, 409 once it
/// is signed (a signed record never changes).
async fn lock_review_draft(tx: &mut Tx, id: Uuid) -> StoreResult<()> {
    let changed = sqlx::query(
        "UPDATE management_reviews SET updated_at = $2 WHERE id = $1 AND status = 'draft'",
    )
    .bind(id)
    .bind(now())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 1 {
        return Ok(());
    }
    if exists(tx, "management_reviews", id).await? {
        Err(StoreError::Conflict(
            "this management review is signed: its record is locked and can no longer change"
                .into(),
        ))
    } else {
        Err(StoreError::NotFound("management review"))
    }
}

async fn update_management_review(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    patch: ReviewPatch,
) -> StoreResult<ManagementReview> {
    let mut tx = begin_write(pool).await?;
    lock_review_draft(&mut tx, id).await?;
    let before = read_management_review(&mut tx, id).await?;
    let current = ReviewInput {
        title: before.title.clone(),
        held_on: before.held_on,
        chair_id: before.chair_id,
        attendee_ids: before.attendees.iter().map(|a| a.person_id).collect(),
        minutes: before.minutes.clone(),
    };
    let attendees_change = patch.attendee_ids.is_some();
    let input = current.patched(patch).map_err(StoreError::Invalid)?;
    check_review_people(&mut tx, &input).await?;
    sqlx::query(
        "UPDATE management_reviews SET title = $2, held_on = $3, chair_id = $4, minutes = $5
         WHERE id = $1",
    )
    .bind(id)
    .bind(input.title.as_str())
    .bind(input.held_on)
    .bind(input.chair_id)
    .bind(input.minutes.as_str())
    .execute(&mut *tx)
    .await?;
    if attendees_change {
        write_review_attendees(&mut tx, id, &input.attendee_ids).await?;
    }
    let review = read_management_review(&mut tx, id).await?;
    append_events(
        &mut tx,
        vec![review_event(by, "management_review.updated", &review)],
    )
    .await?;
    tx.commit().await?;
    Ok(review)
}

include!("review_people.rs");
include!("review_signoff.rs");
