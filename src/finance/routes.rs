//! `/admin/finance` and its forms.

use askama::Template;
use axum::{
    Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::{
    audit::{self, Action},
    auth::Admin,
    billing::{
        db::{self as billing_db, ReceiptLine},
        funding::{self, Receipt, Source},
        terms::{self, AgencyTerms, TermsForm},
    },
    disputes::db::{self as disputes_db, DisputeLine},
    documents::issuer::{self, IssuerForm},
    domain::{
        Currency, Money,
        date::{parse_date, today},
        display::filters,
        money::parse_fee,
        text::single_line,
    },
    error::AppError,
    ledger::{LedgerError, Posted, verify},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

const RECEIPTS_SHOWN: i64 = 20;
const DISPUTES_SHOWN: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/finance", get(show))
        .route("/admin/finance/receipts", post(record_receipt))
        .route("/admin/finance/terms", post(save_terms))
        .route("/admin/finance/check", post(check_ledger))
        .route("/admin/finance/issuer", post(save_issuer))
}

/// Money received for a brand, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct ReceiptForm {
    brand_id: String,
    amount: String,
    currency: String,
    reference: String,
    received_on: String,
}

impl ReceiptForm {
    fn parse(&self, brands: &[(Uuid, String)], today: Date) -> Result<Receipt, FieldErrors> {
        let mut e = FieldErrors::new();
        let brand_id = e.check(
            "brand_id",
            self.brand_id
                .trim()
                .parse::<Uuid>()
                .ok()
                .filter(|id| brands.iter().any(|(b, _)| b == id))
                .ok_or_else(|| "Choose the brand the money came from.".to_owned()),
        );
        let currency = e.check("currency", Currency::parse(&self.currency));
        let amount = currency
            .and_then(|c| e.check("amount", parse_fee(&self.amount, c, "the amount received")));
        let reference = e.check(
            "reference",
            single_line(&self.reference, "the bank reference", 140).and_then(|r| {
                if r.is_empty() {
                    Err("Enter the bank reference, as on the statement.".to_owned())
                } else {
                    Ok(r)
                }
            }),
        );
        let received_on = e.check(
            "received_on",
            parse_date(&self.received_on, "the date received").and_then(|d| {
                if d > today {
                    Err("Enter a date that has passed: money is recorded once received.".to_owned())
                } else {
                    Ok(d)
                }
            }),
        );
        match (brand_id, amount, reference, received_on) {
            (Some(brand_id), Some(amount), Some(reference), Some(received_on)) => Ok(Receipt {
                source: Source::BankTransfer,
                event_id: reference.clone(),
                brand_id,
                amount,
                received_on,
                reference,
            }),
            _ => Err(e),
        }
    }
}

#[derive(Template)]
#[template(path = "finance/index.html")]
struct FinancePage {
    ctx: PageContext,
    brands: Vec<(Uuid, String)>,
    receipt: ReceiptForm,
    receipt_errors: FieldErrors,
    terms: AgencyTerms,
    terms_form: TermsForm,
    terms_errors: FieldErrors,
    receipts: Vec<ReceiptLine>,
    disputes: Vec<DisputeLine>,
    issuer_form: IssuerForm,
    issuer_errors: FieldErrors,
}

impl FinancePage {
    fn currencies(&self) -> &'static [Currency] {
        &Currency::ALL
    }

    fn example_fee(&self) -> String {
        let fee = Money::from_minor(100_000, Currency::Usd);
        format!(
            "On a {fee} fee the brand pays {} and the creator receives {}.",
            Money::from_minor(
                fee.minor() + self.terms.brand_fee(fee).minor(),
                Currency::Usd
            ),
            Money::from_minor(
                fee.minor() - self.terms.creator_fee(fee).minor(),
                Currency::Usd
            ),
        )
    }

    fn payout_minimum(&self) -> Money {
        Money::from_minor(self.terms.payout_minimum_minor, Currency::Usd)
    }
}

