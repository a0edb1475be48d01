// Shared SQL for segregation of duties: rules, violations computed for every person, exceptions.

const SOD_RULE_SELECT: &str = "SELECT r.id, r.kind, r.role_a, r.role_b, r.activity_a, r.duty_a,
        r.activity_b, r.duty_b, r.rationale, r.created_at, ra.name AS role_a_name,
        rb.name AS role_b_name, aa.name AS activity_a_name, ab.name AS activity_b_name
    FROM sod_rules r
    LEFT JOIN org_roles ra ON ra.id = r.role_a
    LEFT JOIN org_roles rb ON rb.id = r.role_b
    LEFT JOIN isms_activities aa ON aa.id = r.activity_a
    LEFT JOIN isms_activities ab ON ab.id = r.activity_b";

/// How many role pairs one violation query joins (PostgreSQL: within `STATEMENT_BYTES`).
const PAIR_CHUNK: usize = 1000;
/// About how many bytes a pair binds (three ids and their lengths).
const PAIR_BYTES: usize = 60;

fn sod_rule_from_row(row: &DbRow) -> Result<SodRule, sqlx::Error> {
    let conflict = sod_conflict_from_row(row)?;
    let side = |role: &str, activity: &str, duty: Option<Duty>| -> Result<String, sqlx::Error> {
        let name: Option<String> = match duty {
            None => row.try_get(role)?,
            Some(_) => row.try_get(activity)?,
        };
        let name = name.unwrap_or_else(|| "(unknown)".to_owned());
        Ok(match duty {
            None => name,
            Some(duty) => format!("{} for {name}", duty.label()),
        })
    };
    let (duty_a, duty_b) = match conflict {
        SodConflict::Roles { .. } => (None, None),
        SodConflict::Duties { duty_a, duty_b, .. } => (Some(duty_a), Some(duty_b)),
    };
    Ok(SodRule {
        id: row.try_get("id")?,
        conflict,
        rationale: row.try_get("rationale")?,
        side_a: side("role_a_name", "activity_a_name", duty_a)?,
        side_b: side("role_b_name", "activity_b_name", duty_b)?,
        created_at: row.try_get("created_at")?,
    })
}

/// An active rule (a removed one is not found).
async fn get_sod_rule_in<'e, E>(executor: E, id: Uuid) -> StoreResult<SodRule>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "{SOD_RULE_SELECT} WHERE r.id = $1 AND r.removed_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(|r| sod_rule_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("segregation-of-duties rule"))
}

