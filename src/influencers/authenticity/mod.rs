//! The explainable authenticity assessment of a channel: a score from 0 to 100
//! and the signals that lowered it, each with its evidence in plain words.
//!
//! Pure: it reads a channel's history of snapshots, the engagement benchmark for
//! its platform and tier, whether its figures were ever verified, and today's
//! date. The README lists every signal and its weight.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::domain::Platform;

mod signals;
#[cfg(test)]
mod tests;

pub use signals::Signal;

/// The figures of one snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    pub followers: i64,
    pub avg_views: i64,
    pub avg_likes: i64,
    pub avg_comments: i64,
}

impl Figures {
    /// Likes and comments on an average post.
    pub fn interactions(&self) -> i64 {
        self.avg_likes.saturating_add(self.avg_comments)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub id: Uuid,
    pub captured_on: Date,
    pub figures: Figures,
    pub note: Option<String>,
}

/// Normal engagement for a platform and tier, in parts per million of the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Benchmark {
    pub low_ppm: i64,
    pub typical_ppm: i64,
    pub high_ppm: i64,
}

/// What engagement is measured against on a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    Followers,
    Views,
}

impl Base {
    /// Video platforms are judged per view: their audiences watch far more
    /// than they follow.
    pub fn for_platform(platform: Platform) -> Base {
        match platform {
            Platform::Youtube | Platform::Tiktok | Platform::Twitch => Base::Views,
            _ => Base::Followers,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Base::Followers => "followers",
            Base::Views => "views",
        }
    }
}

/// (likes + comments) per million of the base; `None` with nothing to divide by.
/// On a video platform a channel that reports no views is measured against its
/// followers.
pub fn engagement_ppm(platform: Platform, f: &Figures) -> Option<(i64, Base)> {
    let (base, kind) = match Base::for_platform(platform) {
        Base::Views if f.avg_views > 0 => (f.avg_views, Base::Views),
        _ => (f.followers, Base::Followers),
    };
    if base <= 0 {
        return None;
    }
    let ppm = i128::from(f.interactions()) * 1_000_000 / i128::from(base);
    Some((i64::try_from(ppm).unwrap_or(i64::MAX), kind))
}

/// A follower rise of more than this share within a week (or more than this
/// share per week on average across a longer gap) is a jump.
const JUMP_PER_WEEK: f64 = 0.20;
/// Figures older than this are stale.
pub const STALE_AFTER_DAYS: i64 = 90;
/// Growth against engagement needs at least this many snapshots in a row.
const TREND_SNAPSHOTS: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub score: u8,
    /// Heaviest first.
    pub signals: Vec<Signal>,
    pub engagement_ppm: Option<i64>,
    /// When the assessment changes by itself (figures turning stale).
    pub rescore_on: Option<Date>,
}

pub struct Inputs<'a> {
    pub platform: Platform,
    /// Oldest first, as entered for equal dates. Never empty for a channel.
    pub history: &'a [Snapshot],
    pub benchmark: Option<Benchmark>,
    pub ever_verified: bool,
    pub today: Date,
}

