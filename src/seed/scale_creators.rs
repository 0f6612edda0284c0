//! Creators at scale for benchmarks: `count` influencer accounts with full
//! profiles, about three channels each with half a year of monthly snapshots
//! (one in five with a pattern the assessment flags), verifications and rate
//! cards. Assessed with the application's own rules and inserted in batches.

use std::collections::HashMap;

use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    NICHES, Rng,
    creators::{self, Pattern},
};
use crate::{
    accounts::{domain::Password, password},
    domain::{Platform, Tier},
    influencers::{
        authenticity::{self, Benchmark, Inputs, Snapshot},
        db::{self, ChannelRow},
        domain::suggest_handle,
    },
    tiers,
};

const BATCH: usize = 1_000;
const SNAPSHOTS: usize = 6;

const FIRST: &[&str] = &[
    "Alex", "Sam", "Jamie", "Riley", "Morgan", "Casey", "Taylor", "Jordan", "Avery", "Quinn",
    "Maya", "Leo", "Nora", "Ivan", "Lena", "Omar", "Priya", "Kenji", "Ana", "Tariq",
];
const LAST: &[&str] = &[
    "Rivera", "Chen", "Okafor", "Larsen", "Moreno", "Kowalski", "Haddad", "Sato", "Ferreira",
    "Nilsson", "Dubois", "Mensah", "Novak", "Kaur", "Brennan", "Yilmaz",
];
const TOPICS: &[&str] = &[
    "honest reviews",
    "weekly routines",
    "beginner guides",
    "behind the scenes",
    "small brands",
    "budget tips",
    "long reads",
    "city life",
];
const COUNTRIES: &[&str] = &[
    "US", "GB", "DE", "FR", "ES", "IT", "CA", "AU", "NL", "BR", "IN", "SE",
];
const PLATFORMS: &[Platform] = &[
    Platform::Instagram,
    Platform::Instagram,
    Platform::Tiktok,
    Platform::Tiktok,
    Platform::Youtube,
    Platform::X,
    Platform::Pinterest,
    Platform::Linkedin,
    Platform::Twitch,
    Platform::Blog,
    Platform::Podcast,
];

#[derive(Default)]
struct Batch {
    user_ids: Vec<Uuid>,
    emails: Vec<String>,
    names: Vec<String>,
    profile_ids: Vec<Uuid>,
    headlines: Vec<String>,
    bios: Vec<String>,
    countries: Vec<String>,
    niches: Vec<String>,
    open: Vec<bool>,
    tiers: Vec<Option<&'static str>>,
    followers: Vec<i64>,
    engagement: Vec<Option<i32>>,
    platforms: Vec<String>,
    scores: Vec<Option<i16>>,
    verified: Vec<bool>,
    first_signals: Vec<Option<String>>,
    c_ids: Vec<Uuid>,
    c_profiles: Vec<Uuid>,
    c_platforms: Vec<&'static str>,
    c_handles: Vec<String>,
    c_followers: Vec<i64>,
    c_views: Vec<i64>,
    c_likes: Vec<i64>,
    c_comments: Vec<i64>,
    c_captured: Vec<time::Date>,
    c_tiers: Vec<&'static str>,
    c_engagement: Vec<Option<i32>>,
    c_scores: Vec<i16>,
    c_signals: Vec<String>,
    c_rescore: Vec<Option<time::Date>>,
    c_verified: Vec<bool>,
    s_ids: Vec<Uuid>,
    s_channels: Vec<Uuid>,
    s_dates: Vec<time::Date>,
    s_followers: Vec<i64>,
    s_views: Vec<i64>,
    s_likes: Vec<i64>,
    s_comments: Vec<i64>,
    v_ids: Vec<Uuid>,
    v_snapshots: Vec<Uuid>,
    r_ids: Vec<Uuid>,
    r_profiles: Vec<Uuid>,
    r_platforms: Vec<&'static str>,
    r_formats: Vec<&'static str>,
    r_prices: Vec<i64>,
}

