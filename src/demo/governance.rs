//! The demo's policy register, written through the store like any user would: the top-level
//! policy and the topic-specific ones published with sign-offs, and a few in telling states (one
//! overdue for review, one draft awaiting approval, one with an active exception, one with an
//! expired exception).

use std::collections::HashMap;

use time::{Date, Duration};
use uuid::Uuid;

use super::policies::{DemoPolicy, DemoState, EXCEPTIONS, POLICIES};
use crate::domain::access::Role;
use crate::domain::account::Account;
use crate::domain::policy::{Audience, PolicyInput, PolicyKind, Visibility};
use crate::domain::policy_exception::{ExceptionDecisionInput, ExceptionInput};
use crate::domain::policy_version::{DraftInput, Transition};
use crate::store::{Store, StoreResult};

/// The accounts that write and sign off the demo's policies.
struct Signatories {
    author: Account,
    approvers: HashMap<Role, Account>,
    requester: Account,
}

/// Writes the demo policies; does nothing when the demo accounts are missing.
pub async fn seed_policies(store: &dyn Store, today: Date) -> StoreResult<usize> {
    let Some(signatories) = signatories(store).await? else {
        return Ok(0);
    };
    let units = store.all_units().await?;
    let heads: HashMap<&str, Uuid> = units
        .iter()
        .filter_map(|u| u.head_id.map(|head| (u.name.as_str(), head)))
        .collect();
    let mut ids = HashMap::new();
    for demo in POLICIES {
        let owner = heads
            .get(demo.owner_unit)
            .copied()
            .unwrap_or(signatories.author.person_id);
        let id = seed_policy(store, &signatories, demo, owner, today).await?;
        ids.insert(demo.title, id);
    }
    for exception in EXCEPTIONS {
        if let Some(policy_id) = ids.get(exception.policy_title) {
            seed_exception(store, &signatories, *policy_id, exception, today).await?;
        }
    }
    Ok(POLICIES.len())
}

async fn signatories(store: &dyn Store) -> StoreResult<Option<Signatories>> {
    let accounts = store.list_accounts().await?;
    let with = |role: Role| accounts.iter().find(|a| a.has_role(role)).cloned();
    let (Some(author), Some(top), Some(isms), Some(requester)) = (
        with(Role::Admin),
        with(Role::TopManagement),
        with(Role::IsmsManager),
        with(Role::Manager),
    ) else {
        return Ok(None);
    };
    let approvers = HashMap::from([(Role::TopManagement, top), (Role::IsmsManager, isms)]);
    Ok(Some(Signatories {
        author,
        approvers,
        requester,
    }))
}

async fn seed_policy(
    store: &dyn Store,
    who: &Signatories,
    demo: &DemoPolicy,
    owner: Uuid,
    today: Date,
) -> StoreResult<Uuid> {
    let approver_role: Role = demo.approver_role.parse().unwrap_or(Role::TopManagement);
    let input = PolicyInput {
        title: demo.title.to_owned(),
        kind: if demo.top_level {
            PolicyKind::TopLevel
        } else {
            PolicyKind::TopicSpecific
        },
        owner_id: owner,
        approver_role,
        audience: Audience::Everyone,
        review_interval_months: demo.review_interval_months,
        visibility: demo.visibility.parse().unwrap_or(Visibility::Internal),
        visibility_rationale: rationale(demo.visibility).to_owned(),
        quorum: 1,
    };
    let first_body = demo.previous_body.unwrap_or(demo.body);
    let (policy, version) = store
        .create_policy(&who.author, input, draft(first_body, false, "First issue."))
        .await?;
    // Published on the day its review clock says: the overdue one over a year ago.
    let published_on = match demo.state {
        DemoState::OverdueForReview => today - Duration::days(400),
        _ => today - Duration::days(60),
    };
    let approver = &who.approvers[&approver_role];
    sign_off_and_publish(store, who, approver, version.id, published_on).await?;
    if demo.state == DemoState::DraftAwaitingApproval {
        let next = store
            .create_draft(
                &who.author,
                policy.id,
                draft(
                    demo.body,
                    true,
                    "Company devices only; shorter loss reporting.",
                ),
            )
            .await?;
        store
            .transition_version(&who.author, next.id, Transition::Submit, "", today)
            .await?;
    }
    Ok(policy.id)
}

async fn sign_off_and_publish(
    store: &dyn Store,
    who: &Signatories,
    approver: &Account,
    version_id: Uuid,
    on: Date,
) -> StoreResult<()> {
    let author = &who.author;
    store
        .transition_version(author, version_id, Transition::Submit, "", on)
        .await?;
    let statement = "I approve this policy for publication on behalf of management.";
    store
        .transition_version(approver, version_id, Transition::Approve, statement, on)
        .await?;
    store
        .transition_version(author, version_id, Transition::Publish, "", on)
        .await?;
    Ok(())
}

async fn seed_exception(
    store: &dyn Store,
    who: &Signatories,
    policy_id: Uuid,
    demo: &super::policies::DemoException,
    today: Date,
) -> StoreResult<()> {
    // An expired exception was requested and granted months ago, for a shorter time.
    let (asked_on, expiry) = if demo.expired {
        (today - Duration::days(120), today - Duration::days(14))
    } else {
        (today - Duration::days(20), today + Duration::days(70))
    };
    let input = ExceptionInput {
        scope: demo.scope.to_owned(),
        justification: demo.justification.to_owned(),
        risk: demo.risk.to_owned(),
        compensating_controls: demo.compensating_controls.to_owned(),
        requested_expiry: expiry,
        renewal_of: None,
    };
    let exception = store
        .request_exception(&who.requester, policy_id, input, asked_on)
        .await?;
    let policy = store.get_policy(policy_id).await?;
    let decision = ExceptionDecisionInput {
        approve: true,
        note: "Accepted for a limited time; review the compensating controls monthly.".into(),
        expires_on: None,
    };
    store
        .decide_exception(
            &who.approvers[&policy.approver_role],
            exception.id,
            decision,
            asked_on,
        )
        .await?;
    Ok(())
}

fn draft(body: &str, is_major: bool, summary: &str) -> DraftInput {
    DraftInput {
        body: crate::document::canonical::canonical_body(body),
        is_major,
        change_summary: summary.to_owned(),
    }
}

fn rationale(visibility: &str) -> &'static str {
    match visibility {
        "public" => "Customers and partners ask for it during due diligence.",
        "restricted" => "Shared with customers under NDA on request.",
        _ => "Internal working rules; customers receive the top-level policy instead.",
    }
}
