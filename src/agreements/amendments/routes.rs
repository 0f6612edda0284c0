//! `/action-items/{id}/quote` (the creator quotes a request outside the
//! brief) and `/amendments/{id}/accept|decline|withdraw`.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use sqlx::PgConnection;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{
    db::{self, Accepted, NewQuote, Quote, Request},
    domain::{MAX_EXTRA_DAYS, QuoteForm, RequestState, quote_problem},
};
use crate::{
    agreements::{
        db::{self as agreements_db, Reader, SignError, SignedFrom},
        domain::{AmendmentStatus, AmendmentTerms},
        routes::{page, shown_hash, signed_from},
    },
    audit::{self, Action},
    auth::CurrentUser,
    billing::{escrow, terms},
    documents,
    domain::{Money, Party, display, text::bounded_text},
    error::AppError,
    influencers::db::{self as influencers_db, ProfileBy},
    ledger::{self, AccountRef, IdempotencyKey, LedgerError, NewTransfer, Posted, TransferKind},
    links,
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/action-items/{id}/quote", get(quote_form).post(quote))
        .route("/amendments/{id}/accept", axum::routing::post(accept))
        .route("/amendments/{id}/decline", axum::routing::post(decline))
        .route("/amendments/{id}/withdraw", axum::routing::post(withdraw))
}

#[derive(Template)]
#[template(path = "agreements/quote.html")]
struct QuotePage {
    ctx: PageContext,
    r: Request,
    problem: Option<&'static str>,
    form: QuoteForm,
    errors: FieldErrors,
    /// The currency, and the creator's rate for this platform and format as
    /// a guide.
    price_hint: String,
    days_hint: String,
}

