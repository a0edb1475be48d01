//! What every handler shares: the store, the acknowledgment writer and the metrics registry.

use std::sync::Arc;

use time::{Date, OffsetDateTime};

use crate::acknowledger::Acknowledger;
use crate::store::Store;
use crate::telemetry::Metrics;

/// The application state handed to every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub metrics: Metrics,
    /// Whether cookies are marked `Secure` (served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// Writes acknowledgments in batches (group commit).
    pub acknowledger: Acknowledger,
    /// The address people use to reach Charter (`https://charter.example.com`), for links in
    /// emails; none means emails carry paths only.
    pub public_url: Option<Arc<str>>,
    /// The reporting channel's per-source limits: keyed hashes of client addresses, in memory
    /// for at most a minute, never stored or logged.
    pub concern_sources: crate::domain::concern::SourceLimiter,
    /// Signs the audit log's checkpoints (`serve` and `demo` load it from the key file); none
    /// means no checkpoint is made and audit packs cannot be exported.
    pub signer: Option<Arc<crate::audit_log::signer::CheckpointSigner>>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            acknowledger: Acknowledger::new(store.clone()),
            public_url: None,
            concern_sources: crate::domain::concern::SourceLimiter::new(),
            store,
            metrics: Metrics::install(),
            secure_cookies: false,
            trusted_proxies: Arc::new(Vec::new()),
            signer: None,
        }
    }
}

/// Today's date in UTC, the bound for departure dates.
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}
