//! What every page shares: the organization's name in the header and the navigation.

use crate::app::AppState;

/// The areas of the navigation; the current one is marked with `aria-current`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Dashboard,
    People,
    Units,
    Organization,
    Audit,
    Elsewhere,
}

const NAVIGATION: [(Area, &str, &str); 5] = [
    (Area::Dashboard, "/", "Dashboard"),
    (Area::People, "/people", "People"),
    (Area::Units, "/units", "Units"),
    (Area::Organization, "/organization", "Organization"),
    (Area::Audit, "/audit", "Audit trail"),
];

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
}

impl Layout {
    pub fn new(org_name: impl Into<String>, area: Area, title: impl Into<String>) -> Self {
        let nav = NAVIGATION
            .iter()
            .map(|&(a, href, label)| NavItem {
                href,
                label,
                current: a == area,
            })
            .collect();
        Self {
            org_name: org_name.into(),
            title: title.into(),
            nav,
            stylesheet: super::assets::STYLESHEET_HREF,
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
