//! Brands: the profile a brand shows its partners (what the business is, its
//! long-term goals, its voice) and its team. Members act for the brand; only the
//! owner adds and removes them. Addresses without an account get an invitation link.
//! The owner also makes and revokes the brand's API tokens, with which its shop
//! reports orders.

mod api_tokens;
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
        .merge(api_tokens::router())
}
