//! The store boundary: one trait, a SQLite and a PostgreSQL implementation sharing their SQL text.
//!
//! The shared SQL lives in `sql/*.rs` and is compiled once per backend with `include!`, so each
//! backend decodes native types (UUID and TIMESTAMPTZ on PostgreSQL) without `sqlx::Any`.

pub mod assessments;
pub mod audit_log;
pub mod campaigns;
pub mod commitments;
pub mod concerns;
pub mod conformance;
pub mod evidence;
mod location;
pub mod mail;
pub mod migrations;
pub mod objectives;
pub mod policies;
mod postgres;
pub mod reports;
pub mod reviews;
pub mod roles;
mod sql_text;
mod sqlite;

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::access::Role;
use crate::domain::account::{Account, ApiToken, SessionRecord};
use crate::domain::{
    Actor, AuditEvent, AuditFilter, ChainBreak, FieldErrors, OrgProfile, OrgProfileInput, Page,
    PageRequest, Person, PersonFilter, PersonInput, Unit, UnitFilter, UnitInput,
};

pub use assessments::AssessmentStore;
pub use audit_log::AuditLogStore;
pub use campaigns::{CampaignStore, PendingPerson};
pub use commitments::CommitmentStore;
pub use concerns::ConcernStore;
pub use conformance::ConformanceStore;
pub use evidence::EvidenceStore;
pub use location::DatabaseLocation;
pub use mail::MailStore;
pub use objectives::ObjectiveStore;
pub use policies::{PolicyReview, PolicyStore, PublishedPolicy};
pub use reports::ReportStore;
pub use reviews::ReviewStore;
pub use roles::{AssignmentWrite, DelegationFilter, RoleStore};

/// What can go wrong at the store boundary.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("invalid input: {}", .0.summary())]
    Invalid(FieldErrors),
    #[error("{0}")]
    Config(String),
    /// The record is not in a state that allows the change (e.g. editing an approved version).
    #[error("{0}")]
    Conflict(String),
    /// The actor may reach the record but the rule refuses them (e.g. approving their own draft).
    #[error("{0}")]
    Forbidden(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Connections of the pool, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// Figures for the dashboard.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct OrgCounts {
    pub people_active: i64,
    pub people_on_leave: i64,
    pub people_departed: i64,
    pub contractors_and_externals: i64,
    pub units: i64,
    pub audit_events: i64,
}

/// One person to write in a bulk import: an id (new or existing) and validated, resolved fields.
#[derive(Debug, Clone)]
pub struct PersonWrite {
    pub id: Uuid,
    pub input: PersonInput,
    pub is_new: bool,
}

/// The result of checking the whole audit chain.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ChainReport {
    pub events_checked: u64,
    pub broken: Option<ChainBreak>,
}

/// Accounts whose access ends on a day (an auditor's engagement): the last day is checked against
/// `today` (not in the past; for an auditor at most 366 days ahead), written with its audit event,
/// and from the next day the caller's query no longer finds the account's sessions and tokens.
#[async_trait]
pub trait AccountAccessStore: Send + Sync {
    /// Creates an account for a person whose access ends after `expires_on` (none: no end).
    async fn create_account_until(
        &self,
        actor: &Actor,
        person_id: Uuid,
        password_hash: Option<String>,
        roles: &[Role],
        expires_on: Option<Date>,
        today: Date,
    ) -> StoreResult<Account>;
    /// Replaces the roles and sets, moves or clears (`Some(None)`) the last day of access, in one
    /// transaction; `None` leaves either as it is. Refuses to leave no admin without an end.
    async fn change_account_access(
        &self,
        actor: &Actor,
        id: Uuid,
        roles: Option<&[Role]>,
        expires_on: Option<Option<Date>>,
        today: Date,
    ) -> StoreResult<Account>;
}

