//! Process integration pages (5.1.b): every process with how the ISMS is built into it, stale
//! ones first with their badge, and one process with its evidence and verification.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use time::Date;

use super::super::error::{PageResult, parse_id};
use super::super::evidence::{Evidence, visible_evidence_trail};
use super::super::layout::{Area, Layout};
use super::super::moment::{Moment, day};
use super::super::views::{Badge, Link};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::access::{Permission, Role};
use crate::domain::process::Process;

/// Never verified or past its interval is red; verified within it, green.
pub fn process_badge(process: &Process) -> Badge {
    match (process.stale, process.last_verified_on) {
        (true, None) => Badge::new("red", "Never verified"),
        (true, Some(_)) => Badge::new("red", "Stale"),
        (false, _) => Badge::new("green", "Verified"),
    }
}

/// Whether the caller may record a verification (the store has the last word).
pub fn may_verify(caller: &Principal, process: &Process) -> bool {
    caller.may(Permission::UpdateActions)
        && (process.owner_id == Some(caller.account.person_id)
            || caller.account.has_role(Role::IsmsManager))
}

/// One process as a row.
pub struct ProcessRow {
    pub link: Link,
    pub key_process: bool,
    pub described: bool,
    pub owner: Option<Link>,
    pub last_verified: Option<Moment>,
    pub due: Option<Moment>,
    pub status: Badge,
}

fn process_row(process: &Process, today: Date) -> ProcessRow {
    ProcessRow {
        link: Link::new(
            format!("/leadership/processes/{}", process.id),
            process.name.clone(),
        ),
        key_process: process.key_process,
        described: !process.integration.is_empty(),
        owner: owner_link(process),
        last_verified: process.last_verified_on.map(|on| day(on, today)),
        due: process.verification_due_on.map(|on| day(on, today)),
        status: process_badge(process),
    }
}

fn owner_link(process: &Process) -> Option<Link> {
    process
        .owner_id
        .zip(process.owner_name.clone())
        .map(|(id, name)| Link::new(format!("/people/{id}"), name))
}

#[derive(Template, WebTemplate)]
#[template(path = "commitments/processes.html", whitespace = "minimize")]
pub struct ProcessesPage {
    layout: Layout,
    flash: Option<&'static str>,
    stale: Vec<ProcessRow>,
    current: Vec<ProcessRow>,
    may_manage: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FlashQuery {
    flash: String,
}

pub async fn show_processes(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<FlashQuery>,
) -> PageResult<ProcessesPage> {
    let today = today();
    let processes = state.store.list_processes(today).await?;
    let (stale, current): (Vec<&Process>, Vec<&Process>) = processes.iter().partition(|p| p.stale);
    Ok(ProcessesPage {
        layout: Layout::load(&state, Area::Leadership, "Process integration").await,
        flash: (query.flash == "created").then_some("The process was added."),
        stale: stale.iter().map(|p| process_row(p, today)).collect(),
        current: current.iter().map(|p| process_row(p, today)).collect(),
        may_manage: caller.may(Permission::ManageLeadership),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "commitments/process.html", whitespace = "minimize")]
pub struct ProcessPage {
    layout: Layout,
    flash: Option<&'static str>,
    process: Process,
    status: Badge,
    owner: Option<Link>,
    last_verified: Option<Moment>,
    due: Option<Moment>,
    may_manage: bool,
    may_verify: bool,
    evidence_trail: Option<Evidence>,
}

pub async fn show_process(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<FlashQuery>,
) -> PageResult<ProcessPage> {
    let id = parse_id(&raw, "process")?;
    let today = today();
    let store = state.store.as_ref();
    let process = store.get_process(id, today).await?;
    let evidence_trail = visible_evidence_trail(store, &caller, "process", &id.to_string()).await?;
    let flash = match query.flash.as_str() {
        "updated" => Some("The process was saved."),
        "verified" => Some("The verification was recorded."),
        _ => None,
    };
    Ok(ProcessPage {
        layout: Layout::load(&state, Area::Leadership, process.name.clone()).await,
        flash,
        status: process_badge(&process),
        owner: owner_link(&process),
        last_verified: process.last_verified_on.map(|on| day(on, today)),
        due: process.verification_due_on.map(|on| day(on, today)),
        may_manage: caller.may(Permission::ManageLeadership),
        may_verify: may_verify(&caller, &process),
        evidence_trail,
        process,
    })
}
