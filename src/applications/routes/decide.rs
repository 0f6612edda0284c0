//! Moves on an application: the brand shortlists, accepts (starting the
//! collaboration) or declines; the applicant withdraws.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::pages::{Typed, show_page};
use crate::{
    agreements,
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
    documents,
    domain::{Currency, Money, Party, ReleaseOn, money::parse_fee, text::required_text},
    error::AppError,
    ledger::{self, IdempotencyKey, LedgerError},
    links,
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DecisionForm {
    agreed_fee: String,
    /// The fee of each deliverable, in the brief's order; all empty to share
    /// the fee evenly.
    shares: Vec<String>,
    reason: String,
    /// Accepting and ending a collaboration move money: their request key.
    idempotency_key: String,
}

/// A move's form as parsed: what each move needs, the others `None`.
struct Decision {
    agreed_fee: Option<Money>,
    /// The brand's own split of the fee across the deliverables.
    split: Option<Vec<Money>>,
    reason: Option<String>,
    /// Accepting and ending a collaboration move money: their request key.
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
    let typed = Typed {
        agreed_fee: form.agreed_fee.clone(),
        shares: form.shares.clone(),
        reason: form.reason.clone(),
        ..Typed::default()
    };
    let Decision {
        agreed_fee,
        split,
        reason,
        key,
    } = match unread.and(form.parse(mv, current.status, current.proposed_fee.currency())) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let status = errors.status();
            let page = show_page(state, ctx, user, id, errors, typed).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    if let Some(key) = &key {
        // The same request sent again (a double click): its first answer.
        if ledger::db::by_key(&state.db, key).await?.is_some() {
            return Ok(Flash::info(if mv == Move::Accept {
                "This acceptance was already made; nothing was held twice."
            } else {
                "This collaboration was already ended; nothing was returned twice."
            })
            .redirect_to(&format!("/applications/{id}")));
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
    // What ending the collaboration returned to the brand.
    let mut returned: Option<Money> = None;
    // The agreement an acceptance drew up, for the brand to sign next.
    let mut drawn_up: Option<Uuid> = None;
    let status = match outcome {
        Ok((Status::Accepted, campaign_id)) => {
            let (Some(fee), Some(key)) = (agreed_fee, key) else {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "an acceptance parsed without its fee or key"
                )));
            };
            let deliverables = deliverables_db::copy_from_brief(&mut tx, id, campaign_id).await?;
            let refusal = if deliverables.is_empty() {
                Some(
                    "The brief lists no deliverables, and the fee is paid per deliverable: add \
                     them to the brief first. Nothing was accepted.",
                )
            } else if split
                .as_ref()
                .is_some_and(|s| s.len() != deliverables.len())
            {
                Some(
                    "The brief's deliverables changed since this page was shown: check the parts \
                     of the fee again. Nothing was accepted.",
                )
            } else {
                None
            };
            if let Some(message) = refusal {
                tx.rollback().await?;
                return refused(
                    state,
                    ctx,
                    user,
                    id,
                    typed,
                    "agreed_fee",
                    message.to_owned(),
                )
                .await;
            }
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
                split: split.map(|parts| parts.iter().map(|m| m.minor()).collect()),
                key,
                by: user.id,
                release_on,
            };
            if let Err(e) = escrow::hold(&mut tx, &hold, &terms).await {
                tx.rollback().await?;
                return refused_hold(state, ctx, user, id, typed, e, &hold, &terms).await;
            }
            links::db::create_for(&mut tx, id).await?;
            let agreement = agreements::db::draw_up(&mut tx, id).await?;
            audit::Event::new(
                Action::AgreementDrawnUp,
                &format!(
                    "Partnership agreement for {} on {}, from the brief in force",
                    current.creator_name, current.campaign_title
                ),
            )
            .by(user)
            .on(agreement)
            .at(ip)
            .record(&mut *tx)
            .await?;
            drawn_up = Some(agreement);
            Status::Accepted
        }
        Ok((Status::Cancelled, _)) => {
            let Some(key) = key else {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "an ending was decided without its request key"
                )));
            };
            let by = if mv == Move::Withdraw {
                Party::Creator
            } else {
                Party::Brand
            };
            let refunded = match deliverables_db::wind_down(&mut tx, id, by).await? {
                Err(message) => Err(message),
                Ok(()) => escrow::refund_unsettled(&mut tx, id, key, user.id).await?,
            };
            match refunded {
                Ok(Some((transfer, amount))) => {
                    let why = format!(
                        "Collaboration ended early. Reason: {}",
                        reason.as_deref().unwrap_or_default()
                    );
                    documents::credit_notes::issue(&mut tx, id, transfer, &why).await?;
                    returned = Some(amount);
                }
                Ok(None) => {}
                Err(message) => {
                    tx.rollback().await?;
                    return refused(state, ctx, user, id, typed, "reason", message).await;
                }
            }
            Status::Cancelled
        }
        Ok((status, _)) => status,
        Err(DecideError::NotFound) => return Err(AppError::NotFound),
        Err(DecideError::Refused(message)) => {
            tx.rollback().await?;
            let field = if mv == Move::Accept {
                "agreed_fee"
            } else {
                "reason"
            };
            return refused(state, ctx, user, id, typed, field, message).await;
        }
        Err(DecideError::Db(e)) => return Err(e.into()),
    };
    let ending = (status == Status::Cancelled).then(|| Ending {
        reason: reason.as_deref().unwrap_or_default(),
        returned,
    });
    let notified = record(&mut tx, user, ip, &current, mv, status, ending).await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    if let Some(agreement) = drawn_up {
        return Ok(Flash::success(
            "Application accepted and the fee held. Read the partnership agreement drawn up from \
             your brief and sign it: work starts when both sides have.",
        )
        .redirect_to(&format!("/agreements/{agreement}")));
    }
    Ok(
        Flash::success(format!("Application {}.", status.label().to_lowercase()))
            .redirect_to(&format!("/applications/{id}")),
    )
}

