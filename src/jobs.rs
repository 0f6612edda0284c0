//! Background jobs each instance runs beside serving: purging expired sessions
//! and old sign-in failures, rescoring channels, and sending reminders. Every
//! job is safe to run on several instances at once.

use std::time::Duration;

use sqlx::PgPool;
use tokio::task::JoinHandle;

use crate::{accounts, auth, influencers, notifications, tiers};

/// The running jobs, stopped together at shutdown.
pub struct Jobs(Vec<JoinHandle<()>>);

impl Jobs {
    pub fn start(pool: &PgPool) -> Jobs {
        Jobs(vec![
            tokio::spawn(maintenance(pool.clone())),
            tokio::spawn(rescoring(pool.clone())),
            tokio::spawn(notifications::reminders::run(pool.clone())),
        ])
    }

    pub fn stop(self) {
        for job in self.0 {
            job.abort();
        }
    }
}

/// Deletes expired sessions and stale sign-in failures every ten minutes.
async fn maintenance(pool: PgPool) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        match auth::session::purge_expired(&pool).await {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "purged expired sessions"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "purging sessions failed"),
        }
        if let Err(e) = accounts::throttle::purge_old(&pool).await {
            tracing::warn!(error = %e, "purging login failures failed");
        }
    }
}

/// Reassesses channels whose assessment is due: figures that turned stale
/// today, or every channel after the tier cut-offs changed. Works in batches
/// while there is work, then checks once a minute.
async fn rescoring(pool: PgPool) {
    const BATCH: i64 = 200;
    let batch = async |pool: &PgPool| {
        // The cut-offs in force now: an admin may have changed them since.
        let scale = tiers::db::load(pool).await?;
        influencers::db::rescore_due(pool, &scale, BATCH).await
    };
    loop {
        let pause = match batch(&pool).await {
            Ok(n) if n as i64 == BATCH => Duration::ZERO,
            Ok(n) => {
                if n > 0 {
                    tracing::info!(channels = n, "rescored channels");
                }
                Duration::from_secs(60)
            }
            Err(e) => {
                tracing::warn!(error = %e, "rescoring channels failed");
                Duration::from_secs(60)
            }
        };
        tokio::time::sleep(pause).await;
    }
}
