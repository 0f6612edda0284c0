//! One message thread per application, between the brand's members and the
//! creator (and agency admins, who manage both sides).

pub mod db;
pub mod domain;
mod routes;

pub use routes::router;