/// The application's page again with the move's refusal beside `field`:
/// nothing changed.
async fn refused(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    typed: Typed,
    field: &'static str,
    message: String,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    let page = show_page(state, ctx, user, id, errors, typed).await?;
    Ok((StatusCode::CONFLICT, Page(page)).into_response())
}

/// The accept form again when the fee could not be held: short of funds, it
/// says how much to add; nothing was accepted.
#[expect(clippy::too_many_arguments, reason = "the page needs all of it")]
async fn refused_hold(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    typed: Typed,
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
    refused(state, ctx, user, id, typed, "agreed_fee", message).await
}

/// Who may make `mv`: the applicant withdraws (before or after acceptance),
/// the brand makes the rest.
fn mover(mv: Move, user: &CurrentUser) -> Result<Viewer, AppError> {
    match (mv, Viewer::of(user)) {
        (Move::Withdraw, v @ Viewer::Creator(_)) => Ok(v),
        (Move::Withdraw, _) => Err(AppError::Forbidden),
        (_, v @ Viewer::Brand(_)) => Ok(v),
        _ => Err(AppError::Forbidden),
    }
}

impl DecisionForm {
    /// What each move needs: an acceptance its agreed fee, any split of it and
    /// its request key; a decline its reason; ending an accepted collaboration
    /// (the brand cancelling, the creator withdrawing) its reason and request
    /// key.
    fn parse(&self, mv: Move, from: Status, currency: Currency) -> Result<Decision, FieldErrors> {
        let mut errors = FieldErrors::new();
        let ends = matches!(mv, Move::Cancel) || (mv == Move::Withdraw && from == Status::Accepted);
        let key = if mv == Move::Accept || ends {
            let field = if ends { "reason" } else { "agreed_fee" };
            errors.check(field, IdempotencyKey::parse(&self.idempotency_key))
        } else {
            None
        };
        let agreed_fee = match mv {
            Move::Accept => errors.check(
                "agreed_fee",
                parse_fee(&self.agreed_fee, currency, "the agreed fee"),
            ),
            _ => None,
        };
        let split = match (mv, agreed_fee) {
            (Move::Accept, Some(fee)) => errors
                .check("shares", parse_split(&self.shares, fee))
                .flatten(),
            _ => None,
        };
        let reason = if mv == Move::Decline || ends {
            let (what, hint) = if ends {
                (
                    "the reason",
                    "Say why the collaboration ends: the other side is told.",
                )
            } else {
                ("the reason", "Say why, so the creator can learn from it.")
            };
            errors.check("reason", required_text(&self.reason, what, 2000, hint))
        } else {
            None
        };
        if errors.is_empty() {
            Ok(Decision {
                agreed_fee,
                split,
                reason,
                key,
            })
        } else {
            Err(errors)
        }
    }
}

