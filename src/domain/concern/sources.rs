//! Sources: how many reports and replies one network address sent in the current minute, held
//! in memory only.
//!
//! The address itself is never stored, logged or kept: it is turned at once into an HMAC-SHA256
//! under a random key made for the minute, and that key and every hash made with it are dropped
//! when the minute ends (a task wakes to drop them even when nobody sends anything), so an
//! earlier minute's hashes cannot be recomputed from an address. At most `MAX_SOURCES` hashes
//! are held; a source beyond them in the same minute counts only against the limits across
//! everyone (the channel's settings).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

use rand::Rng;
use sha2::{Digest, Sha256};

/// How long a key, and the counts made under it, live.
pub const SOURCE_WINDOW: Duration = Duration::from_secs(60);
/// New reports one source may send per minute.
pub const REPORTS_PER_SOURCE: u32 = 5;
/// Replies one source may send per minute.
pub const REPLIES_PER_SOURCE: u32 = 20;
/// The most sources counted in one minute.
pub const MAX_SOURCES: usize = 10_000;

/// What a source sends: each has its own budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Report,
    Reply,
}

#[derive(Default)]
struct Counts {
    reports: u32,
    replies: u32,
}

struct Window {
    key: [u8; 32],
    started: Instant,
    /// `SOURCE_WINDOW`, shorter in tests.
    length: Duration,
    sources: HashMap<[u8; 32], Counts>,
}

impl Window {
    fn new(now: Instant, length: Duration) -> Self {
        let mut key = [0_u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self {
            key,
            started: now,
            length,
            sources: HashMap::new(),
        }
    }

    fn ends(&self) -> Instant {
        self.started + self.length
    }

    /// Starts a new minute (a new key, no counts) once the current one has ended.
    fn rotate_if_due(&mut self, now: Instant) {
        if now >= self.ends() {
            *self = Window::new(now, self.length);
        }
    }
}

/// The per-source limits of the reporting channel; cheap to clone (one shared window).
#[derive(Clone)]
pub struct SourceLimiter {
    window: Arc<Mutex<Window>>,
    sweeper: Arc<OnceLock<()>>,
}

impl Default for SourceLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl SourceLimiter {
    pub fn new() -> Self {
        Self::with_window(SOURCE_WINDOW)
    }

    fn with_window(length: Duration) -> Self {
        Self {
            window: Arc::new(Mutex::new(Window::new(Instant::now(), length))),
            sweeper: Arc::new(OnceLock::new()),
        }
    }

    /// Counts one send from `address`; `Err` with a sentence for the sender once the source's
    /// budget for the minute is spent (nothing is counted then).
    pub fn take(&self, address: &str, sent: Sent) -> Result<(), String> {
        self.sweeper
            .get_or_init(|| start_sweeper(Arc::downgrade(&self.window)));
        self.take_at(address, sent, Instant::now())
    }

    fn take_at(&self, address: &str, sent: Sent, now: Instant) -> Result<(), String> {
        let mut window = lock(&self.window);
        window.rotate_if_due(now);
        let source = keyed_hash(&window.key, address);
        if !window.sources.contains_key(&source) && window.sources.len() >= MAX_SOURCES {
            return Ok(());
        }
        let counts = window.sources.entry(source).or_default();
        let (count, limit) = match sent {
            Sent::Report => (&mut counts.reports, REPORTS_PER_SOURCE),
            Sent::Reply => (&mut counts.replies, REPLIES_PER_SOURCE),
        };
        if *count >= limit {
            return Err(refusal(sent));
        }
        *count += 1;
        Ok(())
    }

