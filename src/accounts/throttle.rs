//! Sign-in throttling, per account and per client address, kept in PostgreSQL so
//! that every instance behind a load balancer enforces the same limits.
//!
//! Failures are keyed by the normalized email as typed, whether or not an account
//! has it, so a throttled answer reveals nothing about which accounts exist.

use std::{net::IpAddr, time::Duration};

use sqlx::{PgExecutor, types::ipnetwork::IpNetwork};
use uuid::Uuid;

/// Failures counted over this window.
pub const WINDOW_MINUTES: i32 = 15;
/// Failed attempts on one email within the window before it is locked.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed attempts (and refused sign-ups) from one address within the window.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

/// How long the caller must wait, or `None` when it may try now.
pub async fn retry_after(
    db: impl PgExecutor<'_>,
    email: &str,
    ip: IpAddr,
) -> Result<Option<Duration>, sqlx::Error> {
    let row = sqlx::query!(
        r#"with recent as (
               select email, ip, attempted_at from login_failures
                where attempted_at > now() - make_interval(mins => $3)
                  and (email = $1 or ip = $2)
           ), by_email as (
               select count(*) as n, min(attempted_at) as oldest from recent where email = $1
           ), by_ip as (
               select count(*) as n, min(attempted_at) as oldest from recent where ip = $2
           )
           select by_email.n as "email_failures!", by_ip.n as "ip_failures!",
                  extract(epoch from (by_email.oldest + make_interval(mins => $3) - now()))::float8 as email_wait,
                  extract(epoch from (by_ip.oldest + make_interval(mins => $3) - now()))::float8 as ip_wait
             from by_email, by_ip"#,
        email,
        IpNetwork::from(ip),
        WINDOW_MINUTES,
    )
    .fetch_one(db)
    .await?;
    let mut wait: Option<f64> = None;
    if row.email_failures >= MAX_FAILURES_PER_ACCOUNT {
        wait = row.email_wait;
    }
    if row.ip_failures >= MAX_FAILURES_PER_ADDRESS {
        wait = match (wait, row.ip_wait) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(wait.map(|secs| Duration::from_secs(secs.max(1.0).ceil() as u64)))
}

pub async fn record_failure(
    db: impl PgExecutor<'_>,
    email: &str,
    ip: IpAddr,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into login_failures (id, email, ip) values ($1, $2, $3)",
        Uuid::now_v7(),
        email,
        IpNetwork::from(ip),
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A successful sign-in clears the account's count (not the address's).
pub async fn clear_account(db: impl PgExecutor<'_>, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from login_failures where email = $1", email)
        .execute(db)
        .await?;
    Ok(())
}

/// Old failures no longer count for anything.
pub async fn purge_old(db: impl PgExecutor<'_>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "delete from login_failures where attempted_at < now() - make_interval(mins => $1)",
        WINDOW_MINUTES
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
