//! The agency's report across every brand, made from the snapshot and kept by
//! each instance until the snapshot is taken again: the tier report over tens
//! of thousands of collaborations costs about 150 ms of database and CPU
//! time, and its answer only changes every ten minutes.

use std::sync::{Arc, Mutex};

use sqlx::PgPool;
use time::OffsetDateTime;

use super::{
    metrics::Totals,
    snapshot::{self, BrandResults},
    tiers::{TierReport, by_tier},
};
use crate::domain::Currency;

/// How many brands the report lists; its CSV has them all.
const BRANDS_SHOWN: i64 = 50;

/// The report in one currency, as of one snapshot.
#[derive(Debug)]
pub struct AgencyReport {
    pub taken_at: OffsetDateTime,
    /// Every currency with results, the one with most spend first.
    pub currencies: Vec<Currency>,
    pub currency: Currency,
    pub totals: Totals,
    pub tiers: TierReport,
    /// The biggest spenders, at most `BRANDS_SHOWN`.
    pub brands: Vec<BrandResults>,
    pub brand_count: i64,
}

/// This instance's copies of the report, one per currency asked for, all of
/// the same snapshot.
#[derive(Default)]
pub struct Cache {
    copies: Mutex<Option<Copies>>,
    /// Held while a report is made, so that the admins who open the page when
    /// a new snapshot arrives wait for one making instead of each doing it.
    making: tokio::sync::Mutex<()>,
}

struct Copies {
    taken_at: OffsetDateTime,
    currencies: Vec<Currency>,
    reports: Vec<Arc<AgencyReport>>,
}

impl Cache {
    /// The report in the currency asked for (or the one with most spend),
    /// from this instance's copy when it is of the latest snapshot.
    pub async fn report(&self, db: &PgPool, asked: &str) -> Result<Arc<AgencyReport>, sqlx::Error> {
        let taken_at = snapshot::taken_at(db).await?;
        let lookup = || {
            self.with(taken_at, |copies| {
                let currency = choose(&copies.currencies, asked);
                let hit = copies.reports.iter().find(|r| r.currency == currency);
                (copies.currencies.clone(), hit.cloned())
            })
        };
        if let Some((_, Some(hit))) = lookup() {
            return Ok(hit);
        }
        let _making = self.making.lock().await;
        let currencies = match lookup() {
            Some((_, Some(hit))) => return Ok(hit),
            Some((currencies, None)) => currencies,
            None => snapshot::currencies(db).await?,
        };
        let report = Arc::new(make(db, taken_at, currencies, asked).await?);
        let mut guard = self.copies.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_mut() {
            Some(copies) if copies.taken_at == taken_at => copies.reports.push(report.clone()),
            _ => {
                *guard = Some(Copies {
                    taken_at,
                    currencies: report.currencies.clone(),
                    reports: vec![report.clone()],
                })
            }
        }
        Ok(report)
    }

    /// Runs `f` on the copies when they are of this snapshot.
    fn with<T>(&self, taken_at: OffsetDateTime, f: impl FnOnce(&Copies) -> T) -> Option<T> {
        let guard = self.copies.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().filter(|c| c.taken_at == taken_at).map(f)
    }
}

/// The currency to show: the one asked for if there are results in it, else
/// the first (the one with most spend).
pub fn choose(list: &[Currency], asked: &str) -> Currency {
    Currency::parse(asked)
        .ok()
        .filter(|c| list.contains(c))
        .or_else(|| list.first().copied())
        .unwrap_or_default()
}

async fn make(
    db: &PgPool,
    taken_at: OffsetDateTime,
    currencies: Vec<Currency>,
    asked: &str,
) -> Result<AgencyReport, sqlx::Error> {
    let currency = choose(&currencies, asked);
    let (units, brands, brand_count) = tokio::try_join!(
        snapshot::units(db, currency),
        snapshot::brands(db, currency, Some(BRANDS_SHOWN)),
        snapshot::brand_count(db, currency),
    )?;
    let mut totals = Totals::zero(currency);
    for (_, t) in &units {
        totals.add(t);
    }
    Ok(AgencyReport {
        taken_at,
        tiers: by_tier(&units, currency),
        currencies,
        currency,
        totals,
        brands,
        brand_count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_currency_asked_for_is_shown_only_when_there_are_results_in_it() {
        let list = [Currency::Usd, Currency::Eur];
        assert_eq!(choose(&list, "EUR"), Currency::Eur);
        assert_eq!(choose(&list, "eur"), Currency::Eur);
        assert_eq!(choose(&list, "GBP"), Currency::Usd, "no results in pounds");
        assert_eq!(choose(&list, "bogus"), Currency::Usd);
        assert_eq!(choose(&list, ""), Currency::Usd, "most spend first");
        assert_eq!(choose(&[], "EUR"), Currency::default());
    }
}
