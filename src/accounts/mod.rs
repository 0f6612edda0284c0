//! Accounts: signing up as a brand or an influencer, logging in and out, changing
//! the password or choosing a new one by emailed link, how notifications are
//! emailed, and the throttling that protects sign-in.

pub mod db;
pub mod domain;
pub mod password;
pub mod reset;
pub mod routes;
pub mod throttle;

pub use routes::router;
