//! The notifications page and marking them read.

use askama::Template;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::db::{self, NotificationRow};
use crate::{
    auth::CurrentUser,
    domain::display::filters,
    error::AppError,
    state::AppState,
    web::{Flash, Form, Page, PageContext, Query},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(index))
        .route("/notifications/read", post(read))
}

const PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    /// The last notification of the previous page: `<rfc3339>_<id>`.
    before: String,
}

fn parse_key(key: &str) -> Option<(OffsetDateTime, Uuid)> {
    let (at, id) = key.rsplit_once('_')?;
    let at = OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()?;
    Some((at, id.parse().ok()?))
}

#[derive(Template)]
#[template(path = "notifications/index.html")]
struct IndexPage {
    ctx: PageContext,
    notifications: Vec<NotificationRow>,
    older: Option<String>,
    unread: i64,
}

impl IndexPage {}

async fn index(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Query(query, unread): Query<ListQuery>,
) -> Result<Page<IndexPage>, AppError> {
    unread.or_refuse()?;
    let mut notifications =
        db::list(&state.db, user.id, parse_key(&query.before), PAGE + 1).await?;
    let older = if notifications.len() as i64 > PAGE {
        notifications.truncate(PAGE as usize);
        notifications.last().and_then(|n| {
            let at = n
                .created_at
                .format(&time::format_description::well_known::Rfc3339)
                .ok()?;
            Some(format!("{at}_{}", n.id))
        })
    } else {
        None
    };
    Ok(Page(IndexPage {
        unread: user.unread,
        ctx,
        notifications,
        older,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReadForm {
    /// One notification to open; all are marked read when it is empty.
    id: String,
}

async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form, unread): Form<ReadForm>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let response = if form.id.trim().is_empty() {
        let n = db::mark_read(&state.db, user.id).await?;
        Flash::success(match n {
            0 => "Nothing new to mark.".to_owned(),
            1 => "Marked 1 notification read.".to_owned(),
            n => format!("Marked {n} notifications read."),
        })
        .redirect_to("/notifications")
    } else {
        let id: Uuid = form.id.trim().parse().map_err(|_| AppError::NotFound)?;
        let link = db::open(&state.db, user.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Redirect::to(&link).into_response()
    };
    state.sessions.forget_user(user.id);
    Ok(response)
}
