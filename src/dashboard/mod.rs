//! `/dashboard`: each role's starting point, saying what to do next.

mod db;
mod routes;

pub use routes::router;
