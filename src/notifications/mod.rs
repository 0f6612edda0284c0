//! In-app notifications: what happened on a person's applications and
//! collaborations, with an unread count in the navigation, a page to read
//! them, and reminders (deadlines in two days, overdue reviews) sent once.

pub mod db;
pub mod email;
pub mod reminders;
mod routes;

pub use db::Kind;
pub use routes::router;
