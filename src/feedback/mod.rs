//! The creator's growth page: every review across their collaborations, the
//! average score per rubric criterion over time, and what brands ask them to
//! change most. The coaching creators ask brands for, in one place.

pub mod db;
pub mod growth;
mod routes;

pub use routes::router;
