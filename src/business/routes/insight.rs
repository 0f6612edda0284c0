//! `/business/prices` (a suggested price for each rate-card line, with the
//! figures behind it) and `/business/partners` (how working with each brand
//! went: which brands are good partners).

use askama::Template;
use axum::extract::State;
use serde::Deserialize;

use super::own_profile;
use crate::{
    auth::Influencer,
    business::{
        db::{self, Partner, PartnerCursor},
        domain::{PriceInputs, Suggestion, hourly_rate_text, hours_text, suggest, target_hourly},
    },
    domain::{Money, display, display::filters},
    error::AppError,
    influencers::db::{self as influencers_db, RateRow},
    state::AppState,
    web::{Page, PageContext, Query, keyset},
};

#[derive(Template)]
#[template(path = "business/prices.html")]
pub(super) struct PricesPage {
    ctx: PageContext,
    lines: Vec<(RateRow, Suggestion)>,
}

pub(super) async fn prices(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
) -> Result<Page<PricesPage>, AppError> {
    let profile = own_profile(&state, &user).await?;
    let mut conn = state.db.acquire().await?;
    let rates = influencers_db::rates(&mut *conn, profile.id).await?;
    let agreed = db::agreed_by_format(&mut *conn, profile.id).await?;
    let engagement = db::engagement(&mut *conn, profile.id).await?;
    let goals = db::goals(&mut *conn, profile.id).await?;
    drop(conn);
    let lines = rates
        .into_iter()
        .map(|rate| {
            let currency = rate.price.currency();
            let own = agreed
                .iter()
                .find(|(p, f, c, ..)| *p == rate.platform && *f == rate.format && *c == currency);
            let channel = engagement.iter().find(|(p, ..)| *p == rate.platform);
            let target = match (goals.monthly_income, goals.weekly_hours_cap) {
                (Some(income), Some(cap)) if income.currency() == currency => {
                    target_hourly(income.minor(), i64::from(cap))
                }
                _ => None,
            };
            let inputs = PriceInputs {
                platform: rate.platform,
                format: rate.format,
                currency,
                rate_card: rate.price.minor(),
                agreed_fees: own.map(|o| o.3.clone()).unwrap_or_default(),
                minutes: own.map_or(0, |o| o.4),
                deals_with_hours: own.map_or(0, |o| o.5),
                target_hourly: target,
                tier: channel.map(|c| c.1).or(profile.tier),
                engagement_ppm: channel.and_then(|c| c.2),
                typical_ppm: channel.and_then(|c| c.3),
            };
            let suggestion = suggest(&inputs);
            (rate, suggestion)
        })
        .collect();
    Ok(Page(PricesPage { ctx, lines }))
}

/// One brand's row, ready to show.
pub(super) struct PartnerRow {
    p: Partner,
    earned: Money,
    per_hour: String,
    on_time: String,
    review_turnaround: String,
    rounds: String,
    scope: String,
    rating: String,
}

impl PartnerRow {
    fn of(p: Partner) -> PartnerRow {
        let money = |minor| Money::from_minor(minor, p.currency);
        let share = |part: i64, whole: i64| {
            if whole == 0 {
                "—".to_owned()
            } else {
                format!("{}%", part * 100 / whole)
            }
        };
        PartnerRow {
            earned: money(p.earned_minor),
            per_hour: hourly_rate_text(p.fee_minor, p.minutes, p.currency),
            on_time: share(p.releases_on_time, p.releases),
            review_turnaround: if p.reviews == 0 {
                "—".to_owned()
            } else {
                let hours = p.review_minutes / p.reviews / 60;
                if hours < 48 {
                    format!("{hours} h")
                } else {
                    format!("{} days", hours / 24)
                }
            },
            rounds: if p.deliverables == 0 {
                "—".to_owned()
            } else {
                display::tenths(p.rounds * 10 / p.deliverables)
            },
            scope: if p.scope_requests == 0 {
                "None".to_owned()
            } else {
                format!("{} ({} paid)", p.scope_requests, money(p.scope_added_minor))
            },
            rating: p
                .rating_tenths
                .map_or_else(|| "—".to_owned(), |t| format!("{}/5", display::tenths(t))),
            p,
        }
    }
}

/// Partners listed a page.
const PARTNERS_SHOWN: i64 = 50;

/// Which page of partners: the one after the row `after` names, or the first.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PartnersQuery {
    after: String,
}

#[derive(Template)]
#[template(path = "business/partners.html")]
pub(super) struct PartnersPage {
    ctx: PageContext,
    rows: Vec<PartnerRow>,
    /// Showing a later page, not the first.
    later_page: bool,
    /// The query string of the next page, if there is one.
    more: Option<String>,
}

impl PartnersPage {
    fn hours(&self, minutes: &i64) -> String {
        hours_text(*minutes)
    }
}

pub(super) async fn partners(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Query(query, unread): Query<PartnersQuery>,
) -> Result<Page<PartnersPage>, AppError> {
    unread.or_refuse()?;
    let after = PartnerCursor::decode(&query.after);
    let profile = own_profile(&state, &user).await?;
    let mut partners = db::partners(&state.db, profile.id, after, PARTNERS_SHOWN + 1).await?;
    let more = keyset::cut(&mut partners, PARTNERS_SHOWN, PartnerCursor::at)
        .map(|c| format!("after={}", c.encode()));
    Ok(Page(PartnersPage {
        ctx,
        rows: partners.into_iter().map(PartnerRow::of).collect(),
        later_page: after.is_some(),
        more,
    }))
}
