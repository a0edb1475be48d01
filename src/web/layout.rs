//! What every page shares: the organization's name in the header and the navigation.

use crate::app::AppState;
use crate::domain::access::Permission;

/// The areas of the navigation; the current one is marked with `aria-current`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Dashboard,
    People,
    Units,
    Organization,
    Audit,
    Policies,
    Exceptions,
    Campaigns,
    Roles,
    Leadership,
    Reports,
    Concerns,
    Conformance,
    Communications,
    Outbox,
    Tasks,
    Admin,
    Elsewhere,
}

const NAVIGATION: [(Area, &str, &str, Permission); 17] = [
    (Area::Dashboard, "/", "Dashboard", Permission::SignedIn),
    (Area::Tasks, "/tasks", "My tasks", Permission::SignedIn),
    (
        Area::People,
        "/people",
        "People",
        Permission::ReadOrganization,
    ),
    (Area::Units, "/units", "Units", Permission::ReadOrganization),
    (
        Area::Organization,
        "/organization",
        "Organization",
        Permission::ReadOrganization,
    ),
    (
        Area::Policies,
        "/policies",
        "Policies",
        Permission::ReadPolicies,
    ),
    (
        Area::Exceptions,
        "/exceptions",
        "Exceptions",
        Permission::ReadPolicyRecords,
    ),
    (
        Area::Campaigns,
        "/campaigns",
        "Campaigns",
        Permission::ReadCampaigns,
    ),
    (Area::Roles, "/roles", "Roles", Permission::ReadRoles),
    (
        Area::Leadership,
        "/leadership",
        "Leadership",
        Permission::ReadLeadership,
    ),
    (
        Area::Reports,
        "/reports",
        "Reports",
        Permission::ReadLeadership,
    ),
    (
        Area::Concerns,
        "/concerns",
        "Concerns",
        Permission::HandleConcerns,
    ),
    (
        Area::Conformance,
        "/conformance",
        "Conformance",
        Permission::ReadConformance,
    ),
    (
        Area::Communications,
        "/communications",
        "Communications",
        Permission::ReadCommunications,
    ),
    (
        Area::Audit,
        "/audit",
        "Audit trail",
        Permission::ReadEvidence,
    ),
    (Area::Outbox, "/outbox", "Outbox", Permission::ManageMail),
    (
        Area::Admin,
        "/admin/accounts",
        "Admin",
        Permission::ManageAccounts,
    ),
];

/// The signed-in account, as the header shows it.
#[derive(Debug, Clone)]
pub struct LayoutUser {
    pub name: String,
    pub roles: String,
    /// Every form that changes something carries it.
    pub csrf_token: String,
}

/// One link of the navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The frame around every page's content.
#[derive(Debug, Clone)]
pub struct Layout {
    pub org_name: String,
    pub title: String,
    pub nav: Vec<NavItem>,
    pub stylesheet: &'static str,
    pub user: Option<LayoutUser>,
    /// Whether the caller may change the organization's records (buttons to edit show only then).
    pub can_edit: bool,
    /// Whether the caller may export evidence such as the people CSV.
    pub can_export: bool,
}

impl Layout {
    /// The navigation shows only the areas the signed-in account may open (none when signed out).
    pub fn csrf_token(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.csrf_token.as_str())
    }

    pub fn new(org_name: impl Into<String>, area: Area, title: impl Into<String>) -> Self {
        let principal = crate::auth::principal::current();
        let nav = NAVIGATION
            .iter()
            .filter(|(_, _, _, permission)| principal.as_ref().is_some_and(|p| p.may(*permission)))
            .map(|&(a, href, label, _)| NavItem {
                href,
                label,
                current: a == area,
            })
            .collect();
        let may = |permission| principal.as_ref().is_some_and(|p| p.may(permission));
        let (can_edit, can_export) = (
            may(Permission::EditOrganization),
            may(Permission::ReadEvidence),
        );
        let user = principal.map(|p| LayoutUser {
            name: p.account.name.clone(),
            roles: p
                .account
                .effective_roles()
                .iter()
                .map(|r| r.as_str().replace('_', " "))
                .collect::<Vec<_>>()
                .join(", "),
            csrf_token: p.csrf_token().unwrap_or_default().to_owned(),
        });
        Self {
            org_name: org_name.into(),
            title: title.into(),
            nav,
            stylesheet: super::assets::STYLESHEET_HREF,
            user,
            can_edit,
            can_export,
        }
    }

    /// The layout with the organization's name; "Charter" until the organization is set up.
    /// A failure to read the name is not worth failing the page for: the content will say more.
    pub async fn load(state: &AppState, area: Area, title: impl Into<String>) -> Self {
        let name = state
            .store
            .organization()
            .await
            .map(|org| org.name)
            .unwrap_or_default();
        Self::new(display_name(&name), area, title)
    }
}

pub fn display_name(name: &str) -> String {
    if name.trim().is_empty() {
        "Charter".to_owned()
    } else {
        name.trim().to_owned()
    }
}
