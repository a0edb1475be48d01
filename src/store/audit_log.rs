//! The part of the store that makes the audit trail a Merkle tree log (RFC 9162): stored subtree
//! hashes, signed checkpoints, inclusion and consistency proofs.

use async_trait::async_trait;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::StoreResult;
use crate::audit_log::signer::CheckpointSigner;
use crate::domain::checkpoint::{Checkpoint, InclusionProof, SigningKey};
use crate::domain::{AuditEvent, ChainBreak};

/// What `charter audit verify` found: the chain, and the Merkle log against its checkpoints.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LogReport {
    pub events_checked: u64,
    /// The chain's first break, if any.
    pub broken: Option<ChainBreak>,
    /// Checkpoints whose root the events give and whose signature is the registered key's.
    pub checkpoints_verified: u64,
    /// The latest checkpoint stored.
    pub latest: Option<Checkpoint>,
    /// The first way the Merkle log does not match its events (a forged checkpoint, a wrong
    /// signature, an altered stored subtree), by position in the log.
    pub problem: Option<String>,
}

impl LogReport {
    pub fn intact(&self) -> bool {
        self.broken.is_none() && self.problem.is_none()
    }
}

#[async_trait]
pub trait AuditLogStore: Send + Sync {
    /// Signs the log as it is now: extends the stored subtree hashes to the current number of
    /// events, computes the root, signs it, stores the checkpoint and registers the public key.
    /// When the log did not grow since the latest checkpoint, that checkpoint is returned.
    async fn make_checkpoint(
        &self,
        signer: &CheckpointSigner,
        now: OffsetDateTime,
    ) -> StoreResult<Checkpoint>;
    async fn latest_checkpoint(&self) -> StoreResult<Option<Checkpoint>>;
    /// The latest `limit` checkpoints, newest first.
    async fn list_checkpoints(&self, limit: u32) -> StoreResult<Vec<Checkpoint>>;
    /// The checkpoint of a tree of `tree_size` events (not found when none was signed).
    async fn checkpoint(&self, tree_size: u64) -> StoreResult<Checkpoint>;
    /// The proof that leaf `leaf_index` (the event `leaf_index + 1`) is in the tree of
    /// `tree_size` events, which the latest checkpoint must cover; a few indexed reads.
    async fn inclusion_proof(&self, leaf_index: u64, tree_size: u64)
    -> StoreResult<InclusionProof>;
    /// The proof (hashes in hex) that the tree of `new_size` events extends the one of
    /// `old_size`; the latest checkpoint must cover `new_size`.
    async fn consistency_proof(&self, old_size: u64, new_size: u64) -> StoreResult<Vec<String>>;
    /// Every key that signed checkpoints, oldest first.
    async fn signing_keys(&self) -> StoreResult<Vec<SigningKey>>;
    /// One event by its number.
    async fn audit_event(&self, seq: i64) -> StoreResult<AuditEvent>;
    /// Checks the whole chain and the Merkle log: the root at every checkpoint recomputed from
    /// the events, every signature, every stored subtree hash.
    async fn verify_audit_log(&self) -> StoreResult<LogReport>;
}
