//! Accounts: a person of the organization who may sign in, their roles, sessions and API tokens.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::Role;

/// An account as the rest of Charter sees it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Account {
    pub id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    /// The roles given to the account itself (what an admin grants and revokes).
    pub roles: Vec<Role>,
    /// The roles the person holds today through role-catalog assignments (holding a
    /// top-management role grants `top_management`); they end when the assignment ends.
    #[serde(default)]
    pub granted_roles: Vec<Role>,
    /// Whether a password is set (an invited account has none until the invitation is used).
    pub has_password: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub disabled_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The last day (UTC) the account may be used: from the next day it cannot sign in and its
    /// sessions and API tokens stop working. None: no end.
    #[serde(default, with = "super::iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
}

impl Account {
    pub fn is_active(&self) -> bool {
        self.disabled_at.is_none()
    }

    /// Whether the account's access has ended by `today`: its last day was before it.
    pub fn access_ended(&self, today: Date) -> bool {
        self.expires_on.is_some_and(|last| last < today)
    }

    /// Whether the account holds the role, given directly or through an assignment held today.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role) || self.granted_roles.contains(&role)
    }

    /// Every role in effect: given directly, then granted by assignments, without repeats.
    pub fn effective_roles(&self) -> Vec<Role> {
        let mut all = self.roles.clone();
        all.extend(self.granted_roles.iter().copied());
        all.sort();
        all.dedup();
        all
    }
}

/// A signed-in browser's session, found by the hash of its cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_hash: String,
    pub account_id: Uuid,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    /// The absolute end, whatever the activity.
    pub expires_at: OffsetDateTime,
}

/// What an API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Read only.
    Read,
    /// Read and change, as far as the account's roles allow.
    Write,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }
}

impl FromStr for TokenScope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "read" => Ok(TokenScope::Read),
            "write" => Ok(TokenScope::Write),
            other => Err(format!("'{other}' is not a scope; use read or write")),
        }
    }
}

impl fmt::Display for TokenScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An API token's record; the secret itself is shown once and stored only as a hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApiToken {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub scope: TokenScope,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

impl ApiToken {
    pub fn is_usable(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// The furthest ahead an auditor's access may end, in days from the day it is set: an audit
/// engagement, not a standing account (a year, with room for a leap day).
pub const AUDITOR_MAX_ACCESS_DAYS: i64 = 366;

/// Checks the last day of access chosen on `today` for an account with `roles`: not in the past
/// (today itself is allowed: the account works until the end of the day), and for an auditor
/// not more than [`AUDITOR_MAX_ACCESS_DAYS`] ahead. Returns the reason when it is refused.
pub fn check_expiry(expires_on: Date, roles: &[Role], today: Date) -> Result<(), String> {
    if expires_on < today {
        return Err(format!("must not be in the past (today is {today})"));
    }
    let latest = today
        .checked_add(Duration::days(AUDITOR_MAX_ACCESS_DAYS))
        .unwrap_or(Date::MAX);
    if roles.contains(&Role::Auditor) && expires_on > latest {
        return Err(format!(
            "must be at most {AUDITOR_MAX_ACCESS_DAYS} days ahead for an auditor (on or before {latest})"
        ));
    }
    Ok(())
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Checks a new password: long enough, not the account's email or name, not one repeated
/// character. Returns the reason when it is refused.
pub fn check_password(password: &str, email: &str, name: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(format!(
            "must be at least {MIN_PASSWORD_CHARS} characters long"
        ));
    }
    if length > 1_024 {
        return Err("must be at most 1024 characters long".into());
    }
    let lowered = password.trim().to_lowercase();
    let local_part = email.split('@').next().unwrap_or_default().to_lowercase();
    if lowered == email.to_lowercase()
        || lowered == local_part
        || lowered == name.trim().to_lowercase()
    {
        return Err("must not be your email address or your name".into());
    }
    let mut chars = password.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err("must not be one character repeated".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_follow_the_policy() {
        let (email, name) = ("ada.lovelace@example.com", "Ada Lovelace");
        assert!(check_password("short", email, name).is_err());
        assert!(check_password("ada.lovelace@example.com", email, name).is_err());
        assert!(check_password("ADA LOVELACE", email, name).is_err());
        assert!(check_password("aaaaaaaaaaaaaaaa", email, name).is_err());
        assert!(check_password("correct horse battery", email, name).is_ok());
    }
}
