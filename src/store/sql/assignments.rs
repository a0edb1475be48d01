// Shared SQL for role assignments: dated tenure, who held a role on a day, the holder's
// acknowledgment, competence evidence, and the tool roles an assignment grants.

/// An assignment with the names its pages show; `state` is set from today's date after reading.
const ASSIGNMENT_COLUMNS: &str = "ra.id, ra.role_id, o.name AS role_name, ra.person_id,
    p.name AS person_name, p.status AS person_status, ra.scope_kind, ra.scope_unit_id,
    ra.scope_name, ra.deputy, ra.starts_on, ra.ends_on, ra.reason, ra.assigned_by,
    ap.name AS assigned_by_name, ra.acknowledged_at, ra.acknowledged_statement,
    ra.handover_flagged_at, ra.created_at";
const ASSIGNMENT_FROM: &str = "role_assignments ra JOIN org_roles o ON o.id = ra.role_id
    JOIN people p ON p.id = ra.person_id JOIN accounts aa ON aa.id = ra.assigned_by
    JOIN people ap ON ap.id = aa.person_id";

/// Held on the day bound at `{}`: started, and not ended before it.
const HELD_ON: &str = "ra.starts_on <= {} AND (ra.ends_on IS NULL OR ra.ends_on >= {})";

fn assignment_from_row(row: &DbRow) -> Result<Assignment, sqlx::Error> {
    let kind: String = row.try_get("scope_kind")?;
    let scope = AssignmentScope::from_columns(
        &kind,
        row.try_get("scope_unit_id")?,
        row.try_get("scope_name")?,
    )
    .ok_or_else(|| sqlx::Error::ColumnDecode {
        index: "scope_kind".into(),
        source: format!("incomplete scope '{kind}'").into(),
    })?;
    let starts_on: Date = row.try_get("starts_on")?;
    let ends_on: Option<Date> = row.try_get("ends_on")?;
    Ok(Assignment {
        id: row.try_get("id")?,
        role_id: row.try_get("role_id")?,
        role_name: row.try_get("role_name")?,
        person_id: row.try_get("person_id")?,
        person_name: row.try_get("person_name")?,
        person_status: row.try_get("person_status")?,
        scope,
        deputy: row.try_get("deputy")?,
        starts_on,
        ends_on,
        reason: row.try_get("reason")?,
        assigned_by: row.try_get("assigned_by")?,
        assigned_by_name: row.try_get("assigned_by_name")?,
        // Replaced by `dated` once today's date is known.
        state: TenureState::on(starts_on, ends_on, starts_on),
        acknowledged_at: row.try_get("acknowledged_at")?,
        acknowledged_statement: row.try_get("acknowledged_statement")?,
        handover_flagged_at: row.try_get("handover_flagged_at")?,
        created_at: row.try_get("created_at")?,
    })
}

/// The assignment with its state on `today`.
fn dated(assignment: Assignment, today: Date) -> Assignment {
    Assignment {
        state: TenureState::on(assignment.starts_on, assignment.ends_on, today),
        ..assignment
    }
}

async fn get_assignment_in<'e, E>(executor: E, id: Uuid, today: Date) -> StoreResult<Assignment>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = dynamic(format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM {ASSIGNMENT_FROM} WHERE ra.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    let assignment = row
        .map(|r| assignment_from_row(&r))
        .transpose()?
        .ok_or(StoreError::NotFound("assignment"))?;
    Ok(dated(assignment, today))
}

/// The person an assignment is made to, as the checks and the notice need them.
struct Assignee {
    name: String,
    email: String,
    departed: bool,
}

async fn assign_role(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: AssignmentInput,
    today: Date,
) -> StoreResult<Assignment> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let (role, person) = check_assignment(&mut tx, &input).await?;
    check_granting(&mut tx, by, &role, &input).await?;
    let exception = check_segregation(&mut tx, &input, &person.name).await?;
    let id = Uuid::now_v7();
    insert_assignment(&mut tx, id, by, &input, exception).await?;
    let assignment = get_assignment_in(&mut *tx, id, today).await?;
    let written = if person.email.is_empty() {
        Vec::new()
    } else {
        let mail = assignment_notice(&assignment, &role, &person.email);
        insert_mails(&mut tx, std::slice::from_ref(&mail)).await?
    };
    let actor = account_actor(by);
    let mut events = vec![NewAuditEvent::for_record(
        &actor,
        "role_assignment.created",
        "role_assignment",
        id,
        &assignment,
    )];
    events.extend(mail_queued_event(&actor, &written));
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(assignment)
}

