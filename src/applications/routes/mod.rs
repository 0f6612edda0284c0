//! The applications' pages and moves: applying and confirming brief versions
//! ([`apply`]), the lists and an application's page ([`pages`]), and the brand's
//! and applicant's moves on it ([`decide`]), and its promo code ([`promo`]).

mod apply;
mod decide;
mod pages;
mod promo;

use axum::{
    Router,
    routing::{get, post},
};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{id}/apply", get(apply::apply_form))
        .route(
            "/campaigns/{id}/applications",
            get(pages::campaign_list).post(apply::apply),
        )
        .route(
            "/campaigns/{id}/brief/acknowledge",
            post(apply::acknowledge),
        )
        .route("/applications", get(pages::mine))
        .route("/applications/{id}", get(pages::show))
        .route("/applications/{id}/promo-code", post(promo::set))
        // shortlist, accept (agreed_fee), decline (reason), withdraw
        .route("/applications/{id}/{move}", post(decide::decide))
}
