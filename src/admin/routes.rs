//! `/admin`, the agency console: headline figures, the queues, figures
//! waiting for verification, the newest accounts and the audit trail; for a
//! manager, their portfolio.

use askama::Template;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::get,
};

use super::{
    db::{self, AccountRow, Overview, UnverifiedChannel},
    portfolio,
    queues::{self, Counts, Queue},
};
use time::OffsetDateTime;

use crate::{
    audit::search::{self, AuditEvent, Criteria},
    auth::Staff,
    db::snapshot::{self, Snapshot},
    domain::display::filters,
    error::AppError,
    state::AppState,
    web::{Page, PageContext},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin", get(console))
}

const EVENTS_SHOWN: i64 = 20;

impl ConsolePage {
    fn queue_list(&self) -> [Queue; 8] {
        Queue::ALL
    }

    fn queues_heading(&self) -> &'static str {
        "What needs the agency"
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
    queues_taken_at: OffsetDateTime,
    unverified: Vec<UnverifiedChannel>,
}

/// The console: everything for admins, their portfolio for managers.
async fn console(
    State(state): State<AppState>,
    ctx: PageContext,
    staff: Staff,
) -> Result<Response, AppError> {
    if let Some(manager) = staff.scope.manager() {
        return Ok(portfolio::dashboard(&state, ctx, manager)
            .await?
            .into_response());
    }
    let everything = Criteria::default();
    let mut conn = state.db.acquire().await?;
    let overview = db::overview(&mut *conn).await?;
    let accounts = db::recent_accounts(&mut *conn).await?;
    let mut events = search::page(&mut *conn, &everything, None, EVENTS_SHOWN).await?;
    let unverified = db::unverified_channels(&mut *conn).await?;
    let queues = queues::counts(&mut *conn, None).await?;
    let queues_taken_at = snapshot::taken_at(&mut *conn, Snapshot::AgencyQueue).await?;
    drop(conn);
    events.truncate(EVENTS_SHOWN as usize);
    Ok(Page(ConsolePage {
        ctx,
        overview,
        accounts,
        events,
        unverified,
        queues,
        queues_taken_at,
    })
    .into_response())
}
