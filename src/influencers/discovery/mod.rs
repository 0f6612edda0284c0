//! Discovery: brands search creators by text and filter them by tier, platform,
//! niche, country, audience, price, authenticity, verification and openness.
//!
//! Pages are keyset-paginated: each page ends with a cursor (the last row's sort
//! value and id) and the next page starts after it, so page 500 costs what page
//! 1 does. Only profiles with at least one channel are listed.

pub mod db;
pub mod query;
mod routes;

pub use routes::router;
