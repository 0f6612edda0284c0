//! `POST /deliverables/{id}/submissions`: the creator sends the next round.

use std::collections::HashMap;

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
    domain::{OpenItem, SubmissionForm},
};
use crate::{
    audit::{self, Action},
    auth::CurrentUser,
    campaigns::brief::db as brief_db,
    collaborations::{
        acting::{Lookup, Side, acting_on, one_error, tell},
        deliverables::db::WorkError,
        page::{Typed, refused},
    },
    disclosure,
    error::AppError,
    notifications::Kind,
    state::AppState,
    web::{Flash, Form, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/deliverables/{id}/submissions", post(submit))
}

async fn submit(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    // Pairs, not a map: a repeated field is no reason to refuse the whole draft.
    Form(fields, unread): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let d = acting_on(&state, &user, Lookup::Deliverable(id), Side::Creator).await?;
    let form = SubmissionForm {
        fields: fields.into_iter().collect::<HashMap<_, _>>(),
    };
    let open: Vec<OpenItem> = db::rounds(&mut *state.db.acquire().await?, d.id)
        .await?
        .iter()
        .filter_map(|r| r.review.as_ref())
        .flat_map(|r| r.items.iter())
        .filter(|i| i.needs_answer())
        .map(|i| OpenItem {
            number: i.number,
            body: i.body.clone(),
        })
        .collect();
    let typed = |form: SubmissionForm| Typed {
        submission: form,
        ..Typed::default()
    };
    let new = match unread.and(form.parse(&open, disclosure::needs_statement(d.format))) {
        Ok(new) => new,
        Err(errors) => {
            let status = errors.status();
            return refused(&state, ctx, &user, id, status, errors, typed(form)).await;
        }
    };
    let mut conn = state.db.acquire().await?;
    let brief = brief_db::get(&mut *conn, d.campaign_id, Some(d.brief_version)).await?;
    let countries = db::countries(&mut *conn, d.campaign_id).await?;
    drop(conn);
    let rule = brief.map(|v| v.brief.disclosure).unwrap_or_default();
    let check = disclosure::check(&disclosure::Draft {
        caption: &new.caption,
        platform: d.platform,
        format: d.format,
        rule: &rule,
        countries: &countries,
        brand_name: &d.brand_name,
        statement: new.video_disclosure.as_deref(),
    });
    let mut tx = state.db.begin().await?;
    let round = match db::submit(&mut tx, &d, user.id, &new, &check).await {
        Ok((_, round)) => round,
        Err(WorkError::Refused(message)) => {
            tx.rollback().await?;
            let errors = one_error("content_url", message);
            return refused(
                &state,
                ctx,
                &user,
                id,
                StatusCode::CONFLICT,
                errors,
                typed(form),
            )
            .await;
        }
        Err(WorkError::Db(e)) => return Err(e.into()),
    };
    let what = format!("round {round} of {} for “{}”", d.title(), d.campaign_title);
    audit::Event::new(Action::DeliverableSubmitted, &what)
        .by(&user)
        .on(d.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    let message = format!("{} sent {what}: review it.", user.display_name);
    let notified = tell(&mut tx, &d, Side::Brand, Kind::SubmissionReceived, &message).await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    let disclosure_note = if check.passed {
        ""
    } else {
        " The disclosure check found something to fix: see it beside your draft."
    };
    Ok(Flash::success(format!(
        "Round {round} sent to {}. They promised a review within {} day{}.{disclosure_note}",
        d.brand_name,
        d.review_days,
        if d.review_days == 1 { "" } else { "s" }
    ))
    .redirect_to(&format!("/deliverables/{id}")))
}
