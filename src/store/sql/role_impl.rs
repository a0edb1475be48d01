// The `RoleStore` trait for the including backend, delegating to the shared SQL functions.

#[async_trait::async_trait]
impl RoleStore for StoreImpl {
    async fn list_roles(&self, filter: &OrgRoleFilter) -> StoreResult<Vec<OrgRole>> {
        list_roles(&self.pool, filter).await
    }

    async fn get_role(&self, id: Uuid) -> StoreResult<OrgRole> {
        get_role(&self.pool, id).await
    }

    async fn create_role(&self, actor: &Actor, input: OrgRoleInput) -> StoreResult<OrgRole> {
        create_role(&self.pool, actor, input).await
    }

    async fn update_role(
        &self,
        actor: &Actor,
        id: Uuid,
        input: OrgRoleInput,
    ) -> StoreResult<OrgRole> {
        update_role(&self.pool, actor, id, input).await
    }

    async fn install_standard_catalog(&self, actor: &Actor) -> StoreResult<bool> {
        install_standard_catalog(&self.pool, actor).await
    }

    async fn assign_role(
        &self,
        by: &Account,
        input: AssignmentInput,
        today: Date,
    ) -> StoreResult<Assignment> {
        assign_role(&self.pool, by, input, today).await
    }

    async fn end_assignment(
        &self,
        actor: &Actor,
        id: Uuid,
        end: AssignmentEnd,
        today: Date,
    ) -> StoreResult<Assignment> {
        end_assignment(&self.pool, actor, id, end, today).await
    }

    async fn get_assignment(&self, id: Uuid, today: Date) -> StoreResult<Assignment> {
        get_assignment(&self.pool, id, today).await
    }

    async fn list_assignments(
        &self,
        filter: &AssignmentFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<Assignment>> {
        list_assignments(&self.pool, filter, today, page).await
    }

    async fn role_holders(&self, role_id: Uuid, on: Date, today: Date) -> StoreResult<RoleHolders> {
        role_holders(&self.pool, role_id, on, today).await
    }

    async fn acknowledge_assignment(
        &self,
        by: &Account,
        id: Uuid,
        today: Date,
    ) -> StoreResult<Assignment> {
        acknowledge_assignment(&self.pool, by, id, today).await
    }

    async fn person_assignments(
        &self,
        person_id: Uuid,
        today: Date,
    ) -> StoreResult<Vec<Assignment>> {
        person_assignments(&self.pool, person_id, today).await
    }

    async fn current_role_names(
        &self,
        person_ids: &[Uuid],
        today: Date,
    ) -> StoreResult<HashMap<Uuid, Vec<String>>> {
        current_role_names(&self.pool, person_ids, today).await
    }

    async fn add_competence_evidence(
        &self,
        by: &Account,
        assignment_id: Uuid,
        input: CompetenceEvidenceInput,
        today: Date,
    ) -> StoreResult<CompetenceEvidence> {
        add_competence_evidence(&self.pool, by, assignment_id, input, today).await
    }

    async fn competence_evidence(
        &self,
        assignment_id: Uuid,
    ) -> StoreResult<Vec<CompetenceEvidence>> {
        competence_evidence(&self.pool, assignment_id).await
    }

    async fn delegate_task(
        &self,
        by: &Account,
        input: DelegationInput,
        today: Date,
    ) -> StoreResult<Delegation> {
        delegate_task(&self.pool, by, input, today).await
    }

    async fn revoke_delegation(
        &self,
        by: &Account,
        id: Uuid,
        today: Date,
    ) -> StoreResult<Delegation> {
        revoke_delegation(&self.pool, by, id, today).await
    }

    async fn get_delegation(&self, id: Uuid, today: Date) -> StoreResult<Delegation> {
        get_delegation(&self.pool, id, today).await
    }

    async fn list_delegations(
        &self,
        filter: &DelegationFilter,
        today: Date,
    ) -> StoreResult<Vec<Delegation>> {
        list_delegations(&self.pool, filter, today).await
    }

    async fn list_activities(&self) -> StoreResult<Vec<Activity>> {
        list_activities(&self.pool).await
    }

    async fn create_activity(&self, actor: &Actor, input: ActivityInput) -> StoreResult<Activity> {
        create_activity(&self.pool, actor, input).await
    }

    async fn update_activity(
        &self,
        actor: &Actor,
        id: Uuid,
        input: ActivityInput,
    ) -> StoreResult<Activity> {
        update_activity(&self.pool, actor, id, input).await
    }

    async fn raci_matrix(&self) -> StoreResult<RaciMatrix> {
        raci_matrix(&self.pool).await
    }

    async fn replace_raci(
        &self,
        actor: &Actor,
        activity_ids: &[Uuid],
        cells: &[RaciCell],
    ) -> StoreResult<RaciMatrix> {
        replace_raci(&self.pool, actor, activity_ids, cells).await
    }

    async fn list_sod_rules(&self) -> StoreResult<Vec<SodRule>> {
        list_sod_rules(&self.pool).await
    }

    async fn create_sod_rule(&self, actor: &Actor, input: SodRuleInput) -> StoreResult<SodRule> {
        create_sod_rule(&self.pool, actor, input).await
    }

    async fn remove_sod_rule(&self, actor: &Actor, id: Uuid) -> StoreResult<()> {
        remove_sod_rule(&self.pool, actor, id).await
    }

    async fn sod_violations(&self, today: Date) -> StoreResult<Vec<SodViolation>> {
        sod_violations(&self.pool, today).await
    }

    async fn request_sod_exception(
        &self,
        by: &Account,
        input: SodExceptionInput,
        today: Date,
    ) -> StoreResult<SodException> {
        request_sod_exception(&self.pool, by, input, today).await
    }

    async fn decide_sod_exception(
        &self,
        by: &Account,
        id: Uuid,
        decision: SodExceptionDecisionInput,
        today: Date,
    ) -> StoreResult<SodException> {
        decide_sod_exception(&self.pool, by, id, decision, today).await
    }

    async fn get_sod_exception(&self, id: Uuid, today: Date) -> StoreResult<SodException> {
        get_sod_exception(&self.pool, id, today).await
    }

    async fn list_sod_exceptions(&self, today: Date) -> StoreResult<Vec<SodException>> {
        list_sod_exceptions(&self.pool, today).await
    }

    async fn escalation_paths(&self, today: Date) -> StoreResult<Vec<EscalationPath>> {
        escalation_paths(&self.pool, today).await
    }

    async fn set_escalation_path(
        &self,
        actor: &Actor,
        matter: Matter,
        input: EscalationPathInput,
        today: Date,
    ) -> StoreResult<EscalationPath> {
        set_escalation_path(&self.pool, actor, matter, input, today).await
    }

    async fn role_gaps(&self, today: Date) -> StoreResult<RoleGaps> {
        role_gaps(&self.pool, today).await
    }

    async fn role_holder_summaries(
        &self,
        today: Date,
        role_ids: &[Uuid],
    ) -> StoreResult<HashMap<Uuid, HolderSummary>> {
        role_holder_summaries(&self.pool, today, role_ids).await
    }

    async fn write_assignments(&self, by: &Account, batch: &[AssignmentWrite]) -> StoreResult<()> {
        write_assignments(&self.pool, by, batch).await
    }
}
