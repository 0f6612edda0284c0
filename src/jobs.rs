//! Background jobs each instance runs beside serving: purging expired sessions,
//! old sign-in failures, reset links and sent mail, rescoring channels,
//! sending reminders, approving drafts a brand left unreviewed, taking the
//! agency's results snapshot and the console's queues, sealing the audit
//! trail's chain, emailing
//! notifications and sending the outbox. Every job is safe to run on several
//! instances at once.

use std::{sync::Arc, time::Duration};

use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;
use tokio::task::JoinHandle;

use crate::{
    accounts, audit, auth, billing,
    clicks::ClickQueue,
    collaborations::reviews::db::{self as reviews_db, Unreviewed},
    config::Config,
    conversions,
    db::{self, snapshot::Snapshot},
    domain::ReleaseOn,
    email, influencers, limits, metrics,
    notifications::{self, Kind, db::Note},
    reports,
    shutdown::{self, Stop, StopSender},
    tiers,
};

/// The running jobs, stopped together at shutdown.
pub struct Jobs {
    running: Vec<(&'static str, JoinHandle<()>)>,
    stop: StopSender,
}

impl Jobs {
    /// Starts every job on `pool`, which should be a background pool: jobs'
    /// statements may run longer than a request's, and they must not take the
    /// connections pages wait for.
    pub fn start(pool: &PgPool, config: &Config, sampled: Option<Sampled>) -> anyhow::Result<Jobs> {
        let mailer = match &config.smtp_url {
            Some(url) => Some(email::sender::Mailer::new(url, &config.mail_from)?),
            None => None,
        };
        let (sender, stop) = shutdown::channel();
        let p = || pool.clone();
        let s = || stop.clone();
        let mut running = vec![
            ("maintenance", tokio::spawn(maintenance(p(), s()))),
            ("rescoring", tokio::spawn(rescoring(p(), s()))),
            (
                "reminders",
                tokio::spawn(notifications::reminders::run(p(), s())),
            ),
            ("auto-approval", tokio::spawn(auto_approval(p(), s()))),
            (
                "results snapshot",
                tokio::spawn(reports::snapshot::run(p(), s())),
            ),
            (
                "queue snapshot",
                tokio::spawn(db::snapshot::run(p(), Snapshot::AgencyQueue, s())),
            ),
            (
                "track records snapshot",
                tokio::spawn(db::snapshot::run(p(), Snapshot::TrackRecords, s())),
            ),
            ("audit sealer", tokio::spawn(audit::chain::run(p(), s()))),
            (
                "notification email",
                tokio::spawn(notifications::email::run(
                    p(),
                    config.public_url.clone(),
                    s(),
                )),
            ),
            (
                "mail sender",
                tokio::spawn(email::sender::run(p(), mailer, s())),
            ),
        ];
        if let Some(sampled) = sampled {
            running.push((
                "metrics sampler",
                tokio::spawn(sample_metrics(p(), sampled, s())),
            ));
        }
        Ok(Jobs {
            running,
            stop: sender,
        })
    }

    /// Asks every job to stop after the round it is in and waits up to
    /// `limit` for them; a job still running then (a statement stuck on a
    /// database that is going away) is cut off, and its transaction rolls back.
    pub async fn stop(self, limit: Duration) {
        self.stop.stop();
        let deadline = tokio::time::Instant::now() + limit;
        for (name, mut job) in self.running {
            if tokio::time::timeout_at(deadline, &mut job).await.is_err() {
                tracing::warn!(job = name, "job did not stop in time: cut off");
                job.abort();
            }
        }
    }
}

/// What the metrics sampler reads besides the jobs' pool.
pub struct Sampled {
    /// The pool requests use, whose connections and waits it reports.
    pub requests: PgPool,
    /// This instance's click queue, whose length it reports.
    pub clicks: Arc<ClickQueue>,
    /// The recorder, which needs regular upkeep.
    pub handle: PrometheusHandle,
}

/// Every 5 s: each pool's connections and how long one takes to be handed
/// out, the click queue; every 15 s the database's queues (mail due, audit
/// events to seal) and the snapshots' ages.
async fn sample_metrics(pool: PgPool, sampled: Sampled, mut stop: Stop) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut round: u64 = 0;
    while stop.tick(&mut tick).await {
        for (name, p) in [("requests", &sampled.requests), ("jobs", &pool)] {
            metrics::sample_pool(name, p).await;
        }
        metrics::Backlog {
            waiting: sampled.clicks.waiting() as i64,
            oldest_seconds: 0.0,
        }
        .record("clicks");
        if round.is_multiple_of(3) {
            let sampled_queues = async {
                email::outbox::backlog(&pool).await?.record("outbox");
                audit::chain::backlog(&pool).await?.record("audit_seal");
                for (name, age) in db::snapshot::ages(&pool).await? {
                    ::metrics::gauge!(metrics::SNAPSHOT_AGE, "snapshot" => name).set(age);
                }
                Ok::<_, sqlx::Error>(())
            };
            if let Err(e) = sampled_queues.await {
                tracing::debug!(error = %e, "sampling queues for the metrics failed");
            }
        }
        sampled.handle.run_upkeep();
        round += 1;
    }
}

