//! The shared state every handler and middleware receives: the database pool,
//! the configuration, the signing key, this instance's session copies, and
//! its link copies and click queue.
//! Features depend on this file; it depends on no feature.

use std::sync::Arc;

use sqlx::PgPool;

use crate::{
    auth::{
        session_cache::{self, SessionCache},
        signer::Signer,
    },
    clicks::Clicks,
    config::Config,
    limits::local::LocalLimits,
};

/// Everything a handler may need. Cheap to clone; holds no per-user state, so any
/// number of instances can serve the same users.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub signer: Arc<Signer>,
    pub sessions: Arc<SessionCache>,
    /// The link copies and click queue behind `/r/{code}`.
    pub clicks: Arc<Clicks>,
    /// The conversions API's rate limits, counted on this instance.
    pub api_limits: Arc<LocalLimits>,
}

impl AppState {
    pub fn new(db: PgPool, config: Config) -> Self {
        let signer = Arc::new(Signer::new(&config.secret));
        let clicks = Clicks::new(&config.secret);
        AppState {
            clicks,
            db,
            config: Arc::new(config),
            signer,
            sessions: SessionCache::new(),
            api_limits: Arc::default(),
        }
    }

    /// Starts writing queued clicks to the database; stop it after serving
    /// ends so the last clicks are written.
    pub fn start_click_writer(&self) -> Option<crate::clicks::ClickWriter> {
        self.clicks.queue.start_writer(self.db.clone())
    }

    /// Keeps the session cache in step with the database until the pool closes.
    /// Without it the cache stays off and every page reads its session.
    pub fn spawn_session_listener(&self) -> tokio::task::JoinHandle<()> {
        self.spawn_session_listener_on(self.db.clone())
    }

    /// The same, listening through `pool`: `LISTEN` needs a session of its
    /// own, which a pooler in transaction mode does not give.
    pub fn spawn_session_listener_on(&self, pool: PgPool) -> tokio::task::JoinHandle<()> {
        tokio::spawn(session_cache::listen(pool, self.sessions.clone()))
    }
}
