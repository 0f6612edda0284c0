//! One queue's page.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    routing::get,
};

use super::{Queue, db};
use crate::{
    auth::Staff,
    domain::display::filters,
    error::AppError,
    state::AppState,
    web::{Page, PageContext},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/queues/{queue}", get(show))
}

/// Rows shown; the count says how many there are in all.
const SHOWN: i64 = 200;

#[derive(Template)]
#[template(path = "admin/queue.html")]
struct QueuePage {
    ctx: PageContext,
    queue: Queue,
    count: i64,
    rows: Vec<db::Row>,
    /// A manager's view: their portfolio's rows only.
    portfolio: bool,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    staff: Staff,
    Path(key): Path<String>,
) -> Result<Page<QueuePage>, AppError> {
    let queue = Queue::parse(&key).ok_or(AppError::NotFound)?;
    let manager = staff.scope.manager();
    let (count, rows) = tokio::try_join!(
        db::count(&state.db, queue, manager),
        db::rows(&state.db, queue, manager, SHOWN)
    )?;
    Ok(Page(QueuePage {
        ctx,
        queue,
        count,
        rows,
        portfolio: manager.is_some(),
    }))
}