/// Delegations of an ending assignment end with it: those starting after its last day are
/// revoked, the others cut back to it (accountability cannot outlast the role).
async fn end_delegations(tx: &mut Tx, assignment_id: Uuid, last_day: Date) -> StoreResult<()> {
    sqlx::query(
        "UPDATE delegations SET revoked_at = $3
         WHERE assignment_id = $1 AND starts_on > $2 AND revoked_at IS NULL",
    )
    .bind(assignment_id)
    .bind(last_day)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE delegations SET ends_on = $2
         WHERE assignment_id = $1 AND ends_on > $2 AND starts_on <= $2",
    )
    .bind(assignment_id)
    .bind(last_day)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A role that grants a tool role hands out permissions, so only an admin (roles re-read now)
/// assigns it, and never to themselves: an ISMS manager cannot make anyone top management.
async fn check_granting(
    tx: &mut Tx,
    by: &Account,
    role: &OrgRole,
    input: &AssignmentInput,
) -> StoreResult<()> {
    let Some(granted) = role.grants else {
        return Ok(());
    };
    let assigner = roles_now(tx, by).await?;
    if !assigner.has_role(Role::Admin) {
        return Err(StoreError::Forbidden(format!(
            "\"{}\" grants the {} tool role, so only an admin may assign it",
            role.name,
            granted.as_str().replace('_', " ")
        )));
    }
    if input.person_id == by.person_id {
        return Err(StoreError::Forbidden(format!(
            "\"{}\" grants the {} tool role; another admin must assign it to you",
            role.name,
            granted.as_str().replace('_', " ")
        )));
    }
    Ok(())
}

/// The role, the person (known, not departed) and the unit of the scope, checked together.
async fn check_assignment(
    tx: &mut Tx,
    input: &AssignmentInput,
) -> StoreResult<(OrgRole, Assignee)> {
    let mut errors = FieldErrors::new();
    let role = match get_role_in(&mut **tx, input.role_id).await {
        Ok(role) => Some(role),
        Err(StoreError::NotFound(_)) => {
            errors.add("role_id", "is not a role of the catalog");
            None
        }
        Err(other) => return Err(other),
    };
    let person = sqlx::query("SELECT name, email, status FROM people WHERE id = $1")
        .bind(input.person_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| -> Result<Assignee, sqlx::Error> {
            Ok(Assignee {
                name: row.try_get("name")?,
                email: row.try_get("email")?,
                departed: row.try_get::<String, _>("status")? == "departed",
            })
        })
        .transpose()?;
    match &person {
        None => errors.add("person_id", "is not a known person"),
        Some(p) if p.departed => errors.add(
            "person_id",
            format!("{} has departed and cannot take on a role", p.name),
        ),
        Some(_) => {}
    }
    if let Some(unit) = input.scope.unit_id()
        && !exists(tx, "units", unit).await?
    {
        errors.add("scope.unit_id", "is not a known unit");
    }
    errors.into_result().map_err(StoreError::Invalid)?;
    match (role, person) {
        (Some(role), Some(person)) => Ok((role, person)),
        _ => Err(StoreError::NotFound("role or person")),
    }
}

/// Refuses an assignment that would put the person in conflict under a segregation rule, unless
/// the exception named covers it; returns the exception that did.
async fn check_segregation(
    tx: &mut Tx,
    input: &AssignmentInput,
    person_name: &str,
) -> StoreResult<Option<Uuid>> {
    let pairs = conflicting_pairs_in(tx).await?;
    if pairs.is_empty() {
        return Ok(None);
    }
    let held = roles_held_during(tx, input).await?;
    let broken = crate::domain::sod::pairs_broken_by(&pairs, &held, input.role_id);
    if broken.is_empty() {
        return Ok(None);
    }
    let covered_rule = match input.sod_exception_id {
        Some(exception) => exception_rule(tx, exception, input).await?,
        None => None,
    };
    match broken.iter().find(|p| Some(p.rule_id) != covered_rule) {
        Some(pair) => {
            Err(segregation_refusal(tx, pair, person_name, input.sod_exception_id).await?)
        }
        None => Ok(input.sod_exception_id),
    }
}

