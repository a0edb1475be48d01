//! Background jobs inside `serve`: every interval, the one instance holding the database lease adds
//! late joiners to campaigns, queues the day's reminders, tells requesters their exceptions
//! expired, delivers the outbox, and stores the daily assessment.

mod assessments;
mod checkpoints;

pub use assessments::{ASSESSMENT_INTERVAL, store_scheduled_assessment};

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use time::{Date, OffsetDateTime};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};

use crate::app::AppState;
use crate::campaign_actions::queue_scheduled_reminders;
use crate::domain::Actor;
use crate::domain::mail::{MailKind, NewMail};
use crate::domain::policy_exception::PolicyException;
use crate::mail::{DeliveryReport, Mailer, deliver_due};
use crate::store::StoreResult;

/// The lease that elects the instance running the jobs.
pub const LEASE_NAME: &str = "jobs";
/// Messages read from the outbox at a time.
const BATCH: i64 = 100;

/// How often the jobs run and who this instance is.
#[derive(Debug, Clone)]
pub struct JobSettings {
    pub interval: Duration,
    /// Unique per process: host name, process id and a random part.
    pub holder: String,
}

impl JobSettings {
    pub fn every(interval: Duration) -> Self {
        Self {
            interval,
            holder: default_holder(),
        }
    }

    /// The lease lasts three intervals, so a holder that misses one run keeps it, and one that
    /// stopped gives it up after three.
    fn lease_ttl(&self) -> time::Duration {
        time::Duration::try_from(self.interval * 3).unwrap_or(time::Duration::MINUTE)
    }
}

/// `<host>-<pid>-<random>`: two processes never share it, even on one host.
pub fn default_holder() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "charter".to_owned());
    let random = crate::auth::secret::random_secret();
    format!("{host}-{}-{}", std::process::id(), &random[..8])
}

/// What one run did, for logs and for whoever watches the runner.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    pub holder: String,
    /// This instance held the lease and ran the jobs.
    pub led: bool,
    pub started: Instant,
    pub finished: Instant,
    /// People added to open campaigns because they joined an audience.
    pub joined: u64,
    pub reminders_queued: u64,
    pub notices_queued: u64,
    pub delivery: DeliveryReport,
    /// Scheduled assessments stored (at most one a day).
    pub assessments_stored: u64,
}

/// Runs the jobs; clones share one runner.
#[derive(Clone)]
pub struct JobRunner {
    inner: Arc<Inner>,
}

struct Inner {
    state: AppState,
    mailer: Mailer,
    settings: JobSettings,
    reports: broadcast::Sender<RunReport>,
    stopping: AtomicBool,
}

impl JobRunner {
    pub fn new(state: AppState, mailer: Mailer, settings: JobSettings) -> Self {
        let (reports, _) = broadcast::channel(256);
        Self {
            inner: Arc::new(Inner {
                state,
                mailer,
                settings,
                reports,
                stopping: AtomicBool::new(false),
            }),
        }
    }

    /// Every run's report from now on (led or not).
    pub fn subscribe(&self) -> broadcast::Receiver<RunReport> {
        self.inner.reports.subscribe()
    }

    pub fn holder(&self) -> &str {
        &self.inner.settings.holder
    }

    /// Runs every interval until `shutdown` completes; a run under way finishes its current
    /// message first. A run that fails or panics is logged and the next one goes ahead.
    pub fn spawn(self, shutdown: impl Future<Output = ()> + Send + 'static) -> JoinHandle<()> {
        tracing::info!(
            holder = %self.holder(),
            interval_s = self.inner.settings.interval.as_secs_f64(),
            mail = %self.inner.mailer.describe(),
            "background jobs started"
        );
        tokio::spawn(self.run(shutdown))
    }

