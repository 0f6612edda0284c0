//! Disputes: either side of a collaboration can dispute a deliverable's money
//! with a reason. Its part of the escrow freezes (no release on approval, no
//! automatic approval's release) until an agency admin settles it: all to the
//! creator, all back to the brand, or split by amounts, with a note both
//! sides see.

pub mod db;
pub mod domain;
mod routes;

pub use routes::router;
