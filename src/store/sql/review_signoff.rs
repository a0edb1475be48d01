// Shared SQL for the chair's sign-off of a management review (included by `reviews.rs`): only
// the chair, holding top management now, signs a draft that a member of top management attended,
// once it is held; the inputs are frozen as JSON with their SHA-256 in the same row, and the
// record is locked.

async fn sign_management_review(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    inputs: &ReviewInputs,
) -> StoreResult<ManagementReview> {
    let json = serde_json::to_string(inputs)
        .map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
    let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(json.as_bytes()));
    let mut tx = begin_write(pool).await?;
    lock_review_draft(&mut tx, id).await?;
    let review = read_management_review(&mut tx, id).await?;
    check_review_signer(&mut tx, by, &review).await?;
    let at = now();
    sqlx::query(
        "UPDATE management_reviews SET status = 'signed', signed_by = $2, signed_at = $3,
            updated_at = $3, pack = $4, pack_sha256 = $5
         WHERE id = $1 AND status = 'draft'",
    )
    .bind(id)
    .bind(by.id)
    .bind(at)
    .bind(json.as_str())
    .bind(sha256.as_str())
    .execute(&mut *tx)
    .await?;
    let signed = read_management_review(&mut tx, id).await?;
    append_events(
        &mut tx,
        vec![review_event(by, "management_review.signed", &signed)],
    )
    .await?;
    tx.commit().await?;
    Ok(signed)
}

/// The chair alone signs (403), while holding top management (403), once a member of top
/// management is recorded as attending (409) and the day of the review has come (409).
async fn check_review_signer(
    tx: &mut Tx,
    by: &Account,
    review: &ManagementReview,
) -> StoreResult<()> {
    if by.person_id != review.chair_id {
        return Err(StoreError::Forbidden(format!(
            "only the chair of this review, {}, signs it off",
            review.chair_name
        )));
    }
    if !roles_now(tx, by).await?.has_role(Role::TopManagement) {
        return Err(StoreError::Forbidden(
            "the chair signs as a member of top management, and this account no longer holds \
             the top management role"
                .into(),
        ));
    }
    if !review.top_management_present {
        return Err(StoreError::Conflict(
            "no member of top management is recorded as attending this review: add the \
             top-management attendees before signing it off"
                .into(),
        ));
    }
    if review.held_on > now().date() {
        return Err(StoreError::Conflict(format!(
            "a review is signed after it is held: this one is held on {}, sign it off from that \
             day",
            review.held_on
        )));
    }
    Ok(())
}

async fn frozen_review_pack(pool: &sqlx::Pool<Db>, id: Uuid) -> StoreResult<Option<FrozenPack>> {
    let row = sqlx::query("SELECT pack, pack_sha256 FROM management_reviews WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(StoreError::NotFound("management review"))?;
    let json: Option<String> = row.try_get("pack")?;
    let sha256: Option<String> = row.try_get("pack_sha256")?;
    Ok(json
        .zip(sha256)
        .map(|(json, sha256)| FrozenPack { json, sha256 }))
}

/// Everyone holding a role of the `top_management` category on `day` (the departed left out).
async fn people_in_top_management_on(
    pool: &sqlx::Pool<Db>,
    day: Date,
) -> StoreResult<Vec<TopManager>> {
    let rows = sqlx::query(
        "SELECT DISTINCT p.id, p.name FROM role_assignments ra
            JOIN org_roles o ON o.id = ra.role_id JOIN people p ON p.id = ra.person_id
         WHERE o.category = 'top_management' AND p.status <> 'departed'
            AND ra.starts_on <= $1 AND (ra.ends_on IS NULL OR ra.ends_on >= $1)
         ORDER BY p.name, p.id",
    )
    .bind(day)
    .fetch_all(pool)
    .await?;
    let mut people = Vec::with_capacity(rows.len());
    for row in rows {
        people.push(TopManager {
            person_id: row.try_get("id")?,
            name: row.try_get("name")?,
        });
    }
    Ok(people)
}
