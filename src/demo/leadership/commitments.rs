//! The demo's resources, process integration and briefings: this year's budget, staff and hosting
//! approved by top management, facilities recorded as "none needed", a request still waiting, every key
//! process described and verified but one gone stale, and briefings by most unit heads.

use time::{Date, Duration, Month};

use super::Cast;
use crate::domain::Actor;
use crate::domain::access::Role;
use crate::domain::account::Account;
use crate::domain::briefing::BriefingInput;
use crate::domain::process::{ProcessInput, VerificationInput};
use crate::domain::resource::{
    Amount, ResourceCommitmentInput, ResourceDecision, ResourceDecisionInput, ResourceKind,
};
use crate::store::{Store, StoreError, StoreResult};

/// How each key process builds the ISMS in, and what shows it (by the process's standard name).
const INTEGRATIONS: &[(&str, &str, &str)] = &[
    (
        "planning",
        "Security objectives are set in the annual strategy cycle; each business plan names its information risks.",
        "Strategy 2026 document, section 4",
    ),
    (
        "project",
        "Every project passes a security gate at design and before go-live; the gate checklist is in the project template.",
        "Gate records in the project portfolio tool",
    ),
    (
        "budget",
        "The security budget is a line of the annual budget, approved with it; projects carry their own security costs.",
        "Budget 2026, line 7.3",
    ),
    (
        "governance",
        "The ISMS reports to the management committee each quarter; the top-level policy is approved there.",
        "Committee minutes",
    ),
    (
        "supplier",
        "Critical suppliers are assessed before contract and each year; contracts carry the security schedule.",
        "Supplier register",
    ),
    (
        "hr",
        "Onboarding includes the policy acknowledgment and training; offboarding removes access on the last day.",
        "HR checklist and access review",
    ),
    (
        "change",
        "Changes to production are risk-rated; high-risk changes need the security team's approval.",
        "Change advisory board records",
    ),
    (
        "performance",
        "Security duties are part of role descriptions and the yearly performance review of managers.",
        "Review template",
    ),
];

/// Writes resources, processes and briefings; returns (commitments, processes, briefings).
pub(super) async fn seed_commitments(
    store: &dyn Store,
    cast: &Cast,
    today: Date,
) -> StoreResult<(usize, usize, usize)> {
    let (Some(isms), Some(top)) = (
        cast.account(Role::IsmsManager),
        cast.account(Role::TopManagement),
    ) else {
        return Ok((0, 0, 0));
    };
    let resources = seed_resources(store, isms, top, today).await?;
    let processes = seed_processes(store, isms, cast, today).await?;
    let briefings = seed_briefings(store, isms, today).await?;
    Ok((resources, processes, briefings))
}

fn request(kind: ResourceKind, description: &str, year: (Date, Date)) -> ResourceCommitmentInput {
    ResourceCommitmentInput {
        kind,
        description: description.into(),
        amount: None,
        currency: None,
        fte: None,
        period_start: year.0,
        period_end: year.1,
        none_needed: false,
    }
}

