//! `/earnings/payout-details` (a creator's business and bank details) and
//! `/admin/finance/payouts` (the agency's payout batches, their bank files,
//! and marking them sent).

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    account::{BankAccount, Method},
    batches::{self, BatchLine, Due, Item, Prepared},
    details::{self, DetailsForm, Saved},
    payer::{self, PayerForm},
    sepa, vault,
};
use crate::{
    audit::{self, Action},
    auth::{Admin, Influencer},
    billing::terms,
    domain::{Currency, Money, date::today, display::filters},
    error::AppError,
    influencers::db::{self as influencers_db, ProfileBy},
    ledger::{IdempotencyKey, LedgerError},
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp, render::Download},
};

const BATCHES_SHOWN: i64 = 30;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/earnings/payout-details",
            get(details_page).post(save_details),
        )
        .route("/admin/finance/payouts", get(payouts).post(prepare))
        .route("/admin/finance/payouts/payer", post(save_payer))
        .route("/admin/finance/payouts/{id}", get(batch))
        .route("/admin/finance/payouts/{id}/sent", post(mark_sent))
        .route("/admin/finance/payouts/{id}/discard", post(discard))
        .route("/admin/finance/payouts/{id}/sepa.xml", get(sepa_file))
        .route("/admin/finance/payouts/{id}/payments.csv", get(csv_file))
}

#[derive(Template)]
#[template(path = "payouts/details.html")]
struct DetailsPage {
    ctx: PageContext,
    saved: Option<Saved>,
    form: DetailsForm,
    errors: FieldErrors,
}

impl DetailsPage {
    fn methods(&self) -> [Method; 2] {
        Method::ALL
    }

    fn chosen(&self, m: &Method) -> bool {
        self.form.method == m.key() || (self.form.method.is_empty() && *m == Method::Iban)
    }
}

async fn profile_id(state: &AppState, user_id: Uuid) -> Result<Uuid, AppError> {
    Ok(
        influencers_db::find_profile(&state.db, ProfileBy::User(user_id))
            .await?
            .ok_or(AppError::NotFound)?
            .id,
    )
}

async fn details_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
) -> Result<Page<DetailsPage>, AppError> {
    let profile = profile_id(&state, user.id).await?;
    let saved = details::load(&state.db, profile).await?;
    let form = saved
        .as_ref()
        .map(DetailsForm::from_saved)
        .unwrap_or_default();
    Ok(Page(DetailsPage {
        ctx,
        saved,
        form,
        errors: FieldErrors::new(),
    }))
}

