//! `/earnings`: a creator's money, from held to payable.

use askama::Template;
use axum::{Router, extract::State, routing::get};

use super::db::{self, Held};
use crate::{
    auth::Influencer,
    billing,
    domain::{Money, display::filters},
    error::AppError,
    influencers::db::{self as influencers_db, ProfileBy},
    ledger::{self, AccountKind, Movement, Owner, history::HistoryQuery},
    payouts::{self, batches::Payout},
    state::AppState,
    web::{Page, PageContext, Query, render::Download},
};

/// The movements shown on a page of the history; older ones are a link
/// away, and the CSV has them all.
const HISTORY: i64 = 25;
/// The parts held shown on the page, soonest due first; the business desk's
/// income page lists them all.
const HELD_SHOWN: i64 = 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/earnings", get(show))
        .route("/earnings/history.csv", get(export))
}

#[derive(Template)]
#[template(path = "earnings/show.html")]
struct EarningsPage {
    ctx: PageContext,
    held: Vec<Held>,
    /// How many parts are held, and what they come to in each currency.
    held_count: i64,
    held_total: Vec<Money>,
    payable: Vec<Money>,
    history: Vec<Movement>,
    /// The query string of the history's older page, if there is one.
    older: Option<String>,
    /// Whether the history shows its newest page.
    first_page: bool,
    /// Where payouts go, masked; `None` until the creator adds details.
    payout_to: Option<String>,
    payouts: Vec<Payout>,
    /// The smallest balance the agency pays out, in minor units.
    minimum: i64,
}

impl EarningsPage {
    /// Whether more parts are held than the page lists.
    fn more_held(&self) -> bool {
        usize::try_from(self.held_count).is_ok_and(|n| n > self.held.len())
    }

    fn minimum_text(&self) -> String {
        Money::from_minor(self.minimum, crate::domain::Currency::Usd).to_decimal_string()
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Query(query, unread): Query<HistoryQuery>,
) -> Result<Page<EarningsPage>, AppError> {
    unread.or_refuse()?;
    let mut conn = state.db.acquire().await?;
    let profile = influencers_db::find_profile(&mut *conn, ProfileBy::User(user.id))
        .await?
        .ok_or(AppError::NotFound)?;
    let held = db::held_soonest(&mut *conn, user.id, None, HELD_SHOWN).await?;
    let (held_count, held_total) = db::held_totals(&mut *conn, user.id).await?;
    let payable = db::payable(&mut *conn, user.id).await?;
    let before = query.cursor();
    let mut history = ledger::db::movements(
        &mut *conn,
        AccountKind::CreatorPayable,
        Owner::Creator(profile.id),
        before,
        HISTORY + 1,
    )
    .await?;
    let saved = payouts::details::load(&mut *conn, profile.id).await?;
    let payouts = payouts::batches::of_creator(&mut *conn, profile.id).await?;
    let terms = billing::terms::load(&mut *conn).await?;
    drop(conn);
    let older = ledger::history::older(&mut history, HISTORY);
    Ok(Page(EarningsPage {
        ctx,
        held,
        held_count,
        held_total,
        payable,
        history,
        older,
        first_page: before.is_none(),
        payout_to: saved.map(|s| format!("{} ({})", s.account_holder, s.masked())),
        payouts,
        minimum: terms.payout_minimum_minor,
    }))
}

/// Every movement of what is payable to the creator, as CSV.
async fn export(
    State(state): State<AppState>,
    Influencer(user): Influencer,
) -> Result<Download, AppError> {
    let profile = influencers_db::find_profile(&state.db, ProfileBy::User(user.id))
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = Owner::Creator(profile.id);
    let bytes = ledger::export::history(&state.db, AccountKind::CreatorPayable, owner).await?;
    Ok(Download::csv("earnings.csv", bytes))
}