/// The roles the person holds on some day of the new tenure.
async fn roles_held_during(tx: &mut Tx, input: &AssignmentInput) -> StoreResult<Vec<Uuid>> {
    let rows = sqlx::query(
        "SELECT DISTINCT role_id FROM role_assignments
         WHERE person_id = $1 AND (ends_on IS NULL OR ends_on >= $2)
           AND ($3 IS NULL OR starts_on <= $3)",
    )
    .bind(input.person_id)
    .bind(input.starts_on)
    .bind(input.ends_on)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get("role_id"))
        .collect::<Result<_, _>>()?)
}

/// The rule an exception lets this person break from the start date: approved, theirs, and not
/// expired on the first day of the assignment. 422 when no such exception exists at all.
async fn exception_rule(
    tx: &mut Tx,
    id: Uuid,
    input: &AssignmentInput,
) -> StoreResult<Option<Uuid>> {
    let row = sqlx::query(
        "SELECT rule_id, person_id, decision, expires_on FROM sod_exceptions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| {
        StoreError::Invalid(FieldErrors::single(
            "sod_exception_id",
            "is not a known segregation-of-duties exception",
        ))
    })?;
    let person: Uuid = row.try_get("person_id")?;
    let decision: String = row.try_get("decision")?;
    let expires_on: Date = row.try_get("expires_on")?;
    let covers =
        person == input.person_id && decision == "approved" && expires_on >= input.starts_on;
    Ok(if covers {
        Some(row.try_get("rule_id")?)
    } else {
        None
    })
}

/// "Alice Ng would hold 'Internal auditor' and 'Risk owner', which a segregation-of-duties rule
/// keeps apart (why); ask top management for an exception first".
async fn segregation_refusal(
    tx: &mut Tx,
    pair: &RolePair,
    person_name: &str,
    exception: Option<Uuid>,
) -> StoreResult<StoreError> {
    let rationale: String = sqlx::query("SELECT rationale FROM sod_rules WHERE id = $1")
        .bind(pair.rule_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("rationale")?;
    let name_a = role_name_in(tx, pair.role_a).await?;
    let holds = if pair.role_a == pair.role_b {
        format!("'{name_a}', whose two duties")
    } else {
        let name_b = role_name_in(tx, pair.role_b).await?;
        format!("'{name_a}' and '{name_b}', which")
    };
    let remedy = if exception.is_some() {
        "the exception given does not cover it (it must be approved, for this person and this \
         rule, and not expired on the start date); an approved segregation-of-duties exception \
         from top management is needed"
    } else {
        "ask top management for an approved segregation-of-duties exception first"
    };
    Ok(StoreError::Conflict(format!(
        "{person_name} would hold {holds} a segregation-of-duties rule keeps apart \
         ({rationale}); {remedy}"
    )))
}

async fn role_name_in(tx: &mut Tx, id: Uuid) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT name FROM org_roles WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("name")
}

