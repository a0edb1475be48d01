// Shared SQL for assessments: the immutable snapshot (the evaluation's JSON text with its SHA-256,
// the counts per verdict, one verdict row per requirement for trends) written with its audit event,
// and read back with its hash checked again; the organization's thresholds. Justifications are in
// `assessment_justifications.rs`, included at the end.

// Full paths through one alias: these files share a module with every other included file.
use crate::domain::assessment as asmt;

const ASSESSMENT_SUMMARY_COLUMNS: &str = "id, created_at, run_trigger, run_by, run_by_label,
    content_sha256, conforming, partial, nonconforming, not_applicable";

fn assessment_summary_from_row(row: &DbRow) -> Result<asmt::AssessmentSummary, sqlx::Error> {
    Ok(asmt::AssessmentSummary {
        id: row.try_get("id")?,
        created_at: row.try_get("created_at")?,
        trigger: parse_column(row, "run_trigger")?,
        run_by: row.try_get("run_by")?,
        run_by_label: row.try_get("run_by_label")?,
        content_sha256: row.try_get("content_sha256")?,
        counts: asmt::VerdictCounts {
            conforming: row.try_get("conforming")?,
            partial: row.try_get("partial")?,
            nonconforming: row.try_get("nonconforming")?,
            not_applicable: row.try_get("not_applicable")?,
        },
    })
}

/// The assessment with its snapshot parsed, and whether the stored text still has its hash.
fn assessment_from_row(row: &DbRow) -> Result<asmt::Assessment, sqlx::Error> {
    let summary = assessment_summary_from_row(row)?;
    let text: String = row.try_get("evaluation")?;
    let evaluation: crate::domain::conformance::Evaluation =
        serde_json::from_str(&text).map_err(|e| sqlx::Error::ColumnDecode {
            index: "evaluation".to_owned(),
            source: Box::new(e),
        })?;
    Ok(asmt::Assessment {
        intact: asmt::content_sha256(&text) == summary.content_sha256,
        id: summary.id,
        created_at: summary.created_at,
        trigger: summary.trigger,
        run_by: summary.run_by,
        run_by_label: summary.run_by_label,
        content_sha256: summary.content_sha256,
        evaluation,
    })
}

/// Who ran an assessment, as shown, and as the audit trail names them.
fn assessment_runner(by: Option<&Account>, trigger: asmt::Trigger) -> (String, Actor) {
    match (by, trigger) {
        (Some(account), _) => (account.name.clone(), account_actor(account)),
        (None, asmt::Trigger::Cli) => ("command line".to_owned(), Actor::cli()),
        (None, asmt::Trigger::Schedule) => ("daily schedule".to_owned(), Actor::system()),
        (None, asmt::Trigger::Manual) => ("Charter".to_owned(), Actor::system()),
    }
}

async fn insert_assessment(
    pool: &sqlx::Pool<Db>,
    by: Option<&Account>,
    trigger: asmt::Trigger,
    evaluation: crate::domain::conformance::Evaluation,
) -> StoreResult<asmt::Assessment> {
    let (text, hash) =
        asmt::snapshot(&evaluation).map_err(|e| StoreError::Config(e.to_string()))?;
    let counts = asmt::VerdictCounts::of(&evaluation);
    let (label, actor) = assessment_runner(by, trigger);
    let id = Uuid::now_v7();
    let created_at = now();
    let mut tx = begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO assessments (id, created_at, run_trigger, run_by, run_by_label, evaluation,
            content_sha256, conforming, partial, nonconforming, not_applicable)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(created_at)
    .bind(trigger.as_str())
    .bind(by.map(|a| a.id))
    .bind(label.as_str())
    .bind(text.as_str())
    .bind(hash.as_str())
    .bind(counts.conforming)
    .bind(counts.partial)
    .bind(counts.nonconforming)
    .bind(counts.not_applicable)
    .execute(&mut *tx)
    .await?;
    insert_verdicts(&mut tx, id, &evaluation).await?;
    let event = NewAuditEvent {
        actor: actor.as_str().to_owned(),
        action: "assessment.run".to_owned(),
        record_type: "assessment".to_owned(),
        record_id: id.to_string(),
        record_digest: hash.clone(),
    };
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(asmt::Assessment {
        id,
        created_at,
        trigger,
        run_by: by.map(|a| a.id),
        run_by_label: label,
        content_sha256: hash,
        intact: true,
        evaluation,
    })
}

