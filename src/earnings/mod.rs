//! `/earnings`: what a creator has earned, where each amount stands (held in
//! escrow until its deliverable is approved, payable, paid out), and how it moved.

pub mod db;
pub mod routes;
