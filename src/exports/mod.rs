//! The agency's CSV exports of accounts, campaigns, collaborations and
//! payments, streamed (`web::csv_stream`) so that half a million rows
//! download without being held in memory.

mod db;
mod routes;

pub use routes::router;
