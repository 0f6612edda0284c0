//! The agency's snapshot of every collaboration's results (migration 0034):
//! taken in the background every ten minutes and when an admin asks, read by
//! the report across brands. Reading the sources themselves for every brand
//! took 0.8 s at the bench's scale; the snapshot is one narrow row per
//! collaboration.

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    metrics::{Totals, totals_from_row},
    tiers::Unit,
};
use crate::domain::{Currency, Tier};

/// How often the snapshot is taken again.
pub const EVERY: Duration = Duration::from_secs(600);

/// Our key among PostgreSQL's advisory locks: one instance refreshes at a
/// time, the others skip their turn.
const LOCK: i64 = 0x4c49_4153_4e41_5053;

/// Takes the snapshot again; `false` when another instance is taking it
/// right now. Readers keep reading the previous one meanwhile.
pub async fn refresh(db: &PgPool) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let ours = sqlx::query_scalar!(r#"select pg_try_advisory_xact_lock($1) as "ours!""#, LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if !ours {
        return Ok(false);
    }
    sqlx::query!("refresh materialized view concurrently agency_results")
        .execute(&mut *tx)
        .await?;
    sqlx::query!("update report_snapshots set refreshed_at = now() where name = 'agency_results'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Takes the snapshot whenever it is `EVERY` old, for as long as the server
/// runs. A new instance (a deploy, a second one behind the load balancer)
/// waits for the snapshot another took instead of taking it again at start.
pub async fn run(pool: PgPool) {
    loop {
        let wait = match due_in(&pool).await {
            Ok(wait) if !wait.is_zero() => wait,
            Ok(_) => match refresh(&pool).await {
                Ok(_) => EVERY,
                Err(e) => {
                    tracing::warn!(error = %e, "refreshing the agency's results failed");
                    RETRY
                }
            },
            Err(e) => {
                tracing::warn!(error = %e, "reading when the agency's results were taken failed");
                RETRY
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// How long to wait before trying again after a failure.
const RETRY: Duration = Duration::from_secs(60);

/// How long until the snapshot is `EVERY` old (zero when it is already), by
/// the database's clock, which every instance shares.
pub async fn due_in(db: &PgPool) -> Result<Duration, sqlx::Error> {
    let seconds = sqlx::query_scalar!(
        r#"select extract(epoch from refreshed_at + make_interval(secs => $1) - now())::float8 as "s!"
             from report_snapshots where name = 'agency_results'"#,
        EVERY.as_secs_f64()
    )
    .fetch_one(db)
    .await?;
    Ok(Duration::from_secs_f64(
        seconds.clamp(0.0, EVERY.as_secs_f64()),
    ))
}

/// When the snapshot was taken.
pub async fn taken_at(db: &PgPool) -> Result<OffsetDateTime, sqlx::Error> {
    sqlx::query_scalar!("select refreshed_at from report_snapshots where name = 'agency_results'")
        .fetch_one(db)
        .await
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
