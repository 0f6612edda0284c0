//! Figures only the dashboard needs.

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

use crate::{applications::domain::Status as ApplicationStatus, campaigns::domain::Status};

/// How many channels an influencer has added.
pub async fn channel_count(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from channels c
             join influencer_profiles p on p.id = c.profile_id
            where p.user_id = $1"#,
        user_id
    )
    .fetch_one(db)
    .await
}

/// One of the brand's campaigns as the dashboard shows it: where it stands and
/// what waits for the brand.
pub struct CampaignLine {
    pub id: Uuid,
    pub title: String,
    pub status: Status,
    pub application_deadline: Date,
    /// Applications submitted or shortlisted: a decision is due.
    pub waiting: i64,
    pub accepted: i64,
    pub creators_wanted: i32,
    /// Collaborations finished (every deliverable published) that the brand
    /// has not rated yet.
    pub to_rate: i64,
}

/// The brand's campaigns that are not archived: open first, soonest deadline
/// first, then drafts, closed and completed. The counts are the database's
/// own per campaign; only campaigns with someone accepted look for
/// creators to rate.
pub async fn campaigns(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
) -> Result<Vec<CampaignLine>, sqlx::Error> {
    sqlx::query_as!(
        CampaignLine,
        r#"select c.id, c.title, c.status as "status: Status", c.application_deadline,
                  coalesce(n.submitted + n.shortlisted, 0)::int8 as "waiting!",
                  coalesce(n.accepted, 0)::int8 as "accepted!",
                  c.creators_wanted,
                  case when n.accepted > 0 then (
                      select count(*) from applications a
                       where a.campaign_id = c.id and a.status = 'accepted'
                         and not exists (select 1 from creator_ratings r where r.application_id = a.id)
                         and exists (select 1 from deliverables d where d.application_id = a.id)
                         and not exists (select 1 from deliverables d
                                          where d.application_id = a.id and d.status <> 'published')
                  ) else 0 end as "to_rate!"
             from campaigns c
             left join campaign_application_counts n on n.campaign_id = c.id
            where c.brand_id = $1 and c.status <> 'archived'
            order by case c.status when 'open' then 0 when 'draft' then 1 when 'closed' then 2
                                   else 3 end,
                     c.application_deadline, c.id
            limit 100"#,
        brand_id
    )
    .fetch_all(db)
    .await
}

/// How many of the creator's applications are in each status; declined ones
/// count only for 30 days. The database keeps the counts per profile
/// (migration 0044); the declined ones are counted on their own index.
pub async fn application_counts(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Vec<(ApplicationStatus, i64)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select k.submitted, k.shortlisted, k.accepted, k.withdrawn, k.cancelled,
                  (select count(*) from applications a
                    where a.profile_id = k.profile_id and a.status = 'declined'
                      and a.decided_at > now() - interval '30 days') as "declined!"
             from profile_application_counts k
            where k.profile_id = (select p.id from influencer_profiles p where p.user_id = $1)"#,
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row
        .map(|r| {
            [
                (ApplicationStatus::Submitted, i64::from(r.submitted)),
                (ApplicationStatus::Shortlisted, i64::from(r.shortlisted)),
                (ApplicationStatus::Accepted, i64::from(r.accepted)),
                (ApplicationStatus::Declined, r.declined),
                (ApplicationStatus::Withdrawn, i64::from(r.withdrawn)),
                (ApplicationStatus::Cancelled, i64::from(r.cancelled)),
            ]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect()
        })
        .unwrap_or_default())
}
