//! Logging: human-readable lines in development, JSON lines in production.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::Environment;

pub fn init(environment: Environment) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("liaison=info,tower_http=info,sqlx=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    // try_init: tests and repeated CLI calls may have installed a subscriber already.
    let _ = if environment.is_production() {
        registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true),
            )
            .try_init()
    } else {
        registry.with(fmt::layer().compact()).try_init()
    };
}
