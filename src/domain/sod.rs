//! Segregation of duties (A.5.3): rules naming two roles, or two RACI duties, that one person must
//! not hold together; the violations they find; and the exceptions top management approves.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::person::iso_date;
use super::raci::{Duty, RaciCell};

/// What a rule declares in conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SodConflict {
    /// Holding both roles.
    Roles { role_a: Uuid, role_b: Uuid },
    /// Holding a role with `duty_a` on `activity_a` and one with `duty_b` on `activity_b` (the same
    /// role counts: one role carrying both duties puts every holder in conflict).
    Duties {
        activity_a: Uuid,
        duty_a: Duty,
        activity_b: Uuid,
        duty_b: Duty,
    },
}

/// A rule as stored, with the names of what it joins for display.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SodRule {
    pub id: Uuid,
    pub conflict: SodConflict,
    /// Why the two must be kept apart.
    pub rationale: String,
    /// "Risk owner" or "Accountable for Approving risk treatment".
    pub side_a: String,
    pub side_b: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct SodRuleInput {
    pub conflict: SodConflict,
    #[serde(default)]
    pub rationale: String,
}

impl SodRuleInput {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.rationale = self.rationale.trim().to_owned();
        if self.rationale.is_empty() || self.rationale.chars().count() > 2000 {
            errors.add(
                "rationale",
                "say why these must be kept apart (at most 2000 characters)",
            );
        }
        match self.conflict {
            SodConflict::Roles { role_a, role_b } if role_a == role_b => {
                errors.add("conflict", "a role cannot conflict with itself");
            }
            SodConflict::Duties {
                activity_a,
                duty_a,
                activity_b,
                duty_b,
            } if activity_a == activity_b && duty_a == duty_b => {
                errors.add("conflict", "a duty cannot conflict with itself");
            }
            _ => {}
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// Two roles one person must not hold together, and the rule that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RolePair {
    pub rule_id: Uuid,
    pub role_a: Uuid,
    pub role_b: Uuid,
}

/// Every pair of roles the rules put in conflict, duties expanded through the matrix. A role that
/// carries both duties of a rule gives the pair (role, role).
pub fn conflicting_pairs(rules: &[SodRule], cells: &[RaciCell]) -> Vec<RolePair> {
    let roles_with = |activity: Uuid, duty: Duty| -> Vec<Uuid> {
        cells
            .iter()
            .filter(|c| c.activity_id == activity && c.duty == duty)
            .map(|c| c.role_id)
            .collect()
    };
    let mut pairs = Vec::new();
    let mut seen = HashSet::new();
    for rule in rules {
        let candidates: Vec<(Uuid, Uuid)> = match rule.conflict {
            SodConflict::Roles { role_a, role_b } => vec![(role_a, role_b)],
            SodConflict::Duties {
                activity_a,
                duty_a,
                activity_b,
                duty_b,
            } => {
                let side_b = roles_with(activity_b, duty_b);
                roles_with(activity_a, duty_a)
                    .into_iter()
                    .flat_map(|a| side_b.iter().map(move |&b| (a, b)))
                    .collect()
            }
        };
        for (a, b) in candidates {
            let (role_a, role_b) = if a <= b { (a, b) } else { (b, a) };
            if seen.insert((rule.id, role_a, role_b)) {
                pairs.push(RolePair {
                    rule_id: rule.id,
                    role_a,
                    role_b,
                });
            }
        }
    }
    pairs
}

/// The pairs a person would be in if they held `held` roles plus `new_role`.
pub fn pairs_broken_by(pairs: &[RolePair], held: &[Uuid], new_role: Uuid) -> Vec<RolePair> {
    pairs
        .iter()
        .filter(|p| {
            (p.role_a == new_role && (p.role_b == new_role || held.contains(&p.role_b)))
                || (p.role_b == new_role && held.contains(&p.role_a))
        })
        .copied()
        .collect()
}

/// One person in conflict under one rule.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SodViolation {
    pub rule_id: Uuid,
    pub rationale: String,
    pub person_id: Uuid,
    pub person_name: String,
    pub role_a_id: Uuid,
    pub role_a_name: String,
    pub role_b_id: Uuid,
    pub role_b_name: String,
    /// The approved, unexpired exception that covers it; `None` is a nonconformity.
    pub covered_by: Option<Uuid>,
}

/// Where an exception's decision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SodExceptionDecision {
    Requested,
    Approved,
    Rejected,
}

text_enum!(SodExceptionDecision, "decision", Requested => "requested",
    Approved => "approved", Rejected => "rejected");

