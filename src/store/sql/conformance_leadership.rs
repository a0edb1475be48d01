// Loading the facts of the leadership rules (5.1.b–e, 5.1.g, 5.3.b, A.6.8) and the liveness
// signs. Each part is one aggregate or bounded query (or an existing store call built the same
// way) over records an organization holds tens of, or an index range: nothing reads a row per
// person except the acknowledgment months of the top-level policy, counted by the database.

use crate::domain::conformance as lead_conformance;

/// How many of the latest approvals of each resource type (and of "none needed" decisions) the
/// rules read.
const LEADERSHIP_APPROVALS_PER_KIND: i64 = 5;
/// How many of the latest communications the rules read, and of those addressed to everyone.
const LEADERSHIP_COMMUNICATIONS: i64 = 20;
const LEADERSHIP_COMMUNICATIONS_TO_ALL: i64 = 5;

fn leadership_link(
    kind: lead_conformance::EvidenceKind,
    id: Uuid,
    label: impl Into<String>,
) -> lead_conformance::EvidenceLink {
    lead_conformance::EvidenceLink {
        kind,
        id,
        label: label.into(),
    }
}

/// The first `n` characters of `text`, with an ellipsis when cut.
fn leadership_short(text: &str, n: usize) -> String {
    let mut short: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        short.push('…');
    }
    short
}

async fn load_leadership_facts(
    store: &StoreImpl,
    today: Date,
) -> StoreResult<lead_conformance::LeadershipFigures> {
    let thresholds = crate::store::AssessmentStore::conformance_thresholds(store).await?;
    let since = today - time::Duration::days(thresholds.period_days);
    let pool = &store.pool;
    let (processes, departed_owners, resource_approvals, communications, objectives, actions) = tokio::try_join!(
        leadership_key_processes(store, today),
        leadership_departed_owners(pool),
        leadership_resource_approvals(pool),
        leadership_communications(pool),
        store.objective_lines(today),
        store.action_counts(today, since),
    )?;
    let (signed_off, latest_report, reporter, review, settings, handler_held, concerns) = tokio::try_join!(
        leadership_signed_off_report(pool),
        store.latest_report(),
        store.performance_reporter(today),
        leadership_review_with_decisions(pool),
        store.concern_settings(),
        leadership_handler_held(pool, today),
        store.concern_counts(today.midnight().assume_utc(), since),
    )?;
    let unmeasured = leadership_unmeasured(&objectives);
    let holders = reporter
        .as_ref()
        .map(|r| r.holders.as_slice())
        .unwrap_or(&[]);
    Ok(lead_conformance::LeadershipFigures {
        today,
        processes,
        departed_owners,
        resource_approvals,
        communications,
        active_objectives: i64::try_from(objectives.len()).unwrap_or(i64::MAX),
        objectives_unmeasured: i64::try_from(unmeasured.len()).unwrap_or(i64::MAX),
        unmeasured_objectives: unmeasured,
        last_report_signed_off: signed_off.as_ref().map(|(_, day, _)| *day),
        signed_off_report: signed_off.map(|(id, day, period_end)| {
            leadership_link(
                lead_conformance::EvidenceKind::PerformanceReport,
                id,
                format!("Performance report to {period_end}, signed off on {day}"),
            )
        }),
        last_review_with_decisions: review.as_ref().map(|(_, _, held_on)| *held_on),
        review_with_decisions: review.map(|(id, title, held_on)| {
            leadership_link(
                lead_conformance::EvidenceKind::ManagementReview,
                id,
                format!("{title} ({held_on})"),
            )
        }),
        actions_tracked: actions.tracked,
        actions_overdue: actions.overdue,
        overdue_actions: leadership_overdue_actions(&actions),
        reporter_held: !holders.is_empty(),
        last_report_by_reporter: latest_report
            .as_ref()
            .map(|r| holders.iter().any(|h| h.person_id == r.generated_by_person)),
        reporter_role: reporter.as_ref().map(leadership_reporter_link),
        last_report: latest_report.as_ref().map(leadership_report_link),
        channel_enabled: settings.channel_enabled,
        handler_held,
        concerns_response_overdue: concerns.response_overdue,
        concern_settings: Some(leadership_link(
            lead_conformance::EvidenceKind::ConcernSettings,
            lead_conformance::LeadershipFigures::CONCERN_SETTINGS_ID,
            "Confidential reporting channel settings",
        )),
    })
}

/// The active objectives not measured within their interval, cited (every one: an organization
/// has tens; the rule cites the first of them).
fn leadership_unmeasured(objectives: &[ObjectiveLine]) -> Vec<lead_conformance::EvidenceLink> {
    objectives
        .iter()
        .filter(|o| o.status == ObjectiveStatus::NotMeasured)
        .map(|o| {
            leadership_link(
                lead_conformance::EvidenceKind::Objective,
                o.id,
                leadership_short(&o.statement, 80),
            )
        })
        .collect()
}

