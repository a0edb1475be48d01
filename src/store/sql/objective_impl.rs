// The `ObjectiveStore` trait for the including backend, delegating to the shared SQL functions.

#[async_trait::async_trait]
impl ObjectiveStore for StoreImpl {
    async fn create_objective(
        &self,
        actor: &Actor,
        input: ObjectiveInput,
        today: Date,
    ) -> StoreResult<Objective> {
        create_objective(&self.pool, actor, input, today).await
    }

    async fn update_objective(
        &self,
        actor: &Actor,
        id: Uuid,
        input: ObjectiveInput,
        today: Date,
    ) -> StoreResult<Objective> {
        update_objective(&self.pool, actor, id, input, today).await
    }

    async fn retire_objective(
        &self,
        actor: &Actor,
        id: Uuid,
        today: Date,
    ) -> StoreResult<Objective> {
        retire_objective(&self.pool, actor, id, today).await
    }

    async fn get_objective(&self, id: Uuid, today: Date) -> StoreResult<Objective> {
        get_objective(&self.pool, id, today).await
    }

    async fn list_objectives(
        &self,
        filter: &ObjectiveFilter,
        today: Date,
    ) -> StoreResult<Vec<Objective>> {
        list_objectives(&self.pool, filter, today).await
    }

    async fn record_measurement(
        &self,
        by: &Account,
        objective_id: Uuid,
        input: MeasurementInput,
    ) -> StoreResult<Measurement> {
        record_measurement(&self.pool, by, objective_id, input).await
    }

    async fn list_measurements(&self, objective_id: Uuid) -> StoreResult<Vec<Measurement>> {
        list_measurements(&self.pool, objective_id).await
    }

    async fn objective_lines(&self, today: Date) -> StoreResult<Vec<ObjectiveLine>> {
        objective_lines(&self.pool, today).await
    }
}