/// Where an exception stands today (expiry is read from the date, nothing has to run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SodExceptionState {
    Requested,
    Active,
    Expired,
    Rejected,
}

/// Permission for one person to hold what one rule keeps apart, until a date.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SodException {
    pub id: Uuid,
    pub rule_id: Uuid,
    pub rationale: String,
    pub person_id: Uuid,
    pub person_name: String,
    pub justification: String,
    /// What limits the risk meanwhile.
    pub compensating_controls: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub expires_on: Date,
    pub requested_by: Uuid,
    pub requested_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    pub decision: SodExceptionDecision,
    pub decided_by: Option<Uuid>,
    pub decided_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    pub decision_note: Option<String>,
    pub state: SodExceptionState,
}

impl SodException {
    pub fn state_on(
        decision: SodExceptionDecision,
        expires_on: Date,
        day: Date,
    ) -> SodExceptionState {
        match decision {
            SodExceptionDecision::Requested => SodExceptionState::Requested,
            SodExceptionDecision::Rejected => SodExceptionState::Rejected,
            SodExceptionDecision::Approved if expires_on < day => SodExceptionState::Expired,
            SodExceptionDecision::Approved => SodExceptionState::Active,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct SodExceptionInput {
    pub rule_id: Uuid,
    pub person_id: Uuid,
    pub justification: String,
    #[serde(default)]
    pub compensating_controls: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub expires_on: Date,
}

impl SodExceptionInput {
    pub fn validate(mut self, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.justification = self.justification.trim().to_owned();
        if self.justification.is_empty() || self.justification.chars().count() > 4000 {
            errors.add(
                "justification",
                "say why the conflict is needed (at most 4000 characters)",
            );
        }
        self.compensating_controls = self.compensating_controls.trim().to_owned();
        if self.compensating_controls.chars().count() > 4000 {
            errors.add("compensating_controls", "must be at most 4000 characters");
        }
        if self.expires_on <= today || (self.expires_on - today).whole_days() > 366 {
            errors.add("expires_on", "must be after today and within a year");
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// Approving or rejecting an exception.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct SodExceptionDecisionInput {
    pub approve: bool,
    #[serde(default)]
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(conflict: SodConflict) -> SodRule {
        SodRule {
            id: Uuid::now_v7(),
            conflict,
            rationale: "apart".into(),
            side_a: String::new(),
            side_b: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn duty_rules_expand_to_every_pair_of_roles_carrying_the_duties() {
        let (decide, audit) = (Uuid::now_v7(), Uuid::now_v7());
        let (owner, auditor, both) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let cells = [
            RaciCell {
                activity_id: decide,
                role_id: owner,
                duty: Duty::Accountable,
            },
            RaciCell {
                activity_id: audit,
                role_id: auditor,
                duty: Duty::Responsible,
            },
            RaciCell {
                activity_id: decide,
                role_id: both,
                duty: Duty::Accountable,
            },
            RaciCell {
                activity_id: audit,
                role_id: both,
                duty: Duty::Responsible,
            },
            RaciCell {
                activity_id: audit,
                role_id: owner,
                duty: Duty::Informed,
            },
        ];
        let rules = [rule(SodConflict::Duties {
            activity_a: decide,
            duty_a: Duty::Accountable,
            activity_b: audit,
            duty_b: Duty::Responsible,
        })];
        let pairs = conflicting_pairs(&rules, &cells);
        assert_eq!(pairs.len(), 4, "{pairs:?}");
        assert!(pairs.iter().any(|p| p.role_a == both && p.role_b == both));
        assert!(!pairs.iter().any(|p| p.role_a == owner && p.role_b == owner));
    }

    #[test]
    fn an_assignment_breaks_a_rule_only_when_the_other_side_is_held() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let pairs = conflicting_pairs(
            &[rule(SodConflict::Roles {
                role_a: a,
                role_b: b,
            })],
            &[],
        );
        assert!(pairs_broken_by(&pairs, &[c], a).is_empty());
        assert_eq!(pairs_broken_by(&pairs, &[b, c], a).len(), 1);
        assert_eq!(pairs_broken_by(&pairs, &[a], b).len(), 1);
    }

    #[test]
    fn an_approved_exception_lapses_after_its_expiry() {
        let day = time::macros::date!(2026 - 05 - 01);
        let state = |expires| SodException::state_on(SodExceptionDecision::Approved, expires, day);
        assert_eq!(state(day), SodExceptionState::Active);
        assert_eq!(
            state(day.previous_day().expect("valid")),
            SodExceptionState::Expired
        );
    }
}
