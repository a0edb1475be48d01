//! Group commit for acknowledgments: requests that arrive while a batch is being written wait and
//! go together in the next transaction, so one fsync serves many readers under load while a lone
//! request is written at once.

use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};

use crate::domain::campaign::{AckReceipt, AckRequest};
use crate::store::{Store, StoreError, StoreResult};

/// The most acknowledgments written in one transaction.
const MAX_BATCH: usize = 512;

type Pending = (AckRequest, oneshot::Sender<StoreResult<AckReceipt>>);

/// Hands acknowledgments to one writer task; cheap to clone.
#[derive(Clone)]
pub struct Acknowledger {
    store: Arc<dyn Store>,
    queue: Arc<OnceLock<mpsc::Sender<Pending>>>,
}

impl Acknowledger {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            queue: Arc::new(OnceLock::new()),
        }
    }

    /// Writes one acknowledgment, in a batch with whatever else is waiting; answers once it is
    /// committed.
    pub async fn acknowledge(&self, request: AckRequest) -> StoreResult<AckReceipt> {
        let queue = self.queue.get_or_init(|| start_writer(self.store.clone()));
        let (answer, answered) = oneshot::channel();
        let stopped = || StoreError::Config("the acknowledgment writer has stopped".into());
        queue.send((request, answer)).await.map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?
    }
}

fn start_writer(store: Arc<dyn Store>) -> mpsc::Sender<Pending> {
    let (sender, mut receiver) = mpsc::channel::<Pending>(MAX_BATCH * 4);
    tokio::spawn(async move {
        let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
        while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
            let requests: Vec<AckRequest> = batch.iter().map(|(r, _)| r.clone()).collect();
            let results = store.acknowledge(&requests).await;
            for ((_, answer), result) in batch.drain(..).zip(results) {
                // The caller may have gone away (a dropped connection); the record stands.
                let _ = answer.send(result);
            }
        }
    });
    sender
}
