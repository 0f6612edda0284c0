use askama::Template;
use axum::{Router, extract::State, routing::get};

use super::db::{self, AccountRow, AuditRow, Overview, UnverifiedChannel};
use crate::{
    auth::Admin,
    error::AppError,
    state::AppState,
    web::{Page, PageContext, format},
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

impl ConsolePage {
    fn when(&self, t: &time::OffsetDateTime) -> String {
        format::date_time(*t)
    }

    fn day(&self, d: &time::Date) -> String {
        format::date(d.midnight().assume_utc())
    }

    fn count(&self, n: &i64) -> String {
        format::count(*n)
    }
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
