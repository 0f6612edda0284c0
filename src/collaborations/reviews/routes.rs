//! `POST /submissions/{id}/reviews`: the brand reviews the latest round.

use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
    routing::post,
};
use uuid::Uuid;

use super::{
    db,
    domain::{Clauses, Decision, ReviewForm},
};
use crate::{
    audit::{self, Action},
    auth::CurrentUser,
    billing::escrow,
    campaigns::brief::db as brief_db,
    collaborations::{
        acting::{Lookup, Side, acting_on, one_error, tell},
        deliverables::db::WorkError,
        page::{Typed, refused},
        rounds::{db as rounds_db, domain::rounds_allowed},
    },
    domain::ReleaseOn,
    error::AppError,
    notifications::Kind,
    state::AppState,
    web::{Flash, Form, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/submissions/{id}/reviews", post(review))
}

async fn review(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(submission_id): Path<Uuid>,
    Form(form, unread): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let d = acting_on(
        &state,
        &user,
        Lookup::Submission(submission_id),
        Side::Brand,
    )
    .await?;
    let mut conn = state.db.acquire().await?;
    let brief = brief_db::get(&mut *conn, d.campaign_id, Some(d.brief_version)).await?;
    let rounds = rounds_db::rounds(&mut conn, d.id).await?;
    drop(conn);
    let brief = brief.ok_or(AppError::NotFound)?.brief;
    let round = rounds
        .iter()
        .find(|r| r.id == submission_id)
        .map_or(0, |r| i32::from(r.number));
    let rounds_left = round < rounds_allowed(d.max_revision_rounds);
    let typed = |form: ReviewForm| Typed {
        review: form,
        ..Typed::default()
    };
    let new = match unread.and(form.parse(&brief.rubric, &Clauses::of(&brief), rounds_left)) {
        Ok(new) => new,
        Err(errors) => {
            let status = errors.status();
            return refused(&state, ctx, &user, d.id, status, errors, typed(form)).await;
        }
    };
    let mut tx = state.db.begin().await?;
    match db::review(&mut tx, &d, submission_id, user.id, &new).await {
        Ok(_) => {}
        Err(WorkError::Refused(message)) => {
            tx.rollback().await?;
            let errors = one_error("decision", message);
            let status = StatusCode::CONFLICT;
            return refused(&state, ctx, &user, d.id, status, errors, typed(form)).await;
        }
        Err(WorkError::Db(e)) => return Err(e.into()),
    }
    // Approval releases the deliverable's share of the escrow, in the same
    // transaction: the creator is paid for what the brand accepted.
    let released = if new.decision == Decision::Approve {
        escrow::release(&mut tx, d.id, ReleaseOn::Approval, Some(user.id)).await?
    } else {
        None
    };
    let outcome = match new.decision {
        Decision::Approve => "approved".to_owned(),
        Decision::RequestChanges => match new.items.len() {
            1 => "requested 1 change on".to_owned(),
            n => format!("requested {n} changes on"),
        },
    };
    let what = format!("round {round} of {} for “{}”", d.title(), d.campaign_title);
    audit::Event::new(Action::DeliverableReviewed, &format!("{outcome} {what}"))
        .by(&user)
        .on(d.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    let mut message = format!("{} {outcome} {what}.", d.brand_name);
    if let Some(r) = released {
        message.push_str(&format!(
            " {} of your fee is released and payable to you.",
            r.payable
        ));
    }
    let notified = tell(&mut tx, &d, Side::Creator, Kind::FeedbackReceived, &message).await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok(
        Flash::success(format!("Review sent to {}.", d.creator_name))
            .redirect_to(&format!("/deliverables/{}", d.id)),
    )
}
