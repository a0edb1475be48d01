// Shared SQL for accounts, their roles, sessions, API tokens, the setup link and sign-in throttling.

/// An account's columns and one row per role and granted role; `FROM` joins that end with `a`
/// for the account.
const ACCOUNT_COLUMNS: &str = "a.id, a.person_id, p.name, p.email, a.password_hash, a.disabled_at,
    a.created_at, a.expires_on, r.role, o.grants AS granted";

/// The condition, on `a`, of an account whose access has not ended: the caller's query checks it
/// on every request, so an ended account's sessions and tokens stop working at once.
fn access_not_ended() -> String {
    format!("(a.expires_on IS NULL OR a.expires_on >= {TODAY})")
}

/// The person, the account's own roles, and the tool roles granted by the catalog roles the
/// person holds today (none once they have departed).
fn account_joins() -> String {
    format!(
        "JOIN people p ON p.id = a.person_id LEFT JOIN account_roles r ON r.account_id = a.id
         LEFT JOIN role_assignments ra ON ra.person_id = a.person_id AND p.status <> 'departed'
            AND ra.starts_on <= {TODAY} AND (ra.ends_on IS NULL OR ra.ends_on >= {TODAY})
         LEFT JOIN org_roles o ON o.id = ra.role_id AND o.grants IS NOT NULL"
    )
}

/// The account matching `clause` (on `a` or `p`), with its roles and password hash.
async fn find_account(
    pool: &sqlx::Pool<Db>,
    clause: &str,
    arg: Arg,
) -> StoreResult<Option<(Account, Option<String>)>> {
    let args = [arg];
    let joins = account_joins();
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a {joins} WHERE {clause}");
    let rows = bind_args(dynamic(sql), &args).fetch_all(pool).await?;
    let Some(account) = account_from_role_rows(&rows)? else {
        return Ok(None);
    };
    let password_hash: Option<String> = rows[0].try_get("password_hash")?;
    Ok(Some((account, password_hash)))
}

async fn get_account(pool: &sqlx::Pool<Db>, id: Uuid) -> StoreResult<Account> {
    find_account(pool, "a.id = $1", Arg::Uuid(id))
        .await?
        .map(|(a, _)| a)
        .ok_or(StoreError::NotFound("account"))
}

/// Every account with its roles, in one query (a row per role, grouped here).
async fn list_accounts(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<Account>> {
    let joins = account_joins();
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a {joins} ORDER BY p.name, a.id");
    let rows = dynamic(sql).fetch_all(pool).await?;
    let mut accounts = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let id: Uuid = rows[start].try_get("id")?;
        let mut end = start + 1;
        while end < rows.len() && rows[end].try_get::<Uuid, _>("id")? == id {
            end += 1;
        }
        accounts.extend(account_from_role_rows(&rows[start..end])?);
        start = end;
    }
    Ok(accounts)
}

/// Admins who can sign in and whose access has no end date: at least one must remain, so that
/// Charter is never left to lapse into having no admin on some future day.
async fn active_admins(tx: &mut Tx) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT COUNT(*) FROM accounts a JOIN account_roles r ON r.account_id = a.id
         WHERE r.role = 'admin' AND a.disabled_at IS NULL AND a.password_hash IS NOT NULL
            AND a.expires_on IS NULL",
    )
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