    /// How many sources are counted now (for tests).
    pub fn sources(&self) -> usize {
        lock(&self.window).sources.len()
    }
}

fn refusal(sent: Sent) -> String {
    let (limit, what) = match sent {
        Sent::Report => (REPORTS_PER_SOURCE, "reports"),
        Sent::Reply => (REPLIES_PER_SOURCE, "replies"),
    };
    format!(
        "{limit} {what} came from your network within a minute, the most it takes from one \
         place. Nothing was saved: please send it again in a minute."
    )
}

fn lock(window: &Mutex<Window>) -> MutexGuard<'_, Window> {
    // The counts are plain numbers: a panic elsewhere leaves them usable.
    window
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Drops each minute's key and counts when the minute ends, until the limiter is dropped.
/// Outside a runtime nothing is started; the next send drops them instead.
fn start_sweeper(window: Weak<Mutex<Window>>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    runtime.spawn(async move {
        loop {
            let Some(ends) = window.upgrade().map(|w| lock(&w).ends()) else {
                return;
            };
            tokio::time::sleep_until(ends.into()).await;
            match window.upgrade() {
                Some(w) => lock(&w).rotate_if_due(Instant::now()),
                None => return,
            }
        }
    });
}

/// HMAC-SHA256 of the address under the minute's key.
fn keyed_hash(key: &[u8; 32], address: &str) -> [u8; 32] {
    let mut inner_pad = [0x36_u8; 64];
    let mut outer_pad = [0x5c_u8; 64];
    for (i, byte) in key.iter().enumerate() {
        inner_pad[i] ^= byte;
        outer_pad[i] ^= byte;
    }
    let inner = Sha256::new()
        .chain_update(inner_pad)
        .chain_update(address.as_bytes())
        .finalize();
    Sha256::new()
        .chain_update(outer_pad)
        .chain_update(inner)
        .finalize()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_has_its_own_budgets_for_reports_and_replies() {
        let limiter = SourceLimiter::new();
        let now = Instant::now();
        for _ in 0..REPORTS_PER_SOURCE {
            assert!(limiter.take_at("203.0.113.9", Sent::Report, now).is_ok());
        }
        let refused = limiter.take_at("203.0.113.9", Sent::Report, now);
        assert!(refused.is_err_and(|m| m.contains("5 reports") && m.contains("in a minute")));
        assert!(
            limiter.take_at("203.0.113.9", Sent::Reply, now).is_ok(),
            "replies have their own budget"
        );
        assert!(
            limiter.take_at("198.51.100.7", Sent::Report, now).is_ok(),
            "another source is not held back"
        );
        for _ in 1..REPLIES_PER_SOURCE {
            assert!(limiter.take_at("203.0.113.9", Sent::Reply, now).is_ok());
        }
        assert!(limiter.take_at("203.0.113.9", Sent::Reply, now).is_err());
    }

    #[test]
    fn a_new_minute_brings_a_new_key_and_no_counts() {
        let limiter = SourceLimiter::new();
        let start = lock(&limiter.window).started;
        for _ in 0..REPORTS_PER_SOURCE {
            limiter
                .take_at("203.0.113.9", Sent::Report, start)
                .expect("within the budget");
        }
        let key = lock(&limiter.window).key;
        let almost = start + SOURCE_WINDOW - Duration::from_millis(1);
        assert!(
            limiter
                .take_at("203.0.113.9", Sent::Report, almost)
                .is_err()
        );
        let next = start + SOURCE_WINDOW;
        assert!(limiter.take_at("203.0.113.9", Sent::Report, next).is_ok());
        assert_eq!(limiter.sources(), 1, "the earlier minute is gone");
        assert_ne!(lock(&limiter.window).key, key, "a new key");
    }

    #[test]
    fn only_a_keyed_hash_is_held_and_the_map_is_bounded() {
        let limiter = SourceLimiter::new();
        let now = lock(&limiter.window).started;
        limiter
            .take_at("203.0.113.9", Sent::Report, now)
            .expect("counted");
        let window = lock(&limiter.window);
        let plain: [u8; 32] = Sha256::digest(b"203.0.113.9").into();
        assert!(!window.sources.contains_key(&plain), "not a plain hash");
        assert!(
            window
                .sources
                .contains_key(&keyed_hash(&window.key, "203.0.113.9"))
        );
        drop(window);
        for n in 0..MAX_SOURCES + 5 {
            let _ = limiter.take_at(&format!("10.{n}"), Sent::Report, now);
        }
        assert_eq!(limiter.sources(), MAX_SOURCES);
        assert!(
            limiter.take_at("192.0.2.1", Sent::Report, now).is_ok(),
            "beyond the bound a source counts only against the channel's limits"
        );
    }

    #[tokio::test]
    async fn an_idle_minute_is_dropped_all_the_same() {
        let length = Duration::from_millis(200);
        let limiter = SourceLimiter::with_window(length);
        limiter.take("203.0.113.9", Sent::Report).expect("counted");
        let key = lock(&limiter.window).key;
        assert_eq!(limiter.sources(), 1);
        tokio::time::sleep(length + Duration::from_millis(100)).await;
        assert_eq!(limiter.sources(), 0, "nothing held beyond the window");
        assert_ne!(lock(&limiter.window).key, key, "nor its key");
    }
}
