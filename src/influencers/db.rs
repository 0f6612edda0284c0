//! Storage of profiles, channels, snapshots, verifications and rates, and the
//! rescoring that keeps each channel's assessment and each profile's summary
//! in step with the figures.

use sqlx::{PgConnection, PgExecutor, types::Json};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{
    authenticity::{self, Benchmark, Figures, Inputs, Signal, Snapshot},
    domain::{NewChannel, NewSnapshot, Profile, Rate},
};
use crate::{
    accounts::domain::DisplayName,
    domain::{Currency, Format, Money, Platform, Tier, TierScale},
};

/// A unique constraint the caller can explain next to a field.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{0} is taken")]
    Taken(&'static str),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn taken(constraint: &'static str, field: &'static str) -> impl Fn(sqlx::Error) -> SaveError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.constraint() == Some(constraint) => SaveError::Taken(field),
        _ => SaveError::Db(e),
    }
}

#[derive(Debug, Clone)]
pub struct ProfileRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub profile: Profile,
    pub tier: Option<Tier>,
    pub followers: i64,
    pub engagement_ppm: Option<i64>,
    pub score: Option<i16>,
    pub verified: bool,
    pub first_signal: Option<String>,
    pub created_at: OffsetDateTime,
}

/// Which profile to find.
#[derive(Debug, Clone, Copy)]
pub enum ProfileBy<'a> {
    /// The influencer's own.
    User(Uuid),
    /// For brands and admins.
    Id(Uuid),
    /// A public media kit: found only when its owner made it public.
    PublicHandle(&'a str),
}

pub async fn find_profile(
    db: impl PgExecutor<'_>,
    by: ProfileBy<'_>,
) -> Result<Option<ProfileRow>, sqlx::Error> {
    let (user_id, id, handle) = match by {
        ProfileBy::User(u) => (Some(u), None, None),
        ProfileBy::Id(i) => (None, Some(i), None),
        ProfileBy::PublicHandle(h) => (None, None, Some(h)),
    };
    // Exactly one of the three is set; each side of the `or` has its unique index.
    let row = sqlx::query!(
        r#"select p.id, p.user_id, u.display_name, p.headline, p.bio, p.country, p.city,
                  p.languages, p.niches, p.business_name, p.website, p.hours_per_week,
                  p.open_to_offers, p.media_kit_public, p.handle, p.tier as "tier: Tier",
                  p.followers, p.engagement_ppm, p.score, p.verified, p.first_signal, p.created_at
           from influencer_profiles p join users u on u.id = p.user_id
          where p.user_id = $1 or p.id = $2 or (p.handle = $3 and p.media_kit_public)"#,
        user_id,
        id,
        handle
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| ProfileRow {
        id: r.id,
        user_id: r.user_id,
        profile: Profile {
            display_name: DisplayName::from_stored(r.display_name),
            headline: r.headline,
            bio: r.bio,
            country: r.country,
            city: r.city,
            languages: r.languages,
            niches: r.niches,
            business_name: r.business_name,
            website: r.website,
            hours_per_week: r.hours_per_week,
            open_to_offers: r.open_to_offers,
            media_kit_public: r.media_kit_public,
            handle: r.handle,
        },
        tier: r.tier,
        followers: r.followers,
        engagement_ppm: r.engagement_ppm.map(i64::from),
        score: r.score,
        verified: r.verified,
        first_signal: r.first_signal,
        created_at: r.created_at,
    }))
}

/// Saves the profile and its name, and the text that discovery searches: the
/// name weighs most, then headline and niches, then the bio.
pub async fn save_profile(
    tx: &mut PgConnection,
    profile_id: Uuid,
    user_id: Uuid,
    p: &Profile,
) -> Result<(), SaveError> {
    sqlx::query!(
        "update users set display_name = $2 where id = $1",
        user_id,
        p.display_name.as_str()
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update influencer_profiles
            set headline = $2, bio = $3, country = $4, city = $5, languages = $6, niches = $7,
                business_name = $8, website = $9, hours_per_week = $10, open_to_offers = $11,
                media_kit_public = $12, handle = $13,
                search = setweight(to_tsvector('english', $14::text), 'A')
                      || setweight(to_tsvector('english', $2::text || ' ' || array_to_string($7::text[], ' ') || ' ' || $8::text), 'B')
                      || setweight(to_tsvector('english', $3::text), 'C')
          where id = $1",
        profile_id,
        p.headline,
        p.bio,
        p.country,
        p.city,
        &p.languages,
        &p.niches,
        p.business_name,
        p.website,
        p.hours_per_week,
        p.open_to_offers,
        p.media_kit_public,
        p.handle,
        p.display_name.as_str(),
    )
    .execute(&mut *tx)
    .await
    .map_err(taken("influencer_profiles_handle_key", "media_kit_handle"))?;
    Ok(())
}

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
    refresh_profile(tx, profile_id).await
}

/// What discovery shows of a profile, from its channels.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Of the largest channel, as are followers, engagement and verification.
    pub tier: Option<Tier>,
    pub followers: i64,
    pub engagement_ppm: Option<i32>,
    pub platforms: Vec<Platform>,
    pub score: Option<i16>,
    pub verified: bool,
    /// The heaviest signal of any channel: "Instagram: Sudden follower jump…".
    pub first_signal: Option<String>,
}

/// `channels` largest first, as `channels()` returns them.
pub fn summarize(channels: &[ChannelRow]) -> Summary {
    let largest = channels.first();
    let mut platforms: Vec<Platform> = channels.iter().map(|c| c.platform).collect();
    platforms.sort_unstable_by_key(|p| p.key());
    platforms.dedup();
    let score = authenticity::overall_score(
        &channels
            .iter()
            .map(|c| (c.figures.followers, u8::try_from(c.score).unwrap_or(0)))
            .collect::<Vec<_>>(),
    );
    Summary {
        tier: largest.map(|c| c.tier),
        followers: largest.map_or(0, |c| c.figures.followers),
        engagement_ppm: largest
            .and_then(|c| c.engagement_ppm)
            .map(|p| i32::try_from(p).unwrap_or(i32::MAX)),
        platforms,
        score: score.map(i16::from),
        verified: largest.is_some_and(|c| c.latest_verified),
        first_signal: channels
            .iter()
            .flat_map(|c| c.signals.iter().map(move |s| (c, s)))
            .max_by_key(|(_, s)| s.penalty())
            .map(|(c, s)| format!("{}: {}", c.platform.label(), s.title())),
    }
}

/// Recomputes what discovery shows of a profile from its channels.
pub async fn refresh_profile(tx: &mut PgConnection, profile_id: Uuid) -> Result<(), sqlx::Error> {
    let s = summarize(&channels(&mut *tx, profile_id).await?);
    sqlx::query!(
        "update influencer_profiles
            set tier = $2, followers = $3, engagement_ppm = $4, platforms = $5, score = $6,
                verified = $7, first_signal = $8
          where id = $1",
        profile_id,
        s.tier as Option<Tier>,
        s.followers,
        s.engagement_ppm,
        &s.platforms as &[Platform],
        s.score,
        s.verified,
        s.first_signal,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Rescores up to `batch` channels that are due (their figures turned stale,
/// or the tier cut-offs changed), each in its own transaction; instances share
/// the work without waiting on each other. Returns how many were done.
pub async fn rescore_due(pool: &sqlx::PgPool, batch: i64) -> Result<usize, sqlx::Error> {
    let scale = crate::tiers::db::load(pool).await?;
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
        rescore(&mut tx, id, &scale, today).await?;
        tx.commit().await?;
        done += 1;
    }
    Ok(done)
}

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