async fn list_sod_rules(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<SodRule>> {
    let rows = dynamic(format!(
        "{SOD_RULE_SELECT} WHERE r.removed_at IS NULL ORDER BY r.created_at, r.id"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(sod_rule_from_row)
        .collect::<Result<_, _>>()?)
}

async fn create_sod_rule(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    input: SodRuleInput,
) -> StoreResult<SodRule> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    check_sod_references(&mut tx, &input.conflict).await?;
    let id = Uuid::now_v7();
    insert_sod_rule(&mut tx, id, &input.conflict, &input.rationale, now()).await?;
    let rule = get_sod_rule_in(&mut *tx, id).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "sod_rule.created",
            "sod_rule",
            id,
            &rule,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(rule)
}

/// Refuses (422) a rule naming roles or activities that do not exist.
async fn check_sod_references(tx: &mut Tx, conflict: &SodConflict) -> StoreResult<()> {
    let (table, what, ids) = match *conflict {
        SodConflict::Roles { role_a, role_b } => ("org_roles", "role", [role_a, role_b]),
        SodConflict::Duties {
            activity_a,
            activity_b,
            ..
        } => ("isms_activities", "activity", [activity_a, activity_b]),
    };
    for id in ids {
        if !exists(tx, table, id).await? {
            return Err(StoreError::Invalid(FieldErrors::single(
                "conflict",
                format!("names a {what} that does not exist"),
            )));
        }
    }
    Ok(())
}

async fn insert_sod_rule(
    tx: &mut Tx,
    id: Uuid,
    conflict: &SodConflict,
    rationale: &str,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO sod_rules (id, kind, role_a, role_b, activity_a, duty_a, activity_b, duty_b,
            rationale, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id);
    let query = match *conflict {
        SodConflict::Roles { role_a, role_b } => query
            .bind("roles")
            .bind(Some(role_a))
            .bind(Some(role_b))
            .bind(None::<Uuid>)
            .bind(None::<&str>)
            .bind(None::<Uuid>)
            .bind(None::<&str>),
        SodConflict::Duties {
            activity_a,
            duty_a,
            activity_b,
            duty_b,
        } => query
            .bind("duties")
            .bind(None::<Uuid>)
            .bind(None::<Uuid>)
            .bind(Some(activity_a))
            .bind(Some(duty_a.as_str()))
            .bind(Some(activity_b))
            .bind(Some(duty_b.as_str())),
    };
    query.bind(rationale).bind(at).execute(&mut **tx).await?;
    Ok(())
}

async fn remove_sod_rule(pool: &sqlx::Pool<Db>, actor: &Actor, id: Uuid) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    let rule = get_sod_rule_in(&mut *tx, id).await?;
    sqlx::query("UPDATE sod_rules SET removed_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "sod_rule.removed",
            "sod_rule",
            id,
            &rule,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A date as an SQL literal (`'2026-05-01'`, compared as a date on PostgreSQL, as text on
/// SQLite). Made from a `Date`, never from user text; used where a long VALUES list of
/// anonymous placeholders leaves no numbered one to bind it to.
fn date_literal(day: Date) -> String {
    format!(
        "'{:04}-{:02}-{:02}'",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

async fn sod_violations(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<Vec<SodViolation>> {
    let mut tx = begin_snapshot(pool).await?;
    let pairs = conflicting_pairs_in(&mut tx).await?;
    let rows_per_query = STATEMENT_BYTES.map_or(PAIR_CHUNK, |limit| {
        (limit / PAIR_BYTES).clamp(1, PAIR_CHUNK)
    });
    let mut violations = Vec::new();
    for chunk in pairs.chunks(rows_per_query) {
        violations.extend(violations_for(&mut tx, chunk, today).await?);
    }
    tx.commit().await?;
    violations.sort_by(|a, b| {
        (
            &a.person_name,
            a.person_id,
            &a.rationale,
            a.rule_id,
            &a.role_a_name,
            &a.role_b_name,
        )
            .cmp(&(
                &b.person_name,
                b.person_id,
                &b.rationale,
                b.rule_id,
                &b.role_a_name,
                &b.role_b_name,
            ))
    });
    Ok(violations)
}

/// The people (not departed) who hold both roles of one of `pairs` on `day`, found by the
/// database through the role and person indexes of the assignments.
async fn violations_for(
    tx: &mut Tx,
    pairs: &[RolePair],
    day: Date,
) -> StoreResult<Vec<SodViolation>> {
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let d = date_literal(day);
    let sql = format!(
        "WITH pairs (rule_id, role_a, role_b) AS (VALUES {values}),
         held AS (
            SELECT DISTINCT pr.rule_id, pr.role_a, pr.role_b, a.person_id
            FROM pairs pr
            JOIN role_assignments a ON a.role_id = pr.role_a
            JOIN role_assignments b ON b.person_id = a.person_id AND b.role_id = pr.role_b
            WHERE a.starts_on <= {d} AND (a.ends_on IS NULL OR a.ends_on >= {d})
              AND b.starts_on <= {d} AND (b.ends_on IS NULL OR b.ends_on >= {d}))
         SELECT h.rule_id, h.role_a, h.role_b, h.person_id, p.name AS person_name,
            ra.name AS role_a_name, rb.name AS role_b_name, r.rationale,
            (SELECT e.id FROM sod_exceptions e
             WHERE e.person_id = h.person_id AND e.rule_id = h.rule_id
               AND e.decision = 'approved' AND e.expires_on >= {d}
             ORDER BY e.expires_on DESC, e.id LIMIT 1) AS covered_by
         FROM held h
         JOIN people p ON p.id = h.person_id
         JOIN org_roles ra ON ra.id = h.role_a
         JOIN org_roles rb ON rb.id = h.role_b
         JOIN sod_rules r ON r.id = h.rule_id
         WHERE p.status <> 'departed'",
        values = values_placeholders(PLACEHOLDERS, pairs.len(), 3),
    );
    let mut query = dynamic(sql);
    for pair in pairs {
        query = query.bind(pair.rule_id).bind(pair.role_a).bind(pair.role_b);
    }
    let rows = query.fetch_all(&mut **tx).await?;
    let violations = rows
        .iter()
        .map(|row| {
            Ok(SodViolation {
                rule_id: row.try_get("rule_id")?,
                rationale: row.try_get("rationale")?,
                person_id: row.try_get("person_id")?,
                person_name: row.try_get("person_name")?,
                role_a_id: row.try_get("role_a")?,
                role_a_name: row.try_get("role_a_name")?,
                role_b_id: row.try_get("role_b")?,
                role_b_name: row.try_get("role_b_name")?,
                covered_by: row.try_get("covered_by")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(violations)
}

const SOD_EXCEPTION_SELECT: &str = "SELECT e.id, e.rule_id, r.rationale, e.person_id,
        p.name AS person_name, e.justification, e.compensating_controls, e.expires_on,
        e.requested_by, rp.name AS requested_by_name, e.requested_at, e.decision, e.decided_by,
        dp.name AS decided_by_name, e.decided_at, e.decision_note
    FROM sod_exceptions e
    JOIN sod_rules r ON r.id = e.rule_id
    JOIN people p ON p.id = e.person_id
    JOIN accounts ra ON ra.id = e.requested_by
    JOIN people rp ON rp.id = ra.person_id
    LEFT JOIN accounts da ON da.id = e.decided_by
    LEFT JOIN people dp ON dp.id = da.person_id";

fn sod_exception_from_row(row: &DbRow, today: Date) -> Result<SodException, sqlx::Error> {
    let decision: SodExceptionDecision = parse_column(row, "decision")?;
    let expires_on: Date = row.try_get("expires_on")?;
    Ok(SodException {
        id: row.try_get("id")?,
        rule_id: row.try_get("rule_id")?,
        rationale: row.try_get("rationale")?,
        person_id: row.try_get("person_id")?,
        person_name: row.try_get("person_name")?,
        justification: row.try_get("justification")?,
        compensating_controls: row.try_get("compensating_controls")?,
        expires_on,
        requested_by: row.try_get("requested_by")?,
        requested_by_name: row.try_get("requested_by_name")?,
        requested_at: row.try_get("requested_at")?,
        decision,
        decided_by: row.try_get("decided_by")?,
        decided_by_name: row.try_get("decided_by_name")?,
        decided_at: row.try_get("decided_at")?,
        decision_note: row.try_get("decision_note")?,
        state: SodException::state_on(decision, expires_on, today),
    })
}

async fn get_sod_exception_in<'e, E>(
    executor: E,
    id: Uuid,
    today: Date,
) -> StoreResult<SodException>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!("{SOD_EXCEPTION_SELECT} WHERE e.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    row.map(|r| sod_exception_from_row(&r, today))
        .transpose()?
        .ok_or(StoreError::NotFound("segregation-of-duties exception"))
}

fn sod_exception_event(by: &Account, action: &str, exception: &SodException) -> NewAuditEvent {
    NewAuditEvent::for_record(
        &account_actor(by),
        action,
        "sod_exception",
        exception.id,
        exception,
    )
}

async fn request_sod_exception(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: SodExceptionInput,
    today: Date,
) -> StoreResult<SodException> {
    let input = input.validate(today).map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let mut errors = FieldErrors::new();
    let rule = sqlx::query("SELECT 1 FROM sod_rules WHERE id = $1 AND removed_at IS NULL")
        .bind(input.rule_id)
        .fetch_optional(&mut *tx)
        .await?;
    if rule.is_none() {
        errors.add("rule_id", "is not a segregation-of-duties rule in force");
    }
    if !exists(&mut tx, "people", input.person_id).await? {
        errors.add("person_id", "is not a known person");
    }
    errors.into_result().map_err(StoreError::Invalid)?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO sod_exceptions (id, rule_id, person_id, justification, compensating_controls,
            expires_on, requested_by, requested_at, decision)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested')",
    )
    .bind(id)
    .bind(input.rule_id)
    .bind(input.person_id)
    .bind(input.justification.as_str())
    .bind(input.compensating_controls.as_str())
    .bind(input.expires_on)
    .bind(by.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let exception = get_sod_exception_in(&mut *tx, id, today).await?;
    append_events(
        &mut tx,
        vec![sod_exception_event(
            by,
            "sod_exception.requested",
            &exception,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(exception)
}

async fn decide_sod_exception(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    decision: SodExceptionDecisionInput,
    today: Date,
) -> StoreResult<SodException> {
    let mut tx = begin_write(pool).await?;
    let exception = get_sod_exception_in(&mut *tx, id, today).await?;
    let decider = roles_now(&mut tx, by).await?;
    if !decider.has_role(Role::TopManagement) {
        return Err(StoreError::Forbidden(
            "only a member of top management may decide a segregation-of-duties exception".into(),
        ));
    }
    if exception.requested_by == by.id {
        return Err(StoreError::Forbidden(
            "nobody decides their own request: another member of top management must decide it"
                .into(),
        ));
    }
    if exception.person_id == by.person_id {
        return Err(StoreError::Forbidden(
            "nobody decides an exception that covers themselves: another member of top \
             management must decide it"
                .into(),
        ));
    }
    if exception.decision != SodExceptionDecision::Requested {
        return Err(StoreError::Conflict(format!(
            "this exception is already {}",
            exception.decision.as_str()
        )));
    }
    if decision.approve && exception.expires_on < today {
        return Err(StoreError::Conflict(format!(
            "this request asked for an exception until {}, which has passed; request a new one",
            exception.expires_on
        )));
    }
    let note = decision.note.trim();
    sqlx::query(
        "UPDATE sod_exceptions SET decision = $2, decided_by = $3, decided_at = $4,
            decision_note = $5
         WHERE id = $1",
    )
    .bind(id)
    .bind(if decision.approve {
        "approved"
    } else {
        "rejected"
    })
    .bind(by.id)
    .bind(now())
    .bind((!note.is_empty()).then_some(note))
    .execute(&mut *tx)
    .await?;
    let after = get_sod_exception_in(&mut *tx, id, today).await?;
    let action = if decision.approve {
        "sod_exception.approved"
    } else {
        "sod_exception.rejected"
    };
    append_events(&mut tx, vec![sod_exception_event(by, action, &after)]).await?;
    tx.commit().await?;
    Ok(after)
}

async fn get_sod_exception(
    pool: &sqlx::Pool<Db>,
    id: Uuid,
    today: Date,
) -> StoreResult<SodException> {
    get_sod_exception_in(pool, id, today).await
}

/// Requests first, then the newest.
async fn list_sod_exceptions(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<Vec<SodException>> {
    let rows = dynamic(format!(
        "{SOD_EXCEPTION_SELECT}
         ORDER BY CASE e.decision WHEN 'requested' THEN 0 ELSE 1 END, e.requested_at DESC, e.id"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|row| sod_exception_from_row(row, today))
        .collect::<Result<_, _>>()?)
}

/// Every pair of roles the active rules put in conflict (duty rules expanded through the RACI
/// matrix), read inside the caller's transaction; `assign_role` checks a new assignment with it.
async fn conflicting_pairs_in(tx: &mut Tx) -> StoreResult<Vec<RolePair>> {
    let rules = sqlx::query(
        "SELECT id, kind, role_a, role_b, activity_a, duty_a, activity_b, duty_b
         FROM sod_rules WHERE removed_at IS NULL",
    )
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| {
        Ok(SodRule {
            id: row.try_get("id")?,
            conflict: sod_conflict_from_row(row)?,
            rationale: String::new(),
            side_a: String::new(),
            side_b: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let cells = raci_cells_in(&mut **tx).await?;
    Ok(crate::domain::sod::conflicting_pairs(&rules, &cells))
}

/// A rule's conflict from its columns (`kind`, `role_a`, `role_b`, `activity_a`, `duty_a`,
/// `activity_b`, `duty_b`).
fn sod_conflict_from_row(row: &DbRow) -> Result<SodConflict, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    if kind == "roles" {
        return Ok(SodConflict::Roles {
            role_a: row.try_get("role_a")?,
            role_b: row.try_get("role_b")?,
        });
    }
    Ok(SodConflict::Duties {
        activity_a: row.try_get("activity_a")?,
        duty_a: parse_column(row, "duty_a")?,
        activity_b: row.try_get("activity_b")?,
        duty_b: parse_column(row, "duty_b")?,
    })
}
