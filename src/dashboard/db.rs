//! Figures only the dashboard needs.

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    applications::domain::Status as ApplicationStatus,
    business::db::Goals,
    campaigns::domain::Status,
    domain::{Currency, Money, Tier},
};

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
/// first, then drafts, closed and completed. The counts, creators to rate
/// among them, are the database's own per campaign (kept by triggers).
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
                  coalesce(n.to_rate, 0)::int8 as "to_rate!"
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

/// What the creator's dashboard shows of them besides its lists: when they
/// joined, their score, how many channels, their applications by status,
/// their goals and this week's hours. One statement: each of these is a row
/// or a count, and read one by one they cost more in round trips than in
/// reading.
pub struct CreatorSummary {
    pub profile_id: Uuid,
    pub created_at: OffsetDateTime,
    pub score: Option<i16>,
    pub tier: Option<Tier>,
    pub followers: i64,
    pub first_signal: Option<String>,
    /// The headline or the niches are missing.
    pub unintroduced: bool,
    pub channels: i64,
    /// Statuses with applications; declined ones count only for 30 days.
    pub applications: Vec<(ApplicationStatus, i64)>,
    pub goals: Goals,
    pub week_minutes: i64,
}

/// The creator's summary, with the minutes worked this week. The
/// database keeps the application counts per profile (migration 0044); the
/// declined ones are counted on their own index.
pub async fn creator_summary(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<CreatorSummary>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select p.id, p.created_at, p.score, p.tier as "tier: Tier", p.followers, p.first_signal,
                  (p.headline = '' or cardinality(p.niches) = 0) as "unintroduced!",
                  (select count(*) from channels c where c.profile_id = p.id) as "channels!",
                  coalesce(k.submitted, 0) as "submitted!", coalesce(k.shortlisted, 0) as "shortlisted!",
                  coalesce(k.accepted, 0) as "accepted!", coalesce(k.withdrawn, 0) as "withdrawn!",
                  coalesce(k.cancelled, 0) as "cancelled!",
                  (select count(*) from applications a
                    where a.profile_id = p.id and a.status = 'declined'
                      and a.decided_at > now() - interval '30 days') as "declined!",
                  g.currency as "goal_currency?: Currency", g.monthly_income_minor as "monthly_income_minor?",
                  g.weekly_hours_cap as "weekly_hours_cap?",
                  -- This week from Monday, by the session's clock (sqlx's
                  -- sessions are in UTC), as the desk counts it
                  -- (`business::db::minutes_this_week`): as a parameter,
                  -- PostgreSQL planned the statement again on every view
                  -- (0.45 ms) for the week's better estimate.
                  (select coalesce(sum(t.minutes), 0) from time_entries t
                    where t.profile_id = p.id
                      and t.worked_on >= date_trunc('week', current_date)::date)::int8 as "week_minutes!"
             from influencer_profiles p
             left join profile_application_counts k on k.profile_id = p.id
             left join business_goals g on g.profile_id = p.id
            where p.user_id = $1"#,
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| CreatorSummary {
        profile_id: r.id,
        created_at: r.created_at,
        score: r.score,
        tier: r.tier,
        followers: r.followers,
        first_signal: r.first_signal,
        unintroduced: r.unintroduced,
        channels: r.channels,
        applications: [
            (ApplicationStatus::Submitted, i64::from(r.submitted)),
            (ApplicationStatus::Shortlisted, i64::from(r.shortlisted)),
            (ApplicationStatus::Accepted, i64::from(r.accepted)),
            (ApplicationStatus::Declined, r.declined),
            (ApplicationStatus::Withdrawn, i64::from(r.withdrawn)),
            (ApplicationStatus::Cancelled, i64::from(r.cancelled)),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect(),
        goals: Goals {
            monthly_income: r
                .monthly_income_minor
                .zip(r.goal_currency)
                .map(|(m, c)| Money::from_minor(m, c)),
            weekly_hours_cap: r.weekly_hours_cap,
        },
        week_minutes: r.week_minutes,
    }))
}
