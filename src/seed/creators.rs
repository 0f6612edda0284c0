//! Believable creator figures for the demo and for benchmarks: channel histories
//! that grow organically, and a share with the patterns the authenticity
//! assessment looks for (a bought-follower jump, growth while engagement fades,
//! engagement far too low or far too high).

use time::{Date, Duration};

use super::Rng;
use crate::{
    domain::{Format, Platform},
    influencers::{authenticity::Figures, domain::NewSnapshot},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Organic,
    /// Followers jump by a third within a week while engagement stays flat.
    BoughtJump,
    /// Followers creep up while likes and comments fall, snapshot after snapshot.
    Fading,
    /// Engagement far under the platform's norm (an inactive audience).
    Hollow,
    /// Engagement far over the norm (engagement groups, bought likes).
    Pumped,
}

impl Pattern {
    /// About four creators in five grow organically.
    pub fn pick(rng: &mut Rng) -> Pattern {
        match rng.below(100) {
            0..80 => Pattern::Organic,
            80..88 => Pattern::BoughtJump,
            88..93 => Pattern::Fading,
            93..97 => Pattern::Hollow,
            _ => Pattern::Pumped,
        }
    }
}

/// Typical (likes + comments) per base, in parts per million, near the
/// benchmark table's medians.
fn typical_ppm(platform: Platform) -> u64 {
    match platform {
        Platform::Instagram => 16_000,
        Platform::Tiktok => 75_000,
        Platform::Youtube => 38_000,
        Platform::X => 3_000,
        Platform::Twitch => 28_000,
        Platform::Pinterest => 3_500,
        Platform::Linkedin => 22_000,
        Platform::Blog | Platform::Podcast => 5_000,
    }
}

/// Snapshots a month apart ending today (oldest first), ending at about
/// `followers_now`.
pub fn history(
    rng: &mut Rng,
    platform: Platform,
    followers_now: i64,
    pattern: Pattern,
    today: Date,
    count: usize,
) -> Vec<NewSnapshot> {
    let count = count.max(1);
    let video = matches!(
        platform,
        Platform::Youtube | Platform::Tiktok | Platform::Twitch
    );
    let monthly_growth = 1.0 + (1 + rng.below(4)) as f64 / 100.0;
    let mut engagement = typical_ppm(platform) as f64 * (0.7 + rng.below(60) as f64 / 100.0);
    match pattern {
        Pattern::Hollow => engagement /= 6.0,
        Pattern::Pumped => engagement *= 10.0,
        _ => {}
    }
    let views_share = 0.2 + rng.below(80) as f64 / 100.0;
    let jump_at = count.saturating_sub(1 + rng.below(2) as usize).max(1);
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let months_back = (count - 1 - i) as i64;
        let mut followers = followers_now as f64 / monthly_growth.powi(months_back as i32);
        let mut rate = engagement;
        match pattern {
            Pattern::BoughtJump if i < jump_at => followers /= 1.35,
            Pattern::Fading => rate *= 1.0 + months_back as f64 * 0.12,
            _ => {}
        }
        let followers = followers.round().max(0.0) as i64;
        // Bought followers neither watch nor like: engagement follows the real
        // audience, which is what the jump gives away.
        let real = if pattern == Pattern::BoughtJump && i >= jump_at {
            followers as f64 / 1.35
        } else {
            followers as f64
        };
        let base = if video { real * views_share } else { real };
        let interactions = base * rate / 1_000_000.0;
        let mut captured_on = today - Duration::days(months_back * 30);
        if pattern == Pattern::BoughtJump && i == jump_at {
            // The jump lands within a week of the snapshot before it.
            captured_on = today - Duration::days(months_back * 30 + 30 - 6);
        }
        out.push(NewSnapshot {
            captured_on,
            figures: Figures {
                followers,
                avg_views: (real * views_share).round() as i64,
                avg_likes: (interactions * 0.92).round() as i64,
                avg_comments: (interactions * 0.08).round() as i64,
            },
        });
    }
    out.sort_by_key(|s| s.captured_on);
    out
}

/// Followers for a creator, spread like a real roster: mostly nano and micro,
/// fewer mid, a handful of macro and mega.
pub fn followers(rng: &mut Rng) -> i64 {
    let (low, high) = match rng.below(100) {
        0..10 => (300, 1_000),
        10..45 => (1_000, 10_000),
        45..80 => (10_000, 50_000),
        80..95 => (50_000, 500_000),
        95..98 => (500_000, 1_000_000),
        _ => (1_000_000, 8_000_000),
    };
    (low + rng.below((high - low) as u64) as i64).max(1)
}

/// The formats a creator would sell on a platform.
pub fn formats(platform: Platform) -> &'static [Format] {
    match platform {
        Platform::Instagram => &[Format::Post, Format::Story, Format::ShortVideo],
        Platform::Tiktok => &[Format::ShortVideo, Format::Live],
        Platform::Youtube => &[Format::LongVideo, Format::ShortVideo],
        Platform::Twitch => &[Format::Live],
        Platform::Blog => &[Format::Blog],
        Platform::Podcast => &[Format::Podcast],
        Platform::X | Platform::Pinterest | Platform::Linkedin => &[Format::Post],
    }
}

/// A price in cents near the market rate of about $10 to $25 per thousand
/// followers per post, with a floor.
pub fn price_minor(rng: &mut Rng, followers: i64, format: Format) -> i64 {
    let per_thousand = 10 + rng.below(16) as i64;
    let weight = match format {
        Format::Story => 0.5,
        Format::LongVideo | Format::Podcast => 2.5,
        Format::Live => 1.5,
        _ => 1.0,
    };
    let dollars = (followers / 1_000 * per_thousand) as f64 * weight;
    ((dollars.max(50.0) / 5.0).round() * 5.0) as i64 * 100
}
