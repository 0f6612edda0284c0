//! What the redirect queues for the writer.

use time::OffsetDateTime;
use tokio::sync::oneshot;
use uuid::Uuid;

/// One click, as the redirect saw it.
#[derive(Debug, Clone)]
pub struct Click {
    /// The click id handed on to the landing page.
    pub id: Uuid,
    pub link_id: Uuid,
    pub at: OffsetDateTime,
    pub visitor: [u8; 16],
    pub referrer_host: Option<String>,
    pub is_bot: bool,
}

pub(super) enum Message {
    Click(Click),
    /// Answered once every click queued before it is written.
    Flush(oneshot::Sender<()>),
}
