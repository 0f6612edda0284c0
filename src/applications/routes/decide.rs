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
    billing::{
        escrow::{self, Hold},
        terms::{self, AgencyTerms},
    },
    campaigns::brief::db as brief_db,
    collaborations::deliverables::db as deliverables_db,
    domain::{Currency, Money, ReleaseOn, money::parse_fee, text::required_text},
    error::AppError,
    ledger::{self, IdempotencyKey, LedgerError},
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DecisionForm {
    agreed_fee: String,
    reason: String,
    /// The accept form's request key: accepting moves money.
    idempotency_key: String,
}

/// A move's form as parsed: what each move needs, the others `None`.
struct Decision {
    agreed_fee: Option<Money>,
    reason: Option<String>,
    /// An acceptance moves money: its request key.
    key: Option<IdempotencyKey>,
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
    let Decision {
        agreed_fee,
        reason,
        key,
    } = match unread.and(form.parse(mv, current.proposed_fee.currency())) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let status = errors.status();
            let page = show_page(state, ctx, user, id, errors, typed).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    if let Some(key) = &key {
        // The same acceptance sent again (a double click): its first answer.
        if ledger::db::by_key(&state.db, key).await?.is_some() {
            return Ok((
                Flash::info("This acceptance was already made; nothing was held twice."),
                Redirect::to(&format!("/applications/{id}")),
            )
                .into_response());
        }
    }
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
            if let (Status::Accepted, Some(fee), Some(key)) = (status, agreed_fee, key) {
                let deliverables =
                    deliverables_db::copy_from_brief(&mut tx, id, campaign_id).await?;
                let terms = terms::load(&mut *tx).await?;
                let release_on = brief_db::get(&mut *tx, campaign_id, None)
                    .await?
                    .map_or(ReleaseOn::Approval, |v| v.brief.release_on);
                let hold = Hold {
                    application_id: id,
                    brand_id: current.brand_id,
                    profile_id: current.profile_id,
                    fee,
                    deliverables,
                    key,
                    by: user.id,
                    release_on,
                };
                if let Err(e) = escrow::hold(&mut tx, &hold, &terms).await {
                    tx.rollback().await?;
                    return refused_hold(state, ctx, user, id, typed, e, &hold, &terms).await;
                }
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

/// The accept form again when the fee could not be held: short of funds, it
/// says how much to add; nothing was accepted.
#[expect(clippy::too_many_arguments, reason = "the page needs all of it")]
async fn refused_hold(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    typed: (String, String),
    error: LedgerError,
    hold: &Hold,
    terms: &AgencyTerms,
) -> Result<Response, AppError> {
    let message = match error {
        LedgerError::Insufficient { short_by, .. } => {
            let (brand_fee, total) = escrow::total(hold.fee, terms);
            format!(
                "Accepting holds {total} (the fee {} and the agency's fee {brand_fee}), and your \
                 funds are {short_by} short. Add at least {short_by}: the agency bills you by bank \
                 transfer and records it when it arrives. Nothing was accepted.",
                hold.fee
            )
        }
        LedgerError::KeyReused => {
            "This form was already sent for a different fee. Reload the page and accept again; \
             nothing was accepted."
                .to_owned()
        }
        other => return Err(other.into()),
    };
    let mut errors = FieldErrors::new();
    errors.add("agreed_fee", message);
    let page = show_page(state, ctx, user, id, errors, typed).await?;
    Ok((StatusCode::CONFLICT, Page(page)).into_response())
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
    /// The agreed fee and request key an acceptance needs, and the reason a
    /// decline needs.
    fn parse(&self, mv: Move, currency: Currency) -> Result<Decision, FieldErrors> {
        let mut errors = FieldErrors::new();
        let key = match mv {
            Move::Accept => {
                errors.check("agreed_fee", IdempotencyKey::parse(&self.idempotency_key))
            }
            _ => None,
        };
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
            Ok(Decision {
                agreed_fee,
                reason,
                key,
            })
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
