//! Ratings both ways once every deliverable of a collaboration is published:
//! the creator rates the brand (anonymously: brands only ever see averages),
//! the brand rates the creator. Each is given once.

pub mod db;
pub mod domain;
mod routes;

pub use routes::{RatingPartial, router};
