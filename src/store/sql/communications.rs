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
    let mails = if input.send_email {
        communication_mails(&mut tx, id, &input).await?
    } else {
        Vec::new()
    };
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
    .bind(i32::try_from(mails.len()).unwrap_or(i32::MAX))
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let actor = account_actor(by);
    let mut events = Vec::new();
    queue_mail_in(&mut tx, &actor, &mails, &mut events).await?;
    let communication = get_communication_in(&mut *tx, id).await?;
    events.insert(
        0,
        NewAuditEvent::for_record(
            &actor,
            "communication.recorded",
            "communication",
            id,
            &communication,
        ),
    );
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(communication)
}

/// One message per active person in the audience; refuses an audience with nobody to email.
async fn communication_mails(
    tx: &mut Tx,
    id: Uuid,
    input: &CommunicationInput,
) -> StoreResult<Vec<NewMail>> {
    let units = units_for(&mut **tx, &[&input.audience]).await?;
    let resolved = audience_sql(&input.audience, &units, 1, true)?;
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
    let body = match &input.link {
        Some(link) => format!("{}\n\n{link}\n", input.body),
        None => format!("{}\n", input.body),
    };
    let mut mails = Vec::with_capacity(rows.len());
    for row in rows {
        let person_id: Uuid = row.try_get("id")?;
        mails.push(NewMail {
            kind: MailKind::Communication,
            dedupe_key: format!("communication:{id}:{person_id}"),
            to_person_id: Some(person_id),
            to_address: row.try_get("email")?,
            subject: input.subject.clone(),
            body: body.clone(),
            campaign_id: None,
            communication_id: Some(id),
        });
    }
    Ok(mails)
}
