//! What the JSON API and the pages share about policies: who may read which version, the
//! deliberate sign-off (the password again, throttled), signed reviews, share-link tokens, and
//! the exports of a version.

use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::auth::Principal;
use crate::auth::secret::{random_secret, secret_hash};
use crate::auth::sign_in::{SignInError, confirm_password};
use crate::document::content_check::{CheckContext, ContentReport, check_policy};
use crate::document::export::{ExportMeta, standalone_html};
use crate::document::pdf::policy_pdf;
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::policy::{Policy, PolicyKind};
use crate::domain::policy_exception::{ExceptionDecisionInput, PolicyException, ShareLink};
use crate::domain::policy_version::{PolicyVersion, Transition, VersionStatus};
use crate::error::AppError;
use crate::store::{PolicyReview, Store};

/// Whether the caller sees drafts, old versions and the records around them; everyone else sees
/// only the version in force.
pub fn sees_records(principal: &Principal) -> bool {
    principal.may(Permission::ReadPolicyRecords)
}

/// The version, if the caller may read it (a hidden one answers as not found).
pub async fn readable_version(
    store: &dyn Store,
    principal: &Principal,
    id: Uuid,
) -> Result<PolicyVersion, AppError> {
    let version = store.get_version(id).await?;
    if version.status == VersionStatus::Published || sees_records(principal) {
        Ok(version)
    } else {
        Err(AppError::NotFound("policy version"))
    }
}

/// The password check of a sign-off, as a field error the form and the API both show.
pub(crate) async fn confirm(
    store: &dyn Store,
    principal: &Principal,
    password: &str,
) -> Result<(), AppError> {
    match confirm_password(store, &principal.account, password).await {
        Ok(()) => Ok(()),
        Err(SignInError::Failed) => Err(AppError::Invalid(FieldErrors::single(
            "password",
            "is not your password",
        ))),
        Err(SignInError::Throttled(wait)) => Err(AppError::TooManyRequests(format!(
            "Too many wrong passwords; try again in {wait} seconds."
        ))),
        Err(SignInError::Store(error)) => Err(error.into()),
    }
}

/// Signs a version off (or rejects it) after the approver confirms their password; the store
/// checks the role and that the approver wrote and submitted none of it, and records both.
pub async fn decide_version(
    store: &dyn Store,
    principal: &Principal,
    version_id: Uuid,
    approve: bool,
    password: &str,
    statement: &str,
    today: Date,
) -> Result<PolicyVersion, AppError> {
    if approve {
        confirm(store, principal, password).await?;
    }
    let step = if approve {
        Transition::Approve
    } else {
        Transition::Reject
    };
    Ok(store
        .transition_version(&principal.account, version_id, step, statement, today)
        .await?)
}

/// "Reviewed, no change", signed with the reviewer's password.
pub async fn signed_review(
    store: &dyn Store,
    principal: &Principal,
    policy_id: Uuid,
    password: &str,
    note: &str,
    today: Date,
) -> Result<PolicyReview, AppError> {
    let policy = store.get_policy(policy_id).await?;
    may_review(principal, &policy)?;
    confirm(store, principal, password).await?;
    Ok(store
        .record_review(&principal.account, policy_id, note, today)
        .await?)
}

/// A review is the owner's or the approver's act.
fn may_review(principal: &Principal, policy: &Policy) -> Result<(), AppError> {
    let account = &principal.account;
    if account.person_id == policy.owner_id || account.has_role(policy.approver_role) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only the policy's owner or a holder of the {} role may record its review",
            policy.approver_role
        )))
    }
}

/// Decides an exception request; approving needs the password again, like a sign-off.
pub async fn decide_exception(
    store: &dyn Store,
    principal: &Principal,
    id: Uuid,
    decision: ExceptionDecisionInput,
    password: &str,
    today: Date,
) -> Result<PolicyException, AppError> {
    confirm(store, principal, password).await?;
    Ok(store
        .decide_exception(&principal.account, id, decision, today)
        .await?)
}

/// A new share link: the token is shown once (in the link), only its hash is kept.
pub async fn create_share_link(
    store: &dyn Store,
    principal: &Principal,
    policy_id: Uuid,
    label: &str,
    days: i64,
) -> Result<(ShareLink, String), AppError> {
    let token = random_secret();
    let expires_at = OffsetDateTime::now_utc() + Duration::days(days);
    let link = store
        .create_share_link(
            &principal.account,
            policy_id,
            label,
            expires_at,
            &secret_hash(&token),
        )
        .await?;
    Ok((link, token))
}

/// The content check of a body, in the context of the organization's name.
pub async fn content_check(store: &dyn Store, body: &str) -> Result<ContentReport, AppError> {
    let organization = store.organization().await?;
    let context = CheckContext {
        organization_name: Some(organization.name).filter(|n| !n.trim().is_empty()),
    };
    Ok(check_policy(body, &context))
}

/// Whether the version's policy is the top-level one (the only one the content check applies to).
pub fn is_top_level(policy: &Policy) -> bool {
    policy.kind == PolicyKind::TopLevel
}

/// The title block of an export: who approved the version and when.
pub async fn export_meta(
    store: &dyn Store,
    policy: &Policy,
    version: &PolicyVersion,
) -> Result<ExportMeta, AppError> {
    let organization = store.organization().await?;
    let decisions = store.version_decisions(version.id).await?;
    let approvals: Vec<_> = decisions
        .iter()
        .filter(|d| d.approved && d.review_round == version.review_round)
        .collect();
    Ok(ExportMeta {
        organization: organization.name,
        title: policy.title.clone(),
        version: version.number.to_string(),
        status: version.status.label().to_owned(),
        approvers: approvals.iter().map(|d| d.account_name.clone()).collect(),
        approved_on: version.approved_at.map(OffsetDateTime::date),
        published_on: version.published_at.map(OffsetDateTime::date),
        content_hash: version.content_hash.clone(),
        owner: policy.owner_name.clone(),
        next_review: policy.next_review_due(),
    })
}

/// The version as a standalone HTML file.
pub async fn export_html(
    store: &dyn Store,
    policy: &Policy,
    version: &PolicyVersion,
) -> Result<String, AppError> {
    let meta = export_meta(store, policy, version).await?;
    Ok(standalone_html(&meta, &version.body))
}

/// The version as a PDF, laid out off the request threads (typst is CPU-bound).
pub async fn export_pdf(
    store: &dyn Store,
    policy: &Policy,
    version: &PolicyVersion,
) -> Result<Vec<u8>, AppError> {
    let meta = export_meta(store, policy, version).await?;
    let body = version.body.clone();
    tokio::task::spawn_blocking(move || policy_pdf(&meta, &body))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A file name for an export: the title's letters and digits, the version, the extension.
pub fn export_file_name(policy: &Policy, version: &PolicyVersion, extension: &str) -> String {
    let slug: String = policy
        .title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{slug}-v{}.{extension}", version.number)
}
