//! The figures a report shows for any group of collaborations, and the
//! ratios made from them, each with how it was computed.

use crate::domain::{
    Currency, Money,
    display::{count, percent_ppm},
};

/// `Totals` from a statement's row whose columns carry the totals' names
/// (`spend` and `revenue` in minor units), for `collaborations` collaborations.
macro_rules! totals_from_row {
    ($r:expr, $currency:expr, $collaborations:expr) => {
        $crate::reports::metrics::Totals {
            currency: $currency,
            collaborations: $collaborations,
            spend_minor: $r.spend,
            impressions: $r.impressions,
            engagements: $r.engagements,
            interactions: $r.interactions,
            engagement_base: $r.engagement_base,
            clicks: $r.clicks,
            unique_clicks: $r.unique_clicks,
            conversions: $r.conversions,
            revenue_minor: $r.revenue,
        }
    };
}
pub(crate) use totals_from_row;

/// What a group of collaborations (one, a campaign's, a brand's, a tier's)
/// cost and brought, in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub currency: Currency,
    pub collaborations: i64,
    /// Released plus still held, from the ledger: the fees and the agency's
    /// fee the brand paid for the work.
    pub spend_minor: i64,
    pub impressions: i64,
    pub engagements: i64,
    /// Likes and comments, and what the platforms' benchmarks divide them by
    /// (followers; views on video platforms), over the posts where it is known.
    pub interactions: i64,
    pub engagement_base: i64,
    pub clicks: i64,
    pub unique_clicks: i64,
    pub conversions: i64,
    pub revenue_minor: i64,
}

impl Totals {
    pub fn zero(currency: Currency) -> Totals {
        Totals {
            currency,
            collaborations: 0,
            spend_minor: 0,
            impressions: 0,
            engagements: 0,
            interactions: 0,
            engagement_base: 0,
            clicks: 0,
            unique_clicks: 0,
            conversions: 0,
            revenue_minor: 0,
        }
    }

    pub fn add(&mut self, o: &Totals) {
        self.collaborations += o.collaborations;
        self.spend_minor += o.spend_minor;
        self.impressions += o.impressions;
        self.engagements += o.engagements;
        self.interactions += o.interactions;
        self.engagement_base += o.engagement_base;
        self.clicks += o.clicks;
        self.unique_clicks += o.unique_clicks;
        self.conversions += o.conversions;
        self.revenue_minor += o.revenue_minor;
    }

    pub fn spend(&self) -> Money {
        Money::from_minor(self.spend_minor, self.currency)
    }

    pub fn revenue(&self) -> Money {
        Money::from_minor(self.revenue_minor, self.currency)
    }

    /// Spend per `per` units of `of`, in minor units, rounded.
    fn cost(&self, of: i64, per: i64) -> Option<Money> {
        (of > 0).then(|| {
            let minor = (i128::from(self.spend_minor) * i128::from(per) + i128::from(of) / 2)
                / i128::from(of);
            Money::from_minor(i64::try_from(minor).unwrap_or(i64::MAX), self.currency)
        })
    }

    pub fn cpm(&self) -> Option<Money> {
        self.cost(self.impressions, 1000)
    }

    pub fn cpe(&self) -> Option<Money> {
        self.cost(self.engagements, 1)
    }

    pub fn cpc(&self) -> Option<Money> {
        self.cost(self.unique_clicks, 1)
    }

    pub fn cpa(&self) -> Option<Money> {
        self.cost(self.conversions, 1)
    }

    /// Conversions per unique click, in parts per million.
    pub fn conversion_rate_ppm(&self) -> Option<i64> {
        ratio_ppm(self.conversions, self.unique_clicks)
    }

    /// Likes and comments per follower (per view on video platforms), in
    /// parts per million: the rate the platforms' benchmarks use.
    pub fn engagement_rate_ppm(&self) -> Option<i64> {
        ratio_ppm(self.interactions, self.engagement_base)
    }

    /// Revenue per unit of spend, in hundredths ("3.25×").
    pub fn return_on_spend_hundredths(&self) -> Option<i64> {
        (self.spend_minor > 0).then(|| {
            i64::try_from(
                (i128::from(self.revenue_minor) * 100 + i128::from(self.spend_minor) / 2)
                    / i128::from(self.spend_minor),
            )
            .unwrap_or(i64::MAX)
        })
    }

    /// "3.24×", as pages show it.
    pub fn return_on_spend(&self) -> Option<String> {
        self.return_on_spend_hundredths()
            .map(|h| format!("{}.{:02}×", h / 100, h % 100))
    }

