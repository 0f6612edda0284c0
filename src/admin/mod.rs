//! The agency's console at `/admin`: accounts on both sides, the queues of
//! what is going wrong, the audit trail and the outbox.

mod accounts;
mod audit;
mod db;
mod outbox;
pub mod portfolio;
mod queues;
mod routes;

pub use db::{Overview, overview};

pub fn router() -> axum::Router<crate::state::AppState> {
    routes::router()
        .merge(audit::router())
        .merge(accounts::router())
        .merge(queues::router())
        .merge(outbox::router())
        .merge(portfolio::router())
}
