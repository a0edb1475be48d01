//! Resource commitments (5.1.c): what the ISMS asks for (money, people, facilities, technical
//! infrastructure), decided by top management, never by whoever asked; and the explicit decision
//! that no additional resources of a type are needed for a period.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::person::iso_date;

mod amount;
mod summary;

pub use amount::Amount;
pub use summary::{MoneyTotal, ResourceTypeSummary};

/// What kind of resource a commitment is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Financial,
    Personnel,
    Facilities,
    TechnicalInfrastructure,
}

text_enum!(ResourceKind, "resource type", Financial => "financial", Personnel => "personnel",
    Facilities => "facilities", TechnicalInfrastructure => "technical_infrastructure");

impl ResourceKind {
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Financial => "Financial",
            ResourceKind::Personnel => "Personnel",
            ResourceKind::Facilities => "Facilities",
            ResourceKind::TechnicalInfrastructure => "Technical infrastructure",
        }
    }
}

/// Where a commitment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentStatus {
    Requested,
    Approved,
    Rejected,
    Withdrawn,
}

text_enum!(CommitmentStatus, "status", Requested => "requested", Approved => "approved",
    Rejected => "rejected", Withdrawn => "withdrawn");

/// A request for resources, or top management's decision that none are needed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ResourceCommitment {
    pub id: Uuid,
    pub kind: ResourceKind,
    pub description: String,
    /// Money, in `currency`, as a decimal text with two places ("12500.00").
    #[schema(value_type = Option<String>, example = "12500.00")]
    pub amount: Option<Amount>,
    /// ISO 4217 code of `amount`.
    pub currency: Option<String>,
    /// Full-time equivalents.
    pub fte: Option<f64>,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub period_start: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub period_end: Date,
    /// Top management's explicit decision that no additional resources of this type are needed
    /// for the period: recorded and decided in one step by the same member of top management.
    pub none_needed: bool,
    pub status: CommitmentStatus,
    /// The person who asked (or who recorded a "none needed" decision).
    pub requested_by: Uuid,
    pub requested_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    /// The member of top management who decided.
    pub decided_by: Option<Uuid>,
    pub decided_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    pub decision_comment: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// What a request (or a "none needed" decision) is made with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct ResourceCommitmentInput {
    pub kind: ResourceKind,
    /// What the resources are for; for "none needed", why none are.
    pub description: String,
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "12500.00")]
    pub amount: Option<Amount>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub fte: Option<f64>,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub period_start: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub period_end: Date,
    /// Records top management's decision that no additional resources of this type are needed
    /// for the period (no amount, no FTE); only a member of top management may.
    #[serde(default)]
    pub none_needed: bool,
}

/// The longest period one commitment covers.
pub const MAX_PERIOD_DAYS: i64 = 5 * 366;
/// The most FTE one commitment asks for.
const MAX_FTE: f64 = 100_000.0;

impl ResourceCommitmentInput {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.description = self.description.trim().to_owned();
        if self.description.is_empty() {
            let what = if self.none_needed {
                "say why no additional resources are needed"
            } else {
                "say what the resources are for"
            };
            errors.add("description", what);
        } else if self.description.chars().count() > 4000 {
            errors.add("description", "must be at most 4000 characters");
        }
        self.currency = self.currency.map(|c| c.trim().to_ascii_uppercase());
        self.currency = self.currency.filter(|c| !c.is_empty());
        if self.none_needed {
            if self.amount.is_some() || self.fte.is_some() {
                errors.add(
                    "none_needed",
                    "a decision that none are needed has no amount or FTE",
                );
            }
            self.currency = None;
        } else {
            self.check_quantities(&mut errors);
        }
        if self.period_end < self.period_start {
            errors.add("period_end", "must be on or after the start of the period");
        } else if (self.period_end - self.period_start).whole_days() > MAX_PERIOD_DAYS {
            errors.add("period_end", "must be within five years of the start");
        }
        errors.into_result()?;
        self.fte = self.fte.map(|f| (f * 100.0).round() / 100.0);
        Ok(self)
    }

    fn check_quantities(&self, errors: &mut FieldErrors) {
        if self.amount.is_none() && self.fte.is_none() {
            errors.add(
                "amount",
                "give an amount of money or a number of FTE (or both)",
            );
        }
        if let Some(amount) = self.amount {
            if amount.minor() <= 0 {
                errors.add("amount", "must be more than zero");
            }
            match self.currency.as_deref() {
                None => errors.add("currency", "is required with an amount (e.g. EUR)"),
                Some(code) if !is_currency_code(code) => {
                    errors.add("currency", "must be a three-letter code such as EUR or USD")
                }
                Some(_) => {}
            }
        } else if self.currency.is_some() {
            errors.add("amount", "is required with a currency");
        }
        if let Some(fte) = self.fte
            && (!fte.is_finite() || fte <= 0.0 || fte > MAX_FTE)
        {
            errors.add(
                "fte",
                "must be a number of full-time equivalents above zero",
            );
        }
    }
}

fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}

/// Top management's answer to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResourceDecision {
    Approve,
    Reject,
}

text_enum!(ResourceDecision, "decision", Approve => "approve", Reject => "reject");

/// A decision and the comment that goes with it.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct ResourceDecisionInput {
    pub decision: ResourceDecision,
    #[serde(default)]
    pub comment: String,
}

impl ResourceDecisionInput {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        self.comment = self.comment.trim().to_owned();
        if self.comment.is_empty() || self.comment.chars().count() > 4000 {
            return Err(FieldErrors::single(
                "comment",
                "say why (at most 4000 characters): the comment goes with the decision",
            ));
        }
        Ok(self)
    }
}

/// Narrows the list of commitments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceFilter {
    pub kind: Option<ResourceKind>,
    pub status: Option<CommitmentStatus>,
    /// Asked for by this person.
    pub requested_by: Option<Uuid>,
    /// Only requests this person may decide: awaiting a decision and asked for by someone else.
    pub awaiting_decision_by: Option<Uuid>,
    /// Periods that end on or after this day.
    pub from: Option<Date>,
    /// Periods that start on or before this day.
    pub to: Option<Date>,
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn input() -> ResourceCommitmentInput {
        ResourceCommitmentInput {
            kind: ResourceKind::Financial,
            description: "Penetration test of the customer portal".into(),
            amount: Some(Amount::parse("18000").expect("amount")),
            currency: Some("eur".into()),
            fte: None,
            period_start: date!(2026 - 01 - 01),
            period_end: date!(2026 - 12 - 31),
            none_needed: false,
        }
    }

    #[test]
    fn a_request_names_an_amount_in_a_currency_or_fte() {
        let valid = input().validate().expect("valid");
        assert_eq!(valid.currency.as_deref(), Some("EUR"));
        let nothing = ResourceCommitmentInput {
            amount: None,
            currency: None,
            ..input()
        };
        assert!(
            nothing
                .validate()
                .expect_err("refused")
                .get("amount")
                .is_some()
        );
        let no_currency = ResourceCommitmentInput {
            currency: None,
            ..input()
        };
        let errors = no_currency.validate().expect_err("refused");
        assert!(errors.get("currency").is_some());
        let people = ResourceCommitmentInput {
            kind: ResourceKind::Personnel,
            amount: None,
            currency: None,
            fte: Some(1.5),
            ..input()
        };
        assert!(people.validate().is_ok());
    }

    #[test]
    fn none_needed_carries_no_quantity_and_periods_run_forwards() {
        let none = ResourceCommitmentInput {
            none_needed: true,
            ..input()
        };
        assert!(
            none.validate()
                .expect_err("refused")
                .get("none_needed")
                .is_some()
        );
        let none = ResourceCommitmentInput {
            none_needed: true,
            amount: None,
            currency: None,
            ..input()
        };
        assert!(none.validate().is_ok());
        let backwards = ResourceCommitmentInput {
            period_end: date!(2025 - 12 - 31),
            ..input()
        };
        assert!(
            backwards
                .validate()
                .expect_err("refused")
                .get("period_end")
                .is_some()
        );
    }

    #[test]
    fn a_decision_comes_with_a_comment() {
        let blank = ResourceDecisionInput {
            decision: ResourceDecision::Approve,
            comment: "  ".into(),
        };
        assert!(blank.validate().is_err());
    }
}