async fn insert_assignment(
    tx: &mut Tx,
    id: Uuid,
    by: &Account,
    input: &AssignmentInput,
    exception: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO role_assignments (id, role_id, person_id, scope_kind, scope_unit_id,
            scope_name, deputy, starts_on, ends_on, reason, assigned_by, sod_exception_id,
            created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id)
    .bind(input.role_id)
    .bind(input.person_id)
    .bind(input.scope.kind())
    .bind(input.scope.unit_id())
    .bind(input.scope.name())
    .bind(input.deputy)
    .bind(input.starts_on)
    .bind(input.ends_on)
    .bind(input.reason.as_str())
    .bind(by.id)
    .bind(exception)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The notice telling the holder what they now hold and where to acknowledge it.
fn assignment_notice(assignment: &Assignment, role: &OrgRole, email: &str) -> NewMail {
    let until = assignment
        .ends_on
        .map(|end| format!(" until {end}"))
        .unwrap_or_default();
    let deputy = if assignment.deputy { " as deputy" } else { "" };
    let body = format!(
        "Hello {name},\n\n\
         {by} assigned you the role \"{role}\"{deputy} from {start}{until}.\n\
         Why: {reason}\n\n\
         {statement}\n\
         Please read it and acknowledge it in Charter (you will be asked to sign in):\n\
         /roles/assignments/{id}\n\n\
         This notice was sent by Charter for your information security management system.\n",
        name = assignment.person_name,
        by = assignment.assigned_by_name,
        role = role.name,
        start = assignment.starts_on,
        reason = assignment.reason,
        statement = role_lists(role),
        id = assignment.id,
    );
    NewMail {
        kind: MailKind::Notice,
        dedupe_key: format!("role-assigned:{}", assignment.id),
        to_person_id: Some(assignment.person_id),
        to_address: email.to_owned(),
        subject: format!("You hold a new role: {}", role.name),
        body,
        campaign_id: None,
        communication_id: None,
    }
}

/// The role's responsibilities and authorities as bulleted lists.
fn role_lists(role: &OrgRole) -> String {
    let bullets =
        |items: &[String]| -> String { items.iter().map(|item| format!("- {item}\n")).collect() };
    format!(
        "Responsibilities:\n{}\nAuthorities:\n{}",
        bullets(&role.responsibilities),
        bullets(&role.authorities)
    )
}

async fn end_assignment(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    end: AssignmentEnd,
    today: Date,
) -> StoreResult<Assignment> {
    let reason = end.reason.trim().to_owned();
    if reason.chars().count() > 2000 {
        return Err(StoreError::Invalid(FieldErrors::single(
            "reason",
            "must be at most 2000 characters",
        )));
    }
    let mut tx = begin_write(pool).await?;
    let current = get_assignment_in(&mut *tx, id, today).await?;
    if let Some(ended) = current.ends_on.filter(|day| *day < today) {
        return Err(StoreError::Conflict(format!(
            "this assignment already ended on {ended}"
        )));
    }
    if end.ends_on < current.starts_on {
        return Err(StoreError::Invalid(FieldErrors::single(
            "ends_on",
            format!("is before the assignment starts ({})", current.starts_on),
        )));
    }
    if let Some(planned) = current.ends_on.filter(|day| end.ends_on > *day) {
        return Err(StoreError::Invalid(FieldErrors::single(
            "ends_on",
            format!(
                "is after the planned end ({planned}): an assignment is ended, not extended; \
                 assign the role again"
            ),
        )));
    }
    end_delegations(&mut tx, id, end.ends_on).await?;
    sqlx::query("UPDATE role_assignments SET ends_on = $2, end_reason = $3 WHERE id = $1")
        .bind(id)
        .bind(end.ends_on)
        .bind(Some(reason).filter(|r| !r.is_empty()))
        .execute(&mut *tx)
        .await?;
    let assignment = get_assignment_in(&mut *tx, id, today).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "role_assignment.ended",
            "role_assignment",
            id,
            &assignment,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(assignment)
}

async fn get_assignment(pool: &sqlx::Pool<Db>, id: Uuid, today: Date) -> StoreResult<Assignment> {
    get_assignment_in(pool, id, today).await
}

fn assignment_conditions(filter: &AssignmentFilter) -> Conditions {
    let mut conditions = Conditions::default();
    if let Some(role) = filter.role_id {
        conditions.add("ra.role_id = {}", Arg::Uuid(role));
    }
    if let Some(person) = filter.person_id {
        conditions.add("ra.person_id = {}", Arg::Uuid(person));
    }
    if let Some(day) = filter.on {
        conditions.add(HELD_ON, Arg::Date(day));
    }
    if filter.unacknowledged {
        conditions.add_fixed("ra.acknowledged_at IS NULL");
    }
    conditions
}

async fn list_assignments(
    pool: &sqlx::Pool<Db>,
    filter: &AssignmentFilter,
    today: Date,
    page: PageRequest,
) -> StoreResult<Page<Assignment>> {
    let found = fetch_page(
        pool,
        ASSIGNMENT_FROM,
        ASSIGNMENT_COLUMNS,
        "ra.starts_on DESC, p.name, ra.id",
        &assignment_conditions(filter),
        page,
        assignment_from_row,
    )
    .await?;
    Ok(Page {
        items: found.items.into_iter().map(|a| dated(a, today)).collect(),
        ..found
    })
}

async fn role_holders(
    pool: &sqlx::Pool<Db>,
    role_id: Uuid,
    on: Date,
    today: Date,
) -> StoreResult<RoleHolders> {
    let role = get_role_in(pool, role_id).await?;
    let sql = format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM {ASSIGNMENT_FROM} WHERE ra.role_id = $1 AND {}
         ORDER BY ra.deputy, p.name, ra.starts_on, ra.id",
        HELD_ON.replace("{}", "$2")
    );
    let rows = dynamic(sql).bind(role_id).bind(on).fetch_all(pool).await?;
    let holders = rows
        .iter()
        .map(|r| assignment_from_row(r).map(|a| dated(a, today)))
        .collect::<Result<_, _>>()?;
    Ok(RoleHolders {
        role_id,
        role_name: role.name,
        on,
        holders,
    })
}

