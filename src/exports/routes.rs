//! `/admin/exports`: the agency's CSV downloads of accounts, campaigns,
//! collaborations and payments, for agency admins only.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::get,
};

use super::db;
use crate::{
    auth::Admin,
    error::AppError,
    state::AppState,
    web::{Page, PageContext, csv_stream},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/exports", get(index))
        .route("/admin/exports/{file}", get(download))
}

#[derive(Template)]
#[template(path = "exports/index.html")]
struct ExportsPage {
    ctx: PageContext,
}

async fn index(ctx: PageContext, _admin: Admin) -> Page<ExportsPage> {
    Page(ExportsPage { ctx })
}

async fn download(
    State(state): State<AppState>,
    _admin: Admin,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let db = state.db.clone();
    Ok(match file.as_str() {
        "accounts.csv" => csv_stream::csv(&file, |sink| db::accounts(db, sink)),
        "campaigns.csv" => csv_stream::csv(&file, |sink| db::campaigns(db, sink)),
        "collaborations.csv" => csv_stream::csv(&file, |sink| db::collaborations(db, sink)),
        "payments.csv" => csv_stream::csv(&file, |sink| db::payments(db, sink)),
        _ => return Err(AppError::NotFound),
    })
}