/// What the page shows besides the forms, with either form as typed.
async fn page(
    state: &AppState,
    ctx: PageContext,
    receipt: Option<(ReceiptForm, FieldErrors)>,
    terms_typed: Option<(TermsForm, FieldErrors)>,
) -> Result<FinancePage, AppError> {
    let mut conn = state.db.acquire().await?;
    let brands = billing_db::brands(&mut *conn).await?;
    let terms = terms::load(&mut *conn).await?;
    let receipts = billing_db::recent_receipts(&mut *conn, RECEIPTS_SHOWN).await?;
    let disputes = disputes_db::for_agency(&mut *conn, DISPUTES_SHOWN).await?;
    let issuer = issuer::load(&mut *conn).await?;
    drop(conn);
    let (receipt, receipt_errors) = receipt.unwrap_or_else(|| {
        (
            ReceiptForm {
                currency: Currency::default().code().to_owned(),
                received_on: today().to_string(),
                ..ReceiptForm::default()
            },
            FieldErrors::new(),
        )
    });
    let (terms_form, terms_errors) =
        terms_typed.unwrap_or_else(|| (TermsForm::from_terms(&terms), FieldErrors::new()));
    Ok(FinancePage {
        ctx,
        brands,
        receipt,
        receipt_errors,
        terms,
        terms_form,
        terms_errors,
        receipts,
        disputes,
        issuer_form: IssuerForm::from_issuer(&issuer),
        issuer_errors: FieldErrors::new(),
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
) -> Result<Page<FinancePage>, AppError> {
    Ok(Page(page(&state, ctx, None, None).await?))
}

async fn record_receipt(
    State(state): State<AppState>,
    ctx: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<ReceiptForm>,
) -> Result<Response, AppError> {
    let brands = billing_db::brands(&state.db).await?;
    let receipt = match unread.and(form.parse(&brands, today())) {
        Ok(receipt) => receipt,
        Err(errors) => {
            let status = errors.status();
            let page = page(&state, ctx, Some((form, errors)), None).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    let brand_name = brands
        .iter()
        .find(|(id, _)| *id == receipt.brand_id)
        .map_or("", |(_, name)| name.as_str());
    let mut tx = state.db.begin().await?;
    let posted = match funding::record(&mut tx, &receipt, admin.id).await {
        Ok(posted) => posted,
        Err(LedgerError::KeyReused) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add(
                "reference",
                "This bank reference was recorded before, for a different brand, amount or date. \
                 Check the statement: if this is another payment, add its date to the reference.",
            );
            let page = page(&state, ctx, Some((form, errors)), None).await?;
            return Ok((StatusCode::CONFLICT, Page(page)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let message = match posted {
        Posted::New(_) => {
            audit::Event::new(
                Action::FundsRecorded,
                &format!(
                    "{} for {brand_name}, reference {}",
                    receipt.amount, receipt.reference
                ),
            )
            .by(admin.id)
            .on(receipt.brand_id)
            .at(ip)
            .record(&mut *tx)
            .await?;
            format!("Recorded {} received for {brand_name}.", receipt.amount)
        }
        Posted::Replayed(_) => format!(
            "{} for {brand_name} with this reference was already recorded; nothing was added.",
            receipt.amount
        ),
    };
    tx.commit().await?;
    Ok(Flash::success(message).redirect_to("/admin/finance"))
}

async fn save_terms(
    State(state): State<AppState>,
    ctx: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<TermsForm>,
) -> Result<Response, AppError> {
    let terms = match unread.and(form.parse()) {
        Ok(terms) => terms,
        Err(errors) => {
            let status = errors.status();
            let page = page(&state, ctx, None, Some((form, errors))).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    terms::save(&mut tx, &terms, admin.id).await?;
    audit::Event::new(
        Action::TermsChanged,
        &format!(
            "brand fee {}%, creator fee {}%, approval after {} days' grace, payouts from {}",
            terms.brand_fee_text(),
            terms.creator_fee_text(),
            terms.auto_approve_grace_days,
            Money::from_minor(terms.payout_minimum_minor, Currency::Usd)
        ),
    )
    .by(admin.id)
    .at(ip)
    .record(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(
        Flash::success("Terms saved. They apply to collaborations accepted from now on.")
            .redirect_to("/admin/finance"),
    )
}

async fn check_ledger(State(state): State<AppState>, _admin: Admin) -> Result<Response, AppError> {
    let report = verify::verify(&state.db).await?;
    let flash = if report.is_sound() {
        Flash::success(format!(
            "The ledger adds up: {} accounts and {} entries, every balance recomputed from its entries.",
            report.accounts, report.entries
        ))
    } else {
        tracing::error!(problems = ?report.problems, "the ledger does not add up");
        Flash::info(format!(
            "The ledger does not add up: {} problem(s), logged. First: {}",
            report.problems.len(),
            report.problems.first().map_or("", String::as_str)
        ))
    };
    Ok((flash, Redirect::to("/admin/finance")).into_response())
}

async fn save_issuer(
    State(state): State<AppState>,
    ctx: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<IssuerForm>,
) -> Result<Response, AppError> {
    let issuer = match unread.and(form.parse()) {
        Ok(issuer) => issuer,
        Err(errors) => {
            let status = errors.status();
            let mut page = page(&state, ctx, None, None).await?;
            page.issuer_form = form;
            page.issuer_errors = errors;
            return Ok((status, Page(page)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    issuer::save(&mut tx, &issuer, admin.id).await?;
    let detail = format!(
        "Invoices and statements now issued by {}, with {} {}% included in the agency's fee",
        issuer.name,
        issuer.tax_label,
        issuer.tax_text()
    );
    audit::Event::new(Action::TermsChanged, &detail)
        .by(admin.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Flash::success(format!("{detail}.")).redirect_to("/admin/finance"))
}
