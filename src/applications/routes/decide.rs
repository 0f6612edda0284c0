//! Moves on an application: the brand shortlists, accepts (starting the
//! collaboration) or declines; the applicant withdraws.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::pages::show_page;
use crate::{
    applications::{
        db::{self, ApplicationRow, DecideError},
        domain::{Move, Status},
    },
    audit::{self, Action},
    auth::{CurrentUser, Viewer},
    collaborations::deliverables::db as deliverables_db,
    domain::{Currency, Money, money::parse_fee, text::required_text},
    error::AppError,
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DecisionForm {
    agreed_fee: String,
    reason: String,
}

/// Makes a move on an application for whoever may make it: checks what was
/// typed, decides under the campaign's lock, starts the collaboration of an
/// accepted one, and tells the other side, all in one transaction.
async fn make_move(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    ip: Option<std::net::IpAddr>,
    id: Uuid,
    mv: Move,
    Form(form, unread): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let viewer = mover(mv, user)?;
    let current = db::find(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let typed = (form.agreed_fee.clone(), form.reason.clone());
    let (agreed_fee, reason) = match unread.and(form.parse(mv, current.proposed_fee.currency())) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let status = errors.status();
            let page = show_page(state, ctx, user, id, errors, typed).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome = db::decide(
        &mut tx,
        viewer,
        id,
        mv,
        agreed_fee,
        reason.as_deref(),
        user.id,
    )
    .await;
    let status = match outcome {
        Ok((status, campaign_id)) => {
            if status == Status::Accepted {
                deliverables_db::copy_from_brief(&mut tx, id, campaign_id).await?;
            }
            status
        }
        Err(DecideError::NotFound) => return Err(AppError::NotFound),
        Err(DecideError::Refused(message)) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            let field = if mv == Move::Accept {
                "agreed_fee"
            } else {
                "reason"
            };
            errors.add(field, message);
            let page = show_page(state, ctx, user, id, errors, typed).await?;
            return Ok((StatusCode::CONFLICT, Page(page)).into_response());
        }
        Err(DecideError::Db(e)) => return Err(e.into()),
    };
    let notified = record(&mut tx, user, ip, &current, mv, status).await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok((
        Flash::success(format!("Application {}.", status.label().to_lowercase())),
        Redirect::to(&format!("/applications/{id}")),
    )
        .into_response())
}

/// Who may make `mv`: the applicant withdraws, the brand makes the rest.
fn mover(mv: Move, user: &CurrentUser) -> Result<Viewer, AppError> {
    match (mv, Viewer::of(user)) {
        (Move::Withdraw, v @ Viewer::Creator(_)) => Ok(v),
        (Move::Withdraw, _) => Err(AppError::Forbidden),
        (_, v @ Viewer::Brand(_)) => Ok(v),
        _ => Err(AppError::Forbidden),
    }
}

impl DecisionForm {
    /// The agreed fee an acceptance needs and the reason a decline needs.
    fn parse(
        &self,
        mv: Move,
        currency: Currency,
    ) -> Result<(Option<Money>, Option<String>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let agreed_fee = match mv {
            Move::Accept => errors.check(
                "agreed_fee",
                parse_fee(&self.agreed_fee, currency, "the agreed fee"),
            ),
            _ => None,
        };
        let reason = match mv {
            Move::Decline => errors.check(
                "reason",
                required_text(
                    &self.reason,
                    "the reason",
                    2000,
                    "Say why, so the creator can learn from it.",
                ),
            ),
            _ => None,
        };
        if errors.is_empty() {
            Ok((agreed_fee, reason))
        } else {
            Err(errors)
        }
    }
}

/// Writes the move to the audit trail and tells the other side: the brand of a
/// withdrawal, the applicant of a decision. Returns who was notified.
async fn record(
    tx: &mut PgConnection,
    user: &CurrentUser,
    ip: Option<std::net::IpAddr>,
    a: &ApplicationRow,
    mv: Move,
    status: Status,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let action = match mv {
        Move::Shortlist => Action::ApplicationShortlisted,
        Move::Accept => Action::ApplicationAccepted,
        Move::Decline => Action::ApplicationDeclined,
        Move::Withdraw => Action::ApplicationWithdrawn,
    };
    let detail = format!("{} for {}", a.creator_name, a.campaign_title);
    audit::record(&mut *tx, Some(user.id), action, &detail, ip).await?;
    let link = format!("/applications/{}", a.id);
    if mv == Move::Withdraw {
        let message = format!(
            "{} withdrew their application to “{}”.",
            a.creator_name, a.campaign_title
        );
        let note = Note {
            kind: Kind::ApplicationWithdrawn,
            subject: a.id,
            message: &message,
            link: &link,
        };
        notifications::db::to_brand(&mut *tx, a.brand_id, None, note).await
    } else {
        let message = format!(
            "{} {} your application to “{}”.",
            a.brand_name,
            status.label().to_lowercase(),
            a.campaign_title
        );
        let note = Note {
            kind: Kind::ApplicationDecided,
            subject: a.id,
            message: &message,
            link: &link,
        };
        notifications::db::to_user(&mut *tx, a.applicant_id, note).await
    }
}

pub(super) async fn decide(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path((id, name)): Path<(Uuid, String)>,
    form: Form<DecisionForm>,
) -> Result<Response, AppError> {
    let mv = Move::parse(&name).ok_or(AppError::NotFound)?;
    make_move(&state, ctx, &user, Some(ip), id, mv, form).await
}
