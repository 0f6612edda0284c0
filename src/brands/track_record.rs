//! How a brand keeps its promise to creators: how many reviews came within the
//! brief's turnaround, the median review time, and drafts waiting past it now.
//! The brand sees it on its dashboard; creators see it on its campaigns.

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
}

impl ResponseTime {
    /// Waiting past the promise counts as late too.
    pub fn on_time_percent(&self) -> Option<i64> {
        let total = self.reviews + self.overdue_now;
        (total > 0).then(|| (self.on_time * 100 + total / 2) / total)
    }
}

pub async fn response_time(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
) -> Result<ResponseTime, sqlx::Error> {
    let r = sqlx::query!(
        r#"select count(r.id) as "reviews!",
                  count(r.id) filter (where r.on_time) as "on_time!",
                  (percentile_cont(0.5) within group (
                      order by extract(epoch from r.created_at - s.submitted_at)) / 3600)::int8
                    as "median_hours?",
                  -- Only a deliverable's latest round can lack a review.
                  count(*) filter (where r.id is null and s.review_due_at < now()) as "overdue_now!"
             from submissions s
             left join reviews r on r.submission_id = s.id
            where s.brand_id = $1"#,
        brand_id
    )
    .fetch_one(db)
    .await?;
    Ok(ResponseTime {
        reviews: r.reviews,
        on_time: r.on_time,
        median_hours: r.median_hours,
        overdue_now: r.overdue_now,
    })
}
