//! `/agreements/{id}`: an agreement or amendment for its parties and the
//! agency, as a page and a PDF, and signing it.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    amendments::{self, db::Quote},
    db::{self, Agreement, Reader, SignError, SignedFrom},
    domain::{AmendmentStatus, Standing, blocks},
    print,
};
use crate::{
    audit::{self, Action},
    auth::{CurrentUser, session},
    billing::{escrow, terms},
    domain::{Money, Party, display::filters},
    error::AppError,
    ledger::{self, AccountRef, IdempotencyKey},
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp, render::Download},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agreements/{id}", get(show))
        .route("/agreements/{id}/pdf", get(pdf))
        .route("/agreements/{id}/sign", post(sign))
}

/// A part of the text, owned for the template.
pub(super) struct Part {
    heading: Option<String>,
    text: String,
}

/// What the brand sees before accepting a quote.
pub(super) struct Accepting {
    pub key: String,
    pub brand_fee: Money,
    pub brand_fee_percent: String,
    pub total: Money,
    pub available: Money,
}

#[derive(Template)]
#[template(path = "agreements/show.html")]
pub(super) struct AgreementPage {
    ctx: PageContext,
    a: Agreement,
    parts: Vec<Part>,
    standing: Standing,
    /// The side the reader signs for, if they sign.
    party: Option<Party>,
    /// The agreement (not an amendment) waits for the reader's signature.
    can_sign: bool,
    quote: Option<Quote>,
    accepting: Option<Accepting>,
    /// The creator may withdraw their quote.
    can_withdraw: bool,
    reason: String,
    errors: FieldErrors,
}

impl AgreementPage {
    fn party_name(&self, party: &Party) -> &str {
        match party {
            Party::Brand => &self.a.brand_name,
            Party::Creator => &self.a.creator_name,
        }
    }
}

