//! The part of the store that keeps objectives and their append-only measurements (5.1.a, 5.1.e).

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::Actor;
use crate::domain::account::Account;
use crate::domain::isms_status::ObjectiveLine;
use crate::domain::objective::{
    Measurement, MeasurementInput, Objective, ObjectiveFilter, ObjectiveInput,
};

#[async_trait]
pub trait ObjectiveStore: Send + Sync {
    /// 422 for an unknown or departed owner or an unknown policy.
    async fn create_objective(
        &self,
        actor: &Actor,
        input: ObjectiveInput,
        today: Date,
    ) -> StoreResult<Objective>;
    /// 409 once retired; 422 as when created.
    async fn update_objective(
        &self,
        actor: &Actor,
        id: Uuid,
        input: ObjectiveInput,
        today: Date,
    ) -> StoreResult<Objective>;
    /// Retires an objective: its history stays, it leaves the lists of active ones (409 twice).
    async fn retire_objective(
        &self,
        actor: &Actor,
        id: Uuid,
        today: Date,
    ) -> StoreResult<Objective>;
    /// One objective with its status on `today`.
    async fn get_objective(&self, id: Uuid, today: Date) -> StoreResult<Objective>;
    /// Objectives with their status on `today`, by theme then statement.
    async fn list_objectives(
        &self,
        filter: &ObjectiveFilter,
        today: Date,
    ) -> StoreResult<Vec<Objective>>;
    /// Appends a measurement. Only the objective's owner and ISMS managers or admins record
    /// (403, roles re-read in the transaction); a retired objective takes none (409); a
    /// correction names a measurement of the same objective (422) that no other corrects (409).
    async fn record_measurement(
        &self,
        by: &Account,
        objective_id: Uuid,
        input: MeasurementInput,
    ) -> StoreResult<Measurement>;
    /// Every measurement of the objective, corrections included, oldest first (404 for an
    /// unknown objective).
    async fn list_measurements(&self, objective_id: Uuid) -> StoreResult<Vec<Measurement>>;
    /// Every active objective with its status on `today` and its trend (the last 12 effective
    /// measurements, corrections applied), for review packs and performance reports.
    async fn objective_lines(&self, today: Date) -> StoreResult<Vec<ObjectiveLine>>;
}
