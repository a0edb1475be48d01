// Loading the facts of the policy rules (5.1.a, 5.2.a–g, A.5.1): a few aggregate queries in one
// read snapshot. Acknowledgments are counted through the latest campaign's index and the people
// table is read once, looking up only those no longer active; nothing is loaded per person.

async fn load_policy_facts(
    store: &StoreImpl,
    today: Date,
) -> StoreResult<crate::domain::conformance::policy::PolicyFacts> {
    let mut tx = begin_snapshot(&store.pool).await?;
    let (organization_name, strategic_themes) = policy_facts_direction(&mut tx).await?;
    let mut top = policy_facts_top(&mut tx).await?;
    let mut campaigns = Vec::new();
    if let Some(top) = top.as_mut() {
        top.published_versions = policy_facts_approvals(&mut tx, top.id).await?;
        if let Some(version) = &top.in_force {
            campaigns = policy_facts_campaigns(&mut tx, top.id, version.id).await?;
        }
    }
    let latest = campaigns.first().map(|c| c.id);
    let (active_people, acknowledged_by_active, asked) =
        policy_facts_coverage(&mut tx, latest).await?;
    if let Some(top) = top.as_mut()
        && !campaigns.is_empty()
    {
        top.campaign = Some(crate::domain::conformance::policy::CampaignFact {
            campaigns,
            asked,
            acknowledged_by_active,
        });
    }
    let mut facts = crate::domain::conformance::policy::PolicyFacts {
        organization_name,
        strategic_themes,
        objectives: policy_facts_objectives(&mut tx, top.as_ref().map(|t| t.id)).await?,
        published: policy_facts_published(&mut tx).await?,
        top,
        active_people,
        ..Default::default()
    };
    policy_facts_exceptions(&mut tx, today, &mut facts).await?;
    tx.commit().await?;
    Ok(facts)
}

/// The organization's name and strategic themes.
async fn policy_facts_direction(tx: &mut Tx) -> StoreResult<(String, Vec<String>)> {
    let row = sqlx::query("SELECT name, strategic_themes FROM organization WHERE id = 1")
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else {
        return Ok((String::new(), Vec::new()));
    };
    let themes: String = row.try_get("strategic_themes")?;
    Ok((
        row.try_get("name")?,
        serde_json::from_str(&themes).unwrap_or_default(),
    ))
}

/// The top-level policy with its version in force and its active share links.
async fn policy_facts_top(
    tx: &mut Tx,
) -> StoreResult<Option<crate::domain::conformance::policy::TopPolicy>> {
    let row = sqlx::query(
        "SELECT pol.id, pol.title, pol.review_interval_months, pol.last_reviewed_on,
            pol.visibility, pol.visibility_rationale, v.id AS version_id, v.major, v.minor,
            v.body, v.published_at,
            (SELECT COUNT(*) FROM policy_share_links s WHERE s.policy_id = pol.id
                AND s.revoked_at IS NULL AND s.expires_at > $1) AS share_links
         FROM policies pol
         LEFT JOIN policy_versions v ON v.policy_id = pol.id AND v.status = 'published'
         WHERE pol.kind = 'top_level'",
    )
    .bind(now())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let months = row
        .try_get::<i32, _>("review_interval_months")?
        .unsigned_abs();
    let last_reviewed: Option<Date> = row.try_get("last_reviewed_on")?;
    let version_id: Option<Uuid> = row.try_get("version_id")?;
    let in_force = version_id
        .map(|id| -> Result<_, sqlx::Error> {
            let published_at: OffsetDateTime = row.try_get("published_at")?;
            Ok(crate::domain::conformance::policy::VersionInForce {
                id,
                number: number_from_row(&row)?.to_string(),
                body: row.try_get("body")?,
                published_on: published_at.date(),
            })
        })
        .transpose()?;
    Ok(Some(crate::domain::conformance::policy::TopPolicy {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        review_interval_months: months,
        next_review_due: last_reviewed.map(|on| crate::domain::policy::add_months(on, months)),
        visibility: parse_column(&row, "visibility")?,
        visibility_rationale: row.try_get("visibility_rationale")?,
        active_share_links: row.try_get("share_links")?,
        in_force,
        published_versions: Vec::new(),
        campaign: None,
    }))
}