pub fn assess(i: &Inputs<'_>) -> Assessment {
    let mut signals = Vec::new();
    let Some(latest) = i.history.last() else {
        return Assessment {
            score: 0,
            signals: vec![Signal::NeverVerified],
            engagement_ppm: None,
            rescore_on: None,
        };
    };
    let engagement = engagement_ppm(i.platform, &latest.figures);

    if let (Some((rate_ppm, base)), Some(b)) = (engagement, i.benchmark) {
        if rate_ppm < b.low_ppm {
            signals.push(Signal::EngagementFarBelow {
                rate_ppm,
                low_ppm: b.low_ppm,
                typical_ppm: b.typical_ppm,
                base,
            });
        } else if rate_ppm > b.high_ppm {
            signals.push(Signal::EngagementFarAbove {
                rate_ppm,
                high_ppm: b.high_ppm,
                typical_ppm: b.typical_ppm,
                base,
            });
        }
    }

    signals.extend(jumps(i.history));
    signals.extend(growth_without_engagement(i.history));

    if !i.ever_verified {
        signals.push(Signal::NeverVerified);
    }
    let age = (i.today - latest.captured_on).whole_days();
    let rescore_on = if age > STALE_AFTER_DAYS {
        signals.push(Signal::Stale {
            captured_on: latest.captured_on,
            days: age,
        });
        None
    } else {
        latest
            .captured_on
            .checked_add(time::Duration::days(STALE_AFTER_DAYS + 1))
    };

    // Stable: among equal penalties the order above (engagement, history,
    // verification) is kept.
    signals.sort_by_key(|s| std::cmp::Reverse(s.penalty()));
    let lost: u32 = signals.iter().map(|s| u32::from(s.penalty())).sum();
    Assessment {
        score: u8::try_from(100u32.saturating_sub(lost)).unwrap_or(0),
        signals,
        engagement_ppm: engagement.map(|(ppm, _)| ppm),
        rescore_on,
    }
}

/// Every rise of more than 20% within a week (or 20% a week on average over a
/// longer gap) that engagement did not follow (it rose by less than half as
/// much). A base under 100 followers is too small to judge.
fn jumps(history: &[Snapshot]) -> Vec<Signal> {
    history
        .windows(2)
        .filter_map(|pair| {
            let (a, b) = (&pair[0], &pair[1]);
            let before = a.figures.followers;
            let after = b.figures.followers;
            if before < 100 || after <= before {
                return None;
            }
            let growth = (after - before) as f64 / before as f64;
            let days = (b.captured_on - a.captured_on).whole_days().max(0);
            let weekly = if days <= 7 {
                growth
            } else {
                growth * 7.0 / days as f64
            };
            if weekly <= JUMP_PER_WEEK {
                return None;
            }
            let (ia, ib) = (a.figures.interactions(), b.figures.interactions());
            let engagement_growth = if ia > 0 {
                (ib - ia) as f64 / ia as f64
            } else if ib > 0 {
                f64::INFINITY
            } else {
                0.0
            };
            (engagement_growth < growth / 2.0).then(|| Signal::FollowerJump {
                snapshot_id: b.id,
                from: a.captured_on,
                to: b.captured_on,
                followers_before: before,
                followers_after: after,
                interactions_before: ia,
                interactions_after: ib,
                note: b.note.clone(),
            })
        })
        .collect()
}

/// The newest run of at least three snapshots in which followers rose at every
/// step while likes and comments fell at every step.
fn growth_without_engagement(history: &[Snapshot]) -> Option<Signal> {
    let mut start = history.len().checked_sub(1)?;
    while start > 0 {
        let (a, b) = (&history[start - 1].figures, &history[start].figures);
        if b.followers > a.followers && b.interactions() < a.interactions() {
            start -= 1;
        } else {
            break;
        }
    }
    let run = &history[start..];
    if run.len() < TREND_SNAPSHOTS {
        return None;
    }
    let (first, last) = (run.first()?, run.last()?);
    Some(Signal::GrowthWithoutEngagement {
        from: first.captured_on,
        to: last.captured_on,
        snapshots: run.len(),
        followers_before: first.figures.followers,
        followers_after: last.figures.followers,
        interactions_before: first.figures.interactions(),
        interactions_after: last.figures.interactions(),
    })
}

/// A profile's score across its channels: weighted by followers, so that the
/// audience a brand mostly buys counts most; a channel with no followers still
/// counts a little.
pub fn overall_score(channels: &[(i64, u8)]) -> Option<u8> {
    if channels.is_empty() {
        return None;
    }
    let (sum, weight) =
        channels
            .iter()
            .fold((0i128, 0i128), |(sum, weight), &(followers, score)| {
                let w = i128::from(followers.max(1));
                (sum + w * i128::from(score), weight + w)
            });
    u8::try_from((sum + weight / 2) / weight).ok()
}
