//! Figures only the dashboard needs.

use sqlx::PgExecutor;
use uuid::Uuid;

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
