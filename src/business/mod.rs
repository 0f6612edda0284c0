//! The creator's business desk (`/business`): every deal in one place by
//! stage (on Liaison and outside it), the hours they take and what those
//! hours earn, income by month with a forecast and an accountant's CSV,
//! prices with the evidence behind them, partner brands, and goals. It reads
//! roll-ups kept current by the database (see migration 0042), so five years
//! of history cost what a month does.

pub mod db;
pub mod domain;
pub mod progress;
mod routes;

pub use routes::router;
