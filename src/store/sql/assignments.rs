// Shared SQL for role assignments: dated tenure, who held a role on a day, the holder's
// acknowledgment, competence evidence, and the tool roles an assignment grants.

async fn assign_role(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    input: AssignmentInput,
    today: Date,
) -> StoreResult<Assignment> {
    let _ = (pool, by, input, today);
    Err(StoreError::Config("assign_role: not written yet".into()))
}

async fn end_assignment(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    end: AssignmentEnd,
    today: Date,
) -> StoreResult<Assignment> {
    let _ = (pool, actor, id, end, today);
    Err(StoreError::Config("end_assignment: not written yet".into()))
}

async fn get_assignment(pool: &sqlx::Pool<Db>, id: Uuid, today: Date) -> StoreResult<Assignment> {
    let _ = (pool, id, today);
    Err(StoreError::Config("get_assignment: not written yet".into()))
}

async fn list_assignments(
    pool: &sqlx::Pool<Db>,
    filter: &AssignmentFilter,
    today: Date,
    page: PageRequest,
) -> StoreResult<Page<Assignment>> {
    let _ = (pool, filter, today, page);
    Err(StoreError::Config(
        "list_assignments: not written yet".into(),
    ))
}

async fn role_holders(
    pool: &sqlx::Pool<Db>,
    role_id: Uuid,
    on: Date,
    today: Date,
) -> StoreResult<RoleHolders> {
    let _ = (pool, role_id, on, today);
    Err(StoreError::Config("role_holders: not written yet".into()))
}

async fn acknowledge_assignment(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    id: Uuid,
    today: Date,
) -> StoreResult<Assignment> {
    let _ = (pool, by, id, today);
    Err(StoreError::Config(
        "acknowledge_assignment: not written yet".into(),
    ))
}

async fn person_assignments(
    pool: &sqlx::Pool<Db>,
    person_id: Uuid,
    today: Date,
) -> StoreResult<Vec<Assignment>> {
    let _ = (pool, person_id, today);
    Err(StoreError::Config(
        "person_assignments: not written yet".into(),
    ))
}

async fn current_role_names(
    pool: &sqlx::Pool<Db>,
    person_ids: &[Uuid],
    today: Date,
) -> StoreResult<HashMap<Uuid, Vec<String>>> {
    let _ = (pool, person_ids, today);
    Err(StoreError::Config(
        "current_role_names: not written yet".into(),
    ))
}

async fn add_competence_evidence(
    pool: &sqlx::Pool<Db>,
    by: &Account,
    assignment_id: Uuid,
    input: CompetenceEvidenceInput,
    today: Date,
) -> StoreResult<CompetenceEvidence> {
    let _ = (pool, by, assignment_id, input, today);
    Err(StoreError::Config(
        "add_competence_evidence: not written yet".into(),
    ))
}

async fn competence_evidence(
    pool: &sqlx::Pool<Db>,
    assignment_id: Uuid,
) -> StoreResult<Vec<CompetenceEvidence>> {
    let _ = (pool, assignment_id);
    Err(StoreError::Config(
        "competence_evidence: not written yet".into(),
    ))
}

async fn role_holder_summaries(
    pool: &sqlx::Pool<Db>,
    today: Date,
) -> StoreResult<HashMap<Uuid, HolderSummary>> {
    let _ = (pool, today);
    Err(StoreError::Config(
        "role_holder_summaries: not written yet".into(),
    ))
}
