//! Discovery: brands search creators by text and filter them by tier, platform,
//! niche, country, audience, price, authenticity, verification and openness.
//!
//! Pages are keyset-paginated: each page ends with a cursor (the last row's sort
//! value and id) and the next page starts after it, so page 500 costs what page
//! 1 does. Only profiles with at least one channel are listed.

use serde::Deserialize;
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::{
    domain::{
        Currency, Format, Money, Platform, Tier,
        number::parse_figure,
        text::{country_code, optional},
    },
    web::FieldErrors,
};

pub const PAGE_SIZE: i64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Relevance,
    Authenticity,
    Engagement,
    Followers,
    Price,
}

impl Sort {
    pub const ALL: [(Sort, &'static str, &'static str); 5] = [
        (Sort::Relevance, "relevance", "Best match"),
        (Sort::Authenticity, "authenticity", "Authenticity score"),
        (Sort::Engagement, "engagement", "Engagement rate"),
        (Sort::Followers, "followers", "Followers"),
        (Sort::Price, "price", "Price, lowest first"),
    ];

    fn parse(key: &str) -> Option<Sort> {
        Sort::ALL
            .iter()
            .find(|(_, k, _)| *k == key.trim())
            .map(|(s, _, _)| *s)
    }
}

/// The search form as typed in the address bar.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct DiscoveryQuery {
    pub q: String,
    pub tier: String,
    pub platform: String,
    pub niche: String,
    pub country: String,
    pub min_followers: String,
    pub max_followers: String,
    pub max_price: String,
    pub currency: String,
    pub format: String,
    pub min_score: String,
    pub verified: String,
    pub open: String,
    pub sort: String,
    /// The cursor: where the previous page ended.
    pub after: String,
    /// Only for showing "page 3"; the cursor decides what is shown.
    pub page: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub text: Option<String>,
    pub tier: Option<Tier>,
    pub platform: Option<Platform>,
    pub niche: Option<String>,
    pub country: Option<String>,
    pub min_followers: Option<i64>,
    pub max_followers: Option<i64>,
    pub format: Option<Format>,
    pub currency: Currency,
    pub max_price: Option<i64>,
    pub min_score: Option<i16>,
    pub verified: bool,
    pub open: bool,
    pub sort: Sort,
    pub after: Option<Cursor>,
    pub page: i64,
}

/// Where a page ended: the last row's sort value and id.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub value: CursorValue,
    pub id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CursorValue {
    Int(i64),
    Rank(f32),
}

impl Cursor {
    pub fn encode(&self) -> String {
        match self.value {
            CursorValue::Int(n) => format!("{n}_{}", self.id),
            CursorValue::Rank(r) => format!("{r}_{}", self.id),
        }
    }

    fn decode(s: &str, sort: Sort) -> Option<Cursor> {
        let (value, id) = s.split_once('_')?;
        let id = id.parse().ok()?;
        let value = match sort {
            Sort::Relevance => {
                CursorValue::Rank(value.parse().ok().filter(|r: &f32| r.is_finite())?)
            }
            _ => CursorValue::Int(value.parse().ok()?),
        };
        Some(Cursor { value, id })
    }
}

