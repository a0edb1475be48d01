//! `TestApp`: a fresh database per test (a temporary SQLite file, or a fresh PostgreSQL schema)
//! and the router driven with `oneshot`, no port and no sleep.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use charter::app::AppState;
use charter::domain::access::Role;
use charter::store::{Backend, DatabaseLocation, Store};

/// Declares each scenario as a test on SQLite and a test on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(db) = $crate::helpers::TestDb::on(charter::store::Backend::Sqlite).await { super::$name(db).await }
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(db) = $crate::helpers::TestDb::on(charter::store::Backend::Postgres).await { super::$name(db).await }
            })+
        }
    };
}
use http_body_util::BodyExt;
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

/// The environment variable naming the PostgreSQL server for the PostgreSQL half of the suite.
pub const POSTGRES_URL_VAR: &str = "CHARTER_TEST_POSTGRES_URL";

/// A migrated store on a fresh database, with whatever keeps it alive.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    pub location: DatabaseLocation,
    _dir: Option<TempDir>,
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let location = DatabaseLocation::Sqlite(dir.path().join("charter.db"));
        let store = charter::store::open(&location).await.expect("sqlite store");
        Self {
            store,
            location,
            _dir: Some(dir),
        }
    }

    /// A fresh schema on the server named by `CHARTER_TEST_POSTGRES_URL`, or `None` when unset.
    /// Under CI (`CI=true`) a missing URL fails the test, so PostgreSQL is never skipped silently.
    pub async fn postgres() -> Option<Self> {
        let Some(url) = std::env::var(POSTGRES_URL_VAR)
            .ok()
            .filter(|u| !u.is_empty())
        else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{POSTGRES_URL_VAR} must be set in CI"
            );
            eprintln!("skipped on PostgreSQL: {POSTGRES_URL_VAR} is not set");
            return None;
        };
        let schema = format!("charter_test_{}", uuid::Uuid::now_v7().simple());
        create_schema(&url, &schema).await;
        let separator = if url.contains('?') { '&' } else { '?' };
        let location = DatabaseLocation::Postgres(format!(
            "{url}{separator}options=-c%20search_path%3D{schema}"
        ));
        let store = charter::store::open(&location)
            .await
            .expect("postgres store");
        Some(Self {
            store,
            location,
            _dir: None,
        })
    }

    pub async fn on(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite().await),
            Backend::Postgres => Self::postgres().await,
        }
    }
}

/// Runs SQL straight on the database, around Charter, as someone tampering with it would.
pub async fn raw_sql(location: &DatabaseLocation, sql: &str) {
    use sqlx::Connection;
    match location {
        DatabaseLocation::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
            let mut conn = sqlx::SqliteConnection::connect_with(&options)
                .await
                .expect("sqlite");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut conn)
                .await
                .expect("tamper sql");
        }
        DatabaseLocation::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut conn)
                .await
                .expect("tamper sql");
        }
    }
}

async fn create_schema(url: &str, schema: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .expect("postgres reachable");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .expect("create schema");
}

/// A valid, active employee with no unit or manager.
pub fn person_input(name: &str, email: &str) -> charter::domain::PersonInput {
    charter::domain::PersonInput {
        name: name.into(),
        email: email.into(),
        job_title: String::new(),
        unit_id: None,
        manager_id: None,
        kind: charter::domain::PersonKind::Employee,
        status: charter::domain::PersonStatus::Active,
        departed_on: None,
    }
}

/// A person named `name` (email `<name>@example.com`), written through the store.
pub async fn store_person(store: &dyn Store, name: &str) -> uuid::Uuid {
    let input = person_input(name, &format!("{}@example.com", name.to_lowercase()));
    let today = time::OffsetDateTime::now_utc().date();
    store
        .create_person(&charter::domain::Actor::cli(), input, today)
        .await
        .expect("person")
        .id
}

/// A new person with an account holding `roles` (no password: an invitation).
pub async fn store_account(
    store: &dyn Store,
    name: &str,
    roles: &[Role],
) -> charter::domain::account::Account {
    let id = store_person(store, name).await;
    store
        .create_account(&charter::domain::Actor::cli(), id, None, roles)
        .await
        .expect("account")
}

/// An answer, read whole.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A browser session: the cookie value and its CSRF token.
#[derive(Clone)]
pub struct TestSession {
    pub cookie: String,
    pub csrf_token: String,
}

/// The password every test account has.
pub const TEST_PASSWORD: &str = "correct horse battery staple";

fn test_password_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| charter::auth::password::hash_password(TEST_PASSWORD).expect("hash"))
        .clone()
}

/// The whole application on a fresh database, signed in as an admin unless made anonymous.
pub struct TestApp {
    pub db: TestDb,
    pub router: Router,
    pub session: Option<TestSession>,
}

impl TestApp {
    /// Signed in as an admin (the account's person is `admin@example.test`).
    pub async fn new() -> Self {
        Self::as_role(Role::Admin).await
    }

