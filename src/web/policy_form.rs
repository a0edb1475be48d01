//! Creating a policy with its first draft, and editing a policy's details. A new policy starts
//! from the template of its kind; a refused form comes back with each message beside its field
//! and everything that was typed.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::error::parse_id;
use super::layout::{Area, Layout};
use super::policy_fields::{PolicyFields, PolicyForm};
use super::policy_views::PolicyResult;
use super::views::Link;
use crate::app::AppState;
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::policy::{Policy, PolicyKind};
use crate::store::StoreError;

#[derive(Template, WebTemplate)]
#[template(path = "policies/form.html", whitespace = "minimize")]
pub struct PolicyFormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel_href: String,
    submit_label: &'static str,
    /// No kind chosen yet: the page offers the two kinds first.
    choose_kind: bool,
    /// The information security policy, when one exists (there is exactly one).
    top_level: Option<Link>,
    /// A new policy carries the text of its first draft.
    with_body: bool,
    top_level_kind: bool,
    summary: Vec<(String, String)>,
    fields: PolicyFields,
}

/// What the form is about: a new policy, or this one.
struct Target {
    policy: Option<Policy>,
    heading: String,
}

async fn form_page(
    state: &AppState,
    target: Target,
    form: PolicyForm,
    errors: &FieldErrors,
) -> PolicyResult<PolicyFormPage> {
    let store = state.store.as_ref();
    let owners = store.list_accounts().await?;
    let units = store.all_units().await?;
    let top_level = store
        .top_level_policy()
        .await?
        .map(|p| Link::new(format!("/policies/{}", p.id), p.title));
    let (action, cancel_href, submit_label, current_owner) = match &target.policy {
        Some(p) => (
            format!("/policies/{}", p.id),
            format!("/policies/{}", p.id),
            "Save changes",
            Some((p.owner_id, p.owner_name.clone())),
        ),
        None => (
            "/policies".to_owned(),
            "/policies".to_owned(),
            "Create the policy and its draft",
            None,
        ),
    };
    let top_level_kind = form.kind == PolicyKind::TopLevel.as_str();
    let fields = PolicyFields::new(form, errors, &owners, current_owner, &units);
    Ok(PolicyFormPage {
        layout: Layout::load(state, Area::Policies, target.heading.clone()).await,
        heading: target.heading,
        action,
        cancel_href,
        submit_label,
        choose_kind: false,
        top_level,
        with_body: target.policy.is_none(),
        top_level_kind,
        summary: fields.summary(),
        fields,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewPolicyQuery {
    kind: String,
}

/// `?kind=top_level` starts from the information security policy template, `?kind=
/// topic_specific` from the topic-specific one; without a kind the page offers the choice.
pub async fn new_policy(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<NewPolicyQuery>,
) -> PolicyResult<PolicyFormPage> {
    let kind: Option<PolicyKind> = query.kind.parse().ok();
    let form = PolicyForm::new_policy(
        kind.unwrap_or(PolicyKind::TopicSpecific),
        Some(caller.account.person_id),
    );
    let target = Target {
        policy: None,
        heading: match kind {
            Some(PolicyKind::TopLevel) => "New information security policy".to_owned(),
            Some(PolicyKind::TopicSpecific) => "New topic-specific policy".to_owned(),
            None => "New policy".to_owned(),
        },
    };
    let mut page = form_page(&state, target, form, &FieldErrors::new()).await?;
    page.choose_kind = kind.is_none();
    Ok(page)
}

pub async fn create_policy(
    State(state): State<AppState>,
    Caller(caller): Caller,
    body: Bytes,
) -> PolicyResult<Response> {
    let form = PolicyForm::from_body(&body);
    let checked = match (form.to_input(), form.to_draft()) {
        (Ok(input), Ok(draft)) => Ok((input, draft)),
        (input, draft) => {
            let mut errors = input.err().unwrap_or_default();
            if let Err(more) = draft {
                super::forms::add_missing(&mut errors, &more);
            }
            Err(StoreError::Invalid(errors))
        }
    };
    let result = match checked {
        Ok((input, draft)) => {
            state
                .store
                .create_policy(&caller.account, input, draft)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok((_, draft)) => Ok(Redirect::to(&format!(
            "/policies/versions/{}?flash=created",
            draft.id
        ))
        .into_response()),
        Err(StoreError::Invalid(errors)) => {
            let heading = "New policy".to_owned();
            let page = form_page(
                &state,
                Target {
                    policy: None,
                    heading,
                },
                form,
                &errors,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_policy(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PolicyResult<PolicyFormPage> {
    let policy = state.store.get_policy(parse_id(&raw, "policy")?).await?;
    let form = PolicyForm::from_policy(&policy);
    let heading = format!("Edit {}", policy.title);
    let target = Target {
        policy: Some(policy),
        heading,
    };
    form_page(&state, target, form, &FieldErrors::new()).await
}

pub async fn update_policy(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    body: Bytes,
) -> PolicyResult<Response> {
    let policy = state.store.get_policy(parse_id(&raw, "policy")?).await?;
    let form = PolicyForm::from_body(&body);
    let result = match form.to_input() {
        Ok(input) => update(&state, &caller, policy.id, input).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/policies/{}?flash=saved", policy.id)).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let heading = format!("Edit {}", policy.title);
            let target = Target {
                policy: Some(policy),
                heading,
            };
            let page = form_page(&state, target, form, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

async fn update(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    input: crate::domain::policy::PolicyInput,
) -> Result<(), StoreError> {
    state
        .store
        .update_policy(&caller.account, id, input)
        .await
        .map(|_| ())
}
