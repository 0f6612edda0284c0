//! `GET /deliverables/{id}` and publishing with the live link.

use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
    routing::{get, post},
};
use uuid::Uuid;

use super::db::{self, WorkError};
use crate::{
    audit::{self, Action},
    auth::CurrentUser,
    billing::escrow,
    collaborations::{
        acting::{Lookup, Side, acting_on, one_error, tell},
        page::{DeliverablePage, Typed, page, refused},
    },
    domain::{ReleaseOn, link::http_url},
    error::AppError,
    notifications::Kind,
    ratings,
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/deliverables/{id}", get(show))
        .route("/deliverables/{id}/published", post(publish))
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<DeliverablePage>, AppError> {
    Ok(Page(
        page(&state, ctx, &user, id, FieldErrors::new(), Typed::default()).await?,
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PublishForm {
    live_url: String,
}

async fn publish(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<PublishForm>,
) -> Result<Response, AppError> {
    let d = acting_on(&state, &user, Lookup::Deliverable(id), Side::Creator).await?;
    let typed = |live_url: String| Typed {
        live_url,
        ..Typed::default()
    };
    let parsed = http_url(&form.live_url, "the live post's address", false)
        .map_err(|message| one_error("live_url", message));
    let live_url = match unread.and(parsed) {
        Ok(u) => u,
        Err(errors) => {
            let status = errors.status();
            return refused(&state, ctx, &user, id, status, errors, typed(form.live_url)).await;
        }
    };
    let mut tx = state.db.begin().await?;
    match db::publish(&mut tx, &d, &live_url).await {
        Ok(()) => {}
        Err(WorkError::Refused(message)) => {
            tx.rollback().await?;
            let errors = one_error("live_url", message);
            let status = StatusCode::CONFLICT;
            return refused(&state, ctx, &user, id, status, errors, typed(form.live_url)).await;
        }
        Err(WorkError::Db(e)) => return Err(e.into()),
    }
    // A brief that pays on publication releases the share now.
    let released = escrow::release(&mut tx, d.id, ReleaseOn::Publication, Some(user.id)).await?;
    let what = format!("{} for “{}”", d.title(), d.campaign_title);
    audit::Event::new(Action::DeliverablePublished, &what)
        .by(&user)
        .on(d.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    let message = format!("{} published {what}.", d.creator_name);
    let notified = tell(
        &mut tx,
        &d,
        Side::Brand,
        Kind::DeliverablePublished,
        &message,
    )
    .await?;
    let complete = ratings::db::is_complete(&mut *tx, d.application_id).await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    let paid = released.map_or(String::new(), |r| {
        format!(" {} of your fee is released and payable to you.", r.payable)
    });
    let flash = if complete {
        format!("Published. Every deliverable is live: rate the collaboration on its page.{paid}")
    } else {
        format!("Published. The brand can see the live post.{paid}")
    };
    let to = if complete {
        format!("/applications/{}#ratings", d.application_id)
    } else {
        format!("/deliverables/{id}")
    };
    Ok(Flash::success(flash).redirect_to(&to))
}