/// The agreement's page for `user`, with `errors` beside the form they sent.
pub(super) async fn page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    errors: FieldErrors,
    reason: String,
) -> Result<AgreementPage, AppError> {
    let reader = Reader::of(user);
    let a = db::find(&state.db, reader, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let standing = a.standing();
    let party = reader.party();
    let quote = if a.is_amendment() {
        amendments::db::of_agreement(&state.db, id).await?
    } else {
        None
    };
    let open =
        |q: &Quote| q.status == super::domain::AmendmentStatus::Quoted && q.collaboration_open;
    let accepting = match (&quote, reader) {
        (Some(q), Reader::Brand(brand)) if open(q) => {
            let mut conn = state.db.acquire().await?;
            let terms = terms::load(&mut *conn).await?;
            let available = ledger::db::balance(
                &mut *conn,
                AccountRef::brand_funds(brand, q.price.currency()),
            )
            .await?;
            drop(conn);
            let (brand_fee, total) = escrow::total(q.price, &terms);
            Some(Accepting {
                key: IdempotencyKey::new().as_str().to_owned(),
                brand_fee,
                brand_fee_percent: terms.brand_fee_text(),
                total,
                available,
            })
        }
        _ => None,
    };
    let can_withdraw = matches!((&quote, reader), (Some(q), Reader::Creator(_)) if open(q));
    let can_sign = !a.is_amendment()
        && party.is_some_and(|p| standing.waits_for(p))
        && db::collaboration_open(&state.db, a.application_id).await?;
    let parts = blocks(&a.body)
        .into_iter()
        .map(|b| Part {
            heading: b.heading.map(str::to_owned),
            text: b.text.to_owned(),
        })
        .collect();
    Ok(AgreementPage {
        ctx,
        parts,
        standing,
        party,
        can_sign,
        quote,
        accepting,
        can_withdraw,
        reason,
        errors,
        a,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<AgreementPage>, AppError> {
    let page = page(&state, ctx, &user, id, FieldErrors::new(), String::new()).await?;
    Ok(Page(page))
}

async fn pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Download, AppError> {
    let a = db::find(&state.db, Reader::of(&user), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = if a.is_amendment() {
        format!("amendment-{}-{}.pdf", a.number - 1, a.application_id)
    } else {
        format!("agreement-{}.pdf", a.application_id)
    };
    Ok(Download::pdf(name, print::agreement(&a)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignForm {
    /// The hash of the text the page showed.
    hash: String,
    agree: String,
}

/// The session a signature comes from, read from the request.
pub(super) async fn signed_from(
    state: &AppState,
    jar: &CookieJar,
    headers: &HeaderMap,
    ip: std::net::IpAddr,
) -> Result<SignedFrom, AppError> {
    let token = session::token(jar).ok_or(AppError::Forbidden)?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    db::signed_from(&state.db, &token, Some(ip), user_agent)
        .await?
        .ok_or(AppError::Forbidden)
}

/// Parses the hex hash a form carries back.
pub(super) fn shown_hash(hex: &str) -> Option<Vec<u8>> {
    let hex = hex.trim();
    if hex.len() != 64 {
        return None;
    }
    (0..32)
        .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

#[expect(clippy::too_many_arguments, reason = "a signature records all of it")]
async fn sign(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<SignForm>,
) -> Result<Response, AppError> {
    let reader = Reader::of(&user);
    let a = db::find(&state.db, reader, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let party = reader.party().ok_or(AppError::Forbidden)?;
    let refuse = |errors: FieldErrors, status: StatusCode| {
        let state = state.clone();
        let user = user.clone();
        async move {
            let page = page(&state, ctx, &user, id, errors, String::new()).await?;
            Ok::<Response, AppError>((status, Page(page)).into_response())
        }
    };
    if a.is_amendment() {
        return refuse(
            FieldErrors::one(
                "agree",
                "An amendment is signed by quoting it (the creator) and accepting the quote (the \
                 brand).",
            ),
            StatusCode::CONFLICT,
        )
        .await;
    }
    if !db::collaboration_open(&state.db, a.application_id).await? {
        return refuse(
            FieldErrors::one(
                "agree",
                "This collaboration has ended: nothing is left to sign.",
            ),
            StatusCode::CONFLICT,
        )
        .await;
    }
    let mut errors = FieldErrors::new();
    if form.agree != "yes" {
        errors.add(
            "agree",
            "Tick the box to confirm you have read the agreement and agree to it.",
        );
    }
    let hash = shown_hash(&form.hash);
    if hash.is_none() {
        errors.add(
            "agree",
            "This form does not say which text you read: reload the page and sign again.",
        );
    }
    let checked = if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    };
    if let Err(errors) = unread.and(checked) {
        let status = errors.status();
        return refuse(errors, status).await;
    }
    let Some(hash) = hash else {
        return Err(AppError::BadRequest("the text's hash is missing".into()));
    };
    let from = signed_from(&state, &jar, &headers, ip).await?;
    let mut tx = state.db.begin().await?;
    match db::sign(&mut tx, id, party, &user, &from, &hash).await {
        Ok(()) => {}
        Err(SignError::Refused(message)) => {
            tx.rollback().await?;
            return refuse(FieldErrors::one("agree", message), StatusCode::CONFLICT).await;
        }
        Err(SignError::Db(e)) => return Err(e.into()),
    }
    let signer = match party {
        Party::Brand => &a.brand_name,
        Party::Creator => &a.creator_name,
    };
    let in_force = !a.standing().waits_for(party.other());
    audit::Event::new(
        Action::AgreementSigned,
        &format!(
            "{} signed the partnership agreement for “{}” for {signer}",
            user.display_name, a.campaign_title
        ),
    )
    .by(&user)
    .on(a.application_id)
    .at(Some(ip))
    .record(&mut *tx)
    .await?;
    let link = format!("/agreements/{id}");
    let (kind, message) = if in_force {
        (
            Kind::AgreementSigned,
            format!(
                "{signer} signed the partnership agreement for “{}”: it is in force and work can \
                 start.",
                a.campaign_title
            ),
        )
    } else {
        (
            Kind::AgreementToSign,
            format!(
                "{signer} signed the partnership agreement for “{}”: read it and sign it so work \
                 can start.",
                a.campaign_title
            ),
        )
    };
    let note = Note {
        kind,
        subject: a.application_id,
        message: &message,
        link: &link,
    };
    let notified = match party.other() {
        Party::Brand => notifications::db::to_brand(&mut *tx, a.brand_id, None, note).await?,
        Party::Creator => notifications::db::to_user(&mut *tx, a.creator_user_id, note).await?,
    };
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    let flash = if in_force {
        Flash::success("Signed. The agreement is in force: work can start.")
    } else {
        Flash::success(format!(
            "Signed. Work starts when {} signs too: they have been told.",
            match party.other() {
                Party::Brand => &a.brand_name,
                Party::Creator => &a.creator_name,
            }
        ))
    };
    Ok(flash.redirect_to(&link))
}
