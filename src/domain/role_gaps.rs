//! Gaps in the allocation of roles: what 5.3 and A.5.2 would find missing today.

use serde::Serialize;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use super::person::iso_date;

/// How many items of each list a gap report carries (the totals count them all).
pub const GAP_LIST_LIMIT: usize = 100;

/// A role with a gap.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RoleGap {
    pub role_id: Uuid,
    pub role_name: String,
}

/// An activity with a gap; `role_*` name its Accountable role when it has one.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ActivityGap {
    pub activity_id: Uuid,
    pub activity_name: String,
    pub role_id: Option<Uuid>,
    pub role_name: Option<String>,
}

/// An assignment with a gap.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AssignmentGap {
    pub assignment_id: Uuid,
    pub role_id: Uuid,
    pub role_name: String,
    pub person_id: Uuid,
    pub person_name: String,
    /// The date that matters: the end of the tenure, or the expiry of the competence evidence.
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub on: Option<Date>,
}

/// A list with the total it was cut from.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GapList<T> {
    pub total: i64,
    pub items: Vec<T>,
}

impl<T> Default for GapList<T> {
    fn default() -> Self {
        Self {
            total: 0,
            items: Vec::new(),
        }
    }
}

/// Every gap in role allocation on a day.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RoleGaps {
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// Required roles no active person holds.
    pub vacant_required: Vec<RoleGap>,
    /// Critical roles without a deputy held by an active person.
    pub critical_without_deputy: Vec<RoleGap>,
    /// `conformance_owner` / `performance_reporter` when no role carries the flag, or its role
    /// is vacant.
    pub named_duties_unassigned: Vec<String>,
    /// Activities with no Accountable role.
    pub activities_without_accountable: Vec<ActivityGap>,
    /// Activities whose Accountable role no active person holds.
    pub accountable_not_held: Vec<ActivityGap>,
    /// Activities with no Responsible role.
    pub activities_without_responsible: Vec<ActivityGap>,
    /// Current assignments of people who have departed (to hand over).
    pub departed_holders: GapList<AssignmentGap>,
    /// Current assignments that end within 30 days.
    pub ending_soon: GapList<AssignmentGap>,
    /// Current assignments the holder has not acknowledged.
    pub unacknowledged: GapList<AssignmentGap>,
    /// Current assignments of roles that need competence with no valid evidence today.
    pub lapsed_competence: GapList<AssignmentGap>,
}

impl RoleGaps {
    /// No gap found (yet) on `on`.
    pub fn none_on(on: Date) -> Self {
        Self {
            on,
            vacant_required: Vec::new(),
            critical_without_deputy: Vec::new(),
            named_duties_unassigned: Vec::new(),
            activities_without_accountable: Vec::new(),
            accountable_not_held: Vec::new(),
            activities_without_responsible: Vec::new(),
            departed_holders: GapList::default(),
            ending_soon: GapList::default(),
            unacknowledged: GapList::default(),
            lapsed_competence: GapList::default(),
        }
    }

    /// How many gaps in all.
    pub fn total(&self) -> i64 {
        (self.vacant_required.len()
            + self.critical_without_deputy.len()
            + self.named_duties_unassigned.len()
            + self.activities_without_accountable.len()
            + self.accountable_not_held.len()
            + self.activities_without_responsible.len()) as i64
            + self.departed_holders.total
            + self.ending_soon.total
            + self.unacknowledged.total
            + self.lapsed_competence.total
    }
}

/// The days ahead within which an ending assignment is a gap.
pub const ENDING_SOON_DAYS: i64 = 30;
