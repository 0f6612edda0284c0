use askama::Template;
use axum::{Router, extract::State, routing::get};

use super::db::{self, AccountRow, AuditRow, Overview};
use crate::{
    app::AppState,
    auth::Admin,
    error::AppError,
    web::{Page, PageContext, format},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin", get(console))
}

const LIST_LIMIT: i64 = 50;

#[derive(Template)]
#[template(path = "admin/index.html")]
struct ConsolePage {
    ctx: PageContext,
    overview: Overview,
    accounts: Vec<AccountRow>,
    events: Vec<AuditRow>,
}

impl ConsolePage {
    fn when(&self, t: &time::OffsetDateTime) -> String {
        format::date_time(*t)
    }
}

async fn console(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
) -> Result<Page<ConsolePage>, AppError> {
    let (overview, accounts, events) = tokio::try_join!(
        db::overview(&state.db),
        db::recent_accounts(&state.db, LIST_LIMIT),
        db::recent_events(&state.db, LIST_LIMIT),
    )?;
    Ok(Page(ConsolePage {
        ctx,
        overview,
        accounts,
        events,
    }))
}
