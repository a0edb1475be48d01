//! SQLite, the embedded default: WAL, a busy timeout, foreign keys on, `BEGIN IMMEDIATE` for writes.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::migrations::{Migration, SQLITE};

type Db = sqlx::Sqlite;
type StoreImpl = SqliteStore;
const BACKEND: Backend = Backend::Sqlite;
const PLACEHOLDERS: Placeholders = Placeholders::Positional;
const MIGRATIONS: &[Migration] = SQLITE;

/// A store on one SQLite file.
pub struct SqliteStore {
    pool: sqlx::SqlitePool,
}

impl SqliteStore {
    pub async fn open(path: &Path) -> StoreResult<Self> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|e| {
                StoreError::Config(format!(
                    "cannot create the database folder {}: {e}",
                    folder.display()
                ))
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // A page cache of up to 32 MiB per connection (the default is 2 MiB): bulk imports
            // touch every index of a large table; memory is only taken as pages are read.
            .pragma("cache_size", "-32768");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| {
                StoreError::Config(format!("cannot open the database {}: {e}", path.display()))
            })?;
        Ok(Self { pool })
    }
}

/// A batch of the chain packed into one text (in any order: the verifier sorts it; see
/// `ChainLink::unpack`).
const PACKED_EVENTS: &str =
    "SELECT group_concat(concat_ws(char(31), seq, occurred_at, actor, action,
        record_type, record_id, record_digest, prev_hash, hash), char(30)) AS packed
    FROM audit_events WHERE seq > $1 AND seq <= $2";

/// Takes the write lock at the start, so a transaction never fails to upgrade from read to write.
async fn begin_write(pool: &sqlx::SqlitePool) -> Result<Tx, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// A deferred transaction reads one snapshot in WAL mode.
async fn begin_snapshot(pool: &sqlx::SqlitePool) -> Result<Tx, sqlx::Error> {
    pool.begin().await
}

/// `BEGIN IMMEDIATE` already excludes other writers.
async fn lock_for_migration(_tx: &mut Tx) -> Result<(), sqlx::Error> {
    Ok(())
}

/// Today (UTC) as SQL, for the tool roles an assignment grants while it is held.
const TODAY: &str = "date('now')";

/// The UTC day an acknowledgment was given (`k` is the acknowledgments table).
const ACK_DAY: &str = "substr(k.acknowledged_at, 1, 10)";

/// People joined to their acknowledgments, read in the people's order (CROSS JOIN keeps SQLite
/// from reordering).
const ACK_PEOPLE_FIRST: &str = "people p CROSS JOIN acknowledgments k ON k.person_id = p.id";

/// SQLite plans without statistics well enough; nothing to refresh after a large launch.
/// Fresh planner statistics after a bulk load of assignments (PostgreSQL does not gather them
/// for a table filled in one transaction until autovacuum comes by).
const REFRESH_ASSIGNMENT_STATS: Option<&str> = None;
const REFRESH_ACK_STATS: Option<&str> = None;

/// How many audit events one INSERT writes: in process, a larger statement costs nothing extra.
const AUDIT_CHUNK: usize = 500;

/// How large one multi-row statement may grow: in process, as large as it needs.
const STATEMENT_BYTES: Option<usize> = None;

/// `BEGIN IMMEDIATE` already excludes other writers: reads need no row locks.
const FOR_SHARE: Option<&str> = None;

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
