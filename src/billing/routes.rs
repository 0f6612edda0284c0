//! `/billing`: a brand's available funds and how they moved.

use askama::Template;
use axum::{Router, extract::State, routing::get};

use super::db::{self, HeldFor};
use crate::{
    auth::BrandMember,
    documents::{
        credit_notes::{self, CreditNoteLine},
        invoices::{self, InvoiceLine},
    },
    domain::{Money, display::filters},
    error::AppError,
    ledger::{self, AccountKind, Movement, Owner, history::HistoryQuery},
    state::AppState,
    web::{Page, PageContext, Query, render::Download},
};

/// The movements shown on a page of the history; older ones are a link
/// away, and the CSV has them all.
const HISTORY: i64 = 25;
/// The newest invoices shown on the page.
const INVOICES: i64 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/billing", get(show))
        .route("/billing/history.csv", get(export))
}

#[derive(Template)]
#[template(path = "billing/show.html")]
struct BillingPage {
    ctx: PageContext,
    brand_name: String,
    funds: Vec<Money>,
    holds: Vec<HeldFor>,
    invoices: Vec<InvoiceLine>,
    credit_notes: Vec<CreditNoteLine>,
    history: Vec<Movement>,
    /// The query string of the history's older page, if there is one.
    older: Option<String>,
    /// Whether the history shows its newest page.
    first_page: bool,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Query(query, unread): Query<HistoryQuery>,
) -> Result<Page<BillingPage>, AppError> {
    unread.or_refuse()?;
    let brand = member.brand.brand_id;
    let mut conn = state.db.acquire().await?;
    let funds = db::funds(&mut *conn, brand).await?;
    let holds = db::holds(&mut *conn, brand).await?;
    let invoices = invoices::of_brand(&mut *conn, brand, INVOICES).await?;
    let credit_notes = credit_notes::of_brand(&mut *conn, brand, INVOICES).await?;
    let before = query.cursor();
    let mut history = ledger::db::movements(
        &mut *conn,
        AccountKind::BrandFunds,
        Owner::Brand(brand),
        before,
        HISTORY + 1,
    )
    .await?;
    drop(conn);
    let older = ledger::history::older(&mut history, HISTORY);
    Ok(Page(BillingPage {
        ctx,
        brand_name: member.brand.brand_name,
        funds,
        holds,
        invoices,
        credit_notes,
        history,
        older,
        first_page: before.is_none(),
    }))
}

/// Every movement of the brand's funds, as CSV.
async fn export(State(state): State<AppState>, member: BrandMember) -> Result<Download, AppError> {
    let owner = Owner::Brand(member.brand.brand_id);
    let bytes = ledger::export::history(&state.db, AccountKind::BrandFunds, owner).await?;
    Ok(Download::csv("billing.csv", bytes))
}
