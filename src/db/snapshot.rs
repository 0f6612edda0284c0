//! Snapshots: materialized views that features read instead of computing an
//! expensive answer on every page, each taken again in the background when it
//! is old enough (by the database's clock, which every instance shares) and
//! on request, by one instance at a time, concurrently with readers.

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::shutdown::Stop;

/// The snapshots, each a materialized view with a unique index and a row of
/// `report_snapshots` saying when it was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snapshot {
    /// Every collaboration's results, for the agency's report (migration 0034).
    AgencyResults,
    /// Every queue's rows but the figures to verify, which are read as they
    /// stand, each queue's count and the accounts of each kind, for the
    /// console (migrations 0040 and 0056).
    AgencyQueue,
    /// Each brand's track record: its reviews and pay against the brief's
    /// promise (migration 0047).
    TrackRecords,
}

impl Snapshot {
    pub fn name(self) -> &'static str {
        match self {
            Snapshot::AgencyResults => "agency_results",
            Snapshot::AgencyQueue => "agency_queue",
            Snapshot::TrackRecords => "track_records",
        }
    }

    /// How old it may grow before it is taken again.
    pub fn every(self) -> Duration {
        match self {
            Snapshot::AgencyResults => Duration::from_secs(600),
            // What is going wrong should show within a minute.
            Snapshot::AgencyQueue => Duration::from_secs(60),
            // A record of months moves little in ten minutes.
            Snapshot::TrackRecords => Duration::from_secs(600),
        }
    }

    /// The views it refreshes, in order (a later one may read an earlier).
    fn refresh_sql(self) -> &'static [&'static str] {
        match self {
            Snapshot::AgencyResults => &["refresh materialized view concurrently agency_results"],
            Snapshot::AgencyQueue => &[
                "refresh materialized view concurrently agency_queue_rows",
                "refresh materialized view concurrently agency_queue_counts",
                "refresh materialized view concurrently agency_account_totals",
            ],
            Snapshot::TrackRecords => {
                &["refresh materialized view concurrently brand_track_records"]
            }
        }
    }

    /// Our key among PostgreSQL's advisory locks: one instance refreshes at
    /// a time, the others skip their turn.
    fn lock(self) -> i64 {
        match self {
            Snapshot::AgencyResults => 0x4c49_4153_4e41_5053,
            Snapshot::AgencyQueue => 0x4c49_4153_5155_4555,
            Snapshot::TrackRecords => 0x4c49_4154_5245_4344,
        }
    }
}

/// Takes the snapshot again; `false` when another instance is taking it
/// right now. Readers keep reading the previous one meanwhile.
pub async fn refresh(db: &PgPool, snapshot: Snapshot) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let ours = sqlx::query_scalar!(
        r#"select pg_try_advisory_xact_lock($1) as "ours!""#,
        snapshot.lock()
    )
    .fetch_one(&mut *tx)
    .await?;
    if !ours {
        return Ok(false);
    }
    for statement in snapshot.refresh_sql() {
        sqlx::query(statement).execute(&mut *tx).await?;
    }
    sqlx::query!(
        "update report_snapshots set refreshed_at = now() where name = $1",
        snapshot.name()
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// How long to wait before trying again after a failure.
const RETRY: Duration = Duration::from_secs(60);

/// Takes the snapshot whenever it is old enough, until the server stops. A
/// new instance (a deploy, a second one behind the load balancer) waits for
/// the snapshot another took instead of taking it again at start.
pub async fn run(pool: PgPool, snapshot: Snapshot, mut stop: Stop) {
    loop {
        let wait = match due_in(&pool, snapshot).await {
            Ok(wait) if !wait.is_zero() => wait,
            Ok(_) => match refresh(&pool, snapshot).await {
                Ok(_) => {
                    crate::metrics::job_ran(snapshot.name(), true);
                    snapshot.every()
                }
                Err(e) => {
                    crate::metrics::job_ran(snapshot.name(), false);
                    tracing::warn!(error = %e, snapshot = snapshot.name(), "taking a snapshot failed");
                    RETRY
                }
            },
            Err(e) => {
                crate::metrics::job_ran(snapshot.name(), false);
                tracing::warn!(error = %e, snapshot = snapshot.name(), "reading when a snapshot was taken failed");
                RETRY
            }
        };
        if !stop.pause(wait).await {
            return;
        }
    }
}

/// How long until the snapshot is old enough to take again (zero when it is).
pub async fn due_in(db: &PgPool, snapshot: Snapshot) -> Result<Duration, sqlx::Error> {
    let every = snapshot.every().as_secs_f64();
    let seconds = sqlx::query_scalar!(
        r#"select extract(epoch from refreshed_at + make_interval(secs => $1) - now())::float8 as "s!"
             from report_snapshots where name = $2"#,
        every,
        snapshot.name()
    )
    .fetch_one(db)
    .await?;
    Ok(Duration::from_secs_f64(seconds.clamp(0.0, every)))
}

/// When the snapshot was taken.
pub async fn taken_at(
    db: impl sqlx::PgExecutor<'_>,
    snapshot: Snapshot,
) -> Result<OffsetDateTime, sqlx::Error> {
    sqlx::query_scalar!(
        "select refreshed_at from report_snapshots where name = $1",
        snapshot.name()
    )
    .fetch_one(db)
    .await
}

/// How old each snapshot is, by name, for the metrics.
pub async fn ages(db: &PgPool) -> Result<Vec<(String, f64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select name, extract(epoch from now() - refreshed_at)::float8 as "age!"
             from report_snapshots"#
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.name, r.age)).collect())
}
