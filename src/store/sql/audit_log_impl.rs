// The `AuditLogStore` trait for the including backend, delegating to the shared SQL functions.

#[async_trait::async_trait]
impl crate::store::AuditLogStore for StoreImpl {
    async fn make_checkpoint(
        &self,
        signer: &crate::audit_log::signer::CheckpointSigner,
        now: OffsetDateTime,
    ) -> StoreResult<crate::domain::checkpoint::Checkpoint> {
        merkle_log_sql::make_log_checkpoint(&self.pool, signer, now).await
    }

    async fn latest_checkpoint(
        &self,
    ) -> StoreResult<Option<crate::domain::checkpoint::Checkpoint>> {
        let mut conn = self.pool.acquire().await?;
        merkle_log_sql::latest_log_checkpoint(&mut conn).await
    }

    async fn list_checkpoints(
        &self,
        limit: u32,
    ) -> StoreResult<Vec<crate::domain::checkpoint::Checkpoint>> {
        merkle_log_sql::list_log_checkpoints(&self.pool, limit).await
    }

    async fn checkpoint(
        &self,
        tree_size: u64,
    ) -> StoreResult<crate::domain::checkpoint::Checkpoint> {
        merkle_log_sql::log_checkpoint(&self.pool, tree_size).await
    }

    async fn inclusion_proof(
        &self,
        leaf_index: u64,
        tree_size: u64,
    ) -> StoreResult<crate::domain::checkpoint::InclusionProof> {
        merkle_log_sql::log_inclusion_proof(&self.pool, leaf_index, tree_size).await
    }

    async fn consistency_proof(&self, old_size: u64, new_size: u64) -> StoreResult<Vec<String>> {
        merkle_log_sql::log_consistency_proof(&self.pool, old_size, new_size).await
    }

    async fn signing_keys(&self) -> StoreResult<Vec<crate::domain::checkpoint::SigningKey>> {
        let mut conn = self.pool.acquire().await?;
        merkle_log_sql::log_signing_keys(&mut conn).await
    }

    async fn audit_event(&self, seq: i64) -> StoreResult<AuditEvent> {
        merkle_log_sql::log_audit_event(&self.pool, seq).await
    }

    async fn verify_audit_log(&self) -> StoreResult<crate::store::audit_log::LogReport> {
        merkle_log_sql::verify_audit_log(&self.pool).await
    }
}
