//! The search itself: one statement built from the filters in use.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use super::query::{Cursor, CursorValue, Filter, PAGE_SIZE, Sort};
use crate::domain::{Platform, Tier};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResultRow {
    pub id: Uuid,
    pub display_name: String,
    pub headline: String,
    pub country: Option<String>,
    pub city: String,
    pub niches: Vec<String>,
    pub platforms: Vec<Platform>,
    pub tier: Tier,
    pub followers: i64,
    pub engagement_ppm: Option<i32>,
    pub score: i16,
    pub verified: bool,
    pub open_to_offers: bool,
    pub first_signal: Option<String>,
    pub rank: Option<f32>,
    pub price_minor: Option<i64>,
    /// A text search's candidates filled the pool: more creators match than
    /// were ranked (the same on every row of a page).
    pub pool_full: bool,
}

impl ResultRow {
    fn cursor(&self, sort: Sort) -> Cursor {
        let value = match sort {
            Sort::Relevance => CursorValue::Rank(self.rank.unwrap_or(0.0)),
            Sort::Authenticity => CursorValue::Int(self.score.into()),
            Sort::Engagement => CursorValue::Int(self.engagement_ppm.map_or(-1, i64::from)),
            Sort::Followers => CursorValue::Int(self.followers),
            Sort::Price => CursorValue::Int(self.price_minor.unwrap_or(0)),
        };
        Cursor { value, id: self.id }
    }
}

/// How many of a text search's matches are ranked by relevance: those with the
/// strongest authenticity scores, fifty pages of results. A broad word matches
/// a tenth of all creators (81,713 of 1,000,000 for "fitness"); ranking every
/// match read each one's text, 49,859 pages and 250 ms or more, however few
/// were shown. The pool is found in score order: 11.6 ms at 1,000,000, and at
/// 100,000 no dearer than ranking every match (8.3 ms against 8.7; a pool of
/// 2,000 cost 11.5 there, sorting 8,000 wide rows to keep it). A word or
/// filters that match fewer are ranked in full, as before.
pub const RELEVANCE_POOL: i64 = 1_000;

/// One page of results, the cursor of the next page if there is one, and
/// whether a text search matched more creators than the pool it ranked.
///
/// Two levels: the inner query finds the page's 21 ids from the narrow columns
/// it filters and sorts on (walking the sort's index, or ranking the text
/// matches), and only those rows are then joined to their names and full
/// profiles. Joined before the limit, a broad text search joined every match
/// (88 ms at 100,000 creators); this way it ranks them and joins 21 (11 ms).
///
/// Built from the filters in use, like the campaign board, so each combination
/// is a short statement with a plan that fits it.
pub async fn search(
    db: impl PgExecutor<'_>,
    f: &Filter,
) -> Result<(Vec<ResultRow>, Option<Cursor>, bool), sqlx::Error> {
    // Relevance is the sort only when there is text to rank by (`query.rs`).
    let ranked = f.sort == Sort::Relevance;
    let mut q = QueryBuilder::<Postgres>::new("");
    if ranked {
        if narrowed(f) {
            push_clean_first_pool(&mut q, f);
        } else {
            // The pool, found once: the matches with the strongest scores,
            // walking the score index (or, for a rare word, every match from
            // the text index); the page is ranked from it and its size says
            // if it is full.
            q.push("with pool as materialized (select p.id, p.search, query");
            push_candidates(&mut q, f);
            push_filters(&mut q, f);
            q.push(format_args!(
                " order by p.score desc, p.id desc limit {RELEVANCE_POOL}) "
            ));
        }
    }
    q.push(
        "select p.id, u.display_name, p.headline, p.country, p.city, p.niches, p.platforms, \
                p.tier, p.followers, p.engagement_ppm, coalesce(p.score, 0::int2) as score, \
                p.verified, p.open_to_offers, p.first_signal, page.rank, ",
    );
    push_price(&mut q, f);
    if ranked {
        q.push(format_args!(
            ", (select count(*) from pool) = {RELEVANCE_POOL} as pool_full"
        ));
    } else {
        q.push(", false as pool_full");
    }
    q.push(" from (select p.id, ");
    // The page orders by `rank` for a text search and by `key` otherwise. The
    // expressions are those of the sort indexes, so the index is walked in
    // order (a cast here would sort every row instead).
    let key = match f.sort {
        Sort::Relevance => "ts_rank(p.search, p.query)",
        Sort::Authenticity => "p.score",
        Sort::Engagement => "coalesce(p.engagement_ppm, -1)",
        Sort::Followers => "p.followers",
        Sort::Price => "r.price_minor",
    };
    if ranked {
        q.push(key).push(" as rank, 0::int8 as key");
    } else {
        q.push(format_args!("null::real as rank, {key}::int8 as key"));
    }
    if ranked {
        q.push(" from pool p where true");
    } else {
        push_candidates(&mut q, f);
        push_filters(&mut q, f);
    }
    let direction = push_keyset(&mut q, f, key);
    q.push(format_args!(
        " order by {key} {direction}, p.id {direction} limit {}) page \
           join influencer_profiles p on p.id = page.id join users u on u.id = p.user_id \
          order by page.{} {direction}, p.id {direction}",
        PAGE_SIZE + 1,
        if ranked { "rank" } else { "key" },
    ));
    // A search's best plan depends on how common its words and facets are: a
    // broad word or niche is found by walking the sort's index, a rare one
    // from the text and facet index. A statement kept prepared is soon given
    // one plan for every value, and PostgreSQL's plan for an unknown one read
    // every match: all 8,133 of a broad word (29 ms at 100,000 creators,
    // against 15), all 8,252 creators in travel to show 20. Planned for its
    // values each time, the search costs its planning, under 1 ms.
    let mut rows: Vec<ResultRow> = q
        .build_query_as()
        .persistent(f.text.is_none() && facet_query(f).is_none())
        .fetch_all(db)
        .await?;
    let pool_full = rows.first().is_some_and(|r| r.pool_full);
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| r.cursor(f.sort))
    } else {
        None
    };
    Ok((rows, next, pool_full))
}

