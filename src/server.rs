//! Serving: connect, migrate, start the background jobs, listen, and on SIGINT
//! or SIGTERM stop accepting, finish the requests in flight, write the queued
//! clicks and stop the jobs, within stated limits.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use tokio::{net::TcpListener, sync::watch};

use crate::{config::Config, db, jobs, routes, state::AppState, web};

/// The background jobs' own connections, apart from the ones requests use.
const JOB_CONNECTIONS: u32 = 4;

/// How long requests in flight at SIGTERM may take to finish. With
/// [`QUEUES_AND_JOBS_GRACE`] the process is gone within 30 seconds, the
/// grace period orchestrators give by default (Kubernetes' 30 s; Compose is
/// told the same in docker-compose.yml).
pub const REQUESTS_GRACE: Duration = Duration::from_secs(20);
/// How long the click queue and the background jobs may take to finish
/// after the last request.
pub const QUEUES_AND_JOBS_GRACE: Duration = Duration::from_secs(8);

/// Connects, migrates, and serves until SIGINT or SIGTERM, then stops
/// accepting, finishes the requests in flight, writes the queued clicks and
/// stops the jobs after their current round, each within its stated limit.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    if config.uses_development_secret() {
        tracing::warn!("LIAISON_SECRET is not set: using the development secret");
    }
    if config.environment.is_production() && config.uses_default_public_url() {
        tracing::warn!(
            public_url = %config.public_url,
            "LIAISON_PUBLIC_URL is not set: tracked links will name this machine's address"
        );
    }
    let pool = db::connect(
        &config.database_url,
        config.db_max_connections,
        db::Work::Requests,
    )
    .await?;
    // Migrations and the session listener hold a session of their own (an
    // advisory lock, LISTEN): straight to PostgreSQL when a pooler is in between.
    let sessions_pool = db::connect(config.session_database_url(), 1, db::Work::Background).await?;
    db::migrate(&sessions_pool).await?;
    let jobs_pool =
        db::connect(&config.database_url, JOB_CONNECTIONS, db::Work::Background).await?;
    let listener = TcpListener::bind(config.addr).await?;
    let metrics = match config.metrics_addr {
        Some(addr) => Some((crate::metrics::install()?, TcpListener::bind(addr).await?)),
        None => None,
    };
    let state = AppState::new(pool.clone(), config);
    let sampled = metrics.as_ref().map(|(handle, _)| jobs::Sampled {
        requests: pool.clone(),
        clicks: state.clicks.queue.clone(),
        handle: handle.clone(),
    });
    let jobs = jobs::Jobs::start(&jobs_pool, &state.config, sampled)?;
    let click_writer = state.start_click_writer();
    let session_listener = state.spawn_session_listener_on(sessions_pool.clone());
    tracing::info!(
        addr = %listener.local_addr()?,
        startup_ms = started.elapsed().as_millis() as u64,
        "Liaison is listening"
    );
    let (signalled, signal) = watch::channel(None::<Instant>);
    // Served until the process ends: the last scrape may come while stopping.
    if let Some((handle, metrics_listener)) = metrics {
        tracing::info!(addr = %metrics_listener.local_addr()?, "metrics are served at /metrics");
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics_listener, web::metrics::router(handle)).await {
                tracing::error!(error = %e, "serving metrics failed");
            }
        });
    }
    let mut overdue_signal = signal.clone();
    let serving = axum::serve(
        listener,
        routes::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        signalled.send_replace(Some(Instant::now()));
    });
    let requests_overdue = async move {
        let _ = overdue_signal.wait_for(Option::is_some).await;
        tokio::time::sleep(REQUESTS_GRACE).await;
    };
    tokio::select! {
        served = serving => served?,
        () = requests_overdue => tracing::warn!(
            grace_s = REQUESTS_GRACE.as_secs(),
            "requests still running after the grace period: stopping without them"
        ),
    }
    // Requests are finished: nothing queues clicks any more. The clicks and
    // the jobs finish side by side.
    let clicks = async {
        if let Some(writer) = click_writer
            && tokio::time::timeout(QUEUES_AND_JOBS_GRACE, writer.stop())
                .await
                .is_err()
        {
            tracing::error!("the click queue could not be written in time: its clicks are lost");
        }
    };
    tokio::join!(clicks, jobs.stop(QUEUES_AND_JOBS_GRACE));
    session_listener.abort();
    // Closing waits for connections still out; requests cut off by the grace
    // period may hold some, so it gets a moment and no more.
    let closing = async {
        tokio::join!(pool.close(), jobs_pool.close(), sessions_pool.close());
    };
    if tokio::time::timeout(Duration::from_secs(2), closing)
        .await
        .is_err()
    {
        tracing::warn!("database connections still in use at exit: closed with the process");
    }
    let since_signal = signal.borrow().map(|at| at.elapsed().as_millis() as u64);
    tracing::info!(shutdown_ms = since_signal, "stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
