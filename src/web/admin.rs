//! Accounts for admins: the list with a form to create one for a person, and one account's page
//! to grant or remove roles, set or remove the last day of access, and disable or enable it.
//!
//! The person is typed as an email, like a manager on the person form. The store refuses any
//! change that would leave Charter without an active admin; its message is shown on the page.

mod access;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::{PageResult, parse_id};
use super::forms::{Field, error_summary};
use super::layout::{Area, Layout};
use super::moment::{Moment, moment};
use super::views::{Badge, Link};
use crate::app::{AppState, today};
use crate::auth::password::hash_password;
use crate::auth::principal::{current, current_actor};
use crate::domain::FieldErrors;
use crate::domain::access::Role;
use crate::domain::account::{Account, check_password};
use crate::store::StoreError;
use access::{AccessEnd, access_end, access_status, expiry_hint, expiry_value, parse_expiry};

/// A role in words, as the pages show it.
pub fn role_word(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin",
        Role::IsmsManager => "ISMS manager",
        Role::TopManagement => "Top management",
        Role::Manager => "Manager",
        Role::Staff => "Staff",
        Role::Auditor => "Auditor",
        Role::ConcernHandler => "Concern handler",
    }
}

/// Roles as badges; the admin role stands out, the others are grey. Each badge has its word.
pub fn role_badges(roles: &[Role]) -> Vec<Badge> {
    roles
        .iter()
        .map(|&role| {
            let tone = if role == Role::Admin { "amber" } else { "grey" };
            Badge::new(tone, role_word(role))
        })
        .collect()
}

/// A role with what it lets its holder do.
#[derive(Debug, Clone)]
pub struct RoleLine {
    pub word: &'static str,
    pub description: &'static str,
}

pub fn role_lines(roles: &[Role]) -> Vec<RoleLine> {
    roles
        .iter()
        .map(|&role| RoleLine {
            word: role_word(role),
            description: role.description(),
        })
        .collect()
}

/// One checkbox of the roles fieldset.
#[derive(Debug, Clone)]
pub struct RoleChoice {
    pub value: &'static str,
    pub word: &'static str,
    pub description: &'static str,
    pub checked: bool,
}

fn role_choices(checked: &[Role]) -> Vec<RoleChoice> {
    Role::ALL
        .iter()
        .map(|&role| RoleChoice {
            value: role.as_str(),
            word: role_word(role),
            description: role.description(),
            checked: checked.contains(&role),
        })
        .collect()
}

/// The roles ticked in a posted form (`roles=admin&roles=staff`); unknown values are ignored.
fn ticked_roles(fields: &[(String, String)]) -> Vec<Role> {
    let mut roles: Vec<Role> = fields
        .iter()
        .filter(|(name, _)| name == "roles")
        .filter_map(|(_, value)| value.parse().ok())
        .collect();
    roles.sort();
    roles.dedup();
    roles
}

fn form_value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

/// `?flash=` names one of a few fixed messages; nothing typed by a user is echoed.
#[derive(Debug, Default, Deserialize)]
pub struct AdminFlash {
    #[serde(default)]
    flash: String,
}

impl AdminFlash {
    fn message(&self) -> Option<&'static str> {
        match self.flash.as_str() {
            "created" => Some(
                "The account was created. Pass the first password on by another channel than \
                 email; it can be changed on the account page after signing in.",
            ),
            "roles" => Some("The roles were saved. They apply from the account's next request."),
            "access" => Some(
                "The roles and the end of access were saved. They apply from the account's next \
                 request.",
            ),
            "disabled" => Some(
                "The account is disabled: its sessions have ended and it can no longer sign in \
                 or use its API tokens.",
            ),
            "enabled" => Some("The account is enabled again: it can sign in with its password."),
            _ => None,
        }
    }
}

/// One line of the accounts table.
pub struct AccountRow {
    pub href: String,
    pub person: Link,
    pub email: String,
    pub roles: Vec<Badge>,
    pub status: Badge,
    pub access: AccessEnd,
    pub created: Moment,
}

/// What the create form shows again after a refused submit.
pub struct CreateFields {
    pub email: Field,
    pub roles: Field,
    pub password: Field,
    pub expires_on: Field,
    pub expires_hint: String,
    pub choices: Vec<RoleChoice>,
}

