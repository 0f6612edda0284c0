//! The connection pool, the embedded migrations and the snapshots features
//! read instead of computing expensive answers on every page.

pub mod snapshot;

use std::time::Duration;

use sqlx::{PgPool, migrate::Migrator, postgres::PgPoolOptions};

/// Migrations are compiled into the binary. sqlx takes a PostgreSQL advisory lock
/// while it migrates, so several replicas starting at once apply each one once.
pub static MIGRATOR: Migrator = sqlx::migrate!();

pub fn pool_options(max_connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        // A request waiting longer than this for a connection gets the 503 page
        // rather than hanging while the database is down.
        .acquire_timeout(Duration::from_secs(3))
        // Pinging before every checkout costs a round trip per query (about 15% of
        // throughput). A connection broken by a database restart fails its next
        // query instead, which is answered with 503 and the connection discarded.
        .test_before_acquire(false)
}

/// Connects, retrying for a while: in `docker compose up` the database may still be
/// starting when the app does.
pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    let mut delay = Duration::from_millis(250);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        match pool_options(max_connections).connect(url).await {
            Ok(pool) => return Ok(pool),
            Err(e) if tokio::time::Instant::now() < deadline => {
                tracing::warn!(error = %e, "database not reachable yet, retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(4));
            }
            Err(e) => {
                return Err(anyhow::Error::new(e).context("could not connect to DATABASE_URL"));
            }
        }
    }
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await?;
    Ok(())
}
