//! `GET /feedback`: the creator's growth page.

use askama::Template;
use axum::{Router, extract::State, routing::get};

use super::{
    db::{self, ReviewSummary},
    growth::{self, ScoreChart, ThemeCount},
};
use crate::{
    auth::Influencer,
    collaborations::reviews::domain::Decision,
    domain::display::{self, filters},
    error::AppError,
    state::AppState,
    web::{Page, PageContext},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/feedback", get(index))
}

/// Reviews listed on the page; the chart and themes cover all of them.
const REVIEWS_SHOWN: i64 = 100;

#[derive(Template)]
#[template(path = "feedback/index.html")]
struct IndexPage {
    ctx: PageContext,
    chart: Option<ScoreChart>,
    /// (criterion label, latest month's average) when there is no chart yet.
    latest: Vec<(&'static str, String)>,
    themes: Vec<ThemeCount>,
    reviews: Vec<ReviewSummary>,
}

async fn index(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
) -> Result<Page<IndexPage>, AppError> {
    let mut conn = state.db.acquire().await?;
    let scores = db::monthly_scores(&mut *conn, user.id).await?;
    let changes = db::requested_changes(&mut *conn, user.id).await?;
    let reviews = db::reviews(&mut *conn, user.id, REVIEWS_SHOWN).await?;
    drop(conn);
    let chart = growth::chart(&scores);
    let latest = match scores.last() {
        Some(last) if chart.is_none() => scores
            .iter()
            .filter(|s| s.month == last.month)
            .map(|s| (s.criterion.label(), display::tenths(s.tenths)))
            .collect(),
        _ => Vec::new(),
    };
    Ok(Page(IndexPage {
        ctx,
        chart,
        latest,
        themes: growth::themes(&changes),
        reviews,
    }))
}
