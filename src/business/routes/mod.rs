//! `/business/…`: the desk's pages, all the signed-in creator's own.

mod deals;
mod desk;
mod goals;
mod income;
mod insight;
mod time;

use axum::{
    Router,
    routing::{get, post},
};

use crate::{
    auth::CurrentUser,
    error::AppError,
    influencers::db::{self as influencers_db, ProfileBy, ProfileRow},
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/business", get(desk::show))
        .route("/business/deals", get(deals::list).post(deals::create))
        .route("/business/deals/new", get(deals::new))
        .route("/business/deals/{id}", get(deals::edit).post(deals::update))
        .route("/business/time", get(time::show).post(time::log))
        .route("/business/time/{id}/delete", post(time::delete))
        .route("/business/income", get(income::show))
        .route("/business/income.csv", get(income::export))
        .route("/business/prices", get(insight::prices))
        .route("/business/partners", get(insight::partners))
        .route("/business/goals", get(goals::show).post(goals::save))
}

/// The signed-in creator's profile: the desk is theirs.
async fn own_profile(state: &AppState, user: &CurrentUser) -> Result<ProfileRow, AppError> {
    influencers_db::find_profile(&state.db, ProfileBy::User(user.id))
        .await?
        .ok_or(AppError::NotFound)
}
