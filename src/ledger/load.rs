//! A write load on the ledger, for `scripts/bench`: concurrent writers posting
//! holds and refunds between brands' funds and collaborations' escrow, each
//! transfer its own transaction (one statement, committed on its own, durably),
//! then the whole ledger verified.

use std::time::{Duration, Instant};

use sqlx::PgPool;
use uuid::Uuid;

use super::{AccountRef, IdempotencyKey, NewTransfer, TransferKind, db, verify};
use crate::domain::{Currency, Money};

/// What the load measured.
#[derive(Debug)]
pub struct LoadReport {
    pub transfers: usize,
    pub writers: usize,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p99: Duration,
    pub sound: bool,
}

impl LoadReport {
    pub fn per_second(&self) -> f64 {
        self.transfers as f64 / self.elapsed.as_secs_f64()
    }
}

/// Funds up to 200 brands, then has `writers` tasks post `transfers` in all:
/// each holds an amount from a brand's funds in a collaboration's escrow and
/// refunds it, so balances never run out and accounts are shared as in life.
pub async fn run(pool: &PgPool, writers: usize, transfers: usize) -> anyhow::Result<LoadReport> {
    let brands: Vec<Uuid> = sqlx::query_scalar!("select id from brands order by id limit 200")
        .fetch_all(pool)
        .await?;
    let applications: Vec<Uuid> =
        sqlx::query_scalar!("select id from applications order by id limit 2000")
            .fetch_all(pool)
            .await?;
    anyhow::ensure!(
        !brands.is_empty() && !applications.is_empty(),
        "the ledger load needs brands and applications: seed them first"
    );
    let usd = |minor| Money::from_minor(minor, Currency::Usd);
    for brand in &brands {
        let mut tx = pool.begin().await?;
        let funding = NewTransfer::moving(
            TransferKind::Funding,
            IdempotencyKey::new(),
            usd(1_000_000_000),
            AccountRef::cash_received(Currency::Usd),
            AccountRef::brand_funds(*brand, Currency::Usd),
        )
        .asking("load: funding");
        db::post(&mut tx, &funding).await?;
        tx.commit().await?;
    }

    let start = Instant::now();
    let mut tasks = Vec::with_capacity(writers);
    for w in 0..writers {
        let (pool, brands, applications) = (pool.clone(), brands.clone(), applications.clone());
        let count = transfers / writers + usize::from(w < transfers % writers);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(count);
            for i in 0..count {
                // Each pair of transfers holds an amount, then refunds it: the
                // escrow never runs dry and the funds never run out.
                let n = w
                    .wrapping_mul(7919)
                    .wrapping_add((i / 2).wrapping_mul(104_729));
                let brand = AccountRef::brand_funds(brands[n % brands.len()], Currency::Usd);
                let escrow =
                    AccountRef::escrow(applications[n % applications.len()], Currency::Usd);
                let (kind, from, to) = if i % 2 == 0 {
                    (TransferKind::Hold, brand, escrow)
                } else {
                    (TransferKind::Refund, escrow, brand)
                };
                let transfer =
                    NewTransfer::moving(kind, IdempotencyKey::new(), usd(10_000), from, to)
                        .asking("load");
                let began = Instant::now();
                // Posting is one statement: on its own it is its own
                // transaction, committed when it ends.
                let mut conn = pool.acquire().await?;
                db::post(&mut conn, &transfer).await?;
                drop(conn);
                latencies.push(began.elapsed());
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Vec::with_capacity(transfers);
    for task in tasks {
        latencies.extend(task.await??);
    }
    let elapsed = start.elapsed();
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let report = verify::verify(pool).await?;
    Ok(LoadReport {
        transfers: latencies.len(),
        writers,
        elapsed,
        p50: at(0.50),
        p99: at(0.99),
        sound: report.is_sound(),
    })
}
