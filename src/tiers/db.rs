//! The tier cut-offs as stored, and marking every channel for rescoring when
//! they change.

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::domain::{Tier, TierScale};

/// The scale in force.
pub async fn load(db: impl PgExecutor<'_>) -> Result<TierScale, sqlx::Error> {
    let rows = sqlx::query!(r#"select tier as "tier: Tier", min_followers from tier_cutoffs"#)
        .fetch_all(db)
        .await?;
    let mut starts = [0i64; 5];
    for (i, tier) in Tier::TARGETABLE.into_iter().enumerate() {
        starts[i] = rows
            .iter()
            .find(|r| r.tier == tier)
            .map(|r| r.min_followers)
            .ok_or_else(|| sqlx::Error::RowNotFound)?;
    }
    TierScale::new(starts).map_err(|e| sqlx::Error::Decode(e.into()))
}

/// Saves a new scale and marks every channel for rescoring, since both their
/// tiers and the benchmarks they are judged by may change. The maintenance task
/// works through them in batches.
pub async fn save(
    tx: &mut sqlx::PgConnection,
    scale: &TierScale,
    admin: Uuid,
) -> Result<u64, sqlx::Error> {
    sqlx::query!(
        "update tier_cutoffs t set min_followers = n.min_followers, updated_by = $3, updated_at = now()
           from unnest($1::text[], $2::int8[]) as n (tier, min_followers)
          where t.tier = n.tier",
        &Tier::TARGETABLE as &[Tier],
        &scale.starts(),
        admin
    )
    .execute(&mut *tx)
    .await?;
    let marked = sqlx::query!("update channels set rescore_on = current_date")
        .execute(&mut *tx)
        .await?;
    Ok(marked.rows_affected())
}

/// How many channels still wait for rescoring.
pub async fn pending_rescores(db: impl PgExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from channels where rescore_on <= current_date"#)
        .fetch_one(db)
        .await
}
