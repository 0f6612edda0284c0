//! Rescoring: each channel's assessment and tier recomputed from its history,
//! and its profile's summary refreshed, in the caller's transaction; and the
//! background batches after the tier cut-offs change or figures turn stale.

use sqlx::{PgConnection, PgExecutor, types::Json};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    domain::{Platform, Tier, TierScale},
    influencers::authenticity::{self, Assessment, Benchmark, Figures, Inputs, Snapshot},
};

use super::refresh_profile;

/// The engagement benchmark table.
pub async fn benchmarks(
    db: impl PgExecutor<'_>,
) -> Result<Vec<(Platform, Tier, Benchmark)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select platform as "platform: Platform", tier as "tier: Tier", low_ppm, typical_ppm,
                  high_ppm from engagement_benchmarks"#
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.platform,
                r.tier,
                Benchmark {
                    low_ppm: r.low_ppm.into(),
                    typical_ppm: r.typical_ppm.into(),
                    high_ppm: r.high_ppm.into(),
                },
            )
        })
        .collect())
}

/// Reassesses a channel from its history and copies its newest figures onto
/// it, then refreshes its profile's summary.
pub async fn rescore(
    tx: &mut PgConnection,
    channel_id: Uuid,
    scale: &TierScale,
    today: Date,
) -> Result<(), sqlx::Error> {
    let rows = sqlx::query!(
        r#"select c.profile_id, c.platform as "platform: Platform", s.id, s.captured_on,
                  s.followers, s.avg_views, s.avg_likes, s.avg_comments, s.note,
                  exists (select 1 from channel_verifications v where v.snapshot_id = s.id) as "verified!"
             from channels c join channel_snapshots s on s.channel_id = c.id
            where c.id = $1
            order by s.captured_on, s.created_at, s.id"#,
        channel_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let profile_id = first.profile_id;
    let platform = first.platform;
    let ever_verified = rows.iter().any(|r| r.verified);
    let latest_verified = rows.last().is_some_and(|r| r.verified);
    let history: Vec<Snapshot> = rows
        .into_iter()
        .map(|r| Snapshot {
            id: r.id,
            captured_on: r.captured_on,
            figures: Figures {
                followers: r.followers,
                avg_views: r.avg_views,
                avg_likes: r.avg_likes,
                avg_comments: r.avg_comments,
            },
            note: r.note,
        })
        .collect();
    let Some(latest) = history.last() else {
        return Ok(());
    };
    let tier = scale.tier_for(latest.figures.followers);
    let benchmark = sqlx::query!(
        "select low_ppm, typical_ppm, high_ppm from engagement_benchmarks
          where platform = $1 and tier = $2",
        platform as Platform,
        tier as Tier
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|b| Benchmark {
        low_ppm: b.low_ppm.into(),
        typical_ppm: b.typical_ppm.into(),
        high_ppm: b.high_ppm.into(),
    });
    let assessment = authenticity::assess(&Inputs {
        platform,
        history: &history,
        benchmark,
        ever_verified,
        today,
    });
    store(tx, channel_id, latest, tier, &assessment, latest_verified).await?;
    refresh_profile(tx, profile_id).await
}

/// Copies the newest figures and the assessment onto the channel.
async fn store(
    tx: &mut PgConnection,
    channel_id: Uuid,
    latest: &Snapshot,
    tier: Tier,
    assessment: &Assessment,
    latest_verified: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update channels
            set followers = $2, avg_views = $3, avg_likes = $4, avg_comments = $5, captured_on = $6,
                tier = $7, engagement_ppm = $8, score = $9, signals = $10, rescore_on = $11,
                latest_verified = $12
          where id = $1",
        channel_id,
        latest.figures.followers,
        latest.figures.avg_views,
        latest.figures.avg_likes,
        latest.figures.avg_comments,
        latest.captured_on,
        tier as Tier,
        assessment
            .engagement_ppm
            .map(|p| i32::try_from(p).unwrap_or(i32::MAX)),
        i16::from(assessment.score),
        Json(&assessment.signals) as _,
        assessment.rescore_on,
        latest_verified,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Rescores up to `batch` channels that are due (their figures turned stale,
/// or the tier cut-offs changed), each in its own transaction; instances share
/// the work without waiting on each other. Returns how many were done.
pub async fn rescore_due(
    pool: &sqlx::PgPool,
    scale: &TierScale,
    batch: i64,
) -> Result<usize, sqlx::Error> {
    let today = OffsetDateTime::now_utc().date();
    let mut done = 0;
    for _ in 0..batch {
        let mut tx = pool.begin().await?;
        let Some(id) = sqlx::query_scalar!(
            "select id from channels where rescore_on <= $1
              order by rescore_on limit 1 for update skip locked",
            today
        )
        .fetch_optional(&mut *tx)
        .await?
        else {
            break;
        };
        rescore(&mut tx, id, scale, today).await?;
        tx.commit().await?;
        done += 1;
    }
    Ok(done)
}
