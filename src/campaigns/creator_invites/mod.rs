//! Creator invitations: from discovery, a brand asks a creator to apply to one
//! of its open campaigns; the creator sees them on the dashboard.

pub mod db;
mod routes;

pub use routes::router;
