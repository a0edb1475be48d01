//! Email to a real SMTP server on loopback (tests/smtp_sink.py, aiosmtpd): a reminder arrives over
//! STARTTLS with authentication; a refused send stays queued with its reason; without a server
//! mail is held.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use charter::app::AppState;
use charter::domain::access::Role;
use charter::domain::campaign::{Campaign, CampaignAudience, CampaignInput, ReminderSchedule};
use charter::domain::mail::{MailKind, MailStatus, NewMail, OutboxFilter, OutboxMessage};
use charter::domain::policy::{Audience, PolicyInput, PolicyKind, Visibility};
use charter::domain::policy_version::{DraftInput, Transition};
use charter::domain::{Actor, PageRequest, Person};
use charter::jobs::{JobRunner, JobSettings};
use charter::mail::{MailSettings, Mailer, deliver_due};
use charter::store::Store;
use time::{Date, OffsetDateTime};

use crate::helpers::{TestDb, person_input, store_account};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// One message as the SMTP server received it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub subject: String,
    pub from: String,
    pub content_type: String,
    pub charset: Option<String>,
    pub body: String,
    pub tls: bool,
    pub authenticated: bool,
}

/// tests/smtp_sink.py running on a free loopback port; killed when dropped.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

/// How the sink is protected.
pub struct SinkOptions<'a> {
    /// STARTTLS required, with the localhost certificate of tests/fixtures.
    pub starttls: bool,
    /// AUTH required with this user and password.
    pub login: Option<(&'a str, &'a str)>,
}

impl SmtpSink {
    /// Starts the sink, or returns `None` with a notice when python3 or aiosmtpd is missing;
    /// under CI (`CI=true`) a missing one fails the test instead.
    pub fn start(options: SinkOptions<'_>) -> Option<Self> {
        let available = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !available {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "python3 with aiosmtpd is required in CI (python3 -m pip install aiosmtpd)"
            );
            eprintln!(
                "skipped: python3 with aiosmtpd is not installed (python3 -m pip install aiosmtpd)"
            );
            return None;
        }
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = dir.path().join("received.jsonl");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py");
        let mut command = Command::new("python3");
        command
            .arg(script)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if options.starttls {
            command
                .arg("--cert")
                .arg(fixture("localhost.crt"))
                .arg("--key")
                .arg(fixture("localhost.key"));
        }
        if let Some((user, password)) = options.login {
            command.args(["--user", user, "--password", password]);
        }
        let mut child = command.spawn().expect("the SMTP sink starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).ok();
            tx.send(line).ok();
        });
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the SMTP sink says it is ready");
        let port = line
            .trim()
            .strip_prefix("ready ")
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("the SMTP sink did not start: {line:?}"));
        Some(Self {
            child,
            port,
            out,
            _dir: dir,
        })
    }

    /// What arrived so far.
    pub fn received(&self) -> Vec<Received> {
        let text = std::fs::read_to_string(&self.out).unwrap_or_default();
        text.lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect()
    }

    /// Waits until at least `count` messages arrived (at most 30 s), and returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..300 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.received()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// A published policy and a campaign asking `names` to acknowledge it today, reminded on the