async fn acknowledge_assignment(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    today: Date,
) -> StoreResult<Assignment> {
    let mut tx = begin_write(pool).await?;
    let current = get_assignment_in(&mut *tx, id, today).await?;
    if current.person_id != by.person_id {
        return Err(StoreError::Forbidden(format!(
            "only {} can acknowledge this role; nobody acknowledges a role for someone else",
            current.person_name
        )));
    }
    if current.acknowledged_at.is_some() {
        return Ok(current);
    }
    if current.state == TenureState::Ended {
        return Err(StoreError::Conflict(
            "this assignment has ended; there is nothing left to acknowledge".into(),
        ));
    }
    let role = get_role_in(&mut *tx, current.role_id).await?;
    let statement = role_statement(&role.name, &role.responsibilities, &role.authorities);
    sqlx::query(
        "UPDATE role_assignments SET acknowledged_at = $2, acknowledged_by = $3,
            acknowledged_statement = $4
         WHERE id = $1 AND acknowledged_at IS NULL",
    )
    .bind(id)
    .bind(now())
    .bind(by.id)
    .bind(statement.as_str())
    .execute(&mut *tx)
    .await?;
    let assignment = get_assignment_in(&mut *tx, id, today).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            &account_actor(by),
            "role_assignment.acknowledged",
            "role_assignment",
            id,
            &assignment,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(assignment)
}

async fn person_assignments(
    pool: &sqlx::Pool<Db>,
    person_id: Uuid,
    today: Date,
) -> StoreResult<Vec<Assignment>> {
    let sql = format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM {ASSIGNMENT_FROM}
         WHERE ra.person_id = $1 AND (ra.ends_on IS NULL OR ra.ends_on >= $2)
         ORDER BY CASE WHEN ra.starts_on <= $2 THEN 0 ELSE 1 END, ra.starts_on, o.position,
            o.name, ra.id"
    );
    let rows = dynamic(sql)
        .bind(person_id)
        .bind(today)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .iter()
        .map(|r| assignment_from_row(r).map(|a| dated(a, today)))
        .collect::<Result<_, _>>()?)
}

async fn current_role_names(
    pool: &sqlx::Pool<Db>,
    person_ids: &[Uuid],
    today: Date,
) -> StoreResult<HashMap<Uuid, Vec<String>>> {
    let mut names: HashMap<Uuid, Vec<String>> = HashMap::new();
    for chunk in person_ids.chunks(500) {
        let placeholders: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT ra.person_id, o.name FROM role_assignments ra
                JOIN org_roles o ON o.id = ra.role_id
             WHERE ra.person_id IN ({}) AND {}
             ORDER BY o.position, o.name",
            placeholders.join(", "),
            HELD_ON.replace("{}", "$1")
        );
        let mut query = dynamic(sql).bind(today);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(pool).await? {
            let held = names.entry(row.try_get("person_id")?).or_default();
            let name: String = row.try_get("name")?;
            if !held.contains(&name) {
                held.push(name);
            }
        }
    }
    Ok(names)
}

