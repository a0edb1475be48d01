//! The policy register: what needs attention (overdue reviews, versions awaiting sign-off,
//! drafts), then every policy with its version in force and where its review stands.
//! Staff see only the policies in force; the records (drafts, attention) are for those who may
//! read them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::error::PageResult;
use super::forms::SelectOption;
use super::layout::{Area, Layout};
use super::moment::{Moment, day};
use super::policy_views::{review_badge, version_badge, visibility_word};
use super::views::{Badge, Link, Pager};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::PageRequest;
use crate::domain::access::Permission;
use crate::domain::policy::{PolicyFilter, PolicyKind, PolicySummary, ReviewState, Visibility};
use crate::domain::policy_version::VersionStatus;
use crate::policy_actions::sees_records;

/// The register's filter and paging as typed in the URL; values that do not parse are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegisterQuery {
    q: String,
    kind: String,
    visibility: String,
    overdue: String,
    in_review: String,
    page: String,
    per_page: String,
}

impl RegisterQuery {
    fn filter(&self, published_only: bool) -> PolicyFilter {
        PolicyFilter {
            q: Some(self.q.trim().to_owned()).filter(|q| !q.is_empty()),
            kind: self.kind.parse().ok(),
            visibility: self.visibility.parse().ok(),
            overdue: self.overdue == "true",
            in_review: self.in_review == "true",
            owner_id: None,
            published_only,
        }
    }

    fn page(&self) -> PageRequest {
        PageRequest::new(
            self.page.trim().parse().ok(),
            self.per_page.trim().parse().ok(),
        )
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        vec![
            ("q", &self.q),
            ("kind", &self.kind),
            ("visibility", &self.visibility),
            ("overdue", &self.overdue),
            ("in_review", &self.in_review),
        ]
    }
}

/// One line of the register.
pub struct PolicyRow {
    pub link: Link,
    pub kind: &'static str,
    pub in_force: Option<String>,
    pub in_force_on: Option<Moment>,
    pub preparing: Option<(String, Badge)>,
    pub owner: Link,
    pub next_review: Option<Moment>,
    pub review: Badge,
    pub visibility: &'static str,
    pub exceptions: i64,
}

/// What needs someone's attention, each item linking to where it is dealt with.
#[derive(Default)]
pub struct Attention {
    pub overdue: Vec<Link>,
    pub awaiting_signoff: Vec<Link>,
    pub awaiting_publication: Vec<Link>,
    pub drafts: Vec<Link>,
    /// No information security policy (5.2) exists yet.
    pub no_top_level: bool,
}

impl Attention {
    pub fn is_empty(&self) -> bool {
        !self.no_top_level
            && self.overdue.is_empty()
            && self.awaiting_signoff.is_empty()
            && self.awaiting_publication.is_empty()
            && self.drafts.is_empty()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "policies/list.html", whitespace = "minimize")]
pub struct RegisterPage {
    layout: Layout,
    can_edit: bool,
    records: bool,
    attention: Attention,
    q: String,
    overdue: bool,
    in_review: bool,
    kind_options: Vec<SelectOption>,
    visibility_options: Vec<SelectOption>,
    rows: Vec<PolicyRow>,
    total: i64,
    filtered: bool,
    overdue_count: usize,
    in_review_count: usize,
    pager: Pager,
}

/// The most policies the attention block looks through; a register is tens of policies.
const ATTENTION_SCAN: u32 = 500;

pub async fn list_policies(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<RegisterQuery>,
) -> PageResult<RegisterPage> {
    let store = state.store.as_ref();
    let records = sees_records(&caller);
    let today = today();
    let filter = query.filter(!records);
    let page = store.list_policies(&filter, today, query.page()).await?;
    let everything = PolicyFilter {
        published_only: !records,
        ..PolicyFilter::default()
    };
    let all = store
        .list_policies(
            &everything,
            today,
            PageRequest::new(Some(1), Some(ATTENTION_SCAN)),
        )
        .await?;
    let mut attention = if records {
        attention(&all.items)
    } else {
        Attention::default()
    };
    // An empty register says it in its empty state; the attention block would repeat it.
    attention.no_top_level =
        records && !all.items.is_empty() && store.top_level_policy().await?.is_none();
    let filtered = filter.q.is_some()
        || filter.kind.is_some()
        || filter.visibility.is_some()
        || filter.overdue
        || filter.in_review;
    let count = |wanted: fn(&PolicySummary) -> bool| all.items.iter().filter(|s| wanted(s)).count();
    Ok(RegisterPage {
        layout: Layout::load(&state, Area::Policies, "Policies").await,
        can_edit: caller.may(Permission::EditPolicies),
        records,
        overdue_count: count(|s| s.review_state == ReviewState::Overdue),
        in_review_count: count(|s| s.open_status == Some(VersionStatus::InReview)),
        attention,
        kind_options: kind_options(&query.kind),
        visibility_options: visibility_options(&query.visibility),
        pager: Pager::new("/policies", &page, &query.pairs()),
        rows: page.items.iter().map(|s| row(s, today)).collect(),
        total: page.total,
        filtered,
        overdue: filter.overdue,
        in_review: filter.in_review,
        q: query.q,
    })
}

fn attention(all: &[PolicySummary]) -> Attention {
    let link =
        |s: &PolicySummary| Link::new(format!("/policies/{}", s.policy.id), s.policy.title.clone());
    let with_open = |status: VersionStatus| -> Vec<Link> {
        all.iter()
            .filter(|s| s.open_status == Some(status))
            .map(|s| {
                let number = s.open_version.map(|n| n.to_string()).unwrap_or_default();
                Link::new(
                    format!("/policies/{}", s.policy.id),
                    format!("{}, version {number}", s.policy.title),
                )
            })
            .collect()
    };
    Attention {
        overdue: all
            .iter()
            .filter(|s| s.review_state == ReviewState::Overdue)
            .map(link)
            .collect(),
        awaiting_signoff: with_open(VersionStatus::InReview),
        awaiting_publication: with_open(VersionStatus::Approved),
        drafts: with_open(VersionStatus::Draft),
        no_top_level: false,
    }
}

fn row(summary: &PolicySummary, today: time::Date) -> PolicyRow {
    let policy = &summary.policy;
    PolicyRow {
        link: Link::new(format!("/policies/{}", policy.id), policy.title.clone()),
        kind: policy.kind.label(),
        in_force: summary.published_version.map(|n| n.to_string()),
        in_force_on: summary.published_on.map(|on| day(on, today)),
        preparing: summary
            .open_version
            .zip(summary.open_status)
            .map(|(number, status)| (number.to_string(), version_badge(status))),
        owner: Link::new(
            format!("/people/{}", policy.owner_id),
            policy.owner_name.clone(),
        ),
        next_review: summary.next_review_due.map(|on| day(on, today)),
        review: review_badge(summary.review_state),
        visibility: visibility_word(policy.visibility),
        exceptions: summary.active_exceptions,
    }
}

fn kind_options(selected: &str) -> Vec<SelectOption> {
    let mut options = vec![SelectOption::new("", "Any kind", selected.is_empty())];
    options.extend(
        PolicyKind::ALL
            .iter()
            .map(|k| SelectOption::new(k.as_str(), k.label(), k.as_str() == selected)),
    );
    options
}

fn visibility_options(selected: &str) -> Vec<SelectOption> {
    let mut options = vec![SelectOption::new("", "Any visibility", selected.is_empty())];
    options.extend(
        Visibility::ALL
            .iter()
            .map(|v| SelectOption::new(v.as_str(), visibility_word(*v), v.as_str() == selected)),
    );
    options
}
