//! The signals an assessment finds, their weights, and how each reads to
//! people beside its evidence.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::{Base, STALE_AFTER_DAYS};
use crate::domain::display::{count, date, percent_ppm};

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
