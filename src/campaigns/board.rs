//! The campaign board: open campaigns that still take applications, filtered by
//! platform, niche, pay model, budget and deadline, sorted by deadline or newest,
//! a page at a time.

use serde::Deserialize;
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use time::Date;
use uuid::Uuid;

use super::domain::Compensation;
use crate::{
    auth::Reach,
    domain::{Currency, Money, Platform, Tier, date::parse_date, display, text::optional},
    web::FieldErrors,
};

pub const PAGE_SIZE: i64 = 20;
/// Far enough for any real browsing; keeps OFFSET from being abused.
const MAX_PAGE: i64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Deadline,
    Newest,
}

/// The filter form as typed in the address bar.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct BoardQuery {
    pub platform: String,
    pub niche: String,
    pub compensation: String,
    pub currency: String,
    pub budget_min: String,
    pub budget_max: String,
    pub closes_after: String,
    pub closes_before: String,
    pub sort: String,
    pub page: String,
    /// Only campaigns whose tiers and platforms fit the viewer.
    pub fit: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardFilter {
    pub platform: Option<Platform>,
    pub niche: Option<String>,
    pub compensation: Option<Compensation>,
    pub currency: Currency,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub closes_after: Option<Date>,
    pub closes_before: Option<Date>,
    pub sort: Sort,
    pub page: i64,
    pub fit_only: bool,
}

impl BoardQuery {
    /// The filter to apply. A value that makes no sense is left out of the filter
    /// and reported, so the board still shows something useful.
    pub fn parse(&self) -> (BoardFilter, FieldErrors) {
        let mut e = FieldErrors::new();
        let currency = Currency::chosen_or_default(&self.currency);
        let money = |s: &str| Money::parse_decimal(s, currency).map(Money::minor);
        let filter = BoardFilter {
            platform: e
                .check("platform", optional(&self.platform, Platform::parse))
                .flatten(),
            niche: Some(self.niche.trim().to_lowercase()).filter(|n| !n.is_empty()),
            compensation: e
                .check(
                    "compensation",
                    optional(&self.compensation, Compensation::parse),
                )
                .flatten(),
            currency,
            budget_min: e
                .check("budget_min", optional(&self.budget_min, money))
                .flatten(),
            budget_max: e
                .check("budget_max", optional(&self.budget_max, money))
                .flatten(),
            closes_after: e
                .check(
                    "closes_after",
                    optional(&self.closes_after, |s| parse_date(s, "a date")),
                )
                .flatten(),
            closes_before: e
                .check(
                    "closes_before",
                    optional(&self.closes_before, |s| parse_date(s, "a date")),
                )
                .flatten(),
            sort: if self.sort == "newest" {
                Sort::Newest
            } else {
                Sort::Deadline
            },
            page: self
                .page
                .trim()
                .parse::<i64>()
                .unwrap_or(1)
                .clamp(1, MAX_PAGE),
            fit_only: !self.fit.trim().is_empty(),
        };
        (filter, e)
    }

    /// The same filters on another page, for the pagination links.
    pub fn page_link(&self, page: i64) -> String {
        let pairs = [
            ("platform", self.platform.as_str()),
            ("niche", self.niche.as_str()),
            ("compensation", self.compensation.as_str()),
            ("currency", self.currency.as_str()),
            ("budget_min", self.budget_min.as_str()),
            ("budget_max", self.budget_max.as_str()),
            ("closes_after", self.closes_after.as_str()),
            ("closes_before", self.closes_before.as_str()),
            ("sort", self.sort.as_str()),
            ("fit", self.fit.as_str()),
        ];
        let page = page.to_string();
        let kept: Vec<(&str, &str)> = pairs
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .chain(std::iter::once(("page", page.as_str())))
            .collect();
        format!(
            "/campaigns?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    }
}

/// How a campaign fits the creator looking at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    /// Their tier is eligible and they publish on one of its platforms.
    Fits,
    /// Their tier (by their largest channel) is not among the campaign's.
    OtherTier(Tier),
    /// None of their channels is on the campaign's platforms.
    OtherPlatforms,
    /// They have no channels yet, so there is nothing to compare.
    Unknown,
}

impl Fit {
    fn of(
        tier: Option<Tier>,
        platforms: &[Platform],
        eligible: &[Tier],
        wanted: &[Platform],
    ) -> Fit {
        let Some(tier) = tier else {
            return Fit::Unknown;
        };
        if !eligible.contains(&tier) {
            Fit::OtherTier(tier)
        } else if !wanted.iter().any(|p| platforms.contains(p)) {
            Fit::OtherPlatforms
        } else {
            Fit::Fits
        }
    }
}

pub struct Card {
    pub id: Uuid,
    pub fit: Fit,
    pub title: String,
    pub brand_name: String,
    pub budget: String,
    pub compensation: &'static str,
    pub closes: String,
    pub platforms: Vec<&'static str>,
    pub tiers: Vec<&'static str>,
    pub niches: Vec<String>,
}

impl Card {
    pub fn fits(&self) -> bool {
        self.fit == Fit::Fits
    }