/// due date: every one of them is due a reminder now.
pub async fn campaign_due_today(store: &dyn Store, names: &[&str]) -> (Campaign, Vec<Person>) {
    let author = store_account(store, "Ines", &[Role::IsmsManager]).await;
    let boss = store_account(store, "Bruno", &[Role::TopManagement]).await;
    let input = PolicyInput {
        title: "Acceptable use".into(),
        kind: PolicyKind::TopicSpecific,
        owner_id: author.person_id,
        approver_role: Role::TopManagement,
        audience: Audience::Everyone,
        review_interval_months: 12,
        visibility: Visibility::Internal,
        visibility_rationale: String::new(),
        quorum: 1,
    };
    let draft = DraftInput {
        body: "# Acceptable use\n\nUse company devices for work.\n".into(),
        is_major: true,
        change_summary: String::new(),
    };
    let (_, version) = store
        .create_policy(&author, input, draft)
        .await
        .expect("policy");
    for (by, step, statement) in [
        (&author, Transition::Submit, ""),
        (&boss, Transition::Approve, "I approve."),
        (&author, Transition::Publish, ""),
    ] {
        store
            .transition_version(by, version.id, step, statement, today())
            .await
            .expect("the version moves on");
    }
    let mut people = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let email = format!("person{i}@example.com");
        let person = store
            .create_person(&Actor::cli(), person_input(name, &email), today())
            .await
            .expect("person");
        people.push(person);
    }
    let input = CampaignInput {
        version_id: version.id,
        title: None,
        audience: Some(CampaignAudience::People {
            person_ids: people.iter().map(|p| p.id).collect(),
        }),
        due_on: today(),
        statement: None,
        reminders: Some(ReminderSchedule {
            days_before: vec![],
            on_due_date: true,
            every_days_after: None,
        }),
    }
    .validate(today())
    .expect("valid campaign");
    let campaign = store
        .launch_campaign(&author, input, today())
        .await
        .expect("launched");
    (campaign, people)
}

fn mailer(smtp_url: Option<String>, ca_file: Option<PathBuf>) -> Mailer {
    Mailer::from_settings(&MailSettings {
        smtp_url,
        smtp_ca_file: ca_file,
        from: "Charter <charter@example.com>".into(),
    })
    .expect("a valid mail configuration")
}

pub async fn outbox(store: &dyn Store, filter: OutboxFilter) -> Vec<OutboxMessage> {
    store
        .list_outbox(&filter, PageRequest::new(Some(1), Some(100)))
        .await
        .expect("outbox")
        .items
}

