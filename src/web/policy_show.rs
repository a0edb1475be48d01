//! One policy's page: its details and review state, the version in force as readable prose with
//! its approval record, the versions and reviews (for those who read the records), the signed
//! "reviewed, no change", and the evidence trail. Also the exports of a version.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use super::error::parse_id;
use super::evidence::{Evidence, evidence_trail};
use super::forms::Field;
use super::layout::{Area, Layout};
use super::moment::day;
use super::policy_page::{InForce, PolicyFacts, ReviewRow, VersionRow, in_force, version_rows};
use super::policy_views::{PolicyFlash, PolicyResult};
use super::views::{Badge, Link};
use crate::app::{AppState, today};
use crate::auth::{Caller, Principal};
use crate::domain::access::Permission;
use crate::domain::policy::Policy;
use crate::domain::policy_exception::{ExceptionFilter, PolicyException, ShareLink};
use crate::domain::policy_version::DraftInput;
use crate::domain::{FieldErrors, PageRequest};
use crate::error::AppError;
use crate::policy_actions::{self, readable_version, sees_records};

/// The signed review form, with its messages after a refusal.
pub struct ReviewForm {
    pub password: Field,
    pub note: Field,
    pub refusal: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "policies/show.html", whitespace = "minimize")]
pub struct PolicyPage {
    pub layout: Layout,
    pub flash: Option<&'static str>,
    pub policy: Policy,
    /// Whether the caller may change the policy (its details, versions, share links).
    pub can_edit: bool,
    pub share_links: Vec<ShareLink>,
    pub exceptions: Vec<PolicyException>,
    pub records: bool,
    pub facts: PolicyFacts,
    pub in_force: Option<InForce>,
    pub preparing: Option<(Link, Badge)>,
    pub versions: Vec<VersionRow>,
    pub reviews: Vec<ReviewRow>,
    pub review_form: Option<ReviewForm>,
    pub evidence: Option<Evidence>,
}

/// What a render of the page differs by: a refused review keeps its note and messages.
#[derive(Default)]
struct Outcome {
    flash: Option<&'static str>,
    note: String,
    errors: FieldErrors,
    refusal: Option<String>,
}

async fn policy_page(
    state: &AppState,
    caller: &Principal,
    policy: Policy,
    outcome: Outcome,
) -> PolicyResult<PolicyPage> {
    let store = state.store.as_ref();
    let records = sees_records(caller);
    let published = store.published_version(policy.id).await?;
    if published.is_none() && !records {
        return Err(AppError::NotFound("policy").into());
    }
    let today = today();
    let now = OffsetDateTime::now_utc();
    let versions = if records {
        store.list_versions(policy.id).await?
    } else {
        Vec::new()
    };
    let preparing = versions.iter().find(|v| v.status.is_open()).map(|v| {
        (
            Link::new(
                format!("/policies/versions/{}", v.id),
                format!("Version {}", v.number),
            ),
            super::policy_views::version_badge(v.status),
        )
    });
    let in_force = match &published {
        Some(version) => Some(in_force(store, version, now).await?),
        None => None,
    };
    // Every exception of the policy: the exceptions partial shows a reader only their own.
    let filter = ExceptionFilter {
        policy_id: Some(policy.id),
        state: None,
    };
    let exceptions = store
        .list_exceptions(&filter, today, PageRequest::new(Some(1), Some(100)))
        .await?
        .items;
    let (share_links, reviews, evidence) = if records {
        let reviews = store.list_reviews(policy.id).await?;
        (
            store.list_share_links(policy.id).await?,
            reviews
                .iter()
                .map(|r| ReviewRow {
                    on: day(r.reviewed_on, today),
                    by: r.account_name.clone(),
                    note: r.note.clone(),
                })
                .collect(),
            Some(evidence_trail(store, "policy", &policy.id.to_string()).await?),
        )
    } else {
        (Vec::new(), Vec::new(), None)
    };
    let account = &caller.account;
    let may_review = published.is_some()
        && caller.may(Permission::DecidePolicies)
        && (account.person_id == policy.owner_id || account.has_role(policy.approver_role));
    let review_form = may_review.then(|| ReviewForm {
        password: Field::new("password", "Your password", "")
            .with_errors(&outcome.errors, "password"),
        note: Field::new("note", "Note (what was looked at)", outcome.note)
            .with_errors(&outcome.errors, "note"),
        refusal: outcome.refusal,
    });
    Ok(PolicyPage {
        layout: Layout::load(state, Area::Policies, policy.title.clone()).await,
        flash: outcome.flash,
        can_edit: caller.may(Permission::EditPolicies),
        share_links,
        exceptions,
        records,
        facts: PolicyFacts::new(store, &policy, today).await?,
        in_force,
        preparing,
        versions: version_rows(&versions, now),
        reviews,
        review_form,
        evidence,
        policy,
    })
}

