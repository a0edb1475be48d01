//! The view pieces the exception pages and the policy page share: the state badge, the expiry
//! that matters, a row of a list, and the summary on a policy's page.

use time::Date;

use super::moment::{Moment, day};
use super::views::{Badge, Link};
use crate::app::today;
use crate::domain::access::Permission;
use crate::domain::policy_exception::{ExceptionState, PolicyException};

/// One vocabulary of tones: awaiting a decision is amber, in force green, past its expiry red
/// (the exception may still be relied on without cover), closed ones grey.
pub fn state_badge(state: ExceptionState) -> Badge {
    let tone = match state {
        ExceptionState::Requested => "amber",
        ExceptionState::Active => "green",
        ExceptionState::Expired => "red",
        ExceptionState::Rejected | ExceptionState::Withdrawn => "grey",
    };
    Badge::new(tone, state.label())
}

/// The expiry that matters: the granted one, or the requested one while undecided.
pub fn expiry(exception: &PolicyException, today: Date) -> (Moment, bool) {
    match exception.expires_on {
        Some(on) => (day(on, today), false),
        None => (day(exception.requested_expiry, today), true),
    }
}

/// One exception as a row of a list.
pub struct ExceptionRow {
    pub href: String,
    pub scope: String,
    pub policy: Link,
    pub requester: String,
    pub state: Badge,
    pub expiry: Moment,
    /// The expiry is only the requested one (no decision yet, or none granted).
    pub requested_only: bool,
    pub decider: Option<String>,
}

impl ExceptionRow {
    pub fn new(exception: &PolicyException, today: Date) -> Self {
        let (expiry, requested_only) = expiry(exception, today);
        Self {
            href: format!("/exceptions/{}", exception.id),
            scope: exception.scope.clone(),
            policy: Link::new(
                format!("/policies/{}", exception.policy_id),
                exception.policy_title.clone(),
            ),
            requester: exception.requester_name.clone(),
            state: state_badge(exception.state),
            expiry,
            requested_only,
            decider: exception.decider_name.clone(),
        }
    }
}

/// The exceptions of one policy for its page: active first, then requests, then the rest; a
/// reader without the register's permission sees only their own.
pub struct ExceptionSummary {
    pub rows: Vec<ExceptionRow>,
    pub active: usize,
    pub sees_all: bool,
    pub may_request: bool,
}

impl ExceptionSummary {
    /// Called from `policies/_exceptions_summary.html`.
    pub fn of(exceptions: &[PolicyException]) -> Self {
        let principal = crate::auth::principal::current();
        let sees_all = principal
            .as_ref()
            .is_some_and(|p| p.may(Permission::ReadPolicyRecords));
        let me = principal.as_ref().map(|p| p.account.id);
        let mut visible: Vec<&PolicyException> = exceptions
            .iter()
            .filter(|e| sees_all || Some(e.requested_by) == me)
            .collect();
        visible.sort_by_key(|e| summary_rank(e.state));
        let today = today();
        Self {
            active: visible
                .iter()
                .filter(|e| e.state == ExceptionState::Active)
                .count(),
            rows: visible
                .iter()
                .map(|e| ExceptionRow::new(e, today))
                .collect(),
            sees_all,
            may_request: principal.is_some_and(|p| p.may(Permission::RequestExceptions)),
        }
    }
}

fn summary_rank(state: ExceptionState) -> u8 {
    match state {
        ExceptionState::Active => 0,
        ExceptionState::Requested => 1,
        ExceptionState::Expired => 2,
        ExceptionState::Rejected | ExceptionState::Withdrawn => 3,
    }
}

pub fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}
