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
use crate::document::canonical::{canonical_body, content_hash};
#[allow(unused_imports)]
use crate::domain::access::Role;
#[allow(unused_imports)]
use crate::domain::account::{Account, ApiToken, SessionRecord};
#[allow(unused_imports)]
use crate::domain::assignment::{
    Assignment, AssignmentEnd, AssignmentFilter, AssignmentInput, AssignmentScope,
    CompetenceEvidence, CompetenceEvidenceInput, Delegate, Delegation, DelegationInput,
    EvidenceKind, RoleHolders, TenureState, role_statement,
};
#[allow(unused_imports)]
use crate::domain::audit::{ChainLink, EVENT_SEPARATOR};
#[allow(unused_imports)]
use crate::domain::campaign::{
    AckFilter, AckReceipt, AckRequest, AckState, Acknowledgment, Campaign, CampaignAudience,
    CampaignFilter, CampaignInput, CampaignStatus, CoverageCounts, MyAcknowledgment,
};
#[allow(unused_imports)]
use crate::domain::communication::{Communication, CommunicationInput};
#[allow(unused_imports)]
use crate::domain::escalation::{
    Contact, EscalationPath, EscalationPathInput, EscalationStep, Matter,
};
#[allow(unused_imports)]
use crate::domain::isms_status::{
    ActionCounts, ActionLine, ConcernCounts, CountLine, ObjectiveLine, ObjectiveStatus, TrendPoint,
};
#[allow(unused_imports)]
use crate::domain::mail::{
    DeliveryOutcome, MailKind, MailStatus, NewMail, OutboxFilter, OutboxMessage,
};
#[allow(unused_imports)]
use crate::domain::policy::{
    Audience, Policy, PolicyFilter, PolicyInput, PolicyKind, PolicySummary, ReviewState, Visibility,
};
#[allow(unused_imports)]
use crate::domain::policy_exception::{
    ExceptionDecisionInput, ExceptionFilter, ExceptionInput, ExceptionState, ExceptionStatus,
    MAX_SHARE_DAYS, PolicyException, ShareLink,
};
#[allow(unused_imports)]
use crate::domain::policy_version::{
    Comment, Decision, DraftInput, PolicyVersion, Transition, VersionNumber, VersionStatus,
    check_signoff,
};
#[allow(unused_imports)]
use crate::domain::raci::{Activity, ActivityInput, Duty, RaciCell, RaciMatrix, RaciRole};
#[allow(unused_imports)]
use crate::domain::role::{HolderSummary, OrgRole, OrgRoleFilter, OrgRoleInput, RoleCategory};
#[allow(unused_imports)]
use crate::domain::role_gaps::{
    ActivityGap, AssignmentGap, GAP_LIST_LIMIT, GapList, RoleGap, RoleGaps,
};
#[allow(unused_imports)]
use crate::domain::sod::{
    RolePair, SodConflict, SodException, SodExceptionDecision, SodExceptionDecisionInput,
    SodExceptionInput, SodExceptionState, SodRule, SodRuleInput, SodViolation,
};
#[allow(unused_imports)]
use crate::domain::{
    Actor, AuditEvent, AuditFilter, ChainBreak, ChainVerifier, FieldErrors, NewAuditEvent,
    OrgProfile, OrgProfileInput, Page, PageRequest, Person, PersonFilter, PersonInput, Unit,
    UnitFilter, UnitInput, audit::truncate_to_micros,
};
#[allow(unused_imports)]
use crate::store::campaigns::{CampaignStore, PendingPerson};
#[allow(unused_imports)]
use crate::store::mail::MailStore;
#[allow(unused_imports)]
use crate::store::policies::{PolicyReview, PolicyStore, PublishedPolicy};
#[allow(unused_imports)]
use crate::store::roles::{AssignmentWrite, DelegationFilter, RoleStore};
#[allow(unused_imports)]
use crate::store::sql_text::{
    Arg, Conditions, Placeholders, contains_pattern, values_placeholders,
};
#[allow(unused_imports)]
use crate::store::{
    AssessmentStore, AuditLogStore, CommitmentStore, ConcernStore, ConformanceStore, EvidenceStore,
    ObjectiveStore, ReportStore, ReviewStore,
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
            Arg::Date(date) => query.bind(*date),
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

/// One page of `table` under `conditions`, in `order`, with the total that matched.
async fn fetch_page<T>(
    pool: &sqlx::Pool<Db>,
    table: &str,
    columns: &str,
    order: &str,
    conditions: &Conditions,
    page: PageRequest,
    from_row: fn(&DbRow) -> Result<T, sqlx::Error>,
) -> StoreResult<Page<T>> {
    let where_sql = conditions.where_sql();
    let counting = dynamic(format!("SELECT COUNT(*) FROM {table}{where_sql}"));
    let total = count(bind_args(counting, &conditions.args), pool).await?;
    let n = conditions.next_placeholder();
    let sql = format!(
        "SELECT {columns} FROM {table}{where_sql} ORDER BY {order} LIMIT ${n} OFFSET ${}",
        n + 1
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(pool)
        .await?;
    let items = rows.iter().map(from_row).collect::<Result<_, _>>()?;
    Ok(Page::new(items, page, total))
}
