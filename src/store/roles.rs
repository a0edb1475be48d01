//! The part of the store that keeps roles, responsibilities and authorities: the catalog, dated
//! assignments and their acknowledgment, competence evidence, delegations, the RACI matrix,
//! segregation of duties, escalation paths, and the gaps found in all of them.

use std::collections::HashMap;

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::account::Account;
use crate::domain::assignment::{
    Assignment, AssignmentEnd, AssignmentFilter, AssignmentInput, CompetenceEvidence,
    CompetenceEvidenceInput, Delegation, DelegationInput, RoleHolders,
};
use crate::domain::escalation::{EscalationPath, EscalationPathInput, Matter};
use crate::domain::raci::{Activity, ActivityInput, RaciCell, RaciMatrix};
use crate::domain::role::{HolderSummary, OrgRole, OrgRoleFilter, OrgRoleInput};
use crate::domain::role_gaps::RoleGaps;
use crate::domain::sod::{
    SodException, SodExceptionDecisionInput, SodExceptionInput, SodRule, SodRuleInput, SodViolation,
};
use crate::domain::{Actor, Page, PageRequest};

/// One assignment of a bulk write (the demo's benchmark load): checked fields, no notice.
#[derive(Debug, Clone)]
pub struct AssignmentWrite {
    pub id: Uuid,
    pub input: AssignmentInput,
    /// Acknowledged by the holder at the start (the statement is the role's at write time).
    pub acknowledged: bool,
}

/// Which delegations to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DelegationFilter {
    /// Delegated by this person (as holder of the assignment).
    pub delegator_id: Option<Uuid>,
    /// Delegated to this person.
    pub delegate_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    /// Only those in force on this day (not revoked, started, not ended).
    pub in_force_on: Option<Date>,
}

#[async_trait]
pub trait RoleStore: Send + Sync {
    // The catalog.

    /// Catalog roles in catalog order (position, then name).
    async fn list_roles(&self, filter: &OrgRoleFilter) -> StoreResult<Vec<OrgRole>>;
    async fn get_role(&self, id: Uuid) -> StoreResult<OrgRole>;
    /// 422 on a duplicate name; 409 when another role already carries `conformance_owner` or
    /// `performance_reporter`.
    async fn create_role(&self, actor: &Actor, input: OrgRoleInput) -> StoreResult<OrgRole>;
    async fn update_role(
        &self,
        actor: &Actor,
        id: Uuid,
        input: OrgRoleInput,
    ) -> StoreResult<OrgRole>;
    /// Writes the standard catalog (roles, activities, RACI, segregation rules, escalation paths)
    /// when the catalog is empty, in one transaction with one audit event; returns whether it did.
    async fn install_standard_catalog(&self, actor: &Actor) -> StoreResult<bool>;

    // Assignments.

