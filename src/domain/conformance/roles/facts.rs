//! What the role and coverage rules read, as the store loads it.

use time::Date;
use uuid::Uuid;

use crate::domain::role::RoleCategory;
use crate::domain::role_gaps::{AssignmentGap, GapList};
use crate::domain::sod::SodExceptionDecision;

/// What the role and coverage rules read on one day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleFacts {
    /// Every role of the catalog, in catalog order.
    pub roles: Vec<RoleFact>,
    /// Every ISMS activity with its RACI duties, in matrix order.
    pub activities: Vec<ActivityFact>,
    /// Segregation-of-duties rules in force.
    pub sod_rules: i64,
    /// Everyone (not departed) holding what a rule keeps apart, with the exception that may
    /// cover it.
    pub sod_conflicts: Vec<SodConflictFact>,
    /// Current assignments of people who have departed (the first ones, and the total).
    pub departed_holders: GapList<AssignmentGap>,
    /// Current assignments the holder has not acknowledged (the first ones, and the total).
    pub unacknowledged: GapList<AssignmentGap>,
    /// How many org units there are.
    pub units: i64,
    /// Every unit with a head, by unit name, with the head's line-manager assignments.
    pub unit_heads: Vec<UnitHeadFact>,
    /// Acknowledgment of the current top-level policy; `None` when none is published.
    pub coverage: Option<PolicyCoverageFacts>,
}

/// A role of the catalog and whether it is held today.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleFact {
    pub id: Uuid,
    pub name: String,
    pub category: RoleCategory,
    pub required: bool,
    pub responsibilities: Vec<String>,
    pub authorities: Vec<String>,
    /// Flagged as responsible for making the ISMS conform (5.3.a).
    pub conformance_owner: bool,
    /// Held today by at least one active person.
    pub held: bool,
}

/// An ISMS activity and the roles carrying its R and A duties.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFact {
    pub id: Uuid,
    pub name: String,
    pub accountable: Vec<Uuid>,
    pub responsible: Vec<Uuid>,
}

/// One person holding what one rule keeps apart.
#[derive(Debug, Clone, PartialEq)]
pub struct SodConflictFact {
    pub rule_id: Uuid,
    pub rationale: String,
    pub person_id: Uuid,
    pub person_name: String,
    pub role_a: String,
    pub role_b: String,
    /// The exception asked for this person and rule that goes furthest (approved with the latest
    /// expiry first, then requested, then rejected), if any.
    pub exception: Option<SodExceptionFact>,
}

/// A segregation-of-duties exception, as far as coverage goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SodExceptionFact {
    pub id: Uuid,
    pub decision: SodExceptionDecision,
    pub expires_on: Date,
}

impl SodExceptionFact {
    /// Approved and not expired on `day` (an exception counts through its expiry date).
    pub fn covers_on(&self, day: Date) -> bool {
        self.decision == SodExceptionDecision::Approved && self.expires_on >= day
    }
}

/// A unit with a head, and the head's current line-manager assignments that cover the unit
/// (organization-wide, or scoped to the unit or a unit above it).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitHeadFact {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub head_id: Uuid,
    pub head_name: String,
    pub head_departed: bool,
    pub line_manager: Vec<HeadAssignment>,
}

/// A current line-manager assignment of a unit head.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadAssignment {
    pub assignment_id: Uuid,
    pub role_id: Uuid,
    pub role_name: String,
    pub acknowledged: bool,
}

/// Acknowledgment of the published version of the top-level policy by active staff, through the
/// campaigns on that version: overall and per unit (sub-units rolled up into their parents).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyCoverageFacts {
    pub policy_id: Uuid,
    pub policy_title: String,
    pub version_id: Uuid,
    /// The version's number, e.g. "2.1".
    pub version: String,
    /// The campaigns on that version, oldest first; none means nobody was asked.
    pub campaigns: Vec<CampaignRef>,
    /// Active people, and how many of them acknowledged in one of the campaigns.
    pub staff: i64,
    pub acknowledged: i64,
    /// Units with active people, in tree order, each counting its sub-units.
    pub units: Vec<UnitCoverageFact>,
}

/// A campaign, for citing.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignRef {
    pub id: Uuid,
    pub title: String,
}

/// The active people of a unit (with its sub-units) and how many acknowledged.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitCoverageFact {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub staff: i64,
    pub acknowledged: i64,
}
