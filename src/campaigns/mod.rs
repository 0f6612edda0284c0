//! Campaigns: what a brand needs (goals and KPIs), what it offers and expects
//! (budget, pay, dates, creators wanted) and who it is for (tiers, platforms,
//! niches, countries), through a draft → open → closed → completed lifecycle.

pub mod board;
pub mod brief;
pub mod creator_invites;
pub mod db;
pub mod domain;
pub mod form;
mod routes;
mod view;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(routes::router())
        .merge(brief::router())
        .merge(creator_invites::router())
}
