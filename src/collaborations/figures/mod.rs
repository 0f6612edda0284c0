//! Post figures: what a published deliverable did (impressions, reach, views,
//! likes, comments, shares, saves), recorded by the creator as dated sets that
//! never change, checked by the brand, and judged against the engagement that
//! is normal for the platform and the creator's tier.

pub mod db;
pub mod domain;
mod routes;

pub use routes::router;
