//! Results by the tier a creator was accepted at: cost per conversion,
//! conversion rate, cost per engagement and engagement rate for nano to mega,
//! each with the number of collaborations and a 95% interval, and a sentence
//! saying what the data show and how sure it is.

use super::{
    metrics::Totals,
    stats::{overlap, ratio_interval, wilson},
};
use crate::domain::{Currency, Money, Tier, display::percent_ppm};

/// A cost with its interval: none from a single collaboration, and an open
/// upper bound when the data cannot bound it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostEstimate {
    pub value: Money,
    pub interval: Option<(Money, Option<Money>)>,
}

impl CostEstimate {
    pub fn interval(&self) -> String {
        match self.interval {
            Some((low, Some(high))) => format!("{low}–{high}"),
            Some((low, None)) => format!("{low} or more"),
            None => "one collaboration: no interval".to_owned(),
        }
    }

    fn bounds(&self) -> Option<(f64, Option<f64>)> {
        self.interval
            .map(|(low, high)| (low.minor() as f64, high.map(|h| h.minor() as f64)))
    }
}

/// A rate in parts per million with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateEstimate {
    pub ppm: i64,
    pub low_ppm: i64,
    pub high_ppm: i64,
}

impl RateEstimate {
    pub fn value(&self) -> String {
        percent_ppm(self.ppm)
    }

