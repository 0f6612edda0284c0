//! `/admin/outbox`: the mail Liaison sent or is sending, newest first, by
//! address and status (keyset pages of 50), each message readable in full,
//! and "send again" for one the sender gave up on. Without SMTP configured
//! this is where mail is read.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    auth::Admin,
    domain::display::filters,
    email::outbox::{self, Status, Stored},
    error::AppError,
    state::AppState,
    web::{FieldErrors, Flash, Page, PageContext, Query, keyset},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/outbox", get(list))
        .route("/admin/outbox/{id}", get(show))
        .route("/admin/outbox/{id}/retry", post(retry))
}

const PAGE: i64 = 50;

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct OutboxQuery {
    pub to: String,
    pub status: String,
    pub user: String,
    #[serde(skip_serializing)]
    pub before: String,
}

impl OutboxQuery {
    fn link(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    fn is_filtered(&self) -> bool {
        [&self.to, &self.status, &self.user]
            .iter()
            .any(|v| !v.trim().is_empty())
    }
}

#[derive(Template)]
#[template(path = "admin/outbox/index.html")]
struct OutboxPage {
    ctx: PageContext,
    query: OutboxQuery,
    errors: FieldErrors,
    messages: Vec<Stored>,
    older: Option<String>,
    first_page: bool,
    smtp: bool,
    waiting: i64,
    failed: i64,
}

impl OutboxPage {
    fn filtered(&self) -> bool {
        self.query.is_filtered()
    }

    fn statuses(&self) -> [Status; 3] {
        Status::ALL
    }
}

async fn list(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
    Query(query, unread): Query<OutboxQuery>,
) -> Result<Response, AppError> {
    let mut errors = unread.into_errors(FieldErrors::new());
    let status = match query.status.trim() {
        "" => None,
        key => {
            let status = Status::parse(key);
            if status.is_none() {
                errors.add("status", "Choose a status from the list.");
            }
            status
        }
    };
    let user = match query.user.trim() {
        "" => None,
        text => {
            let user = Uuid::parse_str(text).ok();
            if user.is_none() {
                errors.add(
                    "user",
                    "Enter an account id like 0193a1b2-…, or leave it empty.",
                );
            }
            user
        }
    };
    let to = Some(query.to.trim()).filter(|t| !t.is_empty());
    let before = Uuid::parse_str(query.before.trim()).ok();
    let mut conn = state.db.acquire().await?;
    let mut messages = outbox::page(&mut *conn, to, status, user, before, PAGE + 1).await?;
    let (waiting, failed) = outbox::counts(&mut *conn).await?;
    drop(conn);
    let older = keyset::older(&mut messages, PAGE, &query.link(), |m| m.id);
    let status = errors.filter_status();
    let page = OutboxPage {
        ctx,
        first_page: before.is_none(),
        query,
        errors,
        messages,
        older,
        smtp: state.config.smtp_url.is_some(),
        waiting,
        failed,
    };
    Ok((status, Page(page)).into_response())
}

#[derive(Template)]
#[template(path = "admin/outbox/show.html")]
struct MessagePage {
    ctx: PageContext,
    message: Stored,
    smtp: bool,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
    Path(id): Path<Uuid>,
) -> Result<Page<MessagePage>, AppError> {
    let message = outbox::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Page(MessagePage {
        ctx,
        message,
        smtp: state.config.smtp_url.is_some(),
    }))
}

async fn retry(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let message = outbox::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let flash = if outbox::retry(&state.db, id).await? {
        Flash::success(format!(
            "The message to {} will be sent again in a moment.",
            message.to_address
        ))
    } else {
        Flash::info("That message is not one the sender gave up on: nothing to send again.")
    };
    Ok(flash
        .redirect_to(&format!("/admin/outbox/{id}"))
        .into_response())
}
