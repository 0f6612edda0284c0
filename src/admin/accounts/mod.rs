//! `/admin/accounts`: every account on both sides, found by name, email,
//! kind, brand, tier, status and joining date; one account with its brand or
//! profile, work, events and sessions; suspending and reactivating it, and
//! changing a brand's owner.

pub(super) mod db;
mod routes;
mod rules;

pub use routes::router;
