//! The search as typed (the address bar's query) and as applied: filters,
//! sort and the keyset cursor that continues a page.

use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{
        Currency, Format, Money, Platform, Tier,
        number::parse_figure,
        text::{country_code, optional},
    },
    influencers::domain::MAX_FOLLOWERS,
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
        let figure =
            |s: &str, what: &str| optional(s, |s| parse_figure(s, what, MAX_FOLLOWERS, true));
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
        let sort = self.sort(text.is_some(), format, &mut e);
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

    /// Best match for a text search, else the sort chosen; relevance needs text
    /// and a price needs its format, or the most authentic come first.
    fn sort(&self, has_text: bool, format: Option<Format>, e: &mut FieldErrors) -> Sort {
        let sort = match self.sort.trim() {
            "" if has_text => Sort::Relevance,
            "" => Sort::Authenticity,
            key => Sort::parse(key).unwrap_or(Sort::Authenticity),
        };
        match sort {
            Sort::Relevance if !has_text => Sort::Authenticity,
            Sort::Price if format.is_none() => {
                e.add("sort", "Choose a format to sort by its price.");
                Sort::Authenticity
            }
            sort => sort,
        }
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
