//! The agency's console at `/admin`: accounts on both sides and the audit trail.

mod accounts;
mod audit;
mod db;
mod queues;
mod routes;

pub use db::{Overview, overview};

pub fn router() -> axum::Router<crate::state::AppState> {
    routes::router()
        .merge(audit::router())
        .merge(accounts::router())
        .merge(queues::router())
}
