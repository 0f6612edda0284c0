//! Partnership agreements: drawn up when a brand accepts an application, from
//! the brief version in force and the decision; signed by both parties before
//! work starts; never edited, only amended. Amendments come from work asked
//! for outside the brief, quoted by the creator and accepted by the brand.

pub mod amendments;
pub mod db;
pub mod domain;
mod print;
mod routes;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    routes::router().merge(amendments::routes::router())
}
