//! Prometheus metrics: what an operator watches to see Liaison working.
//! Requests by route and status with their latency, the connection pools,
//! the background jobs and how far behind their queues are, mail sent and
//! failed, clicks queued, written and dropped, database outages and rate
//! limits. Recorded only when `LIAISON_METRICS_ADDR` is set (the recorder is
//! installed then; otherwise every record here is a no-op), and served on that
//! address alone, never on the public one.

use std::sync::OnceLock;

use metrics::{describe_counter, describe_gauge, describe_histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const HTTP_REQUESTS: &str = "liaison_http_requests_total";
pub const HTTP_DURATION: &str = "liaison_http_request_duration_seconds";
pub const DB_CONNECTIONS: &str = "liaison_db_pool_connections";
pub const DB_ACQUIRE: &str = "liaison_db_pool_acquire_seconds";
pub const DB_UNAVAILABLE: &str = "liaison_db_unavailable_total";
pub const JOB_RUNS: &str = "liaison_job_runs_total";
pub const JOB_LAST_SUCCESS: &str = "liaison_job_last_success_timestamp_seconds";
pub const QUEUE_LENGTH: &str = "liaison_queue_length";
pub const QUEUE_LAG: &str = "liaison_queue_lag_seconds";
pub const SNAPSHOT_AGE: &str = "liaison_snapshot_age_seconds";
pub const EMAILS_SENT: &str = "liaison_emails_sent_total";
pub const EMAILS_FAILED: &str = "liaison_emails_failed_total";
pub const CLICKS_QUEUED: &str = "liaison_clicks_queued_total";
pub const CLICKS_DROPPED: &str = "liaison_clicks_dropped_total";
pub const CLICKS_WRITTEN: &str = "liaison_clicks_written_total";
pub const CLICKS_LOST: &str = "liaison_clicks_lost_total";
pub const RATE_LIMITED: &str = "liaison_rate_limited_total";

/// Pages answer in milliseconds; the statement timeout ends anything at 15 s.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0,
];
/// A free connection is handed out in microseconds; the wait ends at 3 s.
const ACQUIRE_BUCKETS: &[f64] = &[0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 3.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs this process's recorder (once: later calls get the same
/// handle) and describes every metric.
pub fn install() -> anyhow::Result<PrometheusHandle> {
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.to_owned()), LATENCY_BUCKETS)?
        .set_buckets_for_metric(Matcher::Full(DB_ACQUIRE.to_owned()), ACQUIRE_BUCKETS)?
        .install_recorder()?;
    describe();
    Ok(HANDLE.get_or_init(|| handle).clone())
}

fn describe() {
    describe_counter!(
        HTTP_REQUESTS,
        "Requests answered, by route template, method and status."
    );
    describe_histogram!(
        HTTP_DURATION,
        metrics::Unit::Seconds,
        "Time to answer a request, by route template and method."
    );
    describe_gauge!(
        DB_CONNECTIONS,
        "Connections of each pool (requests, jobs), by state: in use, idle, and the most it opens."
    );
    describe_histogram!(
        DB_ACQUIRE,
        metrics::Unit::Seconds,
        "Time a connection took to be handed out, sampled every 5 s per pool: what a request waits at that moment."
    );
    describe_counter!(
        DB_UNAVAILABLE,
        "Queries that found the database unreachable, restarting or overloaded (answered 503)."
    );
    describe_counter!(
        JOB_RUNS,
        "Rounds of each background job, by outcome (ok, failed)."
    );
    describe_gauge!(
        JOB_LAST_SUCCESS,
        "When each background job last finished a round without error (Unix time)."
    );
    describe_gauge!(
        QUEUE_LENGTH,
        "Work waiting: mail due in the outbox, audit events to seal, clicks in this instance's queue."
    );
    describe_gauge!(
        QUEUE_LAG,
        metrics::Unit::Seconds,
        "Age of the oldest work waiting in each queue (0 when empty)."
    );
    describe_gauge!(
        SNAPSHOT_AGE,
        metrics::Unit::Seconds,
        "Age of each snapshot pages read instead of computing (results, console queues)."
    );
    describe_counter!(EMAILS_SENT, "Mail the SMTP server accepted.");
    describe_counter!(
        EMAILS_FAILED,
        "Mail attempts refused, by whether the refusal is permanent (then the message is given up)."
    );
    describe_counter!(
        CLICKS_QUEUED,
        "Clicks on tracked links put on this instance's queue."
    );
    describe_counter!(CLICKS_DROPPED, "Clicks dropped because the queue was full.");
    describe_counter!(CLICKS_WRITTEN, "Clicks written to the database.");
    describe_counter!(
        CLICKS_LOST,
        "Clicks given up on after their batch failed to be written for half a minute."
    );
    describe_counter!(RATE_LIMITED, "Requests refused by a rate limit, by limit.");
    // Shown at zero from the start, so an alert on them has a series to watch.
    for counter in [
        DB_UNAVAILABLE,
        EMAILS_SENT,
        CLICKS_QUEUED,
        CLICKS_DROPPED,
        CLICKS_WRITTEN,
        CLICKS_LOST,
    ] {
        metrics::counter!(counter).increment(0);
    }
    for permanent in ["true", "false"] {
        metrics::counter!(EMAILS_FAILED, "permanent" => permanent).increment(0);
    }
}

/// Work waiting in a queue: how much, and how long the oldest has waited.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Backlog {
    pub waiting: i64,
    pub oldest_seconds: f64,
}

impl Backlog {
    pub fn record(self, queue: &'static str) {
        metrics::gauge!(QUEUE_LENGTH, "queue" => queue).set(self.waiting as f64);
        metrics::gauge!(QUEUE_LAG, "queue" => queue).set(self.oldest_seconds.max(0.0));
    }
}

/// A pool's connections by state, and how long one takes to be handed out
/// now: what a request would wait.
pub async fn sample_pool(pool_name: &'static str, pool: &sqlx::PgPool) {
    let size = pool.size();
    let idle = pool.num_idle() as u32;
    let gauge = |state: &'static str, n: u32| {
        metrics::gauge!(DB_CONNECTIONS, "pool" => pool_name, "state" => state).set(f64::from(n));
    };
    gauge("in_use", size.saturating_sub(idle));
    gauge("idle", idle);
    gauge("max", pool.options().get_max_connections());
    let started = std::time::Instant::now();
    if pool.acquire().await.is_ok() {
        metrics::histogram!(DB_ACQUIRE, "pool" => pool_name)
            .record(started.elapsed().as_secs_f64());
    }
}

/// One round of a background job: counted by outcome, and its time noted
/// when it went well.
pub fn job_ran(job: &'static str, ok: bool) {
    let outcome = if ok { "ok" } else { "failed" };
    metrics::counter!(JOB_RUNS, "job" => job, "outcome" => outcome).increment(1);
    if ok {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        metrics::gauge!(JOB_LAST_SUCCESS, "job" => job).set(now);
    }
}