pub async fn show_policy(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(flash): Query<PolicyFlash>,
) -> PolicyResult<PolicyPage> {
    let policy = state.store.get_policy(parse_id(&raw, "policy")?).await?;
    let outcome = Outcome {
        flash: flash.message(),
        ..Outcome::default()
    };
    policy_page(&state, &caller, policy, outcome).await
}

/// Starts the next version from the text in force (or the newest text) and opens its editor;
/// when a version is already in preparation, opens that one instead.
pub async fn start_version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PolicyResult<Response> {
    let store = state.store.as_ref();
    let policy = store.get_policy(parse_id(&raw, "policy")?).await?;
    let versions = store.list_versions(policy.id).await?;
    if let Some(open) = versions.iter().find(|v| v.status.is_open()) {
        return Ok(Redirect::to(&format!("/policies/versions/{}", open.id)).into_response());
    }
    let source = store
        .published_version(policy.id)
        .await?
        .map(|v| v.body)
        .or_else(|| versions.first().map(|v| v.body.clone()))
        .unwrap_or_else(|| crate::document::template::TOPIC_SPECIFIC.to_owned());
    let draft = DraftInput {
        body: source,
        is_major: false,
        change_summary: String::new(),
    }
    .validate()
    .map_err(AppError::Invalid)?;
    let version = store
        .create_draft(&caller.account, policy.id, draft)
        .await?;
    Ok(Redirect::to(&format!(
        "/policies/versions/{}/edit?flash=draft",
        version.id
    ))
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewPost {
    password: String,
    note: String,
}

/// "Reviewed, no change", signed with the password; a refusal is shown beside the form.
pub async fn record_review(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<ReviewPost>,
) -> PolicyResult<Response> {
    let store = state.store.as_ref();
    let policy = store.get_policy(parse_id(&raw, "policy")?).await?;
    let result = policy_actions::signed_review(
        store,
        &caller,
        policy.id,
        &form.password,
        &form.note,
        today(),
    )
    .await;
    let error = match result {
        Ok(_) => {
            return Ok(
                Redirect::to(&format!("/policies/{}?flash=reviewed", policy.id)).into_response(),
            );
        }
        Err(error) => error,
    };
    let status = error.status();
    let mut outcome = Outcome {
        note: form.note,
        ..Outcome::default()
    };
    match error {
        AppError::Invalid(errors) => outcome.errors = errors,
        AppError::Forbidden(message)
        | AppError::Conflict(message)
        | AppError::TooManyRequests(message) => {
            outcome.refusal = Some(message);
        }
        other => return Err(other.into()),
    }
    let page = policy_page(&state, &caller, policy, outcome).await?;
    Ok((status, page).into_response())
}

/// The version as a standalone, print-ready HTML file.
pub async fn export_html(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PolicyResult<Response> {
    let store = state.store.as_ref();
    let version = readable_version(store, &caller, parse_id(&raw, "policy version")?).await?;
    let policy = store.get_policy(version.policy_id).await?;
    let html = policy_actions::export_html(store, &policy, &version).await?;
    let name = policy_actions::export_file_name(&policy, &version, "html");
    Ok(crate::api::policy_versions::attachment(
        "text/html; charset=utf-8",
        &name,
        html.into_bytes(),
    ))
}

/// The version as a PDF with its title block.
pub async fn export_pdf(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
) -> PolicyResult<Response> {
    let store = state.store.as_ref();
    let version = readable_version(store, &caller, parse_id(&raw, "policy version")?).await?;
    let policy = store.get_policy(version.policy_id).await?;
    let pdf = policy_actions::export_pdf(store, &policy, &version).await?;
    let name = policy_actions::export_file_name(&policy, &version, "pdf");
    Ok(crate::api::policy_versions::attachment(
        "application/pdf",
        &name,
        pdf,
    ))
}