/// Everything Charter persists goes through this trait; every change writes its audit event in
/// the same transaction.
#[async_trait]
pub trait Store:
    PolicyStore
    + CampaignStore
    + MailStore
    + RoleStore
    + ObjectiveStore
    + ReviewStore
    + CommitmentStore
    + ReportStore
    + ConcernStore
    + ConformanceStore
    + AssessmentStore
    + AuditLogStore
    + AccountAccessStore
    + EvidenceStore
    + Send
    + Sync
{
    fn backend(&self) -> Backend;
    fn pool_stats(&self) -> PoolStats;
    /// Applies pending migrations; returns the versions applied now.
    async fn migrate(&self) -> StoreResult<Vec<i64>>;
    async fn ping(&self) -> StoreResult<()>;
    async fn close(&self);

    async fn organization(&self) -> StoreResult<OrgProfile>;
    async fn update_organization(
        &self,
        actor: &Actor,
        input: OrgProfileInput,
    ) -> StoreResult<OrgProfile>;
    async fn org_counts(&self) -> StoreResult<OrgCounts>;

    async fn list_units(&self, filter: &UnitFilter, page: PageRequest) -> StoreResult<Page<Unit>>;
    async fn all_units(&self) -> StoreResult<Vec<Unit>>;
    async fn get_unit(&self, id: Uuid) -> StoreResult<Unit>;
    async fn create_unit(&self, actor: &Actor, input: UnitInput) -> StoreResult<Unit>;
    async fn update_unit(&self, actor: &Actor, id: Uuid, input: UnitInput) -> StoreResult<Unit>;

    async fn list_people(
        &self,
        filter: &PersonFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Person>>;
    async fn all_people(&self) -> StoreResult<Vec<Person>>;
    async fn get_person(&self, id: Uuid) -> StoreResult<Person>;
    async fn person_names(&self, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, String>>;
    /// The person with this email, compared without regard to case.
    async fn person_by_email(&self, email: &str) -> StoreResult<Option<Person>>;
    /// Creates a person after checking what needs the database: a unique email, known unit and
    /// manager, no manager cycle. `today` bounds the departure date.
    async fn create_person(
        &self,
        actor: &Actor,
        input: PersonInput,
        today: Date,
    ) -> StoreResult<Person>;
    async fn update_person(
        &self,
        actor: &Actor,
        id: Uuid,
        input: PersonInput,
        today: Date,
    ) -> StoreResult<Person>;
    /// Writes a checked batch in one transaction: all of it or nothing.
    async fn write_people(&self, actor: &Actor, batch: &[PersonWrite]) -> StoreResult<()>;

    /// Creates an account for a person (no password: an invitation to set one).
    async fn create_account(
        &self,
        actor: &Actor,
        person_id: Uuid,
        password_hash: Option<String>,
        roles: &[Role],
    ) -> StoreResult<Account>;
    async fn account(&self, id: Uuid) -> StoreResult<Account>;
    /// The account signing in with this email, and its password hash.
    async fn account_credentials(
        &self,
        email: &str,
    ) -> StoreResult<Option<(Account, Option<String>)>>;
    async fn list_accounts(&self) -> StoreResult<Vec<Account>>;
    /// Replaces the roles; refuses to leave no active admin.
    async fn set_account_roles(
        &self,
        actor: &Actor,
        id: Uuid,
        roles: &[Role],
    ) -> StoreResult<Account>;
    /// Disables (ending its sessions) or enables; refuses to leave no active admin.
    async fn set_account_disabled(
        &self,
        actor: &Actor,
        id: Uuid,
        disabled: bool,
    ) -> StoreResult<Account>;
    /// Sets the password hash and ends every other session of the account.
    async fn set_password(
        &self,
        actor: &Actor,
        id: Uuid,
        hash: &str,
        keep_session: Option<&str>,
    ) -> StoreResult<()>;

    async fn start_session(&self, session: &SessionRecord) -> StoreResult<()>;
    /// The session and its account, read together (once per signed-in request).
    async fn session_with_account(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<(SessionRecord, Account)>>;
    /// The API token and its account, read together (once per request with a bearer token).
    async fn api_token_with_account(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<(ApiToken, Account)>>;
    async fn touch_session(&self, token_hash: &str, at: OffsetDateTime) -> StoreResult<()>;
    async fn end_session(&self, token_hash: &str) -> StoreResult<()>;

    async fn create_api_token(
        &self,
        actor: &Actor,
        token: &ApiToken,
        token_hash: &str,
    ) -> StoreResult<()>;
    async fn list_api_tokens(&self, account_id: Uuid) -> StoreResult<Vec<ApiToken>>;
    async fn revoke_api_token(&self, actor: &Actor, account_id: Uuid, id: Uuid) -> StoreResult<()>;
    async fn touch_api_token(&self, id: Uuid, at: OffsetDateTime) -> StoreResult<()>;

    async fn create_setup_token(
        &self,
        token_hash: &str,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Whether the setup link is valid; with `consume`, it is used up in the same step.
    async fn check_setup_token(&self, token_hash: &str, consume: bool) -> StoreResult<bool>;

    async fn sign_in_failures(&self, key: &str) -> StoreResult<Option<(i64, OffsetDateTime)>>;
    async fn record_sign_in_failure(&self, key: &str, at: OffsetDateTime) -> StoreResult<()>;
    async fn clear_sign_in_failures(&self, key: &str) -> StoreResult<()>;

    async fn list_audit_events(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> StoreResult<Page<AuditEvent>>;
    async fn verify_audit_chain(&self) -> StoreResult<ChainReport>;
}

/// Opens the database at `location`, creating an SQLite file and its folder when needed.
/// Does not migrate: call `Store::migrate`.
pub async fn connect(location: &DatabaseLocation) -> StoreResult<Arc<dyn Store>> {
    match location {
        DatabaseLocation::Sqlite(path) => Ok(Arc::new(sqlite::SqliteStore::open(path).await?)),
        DatabaseLocation::Postgres(url) => Ok(Arc::new(postgres::PostgresStore::open(url).await?)),
    }
}

/// Opens and migrates: what every command that touches data does first.
pub async fn open(location: &DatabaseLocation) -> StoreResult<Arc<dyn Store>> {
    let store = connect(location).await?;
    store.migrate().await?;
    Ok(store)
}
