// Shared SQL that installs the standard catalog (`domain::standard_catalog`) into an empty one.

/// The migration that creates the catalog's tables: a run that applies it installs the catalog.
const ROLE_CATALOG_MIGRATION: i64 = 5;

/// What the installer wrote, the record of its audit event.
#[derive(Debug, serde::Serialize)]
struct CatalogCounts {
    roles: usize,
    activities: usize,
    raci_cells: usize,
    sod_rules: usize,
    escalation_steps: usize,
}

async fn install_standard_catalog(pool: &sqlx::Pool<Db>, actor: &Actor) -> StoreResult<bool> {
    let mut tx = begin_write(pool).await?;
    if BACKEND == Backend::Postgres {
        // Reads go on; a second installer or a new role waits for this one to commit.
        sqlx::query("LOCK TABLE org_roles IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    let roles: i64 = sqlx::query("SELECT COUNT(*) FROM org_roles")
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    if roles > 0 {
        return Ok(false);
    }
    let counts = write_standard_catalog(&mut tx).await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "role_catalog.installed",
            "role_catalog",
            "standard",
            &counts,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Writes every part of the standard catalog, resolving the names it uses to the new ids.
async fn write_standard_catalog(tx: &mut Tx) -> StoreResult<CatalogCounts> {
    use crate::domain::standard_catalog::{ACTIVITIES, ESCALATION_PATHS, ROLES, SOD_RULES};
    let at = now();
    let mut role_ids: HashMap<&str, Uuid> = HashMap::new();
    for (position, role) in (1_i32..).zip(ROLES) {
        let id = Uuid::now_v7();
        let input = role.input().validate().map_err(StoreError::Invalid)?;
        let insert = sqlx::query(
            "INSERT INTO org_roles (id, name, category, purpose, responsibilities, authorities,
                competence, required, critical, conformance_owner, performance_reporter, grants,
                position, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
        );
        bind_role_fields(insert.bind(id), &input)
            .bind(position)
            .bind(at)
            .execute(&mut **tx)
            .await?;
        role_ids.insert(role.name, id);
    }
    let mut activity_ids: HashMap<&str, Uuid> = HashMap::new();
    let mut cells = Vec::new();
    for (position, activity) in (1_i32..).zip(ACTIVITIES) {
        let id = Uuid::now_v7();
        insert_activity(tx, id, activity.name, activity.description, position, at).await?;
        activity_ids.insert(activity.name, id);
        for (role, duty) in activity.duties {
            cells.push(RaciCell {
                activity_id: id,
                role_id: catalog_id(&role_ids, role)?,
                duty: *duty,
            });
        }
    }
    insert_cells(tx, &cells).await?;
    for rule in SOD_RULES {
        let conflict = resolve_conflict(&rule.conflict, &role_ids, &activity_ids)?;
        insert_sod_rule(tx, Uuid::now_v7(), &conflict, rule.rationale, at).await?;
    }
    let mut steps = 0;
    for path in ESCALATION_PATHS {
        let roles = path
            .roles
            .iter()
            .map(|name| catalog_id(&role_ids, name))
            .collect::<StoreResult<Vec<_>>>()?;
        insert_escalation_steps(tx, path.matter, &roles).await?;
        steps += roles.len();
    }
    Ok(CatalogCounts {
        roles: ROLES.len(),
        activities: ACTIVITIES.len(),
        raci_cells: cells.len(),
        sod_rules: SOD_RULES.len(),
        escalation_steps: steps,
    })
}

/// The id a name of the standard catalog got (its own test checks every name exists).
fn catalog_id(ids: &HashMap<&str, Uuid>, name: &str) -> StoreResult<Uuid> {
    ids.get(name).copied().ok_or_else(|| {
        StoreError::Config(format!(
            "the standard catalog names an unknown entry '{name}'"
        ))
    })
}

fn resolve_conflict(
    conflict: &crate::domain::standard_catalog::CatalogConflict,
    roles: &HashMap<&str, Uuid>,
    activities: &HashMap<&str, Uuid>,
) -> StoreResult<SodConflict> {
    use crate::domain::standard_catalog::CatalogConflict;
    Ok(match *conflict {
        CatalogConflict::Roles(a, b) => SodConflict::Roles {
            role_a: catalog_id(roles, a)?,
            role_b: catalog_id(roles, b)?,
        },
        CatalogConflict::Duties((duty_a, a), (duty_b, b)) => SodConflict::Duties {
            activity_a: catalog_id(activities, a)?,
            duty_a,
            activity_b: catalog_id(activities, b)?,
            duty_b,
        },
    })
}
