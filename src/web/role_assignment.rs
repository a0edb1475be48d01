//! One assignment: the role, its holder, scope and dates, who assigned it and why, the
//! acknowledgment (or, for the holder, the role to acknowledge), the competence evidence, the
//! tasks delegated from it with who stays accountable, and ending it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::{PageError, PageResult, parse_id};
use super::evidence::{Evidence, evidence_trail};
use super::forms::{Field, SelectOption, format_date};
use super::layout::{Area, Layout};
use super::moment::{Moment, day, moment};
use super::role_delegations::{DelegationRow, delegation_rows};
use super::role_views::{ack_badge, scope_words, tenure_badge, unit_names};
use super::views::{Badge, Link};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::assignment::{
    Assignment, CompetenceEvidence, EvidenceKind, TenureState, role_statement,
};
use crate::domain::role::OrgRole;
use crate::store::DelegationFilter;

/// A piece of competence evidence, valid or lapsed today.
pub struct EvidenceRow {
    pub kind: &'static str,
    pub description: String,
    pub obtained: Moment,
    pub expires: Option<Moment>,
    pub state: Badge,
}

fn kind_word(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Training => "Training",
        EvidenceKind::Certification => "Certification",
        EvidenceKind::Experience => "Experience",
    }
}

fn evidence_row(evidence: &CompetenceEvidence, today: time::Date) -> EvidenceRow {
    let state = if evidence.is_valid_on(today) {
        Badge::new("green", "Valid")
    } else {
        Badge::new("red", "Lapsed")
    };
    EvidenceRow {
        kind: kind_word(evidence.kind),
        description: evidence.description.clone(),
        obtained: day(evidence.obtained_on, today),
        expires: evidence.expires_on.map(|d| day(d, today)),
        state,
    }
}

/// Recording competence evidence, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EvidencePost {
    pub evidence_kind: String,
    pub evidence_description: String,
    pub evidence_obtained_on: String,
    pub evidence_expires_on: String,
}

/// Delegating a task, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DelegatePost {
    pub delegate_email: String,
    pub delegate_provider: String,
    pub delegate_task: String,
    pub delegate_starts_on: String,
    pub delegate_ends_on: String,
}

/// Ending the assignment, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EndPost {
    pub end_ends_on: String,
    pub end_reason: String,
}

pub struct EvidenceForm {
    pub kind: Field,
    pub kinds: Vec<SelectOption>,
    pub description: Field,
    pub obtained_on: Field,
    pub expires_on: Field,
}

pub struct DelegateForm {
    pub email: Field,
    pub provider: Field,
    pub task: Field,
    pub starts_on: Field,
    pub ends_on: Field,
    pub delegate_error: Option<String>,
}

pub struct EndForm {
    pub ends_on: Field,
    pub reason: Field,
}

/// A field whose message comes from the first of `keys` that has one.
fn field(
    id: &'static str,
    label: &'static str,
    value: &str,
    errors: &FieldErrors,
    keys: &[&str],
) -> Field {
    let key = keys.iter().find(|k| errors.get(k).is_some()).unwrap_or(&id);
    Field::new(id, label, value).with_errors(errors, key)
}

fn evidence_form(post: &EvidencePost, errors: &FieldErrors) -> EvidenceForm {
    let kinds = EvidenceKind::ALL
        .iter()
        .map(|k| SelectOption::new(k.as_str(), kind_word(*k), k.as_str() == post.evidence_kind))
        .collect();
    EvidenceForm {
        kind: field(
            "evidence_kind",
            "Kind",
            &post.evidence_kind,
            errors,
            &["kind"],
        ),
        kinds,
        description: field(
            "evidence_description",
            "What it is",
            &post.evidence_description,
            errors,
            &["description"],
        ),
        obtained_on: field(
            "evidence_obtained_on",
            "Obtained on",
            &post.evidence_obtained_on,
            errors,
            &["obtained_on"],
        ),
        expires_on: field(
            "evidence_expires_on",
            "Expires on (optional)",
            &post.evidence_expires_on,
            errors,
            &["expires_on"],
        ),
    }
}

