//! The rate card: a price per platform and format.

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{
    domain::{Currency, Format, Money, Platform},
    influencers::domain::Rate,
};

#[derive(Debug, Clone)]
pub struct RateRow {
    pub id: Uuid,
    pub platform: Platform,
    pub format: Format,
    pub price: Money,
    pub includes: String,
    pub revision_rounds: i16,
    pub usage_rights_days: i16,
}

pub async fn rates(db: impl PgExecutor<'_>, profile_id: Uuid) -> Result<Vec<RateRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select id, platform as "platform: Platform", format as "format: Format", price_minor,
                  currency as "currency: Currency", includes, revision_rounds, usage_rights_days
           from rates where profile_id = $1
          order by platform, format"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RateRow {
            id: r.id,
            platform: r.platform,
            format: r.format,
            price: Money::from_minor(r.price_minor, r.currency),
            includes: r.includes,
            revision_rounds: r.revision_rounds,
            usage_rights_days: r.usage_rights_days,
        })
        .collect())
}

/// Adds a rate, or replaces the one for the same platform and format.
pub async fn save_rate(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    r: &Rate,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into rates (id, profile_id, platform, format, price_minor, currency, includes,
                            revision_rounds, usage_rights_days)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (profile_id, platform, format) do update
            set price_minor = excluded.price_minor, currency = excluded.currency,
                includes = excluded.includes, revision_rounds = excluded.revision_rounds,
                usage_rights_days = excluded.usage_rights_days",
        Uuid::now_v7(),
        profile_id,
        r.platform as Platform,
        r.format as Format,
        r.price.minor(),
        r.price.currency() as Currency,
        r.includes,
        r.revision_rounds,
        r.usage_rights_days,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Removes one of the profile's rates; `false` when it has no such rate.
pub async fn delete_rate(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    rate_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "delete from rates where id = $1 and profile_id = $2",
        rate_id,
        profile_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}
