//! Sign-in throttling, kept in PostgreSQL so that every instance behind a load
//! balancer enforces the same limits. Failures are counted per account and client
//! address together, and per address alone: either refuses that address for a
//! while. Failures on an account from many addresses only slow attempts on it
//! down, so nobody can lock an owner out by guessing at their address.
//!
//! Failures are keyed by the normalized email as typed, whether or not an account
//! has it, so a throttled answer reveals nothing about which accounts exist.

use std::{net::IpAddr, time::Duration};

use sqlx::{PgExecutor, types::ipnetwork::IpNetwork};
use uuid::Uuid;

/// Failures counted over this window.
pub const WINDOW_MINUTES: i32 = 15;
/// Failed attempts on one email from one client address within the window before
/// that address must wait: guessing one account's password from one place.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed attempts (and refused sign-ups) from one address within the window,
/// whatever the accounts: guessing across accounts from one place.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// Failures on one email from every address after which each attempt on it is
/// slowed down, never refused: an owner must still get in while others guess.
pub const SLOW_AFTER_ACCOUNT_FAILURES: i64 = 10;
/// How much each failure past that adds to every attempt's wait, up to the most.
const SLOWDOWN_STEP: Duration = Duration::from_millis(250);
const MAX_SLOWDOWN: Duration = Duration::from_secs(3);

/// What an attempt to sign in must do first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// Go ahead.
    Go,
    /// Go ahead after this pause: the account is being guessed at from elsewhere.
    Slow(Duration),
    /// Refuse for this long: this address has failed too often.
    Wait(Duration),
}

impl Throttle {
    /// The failures that count for an attempt on `email` from one address: on
    /// that account from that address, from that address on any account, and on
    /// that account from anywhere; each with how long until its oldest expires.
    fn decide(pair: (i64, Option<f64>), address: (i64, Option<f64>), account: i64) -> Throttle {
        let wait = |(_, secs): (i64, Option<f64>)| secs.unwrap_or(1.0);
        let mut refuse: Option<f64> = None;
        if pair.0 >= MAX_FAILURES_PER_ACCOUNT {
            refuse = Some(wait(pair));
        }
        if address.0 >= MAX_FAILURES_PER_ADDRESS {
            refuse = Some(refuse.map_or(wait(address), |w| w.max(wait(address))));
        }
        if let Some(secs) = refuse {
            return Throttle::Wait(Duration::from_secs(secs.max(1.0).ceil() as u64));
        }
        let extra = account - SLOW_AFTER_ACCOUNT_FAILURES + 1;
        if extra > 0 {
            let pause = SLOWDOWN_STEP.saturating_mul(u32::try_from(extra).unwrap_or(u32::MAX));
            return Throttle::Slow(pause.min(MAX_SLOWDOWN));
        }
        Throttle::Go
    }

    /// Pauses for a slowed attempt; the wait of a refused one.
    pub async fn apply(self) -> Option<Duration> {
        match self {
            Throttle::Go => None,
            Throttle::Slow(pause) => {
                tokio::time::sleep(pause).await;
                None
            }
            Throttle::Wait(wait) => Some(wait),
        }
    }
}

/// What an attempt on `email` from `ip` must do first.
pub async fn check(
    db: impl PgExecutor<'_>,
    email: &str,
    ip: IpAddr,
) -> Result<Throttle, sqlx::Error> {
    let row = sqlx::query!(
        r#"with recent as (
               select email, ip, attempted_at from login_failures
                where attempted_at > now() - make_interval(mins => $3)
                  and (email = $1 or ip = $2)
           )
           select count(*) filter (where email = $1 and ip = $2) as "pair!",
                  extract(epoch from (min(attempted_at) filter (where email = $1 and ip = $2)
                                      + make_interval(mins => $3) - now()))::float8 as pair_wait,
                  count(*) filter (where ip = $2) as "address!",
                  extract(epoch from (min(attempted_at) filter (where ip = $2)
                                      + make_interval(mins => $3) - now()))::float8 as address_wait,
                  count(*) filter (where email = $1) as "account!"
             from recent"#,
        email,
        IpNetwork::from(ip),
        WINDOW_MINUTES,
    )
    .fetch_one(db)
    .await?;
    Ok(Throttle::decide(
        (row.pair, row.pair_wait),
        (row.address, row.address_wait),
        row.account,
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_that_failed_too_often_waits_but_an_account_is_only_slowed() {
        let fresh = (0, None);
        assert_eq!(Throttle::decide(fresh, fresh, 0), Throttle::Go);
        assert_eq!(
            Throttle::decide((5, Some(120.5)), (5, Some(120.5)), 5),
            Throttle::Wait(Duration::from_secs(121))
        );
        assert_eq!(
            Throttle::decide(fresh, (20, Some(30.0)), 0),
            Throttle::Wait(Duration::from_secs(30))
        );
        // Guessed at from everywhere else: this address still gets in, slowly.
        assert_eq!(Throttle::decide(fresh, fresh, 9), Throttle::Go);
        assert_eq!(
            Throttle::decide(fresh, fresh, 10),
            Throttle::Slow(Duration::from_millis(250))
        );
        assert_eq!(
            Throttle::decide(fresh, fresh, 1_000),
            Throttle::Slow(Duration::from_secs(3))
        );
    }
}