fn delegate_form(post: &DelegatePost, errors: &FieldErrors) -> DelegateForm {
    DelegateForm {
        email: field(
            "delegate_email",
            "Colleague's email",
            &post.delegate_email,
            errors,
            &["delegate.person_id"],
        ),
        provider: field(
            "delegate_provider",
            "Or an external provider's name",
            &post.delegate_provider,
            errors,
            &["delegate.provider"],
        ),
        task: field(
            "delegate_task",
            "Task",
            &post.delegate_task,
            errors,
            &["task"],
        ),
        starts_on: field(
            "delegate_starts_on",
            "From",
            &post.delegate_starts_on,
            errors,
            &["starts_on"],
        ),
        ends_on: field(
            "delegate_ends_on",
            "Until",
            &post.delegate_ends_on,
            errors,
            &["ends_on"],
        ),
        delegate_error: errors
            .get("delegate")
            .map(|m| super::policy_views::sentence(&m.join(" "))),
    }
}

fn end_form(post: &EndPost, errors: &FieldErrors) -> EndForm {
    EndForm {
        ends_on: field(
            "end_ends_on",
            "Last day held",
            &post.end_ends_on,
            errors,
            &["ends_on"],
        ),
        reason: field(
            "end_reason",
            "Why it ends",
            &post.end_reason,
            errors,
            &["reason"],
        ),
    }
}

