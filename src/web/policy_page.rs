//! The pieces of a policy's page: its facts in words, the version in force with its approval
//! record, and the versions and reviews as rows.

use time::{Date, OffsetDateTime};

use super::moment::{Moment, day, moment};
use super::policy_views::{
    DocumentView, review_badge, role_word, short_hash, version_badge, visibility_word,
};
use super::views::{Badge, Link};
use crate::domain::policy::{Audience, Policy};
use crate::domain::policy_version::PolicyVersion;
use crate::store::{Store, StoreResult};

/// The policy's details in words.
pub struct PolicyFacts {
    pub kind: &'static str,
    pub owner: Link,
    pub approver: &'static str,
    pub quorum: u32,
    pub audience: String,
    pub interval: String,
    pub last_review: Option<Moment>,
    pub next_review: Option<Moment>,
    pub review: Badge,
    pub visibility: &'static str,
    pub rationale: String,
}

impl PolicyFacts {
    pub async fn new(store: &dyn Store, policy: &Policy, today: Date) -> StoreResult<Self> {
        Ok(Self {
            kind: policy.kind.label(),
            owner: Link::new(
                format!("/people/{}", policy.owner_id),
                policy.owner_name.clone(),
            ),
            approver: role_word(policy.approver_role),
            quorum: policy.quorum,
            audience: audience_words(store, &policy.audience).await?,
            interval: match policy.review_interval_months {
                1 => "Every month".to_owned(),
                12 => "Every year (12 months)".to_owned(),
                n => format!("Every {n} months"),
            },
            last_review: policy.last_reviewed_on.map(|on| day(on, today)),
            next_review: policy.next_review_due().map(|on| day(on, today)),
            review: review_badge(policy.review_state(today)),
            visibility: visibility_word(policy.visibility),
            rationale: policy.visibility_rationale.clone(),
        })
    }
}

/// "Everyone", the units by name, or the roles.
async fn audience_words(store: &dyn Store, audience: &Audience) -> StoreResult<String> {
    Ok(match audience {
        Audience::Units { unit_ids } => {
            let units = store.all_units().await?;
            let names: Vec<String> = unit_ids
                .iter()
                .filter_map(|id| units.iter().find(|u| u.id == *id))
                .map(|u| u.name.clone())
                .collect();
            format!("People in: {}", names.join(", "))
        }
        other => other.describe(),
    })
}

/// The version in force and what shows it was approved.
pub struct InForce {
    pub href: String,
    pub number: String,
    pub approved: Option<Moment>,
    pub published: Option<Moment>,
    pub approvers: Vec<String>,
    pub hash: String,
    pub hash_short: String,
    pub document: DocumentView,
    pub html_href: String,
    pub pdf_href: String,
}

pub async fn in_force(
    store: &dyn Store,
    version: &PolicyVersion,
    now: OffsetDateTime,
) -> StoreResult<InForce> {
    let decisions = store.version_decisions(version.id).await?;
    Ok(InForce {
        href: format!("/policies/versions/{}", version.id),
        number: version.number.to_string(),
        approved: version.approved_at.map(|at| moment(at, now)),
        published: version.published_at.map(|at| moment(at, now)),
        approvers: decisions
            .iter()
            .filter(|d| d.approved && d.review_round == version.review_round)
            .map(|d| d.account_name.clone())
            .collect(),
        hash: version.content_hash.clone(),
        hash_short: short_hash(&version.content_hash),
        document: DocumentView::new(&version.body),
        html_href: format!("/policies/versions/{}/export.html", version.id),
        pdf_href: format!("/policies/versions/{}/export.pdf", version.id),
    })
}

/// One line of the versions table.
pub struct VersionRow {
    pub link: Link,
    pub badge: Badge,
    pub is_major: bool,
    pub summary: String,
    pub changed: Moment,
    pub published: Option<Moment>,
    /// The diff against the version before it.
    pub compare: Option<String>,
}

/// `versions` newest first, each compared with the one before it.
pub fn version_rows(versions: &[PolicyVersion], now: OffsetDateTime) -> Vec<VersionRow> {
    versions
        .iter()
        .enumerate()
        .map(|(index, v)| VersionRow {
            link: Link::new(
                format!("/policies/versions/{}", v.id),
                format!("Version {}", v.number),
            ),
            badge: version_badge(v.status),
            is_major: v.is_major,
            summary: v.change_summary.clone(),
            changed: moment(v.updated_at, now),
            published: v.published_at.map(|at| moment(at, now)),
            compare: versions
                .get(index + 1)
                .map(|older| format!("/policies/versions/{}/diff?against={}", v.id, older.id)),
        })
        .collect()
}

/// One "reviewed, no change" record.
pub struct ReviewRow {
    pub on: Moment,
    pub by: String,
    pub note: String,
}