/// Adds `count` creators and returns a summary.
pub async fn influencers(pool: &PgPool, count: usize) -> anyhow::Result<String> {
    let mut rng = Rng(0x5EED_0000 ^ count as u64);
    let today = OffsetDateTime::now_utc().date();
    let scale = tiers::db::load(pool).await?;
    let benchmarks: HashMap<(Platform, Tier), Benchmark> = db::benchmarks(pool)
        .await?
        .into_iter()
        .map(|(p, t, b)| ((p, t), b))
        .collect();
    let hash =
        password::hash(Password::parse(crate::seed::DEMO_PASSWORD).map_err(anyhow::Error::msg)?)
            .await?;
    let run = Uuid::now_v7().simple().to_string();
    let (mut channels, mut flagged) = (0usize, 0usize);

    for start in (0..count).step_by(BATCH) {
        let n = BATCH.min(count - start);
        let mut b = Batch::default();
        for k in start..start + n {
            let name = format!("{} {} {k}", rng.pick(FIRST), rng.pick(LAST));
            let (user_id, profile_id) = (Uuid::now_v7(), Uuid::now_v7());
            let niches = [*rng.pick(NICHES), *rng.pick(NICHES)];
            b.user_ids.push(user_id);
            b.emails
                .push(format!("creator{k}-{}@bench.example", &run[..8]));
            b.headlines.push(format!(
                "{} and {}: {}",
                capitalize(niches[0]),
                niches[1],
                rng.pick(TOPICS)
            ));
            b.bios.push(format!(
                "Creating about {} and {} for {} years, with a focus on {}.",
                niches[0],
                niches[1],
                1 + rng.below(9),
                rng.pick(TOPICS)
            ));
            b.countries.push((*rng.pick(COUNTRIES)).to_owned());
            b.niches.push(if niches[0] == niches[1] {
                niches[0].to_owned()
            } else {
                niches.join(",")
            });
            b.open.push(rng.below(10) < 8);
            b.profile_ids.push(profile_id);

            let pattern = Pattern::pick(&mut rng);
            let channel_count = 1 + rng.below(5).min(2) as usize + usize::from(rng.below(4) == 0);
            let main = creators::followers(&mut rng);
            let mut rows: Vec<ChannelRow> = Vec::new();
            let mut used: Vec<Platform> = Vec::new();
            for c in 0..channel_count {
                let platform = *rng.pick(PLATFORMS);
                if used.contains(&platform) {
                    continue;
                }
                used.push(platform);
                let followers_now = (main / (1 + 2 * c as i64)).max(150);
                let p = if c == 0 { pattern } else { Pattern::Organic };
                let history: Vec<Snapshot> =
                    creators::history(&mut rng, platform, followers_now, p, today, SNAPSHOTS)
                        .into_iter()
                        .map(|s| Snapshot {
                            id: Uuid::now_v7(),
                            captured_on: s.captured_on,
                            figures: s.figures,
                            note: None,
                        })
                        .collect();
                let Some(latest) = history.last() else {
                    continue;
                };
                let tier = scale.tier_for(latest.figures.followers);
                let verified = rng.below(10) < 4;
                let a = authenticity::assess(&Inputs {
                    platform,
                    history: &history,
                    benchmark: benchmarks.get(&(platform, tier)).copied(),
                    ever_verified: verified,
                    today,
                });
                if !a.signals.is_empty() {
                    flagged += 1;
                }
                let channel_id = Uuid::now_v7();
                b.c_ids.push(channel_id);
                b.c_profiles.push(profile_id);
                b.c_platforms.push(platform.key());
                b.c_handles.push(suggest_handle(&name).replace('-', ""));
                b.c_followers.push(latest.figures.followers);
                b.c_views.push(latest.figures.avg_views);
                b.c_likes.push(latest.figures.avg_likes);
                b.c_comments.push(latest.figures.avg_comments);
                b.c_captured.push(latest.captured_on);
                b.c_tiers.push(tier.key());
                let engagement = a
                    .engagement_ppm
                    .map(|e| i32::try_from(e).unwrap_or(i32::MAX));
                b.c_engagement.push(engagement);
                b.c_scores.push(a.score.into());
                b.c_signals.push(serde_json::to_string(&a.signals)?);
                b.c_rescore.push(a.rescore_on);
                b.c_verified.push(verified);
                for s in &history {
                    b.s_ids.push(s.id);
                    b.s_channels.push(channel_id);
                    b.s_dates.push(s.captured_on);
                    b.s_followers.push(s.figures.followers);
                    b.s_views.push(s.figures.avg_views);
                    b.s_likes.push(s.figures.avg_likes);
                    b.s_comments.push(s.figures.avg_comments);
                }
                if verified {
                    b.v_ids.push(Uuid::now_v7());
                    b.v_snapshots.push(latest.id);
                }
                for &format in creators::formats(platform) {
                    b.r_ids.push(Uuid::now_v7());
                    b.r_profiles.push(profile_id);
                    b.r_platforms.push(platform.key());
                    b.r_formats.push(format.key());
                    b.r_prices.push(creators::price_minor(
                        &mut rng,
                        latest.figures.followers,
                        format,
                    ));
                }
                rows.push(ChannelRow {
                    id: channel_id,
                    platform,
                    handle: String::new(),
                    url: None,
                    figures: latest.figures,
                    captured_on: latest.captured_on,
                    tier,
                    engagement_ppm: a.engagement_ppm,
                    score: a.score.into(),
                    signals: a.signals,
                    latest_verified: verified,
                });
                channels += 1;
            }
            rows.sort_by_key(|c| std::cmp::Reverse(c.figures.followers));
            let summary = db::summarize(&rows);
            b.tiers.push(summary.tier.map(Tier::key));
            b.followers.push(summary.followers);
            b.engagement.push(summary.engagement_ppm);
            b.platforms.push(
                summary
                    .platforms
                    .iter()
                    .map(|p| p.key())
                    .collect::<Vec<_>>()
                    .join(","),
            );
            b.scores.push(summary.score);
            b.verified.push(summary.verified);
            b.first_signals.push(summary.first_signal);
            b.names.push(name);
        }
        insert(pool, &b, &hash).await?;
    }
    Ok(format!(
        "Added {count} creators with {channels} channels ({flagged} with authenticity signals), \
         {SNAPSHOTS} snapshots each, and rate cards."
    ))
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

async fn insert(pool: &PgPool, b: &Batch, hash: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "insert into users (id, email, display_name, password_hash, role)
         select u, e, n, $4, 'influencer' from unnest($1::uuid[], $2::text[], $3::text[]) as t(u, e, n)",
        &b.user_ids,
        &b.emails,
        &b.names,
        hash
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into influencer_profiles
                (id, user_id, headline, bio, country, niches, languages, open_to_offers, tier,
                 followers, engagement_ppm, platforms, score, verified, first_signal, search)
         select id, user_id, headline, bio, country, string_to_array(niches, ','), '{English}',
                open, tier, followers, engagement, string_to_array(platforms, ','), score,
                verified, first_signal,
                setweight(to_tsvector('english', name), 'A')
                || setweight(to_tsvector('english', headline || ' ' || replace(niches, ',', ' ')), 'B')
                || setweight(to_tsvector('english', bio), 'C')
           from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::bool[], $8::text[], $9::int8[], $10::int4[], $11::text[], $12::int2[],
                       $13::bool[], $14::text[], $15::text[])
             as t(id, user_id, headline, bio, country, niches, open, tier, followers, engagement,
                  platforms, score, verified, first_signal, name)",
        &b.profile_ids,
        &b.user_ids,
        &b.headlines,
        &b.bios,
        &b.countries,
        &b.niches,
        &b.open,
        &b.tiers as &[Option<&str>],
        &b.followers,
        &b.engagement as &[Option<i32>],
        &b.platforms,
        &b.scores as &[Option<i16>],
        &b.verified,
        &b.first_signals as &[Option<String>],
        &b.names,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into channels
                (id, profile_id, platform, handle, followers, avg_views, avg_likes, avg_comments,
                 captured_on, tier, engagement_ppm, score, signals, rescore_on, latest_verified)
         select id, profile_id, platform, handle, followers, views, likes, comments, captured_on,
                tier, engagement, score, signals::jsonb, rescore_on, verified
           from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int8[], $6::int8[],
                       $7::int8[], $8::int8[], $9::date[], $10::text[], $11::int4[], $12::int2[],
                       $13::text[], $14::date[], $15::bool[])
             as t(id, profile_id, platform, handle, followers, views, likes, comments,
                  captured_on, tier, engagement, score, signals, rescore_on, verified)",
        &b.c_ids,
        &b.c_profiles,
        &b.c_platforms as &[&str],
        &b.c_handles,
        &b.c_followers,
        &b.c_views,
        &b.c_likes,
        &b.c_comments,
        &b.c_captured,
        &b.c_tiers as &[&str],
        &b.c_engagement as &[Option<i32>],
        &b.c_scores,
        &b.c_signals,
        &b.c_rescore as &[Option<time::Date>],
        &b.c_verified,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into channel_snapshots
                (id, channel_id, captured_on, followers, avg_views, avg_likes, avg_comments)
         select * from unnest($1::uuid[], $2::uuid[], $3::date[], $4::int8[], $5::int8[],
                              $6::int8[], $7::int8[])",
        &b.s_ids,
        &b.s_channels,
        &b.s_dates,
        &b.s_followers,
        &b.s_views,
        &b.s_likes,
        &b.s_comments,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into channel_verifications (id, snapshot_id, note)
         select id, snapshot_id, 'Generated for benchmarks'
           from unnest($1::uuid[], $2::uuid[]) as t(id, snapshot_id)",
        &b.v_ids,
        &b.v_snapshots,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into rates (id, profile_id, platform, format, price_minor, currency, revision_rounds, usage_rights_days)
         select id, profile_id, platform, format, price, 'USD', 2, 30
           from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int8[])
             as t(id, profile_id, platform, format, price)
         on conflict do nothing",
        &b.r_ids,
        &b.r_profiles,
        &b.r_platforms as &[&str],
        &b.r_formats as &[&str],
        &b.r_prices,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