async fn write_roles(
    tx: &mut Tx,
    id: Uuid,
    roles: &[Role],
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM account_roles WHERE account_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for role in roles {
        sqlx::query("INSERT INTO account_roles (account_id, role, granted_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(role.as_str())
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The part of an account change an event digests: never the password hash.
fn account_digest_view(
    id: Uuid,
    person_id: Uuid,
    roles: &[Role],
    disabled: bool,
) -> serde_json::Value {
    serde_json::json!({ "id": id, "person_id": person_id, "roles": roles, "disabled": disabled })
}

async fn create_account(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    person_id: Uuid,
    password_hash: Option<String>,
    roles: &[Role],
) -> StoreResult<Account> {
    let grant = AccountGrant {
        person_id,
        password_hash,
        roles,
        expires_on: None,
    };
    create_account_until(pool, actor, grant, now().date()).await
}

/// What a new account is made with.
struct AccountGrant<'a> {
    person_id: Uuid,
    password_hash: Option<String>,
    roles: &'a [Role],
    expires_on: Option<Date>,
}

/// Creates the account with its roles and, when given, the last day of its access (checked
/// against `today`), and its `account.created` event, in one transaction.
async fn create_account_until(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    grant: AccountGrant<'_>,
    today: Date,
) -> StoreResult<Account> {
    let AccountGrant {
        person_id,
        password_hash,
        roles,
        expires_on,
    } = grant;
    if let Some(last) = expires_on {
        crate::domain::account::check_expiry(last, roles, today)
            .map_err(|reason| StoreError::Invalid(FieldErrors::single("expires_on", reason)))?;
    }
    let mut tx = begin_write(pool).await?;
    if !exists(&mut tx, "people", person_id).await? {
        return Err(StoreError::Invalid(FieldErrors::single(
            "person_id",
            "is not a known person",
        )));
    }
    let taken = sqlx::query("SELECT id FROM accounts WHERE person_id = $1")
        .bind(person_id)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Invalid(FieldErrors::single(
            "email",
            "this person already has an account",
        )));
    }
    let (id, at) = (Uuid::now_v7(), now());
    sqlx::query(
        "INSERT INTO accounts (id, person_id, password_hash, disabled_at, created_at, updated_at, expires_on)
         VALUES ($1, $2, $3, NULL, $4, $4, $5)",
    )
    .bind(id)
    .bind(person_id)
    .bind(password_hash)
    .bind(at)
    .bind(expires_on)
    .execute(&mut *tx)
    .await?;
    write_roles(&mut tx, id, roles, at).await?;
    let mut view = account_digest_view(id, person_id, roles, false);
    if let Some(last) = expires_on {
        view["expires_on"] = serde_json::json!(last.to_string());
    }
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "account.created",
            "account",
            id,
            &view,
        )],
    )
    .await?;
    tx.commit().await?;
    get_account(pool, id).await
}

/// Tool roles an admin cannot give their own account: what admins are kept from (deciding as top
/// management, reading confidential concerns) needs a second person.
const SELF_GRANT_REFUSED: [Role; 2] = [Role::TopManagement, Role::ConcernHandler];

/// Changes roles or the disabled flag; refuses to leave Charter without an active admin.
async fn change_account(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    roles: Option<&[Role]>,
    disabled: Option<bool>,
) -> StoreResult<Account> {
    let change = AccountChange {
        roles,
        disabled,
        expires_on: None,
    };
    apply_account_change(pool, actor, id, change, now().date()).await
}

/// What an admin changes of an account; `None` leaves that part as it is (`Some(None)` clears
/// the end of access).
struct AccountChange<'a> {
    roles: Option<&'a [Role]>,
    disabled: Option<bool>,
    expires_on: Option<Option<Date>>,
}

/// Applies roles, the disabled flag and the end of access together in one transaction, each with
/// its event; refuses a self-grant of what needs a second person, an end of access the account's
/// roles do not allow on `today`, and a change that leaves no admin.
async fn apply_account_change(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    change: AccountChange<'_>,
    today: Date,
) -> StoreResult<Account> {
    let current = get_account(pool, id).await?;
    let roles = change
        .roles
        .map_or_else(|| current.roles.clone(), <[Role]>::to_vec);
    let own = actor.as_str() == format!("account:{id}");
    if own
        && roles
            .iter()
            .any(|r| SELF_GRANT_REFUSED.contains(r) && !current.roles.contains(r))
    {
        // An admin widening their own access (say, to read confidential concerns) would leave
        // no second pair of eyes on it.
        return Err(StoreError::Forbidden(
            "nobody grants themselves top management or concern handling; another admin must do it"
                .into(),
        ));
    }
    let expires_on = change.expires_on.unwrap_or(current.expires_on);
    check_access_end(&current, &roles, expires_on, today)?;
    let mut tx = begin_write(pool).await?;
    let at = now();
    let disabled = change.disabled.unwrap_or(!current.is_active());
    if roles != current.roles {
        write_roles(&mut tx, id, &roles, at).await?;
    }
    let disabled_at = disabled.then(|| current.disabled_at.unwrap_or(at));
    write_access(&mut tx, id, disabled_at, expires_on, at).await?;
    let roles_or_access = change.roles.is_some() || change.disabled.is_some();
    if current.has_role(Role::Admin) && active_admins(&mut tx).await? == 0 {
        let refusal = if roles_or_access {
            FieldErrors::single("roles", LAST_ADMIN)
        } else {
            FieldErrors::single("expires_on", LAST_ADMIN_ENDING)
        };
        return Err(StoreError::Invalid(refusal));
    }
    let mut events = Vec::new();
    if roles_or_access {
        let action = match (disabled, current.is_active()) {
            (true, true) => "account.disabled",
            (false, false) => "account.enabled",
            _ => "account.roles_changed",
        };
        let view = account_digest_view(id, current.person_id, &roles, disabled);
        events.push(NewAuditEvent::for_record(
            actor, action, "account", id, &view,
        ));
    }
    events.extend(expiry_event(actor, &current, expires_on));
    if events.is_empty() {
        return Ok(current);
    }
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    get_account(pool, id).await
}

