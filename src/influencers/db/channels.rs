//! Channels and their dated snapshots: added, never overwritten, annotated by
//! the creator and verified by admins.

use sqlx::{PgConnection, PgExecutor, types::Json};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    domain::{Platform, Tier, TierScale},
    influencers::{
        authenticity::{Figures, Signal, Snapshot},
        domain::{NewChannel, NewSnapshot},
    },
};

use super::scoring::rescore;
use super::{SaveError, taken};

#[derive(Debug, Clone)]
pub struct ChannelRow {
    pub id: Uuid,
    pub platform: Platform,
    pub handle: String,
    pub url: Option<String>,
    pub figures: Figures,
    pub captured_on: Date,
    pub tier: Tier,
    pub engagement_ppm: Option<i64>,
    pub score: i16,
    pub signals: Vec<Signal>,
    pub latest_verified: bool,
}

/// A profile's channels, largest audience first.
pub async fn channels(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<ChannelRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select id, platform as "platform: Platform", handle, url, followers, avg_views,
                  avg_likes, avg_comments, captured_on, tier as "tier: Tier", engagement_ppm, score,
                  signals as "signals: Json<Vec<Signal>>", latest_verified
             from channels where profile_id = $1
            order by followers desc, id"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ChannelRow {
            id: r.id,
            platform: r.platform,
            handle: r.handle,
            url: r.url,
            figures: Figures {
                followers: r.followers,
                avg_views: r.avg_views,
                avg_likes: r.avg_likes,
                avg_comments: r.avg_comments,
            },
            captured_on: r.captured_on,
            tier: r.tier,
            engagement_ppm: r.engagement_ppm.map(i64::from),
            score: r.score,
            signals: r.signals.0,
            latest_verified: r.latest_verified,
        })
        .collect())
}

/// Every snapshot of a profile's channels, oldest first per channel.
pub async fn histories(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<(Uuid, Snapshot, Option<Verification>)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.id, s.channel_id, s.captured_on, s.followers, s.avg_views, s.avg_likes,
                  s.avg_comments, s.note, v.verified_at as "verified_at?", v.note as "verify_note?",
                  a.display_name as "verified_by?"
             from channel_snapshots s
             join channels c on c.id = s.channel_id
             left join channel_verifications v on v.snapshot_id = s.id
             left join users a on a.id = v.verified_by
            where c.profile_id = $1
            order by s.channel_id, s.captured_on, s.created_at, s.id"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let verification = r.verified_at.map(|at| Verification {
                at,
                by: r.verified_by.unwrap_or_else(|| "a former admin".into()),
                note: r.verify_note.unwrap_or_default(),
            });
            (
                r.channel_id,
                Snapshot {
                    id: r.id,
                    captured_on: r.captured_on,
                    figures: Figures {
                        followers: r.followers,
                        avg_views: r.avg_views,
                        avg_likes: r.avg_likes,
                        avg_comments: r.avg_comments,
                    },
                    note: r.note,
                },
                verification,
            )
        })
        .collect())
}

#[derive(Debug, Clone)]
pub struct Verification {
    pub at: OffsetDateTime,
    pub by: String,
    pub note: String,
}

impl Verification {
    /// When, for people: "25 Nov 2026".
    pub fn on(&self) -> String {
        crate::domain::display::date(self.at)
    }
}

/// Adds a channel with its first snapshot, assessed. The caller's transaction.
pub async fn add_channel(
    tx: &mut PgConnection,
    profile_id: Uuid,
    c: &NewChannel,
    scale: &TierScale,
    today: Date,
) -> Result<Uuid, SaveError> {
    let id = Uuid::now_v7();
    // Provisional figures; `rescore` sets them from the snapshot below.
    sqlx::query!(
        "insert into channels (id, profile_id, platform, handle, url, followers, avg_views,
                               avg_likes, avg_comments, captured_on, tier, score)
         values ($1, $2, $3, $4, $5, 0, 0, 0, 0, $6, 'emerging', 0)",
        id,
        profile_id,
        c.platform as Platform,
        c.handle,
        c.url,
        today,
    )
    .execute(&mut *tx)
    .await
    .map_err(taken("channels_handle_key", "handle"))?;
    insert_snapshot(
        &mut *tx,
        id,
        &NewSnapshot {
            captured_on: today,
            figures: c.figures,
        },
    )
    .await?;
    rescore(tx, id, scale, today).await?;
    Ok(id)
}

