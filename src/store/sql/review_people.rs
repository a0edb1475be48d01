// Shared SQL for the people of a management review (included by `reviews.rs`): the chair and the
// attendees checked, the attendees written, and the people named by a list of emails.

/// Refuses (422) a chair who is not top management on the day, and unknown attendees.
async fn check_review_people(tx: &mut Tx, input: &ReviewInput) -> StoreResult<()> {
    let mut errors = FieldErrors::new();
    let chair = dynamic(format!(
        "SELECT {held} AS held FROM people p WHERE p.id = $1",
        held = top_management_held("p.id", "$2")
    ))
    .bind(input.chair_id)
    .bind(input.held_on)
    .fetch_optional(&mut **tx)
    .await?;
    match chair {
        None => errors.add("chair_id", "is not a known person"),
        Some(row) if !row.try_get::<bool, _>("held")? => errors.add(
            "chair_id",
            format!(
                "is not top management on {}: the chair must hold a top-management role that day",
                input.held_on
            ),
        ),
        Some(_) => {}
    }
    if !input.attendee_ids.is_empty() {
        let sql = format!(
            "SELECT COUNT(*) FROM people WHERE id IN ({})",
            (1..=input.attendee_ids.len())
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut query = dynamic(sql);
        for id in &input.attendee_ids {
            query = query.bind(*id);
        }
        let found: i64 = query.fetch_one(&mut **tx).await?.try_get(0)?;
        if usize::try_from(found).unwrap_or(0) != input.attendee_ids.len() {
            errors.add("attendee_ids", "names someone who is not a known person");
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

async fn write_review_attendees(tx: &mut Tx, id: Uuid, people: &[Uuid]) -> StoreResult<()> {
    sqlx::query("DELETE FROM review_attendees WHERE review_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for chunk in people.chunks(200) {
        let sql = format!(
            "INSERT INTO review_attendees (review_id, person_id) VALUES {}",
            values_placeholders(PLACEHOLDERS, chunk.len(), 2)
        );
        let mut query = dynamic(sql);
        for person in chunk {
            query = query.bind(id).bind(*person);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The people whose email (compared without case) is one of `emails`, by their email in lower
/// case; one query per 500 emails, through the index on `lower(email)`.
async fn people_ids_by_email(
    pool: &sqlx::Pool<Db>,
    emails: &[String],
) -> StoreResult<HashMap<String, Uuid>> {
    let mut found = HashMap::with_capacity(emails.len());
    for chunk in emails.chunks(500) {
        let sql = format!(
            "SELECT id, email FROM people WHERE lower(email) IN ({})",
            (1..=chunk.len())
                .map(|n| format!("lower(${n})"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut query = dynamic(sql);
        for email in chunk {
            query = query.bind(email.trim().to_owned());
        }
        for row in query.fetch_all(pool).await? {
            let email: String = row.try_get("email")?;
            found.insert(email.to_lowercase(), row.try_get("id")?);
        }
    }
    Ok(found)
}
