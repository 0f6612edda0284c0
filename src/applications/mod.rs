//! Applications: an influencer applies to a campaign with a pitch and a fee;
//! the brand shortlists, accepts or declines; the influencer may withdraw and
//! confirms each new version of the brief.

pub mod db;
pub mod domain;
pub mod list;
mod routes;

pub use routes::router;
