//! The explainable authenticity assessment of a channel: a score from 0 to 100
//! and the signals that lowered it, each with its evidence in plain words.
//!
//! Pure: it reads a channel's history of snapshots, the engagement benchmark for
//! its platform and tier, whether its figures were ever verified, and today's
//! date. The README lists every signal and its weight.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::domain::{
    Platform,
    display::{count, date, percent_ppm},
};

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signal {
    EngagementFarBelow {
        rate_ppm: i64,
        low_ppm: i64,
        typical_ppm: i64,
        base: Base,
    },
    EngagementFarAbove {
        rate_ppm: i64,
        high_ppm: i64,
        typical_ppm: i64,
        base: Base,
    },
    FollowerJump {
        snapshot_id: Uuid,
        from: Date,
        to: Date,
        followers_before: i64,
        followers_after: i64,
        interactions_before: i64,
        interactions_after: i64,
        note: Option<String>,
    },
    GrowthWithoutEngagement {
        from: Date,
        to: Date,
        snapshots: usize,
        followers_before: i64,
        followers_after: i64,
        interactions_before: i64,
        interactions_after: i64,
    },
    NeverVerified,
    Stale {
        captured_on: Date,
        days: i64,
    },
}

impl Signal {
    /// Points taken off the score.
    pub fn penalty(&self) -> u8 {
        match self {
            Signal::EngagementFarBelow { .. } => 30,
            Signal::EngagementFarAbove { .. } => 25,
            Signal::FollowerJump { .. } => 25,
            Signal::GrowthWithoutEngagement { .. } => 20,
            Signal::NeverVerified => 10,
            Signal::Stale { .. } => 15,
        }
    }

    /// The signal in a few words.
    pub fn title(&self) -> String {
        match self {
            Signal::EngagementFarBelow { .. } => "Engagement far below the benchmark".into(),
            Signal::EngagementFarAbove { .. } => {
                "Engagement implausibly far above the benchmark".into()
            }
            Signal::FollowerJump { to, .. } => format!("Sudden follower jump by {}", date_of(*to)),
            Signal::GrowthWithoutEngagement { .. } => {
                "Followers growing while engagement falls".into()
            }
            Signal::NeverVerified => "Figures never verified".into(),
            Signal::Stale { .. } => "Figures last updated long ago".into(),
        }
    }

    /// The evidence, in plain words.
    pub fn evidence(&self) -> String {
        match self {
            Signal::EngagementFarBelow {
                rate_ppm,
                low_ppm,
                typical_ppm,
                base,
            } => format!(
                "Likes and comments are {} of {}, under {} (a quarter of the typical {} for this platform and tier). Inactive or bought followers lower it.",
                percent_ppm(*rate_ppm),
                base.noun(),
                percent_ppm(*low_ppm),
                percent_ppm(*typical_ppm)
            ),
            Signal::EngagementFarAbove {
                rate_ppm,
                high_ppm,
                typical_ppm,
                base,
            } => format!(
                "Likes and comments are {} of {}, over {} (five times the typical {} for this platform and tier). Engagement groups or bought likes raise it.",
                percent_ppm(*rate_ppm),
                base.noun(),
                percent_ppm(*high_ppm),
                percent_ppm(*typical_ppm)
            ),
            Signal::FollowerJump {
                from,
                to,
                followers_before,
                followers_after,
                interactions_before,
                interactions_after,
                ..
            } => format!(
                "Followers went from {} to {} ({}) between {} and {}, while likes and comments per post went from {} to {} ({}).",
                count(*followers_before),
                count(*followers_after),
                change(*followers_before, *followers_after),
                date_of(*from),
                date_of(*to),
                count(*interactions_before),
                count(*interactions_after),
                change(*interactions_before, *interactions_after),
            ),
            Signal::GrowthWithoutEngagement {
                from,
                to,
                snapshots,
                followers_before,
                followers_after,
                interactions_before,
                interactions_after,
            } => format!(
                "Across {snapshots} snapshots from {} to {}, followers rose from {} to {} ({}) while likes and comments per post fell from {} to {} ({}).",
                date_of(*from),
                date_of(*to),
                count(*followers_before),
                count(*followers_after),
                change(*followers_before, *followers_after),
                count(*interactions_before),
                count(*interactions_after),
                change(*interactions_before, *interactions_after),
            ),
            Signal::NeverVerified => {
                "No figures of this channel have been checked by the agency yet.".into()
            }
            Signal::Stale { captured_on, days } => format!(
                "The newest figures are from {} ({days} days ago); figures older than {STALE_AFTER_DAYS} days may no longer hold.",
                date_of(*captured_on)
            ),
        }
    }

