// Shared SQL for escalation paths resolved to today's holders, and the gaps in role allocation.

/// An assignment `a` held on `$1`.
const HELD_ON_1: &str = "a.starts_on <= $1 AND (a.ends_on IS NULL OR a.ends_on >= $1)";

/// SQL true when an active person holds `role` on `$1` (only as a deputy when `deputy`).
fn active_holder_exists(role: &str, deputy: bool) -> String {
    format!(
        "EXISTS (SELECT 1 FROM role_assignments a JOIN people p ON p.id = a.person_id
            WHERE a.role_id = {role} AND {HELD_ON_1} AND p.status = 'active'{})",
        if deputy { " AND a.deputy" } else { "" }
    )
}

async fn escalation_paths(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<Vec<EscalationPath>> {
    let mut tx = begin_snapshot(pool).await?;
    let paths = escalation_paths_in(&mut tx, today).await?;
    tx.commit().await?;
    Ok(paths)
}

/// Every matter with its steps in order, each with the holders of its role today who have not
/// departed (main holders first, then deputies, by name).
async fn escalation_paths_in(tx: &mut Tx, today: Date) -> StoreResult<Vec<EscalationPath>> {
    let steps = sqlx::query(
        "SELECT s.matter, s.role_id, r.name FROM escalation_steps s
         JOIN org_roles r ON r.id = s.role_id ORDER BY s.matter, s.position",
    )
    .fetch_all(&mut **tx)
    .await?;
    let contacts = dynamic(format!(
        "SELECT a.role_id, a.deputy, p.id, p.name, p.email FROM role_assignments a
         JOIN people p ON p.id = a.person_id
         WHERE a.role_id IN (SELECT role_id FROM escalation_steps) AND {HELD_ON_1}
           AND p.status <> 'departed'
         ORDER BY a.deputy, p.name, p.id"
    ))
    .bind(today)
    .fetch_all(&mut **tx)
    .await?;
    let mut holders: HashMap<Uuid, Vec<Contact>> = HashMap::new();
    for row in &contacts {
        let list = holders.entry(row.try_get("role_id")?).or_default();
        let person_id: Uuid = row.try_get("id")?;
        if list.iter().any(|c| c.person_id == person_id) {
            continue;
        }
        list.push(Contact {
            person_id,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            deputy: row.try_get("deputy")?,
        });
    }
    let mut paths: Vec<EscalationPath> = Matter::ALL
        .iter()
        .map(|&matter| EscalationPath {
            matter,
            steps: Vec::new(),
        })
        .collect();
    for row in &steps {
        let matter: Matter = parse_column(row, "matter")?;
        let role_id: Uuid = row.try_get("role_id")?;
        if let Some(path) = paths.iter_mut().find(|p| p.matter == matter) {
            path.steps.push(EscalationStep {
                role_id,
                role_name: row.try_get("name")?,
                contacts: holders.get(&role_id).cloned().unwrap_or_default(),
            });
        }
    }
    Ok(paths)
}

async fn set_escalation_path(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    matter: Matter,
    input: EscalationPathInput,
    today: Date,
) -> StoreResult<EscalationPath> {
    let input = input.validate().map_err(StoreError::Invalid)?;
    let mut tx = begin_write(pool).await?;
    let found = existing_ids(&mut tx, "org_roles", &input.role_ids).await?;
    if found.len() < input.role_ids.len() {
        return Err(StoreError::Invalid(FieldErrors::single(
            "role_ids",
            "names a role that is not in the catalog",
        )));
    }
    sqlx::query("DELETE FROM escalation_steps WHERE matter = $1")
        .bind(matter.as_str())
        .execute(&mut *tx)
        .await?;
    insert_escalation_steps(&mut tx, matter, &input.role_ids).await?;
    let path = escalation_paths_in(&mut tx, today)
        .await?
        .into_iter()
        .find(|p| p.matter == matter)
        .ok_or(StoreError::NotFound("escalation path"))?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "escalation_path.changed",
            "escalation_path",
            matter.as_str(),
            &(matter, &input.role_ids),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(path)
}

/// Writes a matter's steps, first contact first.
async fn insert_escalation_steps(
    tx: &mut Tx,
    matter: Matter,
    roles: &[Uuid],
) -> Result<(), sqlx::Error> {
    if roles.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO escalation_steps (matter, position, role_id) VALUES {}",
        values_placeholders(PLACEHOLDERS, roles.len(), 3)
    );
    let mut query = dynamic(sql);
    for (position, role) in (1_i32..).zip(roles) {
        query = query.bind(matter.as_str()).bind(position).bind(*role);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

async fn role_gaps(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<RoleGaps> {
    let mut tx = begin_snapshot(pool).await?;
    let catalog = catalog_order(&mut tx).await?;
    let activities = activity_gaps(&mut tx, today).await?;
    let ending_by = today + time::Duration::days(crate::domain::role_gaps::ENDING_SOON_DAYS);
    let gaps = RoleGaps {
        on: today,
        vacant_required: role_gap_list(&mut tx, "r.required", false, today).await?,
        critical_without_deputy: role_gap_list(&mut tx, "r.critical", true, today).await?,
        named_duties_unassigned: named_duties_unassigned(&mut tx, today).await?,
        activities_without_accountable: activities.without_accountable,
        accountable_not_held: activities.accountable_not_held,
        activities_without_responsible: activities.without_responsible,
        departed_holders: gaps_by_role(&mut tx, ByRole::Departed, &catalog, today).await?,
        ending_soon: ending_soon(&mut tx, today, ending_by).await?,
        unacknowledged: gaps_by_role(&mut tx, ByRole::Unacknowledged, &catalog, today).await?,
        lapsed_competence: gaps_by_role(&mut tx, ByRole::LapsedCompetence, &catalog, today).await?,
    };
    tx.commit().await?;
    Ok(gaps)
}

/// Roles in catalog order.
async fn catalog_order(tx: &mut Tx) -> StoreResult<Vec<RaciRole>> {
    Ok(
        sqlx::query("SELECT id, name FROM org_roles ORDER BY position, name, id")
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|row| {
                Ok(RaciRole {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
    )
}

/// Roles matching `flag` that no active person holds today (as a deputy, when `deputy`).
async fn role_gap_list(
    tx: &mut Tx,
    flag: &str,
    deputy: bool,
    today: Date,
) -> StoreResult<Vec<RoleGap>> {
    let sql = format!(
        "SELECT r.id, r.name FROM org_roles r WHERE {flag} AND NOT {}
         ORDER BY r.position, r.name, r.id",
        active_holder_exists("r.id", deputy)
    );
    let rows = dynamic(sql).bind(today).fetch_all(&mut **tx).await?;
    Ok(rows
        .iter()
        .map(|row| {
            Ok(RoleGap {
                role_id: row.try_get("id")?,
                role_name: row.try_get("name")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

/// `conformance_owner` and `performance_reporter` when no role carries the flag or no active
/// person holds the role that does.
async fn named_duties_unassigned(tx: &mut Tx, today: Date) -> StoreResult<Vec<String>> {
    let sql = format!(
        "SELECT r.conformance_owner, r.performance_reporter, {} AS held FROM org_roles r
         WHERE r.conformance_owner OR r.performance_reporter",
        active_holder_exists("r.id", false)
    );
    let rows = dynamic(sql).bind(today).fetch_all(&mut **tx).await?;
    let mut unassigned = Vec::new();
    for flag in ["conformance_owner", "performance_reporter"] {
        let mut held = false;
        for row in &rows {
            if row.try_get::<bool, _>(flag)? && row.try_get::<bool, _>("held")? {
                held = true;
            }
        }
        if !held {
            unassigned.push(flag.to_owned());
        }
    }
    Ok(unassigned)
}

struct ActivityGaps {
    without_accountable: Vec<ActivityGap>,
    accountable_not_held: Vec<ActivityGap>,
    without_responsible: Vec<ActivityGap>,
}

/// Each activity with its Accountable role, whether an active person holds that role today,
/// and whether any role is Responsible; sorted into the three activity gaps.
async fn activity_gaps(tx: &mut Tx, today: Date) -> StoreResult<ActivityGaps> {
    let sql = format!(
        "SELECT act.id, act.name, c.role_id, r.name AS role_name,
            EXISTS (SELECT 1 FROM raci_cells rc
                    WHERE rc.activity_id = act.id AND rc.duty = 'responsible') AS has_responsible,
            {} AS accountable_held
         FROM isms_activities act
         LEFT JOIN raci_cells c ON c.activity_id = act.id AND c.duty = 'accountable'
         LEFT JOIN org_roles r ON r.id = c.role_id
         ORDER BY act.position, act.name, act.id",
        active_holder_exists("c.role_id", false)
    );
    let rows = dynamic(sql).bind(today).fetch_all(&mut **tx).await?;
    let mut gaps = ActivityGaps {
        without_accountable: Vec::new(),
        accountable_not_held: Vec::new(),
        without_responsible: Vec::new(),
    };
    for row in &rows {
        let gap = ActivityGap {
            activity_id: row.try_get("id")?,
            activity_name: row.try_get("name")?,
            role_id: row.try_get("role_id")?,
            role_name: row.try_get("role_name")?,
        };
        if !row.try_get::<bool, _>("has_responsible")? {
            gaps.without_responsible.push(gap.clone());
        }
        if gap.role_id.is_none() {
            gaps.without_accountable.push(gap);
        } else if !row.try_get::<bool, _>("accountable_held")? {
            gaps.accountable_not_held.push(gap);
        }
    }
    Ok(gaps)
}

/// Competence evidence `ce` valid on `$1`.
const EVIDENCE_VALID_ON_1: &str =
    "ce.obtained_on <= $1 AND (ce.expires_on IS NULL OR ce.expires_on >= $1)";

/// Roles that state the competence their holders need.
const COMPETENCE_ROLES: &str = "(SELECT id FROM org_roles WHERE competence <> '')";

/// The lists of current assignments with a gap that are counted per role and listed in catalog
/// order, longest-held first within a role. An assignment of someone who departed is listed
/// under `Departed` and, until it is handed over, under the others too.
#[derive(Debug, Clone, Copy)]
enum ByRole {
    /// Held by someone who has departed.
    Departed,
    /// Not acknowledged by the holder.
    Unacknowledged,
    /// Of a role that states a competence, with no evidence valid today.
    LapsedCompetence,
}

impl ByRole {
    /// The condition on the current assignment `a`; `$1` is today.
    fn condition(self) -> String {
        match self {
            ByRole::Departed => {
                "a.person_id IN (SELECT id FROM people WHERE status = 'departed')".to_owned()
            }
            ByRole::Unacknowledged => "a.acknowledged_at IS NULL".to_owned(),
            ByRole::LapsedCompetence => format!(
                "a.role_id IN {COMPETENCE_ROLES} AND NOT EXISTS (SELECT 1 FROM competence_evidence ce
                    WHERE ce.assignment_id = a.id AND {EVIDENCE_VALID_ON_1})"
            ),
        }
    }

    /// The date shown: the end of the tenure, or when the last evidence expired.
    fn on(self) -> &'static str {
        match self {
            ByRole::LapsedCompetence => {
                "(SELECT MAX(ce.expires_on) FROM competence_evidence ce
                  WHERE ce.assignment_id = a.id AND ce.expires_on < $1)"
            }
            _ => "a.ends_on",
        }
    }

    /// The assignments counted (`a`, current on `$1`, and what it is joined to).
    fn counted(self) -> String {
        match self {
            ByRole::Departed | ByRole::Unacknowledged => {
                format!("role_assignments a WHERE {}", self.condition())
            }
            // Less those with evidence valid today, counted separately.
            ByRole::LapsedCompetence => {
                format!("role_assignments a WHERE a.role_id IN {COMPETENCE_ROLES}")
            }
        }
    }

    /// How many per role, read from the indexes without visiting the assignments (the departed
    /// through their own few assignments); lapsed competence as the assignments of the roles
    /// that need it less those with evidence valid today.
    async fn counts(self, tx: &mut Tx, today: Date) -> StoreResult<HashMap<Uuid, i64>> {
        let sql = format!(
            "SELECT a.role_id, COUNT(*) AS n FROM {} AND {HELD_ON_1} GROUP BY a.role_id",
            self.counted()
        );
        let mut counts = role_counts(tx, &sql, today).await?;
        if let ByRole::LapsedCompetence = self {
            let with_evidence = format!(
                "SELECT a.role_id, COUNT(DISTINCT a.id) AS n
                 FROM competence_evidence ce JOIN role_assignments a ON a.id = ce.assignment_id
                 WHERE {EVIDENCE_VALID_ON_1} AND a.role_id IN {COMPETENCE_ROLES} AND {HELD_ON_1}
                 GROUP BY a.role_id"
            );
            for (role, n) in role_counts(tx, &with_evidence, today).await? {
                if let Some(count) = counts.get_mut(&role) {
                    *count -= n;
                }
            }
            counts.retain(|_, n| *n > 0);
        }
        Ok(counts)
    }
}

/// `role_id` and `n` of each row of `sql` (which binds today as `$1`).
async fn role_counts(tx: &mut Tx, sql: &str, today: Date) -> StoreResult<HashMap<Uuid, i64>> {
    let mut counts = HashMap::new();
    for row in dynamic(sql.to_owned())
        .bind(today)
        .fetch_all(&mut **tx)
        .await?
    {
        counts.insert(row.try_get("role_id")?, row.try_get("n")?);
    }
    Ok(counts)
}

/// The total of one kind of gap and its first `GAP_LIST_LIMIT` items: roles in catalog order,
/// read one role at a time until the list is full.
async fn gaps_by_role(
    tx: &mut Tx,
    kind: ByRole,
    catalog: &[RaciRole],
    today: Date,
) -> StoreResult<GapList<AssignmentGap>> {
    let counts = kind.counts(tx, today).await?;
    let mut list = GapList {
        total: counts.values().sum(),
        items: Vec::new(),
    };
    let listing = format!(
        "SELECT a.id, a.person_id, p.name, {on} AS on_date FROM role_assignments a
         JOIN people p ON p.id = a.person_id
         WHERE a.role_id = $2 AND {HELD_ON_1} AND {condition}
         ORDER BY a.starts_on, a.id LIMIT $3",
        on = kind.on(),
        condition = kind.condition(),
    );
    for role in catalog.iter().filter(|r| counts.contains_key(&r.id)) {
        let room = GAP_LIST_LIMIT.saturating_sub(list.items.len());
        if room == 0 {
            break;
        }
        let rows = dynamic(listing.clone())
            .bind(today)
            .bind(role.id)
            .bind(i64::try_from(room).unwrap_or(i64::MAX))
            .fetch_all(&mut **tx)
            .await?;
        for row in &rows {
            list.items.push(AssignmentGap {
                assignment_id: row.try_get("id")?,
                role_id: role.id,
                role_name: role.name.clone(),
                person_id: row.try_get("person_id")?,
                person_name: row.try_get("name")?,
                on: row.try_get("on_date")?,
            });
        }
    }
    Ok(list)
}

/// Current assignments that end by `until`, soonest first (the end-date index read in order).
async fn ending_soon(tx: &mut Tx, today: Date, until: Date) -> StoreResult<GapList<AssignmentGap>> {
    let condition = "a.ends_on >= $1 AND a.ends_on <= $2 AND a.starts_on <= $1";
    let total: i64 = dynamic(format!(
        "SELECT COUNT(*) FROM role_assignments a WHERE {condition}"
    ))
    .bind(today)
    .bind(until)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    let listing = format!(
        "SELECT x.id, x.role_id, r.name AS role_name, x.person_id, p.name AS person_name,
            x.ends_on
         FROM (SELECT a.id, a.role_id, a.person_id, a.ends_on FROM role_assignments a
               WHERE {condition} ORDER BY a.ends_on, a.id LIMIT {GAP_LIST_LIMIT}) x
         JOIN org_roles r ON r.id = x.role_id JOIN people p ON p.id = x.person_id
         ORDER BY x.ends_on, x.id"
    );
    let rows = dynamic(listing)
        .bind(today)
        .bind(until)
        .fetch_all(&mut **tx)
        .await?;
    let mut list = GapList {
        total,
        items: Vec::with_capacity(rows.len()),
    };
    for row in &rows {
        list.items.push(AssignmentGap {
            assignment_id: row.try_get("id")?,
            role_id: row.try_get("role_id")?,
            role_name: row.try_get("role_name")?,
            person_id: row.try_get("person_id")?,
            person_name: row.try_get("person_name")?,
            on: row.try_get("ends_on")?,
        });
    }
    Ok(list)
}
