// Shared SQL for the role catalog and the standard catalog installed into an empty one.

async fn list_roles(pool: &sqlx::Pool<Db>, filter: &OrgRoleFilter) -> StoreResult<Vec<OrgRole>> {
    let _ = (pool, filter);
    Err(StoreError::Config("list_roles: not written yet".into()))
}

async fn get_role(pool: &sqlx::Pool<Db>, id: Uuid) -> StoreResult<OrgRole> {
    let _ = (pool, id);
    Err(StoreError::Config("get_role: not written yet".into()))
}

async fn create_role(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    input: OrgRoleInput,
) -> StoreResult<OrgRole> {
    let _ = (pool, actor, input);
    Err(StoreError::Config("create_role: not written yet".into()))
}

async fn update_role(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    input: OrgRoleInput,
) -> StoreResult<OrgRole> {
    let _ = (pool, actor, id, input);
    Err(StoreError::Config("update_role: not written yet".into()))
}
