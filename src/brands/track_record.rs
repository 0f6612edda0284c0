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
                  count(*) filter (where r.id is null and s.review_due_at < now()) as "overdue_now!",
                  pay.releases as "releases!", pay.on_time as "releases_on_time!",
                  pay.median_days as "median_days_to_pay?"
             from submissions s
             left join reviews r on r.submission_id = s.id
            cross join (
                  select count(*) as releases,
                         count(*) filter (where x.settled_at <= d.review_due_at) as on_time,
                         (percentile_cont(0.5) within group (
                             order by extract(epoch from x.settled_at - d.submitted_at)) / 86400)::int8
                           as median_days
                    from escrow_shares x
                    join escrow_holds h on h.application_id = x.application_id
                    cross join lateral (
                          select l.submitted_at, l.review_due_at from submissions l
                           where l.deliverable_id = x.deliverable_id
                           order by l.round desc limit 1) d
                   where h.brand_id = $1 and x.settled = 'released') pay
            where s.brand_id = $1
            group by pay.releases, pay.on_time, pay.median_days"#,
        brand_id
    )
    .fetch_optional(db)
    .await?;
    let Some(r) = r else {
        return Ok(ResponseTime::default());
    };
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
