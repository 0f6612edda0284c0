//! `/admin`, the agency console: headline figures, figures waiting for
//! verification, the newest accounts and the audit trail.

use askama::Template;
use axum::{Router, extract::State, routing::get};

use super::{
    db::{self, AccountRow, Overview, UnverifiedChannel},
    queues::{self, Counts, Queue},
};
use crate::{
    audit::search::{self, AuditEvent, Criteria},
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
const EVENTS_SHOWN: i64 = 20;

impl ConsolePage {
    fn queue_list(&self) -> [Queue; 8] {
        Queue::ALL
    }
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct ConsolePage {
    ctx: PageContext,
    overview: Overview,
    accounts: Vec<AccountRow>,
    events: Vec<AuditEvent>,
    queues: Counts,
    unverified: Vec<UnverifiedChannel>,
}

async fn console(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
) -> Result<Page<ConsolePage>, AppError> {
    let everything = Criteria::default();
    let (overview, accounts, mut events, unverified, queues) = tokio::try_join!(
        db::overview(&state.db),
        db::recent_accounts(&state.db, LIST_LIMIT),
        search::page(&state.db, &everything, None, EVENTS_SHOWN),
        db::unverified_channels(&state.db, VERIFY_LIMIT),
        queues::counts(&state.db),
    )?;
    events.truncate(EVENTS_SHOWN as usize);
    Ok(Page(ConsolePage {
        ctx,
        overview,
        accounts,
        events,
        unverified,
        queues,
    }))
}