    async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) {
        tokio::pin!(shutdown);
        let mut ticker = tokio::time::interval(self.inner.settings.interval);
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                () = &mut shutdown => break,
                _ = ticker.tick() => {}
            }
            let runner = self.clone();
            let mut run = tokio::spawn(async move { runner.run_once().await });
            let outcome = tokio::select! {
                outcome = &mut run => outcome,
                () = &mut shutdown => {
                    self.inner.stopping.store(true, Ordering::SeqCst);
                    let outcome = run.await;
                    log_panic(outcome);
                    break;
                }
            };
            log_panic(outcome);
        }
        tracing::info!(holder = %self.holder(), "background jobs stopped");
    }

    /// One run: when this instance holds (or takes) the lease, each job in order.
    pub async fn run_once(&self) -> RunReport {
        let started = Instant::now();
        let mut report = RunReport {
            holder: self.holder().to_owned(),
            led: false,
            started,
            finished: started,
            joined: 0,
            reminders_queued: 0,
            notices_queued: 0,
            delivery: DeliveryReport::default(),
            assessments_stored: 0,
        };
        if self.hold_lease().await {
            report.led = true;
            let today = OffsetDateTime::now_utc().date();
            let store = &self.inner.state.store;
            report.joined = logged("adding late joiners to campaigns", async {
                store.sync_audiences(&Actor::system(), today).await
            })
            .await;
            report.reminders_queued = self.queue_reminders(today).await;
            report.notices_queued = logged(
                "telling requesters about expired exceptions",
                self.notify_expiries(today),
            )
            .await;
            report.delivery = self.deliver().await;
            report.assessments_stored = logged("storing the scheduled assessment", async {
                store_scheduled_assessment(store.as_ref(), OffsetDateTime::now_utc()).await
            })
            .await;
            checkpoints::sign_if_grown(&self.inner.state).await;
        }
        report.finished = Instant::now();
        let _ = self.inner.reports.send(report.clone());
        report
    }

    /// Takes or renews the lease; false (and a log line on error) when another instance has it.
    async fn hold_lease(&self) -> bool {
        let settings = &self.inner.settings;
        let taken = self
            .inner
            .state
            .store
            .take_lease(
                LEASE_NAME,
                &settings.holder,
                OffsetDateTime::now_utc(),
                settings.lease_ttl(),
            )
            .await;
        match taken {
            Ok(held) => held,
            Err(error) => {
                tracing::warn!(%error, "cannot take the background jobs lease; skipping this run");
                false
            }
        }
    }

    /// Today's scheduled reminders of every campaign not yet reminded today.
    async fn queue_reminders(&self, today: Date) -> u64 {
        let state = &self.inner.state;
        let campaigns = match state.store.campaigns_to_remind(today).await {
            Ok(campaigns) => campaigns,
            Err(error) => {
                tracing::warn!(%error, "cannot read the campaigns to remind");
                return 0;
            }
        };
        let mut queued = 0;
        for campaign in &campaigns {
            match queue_scheduled_reminders(state, campaign, today).await {
                Ok(count) => queued += count,
                Err(error) => {
                    tracing::warn!(campaign_id = %campaign.id, %error, "cannot queue the reminders of a campaign");
                }
            }
        }
        queued
    }

    /// Records the exceptions that lapsed and queues a notice to each requester.
    async fn notify_expiries(&self, today: Date) -> StoreResult<u64> {
        let store = &self.inner.state.store;
        let expired = store.record_exception_expiries(today).await?;
        let mut mails = Vec::with_capacity(expired.len());
        for exception in &expired {
            let requester = store.account(exception.requested_by).await?;
            if requester.is_active() {
                mails.push(expiry_notice(
                    exception,
                    requester.person_id,
                    &requester.email,
                    self.inner.state.public_url.as_deref(),
                ));
            }
        }
        store.queue_mail(&Actor::system(), &mails, None).await
    }

    /// Delivers the due outbox in batches, renewing the lease before each, one message at a time.
    async fn deliver(&self) -> DeliveryReport {
        let inner = &self.inner;
        let mut total = DeliveryReport::default();
        while !inner.stopping.load(Ordering::SeqCst) && self.hold_lease().await {
            let stop_at = Instant::now() + inner.settings.interval;
            let keep_going = || !inner.stopping.load(Ordering::SeqCst) && Instant::now() < stop_at;
            let now = OffsetDateTime::now_utc();
            match deliver_due(
                inner.state.store.as_ref(),
                &inner.mailer,
                now,
                BATCH,
                &keep_going,
            )
            .await
            {
                Ok(batch) => {
                    total.add(&batch);
                    if !batch.more {
                        break;
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot deliver the outbox");
                    break;
                }
            }
        }
        total
    }
}

/// The value of a job, or zero with a log line when it failed.
async fn logged(job: &str, work: impl Future<Output = StoreResult<u64>>) -> u64 {
    match work.await {
        Ok(count) => count,
        Err(error) => {
            tracing::warn!(%error, "background job failed: {job}");
            0
        }
    }
}

fn log_panic(outcome: Result<RunReport, tokio::task::JoinError>) {
    if let Err(error) = outcome {
        tracing::warn!(%error, "a background job run stopped unexpectedly");
    }
}

/// The notice telling a requester their exception lapsed; keyed by exception, so it goes once.
pub fn expiry_notice(
    exception: &PolicyException,
    person_id: uuid::Uuid,
    email: &str,
    public_url: Option<&str>,
) -> NewMail {
    let link = format!(
        "{}/policies/{}",
        public_url.unwrap_or("").trim_end_matches('/'),
        exception.policy_id
    );
    let until = exception
        .expires_on
        .map(|day| format!(" on {day}"))
        .unwrap_or_default();
    let body = format!(
        "Hello {name},\n\n\
         Your exception to \"{policy}\" ({scope}) expired{until}. The policy now applies in full.\n\n\
         If you still need an exception, request a renewal from the policy's page (you will be \
         asked to sign in):\n{link}\n\n\
         This notice was sent by Charter for your information security management system.\n",
        name = exception.requester_name,
        policy = exception.policy_title,
        scope = exception.scope,
    );
    NewMail {
        kind: MailKind::Notice,
        dedupe_key: format!("expired:{}", exception.id),
        to_person_id: Some(person_id),
        to_address: email.to_owned(),
        subject: format!("Your exception to {} has expired", exception.policy_title),
        body,
        campaign_id: None,
        communication_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_differ_between_runners_of_one_process() {
        let (a, b) = (default_holder(), default_holder());
        assert_ne!(a, b);
        assert!(a.contains(&format!("-{}-", std::process::id())), "{a}");
    }

    #[test]
    fn the_lease_outlives_two_missed_runs() {
        let settings = JobSettings::every(Duration::from_secs(30));
        assert_eq!(settings.lease_ttl(), time::Duration::seconds(90));
    }
}
