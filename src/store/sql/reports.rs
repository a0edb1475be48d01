// Shared SQL for performance reports: who holds the reporter role, generating (the snapshot frozen
// as text with its SHA-256, top management notified), signing off, and reading them back.

use crate::domain::report as perf_report;

const PERFORMANCE_REPORT_SELECT: &str = "SELECT r.id, r.status, r.period_start, r.period_end,
        r.generated_at, r.generated_by, r.generated_by_person, gp.name AS generated_by_name,
        r.reporter_role, r.summary, r.content_hash, r.signed_off_by,
        sp.name AS signed_off_by_name, r.signed_off_at, r.sign_off_comments";

const PERFORMANCE_REPORT_FROM: &str = "FROM performance_reports r
    JOIN people gp ON gp.id = r.generated_by_person
    LEFT JOIN accounts sa ON sa.id = r.signed_off_by
    LEFT JOIN people sp ON sp.id = sa.person_id";

fn performance_report_from_row(row: &DbRow) -> Result<perf_report::PerformanceReport, sqlx::Error> {
    Ok(perf_report::PerformanceReport {
        id: row.try_get("id")?,
        status: parse_column(row, "status")?,
        period_start: row.try_get("period_start")?,
        period_end: row.try_get("period_end")?,
        generated_at: row.try_get("generated_at")?,
        generated_by: row.try_get("generated_by")?,
        generated_by_person: row.try_get("generated_by_person")?,
        generated_by_name: row.try_get("generated_by_name")?,
        reporter_role: row.try_get("reporter_role")?,
        summary: row.try_get("summary")?,
        content_hash: row.try_get("content_hash")?,
        signed_off_by: row.try_get("signed_off_by")?,
        signed_off_by_name: row.try_get("signed_off_by_name")?,
        signed_off_at: row.try_get("signed_off_at")?,
        sign_off_comments: row.try_get("sign_off_comments")?,
    })
}

/// The report with its snapshot parsed, and whether the stored text still has its hash.
async fn get_performance_report_in<'e, E>(
    executor: E,
    id: Uuid,
) -> StoreResult<perf_report::PerformanceReportDetail>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "{PERFORMANCE_REPORT_SELECT}, r.snapshot {PERFORMANCE_REPORT_FROM} WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?
    .ok_or(StoreError::NotFound("performance report"))?;
    let report = performance_report_from_row(&row)?;
    let text: String = row.try_get("snapshot")?;
    let snapshot = serde_json::from_str(&text).map_err(|e| sqlx::Error::ColumnDecode {
        index: "snapshot".to_owned(),
        source: Box::new(e),
    })?;
    Ok(perf_report::PerformanceReportDetail {
        intact: perf_report::snapshot_hash(&text) == report.content_hash,
        report,
        snapshot,
    })
}

/// Reports newest first, at most `limit`: every one, or with `awaiting_for` only those submitted
/// and not yet signed off that this person did not generate (nobody signs their own).
async fn list_performance_reports(
    pool: &sqlx::Pool<Db>,
    awaiting_for: Option<Uuid>,
    limit: Option<i64>,
) -> StoreResult<Vec<perf_report::PerformanceReport>> {
    let awaiting = if awaiting_for.is_some() {
        "WHERE r.status = 'submitted' AND r.generated_by_person <> $2"
    } else {
        ""
    };
    let sql = format!(
        "{PERFORMANCE_REPORT_SELECT} {PERFORMANCE_REPORT_FROM} {awaiting}
         ORDER BY r.generated_at DESC, r.id DESC LIMIT $1"
    );
    let mut query = dynamic(sql).bind(limit.unwrap_or(i64::MAX));
    if let Some(person) = awaiting_for {
        query = query.bind(person);
    }
    let rows = query.fetch_all(pool).await?;
    Ok(rows
        .iter()
        .map(performance_report_from_row)
        .collect::<Result<_, _>>()?)
}

