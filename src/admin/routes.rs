//! `/admin`, the agency console: headline figures, figures waiting for
//! verification, the newest accounts and the audit trail.

use askama::Template;
use axum::{Router, extract::State, routing::get};

use super::db::{self, AccountRow, AuditRow, Overview, UnverifiedChannel};
use crate::{
    auth::Admin,
    domain::display::filters,
    error::AppError,
    state::AppState,
    web::{Page, PageContext},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin", get(console))
}

const LIST_LIMIT: i64 = 50;
const VERIFY_LIMIT: i64 = 20;

#[derive(Template)]
#[template(path = "admin/index.html")]
struct ConsolePage {
    ctx: PageContext,
    overview: Overview,
    accounts: Vec<AccountRow>,
    events: Vec<AuditRow>,
    unverified: Vec<UnverifiedChannel>,
}

async fn console(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
) -> Result<Page<ConsolePage>, AppError> {
    let (overview, accounts, events, unverified) = tokio::try_join!(
        db::overview(&state.db),
        db::recent_accounts(&state.db, LIST_LIMIT),
        db::recent_events(&state.db, LIST_LIMIT),
        db::unverified_channels(&state.db, VERIFY_LIMIT),
    )?;
    Ok(Page(ConsolePage {
        ctx,
        overview,
        accounts,
        events,
        unverified,
    }))
}
