//! Wiring: the shared state, the router with its middleware stack, and the server.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    middleware::from_fn_with_state,
};
use sqlx::PgPool;
use tokio::net::TcpListener;
use tower_http::{
    catch_panic::CatchPanicLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
};

use crate::{
    accounts, admin, applications,
    auth::session_cache::{self, SessionCache},
    brands, campaigns, collaborations,
    config::Config,
    dashboard, db,
    error::AppError,
    feedback, health, home, influencers, messages, notifications, tiers,
    web::{assets, context, csrf, headers, signer::Signer},
};

/// Everything a handler may need. Cheap to clone; holds no per-user state, so any
/// number of instances can serve the same users.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub signer: Arc<Signer>,
    pub sessions: Arc<SessionCache>,
}

impl AppState {
    pub fn new(db: PgPool, config: Config) -> Self {
        let signer = Arc::new(Signer::new(&config.secret));
        AppState {
            db,
            config: Arc::new(config),
            signer,
            sessions: SessionCache::new(),
        }
    }

    /// Keeps the session cache in step with the database until the pool closes.
    /// Without it the cache stays off and every page reads its session.
    pub fn spawn_session_listener(&self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(session_cache::listen(
            self.db.clone(),
            self.sessions.clone(),
        ))
    }
}

/// The whole application. Pages get the page context, CSRF checks and the 1 MiB
/// body limit; health checks and static files skip the session lookup.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .merge(home::router())
        .merge(accounts::router())
        .merge(brands::router())
        .merge(campaigns::router())
        .merge(dashboard::router())
        .merge(admin::router())
        .merge(influencers::router())
        .merge(applications::router())
        .merge(collaborations::routes::router())
        .merge(messages::routes::router())
        .merge(notifications::routes::router())
        .merge(feedback::routes::router())
        .merge(tiers::routes::router())
        .fallback(|| async { AppError::NotFound })
        // Innermost first: a panic becomes a 500 that the context renders as a page.
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), csrf::verify))
        .layer(DefaultBodyLimit::max(csrf::BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(csrf::BODY_LIMIT))
        .layer(from_fn_with_state(state.clone(), context::middleware));

    Router::new()
        .merge(pages)
        .merge(health::router())
        .merge(assets::router())
        .layer(from_fn_with_state(state.clone(), headers::middleware))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                        request_id = %id,
                    )
                })
                // One line per request, with its status and latency, inside the span
                // that carries the request id.
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Connects, migrates, and serves until SIGINT or SIGTERM, then finishes the
/// requests in flight before returning.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    if config.uses_development_secret() {
        tracing::warn!("LIAISON_SECRET is not set: using the development secret");
    }
    let pool = db::connect(&config.database_url, config.db_max_connections).await?;
    db::migrate(&pool).await?;
    let listener = TcpListener::bind(config.addr).await?;
    let state = AppState::new(pool.clone(), config);
    let maintenance = tokio::spawn(maintenance(pool.clone()));
    let session_listener = state.spawn_session_listener();
    let rescoring = tokio::spawn(rescoring(pool.clone()));
    let reminders = tokio::spawn(notifications::reminders::run(pool.clone()));
    tracing::info!(
        addr = %listener.local_addr()?,
        startup_ms = started.elapsed().as_millis() as u64,
        "Liaison is listening"
    );
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    maintenance.abort();
    rescoring.abort();
    reminders.abort();
    pool.close().await;
    session_listener.abort();
    tracing::info!("stopped");
    Ok(())
}

/// Deletes expired sessions and stale sign-in failures every ten minutes.
async fn maintenance(pool: PgPool) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        match crate::auth::session::purge_expired(&pool).await {
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
    loop {
        let pause = match influencers::db::rescore_due(&pool, BATCH).await {
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
