//! One queue's page.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    routing::get,
};

use super::{Queue, db};
use crate::{
    auth::Admin,
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
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
    Path(key): Path<String>,
) -> Result<Page<QueuePage>, AppError> {
    let queue = Queue::parse(&key).ok_or(AppError::NotFound)?;
    let (counts, rows) =
        tokio::try_join!(db::counts(&state.db), db::rows(&state.db, queue, SHOWN))?;
    Ok(Page(QueuePage {
        ctx,
        queue,
        count: counts.of(queue),
        rows,
    }))
}
