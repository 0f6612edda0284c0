//! The assessment on tricky histories: a single snapshot, equal dates, zero
//! followers, huge numbers, explained jumps.

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