    /// Whether the viewer has channels to compare with the campaign's.
    pub fn viewer_known(&self) -> bool {
        self.fit != Fit::Unknown
    }

    /// Why it fits or not, in a few words.
    pub fn fit_note(&self) -> String {
        match &self.fit {
            Fit::Fits => "Fits your tier and platforms".into(),
            Fit::OtherTier(t) => format!("For other tiers than yours ({})", t.label()),
            Fit::OtherPlatforms => "Not on your platforms".into(),
            Fit::Unknown => String::new(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    title: String,
    brand_name: String,
    budget_minor: i64,
    currency: Currency,
    compensation: Compensation,
    application_deadline: Date,
    platforms: Vec<Platform>,
    eligible_tiers: Vec<Tier>,
    niches: Vec<String>,
}

/// One page of the board, and whether another page follows.
///
/// Built from the filters in use rather than written once with optional filters
/// (`$2 is null or ...`): PostgreSQL plans such a query badly when it is prepared
/// (a generic plan that sorts every open campaign: 64 ms at 20,000 campaigns) and
/// slowly when it is not (1.3 ms of planning per request). Each combination of
/// filters is a short statement that is prepared once per connection and uses the
/// index of its sort. The integration tests run every filter and sort against it.
///
/// Whether each card fits the viewer is worked out here from their reach, which
/// comes with their session: reading their profile in the page's statement cost
/// the board a fifth of its throughput (pgbench, 100,000 creators).
pub async fn page(
    db: impl PgExecutor<'_>,
    f: &BoardFilter,
    viewer: Option<&Reach>,
    today: Date,
) -> Result<(Vec<Card>, bool), sqlx::Error> {
    let mut q = QueryBuilder::<Postgres>::new(
        "select c.id, c.title, c.brand_name, c.budget_minor, c.currency, c.compensation, \
                c.application_deadline, c.platforms, c.eligible_tiers, c.niches \
           from campaigns c \
          where c.status = 'open' \
            and not exists (select 1 from brands b \
                             where b.id = c.brand_id and b.suspended_at is not null)",
    );
    // Today's date, the page size and the offset are written into the statement,
    // not bound: with them known, PostgreSQL settles on one cached plan for an
    // unfiltered page instead of planning again on every request (0.5 ms each).
    // All three come from typed values, never from the request's text.
    q.push(format_args!(
        " and c.application_deadline >= date '{today}'"
    ));
    push_filters(&mut q, f, viewer);
    q.push(match f.sort {
        Sort::Deadline => " order by c.application_deadline, c.id",
        Sort::Newest => " order by c.published_at desc, c.id desc",
    });
    q.push(format_args!(
        " limit {} offset {}",
        PAGE_SIZE + 1,
        (f.page - 1) * PAGE_SIZE
    ));
    let rows: Vec<Row> = q.build_query_as().fetch_all(db).await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    let cards = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| Card {
            id: r.id,
            fit: Fit::of(
                viewer.map(|v| v.tier),
                viewer.map_or(&[][..], |v| &v.platforms),
                &r.eligible_tiers,
                &r.platforms,
            ),
            title: r.title,
            brand_name: r.brand_name,
            budget: Money::from_minor(r.budget_minor, r.currency).to_string(),
            compensation: r.compensation.label(),
            closes: display::day(r.application_deadline),
            platforms: r.platforms.iter().map(|p| p.label()).collect(),
            tiers: r.eligible_tiers.iter().map(|t| t.label()).collect(),
            niches: r.niches,
        })
        .collect();
    Ok((cards, more))
}

/// The filters in use; "fits me" needs the viewer's reach, and without channels
/// nothing can be said to fit.
fn push_filters(q: &mut QueryBuilder<'_, Postgres>, f: &BoardFilter, viewer: Option<&Reach>) {
    if let Some(platform) = f.platform {
        q.push(" and c.platforms @> array[")
            .push_bind(platform)
            .push("::text]");
    }
    if let Some(niche) = &f.niche {
        q.push(" and c.niches @> array[")
            .push_bind(niche.clone())
            .push("::text]");
    }
    if let Some(compensation) = f.compensation {
        q.push(" and c.compensation = ").push_bind(compensation);
    }
    if f.budget_min.is_some() || f.budget_max.is_some() {
        q.push(" and c.currency = ").push_bind(f.currency);
    }
    if let Some(min) = f.budget_min {
        q.push(" and c.budget_minor >= ").push_bind(min);
    }
    if let Some(max) = f.budget_max {
        q.push(" and c.budget_minor <= ").push_bind(max);
    }
    if let Some(after) = f.closes_after {
        q.push(" and c.application_deadline >= ").push_bind(after);
    }
    if let Some(before) = f.closes_before {
        q.push(" and c.application_deadline <= ").push_bind(before);
    }
    if f.fit_only {
        match viewer {
            Some(reach) => {
                q.push(" and c.eligible_tiers @> array[")
                    .push_bind(reach.tier)
                    .push("::text] and c.platforms && ")
                    .push_bind(reach.platforms.clone());
            }
            // Without channels nothing can be said to fit.
            None => {
                q.push(" and false");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_query_sorts_by_deadline_on_page_one() {
        let (f, errors) = BoardQuery::default().parse();
        assert!(errors.is_empty());
        assert_eq!(f.sort, Sort::Deadline);
        assert_eq!(f.page, 1);
        assert_eq!(f.platform, None);
    }

    #[test]
    fn bad_filters_are_reported_and_left_out() {
        let q = BoardQuery {
            platform: "myspace".into(),
            budget_min: "lots".into(),
            niche: " Hiking ".into(),
            page: "-4".into(),
            ..BoardQuery::default()
        };
        let (f, errors) = q.parse();
        assert!(errors.get("platform").is_some());
        assert!(errors.get("budget_min").is_some());
        assert_eq!(f.platform, None);
        assert_eq!(f.budget_min, None);
        assert_eq!(f.niche.as_deref(), Some("hiking"));
        assert_eq!(f.page, 1);
    }

    #[test]
    fn budgets_are_read_in_the_chosen_currency() {
        let q = BoardQuery {
            currency: "EUR".into(),
            budget_min: "1,000".into(),
            ..BoardQuery::default()
        };
        let (f, _) = q.parse();
        assert_eq!(f.currency, Currency::Eur);
        assert_eq!(f.budget_min, Some(100_000));
    }

    #[test]
    fn fit_compares_tier_then_platforms() {
        use Platform::{Instagram, Tiktok, Youtube};
        let eligible = [Tier::Micro, Tier::Mid];
        let wanted = [Instagram, Tiktok];
        assert_eq!(Fit::of(None, &[], &eligible, &wanted), Fit::Unknown);
        assert_eq!(
            Fit::of(Some(Tier::Nano), &[Instagram], &eligible, &wanted),
            Fit::OtherTier(Tier::Nano)
        );
        assert_eq!(
            Fit::of(Some(Tier::Micro), &[Youtube], &eligible, &wanted),
            Fit::OtherPlatforms
        );
        assert_eq!(
            Fit::of(Some(Tier::Mid), &[Youtube, Tiktok], &eligible, &wanted),
            Fit::Fits
        );
    }

    #[test]
    fn page_links_keep_the_filters() {
        let q = BoardQuery {
            platform: "tiktok".into(),
            sort: "newest".into(),
            ..BoardQuery::default()
        };
        assert_eq!(
            q.page_link(3),
            "/campaigns?platform=tiktok&sort=newest&page=3"
        );
    }
}
