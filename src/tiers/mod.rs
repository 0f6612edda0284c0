//! The tier cut-offs: stored in `tier_cutoffs`, applied by `domain::TierScale`,
//! changed by agency admins at `/admin/tiers`.

pub mod db;
mod routes;

pub use routes::router;
