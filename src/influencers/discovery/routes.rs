//! `/influencers`: brands and admins search creators; each result can be
//! invited to one of the brand's open campaigns.

use askama::Template;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::get,
};

use super::{
    db::{self as discovery_db, ResultRow},
    query::{Cursor, DiscoveryQuery, Filter, Sort},
};
use crate::{
    auth::Scout,
    campaigns::creator_invites::db::{self as invitations, Invitable},
    domain::{Currency, Format, Money, Platform, Tier, date::today, display},
    error::AppError,
    influencers::view::score_class,
    state::AppState,
    web::{FieldErrors, Page, PageContext, Query},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/influencers", get(search))
}

#[derive(Template)]
#[template(path = "influencers/discovery/search.html")]
struct SearchPage {
    ctx: PageContext,
    query: DiscoveryQuery,
    /// The query as parsed once, for what each result shows.
    filter: Filter,
    errors: FieldErrors,
    results: Vec<ResultRow>,
    next: Option<Cursor>,
    /// More creators match the text than the pool ranked by relevance.
    pool_full: bool,
    page: i64,
    /// The brand's open campaigns, to invite a result to; empty for admins.
    campaigns: Vec<Invitable>,
    is_brand: bool,
}

impl SearchPage {
    fn tiers(&self) -> &'static [Tier] {
        &Tier::ALL
    }

    fn platforms(&self) -> &'static [Platform] {
        &Platform::ALL
    }

    fn formats(&self) -> &'static [Format] {
        &Format::ALL
    }

    fn currencies(&self) -> &'static [Currency] {
        &Currency::ALL
    }

    fn sorts(&self) -> &'static [(Sort, &'static str, &'static str)] {
        &Sort::ALL
    }

    fn sort_selected(&self, key: &str) -> bool {
        Sort::ALL
            .iter()
            .any(|(s, k, _)| *k == key && *s == self.filter.sort)
    }

    fn next_link(&self) -> Option<String> {
        self.next
            .as_ref()
            .map(|c| self.query.next_link(c, self.page + 1))
    }

    fn first_link(&self) -> String {
        self.query.first_link()
    }

    /// This page's own address, to come back to after an invitation.
    fn here(&self) -> String {
        match self.page {
            1 => self.query.first_link(),
            _ => format!(
                "{}{}after={}&page={}",
                self.query.first_link(),
                if self.query.first_link().contains('?') {
                    "&"
                } else {
                    "?"
                },
                self.query.after,
                self.page
            ),
        }
    }

    fn platform_labels(&self, platforms: &[Platform]) -> String {
        platforms
            .iter()
            .map(|p| p.label())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn followers(&self, n: &i64) -> String {
        display::count(*n)
    }

    fn engagement(&self, ppm: &Option<i32>) -> String {
        ppm.map_or_else(|| "—".to_owned(), |p| display::percent_ppm(p.into()))
    }

    fn price(&self, minor: &Option<i64>) -> Option<String> {
        minor.map(|m| Money::from_minor(m, self.filter.currency).to_string())
    }

    fn price_format(&self) -> &'static str {
        self.filter.format.map_or("", |f| f.label())
    }

    fn score_class(&self, score: &i16) -> &'static str {
        score_class(*score)
    }

    fn pool_size(&self) -> String {
        display::count(discovery_db::RELEVANCE_POOL)
    }

    fn checked(&self, value: &str) -> bool {
        !value.is_empty()
    }
}

async fn search(
    State(state): State<AppState>,
    ctx: PageContext,
    Scout(user): Scout,
    Query(query, unread): Query<DiscoveryQuery>,
) -> Result<Response, AppError> {
    let (filter, errors) = query.parse();
    let errors = unread.into_errors(errors);
    // The brand's campaigns come in parallel, on another connection: a search
    // waits for one round trip, not two. Unlike other pages, which read on one
    // connection: its target is a search's latency with few in flight.
    let ((results, next, pool_full), campaigns) =
        tokio::try_join!(discovery_db::search(&state.db, &filter), async {
            match &user.brand {
                Some(brand) => invitations::invitable(&state.db, brand.brand_id, today()).await,
                None => Ok(Vec::new()),
            }
        })?;
    let status = errors.filter_status();
    let page = SearchPage {
        ctx,
        errors,
        results,
        next,
        pool_full,
        page: if filter.after.is_some() {
            filter.page
        } else {
            1
        },
        query,
        filter,
        campaigns,
        is_brand: user.brand.is_some(),
    };
    Ok((status, Page(page)).into_response())
}
