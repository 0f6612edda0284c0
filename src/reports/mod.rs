//! Reports: what each collaboration, campaign and brand spent (from the
//! ledger) and got back (impressions, engagements, clicks, conversions,
//! revenue), the ratios made from them with how each was computed, and the
//! same by creator tier with intervals, as pages, SVG charts and CSV.
//! Reports read the daily roll-ups and each post's latest figures, never raw
//! clicks.

mod agency;
pub mod chart;
pub mod db;
pub mod metrics;
mod routes;
pub mod snapshot;
pub mod stats;
pub mod tiers;

pub use routes::router;
