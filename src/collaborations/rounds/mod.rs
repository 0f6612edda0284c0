//! Rounds: the creator sends a draft (link, caption or script, notes) and
//! answers every open action item; rounds are capped at the first draft plus
//! the brief's revision rounds.

pub mod db;
pub mod domain;
mod routes;

pub use routes::router;