    /// Nobody signed in.
    pub async fn anonymous() -> Self {
        Self::with_db(TestDb::sqlite().await)
    }

    /// Signed in with an account holding only `role`.
    pub async fn as_role(role: Role) -> Self {
        let mut app = Self::anonymous().await;
        app.session = Some(app.account_session(role.as_str(), &[role]).await);
        app
    }

    pub fn with_db(db: TestDb) -> Self {
        let router = charter::server::app(AppState::new(db.store.clone()));
        Self {
            db,
            router,
            session: None,
        }
    }

    /// Creates `<label>@example.test` with `roles` and starts a session for it.
    pub async fn account_session(&self, label: &str, roles: &[Role]) -> TestSession {
        let store = self.store();
        let actor = charter::domain::Actor::named("test");
        let email = format!("{label}@example.test");
        let person = store
            .create_person(
                &actor,
                person_input(&format!("Test {label}"), &email),
                time::OffsetDateTime::now_utc().date(),
            )
            .await
            .expect("test person");
        let account = store
            .create_account(&actor, person.id, Some(test_password_hash()), roles)
            .await
            .expect("account");
        let started = charter::auth::sign_in::start_session(store, account)
            .await
            .expect("session");
        TestSession {
            cookie: started.token,
            csrf_token: started.csrf_token,
        }
    }

    pub fn store(&self) -> &dyn Store {
        self.db.store.as_ref()
    }

    /// Sends as the signed-in session (cookie, and the CSRF header on changes), if any.
    pub async fn send(&self, mut request: Request<Body>) -> TestResponse {
        if let Some(session) = &self.session {
            let headers = request.headers_mut();
            if !headers.contains_key(header::COOKIE) && !headers.contains_key(header::AUTHORIZATION)
            {
                let cookie = format!("{}={}", charter::auth::SESSION_COOKIE, session.cookie);
                headers.insert(header::COOKIE, cookie.parse().expect("cookie"));
                headers.insert("x-csrf-token", session.csrf_token.parse().expect("csrf"));
            }
        }
        self.send_raw(request).await
    }

    /// `POST /api/v1/auth/login` as a fresh client (no session of this app attached).
    pub async fn login(&self, email: &str, password: &str) -> TestResponse {
        let body = serde_json::json!({ "email": email, "password": password }).to_string();
        let request = Request::post("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("request");
        self.send_raw(request).await
    }

    /// A GET as another session of the same app.
    pub async fn get_as(&self, session: &TestSession, uri: &str) -> TestResponse {
        let cookie = format!("{}={}", charter::auth::SESSION_COOKIE, session.cookie);
        self.send_raw(
            Request::get(uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// A JSON request as another session of the same app (cookie and CSRF header).
    pub async fn json_as(
        &self,
        session: &TestSession,
        method: Method,
        uri: &str,
        body: Value,
    ) -> TestResponse {
        let cookie = format!("{}={}", charter::auth::SESSION_COOKIE, session.cookie);
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", session.csrf_token.as_str())
            .body(Body::from(body.to_string()))
            .expect("request");
        self.send_raw(request).await
    }

    /// Sends exactly what is given.
    pub async fn send_raw(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn json(&self, method: Method, uri: &str, body: Value) -> TestResponse {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request");
        self.send(request).await
    }

    pub async fn post_json(&self, uri: &str, body: Value) -> TestResponse {
        self.json(Method::POST, uri, body).await
    }

    pub async fn patch_json(&self, uri: &str, body: Value) -> TestResponse {
        self.json(Method::PATCH, uri, body).await
    }

    /// A form post as a browser sends it.
    pub async fn post_form(&self, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// Creates a unit through the API and returns its id.
    pub async fn unit(&self, name: &str, parent: Option<&str>) -> String {
        let response = self
            .post_json(
                "/api/v1/units",
                serde_json::json!({ "name": name, "parent_id": parent }),
            )
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        response.json()["id"].as_str().expect("id").to_owned()
    }

    /// Creates a person through the API and returns its id.
    pub async fn person(&self, name: &str, email: &str, manager: Option<&str>) -> String {
        let body = serde_json::json!({ "name": name, "email": email, "manager_id": manager });
        let response = self.post_json("/api/v1/people", body).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        response.json()["id"].as_str().expect("id").to_owned()
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl TestApp {
    /// The whole application on `db` with the checkpoint signing key in the file `key` (created
    /// when missing), as `charter serve` has one; nobody signed in.
    pub fn with_signing_key(db: TestDb, key: &std::path::Path) -> Self {
        let signer =
            charter::audit_log::signer::CheckpointSigner::load_or_create(key).expect("signing key");
        let mut state = AppState::new(db.store.clone());
        state.signer = Some(Arc::new(signer));
        Self {
            router: charter::server::app(state),
            db,
            session: None,
        }
    }
}
