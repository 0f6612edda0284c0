//! The in-memory queue between the redirect and the click writer.

use std::sync::{Arc, Mutex};

use sqlx::PgPool;
use tokio::{
    sync::{mpsc, oneshot, watch},
    task::JoinHandle,
};

use super::{
    click::{Click, Message},
    losses::Losses,
    writer,
};

pub struct ClickQueue {
    sender: mpsc::Sender<Message>,
    receiver: Mutex<Option<mpsc::Receiver<Message>>>,
    losses: Arc<Losses>,
}

impl ClickQueue {
    /// About two seconds of clicks at the redirect's top speed on one
    /// instance: enough to ride out a slow batch, small enough to cost a few
    /// megabytes.
    pub const CAPACITY: usize = 65_536;

    pub fn new(capacity: usize) -> Arc<Self> {
        let (sender, receiver) = mpsc::channel(capacity);
        Arc::new(ClickQueue {
            sender,
            receiver: Mutex::new(Some(receiver)),
            losses: Arc::default(),
        })
    }

    /// Queues a click without waiting. When the queue is full (or the writer
    /// has stopped) the click is lost: counted, stored as a count by the
    /// writer, and logged.
    pub fn record(&self, click: Click) {
        if self.sender.try_send(Message::Click(click)).is_err() {
            self.losses.count(1);
            metrics::counter!(crate::metrics::CLICKS_DROPPED).increment(1);
        } else {
            metrics::counter!(crate::metrics::CLICKS_QUEUED).increment(1);
        }
    }

    /// Clicks (and flushes) waiting for the writer now.
    pub fn waiting(&self) -> usize {
        self.sender.max_capacity() - self.sender.capacity()
    }

    /// Clicks dropped since this instance started.
    pub fn lost(&self) -> u64 {
        self.losses.total()
    }

    /// Waits until every click queued before the call has been written (or
    /// given up on). `false` when no writer is running.
    pub async fn flush(&self) -> bool {
        let (done, wait) = oneshot::channel();
        if self.sender.send(Message::Flush(done)).await.is_err() {
            return false;
        }
        wait.await.is_ok()
    }

    /// Starts the writer that empties the queue into `pool`. There is one
    /// writer per queue: later calls get `None`.
    pub fn start_writer(self: &Arc<Self>, pool: PgPool) -> Option<ClickWriter> {
        let receiver = self
            .receiver
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()?;
        let (stop, stopped) = watch::channel(false);
        let handle = tokio::spawn(writer::run(self.losses.clone(), receiver, pool, stopped));
        Some(ClickWriter { stop, handle })
    }
}

/// The running writer. Stopping it writes every click still queued first.
pub struct ClickWriter {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

impl ClickWriter {
    /// Stops taking clicks, writes the ones queued, and returns when done.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.handle.await {
            tracing::error!(error = %e, "the click writer ended abnormally");
        }
    }
}
