//! What a period holds per resource type: money approved per currency, FTE, and whether top
//! management decided that none are needed; a type with neither is "not considered".

use serde::Serialize;
use utoipa::ToSchema;

use super::{Amount, ResourceKind};

/// The money approved in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MoneyTotal {
    pub currency: String,
    #[schema(value_type = String)]
    pub amount: Amount,
}

/// One resource type over a period: what was approved, whether "none needed" was decided.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ResourceTypeSummary {
    pub kind: ResourceKind,
    /// Approved commitments (not "none needed") whose period overlaps the period asked for.
    pub approved: i64,
    pub money: Vec<MoneyTotal>,
    pub fte: f64,
    /// Top management decided that no additional resources of this type are needed.
    pub none_needed: bool,
    /// Requests still awaiting a decision.
    pub awaiting: i64,
}

impl ResourceTypeSummary {
    pub fn empty(kind: ResourceKind) -> Self {
        Self {
            kind,
            approved: 0,
            money: Vec::new(),
            fte: 0.0,
            none_needed: false,
            awaiting: 0,
        }
    }

    /// Considered for the period: something approved, or an explicit "none needed".
    pub fn considered(&self) -> bool {
        self.approved > 0 || self.none_needed
    }
}
