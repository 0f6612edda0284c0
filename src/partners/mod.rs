//! A brand's long-term partners (`/partners`): each creator it worked with,
//! the agreements and paid amendments, what it spent, the results it got and
//! how it rated their work, and inviting one back to a new campaign. Read
//! from the deal roll-up the creator's desk shares (`desk_deals`).

pub mod db;
mod routes;

pub use routes::router;
