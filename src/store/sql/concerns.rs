// Shared SQL for concerns: the reporter's side (report, follow-up, reply; nothing about the
// caller is ever written). The settings, the handlers' side and the counts reports may show are
// in the files included at the end.

#[allow(unused_imports)]
use crate::domain::concern::{
    ANONYMOUS_REPORTER, Concern, ConcernCategory, ConcernFilter, ConcernInput, ConcernMessage,
    ConcernReceipt, ConcernSettings, ConcernSettingsInput, ConcernStatus, ConcernSummary, FollowUp,
    FollowUpCode, FollowUpMessage, MAX_REPLIES_PER_DAY, MessageAuthor, Sent, check_message,
    code_hash,
};
#[allow(unused_imports)]
use crate::store::concerns::ConcernError;

/// A new id for a concern or a message: random (version 4), so that it says nothing of when
/// it was made (a time-ordered id would carry the millisecond into the audit trail).
fn random_concern_id() -> Uuid {
    use rand::Rng as _;
    let mut bytes = [0_u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Concern times are kept, and compared, to the whole second: SQLite compares them as RFC 3339
/// text, which orders correctly only when no fraction of a second is written, and a coarser
/// time says less about when someone wrote.
fn concern_second(at: OffsetDateTime) -> OffsetDateTime {
    let at = at.to_offset(time::UtcOffset::UTC);
    at.replace_nanosecond(0).unwrap_or(at)
}

/// What an audit event about a concern digests: its state and the text of the step, salted with
/// the hash of its follow-up code (kept only in the database), so the digest cannot be matched
/// against guessed texts by someone who reads the audit trail.
#[derive(serde::Serialize)]
struct AuditedConcern<'a> {
    id: Uuid,
    status: &'a str,
    salt: &'a str,
    text: &'a str,
}

fn concern_event(
    actor: &Actor,
    action: &str,
    id: Uuid,
    status: ConcernStatus,
    salt: &str,
    text: &str,
) -> NewAuditEvent {
    let record = AuditedConcern {
        id,
        status: status.as_str(),
        salt,
        text,
    };
    NewAuditEvent::for_record(actor, action, "concern", id, &record)
}

/// Refuses (429) when the new reports (`Sent::Report`) or the replies (`Sent::Reply`) of the
/// minute before `at` reach their own limit: each has its budget, so a flood of replies never
/// stops new reports, nor the reverse. It counts everyone together: the store knows nothing
/// about who sends them (the per-source limits are held in memory by the handlers).
async fn check_concern_rate(
    tx: &mut Tx,
    settings: &ConcernSettings,
    sent: Sent,
    at: OffsetDateTime,
) -> Result<(), ConcernError> {
    let (sql, limit, what) = match sent {
        Sent::Report => (
            "SELECT COUNT(*) FROM concerns WHERE received_at > $1 AND received_at <= $2",
            settings.reports_per_minute,
            "reports",
        ),
        Sent::Reply => (
            "SELECT COUNT(*) FROM concern_messages
             WHERE author = 'reporter' AND sent_at > $1 AND sent_at <= $2",
            settings.replies_per_minute,
            "replies",
        ),
    };
    let recent: i64 = sqlx::query(sql)
        .bind(at - time::Duration::minutes(1))
        .bind(at)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    if recent >= limit {
        return Err(ConcernError::Throttled(format!(
            "Many {what} are arriving right now, so the channel takes no more for a minute. \
             Nothing was saved: please send it again in a minute."
        )));
    }
    Ok(())
}

async fn report_concern(
    pool: &sqlx::Pool<Db>,
    input: ConcernInput,
    at: OffsetDateTime,
) -> Result<ConcernReceipt, ConcernError> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let settings = lock_concern_settings(&mut tx).await?;
    if !settings.channel_enabled {
        return Err(ConcernError::ChannelClosed);
    }
    check_concern_rate(&mut tx, &settings, Sent::Report, at).await?;
    let code = FollowUpCode::generate();
    let hash = code.hash();
    let id = random_concern_id();
    let receipt = ConcernReceipt {
        code: code.as_str().to_owned(),
        received_at: at,
        receipt_due_at: at + time::Duration::days(settings.receipt_days),
        response_due_at: at + time::Duration::days(settings.response_days),
    };
    sqlx::query(
        "INSERT INTO concerns (id, code_hash, category, description, contact, status,
            received_at, receipt_due_at, response_due_at)
         VALUES ($1, $2, $3, $4, $5, 'received', $6, $7, $8)",
    )
    .bind(id)
    .bind(hash.as_str())
    .bind(input.category.as_str())
    .bind(input.description.as_str())
    .bind(input.contact.as_deref())
    .bind(at)
    .bind(receipt.receipt_due_at)
    .bind(receipt.response_due_at)
    .execute(&mut *tx)
    .await?;
    let text = format!(
        "{}\n{}",
        input.description,
        input.contact.unwrap_or_default()
    );
    let actor = Actor::named(ANONYMOUS_REPORTER);
    let event = concern_event(
        &actor,
        "concern.reported",
        id,
        ConcernStatus::Received,
        &hash,
        &text,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(receipt)
}

