//! How a brand keeps its promise to creators: how many reviews came within the
//! brief's turnaround, the median review time, drafts waiting past it now, and
//! how soon creators are paid (from the ledger's release times). The brand
//! sees it on its dashboard; creators see it on its campaigns.

use sqlx::PgExecutor;
use uuid::Uuid;

/// How a brand keeps its review promise: reviews written on time out of all,
/// the median hours a review took, and drafts waiting past their due time.
#[derive(Debug, Clone, Default)]
pub struct ResponseTime {
    pub reviews: i64,
    pub on_time: i64,
    pub median_hours: Option<i64>,
    pub overdue_now: i64,
    /// Deliverables paid (their share of the escrow released), and how many
    /// of them within the review promise of their last draft.
    pub releases: i64,
    pub releases_on_time: i64,
    /// Days from the last draft to its pay being released, at the median.
    pub median_days_to_pay: Option<i64>,
}

impl ResponseTime {
    /// Waiting past the promise counts as late too.
    pub fn on_time_percent(&self) -> Option<i64> {
        let total = self.reviews + self.overdue_now;
        (total > 0).then(|| (self.on_time * 100 + total / 2) / total)
    }

    pub fn paid_on_time_percent(&self) -> Option<i64> {
        (self.releases > 0)
            .then(|| (self.releases_on_time * 100 + self.releases / 2) / self.releases)
    }
}

/// The brand's record as of the last snapshot (`Snapshot::TrackRecords`),
/// with the drafts overdue now counted live.
pub async fn response_time(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
) -> Result<ResponseTime, sqlx::Error> {
    let r = sqlx::query!(
        r#"select reviews as "reviews!", on_time as "on_time!", median_hours,
                  releases as "releases!", releases_on_time as "releases_on_time!",
                  median_days_to_pay, overdue_now as "overdue_now!"
             from brand_response_time($1)"#,
        brand_id
    )
    .fetch_one(db)
    .await?;
    Ok(ResponseTime {
        reviews: r.reviews,
        on_time: r.on_time,
        median_hours: r.median_hours,
        overdue_now: r.overdue_now,
        releases: r.releases,
        releases_on_time: r.releases_on_time,
        median_days_to_pay: r.median_days_to_pay,
    })
}
