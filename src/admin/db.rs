//! What the agency console reads: counts across both sides, channels whose
//! newest figures wait for verification, and the newest accounts.

use sqlx::PgExecutor;
use time::OffsetDateTime;

use crate::domain::{Platform, Role, display};

/// Headline figures for the admin dashboard. The counts of accounts by kind
/// and of two queues come from the console's snapshot (taken every minute):
/// counting 100,000 accounts and 140,000 channels on every view cost 0.1 s.
pub struct Overview {
    pub brands: i64,
    pub brand_users: i64,
    pub influencers: i64,
    pub admins: i64,
    pub active_sessions: i64,
    pub failed_logins_last_hour: i64,
    /// Clicks the redirect dropped because its queue was full, this week.
    pub clicks_lost_this_week: i64,
    /// Channels whose newest figures no admin has verified: the console's queue.
    pub to_verify: i64,
    /// Drafts waiting past the review their brief promised.
    pub reviews_overdue: i64,
}

impl Overview {
    pub fn fmt(&self, n: &i64) -> String {
        display::count(*n)
    }
}

pub async fn overview(db: impl PgExecutor<'_>) -> Result<Overview, sqlx::Error> {
    sqlx::query_as!(
        Overview,
        r#"select
             (select count(*) from brands) as "brands!",
             (select coalesce(sum(n), 0)::int8 from agency_account_totals where role = 'brand') as "brand_users!",
             (select coalesce(sum(n), 0)::int8 from agency_account_totals where role = 'influencer') as "influencers!",
             (select count(*) from users where role = 'admin') as "admins!",
             (select count(*) from sessions where expires_at > now()) as "active_sessions!",
             (select count(*) from login_failures where attempted_at > now() - interval '1 hour') as "failed_logins_last_hour!",
             (select coalesce(sum(lost), 0)::int8 from click_losses where day > current_date - 7) as "clicks_lost_this_week!",
             (select coalesce(sum(n), 0)::int8 from agency_queue_counts where queue = 'figures-to-verify') as "to_verify!",
             (select coalesce(sum(n), 0)::int8 from agency_queue_counts where queue = 'reviews-overdue') as "reviews_overdue!""#
    )
    .fetch_one(db)
    .await
}

/// A channel whose newest figures wait for verification.
pub struct UnverifiedChannel {
    pub profile_id: uuid::Uuid,
    pub channel_id: uuid::Uuid,
    pub display_name: String,
    pub platform: Platform,
    pub handle: String,
    pub followers: i64,
    pub captured_on: time::Date,
    pub score: i16,
}

/// The 20 largest channels with unverified figures, largest first (the
/// page size is in the statement for the reason
/// `business::db::recent_entries` gives).
pub async fn unverified_channels(
    db: impl PgExecutor<'_>,
) -> Result<Vec<UnverifiedChannel>, sqlx::Error> {
    sqlx::query_as!(
        UnverifiedChannel,
        r#"select c.profile_id, c.id as channel_id, u.display_name,
                  c.platform as "platform: Platform", c.handle, c.followers, c.captured_on, c.score
           from channels c
           join influencer_profiles p on p.id = c.profile_id
           join users u on u.id = p.user_id
          where not c.latest_verified
          order by c.followers desc, c.id
          limit 20"#
    )
    .fetch_all(db)
    .await
}

pub struct AccountRow {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub brand_name: Option<String>,
    pub created_at: OffsetDateTime,
}

/// The 50 newest accounts.
pub async fn recent_accounts(db: impl PgExecutor<'_>) -> Result<Vec<AccountRow>, sqlx::Error> {
    sqlx::query_as!(
        AccountRow,
        r#"select u.id, u.email, u.display_name, u.role as "role: Role",
                  b.name as "brand_name?", u.created_at
             from users u
             left join brand_members m on m.user_id = u.id
             left join brands b on b.id = m.brand_id
            order by u.created_at desc, u.id desc
            limit 50"#
    )
    .fetch_all(db)
    .await
}
