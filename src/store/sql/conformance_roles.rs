// Loading the facts of the role and coverage rules (5.1.f, 5.1.h, 5.3.*, A.5.2–A.5.4, A.6.3):
// the catalog with whether each role is held, the RACI duties, segregation conflicts with their
// exceptions, departed and unacknowledged holders (the gap queries), unit heads with their
// line-manager assignments, and acknowledgment of the top-level policy by active staff per unit
// (one GROUP BY over the people; the campaign is looked up per person only when someone active
// was not asked). The four parts run concurrently, each on its own connection.

use role_facts_sql::load_role_facts;

/// The loader and its parts, apart from the rest of the store's shared SQL.
mod role_facts_sql {
    use super::*;
    use crate::domain::campaign::roll_up;
    use crate::domain::conformance::roles::{
        ActivityFact, CampaignRef, HeadAssignment, PolicyCoverageFacts, RoleFact, RoleFacts,
        SodConflictFact, SodExceptionFact, UnitCoverageFact, UnitHeadFact,
    };

    pub(super) async fn load_role_facts(store: &StoreImpl, today: Date) -> StoreResult<RoleFacts> {
        let pool = &store.pool;
        let (catalog, (sod_rules, sod_conflicts), org, coverage) = tokio::try_join!(
            catalog_part(pool, today),
            segregation_part(pool, today),
            units_part(pool, today),
            coverage_part(pool),
        )?;
        Ok(RoleFacts {
            roles: catalog.roles,
            activities: catalog.activities,
            sod_rules,
            sod_conflicts,
            departed_holders: catalog.departed,
            unacknowledged: catalog.unacknowledged,
            units: i64::try_from(org.units.len()).unwrap_or(i64::MAX),
            unit_heads: org.heads,
            coverage: coverage.map(|c| c.rolled_up(&org.units)),
        })
    }

    /// The catalog, the matrix and the assignments with a gap, read in one snapshot.
    struct CatalogPart {
        roles: Vec<RoleFact>,
        activities: Vec<ActivityFact>,
        departed: GapList<AssignmentGap>,
        unacknowledged: GapList<AssignmentGap>,
    }

