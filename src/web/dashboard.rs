//! The dashboard: the organization's figures, its profile, its units, the latest changes, and
//! for those who read them the leadership figures and the conformance and liveness panel.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::conformance::{ConformanceGlance, conformance_glance};
use super::dashboard_leadership::{LeadershipGlance, leadership_glance};
use super::error::PageResult;
use super::evidence::{EventRow, event_rows};
use super::layout::{Area, Layout};
use super::views::Link;
use crate::app::AppState;
use crate::domain::unit::tree_order;
use crate::domain::{AuditFilter, OrgProfile, PageRequest};
use crate::store::OrgCounts;

const UNITS_SHOWN: usize = 12;
const EVENTS_SHOWN: u32 = 10;

/// A unit in the overview, indented by its depth.
pub struct UnitLine {
    pub link: Link,
    pub depth: usize,
    pub head: Option<Link>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html", whitespace = "minimize")]
pub struct DashboardPage {
    layout: Layout,
    counts: OrgCounts,
    profile: OrgProfile,
    units: Vec<UnitLine>,
    units_total: usize,
    show_evidence: bool,
    events: Vec<EventRow>,
    /// Gaps in role allocation, for those who read roles.
    role_gaps: Option<i64>,
    /// Reports, reviews and actions, for those who read leadership records.
    leadership: Option<LeadershipGlance>,
    /// The latest assessment and the live liveness signs, for those who read conformance.
    conformance: Option<ConformanceGlance>,
}

pub async fn show_dashboard(State(state): State<AppState>) -> PageResult<DashboardPage> {
    let store = state.store.as_ref();
    let profile = store.organization().await?;
    let counts = store.org_counts().await?;
    let units = store.all_units().await?;
    let head_ids: Vec<_> = units.iter().filter_map(|u| u.head_id).collect();
    let heads = if head_ids.is_empty() {
        HashMap::new()
    } else {
        store.person_names(&head_ids).await?
    };
    let lines = tree_order(&units)
        .into_iter()
        .take(UNITS_SHOWN)
        .map(|(depth, unit)| UnitLine {
            link: Link::new(format!("/units/{}", unit.id), unit.name.clone()),
            depth: depth.min(8),
            head: unit.head_id.and_then(|id| {
                heads
                    .get(&id)
                    .map(|name| Link::new(format!("/people/{id}"), name.clone()))
            }),
        })
        .collect();
    let show_evidence = crate::auth::principal::current()
        .is_some_and(|p| p.may(crate::domain::access::Permission::ReadEvidence));
    let events = if show_evidence {
        let recent = store
            .list_audit_events(
                &AuditFilter::default(),
                PageRequest::new(Some(1), Some(EVENTS_SHOWN)),
            )
            .await?;
        event_rows(store, &recent.items).await?
    } else {
        Vec::new()
    };
    let reads_roles = crate::auth::principal::current()
        .is_some_and(|p| p.may(crate::domain::access::Permission::ReadRoles));
    let role_gaps = if reads_roles {
        Some(store.role_gaps(crate::app::today()).await?.total())
    } else {
        None
    };
    let reads_leadership = crate::auth::principal::current()
        .is_some_and(|p| p.may(crate::domain::access::Permission::ReadLeadership));
    let leadership = if reads_leadership {
        Some(leadership_glance(store, crate::app::today()).await?)
    } else {
        None
    };
    let reads_conformance = crate::auth::principal::current()
        .is_some_and(|p| p.may(crate::domain::access::Permission::ReadConformance));
    let conformance = if reads_conformance {
        Some(conformance_glance(store).await?)
    } else {
        None
    };
    let layout = Layout::new(
        super::layout::display_name(&profile.name),
        Area::Dashboard,
        "Dashboard",
    );
    Ok(DashboardPage {
        layout,
        counts,
        profile,
        units: lines,
        units_total: units.len(),
        events,
        show_evidence,
        role_gaps,
        leadership,
        conformance,
    })
}
