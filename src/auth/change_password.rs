//! Changing one's own password: the current one is checked, the new one follows the policy, and
//! every other session of the account ends.

use crate::auth::password::{hash_password, verify_password};
use crate::auth::{Credential, Principal};
use crate::domain::FieldErrors;
use crate::domain::account::check_password;
use crate::store::{Store, StoreError};

/// Checks `current`, sets `new`, and keeps only the session that made the change.
pub async fn change_password(
    store: &dyn Store,
    caller: &Principal,
    current: &str,
    new: &str,
) -> Result<(), StoreError> {
    let account = &caller.account;
    let stored = store
        .account_credentials(&account.email)
        .await?
        .and_then(|(_, hash)| hash);
    let current = current.to_owned();
    let matches = tokio::task::spawn_blocking(move || verify_password(&current, stored.as_deref()))
        .await
        .unwrap_or(false);
    let mut errors = FieldErrors::new();
    if !matches {
        errors.add("current_password", "is not your current password");
    }
    if let Err(reason) = check_password(new, &account.email, &account.name) {
        errors.add("new_password", reason);
    }
    errors.into_result().map_err(StoreError::Invalid)?;
    let new = new.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&new))
        .await
        .map_err(|e| StoreError::Config(e.to_string()))?
        .map_err(StoreError::Config)?;
    let keep = match &caller.credential {
        Credential::Session { token_hash, .. } => Some(token_hash.as_str()),
        Credential::Token { .. } => None,
    };
    store
        .set_password(&caller.actor(), account.id, &hash, keep)
        .await
}
