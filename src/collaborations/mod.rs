//! Collaborations: an accepted application and its deliverables, copied from
//! the brief, each delivered in rounds of drafts that the brand reviews with
//! structured, directed feedback, then published; and ratings both ways once
//! every deliverable is live.

pub mod db;
pub mod domain;
pub mod ratings;
mod routes;

pub use routes::router;