/// The overdue actions the counts name (longest overdue first), cited.
fn leadership_overdue_actions(actions: &ActionCounts) -> Vec<lead_conformance::EvidenceLink> {
    actions
        .overdue_actions
        .iter()
        .take(lead_conformance::LeadershipFigures::MAX_CITED)
        .map(|a| {
            leadership_link(
                lead_conformance::EvidenceKind::ImprovementAction,
                a.id,
                format!("{} (due {})", leadership_short(&a.title, 80), a.due_on),
            )
        })
        .collect()
}

fn leadership_reporter_link(
    role: &crate::domain::report::ReporterRole,
) -> lead_conformance::EvidenceLink {
    leadership_link(
        lead_conformance::EvidenceKind::Role,
        role.role_id,
        format!("{} (held by {})", role.role_name, role.holder_names()),
    )
}

fn leadership_report_link(
    report: &crate::domain::report::PerformanceReport,
) -> lead_conformance::EvidenceLink {
    leadership_link(
        lead_conformance::EvidenceKind::PerformanceReport,
        report.id,
        format!(
            "Performance report of {} by {}",
            report.generated_at.date(),
            report.generated_by_name
        ),
    )
}

/// The key processes: the eight seeded (by their standard key, whatever their name now) and those
/// the organization flagged.
async fn leadership_key_processes(
    store: &StoreImpl,
    today: Date,
) -> StoreResult<Vec<crate::domain::process::Process>> {
    let mut processes = store.list_processes(today).await?;
    processes.retain(|p| p.key_process || p.standard_key.is_some());
    Ok(processes)
}

/// The owners of processes who have left.
async fn leadership_departed_owners(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<Uuid>> {
    let rows = sqlx::query(
        "SELECT DISTINCT pr.owner_id FROM processes pr JOIN people p ON p.id = pr.owner_id
         WHERE p.status = 'departed'",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|row| row.try_get("owner_id"))
        .collect::<Result<_, _>>()?)
}

/// The latest approved commitments of each type and of each kind of decision (resources, or
/// "none needed"), newest decided first.
async fn leadership_resource_approvals(
    pool: &sqlx::Pool<Db>,
) -> StoreResult<Vec<crate::domain::resource::ResourceCommitment>> {
    let rows = dynamic(format!(
        "SELECT {RESOURCE_COLUMNS}
         FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.kind, c.none_needed
                    ORDER BY c.decided_at DESC, c.id DESC) AS rank_in_kind
               FROM resource_commitments c WHERE c.status = 'approved') r
            JOIN people rp ON rp.id = r.requested_by
            LEFT JOIN people dp ON dp.id = r.decided_by
         WHERE r.rank_in_kind <= $1
         ORDER BY r.decided_at DESC, r.id DESC"
    ))
    .bind(LEADERSHIP_APPROVALS_PER_KIND)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(resource_from_row)
        .collect::<Result<_, _>>()?)
}

/// The latest communications, and the latest addressed to everyone however old, newest first;
/// their text is left out (the rules read the audience, day and subject).
async fn leadership_communications(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<Communication>> {
    let columns = "c.id, c.author_id, ap.name AS author_name, c.audience, c.channel,
        c.communicated_on, c.subject, CAST('' AS TEXT) AS body, c.link, c.emails_queued,
        c.created_at";
    let order = "ORDER BY c.communicated_on DESC, c.created_at DESC, c.id DESC LIMIT $1";
    let latest = dynamic(format!(
        "SELECT {columns} FROM {COMMUNICATION_FROM} {order}"
    ))
    .bind(LEADERSHIP_COMMUNICATIONS)
    .fetch_all(pool)
    .await?;
    let to_all = dynamic(format!(
        "SELECT {columns} FROM {COMMUNICATION_FROM} WHERE c.audience = $2 {order}"
    ))
    .bind(LEADERSHIP_COMMUNICATIONS_TO_ALL)
    .bind(to_json(&CampaignAudience::Everyone))
    .fetch_all(pool)
    .await?;
    let mut found: Vec<Communication> = Vec::with_capacity(latest.len() + to_all.len());
    for row in latest.iter().chain(&to_all) {
        let communication = communication_from_row(row)?;
        if !found.iter().any(|c| c.id == communication.id) {
            found.push(communication);
        }
    }
    found.sort_by_key(|c| std::cmp::Reverse((c.communicated_on, c.created_at)));
    Ok(found)
}

/// The report top management signed off last: its id, the day, and the end of its period.
async fn leadership_signed_off_report(
    pool: &sqlx::Pool<Db>,
) -> StoreResult<Option<(Uuid, Date, Date)>> {
    let row = sqlx::query(
        "SELECT id, signed_off_at, period_end FROM performance_reports
         WHERE status = 'signed_off' ORDER BY signed_off_at DESC, id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        let at: OffsetDateTime = row.try_get("signed_off_at")?;
        Ok((row.try_get("id")?, at.date(), row.try_get("period_end")?))
    })
    .transpose()
    .map_err(|e: sqlx::Error| e.into())
}

