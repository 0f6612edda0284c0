//! A profile as pages show it: the owner's editor, the brands' and admins'
//! view, and the public media kit all render the same `ProfileView`.

use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use super::{
    authenticity::{Signal, Snapshot},
    db::{self, ChannelRow, ProfileRow, RateRow, Verification},
};
use crate::domain::display::{self, count, percent_ppm};

pub struct ProfileView {
    pub row: ProfileRow,
    pub channels: Vec<ChannelView>,
    pub rates: Vec<RateRow>,
    pub audience: Audience,
    /// A note on a snapshot that was refused: (snapshot, what was typed, why).
    pub note_failed: Option<(Uuid, String, String)>,
}

/// Who is looking, which decides what the shared profile template offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The influencer: notes on flagged snapshots, removing rates.
    Owner,
    /// A brand member.
    Brand,
    /// An agency admin: verification.
    Admin,
    /// Anyone, on the public media kit.
    Public,
}

pub struct ChannelView {
    pub row: ChannelRow,
    /// Newest first.
    pub snapshots: Vec<SnapshotView>,
    pub chart: Option<Chart>,
    /// The newest verification of any of its snapshots.
    pub last_verified: Option<(String, Verification)>,
}

pub struct SnapshotView {
    pub id: Uuid,
    pub captured_on: String,
    pub followers: String,
    pub avg_views: String,
    pub avg_likes: String,
    pub avg_comments: String,
    pub note: Option<String>,
    pub verified: bool,
}

/// A line of followers over time, drawn by the template as inline SVG.
pub struct Chart {
    pub width: u32,
    pub height: u32,
    /// `x,y x,y ...` for a `<polyline>`.
    pub points: String,
    pub dots: Vec<(String, String)>,
    /// What the chart shows, for screen readers and as its caption.
    pub summary: String,
}

const CHART_WIDTH: u32 = 320;
const CHART_HEIGHT: u32 = 80;
const CHART_PAD: f64 = 6.0;

impl Chart {
    /// `None` for fewer than two snapshots: a single point is no history.
    pub fn followers(history: &[Snapshot]) -> Option<Chart> {
        let (first, last) = (history.first()?, history.last()?);
        if history.len() < 2 {
            return None;
        }
        let min = history.iter().map(|s| s.figures.followers).min()?;
        let max = history.iter().map(|s| s.figures.followers).max()?;
        let days = (last.captured_on - first.captured_on).whole_days().max(1) as f64;
        let (w, h) = (f64::from(CHART_WIDTH), f64::from(CHART_HEIGHT));
        let span = (max - min).max(1) as f64;
        let n = history.len();
        let coordinates: Vec<(f64, f64)> = history
            .iter()
            .enumerate()
            .map(|(i, s)| {
                // Snapshots on the same day are spread out a little by their order.
                let by_date = (s.captured_on - first.captured_on).whole_days() as f64 / days;
                let by_order = i as f64 / (n - 1) as f64;
                let x_share = if last.captured_on == first.captured_on {
                    by_order
                } else {
                    by_date
                };
                let x = CHART_PAD + x_share * (w - 2.0 * CHART_PAD);
                let y = h
                    - CHART_PAD
                    - (s.figures.followers - min) as f64 / span * (h - 2.0 * CHART_PAD);
                (x, y)
            })
            .collect();
        let points = coordinates
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" ");
        let dots = coordinates
            .iter()
            .map(|(x, y)| (format!("{x:.1}"), format!("{y:.1}")))
            .collect();
        Some(Chart {
            width: CHART_WIDTH,
            height: CHART_HEIGHT,
            points,
            dots,
            summary: format!(
                "Followers from {} on {} to {} on {}, across {} snapshots (lowest {}, highest {}).",
                count(first.figures.followers),
                day(first.captured_on),
                count(last.figures.followers),
                day(last.captured_on),
                n,
                count(min),
                count(max)
            ),
        })
    }
}

pub fn day(d: Date) -> String {
    display::day(d)
}