/// Writes the disabled flag and the end of access; disabling ends every session at once.
async fn write_access(
    tx: &mut Tx,
    id: Uuid,
    disabled_at: Option<OffsetDateTime>,
    expires_on: Option<Date>,
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET disabled_at = $2, expires_on = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(disabled_at)
    .bind(expires_on)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    if disabled_at.is_some() {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The `account.expiry_changed` event, when the end of access moves (set, changed or cleared).
fn expiry_event(
    actor: &Actor,
    current: &Account,
    expires_on: Option<Date>,
) -> Option<NewAuditEvent> {
    if expires_on == current.expires_on {
        return None;
    }
    let view = serde_json::json!({
        "id": current.id,
        "person_id": current.person_id,
        "expires_on_before": current.expires_on.map(|d| d.to_string()),
        "expires_on": expires_on.map(|d| d.to_string()),
    });
    Some(NewAuditEvent::for_record(
        actor,
        "account.expiry_changed",
        "account",
        current.id,
        &view,
    ))
}

/// A new end of access must be allowed on `today` for the account's roles after the change; an
/// unchanged one is checked again only when the account becomes an auditor and has not ended.
fn check_access_end(
    current: &Account,
    roles: &[Role],
    expires_on: Option<Date>,
    today: Date,
) -> StoreResult<()> {
    let Some(last) = expires_on else {
        return Ok(());
    };
    let mut effective = roles.to_vec();
    effective.extend(current.granted_roles.iter().copied());
    let becomes_auditor = effective.contains(&Role::Auditor) && !current.has_role(Role::Auditor);
    let recheck = expires_on != current.expires_on || (becomes_auditor && last >= today);
    if !recheck {
        return Ok(());
    }
    crate::domain::account::check_expiry(last, &effective, today)
        .map_err(|reason| StoreError::Invalid(FieldErrors::single("expires_on", reason)))
}

/// Why a change that would leave no admin is refused (admins whose access ends do not count).
const LAST_ADMIN: &str =
    "Charter needs at least one active admin; grant the role to someone else first";
const LAST_ADMIN_ENDING: &str = "cannot be set on the last active admin whose access has no \
     end date: Charter needs one; grant the admin role to someone else first";

/// Sets a new password and ends every session of the account but `keep_session`.
async fn set_password(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    id: Uuid,
    hash: &str,
    keep_session: Option<&str>,
) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    let changed =
        sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .bind(now())
            .execute(&mut *tx)
            .await?;
    if changed.rows_affected() == 0 {
        return Err(StoreError::NotFound("account"));
    }
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
        .bind(id)
        .bind(keep_session.unwrap_or(""))
        .execute(&mut *tx)
        .await?;
    let view = serde_json::json!({ "id": id, "password_changed": true });
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "account.password_changed",
            "account",
            id,
            &view,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn start_session(pool: &sqlx::Pool<Db>, session: &SessionRecord) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(session.token_hash.as_str())
    .bind(session.account_id)
    .bind(session.csrf_token.as_str())
    .bind(session.created_at)
    .bind(session.last_seen_at)
    .bind(session.expires_at)
    .execute(&mut *tx)
    .await?;
    let view = serde_json::json!({ "account_id": session.account_id, "started_at": session.created_at.unix_timestamp() });
    let event = NewAuditEvent::for_record(
        &Actor::named(format!("account:{}", session.account_id)),
        "session.started",
        "account",
        session.account_id,
        &view,
    );
    append_events(&mut tx, vec![event]).await?;
    tx.commit().await?;
    Ok(())
}

async fn touch_session(
    pool: &sqlx::Pool<Db>,
    token_hash: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(at)
        .execute(pool)
        .await?;
    Ok(())
}

async fn end_session(pool: &sqlx::Pool<Db>, token_hash: &str) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    let ended = sqlx::query("DELETE FROM sessions WHERE token_hash = $1 RETURNING account_id")
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(row) = ended {
        let account_id: Uuid = row.try_get("account_id")?;
        let view = serde_json::json!({ "account_id": account_id, "ended": true });
        let event = NewAuditEvent::for_record(
            &Actor::named(format!("account:{account_id}")),
            "session.ended",
            "account",
            account_id,
            &view,
        );
        append_events(&mut tx, vec![event]).await?;
    }
    tx.commit().await?;
    Ok(())
}