async fn save_details(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let profile = profile_id(&state, user.id).await?;
    let saved = details::load(&state.db, profile).await?;
    let parsed = match unread.and(form.parse(saved.as_ref())) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let status = errors.status();
            // The account is never sent back, typed or saved.
            let form = DetailsForm {
                iban: String::new(),
                routing_number: String::new(),
                account_number: String::new(),
                ..form
            };
            let page = DetailsPage {
                ctx,
                saved,
                form,
                errors,
            };
            return Ok((status, Page(page)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    details::save(&mut tx, &state.config.data_key, profile, &parsed, user.id).await?;
    let what = if parsed.account.is_some() {
        "business and bank details"
    } else {
        "business details (bank account kept)"
    };
    audit::Event::new(
        Action::PayoutDetailsUpdated,
        &format!("Updated their {what}"),
    )
    .by(&user)
    .on(user.id)
    .at(ip)
    .record(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(
        Flash::success("Payout details saved. Your next payout goes to this account.")
            .redirect_to("/earnings"),
    )
}

#[derive(Template)]
#[template(path = "payouts/index.html")]
struct PayoutsPage {
    ctx: PageContext,
    due: Vec<Due>,
    minimum: i64,
    batches: Vec<BatchLine>,
    key: String,
    payer: PayerForm,
    payer_errors: FieldErrors,
    prepare_error: Option<String>,
}

impl PayoutsPage {
    /// The minimum as the agency set it: minor units of each currency.
    fn minimum_text(&self) -> String {
        Money::from_minor(self.minimum, Currency::Usd).to_decimal_string()
    }
}

async fn payouts_page(
    state: &AppState,
    ctx: PageContext,
    payer_typed: Option<(PayerForm, FieldErrors)>,
    prepare_error: Option<String>,
) -> Result<PayoutsPage, AppError> {
    let mut conn = state.db.acquire().await?;
    let terms = terms::load(&mut *conn).await?;
    let payer = payer::load(&mut *conn).await?;
    let batches = batches::recent(&mut *conn, BATCHES_SHOWN).await?;
    let due = batches::due(&mut conn, terms.payout_minimum_minor).await?;
    drop(conn);
    let (payer, payer_errors) =
        payer_typed.unwrap_or_else(|| (PayerForm::from_payer(&payer), FieldErrors::new()));
    Ok(PayoutsPage {
        ctx,
        due,
        minimum: terms.payout_minimum_minor,
        batches,
        key: IdempotencyKey::new().as_str().to_owned(),
        payer,
        payer_errors,
        prepare_error,
    })
}

async fn payouts(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
) -> Result<Page<PayoutsPage>, AppError> {
    Ok(Page(payouts_page(&state, ctx, None, None).await?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PrepareForm {
    currency: String,
    idempotency_key: String,
}

async fn prepare(
    State(state): State<AppState>,
    ctx: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<PrepareForm>,
) -> Result<Response, AppError> {
    let parsed = unread.checked().and_then(|()| {
        let mut e = FieldErrors::new();
        let currency = e.check("currency", Currency::parse(&form.currency));
        let key = e.check("currency", IdempotencyKey::parse(&form.idempotency_key));
        currency.zip(key).ok_or(e)
    });
    let (currency, key) = match parsed {
        Ok(parsed) => parsed,
        Err(errors) => {
            let message = errors
                .get("currency")
                .or_else(|| errors.unread_messages().next())
                .map(str::to_owned);
            let page = payouts_page(&state, ctx, None, message).await?;
            return Ok((errors.status(), Page(page)).into_response());
        }
    };
    let terms = terms::load(&state.db).await?;
    let mut tx = state.db.begin().await?;
    let id = match batches::prepare(
        &mut tx,
        currency,
        terms.payout_minimum_minor,
        &key,
        admin.id,
    )
    .await?
    {
        Ok(Prepared::New(id)) => id,
        Ok(Prepared::Earlier(id)) => {
            tx.rollback().await?;
            return Ok(Flash::info("This batch was prepared already.")
                .redirect_to(&format!("/admin/finance/payouts/{id}")));
        }
        Err(message) => {
            tx.rollback().await?;
            let page = payouts_page(&state, ctx, None, Some(message)).await?;
            return Ok((StatusCode::CONFLICT, Page(page)).into_response());
        }
    };
    let prepared = batches::find(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let detail = format!(
        "Prepared payout batch {} of {} to {} creator{}",
        prepared.name(),
        prepared.total,
        prepared.item_count,
        if prepared.item_count == 1 { "" } else { "s" }
    );
    audit::Event::new(Action::PayoutBatchPrepared, &detail)
        .by(admin.id)
        .on(id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Flash::success(format!(
        "{detail}. Send its file to the bank, then mark it sent."
    ))
    .redirect_to(&format!("/admin/finance/payouts/{id}")))
}

async fn save_payer(
    State(state): State<AppState>,
    ctx: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<PayerForm>,
) -> Result<Response, AppError> {
    let payer = match unread.and(form.parse()) {
        Ok(payer) => payer,
        Err(errors) => {
            let status = errors.status();
            let page = payouts_page(&state, ctx, Some((form, errors)), None).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    payer::save(&mut tx, &payer, admin.id).await?;
    let detail = format!(
        "Set the account payouts are made from: {}, IBAN ending {}",
        payer.name,
        &payer.iban[payer.iban.len() - 4..]
    );
    audit::Event::new(Action::TermsChanged, &detail)
        .by(admin.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(
        Flash::success("The account payouts are made from is saved.")
            .redirect_to("/admin/finance/payouts"),
    )
}

#[derive(Template)]
#[template(path = "payouts/batch.html")]
struct BatchPage {
    ctx: PageContext,
    b: BatchLine,
    items: Vec<Item>,
    /// A euro batch goes to the bank as a SEPA file; it needs the agency's
    /// own account.
    sepa: bool,
    payer_ready: bool,
    key: String,
    error: Option<String>,
}

async fn batch_page(
    state: &AppState,
    ctx: PageContext,
    id: Uuid,
    error: Option<String>,
) -> Result<BatchPage, AppError> {
    let mut conn = state.db.acquire().await?;
    let b = batches::find(&mut *conn, id).await?;
    let items = batches::items(&mut *conn, id).await?;
    let payer = payer::load(&mut *conn).await?;
    drop(conn);
    let b = b.ok_or(AppError::NotFound)?;
    Ok(BatchPage {
        ctx,
        sepa: b.total.currency() == Currency::Eur,
        payer_ready: payer.is_some(),
        b,
        items,
        key: IdempotencyKey::new().as_str().to_owned(),
        error,
    })
}

async fn batch(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
    Path(id): Path<Uuid>,
) -> Result<Page<BatchPage>, AppError> {
    Ok(Page(batch_page(&state, ctx, id, None).await?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BatchForm {
    idempotency_key: String,
}

/// Marks the batch sent: its money moves to paid out and each creator is
/// told, in one transaction. A second click finds it sent and moves nothing.
async fn mark_sent(
    State(state): State<AppState>,
    ctx: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<BatchForm>,
) -> Result<Response, AppError> {
    if let Err(errors) = unread.checked().and_then(|()| {
        IdempotencyKey::parse(&form.idempotency_key).map_err(|m| FieldErrors::one("batch", m))
    }) {
        let message = errors
            .unread_messages()
            .next()
            .or(errors.get("batch"))
            .map(str::to_owned);
        let page = batch_page(&state, ctx, id, message).await?;
        return Ok((errors.status(), Page(page)).into_response());
    }
    let b = batches::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if b.status == "sent" {
        return Ok(
            Flash::info("This batch was marked sent already; nothing was paid twice.")
                .redirect_to(&format!("/admin/finance/payouts/{id}")),
        );
    }
    let mut tx = state.db.begin().await?;
    let paid = match batches::send(&mut tx, id, admin.id).await {
        Ok(Ok(paid)) => paid,
        Ok(Err(message)) => {
            tx.rollback().await?;
            let page = batch_page(&state, ctx, id, Some(message)).await?;
            return Ok((StatusCode::CONFLICT, Page(page)).into_response());
        }
        Err(LedgerError::Insufficient { short_by, .. }) => {
            tx.rollback().await?;
            let message = format!(
                "A creator's payable balance is {short_by} short of their item: the ledger refused \
                 the batch and nothing was paid. Discard it and prepare a new one."
            );
            let page = batch_page(&state, ctx, id, Some(message)).await?;
            return Ok((StatusCode::CONFLICT, Page(page)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let detail = format!(
        "Marked payout batch {} sent: {} to {} creator{}",
        b.name(),
        b.total,
        paid.len(),
        if paid.len() == 1 { "" } else { "s" }
    );
    audit::Event::new(Action::PayoutBatchSent, &detail)
        .by(admin.id)
        .on(id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    let mut notified = Vec::with_capacity(paid.len());
    for p in &paid {
        let message = format!(
            "{} is on its way to your bank account: the agency sent it today. It usually arrives \
             within one to two business days.",
            p.amount
        );
        let note = Note {
            kind: Kind::PayoutSent,
            subject: id,
            message: &message,
            link: "/earnings",
        };
        notified.extend(notifications::db::to_user(&mut *tx, p.user_id, note).await?);
    }
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok(Flash::success(format!("{detail}. Each creator was told."))
        .redirect_to(&format!("/admin/finance/payouts/{id}")))
}

async fn discard(
    State(state): State<AppState>,
    ctx: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(_, unread): Form<BatchForm>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let b = batches::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    if let Err(message) = batches::discard(&mut tx, id, admin.id).await? {
        tx.rollback().await?;
        let page = batch_page(&state, ctx, id, Some(message)).await?;
        return Ok((StatusCode::CONFLICT, Page(page)).into_response());
    }
    let detail = format!("Discarded payout batch {} of {}", b.name(), b.total);
    audit::Event::new(Action::PayoutBatchDiscarded, &detail)
        .by(admin.id)
        .on(id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(
        Flash::success(format!("{detail}; its balances stay payable."))
            .redirect_to("/admin/finance/payouts"),
    )
}

/// An item's account, decrypted for the bank's file.
fn opened(state: &AppState, item: &Item) -> Result<BankAccount, AppError> {
    let secret = vault::open(&state.config.data_key, item.profile_id, &item.sealed)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    BankAccount::from_secret(item.method, &secret)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a sealed account was not an account")))
}

async fn sepa_file(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let b = batches::find(&mut *conn, id).await?;
    let items = batches::items(&mut *conn, id).await?;
    let payer = payer::load(&mut *conn).await?;
    drop(conn);
    let b = b.ok_or(AppError::NotFound)?;
    if b.total.currency() != Currency::Eur {
        return Err(AppError::Conflict(
            "SEPA files carry euros only: download this batch's payments as CSV for your bank."
                .into(),
        ));
    }
    let Some(payer) = payer else {
        return Err(AppError::Conflict(
            "Add the account payouts are made from on the payouts page first: the SEPA file names it."
                .into(),
        ));
    };
    let mut credits = Vec::with_capacity(items.len());
    for item in &items {
        let BankAccount::Iban(iban) = opened(&state, item)? else {
            return Err(AppError::Conflict(format!(
                "{} is paid to a US account, which SEPA can't reach.",
                item.creator_name
            )));
        };
        credits.push(sepa::Credit {
            end_to_end_id: item.id.simple().to_string(),
            name: item.account_holder.clone(),
            iban,
            bic: item.bic.clone(),
            amount: item.amount,
            remittance: format!("Liaison payout {}", b.name()),
        });
    }
    let debtor = sepa::Debtor {
        name: payer.name,
        iban: payer.iban,
        bic: payer.bic,
    };
    let xml = sepa::pain_001(
        &id.simple().to_string(),
        time::OffsetDateTime::now_utc(),
        today(),
        &debtor,
        &credits,
    );
    Ok(Download::xml(
        format!("liaison-payouts-{}.xml", b.name()),
        xml.into_bytes(),
    )
    .into_response())
}

async fn csv_file(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<Uuid>,
) -> Result<Download, AppError> {
    let mut conn = state.db.acquire().await?;
    let b = batches::find(&mut *conn, id).await?;
    let items = batches::items(&mut *conn, id).await?;
    drop(conn);
    let b = b.ok_or(AppError::NotFound)?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "reference",
        "creator",
        "legal_name",
        "account_holder",
        "iban",
        "bic",
        "routing_number",
        "account_number",
        "amount",
        "currency",
    ];
    let failed = |e: csv::Error| AppError::Internal(anyhow::Error::new(e));
    out.write_record(header).map_err(failed)?;
    for item in &items {
        let (iban, routing, account) = match opened(&state, item)? {
            BankAccount::Iban(iban) => (iban, String::new(), String::new()),
            BankAccount::Us { routing, account } => (String::new(), routing, account),
        };
        out.write_record([
            format!("Liaison payout {}", b.name()).as_str(),
            &item.creator_name,
            &item.legal_name,
            &item.account_holder,
            &iban,
            &item.bic,
            &routing,
            &account,
            &item.amount.to_decimal_string(),
            item.amount.currency().code(),
        ])
        .map_err(failed)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("writing the CSV: {e}")))?;
    Ok(Download::csv(
        format!("liaison-payouts-{}.csv", b.name()),
        bytes,
    ))
}
