//! The role catalog: every role grouped by category with its flags and how many hold it today,
//! vacant roles said plainly; and installing the standard catalog into an empty one.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::PageResult;
use super::layout::{Area, Layout};
use super::role_views::role_flags;
use super::views::{Badge, Link};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::access::Permission;
use crate::domain::role::{OrgRoleFilter, RoleCategory};

/// One role of the catalog.
pub struct CatalogRow {
    pub link: Link,
    pub flags: Vec<String>,
    pub holders: i64,
    /// The first few holders by name.
    pub names: String,
    /// "Vacant" (red when the role is required, grey otherwise) when nobody holds it.
    pub vacant: Option<Badge>,
}

/// The roles of one category.
pub struct CategoryGroup {
    pub id: &'static str,
    pub label: &'static str,
    pub rows: Vec<CatalogRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/catalog.html", whitespace = "minimize")]
pub struct CatalogPage {
    layout: Layout,
    flash: Option<&'static str>,
    groups: Vec<CategoryGroup>,
    total: usize,
    vacant_required: usize,
    can_manage: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CatalogQuery {
    flash: String,
}

pub async fn show_catalog(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<CatalogQuery>,
) -> PageResult<CatalogPage> {
    let store = state.store.as_ref();
    let roles = store.list_roles(&OrgRoleFilter::default()).await?;
    let role_ids: Vec<_> = roles.iter().map(|r| r.id).collect();
    let summaries = store.role_holder_summaries(today(), &role_ids).await?;
    let mut groups: Vec<CategoryGroup> = Vec::new();
    let mut vacant_required = 0;
    for category in RoleCategory::ALL {
        let rows: Vec<CatalogRow> = roles
            .iter()
            .filter(|r| r.category == *category)
            .map(|role| {
                let summary = summaries.get(&role.id).cloned().unwrap_or_default();
                let vacant = (summary.count == 0).then(|| {
                    if role.required {
                        vacant_required += 1;
                        Badge::new("red", "Vacant")
                    } else {
                        Badge::new("grey", "Vacant")
                    }
                });
                let mut names = summary.names.join(", ");
                let more = summary.count - i64::try_from(summary.names.len()).unwrap_or(0);
                if more > 0 {
                    names.push_str(&format!(" and {more} more"));
                }
                CatalogRow {
                    link: Link::new(format!("/roles/{}", role.id), role.name.clone()),
                    flags: role_flags(role),
                    holders: summary.count,
                    names,
                    vacant,
                }
            })
            .collect();
        if !rows.is_empty() {
            groups.push(CategoryGroup {
                id: category.as_str(),
                label: category.label(),
                rows,
            });
        }
    }
    Ok(CatalogPage {
        layout: Layout::load(&state, Area::Roles, "Roles").await,
        flash: match query.flash.as_str() {
            "installed" => Some(
                "The standard catalog is installed: roles, activities, RACI, segregation rules and escalation paths. Adapt them to your organization.",
            ),
            "present" => Some("The catalog already has roles: nothing was installed."),
            _ => None,
        },
        total: roles.len(),
        vacant_required,
        groups,
        can_manage: caller.may(Permission::ManageRoles),
    })
}

/// Writes the standard catalog when the catalog is empty.
pub async fn install_standard_catalog(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> PageResult<Response> {
    let installed = state
        .store
        .install_standard_catalog(&caller.actor())
        .await?;
    let flash = if installed { "installed" } else { "present" };
    Ok(Redirect::to(&format!("/roles?flash={flash}")).into_response())
}