/// One row per requirement judged (the first result of an id, should one repeat).
async fn insert_verdicts(
    tx: &mut Tx,
    id: Uuid,
    evaluation: &crate::domain::conformance::Evaluation,
) -> StoreResult<()> {
    let mut seen: Vec<&str> = Vec::new();
    let mut rows = Vec::new();
    for result in &evaluation.results {
        if !seen.contains(&result.id.as_str()) {
            seen.push(&result.id);
            rows.push((result.id.as_str(), result.verdict.as_str()));
        }
    }
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO assessment_verdicts (assessment_id, requirement_id, verdict) VALUES {}",
        values_placeholders(PLACEHOLDERS, rows.len(), 3)
    );
    let mut query = dynamic(sql);
    for (requirement, verdict) in rows {
        query = query.bind(id).bind(requirement).bind(verdict);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

async fn get_assessment(pool: &sqlx::Pool<Db>, id: Uuid) -> StoreResult<asmt::Assessment> {
    let row = dynamic(format!(
        "SELECT {ASSESSMENT_SUMMARY_COLUMNS}, evaluation FROM assessments WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(StoreError::NotFound("assessment"))?;
    Ok(assessment_from_row(&row)?)
}

async fn latest_assessment(pool: &sqlx::Pool<Db>) -> StoreResult<Option<asmt::Assessment>> {
    let row = dynamic(format!(
        "SELECT {ASSESSMENT_SUMMARY_COLUMNS}, evaluation FROM assessments
         ORDER BY created_at DESC, id DESC LIMIT 1"
    ))
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(assessment_from_row).transpose()?)
}

async fn list_assessments(
    pool: &sqlx::Pool<Db>,
    page: PageRequest,
) -> StoreResult<Page<asmt::AssessmentSummary>> {
    fetch_page(
        pool,
        "assessments",
        ASSESSMENT_SUMMARY_COLUMNS,
        "created_at DESC, id DESC",
        &Conditions::default(),
        page,
        assessment_summary_from_row,
    )
    .await
}

async fn previous_assessment(
    pool: &sqlx::Pool<Db>,
    id: Uuid,
) -> StoreResult<Option<asmt::AssessmentSummary>> {
    let created_at: OffsetDateTime =
        sqlx::query("SELECT created_at FROM assessments WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or(StoreError::NotFound("assessment"))?
            .try_get("created_at")?;
    let row = dynamic(format!(
        "SELECT {ASSESSMENT_SUMMARY_COLUMNS} FROM assessments
         WHERE created_at < $1 OR (created_at = $1 AND id < $2)
         ORDER BY created_at DESC, id DESC LIMIT 1"
    ))
    .bind(created_at)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(assessment_summary_from_row).transpose()?)
}

/// The newest `limit` assessments with this requirement's verdict in each, oldest first.
async fn requirement_trend(
    pool: &sqlx::Pool<Db>,
    requirement_id: &str,
    limit: i64,
) -> StoreResult<Vec<asmt::VerdictPoint>> {
    let rows = sqlx::query(
        "SELECT a.id, a.created_at, v.verdict FROM assessments a
         LEFT JOIN assessment_verdicts v ON v.assessment_id = a.id AND v.requirement_id = $1
         ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
    )
    .bind(requirement_id)
    .bind(limit.clamp(1, asmt::MAX_TREND_POINTS))
    .fetch_all(pool)
    .await?;
    let mut points = rows
        .iter()
        .map(|row| {
            let verdict: Option<String> = row.try_get("verdict")?;
            Ok(asmt::VerdictPoint {
                assessment_id: row.try_get("id")?,
                assessed_at: row.try_get("created_at")?,
                verdict: verdict.and_then(|v| v.parse().ok()),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    points.reverse();
    Ok(points)
}

/// The thresholds in force: each one set, or the catalog's default.
async fn load_thresholds<'e, E>(executor: E) -> StoreResult<crate::domain::conformance::Thresholds>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let defaults = crate::domain::conformance::Thresholds::default();
    let Some(row) = sqlx::query(
        "SELECT period_days, reporting_interval_days, overdue_actions_percent, coverage_percent
         FROM conformance_thresholds WHERE id = 1",
    )
    .fetch_optional(executor)
    .await?
    else {
        return Ok(defaults);
    };
    let value = |column: &str, default: i64| -> Result<i64, sqlx::Error> {
        Ok(row.try_get::<Option<i64>, _>(column)?.unwrap_or(default))
    };
    Ok(crate::domain::conformance::Thresholds {
        period_days: value("period_days", defaults.period_days)?,
        reporting_interval_days: value(
            "reporting_interval_days",
            defaults.reporting_interval_days,
        )?,
        overdue_actions_percent: value(
            "overdue_actions_percent",
            defaults.overdue_actions_percent,
        )?,
        coverage_percent: value("coverage_percent", defaults.coverage_percent)?,
    })
}

async fn set_thresholds(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    thresholds: crate::domain::conformance::Thresholds,
) -> StoreResult<crate::domain::conformance::Thresholds> {
    let after = asmt::validate_thresholds(thresholds).map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    // The row is locked before it is read, so of two changes at once each sees the other's.
    sqlx::query("INSERT INTO conformance_thresholds (id) VALUES (1) ON CONFLICT (id) DO NOTHING")
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE conformance_thresholds SET id = id WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let before = load_thresholds(&mut *tx).await?;
    if before == after {
        tx.rollback().await?;
        return Ok(after);
    }
    sqlx::query(
        "UPDATE conformance_thresholds SET period_days = $1, reporting_interval_days = $2,
            overdue_actions_percent = $3, coverage_percent = $4, updated_at = $5, updated_by = $6
         WHERE id = 1",
    )
    .bind(after.period_days)
    .bind(after.reporting_interval_days)
    .bind(after.overdue_actions_percent)
    .bind(after.coverage_percent)
    .bind(now())
    .bind(by.id)
    .execute(&mut *tx)
    .await?;
    let event = NewAuditEvent::for_record(
        &account_actor(by),
        "conformance_thresholds.changed",
        "conformance_thresholds",
        asmt::THRESHOLDS_RECORD_ID,
        &asmt::ThresholdChange { before, after },
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(after)
}

include!("assessment_justifications.rs");
