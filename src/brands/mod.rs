//! Brands: the profile a brand shows its partners (what the business is, its
//! long-term goals, its voice) and its team. Members act for the brand; only the
//! owner adds and removes them. Addresses without an account get an invitation link.

pub mod db;
pub mod domain;
mod routes;
mod team_invites;
pub mod track_record;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(routes::router())
        .merge(team_invites::router())
}
