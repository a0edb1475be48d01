//! Acknowledgment campaigns (5.2.f, A.6.3): a published policy version sent to an audience with a
//! due date, the acknowledgment it asks of each person, the reminder schedule, and coverage.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::FieldErrors;
use super::access::Role;
use super::person::iso_date;
use super::policy::Audience;
use super::policy_version::VersionNumber;
use super::unit::{Unit, tree_order};

/// The statement a reader confirms unless the campaign says otherwise.
pub const DEFAULT_STATEMENT: &str =
    "I have read and understood this policy, and I will follow it in my work.";

/// The furthest ahead a due date may be.
pub const MAX_DUE_DAYS: i64 = 365;

/// Whom a campaign or a communication addresses; resolved to active people when it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CampaignAudience {
    /// Every active person.
    Everyone,
    /// The active people of these units and of all their sub-units.
    Units { unit_ids: Vec<Uuid> },
    /// The active people whose account holds one of these roles.
    Roles { roles: Vec<Role> },
    /// These people (those of them who are active).
    People { person_ids: Vec<Uuid> },
}

impl CampaignAudience {
    pub fn describe(&self) -> String {
        match self {
            CampaignAudience::Everyone => "Everyone".into(),
            CampaignAudience::Units { unit_ids } => {
                format!("{} unit(s) with their sub-units", unit_ids.len())
            }
            CampaignAudience::Roles { roles } => {
                let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                format!("Holders of: {}", names.join(", "))
            }
            CampaignAudience::People { person_ids } => format!("{} named people", person_ids.len()),
        }
    }

    /// An audience must name somebody: lists may not be empty.
    pub fn validate(&self, errors: &mut FieldErrors) {
        let empty = match self {
            CampaignAudience::Everyone => false,
            CampaignAudience::Units { unit_ids } => unit_ids.is_empty(),
            CampaignAudience::Roles { roles } => roles.is_empty(),
            CampaignAudience::People { person_ids } => person_ids.is_empty(),
        };
        if empty {
            errors.add(
                "audience",
                "names nobody: choose at least one unit, role or person",
            );
        }
    }

    /// The policy's own audience, as a campaign sends to it. Role names the tool does not know
    /// are left out (the role catalog may name roles no account holds).
    pub fn from_policy(audience: &Audience) -> Self {
        match audience {
            Audience::Everyone => CampaignAudience::Everyone,
            Audience::Units { unit_ids } => CampaignAudience::Units {
                unit_ids: unit_ids.clone(),
            },
            Audience::Roles { roles } => CampaignAudience::Roles {
                roles: roles.iter().filter_map(|r| r.parse().ok()).collect(),
            },
        }
    }
}

/// When reminders go out, counted from the due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReminderSchedule {
    /// Days before the due date (for example 7 and 1).
    #[serde(default)]
    pub days_before: Vec<u32>,
    /// On the due date itself.
    #[serde(default)]
    pub on_due_date: bool,
    /// Every this many days once overdue (7 for weekly); none to stop at the due date.
    #[serde(default)]
    pub every_days_after: Option<u32>,
}

impl Default for ReminderSchedule {
    fn default() -> Self {
        Self {
            days_before: vec![7],
            on_due_date: true,
            every_days_after: Some(7),
        }
    }
}

impl ReminderSchedule {
    /// Whether a person still pending with this due date is reminded on `today`.
    pub fn reminds_on(&self, due_on: Date, today: Date) -> bool {
        let days_left = (due_on - today).whole_days();
        if days_left > 0 {
            return self.days_before.iter().any(|&d| i64::from(d) == days_left);
        }
        if days_left == 0 {
            return self.on_due_date;
        }
        self.every_days_after
            .is_some_and(|every| every > 0 && (-days_left) % i64::from(every) == 0)
    }

