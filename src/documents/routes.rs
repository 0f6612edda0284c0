//! `/invoices/{id}` (the brand's, and the agency's) and `/statements/{id}`
//! (the creator's, and the agency's): printable pages and PDF downloads.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    routing::get,
};
use uuid::Uuid;

use super::{
    credit_notes::{self, CreditNote},
    invoices::{self, Invoice},
    print,
    statements::{self, Statement},
};
use crate::{
    auth::{CurrentUser, Viewer},
    domain::display::filters,
    error::AppError,
    influencers::db::{self as influencers_db, ProfileBy},
    state::AppState,
    web::{Page, PageContext, render::Download},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invoices/{id}", get(invoice_page))
        .route("/invoices/{id}/pdf", get(invoice_pdf))
        .route("/credit-notes/{id}", get(credit_note_page))
        .route("/credit-notes/{id}/pdf", get(credit_note_pdf))
        .route("/statements/{id}", get(statement_page))
        .route("/statements/{id}/pdf", get(statement_pdf))
}

/// An invoice for its brand's members or the agency; for anyone else, none.
async fn invoice(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<Invoice, AppError> {
    let brand = match Viewer::of(user) {
        Viewer::Admin => None,
        Viewer::Brand(brand) => Some(brand),
        Viewer::Creator(_) => return Err(AppError::NotFound),
    };
    invoices::find(&state.db, brand, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A credit note for its brand's members or the agency; for anyone else, none.
async fn credit_note(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
) -> Result<CreditNote, AppError> {
    let brand = match Viewer::of(user) {
        Viewer::Admin => None,
        Viewer::Brand(brand) => Some(brand),
        Viewer::Creator(_) => return Err(AppError::NotFound),
    };
    credit_notes::find(&state.db, brand, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "documents/credit_note.html")]
struct CreditNotePage {
    ctx: PageContext,
    n: CreditNote,
}

async fn credit_note_page(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<CreditNotePage>, AppError> {
    let n = credit_note(&state, &user, id).await?;
    Ok(Page(CreditNotePage { ctx, n }))
}

async fn credit_note_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Download, AppError> {
    let n = credit_note(&state, &user, id).await?;
    Ok(Download::pdf(
        format!("{}.pdf", n.number),
        print::credit_note(&n),
    ))
}

/// A statement for its creator or the agency; for anyone else, none.
async fn statement(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<Statement, AppError> {
    let profile = match Viewer::of(user) {
        Viewer::Admin => None,
        Viewer::Creator(user_id) => Some(
            influencers_db::find_profile(&state.db, ProfileBy::User(user_id))
                .await?
                .ok_or(AppError::NotFound)?
                .id,
        ),
        Viewer::Brand(_) => return Err(AppError::NotFound),
    };
    statements::find(&state.db, profile, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "documents/invoice.html")]
struct InvoicePage {
    ctx: PageContext,
    i: Invoice,
}

async fn invoice_page(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<InvoicePage>, AppError> {
    let i = invoice(&state, &user, id).await?;
    Ok(Page(InvoicePage { ctx, i }))
}

async fn invoice_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Download, AppError> {
    let i = invoice(&state, &user, id).await?;
    Ok(Download::pdf(
        format!("{}.pdf", i.number),
        print::invoice(&i),
    ))
}

#[derive(Template)]
#[template(path = "documents/statement.html")]
struct StatementPage {
    ctx: PageContext,
    s: Statement,
}

async fn statement_page(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<StatementPage>, AppError> {
    let s = statement(&state, &user, id).await?;
    Ok(Page(StatementPage { ctx, s }))
}

async fn statement_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Download, AppError> {
    let s = statement(&state, &user, id).await?;
    Ok(Download::pdf(
        format!("{}.pdf", s.number),
        print::statement(&s),
    ))
}
