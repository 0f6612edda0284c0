//! Serving: connect, migrate, start the background jobs, listen, and on SIGINT
//! or SIGTERM finish the requests in flight before stopping.

use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::{config::Config, db, jobs, routes, state::AppState};

/// Connects, migrates, and serves until SIGINT or SIGTERM, then finishes the
/// requests in flight before returning.
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
    let pool = db::connect(&config.database_url, config.db_max_connections).await?;
    db::migrate(&pool).await?;
    let listener = TcpListener::bind(config.addr).await?;
    let jobs = jobs::Jobs::start(&pool, &config)?;
    let state = AppState::new(pool.clone(), config);
    let click_writer = state.start_click_writer();
    let session_listener = state.spawn_session_listener();
    tracing::info!(
        addr = %listener.local_addr()?,
        startup_ms = started.elapsed().as_millis() as u64,
        "Liaison is listening"
    );
    axum::serve(
        listener,
        routes::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    // Requests are finished: nothing queues clicks any more.
    if let Some(writer) = click_writer {
        writer.stop().await;
    }
    jobs.stop();
    pool.close().await;
    session_listener.abort();
    tracing::info!("stopped");
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
