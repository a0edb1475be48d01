//! The checkpoint job: when the audit log grew since the latest checkpoint, sign it.

use time::OffsetDateTime;

use crate::app::AppState;

/// Signs a checkpoint of the log as it is now, when the server has a key (the store returns the
/// latest checkpoint when nothing was added); a failure is logged and retried on the next run.
pub(super) async fn sign_if_grown(state: &AppState) {
    let Some(signer) = state.signer.as_deref() else {
        return;
    };
    match state
        .store
        .make_checkpoint(signer, OffsetDateTime::now_utc())
        .await
    {
        Ok(checkpoint) => {
            tracing::debug!(tree_size = checkpoint.tree_size, "audit log checkpoint");
        }
        Err(error) => tracing::warn!(%error, "background job failed: signing the audit log"),
    }
}