impl ProfileView {
    pub async fn load(
        db: &mut PgConnection,
        row: ProfileRow,
        audience: Audience,
    ) -> Result<ProfileView, sqlx::Error> {
        let channels = db::channels(&mut *db, row.id).await?;
        let histories = db::histories(&mut *db, row.id).await?;
        let rates = db::rates(&mut *db, row.id).await?;
        let channels = channels
            .into_iter()
            .map(|c| {
                let own: Vec<&(Uuid, Snapshot, Option<Verification>)> =
                    histories.iter().filter(|(id, _, _)| *id == c.id).collect();
                let snapshots: Vec<Snapshot> = own.iter().map(|(_, s, _)| s.clone()).collect();
                let last_verified = own
                    .iter()
                    .filter_map(|(_, s, v)| v.clone().map(|v| (day(s.captured_on), v)))
                    .max_by_key(|(_, v)| v.at);
                ChannelView {
                    chart: Chart::followers(&snapshots),
                    snapshots: own
                        .iter()
                        .rev()
                        .map(|(_, s, v)| SnapshotView {
                            id: s.id,
                            captured_on: day(s.captured_on),
                            followers: count(s.figures.followers),
                            avg_views: count(s.figures.avg_views),
                            avg_likes: count(s.figures.avg_likes),
                            avg_comments: count(s.figures.avg_comments),
                            note: s.note.clone(),
                            verified: v.is_some(),
                        })
                        .collect(),
                    last_verified,
                    row: c,
                }
            })
            .collect();
        Ok(ProfileView {
            row,
            channels,
            rates,
            audience,
            note_failed: None,
        })
    }

    pub fn is_owner(&self) -> bool {
        self.audience == Audience::Owner
    }

    pub fn is_admin(&self) -> bool {
        self.audience == Audience::Admin
    }

    /// Signals are for the people deciding (brands, admins) and the creator;
    /// the public media kit shows the score only.
    pub fn shows_signals(&self) -> bool {
        self.audience != Audience::Public
    }

    pub fn note_value(&self, snapshot: &Uuid, stored: Option<&str>) -> String {
        match &self.note_failed {
            Some((id, typed, _)) if id == snapshot => typed.clone(),
            _ => stored.unwrap_or_default().to_owned(),
        }
    }

    pub fn note_error(&self, snapshot: &Uuid) -> Option<&str> {
        match &self.note_failed {
            Some((id, _, message)) if id == snapshot => Some(message),
            _ => None,
        }
    }

    pub fn score_class(&self, score: &i16) -> &'static str {
        score_class(*score)
    }

    pub fn location(&self) -> String {
        let p = &self.row.profile;
        match (p.city.is_empty(), &p.country) {
            (false, Some(c)) => format!("{}, {c}", p.city),
            (false, None) => p.city.clone(),
            (true, Some(c)) => c.clone(),
            (true, None) => String::new(),
        }
    }

    pub fn tier_label(&self) -> &'static str {
        self.row.tier.map_or("No channels yet", |t| t.label())
    }

    pub fn followers(&self) -> String {
        count(self.row.followers)
    }

    pub fn engagement(&self) -> String {
        self.row
            .engagement_ppm
            .map_or_else(|| "—".to_owned(), percent_ppm)
    }

    pub fn score(&self) -> String {
        self.row
            .score
            .map_or_else(|| "—".to_owned(), |s| s.to_string())
    }
}

impl ChannelView {
    pub fn followers(&self) -> String {
        count(self.row.figures.followers)
    }

    pub fn engagement(&self) -> String {
        self.row
            .engagement_ppm
            .map_or_else(|| "—".to_owned(), percent_ppm)
    }

    pub fn updated(&self) -> String {
        day(self.row.captured_on)
    }

    pub fn signals(&self) -> &[Signal] {
        &self.row.signals
    }
}

/// The CSS class of a score: good, fair or poor.
pub fn score_class(score: i16) -> &'static str {
    match score {
        80.. => "score-good",
        50..80 => "score-fair",
        _ => "score-poor",
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::influencers::authenticity::Figures;

    fn snap(d: Date, followers: i64) -> Snapshot {
        Snapshot {
            id: Uuid::now_v7(),
            captured_on: d,
            figures: Figures {
                followers,
                ..Figures::default()
            },
            note: None,
        }
    }

    #[test]
    fn a_chart_needs_two_snapshots_and_spans_its_box() {
        assert!(Chart::followers(&[snap(date!(2026 - 01 - 01), 10)]).is_none());
        let chart = Chart::followers(&[
            snap(date!(2026 - 01 - 01), 1_000),
            snap(date!(2026 - 01 - 11), 2_000),
        ])
        .expect("chart");
        assert_eq!(chart.points, "6.0,74.0 314.0,6.0");
        assert!(
            chart
                .summary
                .starts_with("Followers from 1,000 on 1 Jan 2026 to 2,000 on 11 Jan 2026")
        );
    }

    #[test]
    fn equal_dates_and_flat_lines_still_draw() {
        let chart = Chart::followers(&[
            snap(date!(2026 - 01 - 01), 5),
            snap(date!(2026 - 01 - 01), 5),
            snap(date!(2026 - 01 - 01), 5),
        ])
        .expect("chart");
        assert_eq!(chart.points, "6.0,74.0 160.0,74.0 314.0,74.0");
    }
}
