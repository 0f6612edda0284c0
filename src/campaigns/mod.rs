//! Campaigns: what a brand needs (goals and KPIs), what it offers and expects
//! (budget, pay, dates, creators wanted) and who it is for (tiers, platforms,
//! niches, countries), through a draft → open → closed → completed lifecycle.

pub mod db;
pub mod domain;
mod routes;
mod view;

pub use routes::router;