async fn queue_notice(store: &dyn Store, key: &str, to: &str) -> OutboxMessage {
    let mail = NewMail {
        kind: MailKind::Notice,
        dedupe_key: key.into(),
        to_person_id: None,
        to_address: to.into(),
        subject: "A notice".into(),
        body: "Something of yours changed.\n".into(),
        campaign_id: None,
        communication_id: None,
    };
    let written = store
        .queue_mail(&Actor::system(), &[mail], None)
        .await
        .expect("queued");
    assert_eq!(written, 1);
    outbox(store, OutboxFilter::default())
        .await
        .into_iter()
        .find(|m| m.to_address == to)
        .expect("the queued message")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_reaches_a_real_smtp_server_over_starttls_with_authentication() {
    let Some(sink) = SmtpSink::start(SinkOptions {
        starttls: true,
        login: Some(("charter", "s3cret word")),
    }) else {
        return;
    };
    let db = TestDb::sqlite().await;
    let (campaign, people) = campaign_due_today(db.store.as_ref(), &["Zoë Durand"]).await;
    let mut state = AppState::new(db.store.clone());
    state.public_url = Some("https://charter.example.com/".into());
    let url = format!(
        "smtp://charter:s3cret%20word@127.0.0.1:{}?tls=required",
        sink.port
    );
    let mailer = mailer(Some(url), Some(fixture("test-ca.crt")));
    let runner = JobRunner::new(state, mailer, JobSettings::every(Duration::from_secs(1)));

    let report = runner.run_once().await;
    assert!(report.led, "a lone instance takes the lease");
    assert_eq!(report.reminders_queued, 1);
    assert_eq!((report.delivery.sent, report.delivery.failed), (1, 0));

    let received = sink.wait_for(1).await;
    assert_eq!(received.len(), 1, "{received:?}");
    let mail = &received[0];
    assert_eq!(mail.rcpt_tos, vec![people[0].email.clone()]);
    assert_eq!(mail.mail_from, "charter@example.com");
    assert_eq!(mail.from, "Charter <charter@example.com>");
    assert_eq!(
        mail.subject,
        format!("Please acknowledge: {}", campaign.policy_title)
    );
    assert_eq!(
        (mail.content_type.as_str(), mail.charset.as_deref()),
        ("text/plain", Some("utf-8"))
    );
    assert!(mail.body.contains("Hello Zoë Durand"), "{}", mail.body);
    let link = format!("https://charter.example.com/acknowledge/{}", campaign.id);
    assert!(mail.body.contains(&link), "{}", mail.body);
    assert!(mail.tls, "the session used STARTTLS");
    assert!(mail.authenticated, "the session authenticated");

    let rows = outbox(
        db.store.as_ref(),
        OutboxFilter {
            campaign_id: Some(campaign.id),
            ..OutboxFilter::default()
        },
    )
    .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, MailStatus::Sent);
    assert_eq!(rows[0].attempts, 1);
    assert!(rows[0].sent_at.is_some());

    let again = runner.run_once().await;
    assert_eq!(
        (again.reminders_queued, again.delivery.sent),
        (0, 0),
        "a second run the same day reminds nobody again"
    );
    assert_eq!(sink.received().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_send_stays_queued_with_its_reason_and_a_later_attempt() {
    let Some(sink) = SmtpSink::start(SinkOptions {
        starttls: true,
        login: Some(("charter", "right")),
    }) else {
        return;
    };
    let db = TestDb::sqlite().await;
    let queued = queue_notice(db.store.as_ref(), "notice:refused", "rex@example.com").await;
    let url = format!("smtp://charter:wrong@127.0.0.1:{}?tls=required", sink.port);
    let mailer = mailer(Some(url), Some(fixture("test-ca.crt")));
    let before = OffsetDateTime::now_utc();

    let report = deliver_due(db.store.as_ref(), &mailer, before, 100, &|| true)
        .await
        .expect("delivery ran");
    assert_eq!((report.sent, report.failed), (0, 1));

    let row = db.store.get_mail(queued.id).await.expect("row");
    assert_eq!(row.status, MailStatus::Queued, "kept for another attempt");
    assert_eq!(row.attempts, 1);
    let error = row.last_error.expect("the reason is recorded");
    assert!(error.contains("535"), "the server's refusal: {error}");
    assert!(!error.contains("wrong"), "never the password: {error}");
    assert!(row.next_attempt_at > before, "retried later, not at once");
    assert!(sink.received().is_empty());
    let due_again = deliver_due(db.store.as_ref(), &mailer, before, 100, &|| true)
        .await
        .expect("delivery ran");
    assert_eq!(due_again.failed, 0, "not due again before its backoff");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_listening_is_a_failed_attempt_not_a_lost_message() {
    let db = TestDb::sqlite().await;
    let queued = queue_notice(db.store.as_ref(), "notice:nobody", "nia@example.com").await;
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        listener.local_addr().expect("address").port()
    };
    let mailer = mailer(Some(format!("smtp://127.0.0.1:{port}")), None);
    let report = deliver_due(
        db.store.as_ref(),
        &mailer,
        OffsetDateTime::now_utc(),
        100,
        &|| true,
    )
    .await
    .expect("delivery ran");
    assert_eq!(report.failed, 1);
    let row = db.store.get_mail(queued.id).await.expect("row");
    assert_eq!((row.status, row.attempts), (MailStatus::Queued, 1));
    assert!(row.last_error.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_smtp_server_mail_is_held_for_an_admin() {
    let db = TestDb::sqlite().await;
    let queued = queue_notice(db.store.as_ref(), "notice:held", "hal@example.com").await;
    let mailer = mailer(None, None);
    let report = deliver_due(
        db.store.as_ref(),
        &mailer,
        OffsetDateTime::now_utc(),
        100,
        &|| true,
    )
    .await
    .expect("delivery ran");
    assert_eq!((report.held, report.sent, report.failed), (1, 0, 0));
    let row = db.store.get_mail(queued.id).await.expect("row");
    assert_eq!(row.status, MailStatus::Held);
    assert_eq!(row.body, "Something of yours changed.\n", "kept whole");
    let held = outbox(
        db.store.as_ref(),
        OutboxFilter {
            status: Some(MailStatus::Held),
            ..OutboxFilter::default()
        },
    )
    .await;
    assert_eq!(held.len(), 1, "an admin finds it in the outbox");
}

#[tokio::test]
async fn a_reminder_no_longer_needed_is_not_sent() {
    let db = TestDb::sqlite().await;
    let store = db.store.as_ref();
    let (campaign, people) = campaign_due_today(store, &["Ann Acknowledged", "Ben Pending"]).await;
    let pending = store
        .pending_people(campaign.id, &Default::default())
        .await
        .expect("pending people");
    let mails: Vec<NewMail> = pending
        .iter()
        .map(|person| {
            charter::campaign_actions::reminder_mail(
                MailKind::Reminder,
                &campaign,
                person,
                Some("https://charter.example.com"),
                today(),
            )
        })
        .collect();
    let queued = store.queue_mail(&Actor::system(), &mails, None).await;
    assert_eq!(queued.expect("queued"), 2);
    let ann = store
        .create_account(&Actor::cli(), people[0].id, None, &[Role::Staff])
        .await
        .expect("account");
    let receipt = store
        .acknowledge(&[charter::domain::campaign::AckRequest {
            campaign_id: campaign.id,
            account_id: ann.id,
            person_id: ann.person_id,
            version_id: campaign.version_id,
        }])
        .await
        .remove(0);
    assert!(
        receipt.is_ok(),
        "Ann acknowledged before the reminder went out"
    );

    let report = deliver_due(
        store,
        &mailer(None, None),
        OffsetDateTime::now_utc(),
        100,
        &|| true,
    )
    .await
    .expect("delivery ran");
    assert_eq!((report.withdrawn, report.held), (1, 1));
    let rows = outbox(store, OutboxFilter::default()).await;
    let status_of = |person: &Person| {
        rows.iter()
            .find(|m| m.to_person_id == Some(person.id))
            .map(|m| (m.status, m.last_error.clone()))
            .expect("a row per person")
    };
    assert_eq!(
        status_of(&people[0]),
        (
            MailStatus::Withdrawn,
            Some("the person acknowledged before it was sent".into())
        ),
        "Ann is not reminded of what she already did"
    );
    assert_eq!(
        status_of(&people[1]).0,
        MailStatus::Held,
        "Ben's reminder waits"
    );
}

#[test]
fn bad_mail_settings_stop_serve_before_it_starts_and_never_show_the_password() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let database = dir.path().join("charter.db");
    let serve = |extra: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_charter"));
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--database"])
            .arg(&database)
            .args(extra)
            .env_remove("CHARTER_SMTP_URL")
            .env("RUST_LOG", "warn");
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().expect("the binary runs")
    };
    let ca = fixture("test-ca.crt");
    let ca = ca.to_str().expect("utf-8 path");
    for (extra, env, expected) in [
        (
            &["--smtp-url", "http://mailer:s3cret@mail.example.com"][..],
            &[][..],
            "invalid --smtp-url",
        ),
        (
            &["--smtp-ca-file", "/nonexistent/ca.pem"][..],
            &[("CHARTER_SMTP_URL", "smtps://mailer:s3cret@mail.example.com")][..],
            "cannot read --smtp-ca-file",
        ),
        (
            &[
                "--smtp-url",
                "smtp://mailer:s3cret@127.0.0.1:2525",
                "--smtp-ca-file",
                ca,
            ][..],
            &[][..],
            "needs a TLS connection",
        ),
        (
            &["--mail-from", "nobody"][..],
            &[][..],
            "invalid --mail-from",
        ),
        (
            &["--public-url", "charter.example.com"][..],
            &[][..],
            "invalid --public-url",
        ),
    ] {
        let output = serve(extra, env);
        let text = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(2), "{extra:?}: {text}");
        assert!(text.contains(expected), "{extra:?}: {text}");
        assert_eq!(text.trim().lines().count(), 1, "one line: {text}");
        assert!(
            !text.contains("s3cret"),
            "the password is never shown: {text}"
        );
    }
    assert!(!database.exists(), "nothing was opened");
    let help = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["serve", "--help"])
        .env("CHARTER_SMTP_URL", "smtps://mailer:s3cret@mail.example.com")
        .output()
        .expect("help");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("CHARTER_SMTP_URL") && help.contains("CHARTER_JOB_INTERVAL"));
    assert!(!help.contains("s3cret"), "help hides the variable's value");
}
