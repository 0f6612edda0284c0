//! The whole application's router: every feature's routes, under one
//! middleware stack. The top of the house: it imports the features, and none of
//! them imports it.

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    middleware::{from_fn, from_fn_with_state},
};
use tower_http::{
    catch_panic::CatchPanicLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
};

use crate::{
    accounts, admin, agreements, applications, billing, brands, business, campaigns,
    collaborations, conversions, dashboard, disputes, documents, earnings,
    error::AppError,
    exports, feedback, finance, health, home, influencers, links, messages, notifications,
    partners, payouts, ratings, reports,
    state::AppState,
    tiers,
    web::{assets, context, csrf, headers, metrics},
};

/// Pages get the page context, CSRF checks and the 1 MiB body limit; health
/// checks, static files, tracked links and the API skip the session lookup
/// (the API authenticates with a brand's token instead).
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
        .merge(agreements::router())
        .merge(collaborations::router())
        .merge(ratings::router())
        .merge(messages::router())
        .merge(notifications::router())
        .merge(feedback::router())
        .merge(tiers::router())
        .merge(billing::routes::router())
        .merge(finance::routes::router())
        .merge(earnings::routes::router())
        .merge(business::router())
        .merge(partners::router())
        .merge(disputes::router())
        .merge(payouts::router())
        .merge(documents::router())
        .merge(conversions::routes::router())
        .merge(reports::router())
        .merge(exports::router())
        .fallback(|| async { AppError::NotFound })
        // Innermost first: a panic becomes a 500 that the context renders as a page.
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), csrf::verify))
        .layer(DefaultBodyLimit::max(csrf::BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(csrf::BODY_LIMIT))
        .layer(from_fn_with_state(state.clone(), context::middleware));

    // A store export is larger than a form: the upload streams it under its
    // own limit, with the pages' context and CSRF check.
    let uploads = conversions::routes::upload_router()
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), csrf::verify))
        .layer(from_fn_with_state(state.clone(), context::middleware));

    let app = Router::new()
        .merge(pages)
        .merge(uploads)
        .merge(health::router())
        .merge(links::router())
        .merge(conversions::api::router())
        .merge(assets::router());
    // Requests are counted only where metrics are served: nothing else reads them.
    let app = if state.config.metrics_addr.is_some() {
        app.layer(from_fn(metrics::track))
    } else {
        app
    };
    app.layer(from_fn_with_state(state.clone(), headers::middleware))
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
