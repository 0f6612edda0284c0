//! A post's figures as the creator types them, and what they say: how many
//! saw it, how many engaged, and its engagement rate against what is normal
//! for its platform and the creator's tier.

use serde::Deserialize;
use time::{Date, Duration};

use crate::{
    domain::{
        Platform,
        date::parse_date,
        display::{count, percent_ppm},
        number::parse_figure,
    },
    influencers::authenticity::{Base, Benchmark},
    web::FieldErrors,
};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct FiguresForm {
    pub recorded_on: String,
    pub impressions: String,
    pub reach: String,
    pub views: String,
    pub likes: String,
    pub comments: String,
    pub shares: String,
    pub saves: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub impressions: Option<i64>,
    pub reach: Option<i64>,
    pub views: Option<i64>,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub saves: Option<i64>,
}

impl Figures {
    /// Likes, comments, shares and saves: every way of engaging counted once.
    pub fn engagements(&self) -> i64 {
        [self.likes, self.comments, self.shares, self.saves]
            .into_iter()
            .flatten()
            .sum()
    }

    /// Likes and comments: what the platform benchmarks count.
    pub fn interactions(&self) -> i64 {
        self.likes.unwrap_or(0) + self.comments.unwrap_or(0)
    }

    /// How many saw it: impressions, else reach, else views.
    pub fn seen(&self) -> i64 {
        self.impressions.or(self.reach).or(self.views).unwrap_or(0)
    }

    /// Likes and comments per million of the benchmark's base: the post's
    /// views on video platforms, the creator's followers on the platform
    /// elsewhere. `None` when there is nothing to divide by.
    pub fn engagement_ppm(
        &self,
        platform: Platform,
        followers: Option<i64>,
    ) -> Option<(i64, Base)> {
        let (base, kind) = match Base::for_platform(platform) {
            Base::Views => (self.views?, Base::Views),
            Base::Followers => (followers?, Base::Followers),
        };
        if base <= 0 {
            return None;
        }
        let ppm = i128::from(self.interactions()) * 1_000_000 / i128::from(base);
        Some((i64::try_from(ppm).unwrap_or(i64::MAX), kind))
    }
}

/// How long after the fact figures may be recorded: a post's insights are
/// kept by the platforms for about this long.
const OLDEST_DAYS: i64 = 400;

impl FiguresForm {
    pub fn parse(&self, today: Date) -> Result<(Date, Figures), FieldErrors> {
        let mut e = FieldErrors::new();
        let recorded_on = e.check(
            "recorded_on",
            parse_date(&self.recorded_on, "the date you read the figures").and_then(|d| {
                if d > today {
                    Err("The figures can't be from a day still to come.".into())
                } else if d < today - Duration::days(OLDEST_DAYS) {
                    Err("That is more than 400 days ago: enter figures you read since.".into())
                } else {
                    Ok(d)
                }
            }),
        );
        const MAX_SEEN: i64 = 100_000_000_000;
        const MAX_ACTIONS: i64 = 10_000_000_000;
        let mut figure = |field: &'static str, typed: &str, what: &str, max: i64| {
            if typed.trim().is_empty() {
                return None;
            }
            e.check(field, parse_figure(typed, what, max, true))
        };
        let figures = Figures {
            impressions: figure("impressions", &self.impressions, "impressions", MAX_SEEN),
            reach: figure("reach", &self.reach, "the reach", MAX_SEEN),
            views: figure("views", &self.views, "views", MAX_SEEN),
            likes: figure("likes", &self.likes, "likes", MAX_ACTIONS),
            comments: figure("comments", &self.comments, "comments", MAX_ACTIONS),
            shares: figure("shares", &self.shares, "shares", MAX_ACTIONS),
            saves: figure("saves", &self.saves, "saves", MAX_ACTIONS),
        };
        if e.is_empty() && figures == Figures::default() {
            e.add(
                "impressions",
                "Enter at least one figure: what the platform's insights show for the post.",
            );
        }
        if let (Some(reach), Some(impressions)) = (figures.reach, figures.impressions)
            && reach > impressions
        {
            e.add(
                "reach",
                format!(
                    "Reach counts each account once, so it can't be more than the {} impressions.",
                    count(impressions)
                ),
            );
        }
        match recorded_on {
            Some(d) if e.is_empty() => Ok((d, figures)),
            _ => Err(e),
        }
    }
}

/// A post's engagement rate beside the benchmark for its platform and tier,
/// in words.
pub fn judge(rate_ppm: i64, base: Base, benchmark: Option<Benchmark>) -> String {
    let noun = match base {
        Base::Followers => "of the creator's followers",
        Base::Views => "of its views",
    };
    let rate = percent_ppm(rate_ppm);
    let Some(b) = benchmark else {
        return format!("{rate} {noun} liked or commented. No benchmark exists for this platform.");
    };
    let typical = percent_ppm(b.typical_ppm);
    let verdict = if rate_ppm < b.low_ppm {
        "far below"
    } else if rate_ppm < b.typical_ppm {
        "below"
    } else if rate_ppm <= b.high_ppm {
        "at or above"
    } else {
        "far above"
    };
    format!(
        "{rate} {noun} liked or commented: {verdict} the typical {typical} for this platform and tier."
    )
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 05);

    fn form() -> FiguresForm {
        FiguresForm {
            recorded_on: "2026-12-04".into(),
            impressions: "12.5k".into(),
            reach: "9,800".into(),
            likes: "640".into(),
            comments: "52".into(),
            saves: "31".into(),
            ..FiguresForm::default()
        }
    }

    #[test]
    fn figures_parse_with_what_was_left_empty_kept_unknown() {
        let (day, f) = form().parse(TODAY).expect("valid");
        assert_eq!(day, date!(2026 - 12 - 04));
        assert_eq!(f.impressions, Some(12_500));
        assert_eq!(f.views, None);
        assert_eq!(f.engagements(), 723);
        assert_eq!(f.interactions(), 692);
        assert_eq!(f.seen(), 12_500);
    }

    #[test]
    fn bad_figures_are_named_by_field() {
        let e = FiguresForm {
            recorded_on: "2026-12-07".into(),
            reach: "20k".into(),
            likes: "-3".into(),
            ..form()
        }
        .parse(TODAY)
        .expect_err("refused");
        assert!(e.get("recorded_on").is_some());
        assert!(e.get("likes").is_some());
        assert!(
            e.get("reach")
                .is_some_and(|m| m.contains("12,500 impressions"))
        );
        let empty = FiguresForm {
            recorded_on: "2026-12-04".into(),
            ..FiguresForm::default()
        }
        .parse(TODAY)
        .expect_err("nothing");
        assert!(empty.get("impressions").is_some());
    }

    #[test]
    fn the_rate_is_measured_as_the_benchmarks_measure_it() {
        let (_, f) = form().parse(TODAY).expect("valid");
        assert_eq!(
            f.engagement_ppm(Platform::Instagram, Some(20_000)),
            Some((34_600, Base::Followers))
        );
        assert_eq!(f.engagement_ppm(Platform::Instagram, None), None);
        assert_eq!(
            f.engagement_ppm(Platform::Tiktok, Some(20_000)),
            None,
            "video needs views"
        );
        let benchmark = Benchmark {
            low_ppm: 4_000,
            typical_ppm: 16_000,
            high_ppm: 80_000,
        };
        assert!(
            judge(34_600, Base::Followers, Some(benchmark))
                .contains("at or above the typical 1.60%")
        );
        assert!(judge(2_000, Base::Views, Some(benchmark)).contains("far below"));
        assert!(judge(2_000, Base::Views, None).contains("No benchmark"));
    }
}
