//! Following a tracked link without waiting for the database: the link's
//! destination comes from a short-lived copy ([`LinkCache`]), and the click is
//! queued in memory ([`ClickQueue`]) for a writer that stores clicks in
//! batches, keeps each link's counts and the daily roll-up current in the same
//! transaction, and drains the queue at shutdown so none is lost. A full queue
//! never slows the redirect: the click is dropped, counted and logged.
//!
//! Below the features: the shared state holds one queue and one cache, and the
//! `links` feature's redirect uses them.

mod cache;
mod click;
mod losses;
mod queue;
mod visitor;
mod writer;

pub use cache::{Destination, LinkCache};
pub use click::Click;
pub use queue::{ClickQueue, ClickWriter};
pub use visitor::{VisitorKey, is_bot, referrer_host};
pub use writer::write_batch;

use std::sync::Arc;

/// What the redirect needs, one per instance.
pub struct Clicks {
    pub queue: Arc<ClickQueue>,
    pub links: LinkCache,
    pub visitors: VisitorKey,
}

impl Clicks {
    pub fn new(secret: &[u8]) -> Arc<Self> {
        Arc::new(Clicks {
            queue: ClickQueue::new(ClickQueue::CAPACITY),
            links: LinkCache::default(),
            visitors: VisitorKey::from_secret(secret),
        })
    }
}
