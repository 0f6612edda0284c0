//! The creator records a published post's figures; the brand marks a set
//! checked.

use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
    routing::post,
};
use uuid::Uuid;

use super::{db, domain::FiguresForm};
use crate::{
    audit::{self, Action},
    auth::CurrentUser,
    collaborations::{
        acting::{Lookup, Side, acting_on},
        deliverables::DeliverableStatus,
        page::{Typed, refused},
    },
    domain::date::today,
    error::AppError,
    state::AppState,
    web::{FieldErrors, Flash, Form, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/deliverables/{id}/figures", post(record))
        .route(
            "/deliverables/{id}/figures/{figures_id}/checked",
            post(check),
        )
}

async fn record(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<FiguresForm>,
) -> Result<Response, AppError> {
    let d = acting_on(&state, &user, Lookup::Deliverable(id), Side::Creator).await?;
    let typed = Typed {
        figures: form.clone(),
        ..Typed::default()
    };
    if d.status != DeliverableStatus::Published {
        let errors = FieldErrors::one(
            "recorded_on",
            "Figures are recorded once the post is live: publish it first.",
        );
        return refused(&state, ctx, &user, id, StatusCode::CONFLICT, errors, typed).await;
    }
    let (recorded_on, figures) = match unread.and(form.parse(today())) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let status = errors.status();
            return refused(&state, ctx, &user, id, status, errors, typed).await;
        }
    };
    let (_, context) = db::of_post(&state.db, id).await?;
    let context = context.ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    if db::record(&mut tx, id, recorded_on, &figures, Some(&context), user.id)
        .await?
        .is_err()
    {
        tx.rollback().await?;
        let errors = FieldErrors::one(
            "recorded_on",
            "Figures for this date are already recorded, and recorded figures never change: \
             enter today's as a new set.",
        );
        return refused(&state, ctx, &user, id, StatusCode::CONFLICT, errors, typed).await;
    }
    audit::Event::new(
        Action::FiguresRecorded,
        &format!("{} for {}", recorded_on, d.title()),
    )
    .by(&user)
    .on(d.id)
    .at(ip)
    .record(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Flash::success(format!(
        "Figures for {} saved. {} sees them and can mark them checked.",
        crate::domain::display::day(recorded_on),
        d.brand_name
    ))
    .redirect_to(&format!("/deliverables/{id}#figures")))
}

async fn check(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path((id, figures_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let d = acting_on(&state, &user, Lookup::Deliverable(id), Side::Brand).await?;
    let mut tx = state.db.begin().await?;
    let marked = db::check(&mut tx, d.brand_id, id, figures_id, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if marked {
        audit::Event::new(
            Action::FiguresChecked,
            &format!("figures {figures_id} of {}", d.title()),
        )
        .by(&user)
        .on(d.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let message = if marked {
        "Marked checked: the creator sees that you confirmed these figures."
    } else {
        "These figures were already marked checked."
    };
    Ok(Flash::success(message).redirect_to(&format!("/deliverables/{id}#figures")))
}
