//! A policy register at benchmark scale: many topic-specific policies, each with a long history
//! of signed-off versions, written through the store like the demo's own policies.

use time::Date;

use crate::domain::access::Role;
use crate::domain::policy::{Audience, PolicyInput, PolicyKind, Visibility};
use crate::domain::policy_version::{DraftInput, Transition};
use crate::store::{Store, StoreResult};

/// Adds `policies` policies with `versions` published versions each (the last in force).
pub async fn seed_policy_volume(
    store: &dyn Store,
    policies: usize,
    versions: usize,
    today: Date,
) -> StoreResult<usize> {
    let accounts = store.list_accounts().await?;
    let author = accounts.iter().find(|a| a.has_role(Role::Admin));
    let approver = accounts.iter().find(|a| a.has_role(Role::IsmsManager));
    let (Some(author), Some(approver)) = (author, approver) else {
        return Ok(0);
    };
    for n in 1..=policies {
        let input = PolicyInput {
            title: format!("Topic policy {n:04}"),
            kind: PolicyKind::TopicSpecific,
            owner_id: author.person_id,
            approver_role: Role::IsmsManager,
            audience: Audience::Everyone,
            review_interval_months: 12,
            visibility: Visibility::Internal,
            visibility_rationale: String::new(),
            quorum: 1,
        };
        let (policy, mut version) = store.create_policy(author, input, body(n, 0)).await?;
        for v in 0..versions {
            if v > 0 {
                version = store.create_draft(author, policy.id, body(n, v)).await?;
            }
            let steps = [
                (author, Transition::Submit),
                (approver, Transition::Approve),
                (author, Transition::Publish),
            ];
            for (who, step) in steps {
                store
                    .transition_version(who, version.id, step, "Approved for the benchmark.", today)
                    .await?;
            }
        }
    }
    Ok(policies)
}

fn body(policy: usize, version: usize) -> DraftInput {
    DraftInput {
        body: format!(
            "# Topic policy {policy}\n\n## Purpose\n\nRevision {version} of the rules for topic {policy}.\n\n## Statements\n\nStaff must follow rule {version}.\n"
        ),
        is_major: version.is_multiple_of(5),
        change_summary: format!("Revision {version}"),
    }
}
