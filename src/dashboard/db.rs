use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

pub async fn influencer_joined_at(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    sqlx::query_scalar!(
        "select created_at from influencer_profiles where user_id = $1",
        user_id
    )
    .fetch_optional(db)
    .await
}