/// For each role held today by people who have not departed: how many hold it, and the first
/// names in name order, in one statement (a count per role, and the names ranked per role).
/// Counts come from the assignments' index alone (distinct people holding each role today) less
/// the departed ones, found through the small index of departed people (CROSS JOIN keeps SQLite
/// from starting at the assignments); the names are those of
/// the first holders in id order, so no query reads all holders' rows.
async fn role_holder_summaries(
    pool: &sqlx::Pool<Db>,
    today: Date,
    role_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, HolderSummary>> {
    let mut summaries: HashMap<Uuid, HolderSummary> = HashMap::new();
    for chunk in role_ids.chunks(500) {
        let roles: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let roles = roles.join(", ");
        let held = HELD_ON.replace("{}", "$1");
        let counts = format!(
            "SELECT ra.role_id, COUNT(DISTINCT ra.person_id) AS n, 0 AS departed
             FROM role_assignments ra WHERE ra.role_id IN ({roles}) AND {held} GROUP BY ra.role_id
             UNION ALL
             SELECT ra.role_id, 0 AS n, COUNT(DISTINCT ra.person_id) AS departed
             FROM people p CROSS JOIN role_assignments ra
             WHERE ra.person_id = p.id AND p.status = 'departed' AND ra.role_id IN ({roles}) AND {held}
             GROUP BY ra.role_id"
        );
        for row in bind_roles(dynamic(counts), today, chunk)
            .fetch_all(pool)
            .await?
        {
            let summary = summaries.entry(row.try_get("role_id")?).or_default();
            summary.count += row.try_get::<i64, _>("n")? - row.try_get::<i64, _>("departed")?;
        }
        let names = format!(
            "SELECT f.role_id, p.name FROM (
                SELECT role_id, person_id,
                    ROW_NUMBER() OVER (PARTITION BY role_id ORDER BY person_id) AS k
                FROM role_assignments ra WHERE ra.role_id IN ({roles}) AND {held}) f
             JOIN people p ON p.id = f.person_id
             WHERE f.k <= {first} AND p.status <> 'departed'
             ORDER BY f.role_id, f.k",
            first = HolderSummary::NAMES * 4,
        );
        for row in bind_roles(dynamic(names), today, chunk)
            .fetch_all(pool)
            .await?
        {
            if let Some(summary) = summaries.get_mut(&row.try_get::<Uuid, _>("role_id")?) {
                let name: String = row.try_get("name")?;
                if summary.names.len() < HolderSummary::NAMES && !summary.names.contains(&name) {
                    summary.names.push(name);
                }
            }
        }
    }
    summaries.retain(|_, s| s.count > 0);
    for summary in summaries.values_mut() {
        summary.names.sort();
    }
    Ok(summaries)
}

fn bind_roles<'q>(query: DbQuery<'q>, today: Date, roles: &[Uuid]) -> DbQuery<'q> {
    roles
        .iter()
        .fold(query.bind(today), |query, id| query.bind(*id))
}

async fn add_competence_evidence(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    assignment_id: Uuid,
    input: CompetenceEvidenceInput,
    today: Date,
) -> StoreResult<CompetenceEvidence> {
    let input = input.validate(today).map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    if !exists(&mut tx, "role_assignments", assignment_id).await? {
        return Err(StoreError::NotFound("assignment"));
    }
    let evidence = CompetenceEvidence {
        id: Uuid::now_v7(),
        assignment_id,
        kind: input.kind,
        description: input.description,
        obtained_on: input.obtained_on,
        expires_on: input.expires_on,
        recorded_by: by.id,
        recorded_at: now(),
    };
    sqlx::query(
        "INSERT INTO competence_evidence (id, assignment_id, kind, description, obtained_on,
            expires_on, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(evidence.id)
    .bind(assignment_id)
    .bind(evidence.kind.as_str())
    .bind(evidence.description.as_str())
    .bind(evidence.obtained_on)
    .bind(evidence.expires_on)
    .bind(by.id)
    .bind(evidence.recorded_at)
    .execute(&mut *tx)
    .await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            &account_actor(by),
            "competence_evidence.recorded",
            "competence_evidence",
            evidence.id,
            &evidence,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(evidence)
}

async fn competence_evidence(
    pool: &sqlx::Pool<Db>,
    assignment_id: Uuid,
) -> StoreResult<Vec<CompetenceEvidence>> {
    let rows = sqlx::query(
        "SELECT id, assignment_id, kind, description, obtained_on, expires_on, recorded_by,
            recorded_at
         FROM competence_evidence WHERE assignment_id = $1
         ORDER BY obtained_on DESC, recorded_at DESC, id",
    )
    .bind(assignment_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(evidence_from_row)
        .collect::<Result<_, _>>()?)
}

fn evidence_from_row(row: &DbRow) -> Result<CompetenceEvidence, sqlx::Error> {
    Ok(CompetenceEvidence {
        id: row.try_get("id")?,
        assignment_id: row.try_get("assignment_id")?,
        kind: parse_column(row, "kind")?,
        description: row.try_get("description")?,
        obtained_on: row.try_get("obtained_on")?,
        expires_on: row.try_get("expires_on")?,
        recorded_by: row.try_get("recorded_by")?,
        recorded_at: row.try_get("recorded_at")?,
    })
}
