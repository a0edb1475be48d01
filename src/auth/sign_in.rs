//! Signing in: throttled per account and per address with growing delays, the same answer and
//! about the same time for an unknown email and a wrong password, and a fresh session id.

use time::{Duration, OffsetDateTime};

use super::password::verify_password;
use super::secret::{random_secret, secret_hash};
use super::{ABSOLUTE_TIMEOUT, SESSION_COOKIE};
use crate::domain::account::{Account, SessionRecord};
use crate::store::{Store, StoreError};

/// Failures before delays start, and the longest delay.
const FREE_ATTEMPTS: i64 = 3;
const MAX_DELAY_SECONDS: i64 = 300;
/// Failures older than this are forgotten.
const FAILURE_MEMORY: Duration = Duration::hours(1);

/// The one message for every failed sign-in, so it tells nothing about which part was wrong.
pub const FAILED: &str = "The email or password is not right.";

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("{FAILED}")]
    Failed,
    #[error("Too many failed attempts; try again in {0} seconds.")]
    Throttled(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A started session: the cookie value (shown to the browser once) and its CSRF token.
#[derive(Debug, Clone)]
pub struct StartedSession {
    pub account: Account,
    pub token: String,
    pub csrf_token: String,
}

/// Checks the credentials and starts a session.
pub async fn sign_in(
    store: &dyn Store,
    email: &str,
    password: &str,
    address: &str,
) -> Result<StartedSession, SignInError> {
    let keys = [
        format!("account:{}", email.trim().to_lowercase()),
        format!("address:{address}"),
    ];
    let now = OffsetDateTime::now_utc();
    for key in &keys {
        if let Some(wait) = wait_seconds(store.sign_in_failures(key).await?, now) {
            return Err(SignInError::Throttled(wait));
        }
    }
    let found = store.account_credentials(email).await?;
    let hash = found.as_ref().and_then(|(_, hash)| hash.clone());
    let password = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, hash.as_deref()))
        .await
        .unwrap_or(false);
    let account = match found {
        Some((account, _)) if matches && account.is_active() => account,
        _ => {
            for key in &keys {
                store.record_sign_in_failure(key, now).await?;
            }
            tracing::warn!(address, "sign-in failed");
            return Err(SignInError::Failed);
        }
    };
    for key in &keys {
        store.clear_sign_in_failures(key).await?;
    }
    // Told only to someone who knows the password, so it reveals nothing to a guesser.
    if let Some(last) = account
        .expires_on
        .filter(|_| account.access_ended(now.date()))
    {
        tracing::warn!(account = %account.id, "sign-in refused: access ended");
        return Err(SignInError::Store(StoreError::Forbidden(access_ended(
            last,
        ))));
    }
    start_session(store, account)
        .await
        .map_err(SignInError::from)
}

/// Why an account whose last day of access has passed cannot sign in.
pub fn access_ended(last: time::Date) -> String {
    format!("This account's access ended on {last}. Ask an administrator if you need it again.")
}

/// Checks the signed-in account's password again before a deliberate act (a sign-off), under
/// the same throttle as signing in, so a left-open session cannot be used to guess it.
pub async fn confirm_password(
    store: &dyn Store,
    account: &Account,
    password: &str,
) -> Result<(), SignInError> {
    let key = format!("account:{}", account.email.trim().to_lowercase());
    let now = OffsetDateTime::now_utc();
    if let Some(wait) = wait_seconds(store.sign_in_failures(&key).await?, now) {
        return Err(SignInError::Throttled(wait));
    }
    let hash = store
        .account_credentials(&account.email)
        .await?
        .and_then(|(_, hash)| hash);
    let password = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, hash.as_deref()))
        .await
        .unwrap_or(false);
    if !matches {
        store.record_sign_in_failure(&key, now).await?;
        tracing::warn!(account = %account.id, "password confirmation failed");
        return Err(SignInError::Failed);
    }
    store.clear_sign_in_failures(&key).await?;
    Ok(())
}

/// Starts a new session with a new id (never one the browser brought).
pub async fn start_session(
    store: &dyn Store,
    account: Account,
) -> Result<StartedSession, StoreError> {
    let (token, csrf_token) = (random_secret(), random_secret());
    let now = crate::domain::audit::truncate_to_micros(OffsetDateTime::now_utc());
    let record = SessionRecord {
        token_hash: secret_hash(&token),
        account_id: account.id,
        csrf_token: csrf_token.clone(),
        created_at: now,
        last_seen_at: now,
        expires_at: now + ABSOLUTE_TIMEOUT,
    };
    store.start_session(&record).await?;
    tracing::info!(account = %account.id, cookie = SESSION_COOKIE, "session started");
    Ok(StartedSession {
        account,
        token,
        csrf_token,
    })
}

/// Seconds to wait before the next attempt: none for the first few failures, then doubling.
fn wait_seconds(failures: Option<(i64, OffsetDateTime)>, now: OffsetDateTime) -> Option<i64> {
    let (count, last) = failures?;
    if count < FREE_ATTEMPTS || now - last > FAILURE_MEMORY {
        return None;
    }
    let delay = 2_i64
        .saturating_pow(u32::try_from(count - FREE_ATTEMPTS).unwrap_or(u32::MAX))
        .min(MAX_DELAY_SECONDS);
    let remaining = delay - (now - last).whole_seconds();
    (remaining > 0).then_some(remaining)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_three_failures_and_grow() {
        let now = OffsetDateTime::now_utc();
        assert_eq!(wait_seconds(Some((2, now)), now), None);
        assert_eq!(wait_seconds(Some((3, now)), now), Some(1));
        assert_eq!(wait_seconds(Some((6, now)), now), Some(8));
        assert_eq!(wait_seconds(Some((30, now)), now), Some(MAX_DELAY_SECONDS));
        assert_eq!(
            wait_seconds(Some((6, now - Duration::seconds(10))), now),
            None
        );
        assert_eq!(
            wait_seconds(Some((30, now - Duration::hours(2))), now),
            None
        );
    }
}