    pub fn interval(&self) -> String {
        format!(
            "{}–{}",
            percent_ppm(self.low_ppm),
            percent_ppm(self.high_ppm)
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TierRow {
    pub tier: Tier,
    pub totals: Totals,
    pub cpa: Option<CostEstimate>,
    pub conversion_rate: Option<RateEstimate>,
    pub cpe: Option<CostEstimate>,
    pub engagement_rate: Option<RateEstimate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TierReport {
    pub currency: Currency,
    /// Nano to mega, each whether or not it has collaborations.
    pub rows: Vec<TierRow>,
    /// What the data show, in a sentence or two.
    pub finding: String,
}

/// A cost estimate from the collaborations' own (spend, units): the pooled
/// ratio, and a bootstrap interval over collaborations.
fn cost(units: &[(f64, f64)], total: &Totals, of: i64, seed: u64) -> Option<CostEstimate> {
    if of <= 0 {
        return None;
    }
    let value = Money::from_minor(
        (i128::from(total.spend_minor) / i128::from(of)) as i64,
        total.currency,
    );
    let money = |v: f64| Money::from_minor(v.round() as i64, total.currency);
    Some(CostEstimate {
        value,
        interval: ratio_interval(units, seed).map(|(low, high)| (money(low), high.map(money))),
    })
}

fn rate(part: i64, whole: i64) -> Option<RateEstimate> {
    let (lo, hi) = wilson(part.max(0) as u64, whole.max(0) as u64)?;
    Some(RateEstimate {
        ppm: (i128::from(part) * 1_000_000 / i128::from(whole)) as i64,
        low_ppm: (lo * 1_000_000.0).round() as i64,
        high_ppm: (hi * 1_000_000.0).round() as i64,
    })
}

/// One collaboration as the tier report counts it: the tier the brand
/// accepted the creator at, and what it cost and brought.
pub type Unit = (Option<Tier>, Totals);

/// The report over collaborations in one currency (others are left out:
/// costs in different currencies do not add up).
pub fn by_tier(units: &[Unit], currency: Currency) -> TierReport {
    let rows: Vec<TierRow> = Tier::TARGETABLE
        .iter()
        .enumerate()
        .map(|(i, &tier)| {
            let mine: Vec<&Totals> = units
                .iter()
                .filter(|(t, totals)| *t == Some(tier) && totals.currency == currency)
                .map(|(_, totals)| totals)
                .collect();
            let mut totals = Totals::zero(currency);
            for t in &mine {
                totals.add(t);
            }
            let per = |f: fn(&Totals) -> i64| -> Vec<(f64, f64)> {
                mine.iter()
                    .map(|t| (t.spend_minor as f64, f(t) as f64))
                    .collect()
            };
            let seed = 0x5EED_0000 + i as u64;
            TierRow {
                tier,
                cpa: cost(&per(|t| t.conversions), &totals, totals.conversions, seed),
                conversion_rate: rate(totals.conversions, totals.unique_clicks),
                cpe: cost(
                    &per(|t| t.engagements),
                    &totals,
                    totals.engagements,
                    seed + 100,
                ),
                engagement_rate: rate(totals.interactions, totals.engagement_base),
                totals,
            }
        })
        .collect();
    let finding = finding(&rows, currency);
    TierReport {
        currency,
        rows,
        finding,
    }
}

fn finding(rows: &[TierRow], currency: Currency) -> String {
    if rows.iter().all(|r| r.totals.collaborations == 0) {
        return format!(
            "No collaborations paid in {currency} yet: results by tier appear here once creators are accepted and their links and codes bring orders."
        );
    }
    // Only tiers with an interval are compared: one collaboration says little.
    let mut priced: Vec<(&TierRow, CostEstimate)> = rows
        .iter()
        .filter_map(|r| r.cpa.filter(|c| c.interval.is_some()).map(|c| (r, c)))
        .collect();
    priced.sort_by_key(|(_, c)| c.value.minor());
    let n = |r: &TierRow| {
        let n = r.totals.collaborations;
        format!("{n} collaboration{}", if n == 1 { "" } else { "s" })
    };
    match priced.as_slice() {
        [] => "Not enough orders yet to compare tiers: a tier's cost per conversion needs at least two collaborations and an order.".into(),
        [(only, c)] => format!(
            "So far only {} creators have costs per conversion to compare: {} per order (95% interval {}, {}).",
            only.tier.label().to_lowercase(),
            c.value,
            c.interval(),
            n(only)
        ),
        [(best, b), (next, x), ..] => {
            let told_apart = match (b.bounds(), x.bounds()) {
                (Some(b), Some(x)) => !overlap(b, x),
                _ => false,
            };
            format!(
                "{} creators brought orders at the lowest cost: {} each (95% interval {}, {}), against {} for {} creators ({}, {}). {}",
                best.tier.label(),
                b.value,
                b.interval(),
                n(best),
                x.value,
                next.tier.label().to_lowercase(),
                x.interval(),
                n(next),
                if told_apart {
                    "The intervals do not overlap: the difference is unlikely to be chance."
                } else {
                    "The intervals overlap, so these results cannot yet tell the two tiers apart; more collaborations will."
                }
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(tier: Tier, spend: i64, clicks: i64, conversions: i64) -> Unit {
        (
            Some(tier),
            Totals {
                currency: Currency::Usd,
                collaborations: 1,
                spend_minor: spend,
                impressions: clicks * 40,
                engagements: clicks * 2,
                interactions: clicks,
                engagement_base: clicks * 50,
                clicks,
                unique_clicks: clicks,
                conversions,
                revenue_minor: conversions * 6_000,
            },
        )
    }

    #[test]
    fn each_tier_gets_its_costs_and_rates_with_intervals() {
        let results: Vec<_> = (0..8)
            .map(|i| result(Tier::Micro, 40_000 + i * 1_000, 500, 20 + i))
            .chain((0..8).map(|i| result(Tier::Macro, 900_000 + i * 10_000, 2_000, 8 + i % 3)))
            .collect();
        let report = by_tier(&results, Currency::Usd);
        assert_eq!(report.rows.len(), 5);
        let micro = &report.rows[1];
        assert_eq!(micro.totals.collaborations, 8);
        let cpa = micro.cpa.expect("micro cpa");
        let (low, high) = cpa.interval.expect("an interval");
        let high = high.expect("bounded").minor();
        assert!(low.minor() <= cpa.value.minor() && cpa.value.minor() <= high);
        let rate = micro.conversion_rate.expect("rate");
        assert!(rate.low_ppm <= rate.ppm && rate.ppm <= rate.high_ppm);
        assert!(report.rows[0].cpa.is_none(), "no nano collaborations");
        assert!(
            report
                .finding
                .starts_with("Micro creators brought orders at the lowest cost"),
            "{}",
            report.finding
        );
        assert!(
            report.finding.contains("do not overlap"),
            "{}",
            report.finding
        );
    }

    #[test]
    fn a_close_race_is_called_a_tie() {
        let results: Vec<_> = (0..3)
            .map(|i| result(Tier::Micro, 50_000 + i * 30_000, 500, 5 + i * 5))
            .chain((0..3).map(|i| result(Tier::Mid, 60_000 + i * 30_000, 500, 6 + i * 4)))
            .collect();
        let report = by_tier(&results, Currency::Usd);
        assert!(
            report.finding.contains("cannot yet tell"),
            "{}",
            report.finding
        );
    }

    #[test]
    fn other_currencies_and_empty_data_are_said_plainly() {
        let results = vec![result(Tier::Micro, 40_000, 500, 20)];
        let euros = by_tier(&results, Currency::Eur);
        assert!(euros.finding.starts_with("No collaborations paid in EUR"));
        let one = by_tier(&results, Currency::Usd);
        assert!(
            one.finding.starts_with("Not enough orders yet"),
            "{}",
            one.finding
        );
        let alone = one.rows[1].cpa.expect("a cost from one collaboration");
        assert_eq!(alone.value.minor(), 2_000);
        assert_eq!(alone.interval(), "one collaboration: no interval");
    }
}