/// What a refused form brings back to the page: what was typed, why, and a refusal.
#[derive(Default)]
pub struct Returned {
    pub evidence: Option<(EvidencePost, FieldErrors)>,
    pub delegate: Option<(DelegatePost, FieldErrors)>,
    pub end: Option<(EndPost, FieldErrors)>,
    pub refusal: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/assignment.html", whitespace = "minimize")]
pub struct AssignmentPage {
    layout: Layout,
    flash: Option<&'static str>,
    refusal: Option<String>,
    assignment: Assignment,
    role: OrgRole,
    /// The role's page, for those who may read it.
    role_link: Option<Link>,
    holder: Link,
    scope: String,
    tenure: Badge,
    ack: Badge,
    since: Moment,
    until: Option<Moment>,
    created: Moment,
    acknowledged: Option<Moment>,
    is_holder: bool,
    /// The holder may acknowledge now: theirs, not yet acknowledged, not ended.
    may_acknowledge: bool,
    statement: String,
    evidence_rows: Vec<EvidenceRow>,
    lapsed: bool,
    evidence_form: Option<EvidenceForm>,
    delegations: Vec<DelegationRow>,
    delegate_form: Option<DelegateForm>,
    end_form: Option<EndForm>,
    evidence: Option<Evidence>,
}

/// Whether the caller may open the assignment: whoever reads roles, and the holder.
fn may_open(caller: &Principal, assignment: &Assignment) -> bool {
    caller.may(Permission::ReadRoles) || caller.account.person_id == assignment.person_id
}

/// The assignment's page for the caller, with any refused form shown again.
pub async fn assignment_page(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    returned: Returned,
) -> PageResult<AssignmentPage> {
    let store = state.store.as_ref();
    let today = today();
    let assignment = store.get_assignment(id, today).await?;
    if !may_open(caller, &assignment) {
        return Err(PageError::Refused(
            "Only the holder and those who read the role records may open an assignment".into(),
        ));
    }
    let role = store.get_role(assignment.role_id).await?;
    let units = unit_names(&store.all_units().await?);
    let evidence_list = store.competence_evidence(assignment.id).await?;
    let filter = DelegationFilter {
        assignment_id: Some(assignment.id),
        ..DelegationFilter::default()
    };
    let delegations = store.list_delegations(&filter, today).await?;
    let is_holder = caller.account.person_id == assignment.person_id;
    let open = assignment.state != TenureState::Ended;
    let can_manage = caller.may(Permission::ManageRoles);
    let reads_roles = caller.may(Permission::ReadRoles);
    let holds = is_holder && caller.may(Permission::HoldRoles);
    let Returned {
        evidence,
        delegate,
        end,
        refusal,
    } = returned;
    let evidence_form = can_manage.then(|| {
        let (post, errors) = evidence.unwrap_or_else(|| {
            let post = EvidencePost {
                evidence_kind: "training".into(),
                evidence_obtained_on: format_date(today),
                ..EvidencePost::default()
            };
            (post, FieldErrors::new())
        });
        evidence_form(&post, &errors)
    });
    let delegate_form = (holds && assignment.state == TenureState::Current).then(|| {
        let (post, errors) = delegate.unwrap_or_else(|| {
            let post = DelegatePost {
                delegate_starts_on: format_date(today),
                ..DelegatePost::default()
            };
            (post, FieldErrors::new())
        });
        delegate_form(&post, &errors)
    });
    let end_form = (can_manage && open).then(|| {
        let (post, errors) = end.unwrap_or_else(|| {
            let post = EndPost {
                end_ends_on: format_date(today),
                ..EndPost::default()
            };
            (post, FieldErrors::new())
        });
        end_form(&post, &errors)
    });
    let now = OffsetDateTime::now_utc();
    let evidence_rows: Vec<EvidenceRow> = evidence_list
        .iter()
        .map(|e| evidence_row(e, today))
        .collect();
    Ok(AssignmentPage {
        layout: Layout::load(
            state,
            Area::Roles,
            format!(
                "{} held by {}",
                assignment.role_name, assignment.person_name
            ),
        )
        .await,
        flash: None,
        refusal,
        role_link: reads_roles.then(|| Link::new(format!("/roles/{}", role.id), role.name.clone())),
        holder: Link::new(
            format!("/people/{}", assignment.person_id),
            assignment.person_name.clone(),
        ),
        scope: scope_words(&assignment.scope, &units),
        tenure: tenure_badge(assignment.state),
        ack: ack_badge(&assignment),
        since: day(assignment.starts_on, today),
        until: assignment.ends_on.map(|d| day(d, today)),
        created: moment(assignment.created_at, now),
        acknowledged: assignment.acknowledged_at.map(|at| moment(at, now)),
        is_holder,
        may_acknowledge: holds && assignment.acknowledged_at.is_none() && open,
        statement: role_statement(&role.name, &role.responsibilities, &role.authorities),
        lapsed: !role.competence.is_empty()
            && !evidence_list.is_empty()
            && !evidence_list.iter().any(|e| e.is_valid_on(today)),
        evidence_rows,
        evidence_form,
        delegations: delegation_rows(caller, &delegations, today),
        delegate_form,
        end_form,
        evidence: if reads_roles {
            Some(evidence_trail(store, "role_assignment", &assignment.id.to_string()).await?)
        } else {
            None
        },
        assignment,
        role,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AssignmentQuery {
    flash: String,
}

pub async fn show_assignment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<AssignmentQuery>,
) -> PageResult<AssignmentPage> {
    let id = parse_id(&raw, "assignment")?;
    let mut page = assignment_page(&state, &caller, id, Returned::default()).await?;
    page.flash = match query.flash.as_str() {
        "assigned" => {
            Some("The role is assigned. The holder is told by email and asked to acknowledge it.")
        }
        "acknowledged" => Some("Thank you: your acknowledgment of this role is recorded."),
        "evidence" => Some("The competence evidence is recorded."),
        "delegated" => Some("The task is delegated. You stay accountable for it."),
        "revoked" => Some("The delegation is ended."),
        "ended" => Some("The assignment is ended. It stays in the role's history."),
        _ => None,
    };
    Ok(page)
}