/// How long sent mail stays readable on the console.
const SENT_MAIL_KEPT_DAYS: i32 = 90;

/// Deletes expired sessions, stale sign-in failures, empty rate limit
/// buckets, the rows of old order uploads, old reset links and old sent mail
/// every ten minutes.
async fn maintenance(pool: PgPool, mut stop: Stop) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    while stop.tick(&mut tick).await {
        let mut ok = true;
        let mut failed = |what: &str, e: sqlx::Error| {
            tracing::warn!(error = %e, "purging {what} failed");
            ok = false;
        };
        match auth::session::purge_expired(&pool).await {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "purged expired sessions"),
            Ok(_) => {}
            Err(e) => failed("sessions", e),
        }
        if let Err(e) = accounts::throttle::purge_old(&pool).await {
            failed("login failures", e);
        }
        if let Err(e) = conversions::uploads::purge_stale(&pool).await {
            failed("stale order uploads", e);
        }
        if let Err(e) = limits::db::purge_empty(&pool).await {
            failed("rate limit buckets", e);
        }
        if let Err(e) = accounts::reset::purge_old(&pool).await {
            failed("old reset links", e);
        }
        match email::outbox::purge_sent(&pool, SENT_MAIL_KEPT_DAYS).await {
            Ok(n) if n > 0 => tracing::info!(messages = n, "purged old sent mail"),
            Ok(_) => {}
            Err(e) => failed("sent mail", e),
        }
        metrics::job_ran("maintenance", ok);
    }
}

/// Reassesses channels whose assessment is due: figures that turned stale
/// today, or every channel after the tier cut-offs changed. Works in batches
/// while there is work, then checks once a minute.
async fn rescoring(pool: PgPool, mut stop: Stop) {
    const BATCH: i64 = 200;
    let batch = async |pool: &PgPool| {
        // The cut-offs in force now: an admin may have changed them since.
        let scale = tiers::db::load(pool).await?;
        influencers::db::rescore_due(pool, &scale, BATCH).await
    };
    loop {
        let done = batch(&pool).await;
        metrics::job_ran("rescoring", done.is_ok());
        let pause = match done {
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
        if !stop.pause(pause).await {
            return;
        }
    }
}

/// Approves drafts whose brand stayed silent past the brief's review promise
/// and the agency's grace, releasing their share of the escrow: ghosting no
/// longer holds a creator's money. Checks every ten minutes.
async fn auto_approval(pool: PgPool, mut stop: Stop) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    while stop.tick(&mut tick).await {
        let done = approve_silent_drafts(&pool).await;
        metrics::job_ran("auto-approval", done.is_ok());
        match done {
            Ok(0) => {}
            Ok(n) => tracing::info!(drafts = n, "approved drafts their brands left unreviewed"),
            Err(e) => tracing::warn!(error = %e, "automatic approval failed"),
        }
    }
}

/// One pass of automatic approval; returns how many drafts it approved. Each
/// draft is its own transaction: approval, release and both notices together.
pub async fn approve_silent_drafts(pool: &PgPool) -> anyhow::Result<usize> {
    let terms = billing::terms::load(pool).await?;
    let due = reviews_db::unreviewed_past_grace(pool, terms.auto_approve_grace_days, 100).await?;
    let mut approved = 0;
    for u in &due {
        let mut tx = pool.begin().await?;
        if !reviews_db::approve_automatically(&mut tx, u)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?
        {
            continue;
        }
        let released =
            billing::escrow::release(&mut tx, u.deliverable_id, ReleaseOn::Approval, None).await?;
        let paid = released.map_or("nothing released".to_owned(), |r| {
            format!("{} released to the creator", r.payable)
        });
        let detail = format!(
            "A draft for {} waited past its review promise and the agency's grace: approved, {paid}",
            u.campaign_title
        );
        audit::Event::new(audit::Action::DeliverableAutoApproved, &detail)
            .on(u.deliverable_id)
            .record(&mut *tx)
            .await?;
        tell_both(&mut tx, u, released.map(|r| r.payable)).await?;
        tx.commit().await?;
        approved += 1;
    }
    Ok(approved)
}

async fn tell_both(
    tx: &mut sqlx::PgConnection,
    u: &Unreviewed,
    payable: Option<crate::domain::Money>,
) -> Result<(), sqlx::Error> {
    let link = format!("/deliverables/{}", u.deliverable_id);
    let paid = payable.map_or(String::new(), |p| {
        format!(" {p} of the fee is released to the creator.")
    });
    let to_brand = format!(
        "A draft for “{}” waited past your review promise and the agency's grace, so it was \
         approved automatically.{paid}",
        u.campaign_title
    );
    let note = |message| Note {
        kind: Kind::AutoApproved,
        subject: u.deliverable_id,
        message,
        link: &link,
    };
    notifications::db::to_brand(&mut *tx, u.brand_id, None, note(&to_brand)).await?;
    let to_creator = format!(
        "Your draft for “{}” was approved automatically: the brand did not review it in time.{}",
        u.campaign_title,
        payable.map_or(String::new(), |p| format!(
            " {p} is released and payable to you."
        ))
    );
    notifications::db::to_user(&mut *tx, u.creator_id, note(&to_creator)).await?;
    Ok(())
}
