//! The agency's snapshot of every collaboration's results (migration 0034):
//! taken in the background every ten minutes and when an admin asks, read by
//! the report across brands. Reading the sources themselves for every brand
//! took 0.8 s at the bench's scale; the snapshot is one narrow row per
//! collaboration.

use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    metrics::{Totals, totals_from_row},
    tiers::Unit,
};
use crate::domain::{Currency, Tier};

pub use crate::db::snapshot::Snapshot;

const SNAPSHOT: Snapshot = Snapshot::AgencyResults;

/// Takes the snapshot again; `false` when another instance is taking it
/// right now.
pub async fn refresh(db: &PgPool) -> Result<bool, sqlx::Error> {
    crate::db::snapshot::refresh(db, SNAPSHOT).await
}

/// Takes the snapshot every ten minutes until the server stops.
pub async fn run(pool: PgPool, stop: crate::shutdown::Stop) {
    crate::db::snapshot::run(pool, SNAPSHOT, stop).await
}

/// When the snapshot was taken.
pub async fn taken_at(db: impl sqlx::PgExecutor<'_>) -> Result<OffsetDateTime, sqlx::Error> {
    crate::db::snapshot::taken_at(db, SNAPSHOT).await
}

/// The currencies collaborations were paid in, the one with most spend first.
pub async fn currencies(db: &PgPool) -> Result<Vec<Currency>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select currency as "currency!: Currency" from agency_results
            group by currency order by sum(spend_minor) desc, currency"#
    )
    .fetch_all(db)
    .await
}

/// Every collaboration paid in `currency`, as the tier report counts it.
pub async fn units(db: &PgPool, currency: Currency) -> Result<Vec<Unit>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select tier as "tier: Tier", clicks as "clicks!", unique_clicks as "unique_clicks!",
                  conversions as "conversions!", revenue_minor as "revenue!",
                  impressions as "impressions!", engagements as "engagements!",
                  interactions as "interactions!", engagement_base as "engagement_base!",
                  spend_minor as "spend!"
             from agency_results where currency = $1"#,
        currency as Currency
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.tier, totals_from_row!(r, currency, 1)))
        .collect())
}

/// One brand's results in a currency.
#[derive(Debug, Clone)]
pub struct BrandResults {
    pub brand_id: Uuid,
    pub name: String,
    pub totals: Totals,
}

/// The brands with collaborations paid in `currency`, the biggest spender
/// first: the first `limit` of them, or all.
pub async fn brands(
    db: &PgPool,
    currency: Currency,
    limit: Option<i64>,
) -> Result<Vec<BrandResults>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.brand_id as "brand_id!", b.name, s.collaborations as "collaborations!",
                  s.spend as "spend!", s.clicks as "clicks!", s.unique_clicks as "unique_clicks!",
                  s.conversions as "conversions!", s.revenue as "revenue!",
                  s.impressions as "impressions!", s.engagements as "engagements!",
                  s.interactions as "interactions!", s.engagement_base as "engagement_base!"
             from (select brand_id, count(*) as collaborations, sum(spend_minor)::int8 as spend,
                          sum(clicks)::int8 as clicks, sum(unique_clicks)::int8 as unique_clicks,
                          sum(conversions)::int8 as conversions, sum(revenue_minor)::int8 as revenue,
                          sum(impressions)::int8 as impressions, sum(engagements)::int8 as engagements,
                          sum(interactions)::int8 as interactions,
                          sum(engagement_base)::int8 as engagement_base
                     from agency_results where currency = $1
                    group by brand_id
                    order by sum(spend_minor) desc, brand_id
                    limit $2) s
             join brands b on b.id = s.brand_id
            order by s.spend desc, s.brand_id"#,
        currency as Currency,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| BrandResults {
            brand_id: r.brand_id,
            name: r.name,
            totals: totals_from_row!(r, currency, r.collaborations),
        })
        .collect())
}

/// How many brands have collaborations paid in `currency`.
pub async fn brand_count(db: &PgPool, currency: Currency) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(distinct brand_id) as "n!" from agency_results where currency = $1"#,
        currency as Currency
    )
    .fetch_one(db)
    .await
}