    pub fn validate(mut self, errors: &mut FieldErrors) -> Self {
        self.days_before.sort_unstable();
        self.days_before.dedup();
        if self.days_before.len() > 5 || self.days_before.iter().any(|&d| d == 0 || d > 90) {
            errors.add(
                "reminders.days_before",
                "must be at most 5 numbers of days, each from 1 to 90",
            );
        }
        if self.every_days_after.is_some_and(|d| d == 0 || d > 30) {
            errors.add("reminders.every_days_after", "must be from 1 to 30 days");
        }
        self
    }

    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .days_before
            .iter()
            .rev()
            .map(|d| format!("{d} day(s) before"))
            .collect();
        if self.on_due_date {
            parts.push("on the due date".into());
        }
        if let Some(every) = self.every_days_after {
            parts.push(format!("every {every} day(s) after"));
        }
        if parts.is_empty() {
            "No reminders".into()
        } else {
            parts.join(", ")
        }
    }
}

/// Whether a campaign still takes acknowledgments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Open,
    /// Closed by hand, or because a major version replaced the one it asked about.
    Closed,
}

text_enum!(CampaignStatus, "campaign status", Open => "open", Closed => "closed");

/// Acknowledged, pending or overdue: how many of a campaign's people stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct CoverageCounts {
    pub total: i64,
    pub acknowledged: i64,
    /// Not acknowledged, due date not yet passed.
    pub pending: i64,
    /// Not acknowledged, due date passed.
    pub overdue: i64,
}

impl CoverageCounts {
    /// Acknowledged as a whole percentage of the total (100 when nobody is asked).
    pub fn percent(&self) -> i64 {
        if self.total == 0 {
            100
        } else {
            self.acknowledged * 100 / self.total
        }
    }

    pub fn add(&mut self, other: &CoverageCounts) {
        self.total += other.total;
        self.acknowledged += other.acknowledged;
        self.pending += other.pending;
        self.overdue += other.overdue;
    }
}

/// A campaign as stored, with the names its pages show and its counts today.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Campaign {
    pub id: Uuid,
    pub policy_id: Uuid,
    pub policy_title: String,
    /// The version people acknowledge; a minor version published later takes its place.
    pub version_id: Uuid,
    pub version_number: VersionNumber,
    pub title: String,
    pub audience: CampaignAudience,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    /// Days a person who joins the audience later has to acknowledge.
    pub days_to_acknowledge: u32,
    pub statement: String,
    pub reminders: ReminderSchedule,
    pub status: CampaignStatus,
    pub launched_by: Uuid,
    pub launched_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub launched_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    pub counts: CoverageCounts,
}

/// What a campaign is launched with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct CampaignInput {
    /// A published version.
    pub version_id: Uuid,
    /// Defaults to "<policy> <version>".
    #[serde(default)]
    pub title: Option<String>,
    /// Defaults to the policy's own audience.
    #[serde(default)]
    pub audience: Option<CampaignAudience>,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    /// The statement readers confirm; defaults to `DEFAULT_STATEMENT`.
    #[serde(default)]
    pub statement: Option<String>,
    #[serde(default)]
    pub reminders: Option<ReminderSchedule>,
}

impl CampaignInput {
    /// Checks what needs no database; the store checks the version and resolves the audience.
    pub fn validate(mut self, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if let Some(title) = self.title.as_deref().map(str::trim) {
            if title.chars().count() > 200 {
                errors.add("title", "must be at most 200 characters");
            }
            self.title = (!title.is_empty()).then(|| title.to_owned());
        }
        if let Some(audience) = &self.audience {
            audience.validate(&mut errors);
        }
        if self.due_on < today {
            errors.add("due_on", "is in the past: choose today or a later date");
        } else if (self.due_on - today).whole_days() > MAX_DUE_DAYS {
            errors.add("due_on", "must be within a year");
        }
        if let Some(statement) = self.statement.as_deref().map(str::trim) {
            if statement.chars().count() > 1000 {
                errors.add("statement", "must be at most 1000 characters");
            }
            self.statement = (!statement.is_empty()).then(|| statement.to_owned());
        }
        self.reminders = self.reminders.map(|r| r.validate(&mut errors));
        errors.into_result()?;
        Ok(self)
    }
}

/// Where one person stands in a campaign today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AckState {
    Acknowledged,
    Pending,
    Overdue,
}

text_enum!(AckState, "acknowledgment state", Acknowledged => "acknowledged",
    Pending => "pending", Overdue => "overdue");

