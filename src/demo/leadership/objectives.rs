//! A year of objectives with monthly or quarterly measurements: most on track, one at risk, one
//! missed (its due date passed short of the target), one correction recorded.

use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::Cast;
use crate::domain::Actor;
use crate::domain::access::Role;
use crate::domain::account::Account;
use crate::domain::objective::{Direction, MeasurementInput, ObjectiveInput};
use crate::store::{Store, StoreResult};

/// One demo objective: what, how it is measured, and its values, oldest first.
struct Plan {
    statement: &'static str,
    metric: &'static str,
    unit: &'static str,
    target: f64,
    direction: Direction,
    theme: &'static str,
    interval_days: i64,
    /// Days from today to the due date (negative: already passed).
    due_in_days: i64,
    values: &'static [f64],
    source: &'static str,
}

const PLANS: &[Plan] = &[
    Plan {
        statement: "Keep staff acknowledgment of the information security policy at 95 % or more",
        metric: "Active staff who acknowledged the current top-level policy",
        unit: "%",
        target: 95.0,
        direction: Direction::AtLeast,
        theme: "Customer trust",
        interval_days: 31,
        due_in_days: 200,
        values: &[
            81.0, 84.5, 86.0, 88.2, 90.1, 91.0, 92.4, 93.8, 94.6, 95.3, 96.0, 96.4,
        ],
        source: "Charter campaign coverage",
    },
    Plan {
        statement: "Patch critical vulnerabilities within 14 days",
        metric: "Median days from disclosure to patch, critical severity",
        unit: "days",
        target: 14.0,
        direction: Direction::AtMost,
        theme: "Operational resilience",
        interval_days: 31,
        due_in_days: -20,
        values: &[
            31.0, 29.0, 27.5, 26.0, 24.0, 22.0, 21.0, 20.5, 19.0, 18.0, 17.5, 17.0,
        ],
        source: "Vulnerability scanner monthly export",
    },
    Plan {
        statement: "Bring the phishing simulation click rate down to 5 % or less",
        metric: "Staff who clicked the simulated phishing link",
        unit: "%",
        target: 5.0,
        direction: Direction::AtMost,
        theme: "Growth in regulated markets",
        interval_days: 92,
        due_in_days: 150,
        values: &[14.0, 11.0, 8.5, 7.2],
        source: "Quarterly phishing simulation",
    },
    Plan {
        statement: "Assess every critical supplier's security each year",
        metric: "Critical suppliers with a current security assessment",
        unit: "%",
        target: 100.0,
        direction: Direction::AtLeast,
        theme: "Customer trust",
        interval_days: 92,
        due_in_days: 90,
        values: &[55.0, 70.0, 85.0, 100.0],
        source: "Supplier register",
    },
    Plan {
        statement: "Test the restore of every critical system each quarter",
        metric: "Critical systems restored successfully in a test this quarter",
        unit: "%",
        target: 100.0,
        direction: Direction::AtLeast,
        theme: "Operational resilience",
        interval_days: 92,
        due_in_days: 270,
        values: &[75.0, 90.0, 100.0, 100.0],
        source: "Backup restore test log",
    },
];

/// Writes the objectives and their measurements; returns how many of each.
pub(super) async fn seed_objectives(
    store: &dyn Store,
    isms: &Account,
    cast: &Cast,
    today: Date,
) -> StoreResult<(usize, usize)> {
    let actor = Actor::named(format!("account:{}", isms.id));
    let policy_id = store.top_level_policy().await?.map(|p| p.id);
    let owners: Vec<Uuid> = [Role::IsmsManager, Role::TopManagement, Role::Manager]
        .iter()
        .filter_map(|r| cast.account(*r).map(|a| a.person_id))
        .collect();
    let mut measurements = 0;
    for (index, plan) in PLANS.iter().enumerate() {
        let input = ObjectiveInput {
            statement: plan.statement.into(),
            metric: plan.metric.into(),
            unit: plan.unit.into(),
            target: plan.target,
            direction: plan.direction,
            owner_id: owners[index % owners.len().max(1)],
            due_on: today + Duration::days(plan.due_in_days),
            measurement_interval_days: plan.interval_days,
            theme: plan.theme.into(),
            policy_id: if index == 0 { policy_id } else { None },
        };
        let objective = store.create_objective(&actor, input, today).await?;
        let mut last = None;
        for (step, value) in plan.values.iter().enumerate() {
            let back = plan.interval_days * (plan.values.len() - 1 - step) as i64 + 3;
            let at = OffsetDateTime::new_utc(today - Duration::days(back), Time::MIDNIGHT)
                + Duration::hours(9);
            let m = MeasurementInput {
                value: *value,
                measured_at: Some(at),
                source: plan.source.into(),
                corrects_id: None,
            };
            last = Some(store.record_measurement(isms, objective.id, m).await?);
            measurements += 1;
        }
        if index == 3
            && let Some(wrong) = last
        {
            // The last supplier figure counted a supplier twice; the correction names it.
            let correction = MeasurementInput {
                value: 96.0,
                measured_at: Some(wrong.measured_at),
                source: "Supplier register, duplicate entry removed".into(),
                corrects_id: Some(wrong.id),
            };
            store
                .record_measurement(isms, objective.id, correction)
                .await?;
            measurements += 1;
        }
    }
    Ok((PLANS.len(), measurements))
}
