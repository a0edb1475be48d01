//! PostgreSQL, for several instances sharing one database: native uuid and timestamptz types.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::migrations::{Migration, POSTGRES};

type Db = sqlx::Postgres;
type StoreImpl = PostgresStore;
const BACKEND: Backend = Backend::Postgres;
const PLACEHOLDERS: Placeholders = Placeholders::Numbered;
const MIGRATIONS: &[Migration] = POSTGRES;

/// A store on a PostgreSQL database (the schema is the connection's `search_path`).
pub struct PostgresStore {
    pool: sqlx::PgPool,
}

impl PostgresStore {
    pub async fn open(url: &str) -> StoreResult<Self> {
        let shown = crate::store::DatabaseLocation::Postgres(url.to_owned()).to_string();
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("the database URL {shown} is not valid: {e}")))?
            .application_name("charter");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Config(format!("cannot connect to {shown}: {e}")))?;
        Ok(Self { pool })
    }
}

/// A batch of the chain packed into one text (in any order: the verifier sorts it), times in
/// Unix microseconds
/// (see `ChainLink::unpack`).
const PACKED_EVENTS: &str = "SELECT string_agg(concat_ws(chr(31), seq,
        (extract(epoch FROM occurred_at) * 1000000)::bigint, actor, action, record_type, record_id,
        record_digest, prev_hash, hash), chr(30)) AS packed
    FROM audit_events WHERE seq > $1 AND seq <= $2";

async fn begin_write(pool: &sqlx::PgPool) -> Result<Tx, sqlx::Error> {
    pool.begin().await
}

/// One snapshot for the whole read, as SQLite's WAL gives.
async fn begin_snapshot(pool: &sqlx::PgPool) -> Result<Tx, sqlx::Error> {
    pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
}

/// Several instances may start at once: one migrates, the others wait.
async fn lock_for_migration(tx: &mut Tx) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(7243550012)")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The UTC day an acknowledgment was given (`k` is the acknowledgments table).
/// Today (UTC) as SQL, for the tool roles an assignment grants while it is held.
const TODAY: &str = "(now() AT TIME ZONE 'UTC')::date";

const ACK_DAY: &str = "(k.acknowledged_at AT TIME ZONE 'UTC')::date";

/// People joined to their acknowledgments (the planner picks the order).
const ACK_PEOPLE_FIRST: &str = "people p JOIN acknowledgments k ON k.person_id = p.id";

/// Statistics refreshed after a large launch, so the next reads plan for the rows just written
/// instead of waiting for autovacuum (without them a campaign's 100,000 rows look like 200).
/// Fresh planner statistics after a bulk load of assignments (PostgreSQL does not gather them
/// for a table filled in one transaction until autovacuum comes by).
const REFRESH_ASSIGNMENT_STATS: Option<&str> = Some("ANALYZE role_assignments, people");
const REFRESH_ACK_STATS: Option<&str> = Some("ANALYZE acknowledgments");

/// How many audit events one INSERT writes. An event binds about 400 bytes, and sqlx 0.9.0 does
/// not set TCP_NODELAY (transact-rs/sqlx#4335): a statement message over about 16 KB then waits
/// some 40 ms for a delayed ACK over TCP (600 events took 110 ms in chunks of 500, 23 ms in
/// chunks of 32). 32 events stay well under that.
const AUDIT_CHUNK: usize = 32;

/// About how many bytes one multi-row statement binds at most (messages to the outbox), for the
/// same reason as `AUDIT_CHUNK` (600 reminders took 95 ms in chunks of 200, 13 ms within this);
/// a single larger row is still sent alone.
const STATEMENT_BYTES: Option<usize> = Some(12 * 1024);

/// Row locks that keep rows read in a write transaction from changing until it commits (reads
/// in READ COMMITTED take none); a row updated meanwhile is read as committed.
const FOR_SHARE: Option<&str> = Some(" FOR SHARE");

include!("sql/prelude.rs");
include!("sql/migrate.rs");
include!("sql/audit.rs");
include!("sql/org.rs");
include!("sql/people.rs");
include!("sql/identity.rs");
include!("sql/policies.rs");
include!("sql/policy_versions.rs");
include!("sql/policy_lifecycle.rs");
include!("sql/policy_exceptions.rs");
include!("sql/policy_sharing.rs");
include!("sql/store_impl.rs");
include!("sql/policy_impl.rs");
include!("sql/campaigns.rs");
include!("sql/campaign_audiences.rs");
include!("sql/acknowledgments.rs");
include!("sql/campaign_coverage.rs");
include!("sql/outbox.rs");
include!("sql/communications.rs");
include!("sql/campaign_impl.rs");
include!("sql/roles.rs");
include!("sql/role_catalog.rs");
include!("sql/assignments.rs");
include!("sql/assignment_import.rs");
include!("sql/delegations.rs");
include!("sql/raci.rs");
include!("sql/sod.rs");
include!("sql/role_gaps.rs");
include!("sql/role_impl.rs");
include!("sql/objectives.rs");
include!("sql/objective_impl.rs");
include!("sql/reviews.rs");
include!("sql/improvement_actions.rs");
include!("sql/review_impl.rs");
include!("sql/resources.rs");
include!("sql/processes.rs");
include!("sql/briefings.rs");
include!("sql/commitment_impl.rs");
include!("sql/reports.rs");
include!("sql/report_impl.rs");
include!("sql/concerns.rs");
include!("sql/concern_impl.rs");
include!("sql/conformance_policy.rs");
include!("sql/conformance_roles.rs");
include!("sql/conformance_leadership.rs");
include!("sql/conformance_impl.rs");
include!("sql/assessments.rs");
include!("sql/assessment_impl.rs");
include!("sql/audit_log.rs");
include!("sql/audit_log_impl.rs");
include!("sql/evidence.rs");
include!("sql/evidence_impl.rs");
