//! One management review: its facts and attendees (top management marked), the pack of inputs
//! (live while a draft, frozen at sign-off), the minutes rendered sanitized, the decisions with
//! the actions they started, and, for a draft, the decision form and the chair's sign-off.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::pack_view::{PreviousRow, previous_rows};
use super::signoff::{DecisionPanel, Refused, SignPanel};
use super::{action_badge, review_badge};
use crate::api::reviews::review_pack;
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::document::render::render_markdown;
use crate::domain::access::Permission;
use crate::domain::improvement_action::{ActionStatus, is_overdue};
use crate::domain::review::{ManagementReview, PreviousActions, ReviewDecision, ReviewStatus};
use crate::web::error::{PageResult, parse_id};
use crate::web::evidence::{Evidence, visible_evidence_trail};
use crate::web::layout::{Area, Layout};
use crate::web::moment::{Moment, day, moment};
use crate::web::share_links::page_error;
use crate::web::status_view::StatusView;
use crate::web::views::{Badge, Link};

/// One action a decision started.
pub struct DecisionAction {
    pub link: Link,
    pub owner: String,
    pub due: Moment,
    pub status: Badge,
}

/// One decision as shown.
pub struct DecisionRow {
    pub id: Uuid,
    pub kind: &'static str,
    pub text: String,
    pub actions: Vec<DecisionAction>,
}

fn decision_row(decision: &ReviewDecision, today: time::Date) -> DecisionRow {
    DecisionRow {
        id: decision.id,
        kind: decision.kind.label(),
        text: decision.text.clone(),
        actions: decision
            .actions
            .iter()
            .map(|a| {
                let status = a.status.parse().unwrap_or(ActionStatus::Open);
                DecisionAction {
                    link: Link::new(format!("/leadership/actions/{}", a.id), a.title.clone()),
                    owner: a.owner_name.clone().unwrap_or_default(),
                    due: day(a.due_on, today),
                    status: action_badge(status, is_overdue(status, a.due_on, today)),
                }
            })
            .collect(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews/show.html", whitespace = "minimize")]
pub struct ReviewPage {
    layout: Layout,
    flash: Option<&'static str>,
    review: ManagementReview,
    status: Badge,
    held: Moment,
    /// Held after today: the chair signs it from that day.
    not_yet_held: bool,
    signed_at: Option<Moment>,
    /// Sanitized HTML of the minutes.
    minutes_html: String,
    frozen: bool,
    sha256: Option<String>,
    /// The frozen inputs still have their SHA-256.
    intact: bool,
    as_of: Moment,
    status_view: StatusView,
    previous: PreviousActions,
    previous_rows: Vec<PreviousRow>,
    decisions: Vec<DecisionRow>,
    can_edit: bool,
    decision_panel: Option<DecisionPanel>,
    sign_panel: Option<SignPanel>,
    /// Who signs, for those who cannot.
    sign_note: Option<String>,
    refusal: Option<String>,
    evidence: Option<Evidence>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewQuery {
    flash: String,
}

pub async fn show_review(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<ReviewQuery>,
) -> PageResult<ReviewPage> {
    let id = parse_id(&raw, "management review")?;
    let mut page = review_page(&state, &caller, id, Refused::default()).await?;
    page.flash = match query.flash.as_str() {
        "prepared" => Some(
            "The review is prepared as a draft. Its inputs are read live until the chair signs it.",
        ),
        "updated" => Some("The draft is saved."),
        "decided" => Some("The decision is recorded, with the actions it starts."),
        "signed" => Some("The review is signed: its inputs are frozen and the record is locked."),
        _ => None,
    };
    Ok(page)
}

/// The page, with what a refused form brings back.
pub(super) async fn review_page(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    refused: Refused,
) -> PageResult<ReviewPage> {
    let store = state.store.as_ref();
    let review = store.get_management_review(id).await?;
    let now = OffsetDateTime::now_utc();
    let today = today();
    let pack = review_pack(store, &review, now).await.map_err(page_error)?;
    let draft = review.status == ReviewStatus::Draft;
    let chair = review.chair_id == caller.account.person_id;
    let signs = draft && chair && caller.may(Permission::SignReviews);
    let manages = draft && caller.may(Permission::ManageLeadership);
    let evidence = review_evidence(store, caller, id).await?;
    let sign_note = (draft && !signs).then(|| {
        format!(
            "Only the chair, {}, signs this review off, as a member of top management.",
            review.chair_name
        )
    });
    Ok(ReviewPage {
        layout: Layout::load(state, Area::Leadership, review.title.clone()).await,
        flash: None,
        status: review_badge(review.status),
        held: day(review.held_on, today),
        not_yet_held: review.held_on > today,
        signed_at: review.signed_at.map(|at| moment(at, now)),
        minutes_html: render_markdown(&review.minutes).html,
        frozen: pack.frozen,
        sha256: pack.sha256,
        intact: pack.intact,
        as_of: moment(pack.inputs.isms.as_of, now),
        status_view: StatusView::new(pack.inputs.isms),
        previous_rows: previous_rows(&pack.inputs.previous_actions, today),
        previous: pack.inputs.previous_actions,
        decisions: review
            .decisions
            .iter()
            .map(|d| decision_row(d, today))
            .collect(),
        can_edit: manages,
        decision_panel: manages.then(|| refused.decision_panel()),
        sign_panel: signs.then(|| refused.sign_panel()),
        sign_note,
        refusal: refused.message,
        evidence,
        review,
    })
}

async fn review_evidence(
    store: &dyn crate::store::Store,
    caller: &Principal,
    id: Uuid,
) -> PageResult<Option<Evidence>> {
    Ok(visible_evidence_trail(store, caller, "management_review", &id.to_string()).await?)
}