/// The pool for a word with filters that leave few of its matches. Those
/// matches are sparse in score order: walking the score index visited 188,000
/// creators to fill the pool at 1,000,000 (645 ms, a word and three filters).
/// So the text and facet index yields the matches, and first only those of
/// creators without authenticity signals (a score of 100, the `signals:none`
/// facet of migration 0052), the strongest there are. The rest are read only
/// when those do not fill the pool. A broad word with a tier and a platform
/// read the 1,161 matches without signals (18 ms) instead of all 11,171
/// (43 ms). Every profile with a tier has a score (a check in 0052), so the
/// two parts hold every match.
///
/// Each part orders by an expression the score index doesn't hold, so that
/// PostgreSQL takes the matches from the text and facet index rather than walk
/// the score index.
fn push_clean_first_pool(q: &mut QueryBuilder<'_, Postgres>, f: &Filter) {
    q.push("with clean as materialized (select p.id, p.search, query, p.score");
    push_candidates(q, f);
    push_filters(q, f);
    q.push(format_args!(
        " and p.facets @@ '''signals:none'''::tsquery \
          order by p.score::int4 desc, p.id desc limit {RELEVANCE_POOL}), \
         rest as materialized (select p.id, p.search, query, p.score"
    ));
    push_candidates(q, f);
    push_filters(q, f);
    // The count is not a row's condition: PostgreSQL tests it once, before
    // reading the rest, and skips them when the first part fills the pool.
    q.push(format_args!(
        " and p.score < 100 and (select count(*) from clean) < {RELEVANCE_POOL} \
          order by p.score::int4 desc, p.id desc limit {RELEVANCE_POOL}), \
         pool as materialized (select b.id, b.search, b.query from \
           (select * from clean union all select * from rest) b \
          order by b.score desc, b.id desc limit {RELEVANCE_POOL}) "
    ));
}

/// Filters that leave a small share of creators; the score floor, a verified
/// badge and being open to offers leave most of them.
fn narrowed(f: &Filter) -> bool {
    f.tier.is_some()
        || f.platform.is_some()
        || f.niche.is_some()
        || f.country.is_some()
        || f.min_followers.is_some()
        || f.max_followers.is_some()
        || f.max_price.is_some()
}

/// The creator's lowest price for the format in the chosen currency, if a
/// format is chosen.
fn push_price(q: &mut QueryBuilder<'_, Postgres>, f: &Filter) {
    match f.format {
        Some(format) => {
            q.push(
                "(select min(r.price_minor) from rates r where r.profile_id = p.id and r.format = ",
            )
            .push_bind(format)
            .push(" and r.currency = ")
            .push_bind(f.currency)
            .push(") as price_minor");
        }
        None => {
            q.push("null::int8 as price_minor");
        }
    }
}