    /// The creator's explanation, for a jump they annotated.
    pub fn note(&self) -> Option<&str> {
        match self {
            Signal::FollowerJump { note, .. } => note.as_deref(),
            _ => None,
        }
    }

    /// The snapshot a creator can annotate, for a jump.
    pub fn snapshot_id(&self) -> Option<Uuid> {
        match self {
            Signal::FollowerJump { snapshot_id, .. } => Some(*snapshot_id),
            _ => None,
        }
    }
}

fn date_of(d: Date) -> String {
    date(d.midnight().assume_utc())
}

/// "+25%", "−40%", "from none".
fn change(before: i64, after: i64) -> String {
    if before <= 0 {
        return if after > 0 {
            "from none".into()
        } else {
            "no change".into()
        };
    }
    let pct = (after as f64 - before as f64) / before as f64 * 100.0;
    if pct >= 0.0 {
        format!("+{pct:.0}%")
    } else {
        format!("−{:.0}%", -pct)
    }
}

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

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn snap(day: Date, followers: i64, likes: i64, comments: i64) -> Snapshot {
        Snapshot {
            id: Uuid::now_v7(),
            captured_on: day,
            figures: Figures {
                followers,
                avg_views: 0,
                avg_likes: likes,
                avg_comments: comments,
            },
            note: None,
        }
    }

    const INSTAGRAM_MICRO: Benchmark = Benchmark {
        low_ppm: 4_000,
        typical_ppm: 16_000,
        high_ppm: 80_000,
    };

    fn assess_instagram(history: &[Snapshot], verified: bool) -> Assessment {
        assess(&Inputs {
            platform: Platform::Instagram,
            history,
            benchmark: Some(INSTAGRAM_MICRO),
            ever_verified: verified,
            today: date!(2026 - 11 - 25),
        })
    }

    fn kinds(a: &Assessment) -> Vec<&'static str> {
        a.signals
            .iter()
            .map(|s| match s {
                Signal::EngagementFarBelow { .. } => "below",
                Signal::EngagementFarAbove { .. } => "above",
                Signal::FollowerJump { .. } => "jump",
                Signal::GrowthWithoutEngagement { .. } => "trend",
                Signal::NeverVerified => "unverified",
                Signal::Stale { .. } => "stale",
            })
            .collect()
    }

    #[test]
    fn a_single_healthy_verified_snapshot_scores_full_marks() {
        let a = assess_instagram(&[snap(date!(2026 - 11 - 20), 20_000, 300, 20)], true);
        assert_eq!(a.score, 100);
        assert!(a.signals.is_empty());
        assert_eq!(a.engagement_ppm, Some(16_000));
        assert_eq!(a.rescore_on, Some(date!(2027 - 02 - 19)));
    }

    #[test]
    fn a_single_unverified_snapshot_only_lacks_verification() {
        let a = assess_instagram(&[snap(date!(2026 - 11 - 20), 20_000, 300, 20)], false);
        assert_eq!(kinds(&a), ["unverified"]);
        assert_eq!(a.score, 90);
    }

    #[test]
    fn engagement_is_judged_against_the_benchmark_both_ways() {
        let low = assess_instagram(&[snap(date!(2026 - 11 - 20), 100_000, 300, 10)], true);
        assert_eq!(kinds(&low), ["below"]);
        assert_eq!(low.score, 70);
        assert!(
            low.signals[0]
                .evidence()
                .starts_with("Likes and comments are 0.31% of followers, under 0.40%")
        );
        let high = assess_instagram(&[snap(date!(2026 - 11 - 20), 10_000, 900, 100)], true);
        assert_eq!(kinds(&high), ["above"]);
        // Exactly at the limits is still normal.
        let edge = assess_instagram(&[snap(date!(2026 - 11 - 20), 10_000, 40, 0)], true);
        assert!(edge.signals.is_empty());
    }

    #[test]
    fn zero_followers_cannot_be_judged_on_engagement_and_do_not_divide_by_zero() {
        let a = assess_instagram(&[snap(date!(2026 - 11 - 20), 0, 0, 0)], true);
        assert_eq!(a.engagement_ppm, None);
        assert!(a.signals.is_empty());
        let from_zero = assess_instagram(
            &[
                snap(date!(2026 - 11 - 01), 0, 0, 0),
                snap(date!(2026 - 11 - 03), 50_000, 0, 0),
            ],
            true,
        );
        assert!(
            !kinds(&from_zero).contains(&"jump"),
            "a base under 100 is not judged"
        );
    }

    #[test]
    fn video_platforms_are_measured_per_view_unless_no_views_are_reported() {
        let mut f = Figures {
            followers: 1_000_000,
            avg_views: 100_000,
            avg_likes: 7_000,
            avg_comments: 1_000,
        };
        assert_eq!(
            engagement_ppm(Platform::Tiktok, &f),
            Some((80_000, Base::Views))
        );
        assert_eq!(
            engagement_ppm(Platform::Instagram, &f),
            Some((8_000, Base::Followers))
        );
        f.avg_views = 0;
        assert_eq!(
            engagement_ppm(Platform::Youtube, &f),
            Some((8_000, Base::Followers))
        );
    }

    #[test]
    fn a_sudden_jump_without_engagement_is_flagged_with_its_evidence_and_note() {
        let mut after = snap(date!(2026 - 11 - 08), 30_000, 330, 20);
        after.note = Some("Giveaway with a partner brand".into());
        let a = assess_instagram(&[snap(date!(2026 - 11 - 01), 20_000, 300, 20), after], true);
        assert_eq!(kinds(&a), ["jump"]);
        let jump = &a.signals[0];
        assert_eq!(jump.note(), Some("Giveaway with a partner brand"));
        assert_eq!(
            jump.evidence(),
            "Followers went from 20,000 to 30,000 (+50%) between 1 Nov 2026 and 8 Nov 2026, \
             while likes and comments per post went from 320 to 350 (+9%)."
        );
    }

    #[test]
    fn a_jump_that_engagement_follows_is_organic() {
        let a = assess_instagram(
            &[
                snap(date!(2026 - 11 - 01), 20_000, 300, 20),
                snap(date!(2026 - 11 - 05), 30_000, 450, 30),
            ],
            true,
        );
        assert!(a.signals.is_empty(), "{:?}", a.signals);
    }

    #[test]
    fn equal_dates_count_as_a_jump_within_the_week() {
        let a = assess_instagram(
            &[
                snap(date!(2026 - 11 - 10), 20_000, 300, 20),
                snap(date!(2026 - 11 - 10), 26_000, 300, 20),
            ],
            true,
        );
        assert_eq!(kinds(&a), ["jump"]);
    }

    #[test]
    fn slow_growth_over_a_long_gap_is_not_a_jump_but_fast_growth_is() {
        let slow = assess_instagram(
            &[
                snap(date!(2026 - 08 - 01), 20_000, 300, 20),
                snap(date!(2026 - 10 - 30), 30_000, 330, 20),
            ],
            true,
        );
        assert!(!kinds(&slow).contains(&"jump"));
        let fast = assess_instagram(
            &[
                snap(date!(2026 - 10 - 01), 20_000, 300, 20),
                snap(date!(2026 - 10 - 29), 60_000, 330, 20),
            ],
            true,
        );
        assert!(kinds(&fast).contains(&"jump"));
    }

    #[test]
    fn followers_up_and_engagement_down_over_three_snapshots_is_a_trend() {
        let history = [
            snap(date!(2026 - 08 - 01), 20_000, 400, 40),
            snap(date!(2026 - 09 - 01), 21_000, 360, 30),
            snap(date!(2026 - 10 - 01), 22_000, 330, 20),
            snap(date!(2026 - 11 - 01), 23_000, 300, 20),
        ];
        let a = assess_instagram(&history, true);
        assert_eq!(kinds(&a), ["trend"]);
        assert!(
            a.signals[0]
                .evidence()
                .starts_with("Across 4 snapshots from 1 Aug 2026 to 1 Nov 2026")
        );
        assert!(
            assess_instagram(&history[2..], true).signals.is_empty(),
            "two snapshots are not a trend"
        );
    }

    #[test]
    fn old_figures_are_stale_and_fresh_ones_say_when_they_will_be() {
        let a = assess_instagram(&[snap(date!(2026 - 06 - 01), 20_000, 300, 20)], true);
        assert_eq!(kinds(&a), ["stale"]);
        assert_eq!(a.rescore_on, None);
        assert_eq!(a.score, 85);
    }

    #[test]
    fn huge_numbers_neither_overflow_nor_panic() {
        let history = [
            snap(
                date!(2026 - 11 - 01),
                9_000_000_000,
                i64::MAX / 2,
                i64::MAX / 2,
            ),
            snap(date!(2026 - 11 - 02), 10_000_000_000, i64::MAX, i64::MAX),
        ];
        let a = assess_instagram(&history, false);
        assert!(a.score <= 100);
        assert!(a.engagement_ppm.is_some());
    }

    #[test]
    fn the_score_never_drops_below_zero() {
        let history = [
            snap(date!(2025 - 01 - 01), 10_000, 40, 0),
            snap(date!(2025 - 01 - 02), 13_000, 30, 0),
            snap(date!(2025 - 01 - 03), 17_000, 20, 0),
            snap(date!(2025 - 01 - 04), 23_000, 10, 0),
        ];
        let a = assess_instagram(&history, false);
        assert_eq!(a.score, 0);
        assert_eq!(
            a.signals[0].penalty(),
            30,
            "the heaviest signal comes first"
        );
    }

    #[test]
    fn platforms_without_a_benchmark_skip_the_engagement_signal() {
        let a = assess(&Inputs {
            platform: Platform::Podcast,
            history: &[snap(date!(2026 - 11 - 20), 5_000, 0, 0)],
            benchmark: None,
            ever_verified: true,
            today: date!(2026 - 11 - 25),
        });
        assert!(a.signals.is_empty());
    }

    #[test]
    fn the_overall_score_weighs_channels_by_followers() {
        assert_eq!(overall_score(&[]), None);
        assert_eq!(overall_score(&[(90_000, 100), (10_000, 0)]), Some(90));
        assert_eq!(overall_score(&[(0, 80), (0, 40)]), Some(60));
        assert_eq!(
            overall_score(&[(i64::MAX, 100), (i64::MAX, 100)]),
            Some(100)
        );
    }

    #[test]
    fn signals_survive_a_round_trip_through_json() {
        let a = assess_instagram(
            &[
                snap(date!(2026 - 11 - 01), 20_000, 300, 20),
                snap(date!(2026 - 11 - 02), 30_000, 300, 20),
            ],
            false,
        );
        let json = serde_json::to_string(&a.signals).expect("json");
        let back: Vec<Signal> = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, a.signals);
    }
}
