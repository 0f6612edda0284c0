use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

pub struct TeamMember {
    pub display_name: String,
    pub email: String,
    pub is_owner: bool,
    pub joined_at: OffsetDateTime,
}

/// The brand's team, owner first. Scoped by brand id, which the caller takes from
/// the signed-in user's own membership.
pub async fn team(db: impl PgExecutor<'_>, brand_id: Uuid) -> Result<Vec<TeamMember>, sqlx::Error> {
    sqlx::query_as!(
        TeamMember,
        r#"select u.display_name, u.email, m.role = 'owner' as "is_owner!", m.created_at as joined_at
             from brand_members m join users u on u.id = m.user_id
            where m.brand_id = $1
            order by m.role = 'owner' desc, u.display_name"#,
        brand_id
    )
    .fetch_all(db)
    .await
}

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
