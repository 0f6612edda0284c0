//! The demo creators' business profiles: channels with half a year of monthly
//! figures, rate cards, and the agency's verification of some of them. A few
//! show the patterns the authenticity assessment flags, so the demo has
//! something to explain.

use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use super::{
    Rng,
    creators::{self, Pattern},
};
use crate::{
    domain::{Currency, Format, Money, Platform, TierScale},
    influencers::{
        db::{self, ProfileBy},
        domain::{NewChannel, ProfileForm, Rate},
    },
};

const NICHES: &[&[&str]] = &[
    &["hiking", "outdoor gear"],
    &["skincare", "beauty"],
    &["coffee", "food"],
    &["fitness", "running"],
    &["gaming", "tech"],
    &["parenting", "home"],
    &["travel", "photography"],
    &["fashion", "sustainability"],
    &["finance", "careers"],
    &["cycling", "outdoor gear"],
];

const HEADLINES: &[&str] = &[
    "Trail stories and honest gear tests",
    "Skincare that respects sensitive skin",
    "Slow coffee, small roasters, good mornings",
    "Strength training for busy people",
    "Indie games, reviewed by a developer",
    "Family life in a small flat, made easy",
    "Travel slowly, photograph carefully",
    "Second-hand style and wardrobes that last",
    "Money talk for your first ten years of work",
    "Gravel rides and bikepacking routes",
];

const CITIES: &[(&str, &str)] = &[
    ("Lisbon", "PT"),
    ("Berlin", "DE"),
    ("Austin", "US"),
    ("Manchester", "GB"),
    ("Toronto", "CA"),
    ("Lyon", "FR"),
    ("Melbourne", "AU"),
    ("Portland", "US"),
];

const PLATFORM_SETS: &[&[Platform]] = &[
    &[Platform::Instagram, Platform::Tiktok],
    &[Platform::Youtube, Platform::Instagram],
    &[Platform::Tiktok],
    &[Platform::Instagram],
    &[Platform::Youtube, Platform::Twitch],
    &[Platform::Instagram, Platform::Pinterest, Platform::Blog],
];

/// Fills in one demo creator's profile. `i` picks their niche, platforms and
/// figures; every seventh is left empty, as a creator who just signed up.
pub async fn load(
    tx: &mut PgConnection,
    user_id: Uuid,
    name: &str,
    i: usize,
    admin_id: Uuid,
    scale: &TierScale,
    today: Date,
) -> anyhow::Result<()> {
    if i % 7 == 6 {
        return Ok(());
    }
    let mut rng = Rng(0xC0FF_EE00 + i as u64);
    let row = db::find_profile(&mut *tx, ProfileBy::User(user_id))
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo creator {name} has no profile"))?;
    let (city, country) = CITIES[i % CITIES.len()];
    let niches = NICHES[i % NICHES.len()];
    let profile = ProfileForm {
        display_name: name.to_owned(),
        headline: HEADLINES[i % HEADLINES.len()].to_owned(),
        bio: format!(
            "I have been creating about {} for {} years. My audience trusts me because I only \
             recommend what I use myself, and I tell them when something isn't for them.\n\n\
             I work with brands as a partner: I want to know your goals, and I'll tell you \
             what will work with my audience.",
            niches.join(" and "),
            2 + i % 6
        ),
        country: country.to_owned(),
        city: city.to_owned(),
        languages: if i.is_multiple_of(3) {
            "English, Spanish".to_owned()
        } else {
            "English".to_owned()
        },
        niches: niches.join(", "),
        business_name: if i.is_multiple_of(2) {
            format!("{name} Media")
        } else {
            String::new()
        },
        website: String::new(),
        hours_per_week: (20 + (i * 7) % 50).to_string(),
        open_to_offers: (i % 5 != 4).then(|| "on".to_owned()),
        media_kit_public: i.is_multiple_of(2).then(|| "on".to_owned()),
        media_kit_handle: crate::influencers::domain::suggest_handle(name),
    }
    .parse()
    .map_err(|e| anyhow::anyhow!("demo profile of {name} is invalid: {e:?}"))?;
    db::save_profile(&mut *tx, row.id, user_id, &profile).await?;

    let pattern = match i % 10 {
        3 => Pattern::BoughtJump,
        7 => Pattern::Fading,
        8 => Pattern::Hollow,
        9 => Pattern::Pumped,
        _ => Pattern::Organic,
    };
    let handle = crate::influencers::domain::suggest_handle(name).replace('-', "");
    // Demo creators are established: nano and up.
    let mut main_followers = creators::followers(&mut rng).max(2_000 + 997 * i as i64);
    for (n, &platform) in PLATFORM_SETS[i % PLATFORM_SETS.len()].iter().enumerate() {
        let followers_now = (main_followers / (1 + n as i64 * 2)).max(200);
        let history = creators::history(
            &mut rng,
            platform,
            followers_now,
            if n == 0 { pattern } else { Pattern::Organic },
            today,
            6,
        );
        let Some((first, rest)) = history.split_first() else {
            continue;
        };
        let channel_id = db::add_channel(
            &mut *tx,
            row.id,
            &NewChannel {
                platform,
                handle: handle.clone(),
                url: None,
                figures: first.figures,
            },
            scale,
            first.captured_on,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo channel of {name}: {e}"))?;
        for snapshot in rest {
            db::add_snapshot(&mut *tx, channel_id, snapshot, scale, today).await?;
        }
        if pattern == Pattern::BoughtJump && n == 0 && i % 20 == 3 {
            let jump = rest.len().saturating_sub(2);
            if let Some(s) = rest.get(jump) {
                let snapshot_id: Uuid = sqlx::query_scalar!(
                    "select id from channel_snapshots where channel_id = $1 and captured_on = $2 limit 1",
                    channel_id,
                    s.captured_on
                )
                .fetch_one(&mut *tx)
                .await?;
                db::annotate(
                    &mut *tx,
                    row.id,
                    channel_id,
                    snapshot_id,
                    Some("A giveaway with a partner brand that week brought many new followers."),
                    scale,
                    today,
                )
                .await?;
            }
        }
        if i % 3 != 2 {
            db::verify_latest(
                &mut *tx,
                channel_id,
                admin_id,
                "Checked against the platform's analytics screenshots.",
                scale,
                today,
            )
            .await?;
        }
        for &format in creators::formats(platform) {
            db::save_rate(
                &mut *tx,
                row.id,
                &Rate {
                    platform,
                    format,
                    price: Money::from_minor(
                        creators::price_minor(&mut rng, followers_now, format),
                        Currency::Usd,
                    ),
                    includes: String::new(),
                    revision_rounds: 2,
                    usage_rights_days: if format == Format::Story { 0 } else { 30 },
                },
            )
            .await?;
        }
        main_followers = followers_now;
    }
    Ok(())
}
