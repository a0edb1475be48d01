// Shared SQL for top-management communications (5.1.d): recorded by a member of top management,
// optionally emailed to the audience through the outbox in the same transaction.

const COMMUNICATION_COLUMNS: &str = "c.id, c.author_id, ap.name AS author_name, c.audience,
    c.channel, c.communicated_on, c.subject, c.body, c.link, c.emails_queued, c.created_at";
const COMMUNICATION_FROM: &str = "communications c JOIN accounts a ON a.id = c.author_id
    JOIN people ap ON ap.id = a.person_id";

fn communication_from_row(row: &DbRow) -> Result<Communication, sqlx::Error> {
    Ok(Communication {
        id: row.try_get("id")?,
        author_id: row.try_get("author_id")?,
        author_name: row.try_get("author_name")?,
        audience: json_column(row, "audience")?,
        channel: parse_column(row, "channel")?,
        communicated_on: row.try_get("communicated_on")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        link: row.try_get("link")?,
        emails_queued: i64::from(row.try_get::<i32, _>("emails_queued")?),
        created_at: row.try_get("created_at")?,
    })
}

async fn get_communication_in<'e, E>(executor: E, id: Uuid) -> StoreResult<Communication>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "SELECT {COMMUNICATION_COLUMNS} FROM {COMMUNICATION_FROM} WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|r| communication_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("communication"))
}

async fn list_communications(
    pool: &sqlx::Pool<Db>,
    page: PageRequest,
) -> StoreResult<Page<Communication>> {
    fetch_page(
        pool,
        COMMUNICATION_FROM,
        COMMUNICATION_COLUMNS,
        "c.communicated_on DESC, c.created_at DESC, c.id DESC",
        &Conditions::default(),
        page,
        communication_from_row,
    )
    .await
}

async fn record_communication(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: CommunicationInput,
    today: Date,
) -> StoreResult<Communication> {
    let input = input.validate(today).map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let author = roles_now(&mut tx, by).await?;
    if !author.has_role(Role::TopManagement) {
        return Err(StoreError::Forbidden(
            "only a member of top management can record a communication; this account does not \
             hold the top management role"
                .into(),
        ));
    }
    let id = Uuid::now_v7();
    let recipients = if input.send_email {
        audience_recipients(&mut tx, &input.audience).await?
    } else {
        Vec::new()
    };
    insert_communication(&mut tx, id, by, &input, recipients.len()).await?;
    let mut written = Vec::with_capacity(recipients.len());
    for chunk in recipients.chunks(MAIL_CHUNK) {
        let mails: Vec<NewMail> = chunk
            .iter()
            .map(|(person_id, email)| communication_mail(id, &input, *person_id, email))
            .collect();
        written.extend(insert_mails(&mut tx, &mails).await?);
    }
    let communication = get_communication_in(&mut *tx, id).await?;
    let actor = account_actor(by);
    let mut events = vec![NewAuditEvent::for_record(
        &actor,
        "communication.recorded",
        "communication",
        id,
        &communication,
    )];
    events.extend(mail_queued_event(&actor, &written));
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(communication)
}

async fn insert_communication(
    tx: &mut Tx,
    id: Uuid,
    by: &Account,
    input: &CommunicationInput,
    emails: usize,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO communications (id, author_id, audience, channel, communicated_on, subject,
            body, link, emails_queued, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(by.id)
    .bind(to_json(&input.audience))
    .bind(input.channel.as_str())
    .bind(input.communicated_on)
    .bind(input.subject.as_str())
    .bind(input.body.as_str())
    .bind(input.link.as_deref())
    .bind(i32::try_from(emails).unwrap_or(i32::MAX))
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The active people of the audience with their addresses; refuses an audience with nobody in it.
async fn audience_recipients(
    tx: &mut Tx,
    audience: &CampaignAudience,
) -> StoreResult<Vec<(Uuid, String)>> {
    let units = units_for(&mut **tx, &[audience]).await?;
    let resolved = audience_sql(audience, &units, 1, true)?;
    let sql = format!(
        "SELECT p.id, p.email FROM people p WHERE p.status = 'active' AND {} ORDER BY p.name, p.id",
        resolved.clause
    );
    let rows = bind_args(dynamic(sql), &resolved.args)
        .fetch_all(&mut **tx)
        .await?;
    if rows.is_empty() {
        return Err(nobody_in_audience());
    }
    let mut recipients = Vec::with_capacity(rows.len());
    for row in rows {
        recipients.push((row.try_get("id")?, row.try_get("email")?));
    }
    Ok(recipients)
}

/// The message to one person: the text, then the link when there is one.
fn communication_mail(
    id: Uuid,
    input: &CommunicationInput,
    person_id: Uuid,
    email: &str,
) -> NewMail {
    let body = match &input.link {
        Some(link) => format!("{}\n\n{link}\n", input.body),
        None => format!("{}\n", input.body),
    };
    NewMail {
        kind: MailKind::Communication,
        dedupe_key: format!("communication:{id}:{person_id}"),
        to_person_id: Some(person_id),
        to_address: email.to_owned(),
        subject: input.subject.clone(),
        body,
        campaign_id: None,
        communication_id: Some(id),
    }
}