async fn seed_resources(
    store: &dyn Store,
    isms: &Account,
    top: &Account,
    today: Date,
) -> StoreResult<usize> {
    let year = calendar_year(today)?;
    let approve = |comment: &str| ResourceDecisionInput {
        decision: ResourceDecision::Approve,
        comment: comment.into(),
    };
    let mut money = request(
        ResourceKind::Financial,
        "Penetration tests and SIEM licences",
        year,
    );
    money.amount = Some(Amount::parse("48000").map_err(StoreError::Config)?);
    money.currency = Some("EUR".into());
    let money = store.request_resources(isms, money).await?;
    store
        .decide_resources(top, money.id, approve("In this year's budget, line 7.3"))
        .await?;
    let mut people = request(ResourceKind::Personnel, "A second security engineer", year);
    people.fte = Some(1.0);
    let people = store.request_resources(isms, people).await?;
    store
        .decide_resources(top, people.id, approve("Hire in the first quarter"))
        .await?;
    let mut offices = request(
        ResourceKind::Facilities,
        "The current offices and badge system suffice",
        year,
    );
    offices.none_needed = true;
    store.request_resources(top, offices).await?;
    let mut hosting = request(
        ResourceKind::TechnicalInfrastructure,
        "Hosting, backups and monitoring of the customer platform",
        year,
    );
    hosting.amount = Some(Amount::parse("210000").map_err(StoreError::Config)?);
    hosting.currency = Some("EUR".into());
    let hosting = store.request_resources(isms, hosting).await?;
    store
        .decide_resources(
            top,
            hosting.id,
            approve("Renewed with the hosting contract"),
        )
        .await?;
    let mut infra = request(
        ResourceKind::TechnicalInfrastructure,
        "A second backup site for the customer platform",
        year,
    );
    infra.amount = Some(Amount::parse("120000").map_err(StoreError::Config)?);
    infra.currency = Some("EUR".into());
    store.request_resources(isms, infra).await?;
    Ok(5)
}

/// January 1st to December 31st of this year.
fn calendar_year(today: Date) -> StoreResult<(Date, Date)> {
    let day = |month, d| {
        Date::from_calendar_date(today.year(), month, d)
            .map_err(|e| StoreError::Config(e.to_string()))
    };
    Ok((day(Month::January, 1)?, day(Month::December, 31)?))
}

async fn seed_processes(
    store: &dyn Store,
    isms: &Account,
    cast: &Cast,
    today: Date,
) -> StoreResult<usize> {
    let actor = Actor::named(format!("account:{}", isms.id));
    let owners: Vec<_> = [Role::TopManagement, Role::IsmsManager, Role::Manager]
        .iter()
        .filter_map(|r| cast.account(*r).map(|a| a.person_id))
        .collect();
    let processes = store.list_processes(today).await?;
    for (index, process) in processes.iter().enumerate() {
        let key = process.standard_key.clone().unwrap_or_default();
        let Some((_, how, evidence)) = INTEGRATIONS.iter().find(|(k, _, _)| key.contains(k)) else {
            continue;
        };
        let stale = key.contains("supplier");
        let mut input = ProcessInput::from_process(process);
        input.integration = (*how).into();
        input.evidence = (*evidence).into();
        input.owner_id = owners.get(index % owners.len().max(1)).copied();
        if stale {
            input.verification_interval_days = 180;
        }
        store
            .update_process(&actor, process.id, input, today)
            .await?;
        let verified = VerificationInput {
            verified_on: Some(
                today - Duration::days(if stale { 300 } else { 20 + 30 * index as i64 }),
            ),
            evidence: None,
        };
        store
            .verify_process(isms, process.id, verified, today)
            .await?;
    }
    Ok(processes.len())
}

/// Briefings by the heads of most units over the year; the last units are left unbriefed.
async fn seed_briefings(store: &dyn Store, isms: &Account, today: Date) -> StoreResult<usize> {
    const TOPICS: &[&str] = &[
        "Phishing and how to report it",
        "The information security policy and what changed",
        "Handling customer data on laptops and phones",
        "Who to call in an incident",
    ];
    let units = store.all_units().await?;
    let headed: Vec<_> = units.iter().filter(|u| u.head_id.is_some()).collect();
    let briefed = headed.len().saturating_sub(2);
    let mut count = 0;
    for (index, unit) in headed.iter().take(briefed).enumerate() {
        let input = BriefingInput {
            manager_id: unit.head_id,
            unit_id: unit.id,
            briefed_on: today - Duration::days(15 + 23 * index as i64 % 300),
            topic: TOPICS[index % TOPICS.len()].into(),
            staff_count: 6 + (index as i32 * 7) % 30,
            attendee_ids: Vec::new(),
            notes: String::new(),
        };
        store.record_briefing(isms, input, today).await?;
        count += 1;
    }
    Ok(count)
}