    async fn catalog_part(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<CatalogPart> {
        let mut tx = begin_snapshot(pool).await?;
        let roles = roles_held(&mut tx, today).await?;
        let activities = activities_in(&mut *tx).await?;
        let cells = raci_cells_in(&mut *tx).await?;
        let catalog: Vec<RaciRole> = roles
            .iter()
            .map(|r| RaciRole {
                id: r.id,
                name: r.name.clone(),
            })
            .collect();
        let departed = gaps_by_role(&mut tx, ByRole::Departed, &catalog, today).await?;
        let unacknowledged = gaps_by_role(&mut tx, ByRole::Unacknowledged, &catalog, today).await?;
        tx.commit().await?;
        let roles_with = |activity: Uuid, duty: Duty| -> Vec<Uuid> {
            cells
                .iter()
                .filter(|c| c.activity_id == activity && c.duty == duty)
                .map(|c| c.role_id)
                .collect()
        };
        let activities = activities
            .into_iter()
            .map(|a| ActivityFact {
                accountable: roles_with(a.id, Duty::Accountable),
                responsible: roles_with(a.id, Duty::Responsible),
                id: a.id,
                name: a.name,
            })
            .collect();
        Ok(CatalogPart {
            roles,
            activities,
            departed,
            unacknowledged,
        })
    }

    /// Every role in catalog order, with whether an active person holds it on `today` (one
    /// EXISTS per role through the assignments' role index).
    async fn roles_held(tx: &mut Tx, today: Date) -> StoreResult<Vec<RoleFact>> {
        let sql = format!(
            "SELECT r.id, r.name, r.category, r.required, r.responsibilities, r.authorities,
                r.conformance_owner, {} AS held
             FROM org_roles r ORDER BY r.position, r.name, r.id",
            active_holder_exists("r.id", false)
        );
        let rows = dynamic(sql).bind(today).fetch_all(&mut **tx).await?;
        Ok(rows
            .iter()
            .map(|row| {
                Ok(RoleFact {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    category: parse_column(row, "category")?,
                    required: row.try_get("required")?,
                    responsibilities: json_column(row, "responsibilities")?,
                    authorities: json_column(row, "authorities")?,
                    conformance_owner: row.try_get("conformance_owner")?,
                    held: row.try_get("held")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// The rules in force, and everyone in conflict today with the exception that goes furthest.
    async fn segregation_part(
        pool: &sqlx::Pool<Db>,
        today: Date,
    ) -> StoreResult<(i64, Vec<SodConflictFact>)> {
        let rules = count(
            sqlx::query("SELECT COUNT(*) FROM sod_rules WHERE removed_at IS NULL"),
            pool,
        )
        .await?;
        let violations = sod_violations(pool, today).await?;
        if violations.is_empty() {
            return Ok((rules, Vec::new()));
        }
        let exceptions = best_exceptions(pool).await?;
        let conflicts = violations
            .into_iter()
            .map(|v| SodConflictFact {
                exception: exceptions.get(&(v.person_id, v.rule_id)).copied(),
                rule_id: v.rule_id,
                rationale: v.rationale,
                person_id: v.person_id,
                person_name: v.person_name,
                role_a: v.role_a_name,
                role_b: v.role_b_name,
            })
            .collect();
        Ok((rules, conflicts))
    }

    /// For each (person, rule), the exception that goes furthest: approved with the latest
    /// expiry, then requested, then rejected (an organization has tens of exceptions).
    async fn best_exceptions(
        pool: &sqlx::Pool<Db>,
    ) -> StoreResult<HashMap<(Uuid, Uuid), SodExceptionFact>> {
        let rows =
            sqlx::query("SELECT id, rule_id, person_id, decision, expires_on FROM sod_exceptions")
                .fetch_all(pool)
                .await?;
        let rank = |e: &SodExceptionFact| {
            let decision = match e.decision {
                SodExceptionDecision::Approved => 2,
                SodExceptionDecision::Requested => 1,
                SodExceptionDecision::Rejected => 0,
            };
            (decision, e.expires_on)
        };
        let mut best: HashMap<(Uuid, Uuid), SodExceptionFact> = HashMap::new();
        for row in &rows {
            let exception = SodExceptionFact {
                id: row.try_get("id")?,
                decision: parse_column(row, "decision")?,
                expires_on: row.try_get("expires_on")?,
            };
            let key: (Uuid, Uuid) = (row.try_get("person_id")?, row.try_get("rule_id")?);
            match best.get(&key) {
                Some(kept) if rank(kept) >= rank(&exception) => {}
                _ => {
                    best.insert(key, exception);
                }
            }
        }
        Ok(best)
    }

    /// The units, and the heads with their current line-manager assignments covering their unit.
    struct UnitsPart {
        units: Vec<Unit>,
        heads: Vec<UnitHeadFact>,
    }

    async fn units_part(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<UnitsPart> {
        let mut tx = begin_snapshot(pool).await?;
        let units: Vec<Unit> = dynamic(format!(
            "SELECT {UNIT_COLUMNS} FROM units ORDER BY name, id"
        ))
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(unit_from_row)
        .collect::<Result<_, _>>()?;
        let heads = sqlx::query(
            "SELECT u.id AS unit_id, p.id AS head_id, p.name AS head_name, p.status
             FROM units u JOIN people p ON p.id = u.head_id ORDER BY u.name, u.id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let held = dynamic(format!(
            "SELECT a.id, a.person_id, a.role_id, r.name AS role_name, a.scope_kind,
                a.scope_unit_id, a.acknowledged_at IS NOT NULL AS acknowledged
             FROM role_assignments a JOIN org_roles r ON r.id = a.role_id
             WHERE r.category = 'line_manager' AND {HELD_ON_1}
               AND a.person_id IN (SELECT head_id FROM units WHERE head_id IS NOT NULL)
             ORDER BY a.starts_on, a.id"
        ))
        .bind(today)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let parents: HashMap<Uuid, Option<Uuid>> =
            units.iter().map(|u| (u.id, u.parent_id)).collect();
        let mut facts = Vec::with_capacity(heads.len());
        for row in &heads {
            let unit_id: Uuid = row.try_get("unit_id")?;
            let head_id: Uuid = row.try_get("head_id")?;
            let status: String = row.try_get("status")?;
            let above = unit_and_above(&parents, unit_id);
            let mut line_manager = Vec::new();
            for a in &held {
                if a.try_get::<Uuid, _>("person_id")? != head_id {
                    continue;
                }
                let scope: String = a.try_get("scope_kind")?;
                let scope_unit: Option<Uuid> = a.try_get("scope_unit_id")?;
                let covers = scope == "organization"
                    || (scope == "unit" && scope_unit.is_some_and(|s| above.contains(&s)));
                if covers {
                    line_manager.push(HeadAssignment {
                        assignment_id: a.try_get("id")?,
                        role_id: a.try_get("role_id")?,
                        role_name: a.try_get("role_name")?,
                        acknowledged: a.try_get("acknowledged")?,
                    });
                }
            }
            facts.push(UnitHeadFact {
                unit_name: units
                    .iter()
                    .find(|u| u.id == unit_id)
                    .map(|u| u.name.clone())
                    .unwrap_or_default(),
                unit_id,
                head_id,
                head_name: row.try_get("head_name")?,
                head_departed: status == "departed",
                line_manager,
            });
        }
        Ok(UnitsPart {
            units,
            heads: facts,
        })
    }

    /// A unit and the units above it (a loop in the parents stops the walk).
    fn unit_and_above(parents: &HashMap<Uuid, Option<Uuid>>, unit: Uuid) -> Vec<Uuid> {
        let mut chain = vec![unit];
        let mut at = parents.get(&unit).copied().flatten();
        while let Some(id) = at {
            if chain.contains(&id) || chain.len() > parents.len() {
                break;
            }
            chain.push(id);
            at = parents.get(&id).copied().flatten();
        }
        chain
    }

    /// Acknowledgment of the published top-level policy, with active staff per unit as counted
    /// (not yet rolled up).
    struct CoveragePart {
        facts: PolicyCoverageFacts,
        by_unit: UnitCounts,
    }

    impl CoveragePart {
        /// The totals, and each unit's counts with its sub-units' added.
        fn rolled_up(mut self, units: &[Unit]) -> PolicyCoverageFacts {
            let mut direct: HashMap<Uuid, CoverageCounts> = HashMap::new();
            for &(unit, staff, acknowledged) in &self.by_unit {
                self.facts.staff += staff;
                self.facts.acknowledged += acknowledged;
                if let Some(unit) = unit {
                    direct.insert(
                        unit,
                        CoverageCounts {
                            total: staff,
                            acknowledged,
                            pending: staff - acknowledged,
                            overdue: 0,
                        },
                    );
                }
            }
            self.facts.units = roll_up(units, &direct)
                .into_iter()
                .map(|u| UnitCoverageFact {
                    unit_id: u.unit_id,
                    unit_name: u.unit_name,
                    staff: u.counts.total,
                    acknowledged: u.counts.acknowledged,
                })
                .collect();
            self.facts
        }
    }

    /// Active people, and how many of them acknowledged, per unit (`None`: no unit).
    type UnitCounts = Vec<(Option<Uuid>, i64, i64)>;
    /// Active people per unit (`None`: no unit).
    type UnitStaff = Vec<(Option<Uuid>, i64)>;

    /// How SQLite reads the people once: by the table, not through the unit index (which would
    /// visit each row out of order).
    fn people_scan() -> &'static str {
        match BACKEND {
            Backend::Sqlite => "people p NOT INDEXED",
            Backend::Postgres => "people p",
        }
    }

    /// The counts when everyone active was asked in `campaign` (an audience of everyone, kept in
    /// step by the audience sync): those who acknowledged are the active people less those
    /// pending. One pass over the people, which looks up only those not active in the campaign,
    /// the count of the campaign's rows from its index, and its few pending rows. `None` when
    /// someone active was not asked, so the counts need a look-up per person.
    async fn counted_from_pending(
        pool: &sqlx::Pool<Db>,
        campaign: Uuid,
    ) -> StoreResult<Option<UnitCounts>> {
        let mut tx = begin_snapshot(pool).await?;
        let (staff, others_asked) = people_counts(&mut tx, campaign).await?;
        let asked: i64 = sqlx::query("SELECT COUNT(*) FROM acknowledgments WHERE campaign_id = $1")
            .bind(campaign)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let pending_rows = sqlx::query(
            "SELECT p.unit_id, COUNT(*) AS pending
             FROM acknowledgments k CROSS JOIN people p
             WHERE p.id = k.person_id AND k.campaign_id = $1 AND k.acknowledged_at IS NULL
               AND p.status = 'active'
             GROUP BY p.unit_id",
        )
        .bind(campaign)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut pending: HashMap<Option<Uuid>, i64> = HashMap::new();
        for row in &pending_rows {
            pending.insert(row.try_get("unit_id")?, row.try_get("pending")?);
        }
        let staff_total: i64 = staff.iter().map(|(_, n)| n).sum();
        let counts = staff
            .into_iter()
            .map(|(unit, n)| (unit, n, n - pending.get(&unit).copied().unwrap_or(0)))
            .collect();
        Ok((asked - others_asked == staff_total).then_some(counts))
    }

    /// Active people per unit, and how many people who are not active have a row in
    /// `campaign`. SQLite reads the people once for both (looking up only those not active);
    /// PostgreSQL counts them in two statements, each with the plan that suits it (one
    /// statement leads it to read the people through the unit index).
    async fn people_counts(tx: &mut Tx, campaign: Uuid) -> StoreResult<(UnitStaff, i64)> {
        let mut staff = Vec::new();
        let mut others_asked = 0;
        if BACKEND == Backend::Sqlite {
            let rows = sqlx::query(
                "SELECT p.unit_id, SUM(CASE WHEN p.status = 'active' THEN 1 ELSE 0 END) AS staff,
                    SUM(CASE WHEN p.status = 'active' THEN 0
                        WHEN EXISTS (SELECT 1 FROM acknowledgments k
                            WHERE k.campaign_id = $1 AND k.person_id = p.id) THEN 1
                        ELSE 0 END) AS others_asked
                 FROM people p NOT INDEXED GROUP BY p.unit_id",
            )
            .bind(campaign)
            .fetch_all(&mut **tx)
            .await?;
            for row in &rows {
                staff.push((row.try_get("unit_id")?, row.try_get("staff")?));
                others_asked += row.try_get::<i64, _>("others_asked")?;
            }
            return Ok((staff, others_asked));
        }
        others_asked = sqlx::query(
            "SELECT COUNT(*) FROM people p
             JOIN acknowledgments k ON k.person_id = p.id AND k.campaign_id = $1
             WHERE p.status <> 'active'",
        )
        .bind(campaign)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
        let rows = sqlx::query(
            "SELECT p.unit_id, COUNT(*) AS staff FROM people p WHERE p.status = 'active'
             GROUP BY p.unit_id",
        )
        .fetch_all(&mut **tx)
        .await?;
        for row in &rows {
            staff.push((row.try_get("unit_id")?, row.try_get("staff")?));
        }
        Ok((staff, others_asked))
    }

    /// The counts with a look-up per active person in the campaigns (bound in order): one
    /// GROUP BY over the people. SQLite looks each person up in the acknowledgments' key;
    /// PostgreSQL hashes the acknowledgers once (made distinct when there are several campaigns).
    async fn counted_per_person(
        pool: &sqlx::Pool<Db>,
        campaigns: &[CampaignRef],
    ) -> StoreResult<UnitCounts> {
        let ids = id_placeholders(campaigns.len());
        let sql = match (BACKEND, campaigns.len()) {
            (_, 0) => "SELECT p.unit_id, COUNT(*) AS staff, CAST(0 AS BIGINT) AS acknowledged
                 FROM people p WHERE p.status = 'active' GROUP BY p.unit_id"
                .to_owned(),
            (Backend::Sqlite, _) => format!(
                "SELECT p.unit_id, COUNT(*) AS staff,
                    COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM acknowledgments k
                        WHERE k.campaign_id IN ({ids}) AND k.person_id = p.id
                          AND k.acknowledged_at IS NOT NULL) THEN 1 ELSE 0 END), 0) AS acknowledged
                 FROM {} WHERE p.status = 'active' GROUP BY p.unit_id",
                people_scan()
            ),
            (Backend::Postgres, 1) => format!(
                "SELECT p.unit_id, COUNT(*) AS staff, COUNT(k.person_id) AS acknowledged
                 FROM people p LEFT JOIN acknowledgments k ON k.person_id = p.id
                    AND k.campaign_id = {ids} AND k.acknowledged_at IS NOT NULL
                 WHERE p.status = 'active' GROUP BY p.unit_id"
            ),
            (Backend::Postgres, _) => format!(
                "SELECT p.unit_id, COUNT(*) AS staff, COUNT(k.person_id) AS acknowledged
                 FROM people p LEFT JOIN (SELECT DISTINCT a.person_id FROM acknowledgments a
                        WHERE a.campaign_id IN ({ids}) AND a.acknowledged_at IS NOT NULL) k
                    ON k.person_id = p.id
                 WHERE p.status = 'active' GROUP BY p.unit_id"
            ),
        };
        let mut query = dynamic(sql);
        for campaign in campaigns {
            query = query.bind(campaign.id);
        }
        Ok(query
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| {
                Ok((
                    row.try_get("unit_id")?,
                    row.try_get("staff")?,
                    row.try_get("acknowledged")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }

    async fn coverage_part(pool: &sqlx::Pool<Db>) -> StoreResult<Option<CoveragePart>> {
        let Some(policy) = top_level_policy(pool).await? else {
            return Ok(None);
        };
        let Some(version) = published_version(pool, policy.id).await? else {
            return Ok(None);
        };
        let campaigns = sqlx::query(
            "SELECT id, title FROM campaigns WHERE version_id = $1 ORDER BY launched_at, id",
        )
        .bind(version.id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok(CampaignRef {
                id: row.try_get("id")?,
                title: row.try_get("title")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let fast = match campaigns.as_slice() {
            [one] => counted_from_pending(pool, one.id).await?,
            _ => None,
        };
        let by_unit = match fast {
            Some(counts) => counts,
            None => counted_per_person(pool, &campaigns).await?,
        };
        Ok(Some(CoveragePart {
            facts: PolicyCoverageFacts {
                policy_id: policy.id,
                policy_title: policy.title,
                version_id: version.id,
                version: version.number.to_string(),
                campaigns,
                staff: 0,
                acknowledged: 0,
                units: Vec::new(),
            },
            by_unit,
        }))
    }
}
