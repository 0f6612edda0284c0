//! Storage of profiles, and what discovery shows of them; channels, scoring and
//! rates have their own files below, their functions re-exported here.

mod channels;
mod rates;
mod scoring;

pub use channels::{
    ChannelRow, Verification, add_channel, add_snapshot, annotate, channels, histories,
    lock_own_channel, profile_of_channel, verify_latest,
};
pub use rates::{RateRow, delete_rate, rates, save_rate};
pub use scoring::{benchmarks, rescore, rescore_due};

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{authenticity, domain::Profile};
use crate::{
    accounts::domain::DisplayName,
    domain::{Platform, Tier},
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
    /// A public media kit: found only when its owner made it public and the
    /// agency has not suspended them.
    PublicHandle(&'a str),
}

/// A profile's row as `profile_query!` reads it.
struct ProfileRecord {
    id: Uuid,
    user_id: Uuid,
    display_name: String,
    headline: String,
    bio: String,
    country: Option<String>,
    city: String,
    languages: Vec<String>,
    niches: Vec<String>,
    business_name: String,
    website: Option<String>,
    hours_per_week: Option<i16>,
    open_to_offers: bool,
    media_kit_public: bool,
    handle: Option<String>,
    tier: Option<Tier>,
    followers: i64,
    engagement_ppm: Option<i32>,
    score: Option<i16>,
    verified: bool,
    first_signal: Option<String>,
    created_at: OffsetDateTime,
}

impl From<ProfileRecord> for ProfileRow {
    fn from(r: ProfileRecord) -> Self {
        ProfileRow {
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
        }
    }
}

/// Reads a profile by the `$where` condition on `p` (with `$arg`): one
/// statement per way of finding it, so that each has one cached plan. A single
/// statement with an `or` of the three was planned again on every view
/// (0.16 ms), as its generic plan looked costlier than each specific one.
macro_rules! profile_query {
    ($where:literal, $arg:expr) => {
        sqlx::query_as!(
            ProfileRecord,
            r#"select p.id, p.user_id, u.display_name, p.headline, p.bio, p.country, p.city,
                  p.languages, p.niches, p.business_name, p.website, p.hours_per_week,
                  p.open_to_offers, p.media_kit_public, p.handle, p.tier as "tier: Tier",
                  p.followers, p.engagement_ppm, p.score, p.verified, p.first_signal, p.created_at
           from influencer_profiles p join users u on u.id = p.user_id
          where "# + $where,
            $arg
        )
    };
}

pub async fn find_profile(
    db: impl PgExecutor<'_>,
    by: ProfileBy<'_>,
) -> Result<Option<ProfileRow>, sqlx::Error> {
    let record = match by {
        ProfileBy::User(u) => {
            profile_query!("p.user_id = $1", u)
                .fetch_optional(db)
                .await?
        }
        ProfileBy::Id(i) => profile_query!("p.id = $1", i).fetch_optional(db).await?,
        ProfileBy::PublicHandle(h) => {
            profile_query!(
                "p.handle = $1 and p.media_kit_public and not p.suspended",
                h
            )
            .fetch_optional(db)
            .await?
        }
    };
    Ok(record.map(ProfileRow::from))
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
