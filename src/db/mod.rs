//! The connection pools, the embedded migrations and the snapshots features
//! read instead of computing expensive answers on every page.

pub mod snapshot;

use std::{
    str::FromStr,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use sqlx::{
    Connection, Executor, PgPool,
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
};

/// Migrations are compiled into the binary. sqlx takes a PostgreSQL advisory lock
/// while it migrates, so several replicas starting at once apply each one once.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// What a pool's connections do, which decides how long they may wait and run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Answering requests: a page must never hang, so a statement is cancelled
    /// after [`REQUEST_STATEMENT_TIMEOUT`] and a wait for a connection ends
    /// after [`REQUEST_ACQUIRE_TIMEOUT`]; both answer 503 with `Retry-After`.
    Requests,
    /// Background jobs and the command line: snapshots, seeds and migrations
    /// may run long, and nobody is waiting on a page for them: no statement
    /// timeout, and half a minute to wait for a connection.
    Background,
}

/// Longer than any page's queries take at the benchmark's scale (the slowest is
/// well under a second), short enough that a request stuck behind a lock or a
/// runaway plan frees its connection before clients and load balancers give up.
pub const REQUEST_STATEMENT_TIMEOUT: Duration = Duration::from_secs(15);
/// While the database is down, connecting is refused at once and retried
/// until this passes: the 503 comes within it.
pub const REQUEST_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// A request's transaction left open (a bug, a task cut off) holds its locks
/// until PostgreSQL ends it.
const IDLE_IN_TRANSACTION_TIMEOUT: Duration = Duration::from_secs(60);

/// Connections idle longer than this are checked before use: the database may
/// have restarted while nobody asked anything.
const IDLE_CHECK_AFTER: Duration = Duration::from_secs(30);
/// After the database was seen unavailable, every connection taken from the
/// pool is checked for this long, so connections the restart broke are
/// replaced before a request uses them instead of each failing one request.
const CHECK_AFTER_TROUBLE: Duration = Duration::from_secs(30);

/// When this process last saw the database unavailable, in milliseconds since
/// the epoch (0: never).
static LAST_TROUBLE_MS: AtomicU64 = AtomicU64::new(0);

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Whether `e` means the database is unreachable, restarting or overloaded,
/// rather than the query being wrong. Seeing one turns on checking connections
/// before use for a while.
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    let unavailable = match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => is_unavailable_code(db.code().as_deref()),
        _ => false,
    };
    if unavailable {
        LAST_TROUBLE_MS.store(now_ms(), Ordering::Relaxed);
        metrics::counter!(crate::metrics::DB_UNAVAILABLE).increment(1);
    }
    unavailable
}

/// SQLSTATE classes 08 (connection exception) and 57P (operator intervention:
/// shutdown, restart) mean the database is going away; 57014 is a statement
/// cancelled by `statement_timeout`, and 53 is out of resources (too many
/// connections): all pass if the client tries again later.
fn is_unavailable_code(code: Option<&str>) -> bool {
    code.is_some_and(|c| c.starts_with("08") || c.starts_with("57") || c.starts_with("53"))
}

fn troubled_recently() -> bool {
    let last = LAST_TROUBLE_MS.load(Ordering::Relaxed);
    last != 0 && now_ms().saturating_sub(last) < CHECK_AFTER_TROUBLE.as_millis() as u64
}

/// The pool's settings for `work`, with the checks that let it recover from a
/// database restart by itself.
pub fn pool_options(max_connections: u32, work: Work) -> PgPoolOptions {
    let acquire = match work {
        Work::Requests => REQUEST_ACQUIRE_TIMEOUT,
        Work::Background => Duration::from_secs(30),
    };
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(acquire)
        // Pinging before every checkout costs a round trip per query (about 15%
        // of throughput), so only connections that may be broken are pinged: those
        // idle a while, and all of them for a while after an outage was seen. A
        // broken one is dropped and replaced.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for < IDLE_CHECK_AFTER && !troubled_recently() {
                    return Ok(true);
                }
                Ok(conn.ping().await.is_ok())
            })
        })
}

/// The connection settings for `work` on the database `url` names.
pub fn connect_options(url: &str, work: Work) -> Result<PgConnectOptions, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?;
    Ok(match work {
        Work::Requests => {
            let statement = format!("{}ms", REQUEST_STATEMENT_TIMEOUT.as_millis());
            let idle = format!("{}ms", IDLE_IN_TRANSACTION_TIMEOUT.as_millis());
            options.options([
                ("statement_timeout", statement.as_str()),
                ("idle_in_transaction_session_timeout", idle.as_str()),
            ])
        }
        // Seeds compute rows between statements of one long transaction.
        Work::Background => options,
    })
}

/// Connects, retrying for a while: in `docker compose up` the database may still be
/// starting when the app does.
pub async fn connect(url: &str, max_connections: u32, work: Work) -> anyhow::Result<PgPool> {
    let options = connect_options(url, work)?;
    let mut delay = Duration::from_millis(250);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        match pool_options(max_connections, work)
            .connect_with(options.clone())
            .await
        {
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

/// Applies the migrations not yet applied. A migration may rewrite a large
/// table, so it runs without the request pool's statement timeout, on a
/// connection closed afterwards.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    let mut conn = pool.acquire().await?.detach();
    conn.execute("set statement_timeout = 0").await?;
    MIGRATOR.run(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outages_restarts_timeouts_and_exhaustion_are_unavailable_and_mistakes_are_not() {
        for code in ["08006", "57P01", "57P03", "57014", "53300"] {
            assert!(is_unavailable_code(Some(code)), "{code}");
        }
        for code in ["23505", "23514", "40001", "42P01"] {
            assert!(!is_unavailable_code(Some(code)), "{code}");
        }
        assert!(!is_unavailable_code(None));
        assert!(is_unavailable(&sqlx::Error::PoolTimedOut));
        assert!(!is_unavailable(&sqlx::Error::RowNotFound));
    }
}