impl CreateFields {
    fn new(email: &str, roles: &[Role], expires_on: &str, errors: &FieldErrors) -> Self {
        let mut email = Field::new("email", "Email", email.trim()).with_errors(errors, "email");
        if email.error.is_none() {
            email = email.with_errors(errors, "person_id");
        }
        Self {
            email,
            roles: Field::new("roles", "Roles", "").with_errors(errors, "roles"),
            password: Field::new("password", "First password", "").with_errors(errors, "password"),
            expires_on: Field::new("expires_on", "Last day of access", expires_on.trim())
                .with_errors(errors, "expires_on"),
            expires_hint: expiry_hint(today()),
            choices: role_choices(roles),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html", whitespace = "minimize")]
pub struct AccountsPage {
    layout: Layout,
    flash: Option<&'static str>,
    rows: Vec<AccountRow>,
    total: usize,
    active: usize,
    expired: usize,
    disabled: usize,
    summary: Vec<(String, String)>,
    form: CreateFields,
}

async fn accounts_page(
    state: &AppState,
    flash: Option<&'static str>,
    form: CreateFields,
) -> PageResult<AccountsPage> {
    let accounts = state.store.list_accounts().await?;
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    let rows: Vec<AccountRow> = accounts
        .iter()
        .map(|a| AccountRow {
            href: format!("/admin/accounts/{}", a.id),
            person: Link::new(format!("/people/{}", a.person_id), a.name.clone()),
            email: a.email.clone(),
            roles: role_badges(&a.roles),
            status: access_status(a, today),
            access: access_end(a, today),
            created: moment(a.created_at, now),
        })
        .collect();
    let disabled = accounts.iter().filter(|a| !a.is_active()).count();
    let expired = accounts
        .iter()
        .filter(|a| a.is_active() && a.access_ended(today))
        .count();
    Ok(AccountsPage {
        layout: Layout::load(state, Area::Admin, "Accounts").await,
        flash,
        total: rows.len(),
        active: rows.len() - disabled - expired,
        expired,
        disabled,
        rows,
        summary: error_summary(&[&form.email, &form.roles, &form.password, &form.expires_on]),
        form,
    })
}

pub async fn list_accounts(
    State(state): State<AppState>,
    Query(flash): Query<AdminFlash>,
) -> PageResult<AccountsPage> {
    let form = CreateFields::new("", &[Role::Staff], "", &FieldErrors::new());
    accounts_page(&state, flash.message(), form).await
}

/// Creates an account for the person with the typed email, with the ticked roles, a first
/// password and, if given, the last day of its access; a refused form comes back with each
/// message next to its field.
pub async fn create_account(
    State(state): State<AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let email = form_value(&fields, "email").trim().to_owned();
    let password = form_value(&fields, "password").to_owned();
    let roles = ticked_roles(&fields);
    let typed_expiry = form_value(&fields, "expires_on").to_owned();
    let mut errors = FieldErrors::new();
    let expires_on = parse_expiry(&typed_expiry).unwrap_or_else(|reason| {
        errors.add("expires_on", reason);
        None
    });
    let person = if email.is_empty() {
        errors.add("email", "is required");
        None
    } else {
        let found = state.store.person_by_email(&email).await?;
        if found.is_none() {
            errors.add(
                "email",
                "must belong to a person of the organization; no one has this email",
            );
        }
        found
    };
    if roles.is_empty() {
        errors.add("roles", "choose at least one role");
    }
    let (person_email, person_name) = person.as_ref().map_or((email.as_str(), ""), |p| {
        (p.email.as_str(), p.name.as_str())
    });
    if let Err(reason) = check_password(&password, person_email, person_name) {
        errors.add("password", reason);
    }
    let result = match (errors.into_result(), person) {
        (Ok(()), Some(person)) => {
            let hash = tokio::task::spawn_blocking(move || hash_password(&password))
                .await
                .map_err(|e| StoreError::Config(e.to_string()))?
                .map_err(StoreError::Config)?;
            state
                .store
                .create_account_until(
                    &current_actor(),
                    person.id,
                    Some(hash),
                    &roles,
                    expires_on,
                    today(),
                )
                .await
        }
        (Err(errors), _) => Err(StoreError::Invalid(errors)),
        (Ok(()), None) => Err(StoreError::Invalid(FieldErrors::single(
            "email",
            "is required",
        ))),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/accounts?flash=created").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let form = CreateFields::new(&email, &roles, &typed_expiry, &errors);
            let page = accounts_page(&state, None, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/account.html", whitespace = "minimize")]
pub struct AccountPage {
    layout: Layout,
    flash: Option<&'static str>,
    /// Why the change was refused (the store's message); nothing was changed.
    alert: Option<String>,
    account: Account,
    person: Link,
    roles: Vec<RoleLine>,
    status: Badge,
    access: AccessEnd,
    created: Moment,
    roles_field: Field,
    expires_field: Field,
    expires_hint: String,
    choices: Vec<RoleChoice>,
    is_self: bool,
}

async fn account_page(
    state: &AppState,
    id: Uuid,
    flash: Option<&'static str>,
    alert: Option<String>,
) -> PageResult<AccountPage> {
    let account = state.store.account(id).await?;
    let is_self = current().is_some_and(|p| p.account.id == account.id);
    Ok(AccountPage {
        layout: Layout::load(state, Area::Admin, account.name.clone()).await,
        flash,
        alert,
        person: Link::new(
            format!("/people/{}", account.person_id),
            account.name.clone(),
        ),
        roles: role_lines(&account.roles),
        status: access_status(&account, today()),
        access: access_end(&account, today()),
        created: moment(account.created_at, OffsetDateTime::now_utc()),
        roles_field: Field::new("roles", "Roles", ""),
        expires_field: Field::new("expires_on", "Last day of access", expiry_value(&account)),
        expires_hint: expiry_hint(today()),
        choices: role_choices(&account.roles),
        is_self,
        account,
    })
}

pub async fn show_account(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(flash): Query<AdminFlash>,
) -> PageResult<AccountPage> {
    account_page(&state, parse_id(&raw, "account")?, flash.message(), None).await
}

/// Saves the ticked roles and, when the form has the date field, the last day of access (empty
/// removes it), together.
pub async fn update_roles(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "account")?;
    let roles = ticked_roles(&fields);
    let expiry = fields
        .iter()
        .find(|(name, _)| name == "expires_on")
        .map(|(_, value)| parse_expiry(value));
    let expires_on = match expiry.transpose() {
        Ok(expires_on) => expires_on,
        Err(reason) => {
            let errors = FieldErrors::single("expires_on", reason);
            return finish(&state, id, Err(StoreError::Invalid(errors))).await;
        }
    };
    let before = state.store.account(id).await?.expires_on;
    let result = state
        .store
        .change_account_access(&current_actor(), id, Some(&roles), expires_on, today())
        .await;
    let flash = |account: Account| {
        if account.expires_on == before {
            "roles"
        } else {
            "access"
        }
    };
    finish(&state, id, result.map(flash)).await
}

pub async fn disable_account(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    set_disabled(&state, &raw, true).await
}

pub async fn enable_account(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    set_disabled(&state, &raw, false).await
}

async fn set_disabled(state: &AppState, raw: &str, disabled: bool) -> PageResult<Response> {
    let id = parse_id(raw, "account")?;
    let result = state
        .store
        .set_account_disabled(&current_actor(), id, disabled)
        .await;
    let flash = if disabled { "disabled" } else { "enabled" };
    finish(state, id, result.map(|_| flash)).await
}

/// Back to the account's page with a flash, or the page again with the store's refusal.
async fn finish(
    state: &AppState,
    id: Uuid,
    result: Result<&'static str, StoreError>,
) -> PageResult<Response> {
    match result {
        Ok(flash) => {
            // Disabling one's own account ends the session: the account page is no longer
            // reachable, so the sign-in page follows the redirect.
            Ok(Redirect::to(&format!("/admin/accounts/{id}?flash={flash}")).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let message = errors
                .iter()
                .flat_map(|(field, messages)| {
                    messages
                        .iter()
                        .map(move |m| as_sentence(&naming_field(field, m)))
                })
                .collect::<Vec<_>>()
                .join(" ");
            let page = account_page(state, id, None, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// A message about the end of access names it: "must not be in the past" alone would not say what.
fn naming_field(field: &str, message: &str) -> String {
    if field == "expires_on" {
        format!("the last day of access {message}")
    } else {
        message.to_owned()
    }
}

/// "charter needs…" reads as "Charter needs….": capitalized, with a full stop.
fn as_sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let text = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default();
    if text.ends_with('.') {
        text
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticked_roles_ignore_other_fields_and_unknown_values() {
        let fields = vec![
            ("csrf_token".to_owned(), "x".to_owned()),
            ("roles".to_owned(), "staff".to_owned()),
            ("roles".to_owned(), "admin".to_owned()),
            ("roles".to_owned(), "root".to_owned()),
            ("roles".to_owned(), "staff".to_owned()),
        ];
        assert_eq!(ticked_roles(&fields), vec![Role::Admin, Role::Staff]);
    }

    #[test]
    fn store_messages_read_as_sentences() {
        assert_eq!(as_sentence("grant it first"), "Grant it first.");
        assert_eq!(as_sentence("Done."), "Done.");
    }
}
