//! Briefs: the key message and story, the deliverables, the do's and don'ts, the
//! disclosure, usage and exclusivity terms, and the feedback process the brand
//! commits to. Every save is a new, immutable version; versions can be compared.

pub mod db;
pub mod diff;
pub mod domain;
pub mod form;
mod routes;

pub use domain::{Brief, Criterion, Deliverable};
pub use routes::router;