    /// "5.00%", as pages show it.
    pub fn conversion_rate(&self) -> Option<String> {
        self.conversion_rate_ppm().map(percent_ppm)
    }

    /// Every ratio with its value (a dash when it cannot be computed yet)
    /// and how it was computed, in words.
    pub fn ratios(&self) -> Vec<Ratio> {
        let spend = self.spend();
        let money = |m: Option<Money>| m.map(|m| m.to_string());
        let roas = self.return_on_spend();
        vec![
            Ratio {
                name: "CPM",
                meaning: "cost per thousand impressions",
                value: money(self.cpm()),
                how: format!(
                    "{spend} spend ÷ {} impressions × 1,000",
                    count(self.impressions)
                ),
            },
            Ratio {
                name: "CPE",
                meaning: "cost per engagement",
                value: money(self.cpe()),
                how: format!(
                    "{spend} spend ÷ {} engagements (likes, comments, shares and saves)",
                    count(self.engagements)
                ),
            },
            Ratio {
                name: "CPC",
                meaning: "cost per click",
                value: money(self.cpc()),
                how: format!(
                    "{spend} spend ÷ {} people who clicked",
                    count(self.unique_clicks)
                ),
            },
            Ratio {
                name: "CPA",
                meaning: "cost per conversion",
                value: money(self.cpa()),
                how: format!("{spend} spend ÷ {} conversions", count(self.conversions)),
            },
            Ratio {
                name: "Engagement rate",
                meaning: "likes and comments per follower reached for",
                value: self.engagement_rate_ppm().map(percent_ppm),
                how: format!(
                    "{} likes and comments ÷ {} followers (views on video platforms), as the platform benchmarks count",
                    count(self.interactions),
                    count(self.engagement_base)
                ),
            },
            Ratio {
                name: "Conversion rate",
                meaning: "orders per person who clicked",
                value: self.conversion_rate(),
                how: format!(
                    "{} conversions ÷ {} people who clicked (orders by promo code count too)",
                    count(self.conversions),
                    count(self.unique_clicks)
                ),
            },
            Ratio {
                name: "Return on spend",
                meaning: "revenue per unit spent",
                value: roas,
                how: format!("{} revenue ÷ {spend} spend", self.revenue()),
            },
        ]
    }
}

fn ratio_ppm(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| {
        i64::try_from(i128::from(part) * 1_000_000 / i128::from(whole)).unwrap_or(i64::MAX)
    })
}

/// One ratio as a report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ratio {
    pub name: &'static str,
    pub meaning: &'static str,
    pub value: Option<String>,
    pub how: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals() -> Totals {
        Totals {
            currency: Currency::Usd,
            collaborations: 2,
            spend_minor: 253_000,
            impressions: 125_000,
            engagements: 4_600,
            interactions: 4_000,
            engagement_base: 100_000,
            clicks: 900,
            unique_clicks: 800,
            conversions: 40,
            revenue_minor: 820_000,
        }
    }

    #[test]
    fn ratios_are_spend_over_what_it_bought() {
        let t = totals();
        assert_eq!(t.cpm(), Some(Money::from_minor(2_024, Currency::Usd)));
        assert_eq!(t.cpe(), Some(Money::from_minor(55, Currency::Usd)));
        assert_eq!(t.cpc(), Some(Money::from_minor(316, Currency::Usd)));
        assert_eq!(t.cpa(), Some(Money::from_minor(6_325, Currency::Usd)));
        assert_eq!(t.conversion_rate_ppm(), Some(50_000));
        assert_eq!(t.return_on_spend_hundredths(), Some(324));
        let ratios = t.ratios();
        assert_eq!(ratios[3].value.as_deref(), Some("$63.25"));
        assert_eq!(ratios[3].how, "$2,530.00 spend ÷ 40 conversions");
        assert_eq!(ratios[6].value.as_deref(), Some("3.24×"));
        assert_eq!(ratios[4].value.as_deref(), Some("4.00%"));
    }

    #[test]
    fn nothing_to_divide_by_gives_no_value() {
        let t = Totals::zero(Currency::Eur);
        assert!(t.ratios().iter().all(|r| r.value.is_none()));
        let mut sum = Totals::zero(Currency::Usd);
        sum.add(&totals());
        sum.add(&totals());
        assert_eq!(sum.conversions, 80);
        assert_eq!(sum.cpa(), totals().cpa());
    }
}