/// The request a creator quotes for: 404 unless it is theirs.
async fn request_for(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<Request, AppError> {
    if Reader::of(user).party() != Some(Party::Creator) {
        return Err(AppError::NotFound);
    }
    db::request(&state.db, id, user.id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn state_of(state: &AppState, r: &Request) -> Result<RequestState, AppError> {
    let pending = agreements_db::work_blocked(&state.db, r.application_id).await?;
    Ok(RequestState {
        out_of_scope: r.out_of_scope,
        answered: r.answered,
        quoted: r.quoted,
        collaboration_open: r.collaboration_open,
        agreement_pending: pending.is_some(),
    })
}

async fn quote_page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    r: Request,
    form: QuoteForm,
    errors: FieldErrors,
) -> Result<QuotePage, AppError> {
    let problem = quote_problem(state_of(state, &r).await?);
    let rate = match influencers_db::find_profile(&state.db, ProfileBy::User(user.id)).await? {
        Some(profile) => influencers_db::rates(&state.db, profile.id)
            .await?
            .into_iter()
            .find(|rate| {
                rate.platform == r.platform
                    && rate.format == r.format
                    && rate.price.currency() == r.currency
            })
            .map(|rate| rate.price),
        None => None,
    };
    let price_hint = match rate {
        Some(rate) => format!(
            "In {}. Your rate card asks {rate} for {} {}.",
            r.currency,
            r.platform.label(),
            r.format.label().to_lowercase()
        ),
        None => format!("In {}.", r.currency),
    };
    Ok(QuotePage {
        ctx,
        problem,
        form,
        errors,
        price_hint,
        days_hint: format!(
            "A whole number from 0 to {MAX_EXTRA_DAYS}: the new deliverable is due that many \
             days after the brand accepts."
        ),
        r,
    })
}

async fn quote_form(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<QuotePage>, AppError> {
    let r = request_for(&state, &user, id).await?;
    let form = QuoteForm {
        extra_days: "3".into(),
        ..QuoteForm::default()
    };
    let page = quote_page(&state, ctx, &user, r, form, FieldErrors::new()).await?;
    Ok(Page(page))
}

#[expect(
    clippy::too_many_arguments,
    reason = "a quote is signed: it records all of it"
)]
async fn quote(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<QuoteForm>,
) -> Result<Response, AppError> {
    let r = request_for(&state, &user, id).await?;
    if let Some(problem) = quote_problem(state_of(&state, &r).await?) {
        let errors = FieldErrors::one("what", problem);
        let page = quote_page(&state, ctx, &user, r, form, errors).await?;
        return Ok((StatusCode::CONFLICT, Page(page)).into_response());
    }
    let parsed = match unread.and(form.parse(r.currency)) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let status = errors.status();
            let page = quote_page(&state, ctx, &user, r, form, errors).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    let from = signed_from(&state, &jar, &headers, ip).await?;
    let agency_terms = terms::load(&state.db).await?;
    let signed_on = db::agreement_signed_at(&state.db, r.application_id).await?;
    let mut tx = state.db.begin().await?;
    let number = db::next_number(&mut tx, r.application_id).await?;
    let terms = AmendmentTerms {
        number,
        campaign_title: r.campaign_title.clone(),
        brand_name: r.brand_name.clone(),
        creator_name: r.creator_name.clone(),
        agreement_signed_on: signed_on,
        request: r.body.clone(),
        deliverable: format!(
            "deliverable {} ({} {})",
            r.deliverable_position + 1,
            r.platform.label(),
            r.format.label().to_lowercase()
        ),
        what: parsed.what.clone(),
        price: parsed.price,
        brand_fee: agency_terms.brand_fee(parsed.price),
        brand_fee_basis_points: agency_terms.brand_fee_basis_points,
        extra_days: parsed.extra_days,
        platform: r.platform,
        format: r.format,
        quoted_at: OffsetDateTime::now_utc(),
    };
    let body = terms.text()?;
    let brief_version = sqlx::query_scalar!(
        "select brief_version from deliverables where id = $1",
        r.deliverable_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let agreement_id = agreements_db::insert(
        &mut *tx,
        r.application_id,
        number,
        brief_version,
        &terms.title(),
        &body,
    )
    .await?;
    let quote_id = db::insert(
        &mut tx,
        &NewQuote {
            application_id: r.application_id,
            item_id: r.item_id,
            agreement_id,
            what: &parsed.what,
            price: parsed.price,
            extra_days: parsed.extra_days,
            by: user.id,
        },
    )
    .await;
    let quote_id = match quote_id {
        Ok(id) => id,
        // Two quotes for one request at once: the second finds the first.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            tx.rollback().await?;
            return Ok(Flash::info("You quoted this request already.")
                .redirect_to(&format!("/deliverables/{}", r.deliverable_id)));
        }
        Err(e) => return Err(e.into()),
    };
    let hash = crate::agreements::domain::hash(&body);
    match agreements_db::sign(&mut tx, agreement_id, Party::Creator, &user, &from, &hash).await {
        Ok(()) => {}
        Err(SignError::Refused(message)) => {
            return Err(AppError::Internal(anyhow::anyhow!(
                "a new quote could not be signed: {message}"
            )));
        }
        Err(SignError::Db(e)) => return Err(e.into()),
    }
    let what = format!(
        "{} quoted {} for request {} on “{}”",
        r.creator_name, parsed.price, r.number, r.campaign_title
    );
    audit::Event::new(Action::AmendmentQuoted, &what)
        .by(&user)
        .on(quote_id)
        .at(Some(ip))
        .record(&mut *tx)
        .await?;
    let link = format!("/agreements/{agreement_id}");
    let message = format!(
        "{} quoted {} and {} extra day{} for work you asked for outside the brief of “{}”: \
         accept or decline it.",
        r.creator_name,
        parsed.price,
        parsed.extra_days,
        if parsed.extra_days == 1 { "" } else { "s" },
        r.campaign_title
    );
    let notified = notifications::db::to_brand(
        &mut *tx,
        r.brand_id,
        None,
        Note {
            kind: Kind::AmendmentQuoted,
            subject: quote_id,
            message: &message,
            link: &link,
        },
    )
    .await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok(Flash::success(format!(
        "Quote sent to {}: you signed amendment {}. The request waits for their decision and \
         needs no answer in your next draft.",
        r.brand_name,
        number - 1
    ))
    .redirect_to(&link))
}

/// The quote a brand decides: 404 unless the reader may see it, 403 unless
/// they are its brand.
async fn quote_for(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    party: Party,
) -> Result<Quote, AppError> {
    let reader = Reader::of(user);
    let q = db::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let mine = match (reader, party) {
        (Reader::Brand(b), Party::Brand) => b == q.brand_id,
        (Reader::Creator(u), Party::Creator) => u == q.creator_user_id,
        _ => false,
    };
    if mine {
        return Ok(q);
    }
    match agreements_db::find(&state.db, reader, q.agreement_id).await? {
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::NotFound),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AcceptForm {
    idempotency_key: String,
    hash: String,
}

/// The amendment's page again with `message` beside its decision: nothing
/// changed.
async fn refused(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    q: &Quote,
    field: &'static str,
    message: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = page(
        state,
        ctx,
        user,
        q.agreement_id,
        FieldErrors::one(field, message),
        String::new(),
    )
    .await?;
    Ok((status, Page(page)).into_response())
}

/// What accepting a quote did, for the flash and the notification.
struct Held {
    total: Money,
    due_on: time::Date,
    deliverable_id: Uuid,
}

/// Why a quote was not accepted: shown beside the form, nothing changed.
enum NotAccepted {
    /// The same request again: its first answer.
    AlreadyAccepted,
    Refused(String),
}

#[expect(
    clippy::too_many_arguments,
    reason = "accepting signs: it records all of it"
)]
async fn accept(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let q = quote_for(&state, &user, id, Party::Brand).await?;
    let link = format!("/agreements/{}", q.agreement_id);
    let key = IdempotencyKey::parse(&form.idempotency_key).ok();
    let hash = shown_hash(&form.hash);
    let (Some(key), Some(hash), true) = (key, hash, unread.is_empty()) else {
        let message =
            "This form is incomplete: reload the page and accept again. Nothing was held.";
        return refused(
            &state,
            ctx,
            &user,
            &q,
            "accept",
            message.into(),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let already = || {
        Ok(
            Flash::info("This quote was already accepted; nothing was held twice.")
                .redirect_to(&link),
        )
    };
    if ledger::db::by_key(&state.db, &key).await?.is_some() {
        return already();
    }
    let from = signed_from(&state, &jar, &headers, ip).await?;
    let mut tx = state.db.begin().await?;
    let held = match hold_and_add(&mut tx, id, key, &user, &from, &hash).await? {
        Ok(held) => held,
        Err(refusal) => {
            tx.rollback().await?;
            return match refusal {
                NotAccepted::AlreadyAccepted => already(),
                NotAccepted::Refused(message) => {
                    refused(
                        &state,
                        ctx,
                        &user,
                        &q,
                        "accept",
                        message,
                        StatusCode::CONFLICT,
                    )
                    .await
                }
            };
        }
    };
    let what = format!(
        "{} accepted amendment {} on “{}”: {} held for the price {}",
        q.brand_name,
        q.number - 1,
        q.campaign_title,
        held.total,
        q.price
    );
    audit::Event::new(Action::AmendmentAccepted, &what)
        .by(&user)
        .on(q.id)
        .at(Some(ip))
        .record(&mut *tx)
        .await?;
    let message = format!(
        "{} accepted your quote of {} on “{}”: the price is held in escrow and the work is a \
         new deliverable, due {}.",
        q.brand_name,
        q.price,
        q.campaign_title,
        display::day(held.due_on)
    );
    let notified = notifications::db::to_user(
        &mut *tx,
        q.creator_user_id,
        Note {
            kind: Kind::AmendmentDecided,
            subject: q.id,
            message: &message,
            link: &format!("/deliverables/{}", held.deliverable_id),
        },
    )
    .await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok(Flash::success(format!(
        "Amendment {} accepted and signed: {} is held in escrow, and the work is a new \
         deliverable due {}.",
        q.number - 1,
        held.total,
        display::day(held.due_on)
    ))
    .redirect_to(&link))
}

/// Under the quote's lock: holds its price and the agency's fee from the
/// brand's funds, adds the work as a deliverable with its share of the escrow,
/// invoices it and records the brand's signature, or says why not.
async fn hold_and_add(
    tx: &mut PgConnection,
    id: Uuid,
    key: IdempotencyKey,
    user: &CurrentUser,
    from: &SignedFrom,
    hash: &[u8],
) -> Result<Result<Held, NotAccepted>, AppError> {
    let q = db::lock(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
    if q.status != AmendmentStatus::Quoted {
        return Ok(Err(NotAccepted::Refused(format!(
            "This quote was already decided: {}.",
            q.status.label().to_lowercase()
        ))));
    }
    if !q.collaboration_open {
        return Ok(Err(NotAccepted::Refused(
            "This collaboration has ended: the quote can no longer be accepted.".into(),
        )));
    }
    let agency_terms = terms::load(&mut *tx).await?;
    let (brand_fee, total) = escrow::total(q.price, &agency_terms);
    let currency = q.price.currency();
    let transfer = NewTransfer::moving(
        TransferKind::Hold,
        key,
        total,
        AccountRef::brand_funds(q.brand_id, currency),
        AccountRef::escrow(q.application_id, currency),
    )
    .asking(&format!("amendment {} {}", q.id, q.price.minor()))
    .memo(format!(
        "Amendment {}: price {} and agency fee {brand_fee}",
        q.number - 1,
        q.price
    ))
    .by(user.id);
    let hold_transfer_id = match ledger::db::post(&mut *tx, &transfer).await {
        Ok(Posted::New(id)) => id,
        Ok(Posted::Replayed(_)) => return Ok(Err(NotAccepted::AlreadyAccepted)),
        Err(LedgerError::Insufficient { short_by, .. }) => {
            return Ok(Err(NotAccepted::Refused(format!(
                "Accepting holds {total} (the price {} and the agency's fee {brand_fee}), and \
                 your funds are {short_by} short. Add at least {short_by}: the agency bills you \
                 by bank transfer and records it when it arrives. Nothing was accepted.",
                q.price
            ))));
        }
        Err(e) => return Err(e.into()),
    };
    let due_on = (OffsetDateTime::now_utc() + Duration::days(i64::from(q.extra_days))).date();
    let deliverable_id = db::accept(
        &mut *tx,
        &q,
        &Accepted {
            by: user.id,
            brand_fee,
            hold_transfer_id,
            due_on,
        },
    )
    .await?;
    documents::invoices::issue(&mut *tx, q.application_id, Some(q.id)).await?;
    links::db::create_for(&mut *tx, q.application_id).await?;
    match agreements_db::sign(&mut *tx, q.agreement_id, Party::Brand, user, from, hash).await {
        Ok(()) => Ok(Ok(Held {
            total,
            due_on,
            deliverable_id,
        })),
        Err(SignError::Refused(message)) => Ok(Err(NotAccepted::Refused(message.into()))),
        Err(SignError::Db(e)) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeclineForm {
    reason: String,
}

async fn decline(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<DeclineForm>,
) -> Result<Response, AppError> {
    let q = quote_for(&state, &user, id, Party::Brand).await?;
    let reason = match unread.and(
        bounded_text(&form.reason, "the reason", 2000).map_err(|e| FieldErrors::one("reason", e)),
    ) {
        Ok(reason) => reason,
        Err(errors) => {
            let status = errors.status();
            let page = page(&state, ctx, &user, q.agreement_id, errors, form.reason).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    close(
        &state,
        ctx,
        &user,
        ip,
        q,
        AmendmentStatus::Declined,
        (!reason.is_empty()).then_some(reason),
    )
    .await
}

async fn withdraw(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(_, unread): Form<DeclineForm>,
) -> Result<Response, AppError> {
    let q = quote_for(&state, &user, id, Party::Creator).await?;
    if let Err(errors) = unread.and(Ok(())) {
        let page = page(&state, ctx, &user, q.agreement_id, errors, String::new()).await?;
        return Ok((StatusCode::BAD_REQUEST, Page(page)).into_response());
    }
    close(&state, ctx, &user, ip, q, AmendmentStatus::Withdrawn, None).await
}

/// Declines (the brand) or withdraws (the creator) a quote still waiting, and
/// tells the other side.
async fn close(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    ip: std::net::IpAddr,
    q: Quote,
    status: AmendmentStatus,
    reason: Option<String>,
) -> Result<Response, AppError> {
    let link = format!("/agreements/{}", q.agreement_id);
    let mut tx = state.db.begin().await?;
    let Some(locked) = db::lock(&mut tx, q.id).await? else {
        return Err(AppError::NotFound);
    };
    if locked.status != AmendmentStatus::Quoted {
        tx.rollback().await?;
        let message = format!(
            "This quote was already decided: {}.",
            locked.status.label().to_lowercase()
        );
        let field = if status == AmendmentStatus::Declined {
            "reason"
        } else {
            "withdraw"
        };
        return refused(state, ctx, user, &q, field, message, StatusCode::CONFLICT).await;
    }
    db::close(&mut tx, q.id, status, user.id, reason.as_deref()).await?;
    let (action, what, to_brand) = if status == AmendmentStatus::Declined {
        let because = reason
            .as_deref()
            .map(|r| format!(" Their reason: {r}"))
            .unwrap_or_default();
        (
            Action::AmendmentDeclined,
            format!(
                "{} declined the quote of {} on “{}”: the request is withdrawn from the review, \
                 and nothing is owed for it.{because}",
                q.brand_name, q.price, q.campaign_title
            ),
            false,
        )
    } else {
        (
            Action::AmendmentWithdrawn,
            format!(
                "{} withdrew their quote of {} on “{}”: the request is open again in the review.",
                q.creator_name, q.price, q.campaign_title
            ),
            true,
        )
    };
    audit::Event::new(action, &what)
        .by(user)
        .on(q.id)
        .at(Some(ip))
        .record(&mut *tx)
        .await?;
    let note = Note {
        kind: Kind::AmendmentDecided,
        subject: q.id,
        message: &what,
        link: &link,
    };
    let notified = if to_brand {
        notifications::db::to_brand(&mut *tx, q.brand_id, None, note).await?
    } else {
        notifications::db::to_user(&mut *tx, q.creator_user_id, note).await?
    };
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    let flash = if to_brand {
        "Quote withdrawn: the request is open again, to answer in your next draft or quote again."
    } else {
        "Quote declined: the request is withdrawn from the review, and the creator was told."
    };
    Ok(Flash::success(flash).redirect_to(&link))
}