/// The brand's split of `fee` across the deliverables: every part given, in
/// the fee's currency, adding up to it; `None` when all are left empty (an
/// even split).
fn parse_split(typed: &[String], fee: Money) -> Result<Option<Vec<Money>>, String> {
    if typed.iter().all(|t| t.trim().is_empty()) {
        return Ok(None);
    }
    if typed.iter().any(|t| t.trim().is_empty()) {
        return Err(
            "Give every deliverable its part of the fee, or leave them all empty to share it evenly."
                .to_owned(),
        );
    }
    let mut parts = Vec::with_capacity(typed.len());
    for (n, t) in typed.iter().enumerate() {
        let part = Money::parse_decimal(t, fee.currency())
            .map_err(|e| format!("Deliverable {}: {e}", n + 1))?;
        parts.push(part);
    }
    let sum = parts
        .iter()
        .try_fold(0i64, |sum, p| sum.checked_add(p.minor()))
        .ok_or("The parts are too large.")?;
    if sum != fee.minor() {
        return Err(format!(
            "The parts add up to {}; they must add up to the agreed fee, {fee}.",
            Money::from_minor(sum, fee.currency())
        ));
    }
    Ok(Some(parts))
}

/// Why a collaboration ended and what of its escrow went back to the brand.
struct Ending<'a> {
    reason: &'a str,
    returned: Option<Money>,
}

/// Writes the move to the audit trail and tells the other side: the brand of a
/// withdrawal, the applicant of a decision, either side of the other ending
/// the collaboration. Returns who was notified.
async fn record(
    tx: &mut PgConnection,
    user: &CurrentUser,
    ip: Option<std::net::IpAddr>,
    a: &ApplicationRow,
    mv: Move,
    status: Status,
    ending: Option<Ending<'_>>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let action = match (mv, status) {
        (_, Status::Cancelled) => Action::CollaborationCancelled,
        (Move::Shortlist, _) => Action::ApplicationShortlisted,
        (Move::Accept, _) => Action::ApplicationAccepted,
        (Move::Decline, _) => Action::ApplicationDeclined,
        (Move::Withdraw | Move::Cancel, _) => Action::ApplicationWithdrawn,
    };
    let link = format!("/applications/{}", a.id);
    if let Some(ending) = ending {
        let returned = ending.returned.map_or(String::new(), |m| {
            format!(" {m} of the escrow went back to the brand's funds.")
        });
        let by = if mv == Move::Withdraw {
            format!("{} withdrew from", a.creator_name)
        } else {
            format!("{} cancelled", a.brand_name)
        };
        let detail = format!(
            "{by} the collaboration on {}.{returned} Reason: {}",
            a.campaign_title, ending.reason
        );
        audit::Event::new(action, &detail)
            .by(user)
            .on(a.id)
            .at(ip)
            .record(&mut *tx)
            .await?;
        let message = format!(
            "{by} the collaboration on “{}”.{returned} Their reason: {}",
            a.campaign_title, ending.reason
        );
        let note = Note {
            kind: Kind::CollaborationCancelled,
            subject: a.id,
            message: &message,
            link: &link,
        };
        return if mv == Move::Withdraw {
            notifications::db::to_brand(&mut *tx, a.brand_id, None, note).await
        } else {
            notifications::db::to_user(&mut *tx, a.applicant_id, note).await
        };
    }
    let detail = format!("{} for {}", a.creator_name, a.campaign_title);
    audit::Event::new(action, &detail)
        .by(user)
        .on(a.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
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
        let sign = if status == Status::Accepted {
            " Read the partnership agreement and sign it: work starts when both sides have."
        } else {
            ""
        };
        let message = format!(
            "{} {} your application to “{}”.{sign}",
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