/// The concern a code opens, with its salt; `NotFound("report")` for any code that opens none.
async fn concern_by_code(tx: &mut Tx, code: &str) -> StoreResult<(ConcernSummary, String)> {
    let row = dynamic(format!("{CONCERN_SUMMARY_SELECT} WHERE c.code_hash = $1"))
        .bind(code_hash(code))
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("report"))?;
    Ok((concern_summary_from_row(&row)?, row.try_get("code_hash")?))
}

async fn follow_up_concern(
    pool: &sqlx::Pool<Db>,
    code: &str,
    at: OffsetDateTime,
) -> StoreResult<FollowUp> {
    let mut tx = begin_snapshot(pool).await?;
    let (summary, _) = concern_by_code(&mut tx, code).await?;
    concern_follow_up_in(&mut tx, summary.id, at).await
}

async fn concern_follow_up_in(tx: &mut Tx, id: Uuid, at: OffsetDateTime) -> StoreResult<FollowUp> {
    let concern = get_concern_in(tx, id, at).await?;
    let since = at - time::Duration::days(1);
    let sent_last_day = concern
        .conversation
        .iter()
        .filter(|m| m.author == MessageAuthor::Reporter && m.sent_at > since && m.sent_at <= at)
        .count();
    Ok(FollowUp {
        category: concern.summary.category,
        status: concern.summary.status,
        description: concern.description,
        contact: concern.contact,
        received_at: concern.summary.received_at,
        acknowledged_at: concern.summary.acknowledged_at,
        conversation: concern
            .conversation
            .into_iter()
            .map(|m| FollowUpMessage {
                author: m.author,
                body: m.body,
                sent_at: m.sent_at,
            })
            .collect(),
        replies_left_today: FollowUp::replies_left(
            i64::try_from(sent_last_day).unwrap_or(i64::MAX),
        ),
    })
}

async fn reply_to_concern(
    pool: &sqlx::Pool<Db>,
    code: &str,
    message: &str,
    at: OffsetDateTime,
) -> Result<FollowUp, ConcernError> {
    let body = check_message("message", message).map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    // The limit across everyone comes before the code is looked up, so a busy channel answers
    // a wrong code and a right one alike.
    let settings = lock_concern_settings(&mut tx).await?;
    check_concern_rate(&mut tx, &settings, Sent::Reply, at).await?;
    let (found, _) = concern_by_code(&mut tx, code).await?;
    // Its row held, its status is the latest and stays so: a close cannot slip in between.
    let (summary, salt) = lock_concern(&mut tx, found.id).await?;
    if summary.status == ConcernStatus::Closed {
        return Err(StoreError::Conflict(
            "this report is closed, so it takes no more replies; if there is more to say, make a new report"
                .into(),
        )
        .into());
    }
    let replies: i64 = sqlx::query(
        "SELECT COUNT(*) FROM concern_messages
         WHERE concern_id = $1 AND author = 'reporter' AND sent_at > $2 AND sent_at <= $3",
    )
    .bind(summary.id)
    .bind(at - time::Duration::days(1))
    .bind(at)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    if replies >= MAX_REPLIES_PER_DAY {
        return Err(ConcernError::Throttled(format!(
            "You have sent {MAX_REPLIES_PER_DAY} replies on this report within 24 hours, the most \
             it takes. Nothing was saved: please send it tomorrow."
        )));
    }
    insert_concern_message(&mut tx, summary.id, None, &body, at).await?;
    let actor = Actor::named(ANONYMOUS_REPORTER);
    let event = concern_event(
        &actor,
        "concern.replied",
        summary.id,
        summary.status,
        &salt,
        &body,
    );
    append_events(&mut tx, vec![event]).await?;
    let follow_up = concern_follow_up_in(&mut tx, summary.id, at).await?;
    tx.commit().await?;
    Ok(follow_up)
}

async fn insert_concern_message(
    tx: &mut Tx,
    concern_id: Uuid,
    handler: Option<Uuid>,
    body: &str,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let author = if handler.is_some() {
        MessageAuthor::Handler
    } else {
        MessageAuthor::Reporter
    };
    // The concern's row is held (`lock_concern`), so the next place is this message's alone.
    sqlx::query(
        "INSERT INTO concern_messages (id, concern_id, author, handler_id, body, sent_at, seq)
         VALUES ($1, $2, $3, $4, $5, $6,
            (SELECT COALESCE(MAX(seq), 0) + 1 FROM concern_messages WHERE concern_id = $2))",
    )
    .bind(random_concern_id())
    .bind(concern_id)
    .bind(author.as_str())
    .bind(handler)
    .bind(body)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

include!("concern_settings.rs");
include!("concern_handling.rs");
include!("concern_counts.rs");