    /// Assigns a role. Refuses (409) an assignment that would put the person in conflict under a
    /// segregation rule, unless `sod_exception_id` names an approved exception for that person and
    /// rule that has not expired on the start date; 422 for an unknown role, person or unit, or a
    /// departed person. Queues a notice to the holder in the same transaction.
    async fn assign_role(
        &self,
        by: &Account,
        input: AssignmentInput,
        today: Date,
    ) -> StoreResult<Assignment>;
    /// Writes many assignments in one transaction with one audit event: the demo's benchmark load.
    /// Segregation of duties is not checked and no notice is sent, so nothing reachable by a user
    /// calls it.
    async fn write_assignments(&self, by: &Account, batch: &[AssignmentWrite]) -> StoreResult<()>;
    /// Sets the last day of an assignment (not before its start); 409 when it already ended.
    async fn end_assignment(
        &self,
        actor: &Actor,
        id: Uuid,
        end: AssignmentEnd,
        today: Date,
    ) -> StoreResult<Assignment>;
    async fn get_assignment(&self, id: Uuid, today: Date) -> StoreResult<Assignment>;
    async fn list_assignments(
        &self,
        filter: &AssignmentFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<Assignment>>;
    /// Who held the role on `on` (history kept: ended assignments answer for their dates).
    async fn role_holders(&self, role_id: Uuid, on: Date, today: Date) -> StoreResult<RoleHolders>;
    /// The holder acknowledges the role's responsibilities and authorities as shown
    /// (`role_statement`); only the holder's own account may (403). A second acknowledgment
    /// returns the first and writes nothing.
    async fn acknowledge_assignment(
        &self,
        by: &Account,
        id: Uuid,
        today: Date,
    ) -> StoreResult<Assignment>;
    /// A person's current and upcoming assignments, current first.
    async fn person_assignments(
        &self,
        person_id: Uuid,
        today: Date,
    ) -> StoreResult<Vec<Assignment>>;
    /// The catalog roles each person holds today, by name (the org chart).
    async fn current_role_names(
        &self,
        person_ids: &[Uuid],
        today: Date,
    ) -> StoreResult<HashMap<Uuid, Vec<String>>>;

    /// For each of `role_ids` held today: how many hold it (not departed) and the first names;
    /// roles nobody holds are absent. One query; its cost grows with the assignments of the roles
    /// asked for, so pages ask only for the roles they show.
    async fn role_holder_summaries(
        &self,
        today: Date,
        role_ids: &[Uuid],
    ) -> StoreResult<HashMap<Uuid, HolderSummary>>;

    // Competence.

    async fn add_competence_evidence(
        &self,
        by: &Account,
        assignment_id: Uuid,
        input: CompetenceEvidenceInput,
        today: Date,
    ) -> StoreResult<CompetenceEvidence>;
    async fn competence_evidence(
        &self,
        assignment_id: Uuid,
    ) -> StoreResult<Vec<CompetenceEvidence>>;

    // Delegations.

    /// The holder of a current assignment delegates a task (403 for anyone else; 422 for a
    /// departed delegate or a period outside the assignment).
    async fn delegate_task(
        &self,
        by: &Account,
        input: DelegationInput,
        today: Date,
    ) -> StoreResult<Delegation>;
    /// The delegator (or an ISMS manager or admin) ends a delegation early.
    async fn revoke_delegation(
        &self,
        by: &Account,
        id: Uuid,
        today: Date,
    ) -> StoreResult<Delegation>;
    async fn get_delegation(&self, id: Uuid, today: Date) -> StoreResult<Delegation>;
    async fn list_delegations(
        &self,
        filter: &DelegationFilter,
        today: Date,
    ) -> StoreResult<Vec<Delegation>>;

    // Activities and RACI.

    async fn list_activities(&self) -> StoreResult<Vec<Activity>>;
    async fn create_activity(&self, actor: &Actor, input: ActivityInput) -> StoreResult<Activity>;
    async fn update_activity(
        &self,
        actor: &Actor,
        id: Uuid,
        input: ActivityInput,
    ) -> StoreResult<Activity>;
    async fn raci_matrix(&self) -> StoreResult<RaciMatrix>;
    /// Replaces every cell of the named activities with `cells` (which must name only those
    /// activities), in one transaction with one audit event; 422 for two Accountable roles on an
    /// activity, an unknown role or activity.
    async fn replace_raci(
        &self,
        actor: &Actor,
        activity_ids: &[Uuid],
        cells: &[RaciCell],
    ) -> StoreResult<RaciMatrix>;

    // Segregation of duties.

    async fn list_sod_rules(&self) -> StoreResult<Vec<SodRule>>;
    async fn create_sod_rule(&self, actor: &Actor, input: SodRuleInput) -> StoreResult<SodRule>;
    async fn remove_sod_rule(&self, actor: &Actor, id: Uuid) -> StoreResult<()>;
    /// Every person in conflict today, under every rule, with the exception covering it if any.
    async fn sod_violations(&self, today: Date) -> StoreResult<Vec<SodViolation>>;
    async fn request_sod_exception(
        &self,
        by: &Account,
        input: SodExceptionInput,
        today: Date,
    ) -> StoreResult<SodException>;
    /// Approved or rejected by a member of top management (roles re-read in the transaction,
    /// assignments granting it included) who is not the requester (403).
    async fn decide_sod_exception(
        &self,
        by: &Account,
        id: Uuid,
        decision: SodExceptionDecisionInput,
        today: Date,
    ) -> StoreResult<SodException>;
    async fn get_sod_exception(&self, id: Uuid, today: Date) -> StoreResult<SodException>;
    async fn list_sod_exceptions(&self, today: Date) -> StoreResult<Vec<SodException>>;

    // Escalation and gaps.

    /// Every kind of matter with its ordered roles and their holders today.
    async fn escalation_paths(&self, today: Date) -> StoreResult<Vec<EscalationPath>>;
    async fn set_escalation_path(
        &self,
        actor: &Actor,
        matter: Matter,
        input: EscalationPathInput,
        today: Date,
    ) -> StoreResult<EscalationPath>;
    async fn role_gaps(&self, today: Date) -> StoreResult<RoleGaps>;
}
