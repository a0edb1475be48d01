// Shared SQL for signing a performance report off (included by `reports.rs`): the conditional
// UPDATE is the gate, so of two members of top management signing at once only one does.

/// Refuses a signer who does not hold top management today (re-read) or generated the report.
async fn check_report_signer(
    tx: &mut Tx,
    by: &Account,
    report: &perf_report::PerformanceReport,
) -> StoreResult<()> {
    if !roles_now(tx, by).await?.has_role(Role::TopManagement) {
        return Err(StoreError::Forbidden(
            "only a member of top management signs off a performance report".into(),
        ));
    }
    if report.generated_by == by.id || report.generated_by_person == by.person_id {
        return Err(StoreError::Forbidden(
            "nobody signs off a report they generated: another member of top management \
             reviews it"
                .into(),
        ));
    }
    Ok(())
}

/// Writes the sign-off when the report still awaits it; 409 naming who signed it otherwise
/// (before this call, or meanwhile by someone signing at the same moment).
async fn mark_report_signed_off(
    tx: &mut Tx,
    by: &Account,
    id: Uuid,
    comments: &str,
) -> StoreResult<()> {
    let signed = sqlx::query(
        "UPDATE performance_reports
         SET status = 'signed_off', signed_off_by = $2, signed_off_at = $3, sign_off_comments = $4
         WHERE id = $1 AND status = 'submitted'",
    )
    .bind(id)
    .bind(by.id)
    .bind(now())
    .bind(comments)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if signed == 1 {
        return Ok(());
    }
    let report = get_performance_report_in(&mut **tx, id).await?.report;
    Err(StoreError::Conflict(format!(
        "this report was already signed off by {}; a signed report does not change",
        report
            .signed_off_by_name
            .as_deref()
            .unwrap_or("someone else")
    )))
}

/// The notice to the generator (not departed, with an address) that their report was signed.
async fn signed_off_mails(
    tx: &mut Tx,
    report: &perf_report::PerformanceReport,
) -> StoreResult<Vec<NewMail>> {
    let email: Option<String> =
        sqlx::query("SELECT email FROM people WHERE id = $1 AND status <> 'departed'")
            .bind(report.generated_by_person)
            .fetch_optional(&mut **tx)
            .await?
            .map(|row| row.try_get("email"))
            .transpose()?;
    Ok(email
        .filter(|email| !email.is_empty())
        .iter()
        .map(|email| perf_report::signed_off_notice(report, email))
        .collect())
}

async fn sign_off_performance_report(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    input: perf_report::SignOffInput,
) -> StoreResult<perf_report::PerformanceReportDetail> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let before = get_performance_report_in(&mut *tx, id).await?.report;
    check_report_signer(&mut tx, by, &before).await?;
    mark_report_signed_off(&mut tx, by, id, input.comments.as_str()).await?;
    let detail = get_performance_report_in(&mut *tx, id).await?;
    let mails = signed_off_mails(&mut tx, &detail.report).await?;
    let written = insert_mails(&mut tx, &mails).await?;
    let actor = account_actor(by);
    let mut events = vec![NewAuditEvent::for_record(
        &actor,
        "performance_report.signed_off",
        "performance_report",
        id,
        &detail.report,
    )];
    events.extend(mail_queued_event(&actor, &written));
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(detail)
}
