//! The main web flows in a real headless Chromium, driven through chromedriver (WebDriver).
//!
//! Each test starts Charter on `127.0.0.1:0` on a fresh SQLite database, starts chromedriver on a
//! free port, and opens a headless Chromium. What is asserted is what a person sees: URLs, headings,
//! messages. After every step the browser console is read, and any SEVERE entry (a script error,
//! a Content-Security-Policy violation, a missing asset) fails the test, except the one status the
//! step expects for its own page (a 401 after a wrong password, a 403 on a forbidden page).
//!
//! Without `/usr/bin/chromedriver` the tests are skipped, except under CI (`CI=true`), where they
//! fail. Screenshots of the main pages are saved under `target/browser-screenshots/`.

use std::net::{SocketAddr, TcpListener as StdTcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::Method;
use charter::app::AppState;
use charter::auth::secret::{random_secret, secret_hash};
use charter::domain::Actor;
use charter::domain::access::Role;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tempfile::TempDir;
use time::OffsetDateTime;

use crate::helpers::{TEST_PASSWORD, TestDb, person_input};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long any one wait (an element, a URL, chromedriver starting) may take.
const WAIT: Duration = Duration::from_secs(15);
/// At most this many browsers at once: the rest of the suite runs beside them, and each
/// Chromium is a handful of processes.
static BROWSERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// chromedriver as a child process in a process group of its own, killed with the browser it
/// started when dropped (a failed test leaves no Chromium behind).
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Self {
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let driver = Self { child, port };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < WAIT,
                "chromedriver did not listen on port {port} within {WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group's id is chromedriver's pid; Chromium, started by chromedriver, is in it.
        Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status()
            .ok();
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn free_port() -> u16 {
    StdTcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Reads (and so empties) the browser console that chromedriver has collected.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (Method, Option<String>) {
        (Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

/// Charter, a database, chromedriver and a headless Chromium, for one test.
struct Browser {
    client: Client,
    base: String,
    db: TestDb,
    server: tokio::task::JoinHandle<()>,
    _driver: Driver,
    _profile: TempDir,
    _turn: tokio::sync::SemaphorePermit<'static>,
}

impl Browser {
    /// `None` when chromedriver is not installed (outside CI only).
    async fn start() -> Option<Self> {
        if !Path::new(CHROMEDRIVER).exists() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{CHROMEDRIVER} is not installed; the browser tests must run in CI \
                 (.ci/run installs Debian's chromium and chromium-driver)"
            );
            eprintln!("skipped: chromedriver not installed");
            return None;
        }
        let turn = BROWSERS
            .acquire()
            .await
            .expect("the browser semaphore is never closed");
        let db = TestDb::sqlite().await;
        let app = charter::server::app(AppState::new(db.store.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("serve");
        });

        let driver = Driver::start();
        let profile = tempfile::tempdir().expect("profile folder");
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
            .expect("a headless Chromium session");
        Some(Self {
            client,
            base: format!("http://{address}"),
            db,
            server,
            _driver: driver,
            _profile: profile,
            _turn: turn,
        })
    }

    fn store(&self) -> &dyn charter::store::Store {
        self.db.store.as_ref()
    }

    /// Creates `<label>@example.test`, a person named `name`, with an account holding `roles`.
    async fn account(&self, label: &str, name: &str, roles: &[Role]) -> String {
        let actor = Actor::named("test");
        let email = format!("{label}@example.test");
        let person = self
            .store()
            .create_person(
                &actor,
                person_input(name, &email),
                OffsetDateTime::now_utc().date(),
            )
            .await
            .expect("person");
        let hash = charter::auth::password::hash_password(TEST_PASSWORD).expect("hash");
        self.store()
            .create_account(&actor, person.id, Some(hash), roles)
            .await
            .expect("account");
        email
    }

    async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// The current address without the origin: path and query.
    async fn location(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until the address (path and query) is `expected`.
    async fn wait_for_location(&self, expected: &str) {
        let started = Instant::now();
        loop {
            let now = self.location().await;
            if now == expected {
                return;
            }
            assert!(
                started.elapsed() < WAIT,
                "expected to be at {expected}, still at {now}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until the address's path matches `accept`.
    async fn wait_for_path(&self, what: &str, accept: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let url = self.client.current_url().await.expect("current url");
            if accept(url.path()) {
                return url.path().to_owned();
            }
            assert!(
                started.elapsed() < WAIT,
                "expected to be at {what}, still at {url}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css} within {WAIT:?}: {e}"))
    }

    /// Waits until the first element matching `css` shows `expected` (trimmed).
    async fn wait_for_text(&self, css: &str, expected: &str) {
        let started = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.trim() == expected {
                return;
            }
            assert!(
                started.elapsed() < WAIT,
                "expected {css} to read {expected:?} on {}, it reads {text:?}",
                self.location().await
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    async fn text(&self, css: &str) -> String {
        self.find(css)
            .await
            .text()
            .await
            .expect("text")
            .trim()
            .to_owned()
    }

    async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self
            .client
            .find_all(Locator::Css(css))
            .await
            .expect("find all")
        {
            texts.push(element.text().await.expect("text").trim().to_owned());
        }
        texts
    }

    /// Replaces what the input `#id` holds with `value`.
    async fn fill(&self, id: &str, value: &str) {
        let input = self.find(&format!("#{id}")).await;
        input.clear().await.expect("clear");
        input.send_keys(value).await.expect("type");
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    async fn sign_in(&self, email: &str, password: &str) {
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.click("form.record-form button[type=submit]").await;
    }

    /// Saves a PNG of the page as `<name>.png` under the screenshots folder.
    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// The console line Chromium writes when the page at `path` is answered with `status`.
    fn status_message(&self, path: &str, status: u16) -> String {
        format!(
            "{}{path} - Failed to load resource: the server responded with a status of {status} ",
            self.base
        )
    }

    /// The SEVERE console entries since the last read (reading empties the log).
    async fn console_errors(&self) -> Vec<String> {
        let entries = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("read the browser console");
        entries
            .as_array()
            .expect("a list of console entries")
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Fails on any SEVERE console entry, except those starting with one of `expected` (for
    /// instance the 403 of the page the step opened on purpose).
    async fn assert_console_clean(&self, step: &str, expected: &[&str]) {
        let errors: Vec<String> = self
            .console_errors()
            .await
            .into_iter()
            .filter(|message| !expected.iter().any(|allowed| message.starts_with(allowed)))
            .collect();
        assert!(
            errors.is_empty(),
            "the browser console has errors after {step}:\n{}",
            errors.join("\n")
        );
    }

    /// Closes the browser session and stops the server.
    async fn finish(self) {
        self.assert_console_clean("the last step", &[]).await;
        self.client.close().await.expect("close the browser");
        self.server.abort();
    }
}

fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("browser-screenshots")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_setup_creates_the_admin_and_signs_in() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let token = random_secret();
    browser
        .store()
        .create_setup_token(
            &secret_hash(&token),
            OffsetDateTime::now_utc() + time::Duration::hours(1),
        )
        .await
        .expect("setup token");

    browser.open(&format!("/setup?token={token}")).await;
    browser.wait_for_text("h1", "Set up Charter").await;
    browser.assert_console_clean("opening /setup", &[]).await;
    browser.fill("name", "Ada Admin").await;
    browser.fill("email", "ada@example.test").await;
    browser
        .fill("password", "a long and unusual passphrase")
        .await;
    browser.click("form.record-form button[type=submit]").await;

    browser.wait_for_location("/").await;
    browser.wait_for_text("h1", "Dashboard").await;
    assert_eq!(browser.text(".account-name").await, "Ada Admin");
    browser.screenshot("dashboard").await;
    browser.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_rejects_a_wrong_password_then_goes_where_next_points() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let email = browser
        .account("reader", "Rita Reader", &[Role::Admin])
        .await;

    browser.open("/people").await;
    browser.wait_for_location("/sign-in?next=%2Fpeople").await;
    browser.wait_for_text("h1", "Sign in to Charter").await;
    browser.screenshot("sign-in").await;
    // Opening a page signed out is answered with the sign-in page, not an error.
    browser
        .assert_console_clean("opening /people signed out", &[])
        .await;

    browser.sign_in(&email, "not the password at all").await;
    browser
        .wait_for_text(".alert.danger", "The email or password is not right.")
        .await;
    assert_eq!(browser.location().await, "/sign-in");
    assert_eq!(
        browser
            .find("#email")
            .await
            .prop("value")
            .await
            .expect("value"),
        Some(email.clone()),
        "the email stays filled in"
    );
    browser
        .assert_console_clean(
            "a wrong password",
            &[&browser.status_message("/sign-in", 401)],
        )
        .await;

    browser.sign_in(&email, TEST_PASSWORD).await;
    browser.wait_for_location("/people").await;
    browser.wait_for_text("h1 .count", "1").await;
    assert_eq!(browser.text(".account-name").await, "Rita Reader");
    browser.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browse_and_edit_a_person() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let email = browser
        .account("editor", "Eddie Editor", &[Role::Admin])
        .await;
    let person = browser
        .store()
        .create_person(
            &Actor::named("test"),
            person_input("Grace Hopper", "grace@example.test"),
            OffsetDateTime::now_utc().date(),
        )
        .await
        .expect("person");
    browser.open("/sign-in").await;
    browser.sign_in(&email, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;

    browser.open("/people").await;
    browser.wait_for_text("h1 .count", "2").await;
    let names = browser.texts("tbody th[scope=row] a").await;
    assert!(names.contains(&"Grace Hopper".to_owned()), "{names:?}");
    browser.screenshot("people-list").await;
    browser.assert_console_clean("the people list", &[]).await;

    browser
        .client
        .find(Locator::LinkText("Grace Hopper"))
        .await
        .expect("a link to Grace Hopper")
        .click()
        .await
        .expect("follow the link");
    let person_path = format!("/people/{}", person.id);
    browser.wait_for_location(&person_path).await;
    browser
        .wait_for_text(".page-head h1", "Grace Hopper Active")
        .await;
    browser.screenshot("person").await;
    browser.assert_console_clean("the person page", &[]).await;

    browser.click(".page-head a.button[href$='/edit']").await;
    browser
        .wait_for_location(&format!("{person_path}/edit"))
        .await;
    browser.find("#job_title").await;
    browser.screenshot("person-edit").await;
    browser.assert_console_clean("the edit form", &[]).await;
    browser.fill("job_title", "Rear Admiral").await;
    browser.click("form.record-form button[type=submit]").await;

    browser
        .wait_for_location(&format!("{person_path}?flash=saved"))
        .await;
    browser
        .wait_for_text(".alert.success", "Your changes were saved.")
        .await;
    let details = browser.text("dl.details").await;
    assert!(details.contains("Rear Admiral"), "{details}");
    let actions = browser.texts(".evidence .timeline .action").await;
    assert!(
        actions.first().map(String::as_str) == Some("person.updated"),
        "the newest evidence is the update: {actions:?}"
    );
    assert!(
        actions.contains(&"person.created".to_owned()),
        "{actions:?}"
    );
    browser.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sees_not_allowed_on_the_audit_trail() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let email = browser.account("staff", "Sam Staff", &[Role::Staff]).await;
    browser.open("/sign-in").await;
    browser.sign_in(&email, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.wait_for_text("h1", "Dashboard").await;
    let nav = browser.texts(".site-nav a").await;
    assert!(!nav.contains(&"Audit trail".to_owned()), "{nav:?}");

    browser.open("/audit").await;
    browser.wait_for_text("h1", "Not allowed").await;
    assert_eq!(browser.location().await, "/audit");
    let nav = browser.texts(".site-nav a").await;
    assert!(
        !nav.iter().any(|label| label == "Audit trail"),
        "staff must not be offered the audit trail: {nav:?}"
    );
    assert_eq!(browser.text(".account-name").await, "Sam Staff");
    browser.screenshot("forbidden").await;
    browser
        .assert_console_clean(
            "the forbidden page",
            &[&browser.status_message("/audit", 403)],
        )
        .await;
    browser.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_returns_to_the_sign_in_page() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let email = browser
        .account("leaver", "Lee Leaver", &[Role::Manager])
        .await;
    browser.open("/sign-in").await;
    browser.sign_in(&email, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.wait_for_text(".account-name", "Lee Leaver").await;

    browser
        .click(".account-menu form button[type=submit]")
        .await;
    let path = browser.wait_for_path("/sign-in", |p| p == "/sign-in").await;
    assert_eq!(path, "/sign-in");
    browser.wait_for_text("h1", "Sign in to Charter").await;
    assert!(
        browser.texts(".account-name").await.is_empty(),
        "nobody is shown as signed in"
    );

    browser.open("/").await;
    browser
        .wait_for_path("the sign-in page", |p| p == "/sign-in")
        .await;
    browser.find("#password").await;
    browser.finish().await;
}

/// The console check is only worth something if errors reach it: a page answered with 404 must
/// show up as a SEVERE entry naming its address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_check_sees_a_failed_load() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser.open("/no-such-page").await;
    browser.wait_for_text("h1", "Page not found").await;
    let errors = browser.console_errors().await;
    let expected = browser.status_message("/no-such-page", 404);
    assert!(
        errors.iter().any(|e| e.starts_with(&expected)),
        "expected {expected:?} in the console, got {errors:?}"
    );
    browser.finish().await;
}

/// The policy flow with two people: the ISMS manager writes the information security policy from
/// the template and submits it, top management signs it off with their password, the ISMS
/// manager publishes it, and the policy page shows version 1.0 in force with the approver.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_is_drafted_submitted_signed_off_and_published() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let writer = browser
        .account("ismsmanager", "Ines Writer", &[Role::IsmsManager])
        .await;
    let approver = browser
        .account("ceo", "Cora Chief", &[Role::TopManagement])
        .await;
    browser.open("/sign-in").await;
    browser.sign_in(&writer, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;

    browser.open("/policies/new?kind=top_level").await;
    let body = browser.find("#body").await;
    let template = body.prop("value").await.expect("value").unwrap_or_default();
    assert!(
        template.contains("## "),
        "the template has sections: {template}"
    );
    browser.fill("title", "Information Security Policy").await;
    browser.screenshot("policy-new").await;
    browser.click("form.policy-form button[type=submit]").await;
    let version_path = browser
        .wait_for_path("the new draft", |p| p.starts_with("/policies/versions/"))
        .await;
    let version_path = version_path
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    browser.wait_for_text(".page-head h1 .badge", "Draft").await;
    browser.assert_console_clean("the new draft", &[]).await;
    browser
        .click("form[action$='/submit'] button[type=submit]")
        .await;
    browser
        .wait_for_text(".page-head h1 .badge", "In review")
        .await;
    browser.screenshot("policy-in-review").await;

    browser.client.delete_all_cookies().await.expect("sign out");
    browser.open("/sign-in").await;
    browser.sign_in(&approver, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.open(&version_path).await;
    browser.find("form.signoff-form").await;
    browser.screenshot("policy-sign-off").await;
    browser.fill("password", TEST_PASSWORD).await;
    browser.click("#approve-confirm").await;
    browser.click("form.signoff-form button[type=submit]").await;
    browser
        .wait_for_text(".page-head h1 .badge", "Approved, not yet published")
        .await;
    let decisions = browser.text("#decisions-title").await;
    assert!(
        decisions.contains('1'),
        "one decision recorded: {decisions}"
    );
    browser.assert_console_clean("the sign-off", &[]).await;

    browser.client.delete_all_cookies().await.expect("sign out");
    browser.open("/sign-in").await;
    browser.sign_in(&writer, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.open(&version_path).await;
    browser.click("#publish-confirm").await;
    browser
        .click("form[action$='/publish'] button[type=submit]")
        .await;
    browser
        .wait_for_path("the policy page", |p| {
            p.starts_with("/policies/") && !p.contains("versions")
        })
        .await;
    let page = browser.text("main").await;
    assert!(page.contains("1.0"), "version 1.0 in force: {page}");
    assert!(page.contains("Cora Chief"), "the approver is named: {page}");
    browser.screenshot("policy-published").await;
    browser
        .assert_console_clean("the published policy", &[])
        .await;
    browser.finish().await;
}

/// The account behind `<label>@example.test`.
async fn account_of(browser: &Browser, email: &str) -> charter::domain::account::Account {
    let person = browser
        .store()
        .person_by_email(email)
        .await
        .expect("lookup")
        .expect("person");
    let accounts = browser.store().list_accounts().await.expect("accounts");
    accounts
        .into_iter()
        .find(|a| a.person_id == person.id)
        .expect("account")
}

/// A topic-specific policy for everyone, written, signed off and published through the store.
async fn publish_policy(browser: &Browser, writer: &str, approver: &str) -> uuid::Uuid {
    use charter::domain::policy::{Audience, PolicyInput, PolicyKind, Visibility};
    use charter::domain::policy_version::{DraftInput, Transition};
    let (writer, approver) = (
        account_of(browser, writer).await,
        account_of(browser, approver).await,
    );
    let input = PolicyInput {
        title: "Clean Desk".into(),
        kind: PolicyKind::TopicSpecific,
        owner_id: writer.person_id,
        approver_role: Role::TopManagement,
        audience: Audience::Everyone,
        review_interval_months: 12,
        visibility: Visibility::Internal,
        visibility_rationale: String::new(),
        quorum: 1,
    };
    let draft = DraftInput {
        body: "# Clean desk\n\nLeave nothing confidential on your desk.\n".into(),
        is_major: false,
        change_summary: String::new(),
    };
    let store = browser.store();
    let (_, version) = store
        .create_policy(&writer, input, draft)
        .await
        .expect("policy");
    let today = OffsetDateTime::now_utc().date();
    for (who, step) in [
        (&writer, Transition::Submit),
        (&approver, Transition::Approve),
        (&writer, Transition::Publish),
    ] {
        store
            .transition_version(who, version.id, step, "Approved.", today)
            .await
            .expect("lifecycle step");
    }
    version.id
}

/// The big numbers of a campaign page, each on one line ("1 acknowledged of 3").
async fn figure_texts(browser: &Browser) -> Vec<String> {
    let texts = browser.texts(".coverage-figures .figure").await;
    texts
        .iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The acknowledgment flow with two people: the ISMS manager launches a campaign by form, staff
/// open it from My tasks and acknowledge it, and the campaign page counts the acknowledgment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_is_launched_acknowledged_from_my_tasks_and_counted() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let writer = browser
        .account("ismsmanager", "Ines Writer", &[Role::IsmsManager])
        .await;
    let approver = browser
        .account("ceo", "Cora Chief", &[Role::TopManagement])
        .await;
    let staff = browser
        .account("staff", "Stella Staff", &[Role::Staff])
        .await;
    let version = publish_policy(&browser, &writer, &approver).await;

    browser.open("/sign-in").await;
    browser.sign_in(&writer, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.open("/campaigns/new").await;
    browser
        .find("#version_id")
        .await
        .select_by_value(&version.to_string())
        .await
        .expect("choose the version");
    browser.click("input[name=audience][value=everyone]").await;
    browser.screenshot("campaign-new").await;
    browser.assert_console_clean("the campaign form", &[]).await;
    browser
        .click("form.campaign-form button[type=submit]")
        .await;
    let campaign_path = browser
        .wait_for_path("the campaign page", |p| {
            p.starts_with("/campaigns/") && p != "/campaigns/new"
        })
        .await;
    let figures = figure_texts(&browser).await;
    assert!(
        figures.iter().any(|f| f == "0 acknowledged of 3"),
        "nobody has acknowledged yet: {figures:?}"
    );
    browser.find("svg.trend-chart").await;
    browser.screenshot("campaign-launched").await;
    browser.assert_console_clean("the campaign page", &[]).await;

    browser.client.delete_all_cookies().await.expect("sign out");
    browser.open("/sign-in").await;
    browser.sign_in(&staff, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.open("/tasks").await;
    browser.click("a[href^='/acknowledge/']").await;
    browser
        .wait_for_path("the reading page", |p| p.starts_with("/acknowledge/"))
        .await;
    let head = browser.text(".page-head h1").await;
    assert!(
        head.contains("Clean Desk") && head.contains("version 1.0"),
        "{head}"
    );
    browser.screenshot("acknowledge").await;
    browser.assert_console_clean("the reading page", &[]).await;
    browser.click(".acknowledge-form button[type=submit]").await;
    browser
        .wait_for_text(
            ".alert.success",
            "Thank you: your acknowledgment is recorded.",
        )
        .await;
    let receipt = browser.text(".receipt-line").await;
    assert!(receipt.starts_with("Acknowledged on"), "{receipt}");
    browser.open("/tasks").await;
    assert!(
        browser.texts("a[href^='/acknowledge/']").await.is_empty(),
        "nothing left to acknowledge"
    );

    browser.client.delete_all_cookies().await.expect("sign out");
    browser.open("/sign-in").await;
    browser.sign_in(&writer, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.open(&campaign_path).await;
    let figures = figure_texts(&browser).await;
    assert!(
        figures.iter().any(|f| f == "1 acknowledged of 3"),
        "the acknowledgment is counted: {figures:?}"
    );
    let people = browser.text(".people-table").await;
    assert!(people.contains("Stella Staff"), "{people}");
    browser.screenshot("campaign-counted").await;
    browser.finish().await;
}

/// Roles with two people: the ISMS manager assigns a catalog role by form, the holder opens it
/// from My tasks and acknowledges it, and the RACI matrix names the holder under the role.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_is_assigned_acknowledged_from_my_tasks_and_shown_in_the_raci_matrix() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let manager = browser
        .account("ismsmanager", "Ines Writer", &[Role::IsmsManager])
        .await;
    let holder = browser.account("risk", "Rita Owner", &[Role::Staff]).await;
    let roles = browser
        .store()
        .list_roles(&charter::domain::role::OrgRoleFilter::default())
        .await
        .expect("the standard catalog");
    let role = roles
        .iter()
        .find(|r| r.name == "Risk owner")
        .expect("the standard catalog has a risk owner");

    browser.open("/sign-in").await;
    browser.sign_in(&manager, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.open("/roles/raci").await;
    let columns = browser.texts("th.raci-role").await;
    assert!(
        columns
            .iter()
            .any(|c| c.starts_with("Risk owner") && c.contains("vacant")),
        "nobody holds it yet: {columns:?}"
    );
    browser.open(&format!("/roles/{}", role.id)).await;
    browser.click("a[href^='/roles/assignments/new']").await;
    browser
        .wait_for_path("the assignment form", |p| p == "/roles/assignments/new")
        .await;
    let chosen = browser
        .find("#role_id option[selected]")
        .await
        .text()
        .await
        .expect("the chosen role");
    assert_eq!(chosen.trim(), "Risk owner", "the role's page chose it");
    browser.fill("person_email", &holder).await;
    browser
        .fill("reason", "Owns the payment risks since the reorganisation.")
        .await;
    browser.screenshot("role-assign").await;
    browser
        .assert_console_clean("the assignment form", &[])
        .await;
    browser.click("form.assign-form button[type=submit]").await;
    let assignment_path = browser
        .wait_for_path("the assignment page", |p| {
            p.starts_with("/roles/assignments/") && p != "/roles/assignments/new"
        })
        .await;
    browser
        .wait_for_text(
            ".alert.success",
            "The role is assigned. The holder is told by email and asked to acknowledge it.",
        )
        .await;
    browser
        .assert_console_clean("the new assignment", &[])
        .await;

    browser.client.delete_all_cookies().await.expect("sign out");
    browser.open("/sign-in").await;
    browser.sign_in(&holder, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.open("/tasks").await;
    browser.click(&format!("a[href='{assignment_path}']")).await;
    browser.wait_for_location(&assignment_path).await;
    let duties = browser.text(".role-acknowledgment").await;
    assert!(
        role.responsibilities
            .iter()
            .all(|r| duties.contains(r.as_str()))
            && role.authorities.iter().all(|a| duties.contains(a.as_str())),
        "the role's duties are shown before acknowledging: {duties}"
    );
    browser.screenshot("role-acknowledge").await;
    browser
        .assert_console_clean("the role to acknowledge", &[])
        .await;
    browser
        .click(".role-acknowledgment button[type=submit]")
        .await;
    browser
        .wait_for_text(
            ".alert.success",
            "Thank you: your acknowledgment of this role is recorded.",
        )
        .await;
    let receipt = browser.text(".receipt-line").await;
    assert!(receipt.starts_with("Acknowledged"), "{receipt}");
    browser.open("/tasks").await;
    assert!(
        browser
            .texts(&format!("a[href='{assignment_path}']"))
            .await
            .is_empty(),
        "nothing left to acknowledge"
    );

    browser.client.delete_all_cookies().await.expect("sign out");
    browser.open("/sign-in").await;
    browser.sign_in(&manager, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.open("/roles/raci").await;
    let columns = browser.texts("th.raci-role").await;
    assert!(
        columns
            .iter()
            .any(|c| c.starts_with("Risk owner") && c.contains("Rita Owner")),
        "the matrix names the holder under the role: {columns:?}"
    );
    browser.screenshot("role-raci").await;
    browser.finish().await;
}

/// The confidential channel end to end: someone who is not signed in reports a concern from the
/// link on the sign-in page and keeps the code shown once; a concern handler answers it; the
/// reporter types the code, reads the answer (not signed by the handler's name) and replies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concern_is_reported_anonymously_answered_and_read_with_the_code() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let handler = browser
        .account("handler", "Hanna Handler", &[Role::ConcernHandler])
        .await;

    browser.open("/sign-in").await;
    browser.click(".report-link a[href='/report']").await;
    browser.wait_for_location("/report").await;
    browser.wait_for_text("h1", "Report a concern").await;
    browser
        .find("#category")
        .await
        .select_by_value("security_incident")
        .await
        .expect("choose the category");
    browser
        .fill(
            "description",
            "The backup tapes are left on the reception desk overnight.",
        )
        .await;
    browser.screenshot("concern-report").await;
    browser.assert_console_clean("the report form", &[]).await;
    browser.click("form.report-form button[type=submit]").await;
    browser
        .wait_for_text("h1", "Your report was received")
        .await;
    let code = browser.text("#follow-up-code").await;
    assert_eq!(code.split('-').count(), 7, "grouped by four: {code}");
    browser.screenshot("concern-code").await;
    browser
        .assert_console_clean("the page with the code", &[])
        .await;

    browser.open("/sign-in").await;
    browser.sign_in(&handler, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    browser.open("/concerns").await;
    browser.screenshot("concern-list").await;
    browser.click("table.concern-table a").await;
    let concern_path = browser
        .wait_for_path("the concern's page", |p| {
            p.starts_with("/concerns/") && p != "/concerns/settings"
        })
        .await;
    assert!(
        browser
            .text(".concern-description")
            .await
            .contains("backup tapes"),
        "the handler reads the report"
    );
    let answer = "Thank you. The tapes now go to the safe every evening.";
    browser.fill("message", answer).await;
    browser.click("form.answer-form button[type=submit]").await;
    browser
        .wait_for_text(
            ".alert.success",
            "Your answer is sent: the reporter reads it with their code.",
        )
        .await;
    browser
        .wait_for_location(&format!("{concern_path}?flash=answered"))
        .await;
    browser.screenshot("concern-handler").await;
    browser
        .assert_console_clean("the answered concern", &[])
        .await;

    browser.client.delete_all_cookies().await.expect("sign out");
    browser.open("/report/follow-up").await;
    browser.fill("code", &code.to_lowercase()).await;
    browser
        .click("form.follow-up-form button[type=submit]")
        .await;
    browser.wait_for_text("h1", "Your report").await;
    assert_eq!(browser.text(".report-status").await, "acknowledged");
    assert_eq!(browser.texts(".message-body").await, [answer]);
    assert_eq!(browser.texts(".message-from").await, ["Concern handler"]);
    browser
        .fill("message", "They were there again on Friday night.")
        .await;
    browser.click("form.reply-form button[type=submit]").await;
    browser
        .wait_for_text(
            ".alert.success",
            "Your reply was sent. The handlers see it with your report.",
        )
        .await;
    assert_eq!(browser.texts(".message-body").await.len(), 2);
    browser.screenshot("concern-follow-up").await;
    browser.finish().await;
}

/// An auditor's first look: the conformance page offers to run an assessment, the run shows every
/// requirement of the catalog with its verdict and finding, and a requirement opens its history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auditor_runs_an_assessment_and_opens_a_requirement() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let email = browser
        .account("auditor", "Aude Auditor", &[Role::Auditor])
        .await;
    browser.open("/sign-in").await;
    browser.sign_in(&email, TEST_PASSWORD).await;
    browser.wait_for_location("/").await;
    let nav = browser.texts(".site-nav a").await;
    assert!(nav.contains(&"Conformance".to_owned()), "{nav:?}");

    browser.open("/conformance").await;
    browser.wait_for_text("h1", "Conformance").await;
    browser.find(".empty-state").await;
    browser.click(".empty-state button[type=submit]").await;
    browser
        .wait_for_text("#summary-title", "Latest assessment")
        .await;
    let requirements = browser.texts("li.requirement h3").await;
    let catalog = charter::domain::conformance::CATALOG;
    assert_eq!(requirements.len(), catalog.len(), "{requirements:?}");
    for requirement in catalog {
        assert!(
            requirements.iter().any(|r| r.starts_with(requirement.id)),
            "{} shown",
            requirement.id
        );
    }
    let badges = browser
        .texts("li.requirement .requirement-head .badge")
        .await;
    assert_eq!(badges.len(), catalog.len());
    // An empty organization: nothing is published, so the policy requirements fail, in words.
    assert!(badges.iter().any(|b| b == "nonconforming"), "{badges:?}");
    let findings = browser.texts("li.requirement .finding").await;
    assert!(findings.iter().all(|f| !f.trim().is_empty()));
    browser.screenshot("conformance").await;
    browser.assert_console_clean("the assessment", &[]).await;

    browser.click("li.requirement h3 a").await;
    browser
        .wait_for_path("a requirement page", |p| {
            p.starts_with("/conformance/requirements/")
        })
        .await;
    let heading = browser.text("h1").await;
    assert!(heading.starts_with(catalog[0].id), "{heading}");
    browser.find(".verdict-marks").await;
    browser.finish().await;
}
