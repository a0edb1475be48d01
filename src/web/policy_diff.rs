//! Two versions of a policy side by side: the older text on the left, this version on the right,
//! changed words marked with `<del>` and `<ins>` (not by color alone), and long unchanged
//! stretches folded to "N unchanged lines". A selector picks the version to compare with.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use super::error::{PageError, parse_id};
use super::forms::SelectOption;
use super::layout::{Area, Layout};
use super::policy_views::{PolicyResult, version_badge};
use super::views::Badge;
use crate::app::AppState;
use crate::document::diff::{DiffRow, RowKind, Segment, side_by_side};
use crate::domain::FieldErrors;
use crate::domain::policy::Policy;
use crate::domain::policy_version::{PolicyVersion, VersionStatus};

/// Unchanged lines kept around each change.
const CONTEXT_LINES: usize = 3;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DiffQuery {
    against: String,
}

/// One row as the table shows it.
pub struct RowView {
    /// `same`, `changed`, `added`, `removed` or `skipped`: the row's class.
    pub kind: &'static str,
    /// The change in words, for those who do not see the colors or the marks.
    pub label: &'static str,
    pub left: Option<(usize, Vec<Segment>)>,
    pub right: Option<(usize, Vec<Segment>)>,
    pub skipped: usize,
}

/// One side of the comparison.
pub struct Compared {
    pub href: String,
    pub number: String,
    pub badge: Badge,
}

#[derive(Template, WebTemplate)]
#[template(path = "policies/diff.html", whitespace = "minimize")]
pub struct DiffPage {
    layout: Layout,
    policy: Policy,
    version: PolicyVersion,
    new: Compared,
    old: Option<Compared>,
    options: Vec<SelectOption>,
    rows: Vec<RowView>,
    added: usize,
    removed: usize,
    changed: usize,
}

pub async fn diff_versions(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<DiffQuery>,
) -> PolicyResult<DiffPage> {
    let store = state.store.as_ref();
    let version = store.get_version(parse_id(&raw, "policy version")?).await?;
    let policy = store.get_policy(version.policy_id).await?;
    let others: Vec<PolicyVersion> = store
        .list_versions(policy.id)
        .await?
        .into_iter()
        .filter(|v| v.id != version.id)
        .collect();
    let old = match query.against.trim() {
        "" => default_other(&version, &others).cloned(),
        raw => {
            let id = parse_id(raw, "policy version")?;
            let old = store.get_version(id).await?;
            if old.policy_id != version.policy_id {
                let errors = FieldErrors::single("against", "must be a version of the same policy");
                return Err(PageError::Invalid(errors).into());
            }
            Some(old)
        }
    };
    let diff = old
        .as_ref()
        .map(|old| side_by_side(&old.body, &version.body, CONTEXT_LINES));
    let selected = old.as_ref().map(|o| o.id.to_string()).unwrap_or_default();
    Ok(DiffPage {
        layout: Layout::load(
            &state,
            Area::Policies,
            format!("{}: compare versions", policy.title),
        )
        .await,
        options: others
            .iter()
            .map(|v| {
                let id = v.id.to_string();
                let label = format!("Version {} ({})", v.number, v.status.label().to_lowercase());
                let chosen = id == selected;
                SelectOption::new(id, label, chosen)
            })
            .collect(),
        new: compared(&version),
        old: old.as_ref().map(compared),
        added: diff.as_ref().map_or(0, |d| d.added),
        removed: diff.as_ref().map_or(0, |d| d.removed),
        changed: diff.as_ref().map_or(0, |d| d.changed),
        rows: diff
            .map(|d| d.rows.into_iter().map(row_view).collect())
            .unwrap_or_default(),
        policy,
        version,
    })
}

/// Without a choice: the version in force, or else the newest version before this one.
fn default_other<'a>(
    version: &PolicyVersion,
    others: &'a [PolicyVersion],
) -> Option<&'a PolicyVersion> {
    others
        .iter()
        .find(|v| v.status == VersionStatus::Published)
        .or_else(|| {
            others
                .iter()
                .filter(|v| v.number < version.number)
                .max_by_key(|v| v.number)
        })
        .or_else(|| others.first())
}

fn compared(version: &PolicyVersion) -> Compared {
    Compared {
        href: format!("/policies/versions/{}", version.id),
        number: version.number.to_string(),
        badge: version_badge(version.status),
    }
}

fn row_view(row: DiffRow) -> RowView {
    let (kind, label) = match row.kind {
        RowKind::Same => ("same", "Unchanged"),
        RowKind::Changed => ("changed", "Changed"),
        RowKind::Added => ("added", "Added"),
        RowKind::Removed => ("removed", "Removed"),
        RowKind::Skipped => ("skipped", "Unchanged lines folded"),
    };
    RowView {
        kind,
        label,
        left: row.left.map(|s| (s.line, s.segments)),
        right: row.right.map(|s| (s.line, s.segments)),
        skipped: row.skipped,
    }
}
