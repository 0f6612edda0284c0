//! `/business/income`: income by month (gross, the agency's fees, net),
//! by brand and by format, held and payable, a 90-day forecast, year-to-date
//! totals for tax, and every line as CSV for an accountant.

use askama::Template;
use axum::extract::State;
use serde::Deserialize;
use time::{Date, Month as CalendarMonth};

use super::own_profile;
use crate::{
    auth::Influencer,
    business::{
        db::{self, Month},
        domain::{forecast, month_start},
    },
    domain::{Money, date::today, display::filters, money::add_to},
    earnings::{self, db::HeldCursor},
    error::AppError,
    state::AppState,
    web::{Page, PageContext, Query, keyset, render::Download},
};

/// The months the table shows.
const MONTHS: i64 = 24;

/// Held parts listed a page, soonest due first.
const HELD_SHOWN: i64 = 25;

/// Which page of held parts: the one after the part `after` names, or the
/// soonest.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct HeldQuery {
    after: String,
}

#[derive(Template)]
#[template(path = "business/income.html")]
pub(super) struct IncomePage {
    ctx: PageContext,
    months: Vec<Month>,
    year: i32,
    ytd_gross: Vec<Money>,
    ytd_fees: Vec<Money>,
    ytd_net: Vec<Money>,
    ytd_outside: Vec<Money>,
    by_brand: Vec<(String, Money)>,
    by_format: Vec<(String, Money)>,
    held: Vec<earnings::db::Held>,
    /// How many parts are held in all.
    held_count: i64,
    /// Showing a later page of held parts, not the soonest.
    later_page: bool,
    /// The query string of the next page of held parts, if there is one.
    later: Option<String>,
    payable: Vec<Money>,
    outside_due: Vec<(Date, Money, String)>,
    windows: [Vec<Money>; 3],
}

impl IncomePage {
    fn money(&self, minor: &i64, m: &Month) -> Money {
        Money::from_minor(*minor, m.currency)
    }

    fn month_name(&self, m: &Month) -> String {
        format!("{} {}", m.month.month(), m.month.year())
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Query(query, unread): Query<HeldQuery>,
) -> Result<Page<IncomePage>, AppError> {
    unread.or_refuse()?;
    let after = HeldCursor::decode(&query.after);
    let profile = own_profile(&state, &user).await?;
    let today = today();
    let first_shown = month_start(today)
        .checked_sub(time::Duration::days(31 * (MONTHS - 1)))
        .map_or(today, month_start);
    let year_start =
        Date::from_calendar_date(today.year(), CalendarMonth::January, 1).unwrap_or(today);
    let mut conn = state.db.acquire().await?;
    let months = db::months(&mut *conn, profile.id, first_shown.min(year_start)).await?;
    let (by_brand, by_format) = db::income_by(&mut *conn, profile.id, year_start).await?;
    let mut held = earnings::db::held_soonest(&mut *conn, user.id, after, HELD_SHOWN + 1).await?;
    let held_due = earnings::db::held_amounts(&mut *conn, user.id).await?;
    let payable = earnings::db::payable(&mut *conn, user.id).await?;
    let outside_due = db::outside_due(&mut *conn, profile.id).await?;
    drop(conn);
    let payable: Vec<Money> = payable.into_iter().filter(|m| m.minor() != 0).collect();
    let (mut ytd_gross, mut ytd_fees, mut ytd_net, mut ytd_outside) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for m in months.iter().filter(|m| m.month >= year_start) {
        let money = |minor| Money::from_minor(minor, m.currency);
        add_to(&mut ytd_gross, money(m.gross));
        add_to(&mut ytd_fees, money(m.fees));
        add_to(&mut ytd_net, money(m.net));
        if m.outside > 0 {
            add_to(&mut ytd_outside, money(m.outside));
        }
    }
    let windows = forecast(
        today,
        held_due
            .iter()
            .copied()
            .chain(outside_due.iter().map(|(due, amount, _)| (*due, *amount))),
    );
    let later = keyset::cut(&mut held, HELD_SHOWN, HeldCursor::at)
        .map(|c| format!("after={}#coming-heading", c.encode()));
    // The deals agreed outside Liaison are few: they head the first page.
    let outside_due = if after.is_some() {
        Vec::new()
    } else {
        outside_due
    };
    Ok(Page(IncomePage {
        ctx,
        months: months
            .into_iter()
            .filter(|m| m.month >= first_shown)
            .collect(),
        year: today.year(),
        ytd_gross,
        ytd_fees,
        ytd_net,
        ytd_outside,
        by_brand,
        by_format,
        held,
        held_count: held_due.len() as i64,
        later_page: after.is_some(),
        later,
        payable,
        outside_due,
        windows,
    }))
}

/// Every line of income as CSV: date, source, brand, what, currency, gross,
/// the agency's fee, net (amounts in major units, as accountants type them).
pub(super) async fn export(
    State(state): State<AppState>,
    Influencer(user): Influencer,
) -> Result<Download, AppError> {
    let profile = own_profile(&state, &user).await?;
    let lines = db::income_lines(&state.db, profile.id).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| AppError::Internal(e.into());
    w.write_record([
        "date",
        "source",
        "brand",
        "what",
        "currency",
        "gross",
        "agency_fee",
        "net",
    ])
    .map_err(csv_error)?;
    for l in &lines {
        let amount = |minor| Money::from_minor(minor, l.currency).to_decimal_string();
        w.write_record([
            l.on.to_string(),
            l.source.to_owned(),
            l.brand.clone(),
            l.what.clone(),
            l.currency.code().to_owned(),
            amount(l.gross),
            amount(l.fees),
            amount(l.net),
        ])
        .map_err(csv_error)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("writing the CSV: {e}")))?;
    Ok(Download::csv("income.csv", bytes))
}