impl AckState {
    pub fn on(acknowledged: bool, due_on: Date, today: Date) -> Self {
        match (acknowledged, due_on < today) {
            (true, _) => AckState::Acknowledged,
            (false, false) => AckState::Pending,
            (false, true) => AckState::Overdue,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AckState::Acknowledged => "Acknowledged",
            AckState::Pending => "Pending",
            AckState::Overdue => "Overdue",
        }
    }
}

/// One person's acknowledgment in a campaign: pending until they confirm the exact version.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Acknowledgment {
    pub campaign_id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub email: String,
    pub unit_id: Option<Uuid>,
    pub unit_name: Option<String>,
    pub manager_id: Option<Uuid>,
    pub manager_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub assigned_at: OffsetDateTime,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    /// Joined the audience after the launch (a new hire or a move).
    pub joined_late: bool,
    pub state: AckState,
    #[serde(with = "time::serde::rfc3339::option")]
    pub acknowledged_at: Option<OffsetDateTime>,
    /// The version confirmed and its content hash.
    pub version_id: Option<Uuid>,
    pub version_number: Option<VersionNumber>,
    pub content_hash: Option<String>,
    /// The statement text shown when they confirmed.
    pub statement: Option<String>,
}

/// A campaign as one person sees it in "my tasks".
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MyAcknowledgment {
    pub campaign_id: Uuid,
    pub campaign_title: String,
    pub policy_id: Uuid,
    pub policy_title: String,
    pub version_id: Uuid,
    pub version_number: VersionNumber,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    pub state: AckState,
    #[serde(with = "time::serde::rfc3339::option")]
    pub acknowledged_at: Option<OffsetDateTime>,
}

/// One person confirming one campaign's version; the store checks it is theirs and current.
#[derive(Debug, Clone, PartialEq)]
pub struct AckRequest {
    pub campaign_id: Uuid,
    /// The signed-in account, and the person it belongs to.
    pub account_id: Uuid,
    pub person_id: Uuid,
    /// The version the reader was shown.
    pub version_id: Uuid,
}

/// The record of an acknowledgment, as the reader gets it back.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AckReceipt {
    pub campaign_id: Uuid,
    pub person_id: Uuid,
    pub version_id: Uuid,
    pub version_number: VersionNumber,
    pub content_hash: String,
    pub statement: String,
    #[serde(with = "time::serde::rfc3339")]
    pub acknowledged_at: OffsetDateTime,
}

/// Which people of a campaign to list or count.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AckFilter {
    pub state: Option<AckState>,
    /// People of this unit and its sub-units.
    pub unit_id: Option<Uuid>,
    /// Text in the person's name or email.
    pub q: Option<String>,
    /// Only this manager's team (set by the server for managers).
    #[serde(skip)]
    #[param(ignore)]
    pub team_of: Option<Uuid>,
}

/// Filters for listing campaigns.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignFilter {
    pub status: Option<CampaignStatus>,
    pub policy_id: Option<Uuid>,
}

/// A unit's coverage, counting its sub-units.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnitCoverage {
    pub unit_id: Uuid,
    pub unit_name: String,
    /// Depth in the unit tree (0 for a top unit).
    pub depth: usize,
    pub counts: CoverageCounts,
}

/// Acknowledgments so far, by day: the trend of a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct TrendPoint {
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// Acknowledged by the end of that day.
    pub acknowledged: i64,
}

/// Rolls counts per unit (people directly in it) up the tree: each unit counts its sub-units.
/// Units nobody in the campaign belongs to are left out; the order is the tree's.
pub fn roll_up(units: &[Unit], direct: &HashMap<Uuid, CoverageCounts>) -> Vec<UnitCoverage> {
    let ordered = tree_order(units);
    let mut totals: HashMap<Uuid, CoverageCounts> = HashMap::new();
    let parents: HashMap<Uuid, Option<Uuid>> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    for (&unit_id, counts) in direct {
        let mut at = Some(unit_id);
        let mut steps = 0;
        while let Some(id) = at {
            totals.entry(id).or_default().add(counts);
            at = parents.get(&id).copied().flatten();
            steps += 1;
            if steps > units.len() {
                break;
            }
        }
    }
    ordered
        .into_iter()
        .filter_map(|(depth, unit)| {
            let counts = *totals.get(&unit.id)?;
            (counts.total > 0).then(|| UnitCoverage {
                unit_id: unit.id,
                unit_name: unit.name.clone(),
                depth,
                counts,
            })
        })
        .collect()
}

