//! `/earnings`: a creator's money, from held to payable.

use askama::Template;
use axum::{Router, extract::State, routing::get};

use super::db::{self, Held, Movement};
use crate::{
    auth::Influencer,
    domain::{Money, display::filters},
    error::AppError,
    state::AppState,
    web::{Page, PageContext},
};

/// The newest movements shown on the page.
const HISTORY: i64 = 100;

pub fn router() -> Router<AppState> {
    Router::new().route("/earnings", get(show))
}

#[derive(Template)]
#[template(path = "earnings/show.html")]
struct EarningsPage {
    ctx: PageContext,
    held: Vec<Held>,
    payable: Vec<Money>,
    history: Vec<Movement>,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
) -> Result<Page<EarningsPage>, AppError> {
    let (held, payable, history) = tokio::try_join!(
        db::held(&state.db, user.id),
        db::payable(&state.db, user.id),
        db::history(&state.db, user.id, HISTORY),
    )?;
    Ok(Page(EarningsPage {
        ctx,
        held,
        payable,
        history,
    }))
}
