//! Exceptions to a policy (A.5.1): requested with a justification, a risk and compensating
//! controls, decided by the policy's approver role (never the requester), and inactive by
//! themselves once past their expiry. Also the share links that open a restricted policy.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::FieldErrors;
use super::person::iso_date;

/// The decision recorded on an exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionStatus {
    Requested,
    Approved,
    Rejected,
    Withdrawn,
}

text_enum!(ExceptionStatus, "exception status", Requested => "requested",
    Approved => "approved", Rejected => "rejected", Withdrawn => "withdrawn");

/// Where an exception stands today: an approved one is active until its expiry, then expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionState {
    Requested,
    Active,
    Expired,
    Rejected,
    Withdrawn,
}

text_enum!(ExceptionState, "exception state", Requested => "requested", Active => "active",
    Expired => "expired", Rejected => "rejected", Withdrawn => "withdrawn");

impl ExceptionState {
    pub fn label(self) -> &'static str {
        match self {
            ExceptionState::Requested => "Requested",
            ExceptionState::Active => "Active",
            ExceptionState::Expired => "Expired",
            ExceptionState::Rejected => "Rejected",
            ExceptionState::Withdrawn => "Withdrawn",
        }
    }
}

/// An exception as stored, with the names the register shows.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PolicyException {
    pub id: Uuid,
    pub policy_id: Uuid,
    pub policy_title: String,
    pub scope: String,
    pub justification: String,
    pub risk: String,
    pub compensating_controls: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub requested_expiry: Date,
    pub requested_by: Uuid,
    pub requester_name: String,
    pub status: ExceptionStatus,
    /// The status as of today, with expiry applied.
    pub state: ExceptionState,
    pub decided_by: Option<Uuid>,
    pub decider_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    pub decision_note: String,
    /// The expiry the approver granted (at most the requested one).
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
    /// The exception this one renews.
    pub renewal_of: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl PolicyException {
    /// The state on `today`: approved and past its expiry means expired.
    pub fn state_on(
        status: ExceptionStatus,
        expires_on: Option<Date>,
        today: Date,
    ) -> ExceptionState {
        match status {
            ExceptionStatus::Requested => ExceptionState::Requested,
            ExceptionStatus::Rejected => ExceptionState::Rejected,
            ExceptionStatus::Withdrawn => ExceptionState::Withdrawn,
            ExceptionStatus::Approved => match expires_on {
                Some(expiry) if expiry < today => ExceptionState::Expired,
                _ => ExceptionState::Active,
            },
        }
    }
}

/// The longest an exception may be granted for: exceptions are temporary.
pub const MAX_EXCEPTION_DAYS: i64 = 366;

/// What an exception is requested with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct ExceptionInput {
    /// What the exception covers: systems, people, processes.
    pub scope: String,
    pub justification: String,
    /// The risk accepted while the exception is active.
    pub risk: String,
    #[serde(default)]
    pub compensating_controls: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub requested_expiry: Date,
    /// The exception this request renews.
    #[serde(default)]
    pub renewal_of: Option<Uuid>,
}

impl ExceptionInput {
    pub fn validate(self, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let scope = required_text(&mut errors, "scope", &self.scope);
        let justification = required_text(&mut errors, "justification", &self.justification);
        let risk = required_text(&mut errors, "risk", &self.risk);
        let controls = self.compensating_controls.trim().to_owned();
        if controls.chars().count() > 4000 {
            errors.add("compensating_controls", "must be at most 4000 characters");
        }
        if self.requested_expiry <= today {
            errors.add("requested_expiry", "must be after today");
        } else if (self.requested_expiry - today).whole_days() > MAX_EXCEPTION_DAYS {
            errors.add(
                "requested_expiry",
                "must be within a year: exceptions are temporary; request a renewal later",
            );
        }
        errors.into_result()?;
        Ok(Self {
            scope,
            justification,
            risk,
            compensating_controls: controls,
            ..self
        })
    }
}

fn required_text(errors: &mut FieldErrors, field: &str, raw: &str) -> String {
    let text = raw.trim().to_owned();
    if text.is_empty() {
        errors.add(field, "is required");
    } else if text.chars().count() > 4000 {
        errors.add(field, "must be at most 4000 characters");
    }
    text
}

/// An approver's answer to a request.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct ExceptionDecisionInput {
    pub approve: bool,
    #[serde(default)]
    pub note: String,
    /// A shorter expiry than requested; defaults to the requested one.
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
}

/// Narrows the exception register.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExceptionFilter {
    #[param(value_type = Option<String>)]
    pub policy_id: Option<Uuid>,
    pub state: Option<ExceptionState>,
}

/// A link that opens one restricted policy to whoever holds it, until it expires or is revoked.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ShareLink {
    pub id: Uuid,
    pub policy_id: Uuid,
    /// Whom it was made for, e.g. "Acme Corp due diligence".
    pub label: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    pub created_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub access_count: i64,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_accessed_at: Option<OffsetDateTime>,
}

impl ShareLink {
    pub fn is_active(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// The longest a share link may live.
pub const MAX_SHARE_DAYS: i64 = 90;

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn input(expiry: Date) -> ExceptionInput {
        ExceptionInput {
            scope: "Legacy payroll server".into(),
            justification: "Vendor patch pending".into(),
            risk: "Unpatched service reachable from the office network".into(),
            compensating_controls: "Firewalled to two hosts".into(),
            requested_expiry: expiry,
            renewal_of: None,
        }
    }

    #[test]
    fn approved_exceptions_expire_by_themselves() {
        let today = date!(2026 - 11 - 29);
        let state =
            |expiry| PolicyException::state_on(ExceptionStatus::Approved, Some(expiry), today);
        assert_eq!(state(date!(2026 - 11 - 29)), ExceptionState::Active);
        assert_eq!(state(date!(2026 - 11 - 28)), ExceptionState::Expired);
        assert_eq!(
            PolicyException::state_on(ExceptionStatus::Rejected, None, today),
            ExceptionState::Rejected
        );
    }

    #[test]
    fn requests_are_temporary_and_complete() {
        let today = date!(2026 - 11 - 29);
        assert!(input(date!(2027 - 03 - 01)).validate(today).is_ok());
        let errors = input(today).validate(today).expect_err("refused");
        assert!(errors.get("requested_expiry").is_some());
        assert!(input(date!(2028 - 01 - 01)).validate(today).is_err());
        let blank = ExceptionInput {
            risk: "  ".into(),
            ..input(date!(2027 - 01 - 01))
        };
        assert!(
            blank
                .validate(today)
                .expect_err("refused")
                .get("risk")
                .is_some()
        );
    }
}
