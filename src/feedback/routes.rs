//! `GET /feedback`: the creator's growth page.

use askama::Template;
use axum::{Router, extract::State, routing::get};
use serde::Deserialize;

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
    web::{
        Page, PageContext, Query,
        keyset::{self, Cursor},
    },
};

pub fn router() -> Router<AppState> {
    Router::new().route("/feedback", get(index))
}

/// Reviews listed a page; the chart and themes cover all of them.
const REVIEWS_SHOWN: i64 = 20;

/// Which page of reviews: the one after the review `before` names, or the
/// newest.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReviewsQuery {
    before: String,
}

#[derive(Template)]
#[template(path = "feedback/index.html")]
struct IndexPage {
    ctx: PageContext,
    chart: Option<ScoreChart>,
    /// (criterion label, latest month's average) when there is no chart yet.
    latest: Vec<(&'static str, String)>,
    themes: Vec<ThemeCount>,
    reviews: Vec<ReviewSummary>,
    /// Showing an older page of reviews, not the newest.
    older_page: bool,
    /// The query string of the next older page, if there is one.
    older: Option<String>,
}

async fn index(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Query(query, unread): Query<ReviewsQuery>,
) -> Result<Page<IndexPage>, AppError> {
    unread.or_refuse()?;
    let before = Cursor::decode(&query.before);
    let mut conn = state.db.acquire().await?;
    let scores = db::monthly_scores(&mut *conn, user.id).await?;
    let changes = db::requested_changes(&mut *conn, user.id).await?;
    let mut reviews = db::reviews(&mut *conn, user.id, before, REVIEWS_SHOWN + 1).await?;
    drop(conn);
    let older = keyset::cut(&mut reviews, REVIEWS_SHOWN, |r| r.place)
        .map(|c| format!("before={}#reviews-heading", c.encode()));
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
        older_page: before.is_some(),
        older,
    }))
}