async fn insert_snapshot(
    db: impl PgExecutor<'_>,
    channel_id: Uuid,
    s: &NewSnapshot,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into channel_snapshots (id, channel_id, captured_on, followers, avg_views, avg_likes, avg_comments)
         values ($1, $2, $3, $4, $5, $6, $7)",
        id,
        channel_id,
        s.captured_on,
        s.figures.followers,
        s.figures.avg_views,
        s.figures.avg_likes,
        s.figures.avg_comments,
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// The channel of a profile, locked for a change; `None` for anyone else's.
pub async fn lock_own_channel(
    tx: &mut PgConnection,
    profile_id: Uuid,
    channel_id: Uuid,
) -> Result<Option<(Platform, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select platform as "platform: Platform",
                  handle from channels where id = $1 and profile_id = $2 for update"#,
        channel_id,
        profile_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.map(|r| (r.platform, r.handle)))
}

/// Whose channel this is.
pub async fn profile_of_channel(
    db: impl PgExecutor<'_>,
    channel_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("select profile_id from channels where id = $1", channel_id)
        .fetch_optional(db)
        .await
}

/// Records new figures for a channel the caller has locked, and reassesses it.
pub async fn add_snapshot(
    tx: &mut PgConnection,
    channel_id: Uuid,
    s: &NewSnapshot,
    scale: &TierScale,
    today: Date,
) -> Result<(), sqlx::Error> {
    insert_snapshot(&mut *tx, channel_id, s).await?;
    rescore(tx, channel_id, scale, today).await
}

/// The creator's note on one snapshot of their own channel; `false` when the
/// snapshot is not theirs.
pub async fn annotate(
    tx: &mut PgConnection,
    profile_id: Uuid,
    channel_id: Uuid,
    snapshot_id: Uuid,
    note: Option<&str>,
    scale: &TierScale,
    today: Date,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update channel_snapshots s set note = $4
           from channels c
          where s.id = $3 and s.channel_id = $2 and c.id = s.channel_id and c.profile_id = $1",
        profile_id,
        channel_id,
        snapshot_id,
        note
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    rescore(tx, channel_id, scale, today).await?;
    Ok(true)
}

/// An admin vouches for a channel's newest figures; returns the channel's
/// profile and a description for the audit trail, or `None` for no such channel.
pub async fn verify_latest(
    tx: &mut PgConnection,
    channel_id: Uuid,
    admin: Uuid,
    note: &str,
    scale: &TierScale,
    today: Date,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    let Some(row) = sqlx::query!(
        r#"select c.profile_id, c.platform as "platform: Platform", c.handle,
                (select s.id from channel_snapshots s where s.channel_id = c.id
                  order by s.captured_on desc, s.created_at desc, s.id desc limit 1) as snapshot_id
           from channels c where c.id = $1 for update"#,
        channel_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let Some(snapshot_id) = row.snapshot_id else {
        return Ok(None);
    };
    sqlx::query!(
        "insert into channel_verifications (id, snapshot_id, verified_by, note)
         values ($1, $2, $3, $4)
         on conflict (snapshot_id) do update
            set verified_by = excluded.verified_by, note = excluded.note, verified_at = now()",
        Uuid::now_v7(),
        snapshot_id,
        admin,
        note
    )
    .execute(&mut *tx)
    .await?;
    rescore(tx, channel_id, scale, today).await?;
    Ok(Some((
        row.profile_id,
        format!("{} @{}", row.platform.label(), row.handle),
    )))
}
