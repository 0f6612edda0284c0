//! `/business`: the desk at a glance: goals, the pipeline by stage, open
//! deals, money coming in, hours this week and the best partners.

use askama::Template;
use axum::extract::State;

use super::own_profile;
use crate::{
    auth::Influencer,
    business::{
        db::{self, Deal, Partner, StageTotal},
        domain::{self, Stage, forecast, hours_text},
        progress::{self, Progress},
    },
    domain::{Money, date::today, display::filters, money::add_to},
    earnings,
    error::AppError,
    state::AppState,
    web::{Page, PageContext},
};

/// The open deals the desk lists; the pipeline page has the rest.
const OPEN_DEALS: i64 = 25;

#[derive(Template)]
#[template(path = "business/desk.html")]
pub(super) struct DeskPage {
    ctx: PageContext,
    progress: Progress,
    stages: Vec<StageTotal>,
    open: Vec<Deal>,
    payable: Vec<Money>,
    held: Vec<Money>,
    windows: [Vec<Money>; 3],
    /// Applied for or shortlisted: not won yet, so not in the forecast.
    possible: Vec<Money>,
    partners: Vec<Partner>,
}

impl DeskPage {
    fn hours(&self, minutes: &i64) -> String {
        hours_text(*minutes)
    }

    fn earned(&self, p: &Partner) -> Money {
        Money::from_minor(p.earned_minor, p.currency)
    }

    fn rate(&self, p: &Partner) -> String {
        domain::hourly_rate_text(p.earned_minor, p.minutes, p.currency)
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
) -> Result<Page<DeskPage>, AppError> {
    let profile = own_profile(&state, &user).await?;
    let today = today();
    let mut conn = state.db.acquire().await?;
    let progress = progress::of(&mut conn, profile.id).await?;
    let stages = db::stage_totals(&mut *conn, profile.id).await?;
    let open = db::deals(&mut *conn, profile.id, None, None, OPEN_DEALS).await?;
    let payable = earnings::db::payable(&mut *conn, user.id).await?;
    let held = earnings::db::held_amounts(&mut *conn, user.id).await?;
    let outside = db::outside_due(&mut *conn, profile.id).await?;
    let partners = db::best_partners(&mut *conn, profile.id).await?;
    drop(conn);
    // A balance paid out to nothing is not money coming in.
    let payable: Vec<Money> = payable.into_iter().filter(|m| m.minor() != 0).collect();
    let mut held_total = Vec::new();
    for (_, net) in &held {
        add_to(&mut held_total, *net);
    }
    let mut possible = Vec::new();
    for s in stages
        .iter()
        .filter(|s| matches!(s.stage, Stage::Applied | Stage::Shortlisted))
    {
        for m in &s.amounts {
            add_to(&mut possible, *m);
        }
    }
    let windows = forecast(
        today,
        held.iter()
            .copied()
            .chain(outside.iter().map(|(due, amount, _)| (*due, *amount))),
    );
    Ok(Page(DeskPage {
        ctx,
        progress,
        stages,
        open,
        payable,
        held: held_total,
        windows,
        possible,
        partners,
    }))
}