/// Cumulative acknowledgments per day from the first day to `today`, from counts per day.
pub fn trend(from: Date, today: Date, per_day: &[(Date, i64)]) -> Vec<TrendPoint> {
    let by_day: HashMap<Date, i64> = per_day.iter().copied().collect();
    let mut points = Vec::new();
    let mut running = per_day
        .iter()
        .filter(|(day, _)| *day < from)
        .map(|(_, n)| n)
        .sum::<i64>();
    let mut day = from;
    while day <= today && points.len() < 400 {
        running += by_day.get(&day).copied().unwrap_or(0);
        points.push(TrendPoint {
            on: day,
            acknowledged: running,
        });
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_default_schedule_reminds_a_week_before_on_the_day_and_weekly_after() {
        let schedule = ReminderSchedule::default();
        let due = date!(2026 - 12 - 15);
        let reminded: Vec<i64> = (-30..30)
            .filter(|&offset| {
                schedule.reminds_on(due, due.saturating_add(time::Duration::days(offset)))
            })
            .collect();
        assert_eq!(reminded, vec![-7, 0, 7, 14, 21, 28]);
    }

    #[test]
    fn a_due_date_in_the_past_and_an_empty_audience_are_refused() {
        let today = date!(2026 - 11 - 30);
        let input = CampaignInput {
            version_id: Uuid::nil(),
            title: None,
            audience: Some(CampaignAudience::Units { unit_ids: vec![] }),
            due_on: date!(2026 - 11 - 29),
            statement: None,
            reminders: Some(ReminderSchedule {
                days_before: vec![0],
                on_due_date: false,
                every_days_after: Some(99),
            }),
        };
        let errors = input.validate(today).expect_err("refused");
        for field in [
            "audience",
            "due_on",
            "reminders.days_before",
            "reminders.every_days_after",
        ] {
            assert!(errors.get(field).is_some(), "{field}: {}", errors.summary());
        }
    }

    #[test]
    fn coverage_rolls_up_to_parent_units() {
        let at = OffsetDateTime::UNIX_EPOCH;
        let unit = |name: &str, parent: Option<Uuid>| Unit {
            id: Uuid::now_v7(),
            name: name.into(),
            description: String::new(),
            parent_id: parent,
            head_id: None,
            created_at: at,
            updated_at: at,
        };
        let top = unit("Company", None);
        let child = unit("Sales", Some(top.id));
        let idle = unit("Idle", Some(top.id));
        let direct = HashMap::from([
            (
                top.id,
                CoverageCounts {
                    total: 2,
                    acknowledged: 1,
                    pending: 1,
                    overdue: 0,
                },
            ),
            (
                child.id,
                CoverageCounts {
                    total: 4,
                    acknowledged: 1,
                    pending: 0,
                    overdue: 3,
                },
            ),
        ]);
        let units = vec![top.clone(), child.clone(), idle];
        let rolled = roll_up(&units, &direct);
        assert_eq!(rolled.len(), 2, "a unit with nobody is left out");
        assert_eq!(rolled[0].unit_id, top.id);
        assert_eq!(rolled[0].counts.total, 6);
        assert_eq!(rolled[0].counts.overdue, 3);
        assert_eq!(rolled[1].depth, 1);
        assert_eq!(rolled[1].counts.percent(), 25);
    }

    #[test]
    fn the_trend_accumulates_by_day() {
        let points = trend(
            date!(2026 - 11 - 01),
            date!(2026 - 11 - 04),
            &[(date!(2026 - 11 - 01), 2), (date!(2026 - 11 - 03), 5)],
        );
        let values: Vec<i64> = points.iter().map(|p| p.acknowledged).collect();
        assert_eq!(values, vec![2, 2, 7, 7]);
    }
}
