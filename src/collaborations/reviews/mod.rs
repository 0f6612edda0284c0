//! Reviews: structured, directed feedback on a round. A 1–5 score for each
//! rubric criterion the brief enabled, what to keep, the changes one per line
//! (each a numbered action item that may cite the brief or flag scope creep),
//! why, and a decision.

pub mod db;
pub mod domain;
mod routes;

pub use routes::router;
