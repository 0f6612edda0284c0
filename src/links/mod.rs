//! Tracked links: one short link per deliverable of an accepted collaboration,
//! made in the acceptance's transaction, that sends its audience to the
//! campaign's landing page with UTM parameters and a click id, and counts the
//! click (see `clicks` for how a click is recorded without waiting).

pub mod db;
pub mod domain;
mod redirect;

use axum::{Router, routing::get};

use crate::state::AppState;

/// `/r/{code}`: outside the pages' middleware, since a click needs no session,
/// no CSRF token and no page context.
pub fn router() -> Router<AppState> {
    Router::new().route("/r/{code}", get(redirect::follow))
}
