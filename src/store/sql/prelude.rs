// Shared by both backends through `include!`: the names the shared SQL code uses.
// `Db`, `StoreImpl`, `BACKEND`, `PLACEHOLDERS`, `begin_write`, `begin_snapshot`,
// `lock_for_migration` and `MIGRATIONS`
// are defined by the including backend module.

#[allow(unused_imports)]
use std::collections::HashMap;

#[allow(unused_imports)]
use sqlx::{Row as _, Transaction};
#[allow(unused_imports)]
use time::{Date, OffsetDateTime};
#[allow(unused_imports)]
use uuid::Uuid;

#[allow(unused_imports)]
use crate::domain::audit::{ChainLink, EVENT_SEPARATOR};
#[allow(unused_imports)]
use crate::domain::{
    Actor, AuditEvent, AuditFilter, ChainBreak, ChainVerifier, FieldErrors, NewAuditEvent, OrgProfile,
    OrgProfileInput, Page, PageRequest, Person, PersonFilter, PersonInput, Unit, UnitFilter,
    UnitInput, audit::truncate_to_micros,
};
#[allow(unused_imports)]
use crate::store::sql_text::{
    Arg, Conditions, Placeholders, contains_pattern, values_placeholders,
};
#[allow(unused_imports)]
use crate::store::{
    Backend, ChainReport, OrgCounts, PersonWrite, PoolStats, Store, StoreError, StoreResult,
};

type DbRow = <Db as sqlx::Database>::Row;
type DbArgs = <Db as sqlx::Database>::Arguments;
type DbQuery<'q> = sqlx::query::Query<'q, Db, DbArgs>;
type Tx = Transaction<'static, Db>;

/// The current time as both databases store it.
fn now() -> OffsetDateTime {
    truncate_to_micros(OffsetDateTime::now_utc())
}

fn bind_args<'q>(mut query: DbQuery<'q>, args: &'q [Arg]) -> DbQuery<'q> {
    for arg in args {
        query = match arg {
            Arg::Text(text) => query.bind(text.as_str()),
            Arg::Uuid(id) => query.bind(*id),
        };
    }
    query
}

fn dynamic(sql: String) -> DbQuery<'static> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

fn parse_column<T: std::str::FromStr>(row: &DbRow, column: &str) -> Result<T, sqlx::Error> {
    let text: String = row.try_get(column)?;
    text.parse().map_err(|_| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: format!("unexpected value '{text}'").into(),
    })
}

async fn count(query: DbQuery<'_>, pool: &sqlx::Pool<Db>) -> Result<i64, sqlx::Error> {
    query.fetch_one(pool).await?.try_get(0)
}