const TOKEN_COLUMNS: &str =
    "id, account_id, name, scope, created_at, expires_at, last_used_at, revoked_at";

fn token_from_row(row: &DbRow) -> Result<ApiToken, sqlx::Error> {
    Ok(ApiToken {
        id: row.try_get("id")?,
        account_id: row.try_get("account_id")?,
        name: row.try_get("name")?,
        scope: parse_column(row, "scope")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

async fn create_api_token(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    token: &ApiToken,
    token_hash: &str,
) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO api_tokens (id, account_id, name, token_hash, scope, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token.id)
    .bind(token.account_id)
    .bind(token.name.as_str())
    .bind(token_hash)
    .bind(token.scope.as_str())
    .bind(token.created_at)
    .bind(token.expires_at)
    .execute(&mut *tx)
    .await?;
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "api_token.created",
            "api_token",
            token.id,
            token,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn list_api_tokens(pool: &sqlx::Pool<Db>, account_id: Uuid) -> StoreResult<Vec<ApiToken>> {
    let rows = dynamic(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE account_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(account_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(token_from_row).collect::<Result<_, _>>()?)
}

async fn revoke_api_token(
    pool: &sqlx::Pool<Db>,
    actor: &Actor,
    account_id: Uuid,
    id: Uuid,
) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    let at = now();
    let revoked = sqlx::query("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL")
        .bind(id)
        .bind(account_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    if revoked.rows_affected() == 0 {
        return Err(StoreError::NotFound("API token"));
    }
    let view = serde_json::json!({ "id": id, "revoked_at": at.unix_timestamp() });
    append_events(
        &mut tx,
        vec![NewAuditEvent::for_record(
            actor,
            "api_token.revoked",
            "api_token",
            id,
            &view,
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn touch_api_token(pool: &sqlx::Pool<Db>, id: Uuid, at: OffsetDateTime) -> StoreResult<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(pool)
        .await?;
    Ok(())
}

async fn create_setup_token(
    pool: &sqlx::Pool<Db>,
    token_hash: &str,
    expires_at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(now())
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether the setup link is unused and unexpired; `consume` marks it used in the same step.
async fn check_setup_token(
    pool: &sqlx::Pool<Db>,
    token_hash: &str,
    consume: bool,
) -> StoreResult<bool> {
    let at = now();
    let sql = if consume {
        "UPDATE setup_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING token_hash"
    } else {
        "SELECT token_hash FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"
    };
    let row = sqlx::query(sql)
        .bind(token_hash)
        .bind(at)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

async fn sign_in_failures(
    pool: &sqlx::Pool<Db>,
    key: &str,
) -> StoreResult<Option<(i64, OffsetDateTime)>> {
    let row = sqlx::query(
        "SELECT failures, last_failure_at FROM sign_in_failures WHERE throttle_key = $1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await?;
    match row {
        Some(row) => Ok(Some((
            i64::from(row.try_get::<i32, _>("failures")?),
            row.try_get("last_failure_at")?,
        ))),
        None => Ok(None),
    }
}

async fn record_sign_in_failure(
    pool: &sqlx::Pool<Db>,
    key: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sign_in_failures (throttle_key, failures, last_failure_at) VALUES ($1, 1, $2)
         ON CONFLICT (throttle_key) DO UPDATE SET failures = sign_in_failures.failures + 1, last_failure_at = $2",
    )
    .bind(key)
    .bind(at)
    .execute(pool)
    .await?;
    Ok(())
}

async fn clear_sign_in_failures(pool: &sqlx::Pool<Db>, key: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE throttle_key = $1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

/// The account on the first of `rows` (one row per role, the role in column `role`).
fn account_from_role_rows(rows: &[DbRow]) -> Result<Option<Account>, sqlx::Error> {
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut roles = Vec::with_capacity(rows.len());
    let mut granted_roles = Vec::new();
    for row in rows {
        if let Some(role) = role_column(row, "role")? {
            roles.push(role);
        }
        if let Some(role) = role_column(row, "granted")? {
            granted_roles.push(role);
        }
    }
    roles.sort();
    roles.dedup();
    granted_roles.sort();
    granted_roles.dedup();
    let password_hash: Option<String> = first.try_get("password_hash")?;
    Ok(Some(Account {
        id: first.try_get("id")?,
        person_id: first.try_get("person_id")?,
        name: first.try_get("name")?,
        email: first.try_get("email")?,
        roles,
        granted_roles,
        has_password: password_hash.is_some(),
        disabled_at: first.try_get("disabled_at")?,
        created_at: first.try_get("created_at")?,
        expires_on: first.try_get("expires_on")?,
    }))
}

/// A tool role named by a nullable column of an account row.
fn role_column(row: &DbRow, column: &str) -> Result<Option<Role>, sqlx::Error> {
    row.try_get::<Option<String>, _>(column)?
        .map(|role| {
            role.parse::<Role>().map_err(|e| sqlx::Error::ColumnDecode {
                index: column.into(),
                source: e.into(),
            })
        })
        .transpose()
}

/// A session and its account in one query (the request path of every signed-in page); none once
/// the account's access has ended.
async fn session_with_account(
    pool: &sqlx::Pool<Db>,
    token_hash: &str,
) -> StoreResult<Option<(SessionRecord, Account)>> {
    let joins = account_joins();
    let open = access_not_ended();
    let sql = format!(
        "SELECT s.token_hash, s.account_id, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at,
                s.expires_at, {ACCOUNT_COLUMNS}
         FROM sessions s JOIN accounts a ON a.id = s.account_id {joins}
         WHERE s.token_hash = $1 AND {open}"
    );
    let rows = dynamic(sql)
        .bind(token_hash.to_owned())
        .fetch_all(pool)
        .await?;
    let Some(account) = account_from_role_rows(&rows)? else {
        return Ok(None);
    };
    let row = &rows[0];
    let session = SessionRecord {
        token_hash: row.try_get("token_hash")?,
        account_id: row.try_get("account_id")?,
        csrf_token: row.try_get("csrf_token")?,
        created_at: row.try_get("session_created_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        expires_at: row.try_get("expires_at")?,
    };
    Ok(Some((session, account)))
}

/// An API token and its account in one query; none once the account's access has ended.
async fn token_with_account(
    pool: &sqlx::Pool<Db>,
    token_hash: &str,
) -> StoreResult<Option<(ApiToken, Account)>> {
    let joins = account_joins();
    let open = access_not_ended();
    let sql = format!(
        "SELECT t.id AS token_id, t.account_id, t.name AS token_name, t.scope, t.created_at AS token_created_at,
                t.expires_at, t.last_used_at, t.revoked_at, {ACCOUNT_COLUMNS}
         FROM api_tokens t JOIN accounts a ON a.id = t.account_id {joins}
         WHERE t.token_hash = $1 AND {open}"
    );
    let rows = dynamic(sql)
        .bind(token_hash.to_owned())
        .fetch_all(pool)
        .await?;
    let Some(account) = account_from_role_rows(&rows)? else {
        return Ok(None);
    };
    let row = &rows[0];
    let token = ApiToken {
        id: row.try_get("token_id")?,
        account_id: row.try_get("account_id")?,
        name: row.try_get("token_name")?,
        scope: parse_column(row, "scope")?,
        created_at: row.try_get("token_created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    };
    Ok(Some((token, account)))
}

#[async_trait::async_trait]
impl crate::store::AccountAccessStore for StoreImpl {
    async fn create_account_until(
        &self,
        actor: &Actor,
        person_id: Uuid,
        password_hash: Option<String>,
        roles: &[Role],
        expires_on: Option<Date>,
        today: Date,
    ) -> StoreResult<Account> {
        let grant = AccountGrant {
            person_id,
            password_hash,
            roles,
            expires_on,
        };
        create_account_until(&self.pool, actor, grant, today).await
    }

    async fn change_account_access(
        &self,
        actor: &Actor,
        id: Uuid,
        roles: Option<&[Role]>,
        expires_on: Option<Option<Date>>,
        today: Date,
    ) -> StoreResult<Account> {
        let change = AccountChange {
            roles,
            disabled: None,
            expires_on,
        };
        apply_account_change(&self.pool, actor, id, change, today).await
    }
}
