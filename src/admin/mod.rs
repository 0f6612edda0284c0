//! The agency's console at `/admin`: accounts on both sides and the audit trail.

mod db;
mod routes;

pub use db::{Overview, overview};
pub use routes::router;