/// Every version of the policy ever published, with the sign-offs of its last review round on
/// its published content, sorted by whether the approver held a role of the `top_management`
/// category on the day of the sign-off.
async fn policy_facts_approvals(
    tx: &mut Tx,
    policy_id: Uuid,
) -> StoreResult<Vec<crate::domain::conformance::policy::VersionApproval>> {
    let rows = sqlx::query(
        "SELECT v.id, v.major, v.minor, a.person_id, pe.name AS approver_name, d.held_role,
            d.decided_at
         FROM policy_versions v
         LEFT JOIN policy_decisions d ON d.version_id = v.id AND d.approved
            AND d.review_round = v.review_round AND d.content_hash = v.content_hash
         LEFT JOIN accounts a ON a.id = d.account_id
         LEFT JOIN people pe ON pe.id = a.person_id
         WHERE v.policy_id = $1 AND v.published_at IS NOT NULL
         ORDER BY v.major, v.minor, v.id, d.decided_at",
    )
    .bind(policy_id)
    .fetch_all(&mut **tx)
    .await?;
    let tenures = policy_facts_top_management_tenures(tx, policy_id).await?;
    let mut versions: Vec<crate::domain::conformance::policy::VersionApproval> = Vec::new();
    for row in &rows {
        let id: Uuid = row.try_get("id")?;
        if versions.last().is_none_or(|v| v.version_id != id) {
            versions.push(crate::domain::conformance::policy::VersionApproval {
                version_id: id,
                number: number_from_row(row)?.to_string(),
                by_top_management: 0,
                by_tool_role_only: Vec::new(),
            });
        }
        let (Some(person), Some(decided_at)) = (
            row.try_get::<Option<Uuid>, _>("person_id")?,
            row.try_get::<Option<OffsetDateTime>, _>("decided_at")?,
        ) else {
            continue;
        };
        let day = decided_at.date();
        let held = tenures.iter().any(|(who, starts, ends)| {
            *who == person && *starts <= day && ends.is_none_or(|end| end >= day)
        });
        let held_role: Option<String> = row.try_get("held_role")?;
        if let Some(version) = versions.last_mut() {
            if held {
                version.by_top_management += 1;
            } else if held_role.as_deref() == Some(Role::TopManagement.as_str()) {
                version
                    .by_tool_role_only
                    .push(row.try_get("approver_name")?);
            }
        }
    }
    Ok(versions)
}

/// The tenures of roles of the `top_management` category held by anyone who signed off a version
/// of the policy: (person, starts on, ends on).
async fn policy_facts_top_management_tenures(
    tx: &mut Tx,
    policy_id: Uuid,
) -> StoreResult<Vec<(Uuid, Date, Option<Date>)>> {
    let rows = sqlx::query(
        "SELECT ra.person_id, ra.starts_on, ra.ends_on FROM role_assignments ra
            JOIN org_roles o ON o.id = ra.role_id
         WHERE o.category = 'top_management' AND ra.person_id IN (
            SELECT a.person_id FROM policy_decisions d JOIN accounts a ON a.id = d.account_id
                JOIN policy_versions v ON v.id = d.version_id
            WHERE v.policy_id = $1 AND d.approved)",
    )
    .bind(policy_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut tenures = Vec::with_capacity(rows.len());
    for row in rows {
        tenures.push((
            row.try_get("person_id")?,
            row.try_get("starts_on")?,
            row.try_get("ends_on")?,
        ));
    }
    Ok(tenures)
}

/// The campaigns on the version in force, the latest first.
async fn policy_facts_campaigns(
    tx: &mut Tx,
    policy_id: Uuid,
    version_id: Uuid,
) -> StoreResult<Vec<crate::domain::conformance::policy::CampaignRef>> {
    let rows = sqlx::query(
        "SELECT id, title FROM campaigns WHERE policy_id = $1 AND version_id = $2
         ORDER BY launched_at DESC, id DESC",
    )
    .bind(policy_id)
    .bind(version_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut campaigns = Vec::with_capacity(rows.len());
    for row in rows {
        campaigns.push(crate::domain::conformance::policy::CampaignRef {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
        });
    }
    Ok(campaigns)
}

/// Active people, how many of them acknowledged in the `latest` campaign, and how many it asked.
/// The campaign's counts come from its index; the people are read once, and only those no longer
/// active (on leave or departed) are looked up in the campaign, to take them away.
async fn policy_facts_coverage(tx: &mut Tx, latest: Option<Uuid>) -> StoreResult<(i64, i64, i64)> {
    let Some(campaign_id) = latest else {
        let active: i64 = sqlx::query("SELECT COUNT(*) FROM people WHERE status = 'active'")
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
        return Ok((active, 0, 0));
    };
    let counts = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM acknowledgments k WHERE k.campaign_id = $1) AS asked,
            (SELECT COUNT(*) FROM acknowledgments k WHERE k.campaign_id = $1
                AND k.acknowledged_at IS NOT NULL) AS acknowledged",
    )
    .bind(campaign_id)
    .fetch_one(&mut **tx)
    .await?;
    let people = sqlx::query(
        "SELECT COUNT(CASE WHEN p.status = 'active' THEN 1 END) AS active,
            COUNT(CASE WHEN p.status <> 'active' THEN
                CASE WHEN EXISTS (SELECT 1 FROM acknowledgments k WHERE k.campaign_id = $1
                    AND k.person_id = p.id AND k.acknowledged_at IS NOT NULL) THEN 1 END
            END) AS acknowledged_inactive
         FROM people p",
    )
    .bind(campaign_id)
    .fetch_one(&mut **tx)
    .await?;
    let acknowledged: i64 = counts.try_get("acknowledged")?;
    let inactive: i64 = people.try_get("acknowledged_inactive")?;
    Ok((
        people.try_get("active")?,
        acknowledged - inactive,
        counts.try_get("asked")?,
    ))
}