/// Where the candidates come from: profiles, with the parsed text query and,
/// sorting by price, each creator's cheapest rate for the format.
fn push_candidates(q: &mut QueryBuilder<'_, Postgres>, f: &Filter) {
    q.push(" from influencer_profiles p");
    if let Some(text) = &f.text {
        // In FROM, the query is parsed once per statement; inside ts_rank with a
        // bound parameter, PostgreSQL's generic plan parsed it again for every
        // matching row (211 ms instead of 22 for a broad word).
        q.push(" cross join websearch_to_tsquery('english', ")
            .push_bind(text.clone())
            .push(") as query");
    }
    if f.sort == Sort::Price {
        // Each creator once, at their cheapest rate for the format: walks the
        // rates in price order and keeps a rate only if none of the same
        // creator's is cheaper.
        q.push(" join rates r on r.profile_id = p.id and r.format = ")
            .push_bind(f.format)
            .push(" and r.currency = ")
            .push_bind(f.currency)
            .push(
                " and not exists (select 1 from rates r2 where r2.profile_id = r.profile_id \
                   and r2.format = r.format and r2.currency = r.currency \
                   and (r2.price_minor, r2.id) < (r.price_minor, r.id))",
            );
        if let Some(max) = f.max_price {
            q.push(" and r.price_minor <= ").push_bind(max);
        }
    }
}

/// Every filter in use; only profiles with a channel whose account is not
/// suspended are listed.
fn push_filters(q: &mut QueryBuilder<'_, Postgres>, f: &Filter) {
    q.push(" where p.tier is not null and not p.suspended");
    if f.text.is_some() {
        q.push(" and p.search @@ query");
    }
    if let Some(facets) = facet_query(f) {
        q.push(" and p.facets @@ ")
            .push_bind(facets)
            .push("::tsquery");
    }
    if let Some(min) = f.min_followers {
        q.push(" and p.followers >= ").push_bind(min);
    }
    if let Some(max) = f.max_followers {
        q.push(" and p.followers <= ").push_bind(max);
    }
    if let (Some(max), Some(format)) = (f.max_price, f.format)
        && f.sort != Sort::Price
    {
        q.push(" and exists (select 1 from rates r where r.profile_id = p.id and r.format = ")
            .push_bind(format)
            .push(" and r.currency = ")
            .push_bind(f.currency)
            .push(" and r.price_minor <= ")
            .push_bind(max)
            .push(")");
    }
    if let Some(min) = f.min_score {
        q.push(" and p.score >= ").push_bind(min);
    }
    if f.verified {
        q.push(" and p.verified");
    }
    if f.open {
        q.push(" and p.open_to_offers");
    }
}

/// The tier, platform, niche and country asked for, as a text query of the
/// profile's facet lexemes (migration 0052): `'tier:micro' & 'platform:tiktok'`.
/// One condition on the index that also holds the searched text, so a word and
/// its filters are matched in one index scan.
fn facet_query(f: &Filter) -> Option<String> {
    let facets: Vec<String> = [
        f.tier.map(|t| format!("tier:{}", t.key())),
        f.platform.map(|p| format!("platform:{}", p.key())),
        f.niche.as_ref().map(|n| format!("niche:{n}")),
        f.country.as_ref().map(|c| format!("country:{c}")),
    ]
    .into_iter()
    .flatten()
    .map(|lexeme| quoted_lexeme(&lexeme))
    .collect();
    (!facets.is_empty()).then(|| facets.join(" & "))
}

/// A lexeme as `tsquery` input takes it whole, without parsing its words: in
/// single quotes, with quotes and backslashes escaped (a niche is free text).
fn quoted_lexeme(lexeme: &str) -> String {
    let escaped = lexeme.replace('\\', "\\\\").replace('\'', "''");
    format!("'{escaped}'")
}

/// Continues after the previous page's last row; returns the sort direction.
fn push_keyset(q: &mut QueryBuilder<'_, Postgres>, f: &Filter, key: &str) -> &'static str {
    let descending = f.sort != Sort::Price;
    let (direction, after) = if descending {
        ("desc", "<")
    } else {
        ("asc", ">")
    };
    if let Some(cursor) = &f.after {
        q.push(format_args!(" and ({key}, p.id) {after} ("));
        match cursor.value {
            CursorValue::Int(n) => q.push_bind(n),
            CursorValue::Rank(r) => q.push_bind(r),
        };
        q.push(", ").push_bind(cursor.id).push(")");
    }
    direction
}