impl DiscoveryQuery {
    /// The filter to apply. A value that makes no sense is reported next to its
    /// field and left out, so the page still shows something useful.
    pub fn parse(&self) -> (Filter, FieldErrors) {
        let mut e = FieldErrors::new();
        let text = Some(self.q.trim().to_owned()).filter(|q| !q.is_empty());
        let currency = Currency::chosen_or_default(&self.currency);
        let format = e
            .check("format", optional(&self.format, Format::parse))
            .flatten();
        let max_price = e
            .check(
                "max_price",
                optional(&self.max_price, |s| {
                    Money::parse_decimal(s, currency).map(Money::minor)
                }),
            )
            .flatten();
        if max_price.is_some() && format.is_none() {
            e.add("format", "Choose the format the price ceiling is for.");
        }
        let figure = |s: &str, what: &str| {
            optional(s, |s| {
                parse_figure(s, what, super::domain::MAX_FOLLOWERS, true)
            })
        };
        let min_followers = e
            .check(
                "min_followers",
                figure(&self.min_followers, "the fewest followers"),
            )
            .flatten();
        let max_followers = e
            .check(
                "max_followers",
                figure(&self.max_followers, "the most followers"),
            )
            .flatten();
        let min_score = e
            .check(
                "min_score",
                optional(&self.min_score, |s| match s.trim().parse::<i16>() {
                    Ok(n) if (0..=100).contains(&n) => Ok(n),
                    _ => Err("Enter a score from 0 to 100.".to_owned()),
                }),
            )
            .flatten();
        let mut sort = match self.sort.trim() {
            "" if text.is_some() => Sort::Relevance,
            "" => Sort::Authenticity,
            key => Sort::parse(key).unwrap_or(Sort::Authenticity),
        };
        if sort == Sort::Relevance && text.is_none() {
            sort = Sort::Authenticity;
        }
        if sort == Sort::Price && format.is_none() {
            e.add("sort", "Choose a format to sort by its price.");
            sort = Sort::Authenticity;
        }
        let filter = Filter {
            text,
            tier: e.check("tier", optional(&self.tier, Tier::parse)).flatten(),
            platform: e
                .check("platform", optional(&self.platform, Platform::parse))
                .flatten(),
            niche: Some(self.niche.trim().to_lowercase()).filter(|n| !n.is_empty()),
            country: e
                .check("country", optional(&self.country, country_code))
                .flatten(),
            min_followers,
            max_followers,
            format: if max_price.is_some() || sort == Sort::Price {
                format
            } else {
                None
            },
            currency,
            max_price: max_price.filter(|_| format.is_some()),
            min_score,
            verified: !self.verified.is_empty(),
            open: !self.open.is_empty(),
            sort,
            after: Cursor::decode(&self.after, sort),
            page: self
                .page
                .trim()
                .parse::<i64>()
                .unwrap_or(1)
                .clamp(1, 100_000),
        };
        (filter, e)
    }