/// Every active objective, and whether it is linked to the top-level policy.
async fn policy_facts_objectives(
    tx: &mut Tx,
    top_id: Option<Uuid>,
) -> StoreResult<Vec<crate::domain::conformance::policy::ObjectiveFact>> {
    let rows = sqlx::query(
        "SELECT id, statement, theme, policy_id FROM objectives WHERE retired_at IS NULL
         ORDER BY created_at, id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut objectives = Vec::with_capacity(rows.len());
    for row in rows {
        let policy_id: Option<Uuid> = row.try_get("policy_id")?;
        objectives.push(crate::domain::conformance::policy::ObjectiveFact {
            id: row.try_get("id")?,
            statement: row.try_get("statement")?,
            theme: row.try_get("theme")?,
            linked_to_top: policy_id.is_some() && policy_id == top_id,
        });
    }
    Ok(objectives)
}

/// Every policy with a version in force, and whether that version was signed off (last round,
/// same content) by the policy's approver role.
async fn policy_facts_published(
    tx: &mut Tx,
) -> StoreResult<Vec<crate::domain::conformance::policy::PublishedPolicy>> {
    let rows = sqlx::query(
        "SELECT pol.id, pol.title, pol.kind, pol.approver_role, pol.review_interval_months,
            pol.last_reviewed_on, v.id AS version_id, v.major, v.minor,
            EXISTS (SELECT 1 FROM policy_decisions d WHERE d.version_id = v.id AND d.approved
                AND d.review_round = v.review_round AND d.content_hash = v.content_hash
                AND d.held_role = pol.approver_role) AS approved
         FROM policies pol
         JOIN policy_versions v ON v.policy_id = pol.id AND v.status = 'published'
         ORDER BY CASE WHEN pol.kind = 'top_level' THEN 0 ELSE 1 END, pol.title, pol.id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut published = Vec::with_capacity(rows.len());
    for row in rows {
        let months = row
            .try_get::<i32, _>("review_interval_months")?
            .unsigned_abs();
        let last_reviewed: Option<Date> = row.try_get("last_reviewed_on")?;
        published.push(crate::domain::conformance::policy::PublishedPolicy {
            policy_id: row.try_get("id")?,
            version_id: row.try_get("version_id")?,
            title: row.try_get("title")?,
            kind: parse_column(&row, "kind")?,
            number: number_from_row(&row)?.to_string(),
            approver_role: parse_column(&row, "approver_role")?,
            approved_by_approver_role: row.try_get("approved")?,
            next_review_due: last_reviewed.map(|on| crate::domain::policy::add_months(on, months)),
        });
    }
    Ok(published)
}

/// Exceptions approved and not expired on `today`; approved ones past their expiry whose lapse
/// was never recorded (the total, and the earliest 20).
async fn policy_facts_exceptions(
    tx: &mut Tx,
    today: Date,
    facts: &mut crate::domain::conformance::policy::PolicyFacts,
) -> StoreResult<()> {
    let row = sqlx::query(
        "SELECT COUNT(CASE WHEN expires_on >= $1 THEN 1 END) AS active,
            COUNT(CASE WHEN expires_on < $1 AND expiry_recorded_at IS NULL THEN 1 END) AS lapsed
         FROM policy_exceptions WHERE status = 'approved'",
    )
    .bind(today)
    .fetch_one(&mut **tx)
    .await?;
    facts.exceptions_active = row.try_get("active")?;
    facts.exceptions_lapsed_unrecorded_total = row.try_get("lapsed")?;
    if facts.exceptions_lapsed_unrecorded_total == 0 {
        return Ok(());
    }
    let rows = sqlx::query(
        "SELECT e.id, pol.title, e.scope, e.expires_on FROM policy_exceptions e
            JOIN policies pol ON pol.id = e.policy_id
         WHERE e.status = 'approved' AND e.expires_on < $1 AND e.expiry_recorded_at IS NULL
         ORDER BY e.expires_on, e.id LIMIT 20",
    )
    .bind(today)
    .fetch_all(&mut **tx)
    .await?;
    for row in rows {
        facts.exceptions_lapsed_unrecorded.push(
            crate::domain::conformance::policy::ExceptionFact {
                id: row.try_get("id")?,
                policy_title: row.try_get("title")?,
                scope: row.try_get("scope")?,
                expires_on: row.try_get("expires_on")?,
            },
        );
    }
    Ok(())
}
