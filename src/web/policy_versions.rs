//! One version of a policy: its status and record, the text as readers see it, the content check
//! of the information security policy, the decisions and comments, and the actions this viewer
//! may take now.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::parse_id;
use super::evidence::{Evidence, evidence_trail};
use super::layout::{Area, Layout};
use super::moment::{Moment, moment};
use super::policy_version_forms::{Actions, Context, Outcome, actions};
use super::policy_views::{
    CheckView, DocumentView, PolicyFlash, PolicyResult, role_word, short_hash, version_badge,
};
use super::views::{Badge, Link};
use crate::app::AppState;
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::domain::policy::Policy;
use crate::domain::policy_version::{PolicyVersion, VersionStatus};
use crate::policy_actions::{self, is_top_level, readable_version, sees_records};
use crate::store::{Store, StoreResult};

/// One sign-off or rejection.
pub struct DecisionRow {
    pub by: String,
    pub role: &'static str,
    pub badge: Badge,
    pub statement: String,
    pub hash: String,
    pub hash_short: String,
    pub round: u32,
    pub when: Moment,
}

pub struct CommentRow {
    pub by: String,
    pub body: String,
    pub when: Moment,
}

/// Who wrote, submitted and published the version, and when.
pub struct VersionRecord {
    pub author: String,
    pub created: Moment,
    pub submitted: Option<(String, Moment)>,
    pub approved: Option<Moment>,
    pub published: Option<(String, Moment)>,
    pub retired: Option<Moment>,
}

#[derive(Template, WebTemplate)]
#[template(path = "policies/version.html", whitespace = "minimize")]
pub struct VersionPage {
    pub layout: Layout,
    pub flash: Option<&'static str>,
    /// A refusal of a step whose form is no longer offered (the version moved on meanwhile).
    pub notice: Option<String>,
    pub policy: Policy,
    pub version: PolicyVersion,
    pub badge: Badge,
    /// The policy's approver role in words, for the sign-off form.
    pub approver_role: String,
    pub hash_short: String,
    pub record: Option<VersionRecord>,
    pub document: DocumentView,
    pub records: bool,
    pub actions: Actions,
    pub decisions: Vec<DecisionRow>,
    pub comments: Vec<CommentRow>,
    pub check: Option<CheckView>,
    pub compare: Option<Link>,
    pub evidence: Option<Evidence>,
}

pub async fn show_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(flash): Query<PolicyFlash>,
) -> PolicyResult<VersionPage> {
    let id = parse_id(&raw, "policy version")?;
    let outcome = Outcome {
        flash: flash.message(),
        ..Outcome::default()
    };
    version_page(&state, &caller, id, outcome).await
}

/// The page, after a post with what it left behind (a refusal, the typed statement).
pub async fn version_page(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    outcome: Outcome,
) -> PolicyResult<VersionPage> {
    let store = state.store.as_ref();
    let version = readable_version(store, caller, id).await?;
    let policy = store.get_policy(version.policy_id).await?;
    let records = sees_records(caller);
    let now = OffsetDateTime::now_utc();
    let (decisions, comments) = if records {
        (
            store.version_decisions(version.id).await?,
            store.version_comments(version.id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let deciding =
        version.status == VersionStatus::InReview && caller.may(Permission::DecidePolicies);
    let contributors = if deciding {
        store.version_contributors(version.id).await?
    } else {
        Vec::new()
    };
    let in_force = store
        .published_version(policy.id)
        .await?
        .filter(|v| v.id != version.id);
    let check = if records && is_top_level(&policy) {
        Some(CheckView::new(
            policy_actions::content_check(store, &version.body).await?,
        ))
    } else {
        None
    };
    let actions = actions(
        &Context {
            caller,
            policy: &policy,
            version: &version,
            in_force: in_force.as_ref(),
            contributors: &contributors,
            decisions: &decisions,
        },
        &outcome,
    );
    let notice = match outcome.step {
        Some(step) if !actions.shows(step) => outcome.refusal.clone(),
        _ => None,
    };
    let compare = if records {
        compare_link(store, &version, in_force.as_ref()).await?
    } else {
        None
    };
    Ok(VersionPage {
        layout: Layout::load(
            state,
            Area::Policies,
            format!("{}, version {}", policy.title, version.number),
        )
        .await,
        flash: outcome.flash,
        notice,
        badge: version_badge(version.status),
        approver_role: role_word(policy.approver_role).to_lowercase(),
        hash_short: short_hash(&version.content_hash),
        record: if records {
            Some(version_record(store, &version, now).await?)
        } else {
            None
        },
        document: DocumentView::new(&version.body),
        records,
        actions,
        decisions: decisions
            .iter()
            .map(|d| DecisionRow {
                by: d.account_name.clone(),
                role: role_word(d.held_role),
                badge: if d.approved {
                    Badge::new("green", "Signed off")
                } else {
                    Badge::new("red", "Rejected")
                },
                statement: d.statement.clone(),
                hash: d.content_hash.clone(),
                hash_short: short_hash(&d.content_hash),
                round: d.review_round,
                when: moment(d.decided_at, now),
            })
            .collect(),
        comments: comments
            .iter()
            .map(|c| CommentRow {
                by: c.account_name.clone(),
                body: c.body.clone(),
                when: moment(c.created_at, now),
            })
            .collect(),
        check,
        compare,
        evidence: if records {
            Some(evidence_trail(store, "policy_version", &version.id.to_string()).await?)
        } else {
            None
        },
        policy,
        version,
    })
}

/// The diff worth reading: against the version in force, or else against the one before.
async fn compare_link(
    store: &dyn Store,
    version: &PolicyVersion,
    in_force: Option<&PolicyVersion>,
) -> StoreResult<Option<Link>> {
    let href = |other: &PolicyVersion| {
        format!(
            "/policies/versions/{}/diff?against={}",
            version.id, other.id
        )
    };
    if let Some(current) = in_force {
        return Ok(Some(Link::new(
            href(current),
            format!("Compare with version {} in force", current.number),
        )));
    }
    let versions = store.list_versions(version.policy_id).await?;
    Ok(versions
        .iter()
        .filter(|v| v.number < version.number)
        .max_by_key(|v| v.number)
        .map(|older| {
            Link::new(
                href(older),
                format!("Compare with version {}", older.number),
            )
        }))
}

async fn version_record(
    store: &dyn Store,
    version: &PolicyVersion,
    now: OffsetDateTime,
) -> StoreResult<VersionRecord> {
    Ok(VersionRecord {
        author: account_name(store, Some(version.author_id)).await,
        created: moment(version.created_at, now),
        submitted: match version.submitted_at {
            Some(at) => Some((
                account_name(store, version.submitted_by).await,
                moment(at, now),
            )),
            None => None,
        },
        approved: version.approved_at.map(|at| moment(at, now)),
        published: match version.published_at {
            Some(at) => Some((
                account_name(store, version.published_by).await,
                moment(at, now),
            )),
            None => None,
        },
        retired: version.retired_at.map(|at| moment(at, now)),
    })
}

/// An account's name; an account that cannot be read is "an account", not a failed page.
async fn account_name(store: &dyn Store, id: Option<Uuid>) -> String {
    match id {
        Some(id) => store
            .account(id)
            .await
            .map_or_else(|_| "an account".to_owned(), |a| a.name),
        None => "—".to_owned(),
    }
}
