//! One improvement action: what, where it came from, owner and due date, the evidence, and for
//! its owner or an ISMS manager the progress form. Its owner reaches it from "My tasks" without
//! reading the rest of the leadership records.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::action_badge;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::improvement_action::{ActionProgress, ActionStatus, ImprovementAction};
use crate::store::StoreError;
use crate::web::error::{PageError, PageResult, parse_id};
use crate::web::evidence::{Evidence, visible_evidence_trail};
use crate::web::forms::{Field, SelectOption};
use crate::web::layout::{Area, Layout};
use crate::web::moment::{Moment, day, moment};
use crate::web::share_links::sentence;
use crate::web::views::Badge;

/// The progress form as shown.
pub struct ProgressPanel {
    pub status: Field,
    /// `cancelled` only for those who manage leadership records.
    pub statuses: Vec<SelectOption>,
    pub evidence: Field,
    /// Whether the caller may cancel the action.
    pub cancels: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews/action.html", whitespace = "minimize")]
pub struct ActionPage {
    layout: Layout,
    flash: Option<&'static str>,
    action: ImprovementAction,
    source: &'static str,
    status: Badge,
    due: Moment,
    completed: Option<Moment>,
    created: Moment,
    progress: Option<ProgressPanel>,
    refusal: Option<String>,
    /// Whether the caller may open the leadership lists (the owner alone may not).
    reads_leadership: bool,
    evidence: Option<Evidence>,
}

/// What a refused progress form brings back.
#[derive(Default)]
struct Refused {
    form: ProgressForm,
    errors: FieldErrors,
    message: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProgressForm {
    status: String,
    evidence: String,
}

async fn action_page(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    refused: Option<Refused>,
) -> PageResult<ActionPage> {
    let store = state.store.as_ref();
    let today = today();
    let action = store.get_improvement_action(id, today).await?;
    let owner = action.owner_id == caller.account.person_id;
    let reads_leadership = caller.may(Permission::ReadLeadership);
    if !owner && !reads_leadership {
        return Err(PageError::Refused(
            "An improvement action is shown to its owner and to those who read leadership records"
                .into(),
        ));
    }
    let manages = caller.may(Permission::ManageLeadership);
    let updates =
        action.status.is_open() && (owner || manages) && caller.may(Permission::UpdateActions);
    let refused = refused.unwrap_or_else(|| Refused {
        form: ProgressForm {
            status: action.status.as_str().to_owned(),
            evidence: action.evidence.clone(),
        },
        ..Refused::default()
    });
    let progress = updates.then(|| ProgressPanel {
        statuses: ActionStatus::ALL
            .iter()
            .filter(|s| manages || **s != ActionStatus::Cancelled)
            .map(|s| SelectOption::new(s.as_str(), s.label(), s.as_str() == refused.form.status))
            .collect(),
        cancels: manages,
        status: Field::new("status", "Status", refused.form.status.clone())
            .with_errors(&refused.errors, "status"),
        evidence: Field::new("evidence", "Evidence", refused.form.evidence.clone())
            .with_errors(&refused.errors, "evidence"),
    });
    let evidence =
        visible_evidence_trail(store, caller, "improvement_action", &id.to_string()).await?;
    let now = OffsetDateTime::now_utc();
    Ok(ActionPage {
        layout: Layout::load(state, Area::Leadership, action.title.clone()).await,
        flash: None,
        source: action.source.label(),
        status: action_badge(action.status, action.overdue),
        due: day(action.due_on, today),
        completed: action.completed_on.map(|d| day(d, today)),
        created: moment(action.created_at, now),
        progress,
        refusal: refused.message,
        reads_leadership,
        evidence,
        action,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionQuery {
    flash: String,
}

pub async fn show_action(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<ActionQuery>,
) -> PageResult<ActionPage> {
    let id = parse_id(&raw, "improvement action")?;
    let mut page = action_page(&state, &caller, id, None).await?;
    page.flash = match query.flash.as_str() {
        "created" => Some("The action is raised: its owner sees it in their tasks."),
        "updated" => Some("The progress is recorded."),
        _ => None,
    };
    Ok(page)
}

pub async fn update_action(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<ProgressForm>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "improvement action")?;
    let store = state.store.as_ref();
    let mut refused = Refused {
        form: form.clone(),
        ..Refused::default()
    };
    let status = match form.status.parse::<ActionStatus>() {
        Ok(status) => Some(status),
        Err(_) if form.status.trim().is_empty() => None,
        Err(message) => {
            refused.errors.add("status", message);
            None
        }
    };
    let result = if refused.errors.is_empty() {
        let progress = ActionProgress {
            status,
            evidence: Some(form.evidence.clone()),
        };
        store
            .update_improvement_action(&caller.account, id, progress, today())
            .await
    } else {
        Err(StoreError::Invalid(refused.errors.clone()))
    };
    let code = match result {
        Ok(_) => {
            let to = format!("/leadership/actions/{id}?flash=updated");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => {
            refused.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(StoreError::Conflict(message)) => {
            refused.message = Some(sentence(&message));
            StatusCode::CONFLICT
        }
        // Shown on the page (to the owner refused a cancellation, who may cancel); the page
        // itself is refused to those who may not read the action.
        Err(StoreError::Forbidden(message)) => {
            refused.message = Some(sentence(&message));
            StatusCode::FORBIDDEN
        }
        Err(other) => return Err(other.into()),
    };
    let page = action_page(&state, &caller, id, Some(refused)).await?;
    Ok((code, page).into_response())
}