    /// Whether anything narrows the list.
    pub fn is_filtered(&self) -> bool {
        [
            &self.q,
            &self.tier,
            &self.platform,
            &self.niche,
            &self.country,
            &self.min_followers,
            &self.max_followers,
            &self.max_price,
            &self.min_score,
            &self.verified,
            &self.open,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }

    /// The same search, starting after `cursor`.
    pub fn next_link(&self, cursor: &Cursor, page: i64) -> String {
        self.link(Some((cursor, page)))
    }

    /// The same search from its first page.
    pub fn first_link(&self) -> String {
        self.link(None)
    }

    fn link(&self, next: Option<(&Cursor, i64)>) -> String {
        let (cursor, page) = next
            .map(|(c, p)| (c.encode(), p.to_string()))
            .unwrap_or_default();
        let pairs = [
            ("q", self.q.as_str()),
            ("tier", &self.tier),
            ("platform", &self.platform),
            ("niche", &self.niche),
            ("country", &self.country),
            ("min_followers", &self.min_followers),
            ("max_followers", &self.max_followers),
            ("max_price", &self.max_price),
            ("currency", &self.currency),
            ("format", &self.format),
            ("min_score", &self.min_score),
            ("verified", &self.verified),
            ("open", &self.open),
            ("sort", &self.sort),
            ("after", &cursor),
            ("page", &page),
        ];
        let kept: Vec<(&str, &str)> = pairs
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        if kept.is_empty() {
            return "/influencers".to_owned();
        }
        format!(
            "/influencers?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    }
}

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

/// One page of results, and the cursor of the next page if there is one.
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
) -> Result<(Vec<ResultRow>, Option<Cursor>), sqlx::Error> {
    let mut q = QueryBuilder::<Postgres>::new(
        "select p.id, u.display_name, p.headline, p.country, p.city, p.niches, p.platforms, \
                p.tier, p.followers, p.engagement_ppm, coalesce(p.score, 0::int2) as score, \
                p.verified, p.open_to_offers, p.first_signal, page.rank, ",
    );
    match f.format {
        // The creator's lowest price for the format in the chosen currency.
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
    q.push(" from (select p.id, ");
    // The page orders by `rank` for a text search and by `key` otherwise. The
    // expressions are those of the sort indexes, so the index is walked in
    // order (a cast here would sort every row instead).
    let key = match f.sort {
        Sort::Relevance => "ts_rank(p.search, query)",
        Sort::Authenticity => "p.score",
        Sort::Engagement => "coalesce(p.engagement_ppm, -1)",
        Sort::Followers => "p.followers",
        Sort::Price => "r.price_minor",
    };
    if f.sort == Sort::Relevance {
        q.push(key).push(" as rank, 0::int8 as key");
    } else {
        q.push(format_args!("null::real as rank, {key}::int8 as key"));
    }
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
            .push_bind(f.format.map(Format::key).unwrap_or_default())
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
    q.push(" where p.tier is not null");
    if f.text.is_some() {
        q.push(" and p.search @@ query");
    }
    if let Some(tier) = f.tier {
        q.push(" and p.tier = ").push_bind(tier);
    }
    if let Some(platform) = f.platform {
        q.push(" and p.platforms @> array[")
            .push_bind(platform)
            .push("::text]");
    }
    if let Some(niche) = &f.niche {
        q.push(" and p.niches @> array[")
            .push_bind(niche.clone())
            .push("::text]");
    }
    if let Some(country) = &f.country {
        q.push(" and p.country = ").push_bind(country.clone());
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
    q.push(format_args!(
        " order by {key} {direction}, p.id {direction} limit {}) page \
           join influencer_profiles p on p.id = page.id join users u on u.id = p.user_id \
          order by page.{} {direction}, p.id {direction}",
        PAGE_SIZE + 1,
        if f.sort == Sort::Relevance {
            "rank"
        } else {
            "key"
        },
    ));
    let mut rows: Vec<ResultRow> = q.build_query_as().fetch_all(db).await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| r.cursor(f.sort))
    } else {
        None
    };
    Ok((rows, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_search_lists_the_most_authentic_first() {
        let (f, e) = DiscoveryQuery::default().parse();
        assert!(e.is_empty());
        assert_eq!(f.sort, Sort::Authenticity);
        assert_eq!(f.after, None);
    }

    #[test]
    fn text_sorts_by_relevance_unless_told_otherwise() {
        let q = DiscoveryQuery {
            q: "trail running".into(),
            ..DiscoveryQuery::default()
        };
        assert_eq!(q.parse().0.sort, Sort::Relevance);
        let q = DiscoveryQuery {
            sort: "followers".into(),
            ..q
        };
        assert_eq!(q.parse().0.sort, Sort::Followers);
    }

    #[test]
    fn a_price_needs_a_format() {
        let q = DiscoveryQuery {
            max_price: "500".into(),
            sort: "price".into(),
            ..DiscoveryQuery::default()
        };
        let (f, e) = q.parse();
        assert!(e.get("format").is_some());
        assert!(e.get("sort").is_some());
        assert_eq!(f.max_price, None);
        assert_eq!(f.sort, Sort::Authenticity);
    }

    #[test]
    fn bad_filters_are_reported_and_left_out() {
        let q = DiscoveryQuery {
            tier: "giga".into(),
            min_followers: "-3".into(),
            min_score: "101".into(),
            country: "Narnia".into(),
            ..DiscoveryQuery::default()
        };
        let (f, e) = q.parse();
        for field in ["tier", "min_followers", "min_score", "country"] {
            assert!(e.get(field).is_some(), "{field}");
        }
        assert_eq!((f.tier, f.min_followers, f.min_score), (None, None, None));
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_ignored() {
        let id = Uuid::now_v7();
        let c = Cursor {
            value: CursorValue::Rank(0.075_990_9),
            id,
        };
        assert_eq!(Cursor::decode(&c.encode(), Sort::Relevance), Some(c));
        let c = Cursor {
            value: CursorValue::Int(-1),
            id,
        };
        assert_eq!(Cursor::decode(&c.encode(), Sort::Engagement), Some(c));
        assert_eq!(Cursor::decode("nonsense", Sort::Followers), None);
        assert_eq!(
            Cursor::decode("NaN_00000000-0000-0000-0000-000000000000", Sort::Relevance),
            None
        );
    }

    #[test]
    fn links_keep_the_search() {
        let q = DiscoveryQuery {
            niche: "running".into(),
            tier: "micro".into(),
            ..DiscoveryQuery::default()
        };
        let c = Cursor {
            value: CursorValue::Int(90),
            id: Uuid::nil(),
        };
        assert_eq!(
            q.next_link(&c, 2),
            "/influencers?tier=micro&niche=running&after=90_00000000-0000-0000-0000-000000000000&page=2"
        );
        assert_eq!(q.first_link(), "/influencers?tier=micro&niche=running");
    }
}
