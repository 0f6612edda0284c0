//! `/deliverables/{id}/dispute` (either side opens one), `/disputes/{id}`
//! (both sides and the agency follow it) and the agency's settlement.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    db::{self, Dispute},
    domain::{ResolveForm, parse_reason},
};
use crate::{
    audit::{self, Action},
    auth::{Admin, CurrentUser, Viewer},
    billing::escrow::{self, Parts, ShareView},
    collaborations::deliverables::db::{self as deliverables_db, DeliverableDetail},
    documents,
    domain::{Party, display::filters},
    error::AppError,
    ledger::{self, IdempotencyKey},
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/deliverables/{id}/dispute", get(opening).post(open))
        .route("/disputes/{id}", get(show))
        .route("/disputes/{id}/settle", post(settle))
}

#[derive(Template)]
#[template(path = "disputes/open.html")]
struct OpenPage {
    ctx: PageContext,
    d: DeliverableDetail,
    /// Who the dispute is with.
    other_side: String,
    share: ShareView,
    reason: String,
    errors: FieldErrors,
}

/// The deliverable a side may dispute, and which side the user is: 404 when
/// they can't see it, 403 for the agency (it settles disputes, not opens them).
async fn disputing(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(DeliverableDetail, Party), AppError> {
    let viewer = Viewer::of(user);
    let d = deliverables_db::find(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let side = match viewer {
        Viewer::Brand(_) => Party::Brand,
        Viewer::Creator(_) => Party::Creator,
        Viewer::Admin => return Err(AppError::Forbidden),
    };
    Ok((d, side))
}

async fn open_page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    reason: String,
    (status, errors): (StatusCode, FieldErrors),
) -> Result<Response, AppError> {
    let (d, side) = disputing(state, user, id).await?;
    let share = escrow::share(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let other_side = match side {
        Party::Brand => d.creator_name.clone(),
        Party::Creator => d.brand_name.clone(),
    };
    let page = Page(OpenPage {
        ctx,
        other_side,
        d,
        share,
        reason,
        errors,
    });
    Ok((status, page).into_response())
}

async fn opening(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (d, _) = disputing(&state, &user, id).await?;
    if let Some(existing) = d.dispute_id {
        return Ok(Redirect::to(&format!("/disputes/{existing}")).into_response());
    }
    let shown = (StatusCode::OK, FieldErrors::new());
    open_page(&state, ctx, &user, id, String::new(), shown).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OpenForm {
    reason: String,
}

async fn open(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<OpenForm>,
) -> Result<Response, AppError> {
    let (d, side) = disputing(&state, &user, id).await?;
    let reason =
        match unread.and(parse_reason(&form.reason).map_err(|m| FieldErrors::one("reason", m))) {
            Ok(reason) => reason,
            Err(errors) => {
                let shown = (errors.status(), errors);
                return open_page(&state, ctx, &user, id, form.reason, shown).await;
            }
        };
    let mut tx = state.db.begin().await?;
    let dispute_id = match db::open(&mut tx, id, user.id, side, &reason).await? {
        Ok(dispute_id) => dispute_id,
        Err(message) => {
            tx.rollback().await?;
            let shown = (StatusCode::CONFLICT, FieldErrors::one("reason", message));
            return open_page(&state, ctx, &user, id, form.reason, shown).await;
        }
    };
    let who = match side {
        Party::Brand => d.brand_name.clone(),
        Party::Creator => d.creator_name.clone(),
    };
    let detail = format!(
        "{who} disputed {} for {}: {reason}",
        d.title(),
        d.campaign_title
    );
    audit::Event::new(Action::DisputeOpened, &detail)
        .by(&user)
        .on(dispute_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    let message = format!(
        "{who} opened a dispute on {} for “{}”. Its money is frozen until the agency settles it. \
         Their reason: {reason}",
        d.title(),
        d.campaign_title
    );
    let link = format!("/disputes/{dispute_id}");
    let note = Note {
        kind: Kind::DisputeOpened,
        subject: dispute_id,
        message: &message,
        link: &link,
    };
    let notified = match side {
        Party::Brand => notifications::db::to_user(&mut *tx, d.applicant_id, note).await?,
        Party::Creator => notifications::db::to_brand(&mut *tx, d.brand_id, None, note).await?,
    };
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok(
        Flash::success(
            "Dispute opened. The agency will settle it; its money is frozen until then.",
        )
        .redirect_to(&link),
    )
}

#[derive(Template)]
#[template(path = "disputes/show.html")]
struct ShowPage {
    ctx: PageContext,
    x: Dispute,
    is_admin: bool,
    /// What each settlement would pay, for the admin choosing one.
    if_released: Parts,
    if_refunded: Parts,
    form: ResolveForm,
    errors: FieldErrors,
}

impl ShowPage {
    fn chosen(&self, key: &str) -> bool {
        self.form.resolution == key
    }
}

async fn show_page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    form: ResolveForm,
    errors: FieldErrors,
) -> Result<ShowPage, AppError> {
    let viewer = Viewer::of(user);
    let x = db::find(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let at = |to_creator| escrow::parts(x.fee, x.brand_fee, x.creator_fee_basis_points, to_creator);
    let form = if form.idempotency_key.is_empty() {
        ResolveForm {
            idempotency_key: IdempotencyKey::new().as_str().to_owned(),
            ..form
        }
    } else {
        form
    };
    Ok(ShowPage {
        if_released: at(x.fee),
        if_refunded: at(crate::domain::Money::from_minor(0, x.fee.currency())),
        is_admin: matches!(viewer, Viewer::Admin),
        ctx,
        x,
        form,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<ShowPage>, AppError> {
    let page = show_page(
        &state,
        ctx,
        &user,
        id,
        ResolveForm::default(),
        FieldErrors::new(),
    )
    .await?;
    Ok(Page(page))
}

/// The agency settles a dispute: the ledger moves the deliverable's money as
/// decided, the dispute records it, both sides are told, in one transaction.
async fn settle(
    State(state): State<AppState>,
    ctx: PageContext,
    Admin(user): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<ResolveForm>,
) -> Result<Response, AppError> {
    let x = db::find(&state.db, Viewer::Admin, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let decided = match unread.and(form.parse(x.fee)) {
        Ok(decided) => decided,
        Err(errors) => {
            let status = errors.status();
            let page = show_page(&state, ctx, &user, id, form, errors).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    // The same settlement sent again (a double click): its first answer.
    if ledger::db::by_key(&state.db, &decided.key).await?.is_some() {
        return Ok(
            Flash::info("This dispute was settled already; no money moved twice.")
                .redirect_to(&format!("/disputes/{id}")),
        );
    }
    let mut tx = state.db.begin().await?;
    let already = match db::lock(&mut tx, id).await? {
        None => return Err(AppError::NotFound),
        Some((_, settled)) => settled,
    };
    if already {
        tx.rollback().await?;
        let message = "This dispute was settled already; nothing was moved.";
        return refused(&state, ctx, &user, id, form, message.to_owned()).await;
    }
    let settled = escrow::settle_dispute(
        &mut tx,
        x.deliverable_id,
        decided.settlement,
        decided.key.clone(),
        user.id,
    )
    .await?;
    let (transfer_id, parts) = match settled {
        Ok(done) => done,
        Err(message) => {
            tx.rollback().await?;
            return refused(&state, ctx, &user, id, form, message).await;
        }
    };
    db::settle(&mut tx, id, &decided, user.id, transfer_id).await?;
    if parts.brand.minor() > 0 {
        let why = format!(
            "Dispute on {} settled by the agency: {}. Its note: {}",
            x.deliverable,
            decided.resolution.label().to_lowercase(),
            decided.note
        );
        documents::credit_notes::issue(&mut tx, x.application_id, transfer_id, &why).await?;
    }
    let outcome = format!(
        "{}: {} to {}, {} back to {}",
        decided.resolution.label(),
        parts.creator,
        x.creator_name,
        parts.brand,
        x.brand_name
    );
    let detail = format!(
        "Dispute on {} for {} settled. {outcome}. Note: {}",
        x.deliverable, x.campaign_title, decided.note
    );
    audit::Event::new(Action::DisputeResolved, &detail)
        .by(&user)
        .on(id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    let message = format!(
        "The agency settled the dispute on {} for “{}”. {outcome}. Its note: {}",
        x.deliverable, x.campaign_title, decided.note
    );
    let link = format!("/disputes/{id}");
    let note = || Note {
        kind: Kind::DisputeResolved,
        subject: id,
        message: &message,
        link: &link,
    };
    let mut notified = notifications::db::to_user(&mut *tx, x.applicant_id, note()).await?;
    notified.extend(notifications::db::to_brand(&mut *tx, x.brand_id, None, note()).await?);
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok(Flash::success(format!("Dispute settled. {outcome}.")).redirect_to(&link))
}

/// The dispute's page again with the settlement's refusal (409): nothing moved.
async fn refused(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    form: ResolveForm,
    message: String,
) -> Result<Response, AppError> {
    let errors = FieldErrors::one("resolution", message);
    let page = show_page(state, ctx, user, id, form, errors).await?;
    Ok((StatusCode::CONFLICT, Page(page)).into_response())
}