/// The last signed management review that recorded at least one decision: id, title, day held.
async fn leadership_review_with_decisions(
    pool: &sqlx::Pool<Db>,
) -> StoreResult<Option<(Uuid, String, Date)>> {
    let row = sqlx::query(
        "SELECT m.id, m.title, m.held_on FROM management_reviews m
         WHERE m.status = 'signed'
            AND EXISTS (SELECT 1 FROM review_decisions d WHERE d.review_id = m.id)
         ORDER BY m.held_on DESC, m.id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok((
            row.try_get("id")?,
            row.try_get("title")?,
            row.try_get("held_on")?,
        ))
    })
    .transpose()
    .map_err(|e: sqlx::Error| e.into())
}

/// Whether someone still here can handle concerns on `today`: their enabled account holds the
/// `concern_handler` tool role, given directly or by a catalog role they hold that day.
async fn leadership_handler_held(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<bool> {
    let handlers = count(
        sqlx::query(
            "SELECT COUNT(*) FROM (
                SELECT ac.person_id FROM account_roles ar JOIN accounts ac ON ac.id = ar.account_id
                WHERE ar.role = 'concern_handler' AND ac.disabled_at IS NULL
                UNION
                SELECT ra.person_id FROM org_roles o
                    JOIN role_assignments ra ON ra.role_id = o.id
                    JOIN accounts ac ON ac.person_id = ra.person_id
                WHERE o.grants = 'concern_handler' AND ac.disabled_at IS NULL
                    AND ra.starts_on <= $1 AND (ra.ends_on IS NULL OR ra.ends_on >= $1)
             ) h JOIN people p ON p.id = h.person_id
             WHERE p.status <> 'departed'",
        )
        .bind(today),
        pool,
    )
    .await?;
    Ok(handlers > 0)
}

async fn load_liveness(
    store: &StoreImpl,
    now: OffsetDateTime,
    period_days: i64,
) -> StoreResult<lead_conformance::Liveness> {
    let today = now.date();
    let since = today - time::Duration::days(period_days);
    let pool = &store.pool;
    let (last, coverage_trend, overdue_policy_reviews, actions, departed_holders) = tokio::try_join!(
        liveness_last_dates(pool),
        liveness_coverage_trend(store, today),
        liveness_overdue_policy_reviews(store, today),
        store.action_counts(today, since),
        liveness_departed_holders(pool, today),
    )?;
    let (processes, objectives, approvals) = tokio::try_join!(
        leadership_key_processes(store, today),
        store.objective_lines(today),
        leadership_resource_approvals(pool),
    )?;
    let mut tally = LivenessTally {
        since,
        records: 0,
        older: 0,
    };
    for p in &processes {
        tally.count(p.last_verified_on);
    }
    for o in &objectives {
        tally.count(o.latest.as_ref().map(|m| m.at.date()));
    }
    for day in [last.review, last.report, last.communication]
        .into_iter()
        .flatten()
    {
        tally.count(Some(day));
    }
    for kind in crate::domain::resource::ResourceKind::ALL {
        let latest = approvals
            .iter()
            .filter(|r| r.kind == *kind)
            .filter_map(|r| r.decided_at.map(|at| at.date()))
            .max();
        if latest.is_some() {
            tally.count(latest);
        }
    }
    let days_since = |day: Option<Date>| day.map(|d| (today - d).whole_days());
    Ok(lead_conformance::Liveness {
        days_since_management_review: days_since(last.review),
        days_since_report_review: days_since(last.report),
        days_since_top_communication: days_since(last.communication),
        coverage_trend,
        overdue_policy_reviews,
        overdue_actions: actions.overdue,
        actions_tracked: actions.tracked,
        departed_holders,
        evidence_records: tally.records,
        evidence_older_than_period: tally.older,
    })
}

/// Evidence records counted against the first day of the period; a record with no day (a
/// process never verified, an objective never measured) counts as older.
struct LivenessTally {
    since: Date,
    records: i64,
    older: i64,
}

impl LivenessTally {
    fn count(&mut self, day: Option<Date>) {
        self.records += 1;
        if day.is_none_or(|d| d < self.since) {
            self.older += 1;
        }
    }
}