/// The role flagged `performance_reporter` and the people (not departed) holding it on `day`,
/// deputies included.
async fn performance_reporter_in(
    tx: &mut Tx,
    day: Date,
) -> StoreResult<Option<perf_report::ReporterRole>> {
    let Some(role) = sqlx::query("SELECT id, name FROM org_roles WHERE performance_reporter = $1")
        .bind(true)
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(None);
    };
    let role_id: Uuid = role.try_get("id")?;
    let holders = sqlx::query(
        "SELECT DISTINCT p.id, p.name FROM role_assignments a JOIN people p ON p.id = a.person_id
         WHERE a.role_id = $1 AND a.starts_on <= $2 AND (a.ends_on IS NULL OR a.ends_on >= $2)
            AND p.status <> 'departed'
         ORDER BY p.name, p.id",
    )
    .bind(role_id)
    .bind(day)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| {
        Ok(perf_report::ReporterHolder {
            person_id: row.try_get("id")?,
            name: row.try_get("name")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(perf_report::ReporterRole {
        role_id,
        role_name: role.try_get("name")?,
        holders,
    }))
}

async fn performance_reporter(
    pool: &sqlx::Pool<Db>,
    day: Date,
) -> StoreResult<Option<perf_report::ReporterRole>> {
    let mut tx = begin_snapshot(pool).await?;
    let reporter = performance_reporter_in(&mut tx, day).await?;
    tx.commit().await?;
    Ok(reporter)
}

/// The reporter role's name when `by` holds it on `day`; otherwise 403 naming it and its holders.
async fn check_performance_reporter(tx: &mut Tx, by: &Account, day: Date) -> StoreResult<String> {
    let Some(role) = performance_reporter_in(tx, day).await? else {
        return Err(StoreError::Forbidden(
            "no role of the catalog is flagged to report the performance of the ISMS (5.3.b); \
             an ISMS manager flags one in the role catalog first"
                .into(),
        ));
    };
    if !role.is_held_by(by.person_id) {
        return Err(StoreError::Forbidden(format!(
            "only the holder of the role \"{}\" generates the performance report; today that is {}",
            role.role_name,
            role.holder_names()
        )));
    }
    Ok(role.role_name)
}

async fn generate_performance_report(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: perf_report::ReportInput,
    status: &crate::domain::isms_status::IsmsStatus,
) -> StoreResult<perf_report::PerformanceReportDetail> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let text = serde_json::to_string(status).map_err(|e| StoreError::Config(e.to_string()))?;
    let today = status.as_of.date();
    let mut tx = begin_write(pool).await?;
    let role_name = check_performance_reporter(&mut tx, by, today).await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO performance_reports (id, period_start, period_end, generated_at, generated_by,
            generated_by_person, reporter_role, summary, snapshot, content_hash, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'submitted')",
    )
    .bind(id)
    .bind(status.period_start)
    .bind(today)
    .bind(status.as_of)
    .bind(by.id)
    .bind(by.person_id)
    .bind(role_name.as_str())
    .bind(input.summary.as_str())
    .bind(text.as_str())
    .bind(perf_report::snapshot_hash(&text))
    .execute(&mut *tx)
    .await?;
    let detail = get_performance_report_in(&mut *tx, id).await?;
    let recipients = top_management_recipients(&mut tx, today, by.person_id).await?;
    let figures = perf_report::ReportFigures::of(&detail.snapshot);
    let mails: Vec<NewMail> = recipients
        .iter()
        .map(|(person, name, email)| {
            perf_report::submitted_notice(&detail.report, &figures, *person, name, email)
        })
        .collect();
    let written = insert_mails(&mut tx, &mails).await?;
    let actor = account_actor(by);
    let mut events = vec![NewAuditEvent::for_record(
        &actor,
        "performance_report.generated",
        "performance_report",
        id,
        &detail.report,
    )];
    events.extend(mail_queued_event(&actor, &written));
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(detail)
}

/// Who is told a report awaits sign-off: people (not departed, with an address) who hold a
/// top-management role of the catalog on `day` or whose enabled account has that tool role,
/// except the generator.
async fn top_management_recipients(
    tx: &mut Tx,
    day: Date,
    except: Uuid,
) -> StoreResult<Vec<(Uuid, String, String)>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.email FROM people p
         WHERE p.id IN (
                SELECT a.person_id FROM org_roles o JOIN role_assignments a ON a.role_id = o.id
                WHERE o.category = 'top_management' AND a.starts_on <= $1
                    AND (a.ends_on IS NULL OR a.ends_on >= $1)
                UNION
                SELECT ac.person_id FROM account_roles ar JOIN accounts ac ON ac.id = ar.account_id
                WHERE ar.role = 'top_management' AND ac.disabled_at IS NULL)
            AND p.status <> 'departed' AND p.email <> '' AND p.id <> $2
         ORDER BY p.name, p.id",
    )
    .bind(day)
    .bind(except)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .iter()
        .map(|row| {
            Ok((
                row.try_get("id")?,
                row.try_get("name")?,
                row.try_get("email")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

include!("report_signoff.rs");
