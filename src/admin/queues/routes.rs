//! One queue's page.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{Queue, db};
use crate::{
    auth::Staff,
    db::snapshot::{self, Snapshot},
    domain::display::filters,
    error::AppError,
    state::AppState,
    web::{Flash, Form, Page, PageContext},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/queues/{queue}", get(show))
        .route("/admin/queues/refresh", post(refresh))
}

#[derive(Template)]
#[template(path = "admin/queue.html")]
struct QueuePage {
    ctx: PageContext,
    queue: Queue,
    count: i64,
    rows: Vec<db::Row>,
    taken_at: OffsetDateTime,
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
    let mut conn = state.db.acquire().await?;
    let shown = db::shown(queue);
    let rows = db::rows(&mut *conn, queue, manager).await?;
    // A queue listed live can differ from its count of the minute before:
    // when every row fits on the page, the rows are the count.
    let listed = rows.len() as i64;
    let count = if listed < shown {
        listed
    } else {
        db::count(&mut *conn, queue, manager).await?.max(listed)
    };
    let taken_at = snapshot::taken_at(&mut *conn, Snapshot::AgencyQueue).await?;
    drop(conn);
    Ok(Page(QueuePage {
        ctx,
        queue,
        count,
        rows,
        taken_at,
        portfolio: manager.is_some(),
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RefreshForm {
    /// The console page to come back to.
    back: String,
}

/// Counts the queues again now instead of within the minute.
async fn refresh(
    State(state): State<AppState>,
    _staff: Staff,
    Form(form, unread): Form<RefreshForm>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let back = Some(form.back.as_str())
        .filter(|b| {
            b.starts_with("/admin") && !b.contains("//") && !b.chars().any(char::is_control)
        })
        .unwrap_or("/admin");
    let flash = if snapshot::refresh(&state.db, Snapshot::AgencyQueue).await? {
        Flash::success("The queues are up to date.")
    } else {
        Flash::info("The queues are being counted again right now: look again in a moment.")
    };
    Ok(flash.redirect_to(back).into_response())
}
