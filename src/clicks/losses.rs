//! Clicks that could not be stored: counted, logged, and written as a count.

use std::{
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// How often dropped clicks are reported in the log while they go on.
const WARN_EVERY: Duration = Duration::from_secs(10);

#[derive(Default)]
pub(super) struct Losses {
    lost: AtomicU64,
    last_warning: Mutex<Option<Instant>>,
}

impl Losses {
    pub(super) fn count(&self, clicks: u64) {
        let total = self.lost.fetch_add(clicks, Ordering::Relaxed) + clicks;
        let mut last = self.last_warning.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_none_or(|at| at.elapsed() >= WARN_EVERY) {
            *last = Some(Instant::now());
            tracing::warn!(
                lost_since_start = total,
                "clicks are being dropped (queue full or database unreachable): counted, not stored"
            );
        }
    }

    /// Since this instance started.
    pub(super) fn total(&self) -> u64 {
        self.lost.load(Ordering::Relaxed)
    }
}
