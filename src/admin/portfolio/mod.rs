//! Agency staff and their portfolios: admins add staff, assign brands and
//! creators to managers and mark brands agency-managed; a manager's console
//! is their portfolio, and they work as an agency-managed brand of theirs
//! (the session then carries the brand until they stop).

pub mod db;
mod routes;

pub use routes::{dashboard, router};