/// The days of the last signed management review, report sign-off and communication.
struct LivenessLastDates {
    review: Option<Date>,
    report: Option<Date>,
    communication: Option<Date>,
}

async fn liveness_last_dates(pool: &sqlx::Pool<Db>) -> StoreResult<LivenessLastDates> {
    let row = sqlx::query(
        "SELECT
            (SELECT MAX(held_on) FROM management_reviews WHERE status = 'signed') AS review,
            (SELECT MAX(signed_off_at) FROM performance_reports
                WHERE status = 'signed_off') AS report,
            (SELECT MAX(communicated_on) FROM communications) AS communication",
    )
    .fetch_one(pool)
    .await?;
    let report: Option<OffsetDateTime> = row.try_get("report")?;
    Ok(LivenessLastDates {
        review: row.try_get("review")?,
        report: report.map(|at| at.date()),
        communication: row.try_get("communication")?,
    })
}

/// Policies past their review date (decided by calendar months, as the policies page does).
async fn liveness_overdue_policy_reviews(store: &StoreImpl, today: Date) -> StoreResult<i64> {
    let filter = PolicyFilter {
        overdue: true,
        ..PolicyFilter::default()
    };
    let page = store
        .list_policies(&filter, today, PageRequest::new(Some(1), Some(1)))
        .await?;
    Ok(page.total)
}

/// Active assignments (held today) of people who have left.
async fn liveness_departed_holders(pool: &sqlx::Pool<Db>, today: Date) -> StoreResult<i64> {
    Ok(count(
        sqlx::query(
            "SELECT COUNT(*) FROM role_assignments ra
             WHERE ra.person_id IN (SELECT id FROM people WHERE status = 'departed')
                AND ra.starts_on <= $1 AND (ra.ends_on IS NULL OR ra.ends_on >= $1)",
        )
        .bind(today),
        pool,
    )
    .await?)
}

/// `YYYY-MM` of the UTC month an acknowledgment was given (`k` is the acknowledgments table).
fn liveness_ack_month() -> &'static str {
    match BACKEND {
        Backend::Sqlite => "substr(k.acknowledged_at, 1, 7)",
        Backend::Postgres => "to_char(k.acknowledged_at AT TIME ZONE 'UTC', 'YYYY-MM')",
    }
}

/// The twelve months ending with `today`'s, oldest first, as `YYYY-MM`.
fn liveness_months(today: Date) -> Vec<String> {
    let current = today.year() * 12 + i32::from(u8::from(today.month())) - 1;
    (current - 11..=current)
        .map(|m| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1))
        .collect()
}

/// Coverage of the top-level policy's published version at the end of each of the last 12
/// months: its acknowledgments (in every campaign on that version) counted per month by one
/// `GROUP BY`, accumulated, over the people active today.
async fn liveness_coverage_trend(
    store: &StoreImpl,
    today: Date,
) -> StoreResult<Vec<lead_conformance::liveness::CoveragePoint>> {
    let Some(policy) = store.top_level_policy().await? else {
        return Ok(Vec::new());
    };
    let Some(version) = store.published_version(policy.id).await? else {
        return Ok(Vec::new());
    };
    let month = liveness_ack_month();
    let rows = dynamic(format!(
        "SELECT {month} AS month, COUNT(*) AS acknowledged
         FROM campaigns c JOIN acknowledgments k ON k.campaign_id = c.id
         WHERE c.policy_id = $1 AND c.version_id = $2 AND k.acknowledged_at IS NOT NULL
         GROUP BY {month}"
    ))
    .bind(policy.id)
    .bind(version.id)
    .fetch_all(&store.pool)
    .await?;
    let active = count(
        sqlx::query("SELECT COUNT(*) FROM people WHERE status = 'active'"),
        &store.pool,
    )
    .await?;
    let mut per_month: Vec<(String, i64)> = rows
        .iter()
        .map(|row| Ok((row.try_get("month")?, row.try_get("acknowledged")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    per_month.sort();
    let months = liveness_months(today);
    let mut acknowledged: i64 = per_month
        .iter()
        .filter(|(m, _)| *m < months[0])
        .map(|(_, n)| n)
        .sum();
    Ok(months
        .into_iter()
        .map(|m| {
            acknowledged += per_month
                .iter()
                .filter(|(at, _)| *at == m)
                .map(|(_, n)| n)
                .sum::<i64>();
            lead_conformance::liveness::CoveragePoint {
                month: m,
                percent: liveness_percent(acknowledged, active),
            }
        })
        .collect())
}

/// `part` of `whole` in percent to one decimal, at most 100 (none of nobody is 0).
fn liveness_percent(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        return 0.0;
    }
    let tenths = (part.min(whole) * 1000 + whole / 2) / whole;
    tenths as f64 / 10.0
}
