//! Two instances on one PostgreSQL database run the background jobs against one SMTP server: the
//! lease lets one run at a time, every reminder arrives exactly once, and when the running
//! instance stops the other takes over.

use std::collections::HashSet;
use std::time::Duration;

use charter::app::AppState;
use charter::domain::Actor;
use charter::domain::mail::{MailKind, MailStatus, NewMail, OutboxFilter};
use charter::jobs::{JobRunner, JobSettings, RunReport};
use charter::mail::{MailSettings, Mailer};
use charter::store::Store;
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinHandle;

use crate::helpers::TestDb;
use crate::mail_smtp::{SinkOptions, SmtpSink, campaign_due_today, outbox};

/// One `charter serve` as far as the jobs go: its own pool, mailer and runner.
struct Instance {
    reports: broadcast::Receiver<RunReport>,
    runs: Vec<RunReport>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Instance {
    fn start(store: std::sync::Arc<dyn Store>, smtp_port: u16) -> Self {
        let mailer = Mailer::from_settings(&MailSettings {
            smtp_url: Some(format!("smtp://127.0.0.1:{smtp_port}")),
            smtp_ca_file: None,
            from: "charter@example.com".into(),
        })
        .expect("mailer");
        let runner = JobRunner::new(
            AppState::new(store),
            mailer,
            JobSettings::every(Duration::from_secs(1)),
        );
        let reports = runner.subscribe();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = runner.spawn(async {
            stopped.await.ok();
        });
        Self {
            reports,
            runs: Vec::new(),
            stop,
            task,
        }
    }

    /// The runs reported so far.
    fn runs(&mut self) -> &[RunReport] {
        while let Ok(report) = self.reports.try_recv() {
            self.runs.push(report);
        }
        &self.runs
    }

    fn led(&mut self) -> bool {
        self.runs().iter().any(|run| run.led)
    }

    fn sent(&mut self) -> u64 {
        self.runs().iter().map(|run| run.delivery.sent).sum()
    }

    /// Stops the runner (it finishes the run under way) and returns every run it reported.
    async fn stop(self) -> Vec<RunReport> {
        let Self {
            mut reports,
            mut runs,
            stop,
            task,
        } = self;
        stop.send(()).ok();
        tokio::time::timeout(Duration::from_secs(30), task)
            .await
            .expect("the runner stops")
            .expect("the runner did not panic");
        while let Ok(report) = reports.try_recv() {
            runs.push(report);
        }
        runs
    }
}

/// No two runs that held the lease overlap in time, whichever instance ran them.
fn assert_one_holder_at_a_time(runs: &[RunReport]) {
    let mut led: Vec<&RunReport> = runs.iter().filter(|run| run.led).collect();
    led.sort_by_key(|run| run.started);
    for pair in led.windows(2) {
        assert!(
            pair[0].finished <= pair[1].started,
            "{} and {} ran the jobs at the same time",
            pair[0].holder,
            pair[1].holder
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_send_each_reminder_once() {
    let Some(sink) = SmtpSink::start(SinkOptions {
        starttls: false,
        login: None,
    }) else {
        return;
    };
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let names: Vec<String> = (0..12).map(|i| format!("Person {i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (campaign, people) = campaign_due_today(db.store.as_ref(), &names).await;
    let second_pool = charter::store::open(&db.location)
        .await
        .expect("a second instance opens the same database");

    let mut first = Instance::start(db.store.clone(), sink.port);
    let second = Instance::start(second_pool.clone(), sink.port);
    let arrived = sink.wait_for(people.len()).await;
    assert_eq!(arrived.len(), people.len(), "every reminder arrived");
    tokio::time::sleep(Duration::from_secs(3)).await;

    let received = sink.received();
    assert_eq!(received.len(), people.len(), "no reminder arrived twice");
    let recipients: HashSet<&str> = received
        .iter()
        .flat_map(|mail| mail.rcpt_tos.iter().map(String::as_str))
        .collect();
    let expected: HashSet<&str> = people.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(recipients, expected);
    let rows = outbox(
        db.store.as_ref(),
        OutboxFilter {
            campaign_id: Some(campaign.id),
            ..OutboxFilter::default()
        },
    )
    .await;
    assert_eq!(rows.len(), people.len(), "one outbox row per person");
    assert!(rows.iter().all(|row| row.status == MailStatus::Sent));
    assert!(rows.iter().all(|row| row.attempts == 1), "{rows:?}");

    // The instance holding the lease stops; the other takes over once the lease lapses.
    let (mut leader, mut follower) = if first.led() {
        (first, second)
    } else {
        (second, first)
    };
    assert!(leader.led(), "one instance ran the jobs");
    assert!(
        !follower.led(),
        "only one instance ran the jobs while both were up"
    );
    assert_eq!(leader.sent(), people.len() as u64);
    let leader_runs = leader.stop().await;
    let late = NewMail {
        kind: MailKind::Notice,
        dedupe_key: "notice:after-failover".into(),
        to_person_id: None,
        to_address: "late@example.com".into(),
        subject: "After the first instance stopped".into(),
        body: "Delivered by whichever instance runs the jobs now.\n".into(),
        campaign_id: None,
        communication_id: None,
    };
    db.store
        .queue_mail(&Actor::system(), &[late], None)
        .await
        .expect("queued");
    let arrived = sink.wait_for(people.len() + 1).await;
    assert_eq!(
        arrived.len(),
        people.len() + 1,
        "the remaining instance delivers"
    );
    let follower_runs = follower.stop().await;
    let taken_over: u64 = follower_runs.iter().map(|run| run.delivery.sent).sum();
    assert_eq!(taken_over, 1, "the other instance took over the lease");
    let mut runs = leader_runs;
    runs.extend(follower_runs);
    assert_one_holder_at_a_time(&runs);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        sink.received().len(),
        people.len() + 1,
        "nothing arrived twice"
    );
}
