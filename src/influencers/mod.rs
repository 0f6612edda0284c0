//! Influencer-entrepreneurs: their business profile, channels and dated
//! snapshots of their figures, the explainable authenticity assessment, rate
//! cards, the public media kit, and discovery for brands.

pub mod authenticity;
pub mod db;
pub mod discovery;
pub mod domain;
mod profile_pages;
mod routes;
pub mod view;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(routes::router())
        .merge(discovery::router())
        .merge(profile_pages::router())
}
